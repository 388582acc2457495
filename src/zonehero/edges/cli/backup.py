"""``zonehero backup --out FILE``, ``zonehero backup verify FILE`` and ``zonehero restore FILE`` (备份与恢复).

Run by the server's operator as the system administrator (SYSTEM); a backup and a restore are audited with the
origin ``cli:<OS user>``. A refused restore (damaged archive, non-empty target) exits 1 like every other error.
"""

from __future__ import annotations

from pathlib import Path

import typer

from zonehero.edges.cli.output import console, err_console, user_errors

DB_HELP = "数据库地址（默认 ZONEHERO_DB 或数据目录下的 SQLite）/ database URL"
DATA_DIR_HELP = "数据目录（默认 ZONEHERO_DATA_DIR 或 ./data），上传的文件在其中 / data folder"

backup_app = typer.Typer(
    name="backup",
    help="备份：写出一个备份文件（--out），或校验备份文件（verify）/ back up the store, or verify a backup",
)


def _size(n: int) -> str:
    for unit in ("B", "KiB", "MiB", "GiB"):
        if n < 1024 or unit == "GiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n = n / 1024  # type: ignore[assignment]
    raise AssertionError("unreachable")  # pragma: no cover


@backup_app.callback(invoke_without_command=True)
def backup_command(
    ctx: typer.Context,
    out: Path | None = typer.Option(
        None, "--out", help="备份文件，如 backups/zonehero-2025-06-30.tar.gz / the archive to write", dir_okay=False
    ),
    db: str | None = typer.Option(None, "--db", help=DB_HELP, envvar="ZONEHERO_DB", show_default=False),
    data_dir: Path | None = typer.Option(None, "--data-dir", help=DATA_DIR_HELP, show_default=False),
) -> None:
    """在服务运行时写出一个一致的备份文件：数据库快照、数据目录中的文件、含行数与校验和的清单。

    Write one consistent archive while the server runs: the database snapshot (SQLite's backup API or pg_dump),
    the data folder's files (not the session key) and a manifest of row counts and SHA-256 checksums. The file
    appears under --out only once complete. Keep it outside the data folder, and off this machine.
    """
    if ctx.invoked_subcommand is not None:
        return
    if out is None:
        raise typer.BadParameter("请用 --out 指定备份文件 / give the archive with --out", param_hint="--out")
    from zonehero.config import load_settings
    from zonehero.features.backup import service
    from zonehero.features.roles import SYSTEM

    with user_errors():
        settings = load_settings(db=db, data_dir=data_dir)
        report = service.create_backup(settings, SYSTEM, out)
    console.print(
        f"备份完成 / backup written：{report.path}（{_size(report.size)}）\n"
        f"  数据库 {report.engine}，结构版本 {report.revision}，{report.tables} 张表共 {report.rows} 行，"
        f"文件 {report.files} 个\n"
        f"  SHA-256 {report.sha256}",
        highlight=False,
    )


@backup_app.command("verify")
def verify_command(
    file: Path = typer.Argument(..., help="备份文件 / the archive", dir_okay=False),
) -> None:
    """按清单校验备份文件：每个成员的校验和、数据库快照可读且表（SQLite 还有行数）与清单一致。

    Check an archive against its manifest: every member's SHA-256, nothing missing or added, and the database
    snapshot readable with the tables (for SQLite also the row counts) it lists. Exit 0 when sound, 1 otherwise.
    """
    from zonehero.config import load_settings
    from zonehero.features.backup import service

    with user_errors():
        check = service.verify_backup(load_settings(), file)
    if not check.ok:
        err_console.print(f"[bold red]备份文件校验未通过 / backup broken:[/] {file}", highlight=False)
        for problem in check.problems:
            err_console.print(f"  • {problem}", highlight=False, markup=False)
        raise typer.Exit(1)
    manifest = check.manifest
    assert manifest is not None
    console.print(
        f"备份文件完好 / backup intact：{file}\n"
        f"  {manifest.created_at.isoformat(timespec='seconds')} 由 zonehero {manifest.zonehero_version} 写出，"
        f"数据库 {manifest.engine}，结构版本 {manifest.revision}，"
        f"{len(manifest.tables)} 张表共 {manifest.rows} 行，文件 {len(manifest.files)} 个",
        highlight=False,
    )


def restore_command(
    file: Path = typer.Argument(..., help="备份文件 / the archive", dir_okay=False),
    db: str | None = typer.Option(None, "--db", help=DB_HELP, envvar="ZONEHERO_DB", show_default=False),
    data_dir: Path | None = typer.Option(None, "--data-dir", help=DATA_DIR_HELP, show_default=False),
) -> None:
    """把备份恢复到一个空的数据库与数据目录（SQLite 或 PostgreSQL；SQLite 备份可恢复到 PostgreSQL）。

    Restore an archive into an empty store: SQLite into SQLite, PostgreSQL into PostgreSQL, or SQLite into
    PostgreSQL (moving a zone off the embedded database). A target holding data, a damaged archive or a file
    that would overwrite a different one is refused before anything is written. Stop the server first.
    """
    from zonehero.config import load_settings
    from zonehero.features.backup import service
    from zonehero.features.roles import SYSTEM
    from zonehero.migrations.metadata import Base

    with user_errors():
        settings = load_settings(db=db, data_dir=data_dir)
        report = service.restore_backup(settings, SYSTEM, file, Base.metadata)
    console.print(
        f"恢复完成 / restored：{report.source_engine} → {report.target_engine}，结构版本 {report.revision}，"
        f"{report.tables} 张表共 {report.rows} 行，文件 {report.files} 个；行数与校验和均与清单一致",
        highlight=False,
    )
    if report.needs_upgrade:
        console.print("这个备份来自较早的版本：启动服务前请运行 zonehero db upgrade", highlight=False)
    console.print("请运行 zonehero audit verify 确认审计日志完整 / then run zonehero audit verify", highlight=False)


def register(app: typer.Typer) -> None:
    """Add ``backup`` (with ``backup verify``) and ``restore`` to the main command."""
    app.add_typer(backup_app, name="backup")
    app.command("restore")(restore_command)
