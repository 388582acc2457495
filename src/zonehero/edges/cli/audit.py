"""``zonehero audit verify|export|purge``: the audit log from the server's command line.

Run by the server's operator (服务器操作员, who may verify, export and purge like the audit administrator);
each command's own actions are audited with the origin ``cli:<OS user>`` (an export and a purge leave an
entry; a verify only reads).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from zonehero.edges.cli.output import console, err_console, user_errors

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from zonehero.config import Settings

audit_app = typer.Typer(
    name="audit", help="审计日志：校验、导出、清理 / the audit log: verify, export, purge", no_args_is_help=True
)

DB_OPTION = typer.Option(
    None, "--db", help="数据库地址 / database URL (ZONEHERO_DB)", envvar="ZONEHERO_DB", show_default=False
)


@contextmanager
def _session(db: str | None) -> Iterator[tuple[Session, Settings]]:
    """One unit of work on the migrated store, with the zone's clock (dates below are the zone's days)."""
    from zonehero.config import load_settings
    from zonehero.db.migrate import require_current
    from zonehero.db.session import make_engine, session_factory, unit_of_work
    from zonehero.features.zone import service as zone

    settings = load_settings(db=db)
    engine = make_engine(settings.database_url)
    try:
        with engine.connect() as conn:
            require_current(conn)
        with unit_of_work(session_factory(engine)) as session:
            zone.install_clock(session)
            yield session, settings
    finally:
        engine.dispose()


def _day(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise typer.BadParameter(
            f"日期应写作 YYYY-MM-DD，收到「{value}」/ a date like 2025-01-31", param_hint=option
        ) from None


@audit_app.command("verify")
def verify_command(db: str | None = DB_OPTION) -> None:
    """校验审计日志的哈希链；完整时退出码 0，被改动时退出码 1 并指出第一条有问题的记录。

    Check every entry's hash and its link to the one before; exit 0 when the log is intact, 1 naming the first
    bad entry after an edit, a deletion or a reordering made directly in the database. Note the head hash
    printed on success somewhere off this server: it proves later that the log was not rewritten wholesale.
    """
    from zonehero.features.audit import integrity
    from zonehero.features.roles import SYSTEM

    with user_errors(), _session(db) as (session, _settings):
        report = integrity.verify(session, SYSTEM)
    if not report.ok:
        err_console.print(f"[bold red]审计日志校验未通过 / audit log broken:[/] {report.problem}", highlight=False)
        err_console.print(f"第一条有问题的记录 / first bad entry: {report.first_bad_id}", highlight=False)
        raise typer.Exit(1)
    anchor = f"，清理锚点 #{report.anchor_id}" if report.anchor_id is not None else ""
    console.print(
        f"审计日志完整 / audit log intact：已校验 {report.checked} 条记录{anchor}，"
        f"链头 #{report.head_id if report.head_id is not None else '-'} {report.head_hash}",
        highlight=False,
    )


@audit_app.command("export")
def export_command(
    date_from: str = typer.Option(..., "--from", help="起始日期（含）/ first day, YYYY-MM-DD"),
    date_to: str = typer.Option(..., "--to", help="截止日期（含）/ last day, YYYY-MM-DD"),
    out: Path = typer.Option(..., "--out", help="输出的 xlsx 文件 / the workbook to write", dir_okay=False),
    db: str | None = DB_OPTION,
) -> None:
    """把一段时间的审计日志导出为 xlsx（导出本身也记入审计日志）。

    Write the entries of the zone's days --from to --to (both included) to an xlsx workbook, oldest first, with
    actions, objects and changes in words; the export itself is audited.
    """
    from zonehero.features.audit.export import export_xlsx
    from zonehero.features.roles import SYSTEM
    from zonehero.reports.atomic import atomic_path

    first, last = _day(date_from, "--from"), _day(date_to, "--to")
    if out.suffix.lower() != ".xlsx":
        raise typer.BadParameter("输出文件须以 .xlsx 结尾 / the file must end in .xlsx", param_hint="--out")
    with user_errors(), atomic_path(out) as tmp, _session(db) as (session, _settings):  # commit, then move
        count = export_xlsx(session, SYSTEM, tmp, date_from=first, date_to=last)
    console.print(f"已导出 {count} 条审计记录到 / exported to {out}", highlight=False)


@audit_app.command("purge")
def purge_command(
    before: str = typer.Option(..., "--before", help="清理此日期之前的记录 / purge entries before this day"),
    yes: bool = typer.Option(False, "--yes", help="不再确认 / do not ask"),
    db: str | None = DB_OPTION,
) -> None:
    """清理保留期之前的审计记录（保留期内的日期会被拒绝），并留下一条清理记录使校验仍然通过。

    Remove the entries written before --before. A day inside the retention period (ZONEHERO_AUDIT_RETENTION_DAYS,
    at least 180) is refused. A checkpoint entry records the last entry removed and its hash, so
    ``zonehero audit verify`` still passes afterwards.
    """
    from zonehero.features.audit import integrity
    from zonehero.features.roles import SYSTEM

    day = _day(before, "--before")
    if not yes:
        typer.confirm(f"清理 {day.isoformat()} 之前的审计记录？此操作不可撤销 / purge for good?", abort=True)
    with user_errors(), _session(db) as (session, settings):
        report = integrity.purge(session, SYSTEM, day, retention_days=settings.audit_retention_days)
    if report.removed == 0:
        console.print(f"{day.isoformat()} 之前没有可清理的记录 / nothing to purge", highlight=False)
        return
    console.print(
        f"已清理 {report.removed} 条记录（至第 {report.through_id} 条），清理记录为第 {report.checkpoint_id} 条 "
        f"/ purged {report.removed}",
        highlight=False,
    )


def register(app: typer.Typer) -> None:
    """Add the ``audit`` command group to the main command."""
    app.add_typer(audit_app, name="audit")
