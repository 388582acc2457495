"""The audit log of a period as xlsx (``zonehero audit export`` and the page's 导出 button); the export is itself
audited (``audit.export``), after the workbook is written."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import BinaryIO

from sqlalchemy.orm import Session

from zonehero.clock import local_time
from zonehero.features.audit import repository
from zonehero.features.audit.schemas import AuditEntryRead
from zonehero.features.audit.service import as_read, period_filters, record, require_reader
from zonehero.features.roles import Actor
from zonehero.reports.audit_xlsx import write_audit_xlsx


def change_lines(entry: AuditEntryRead) -> str:
    """The entry's changes as lines ``字段：旧 → 新`` (a field with nothing before reads ``字段：新``)."""
    lines = []
    for change in entry.changes:
        if change.before and change.after:
            lines.append(f"{change.field}：{change.before} → {change.after}")
        elif change.before:
            lines.append(f"{change.field}：{change.before} → （无）")
        else:
            lines.append(f"{change.field}：{change.after}")
    return "\n".join(lines)


def _cells(entry: AuditEntryRead) -> list[str]:
    at = local_time(entry.at)
    return [
        str(entry.id),
        at.strftime("%Y-%m-%d %H:%M:%S") if at else "",
        entry.actor_name,
        entry.origin or "",
        entry.user_agent or "",
        entry.action_label,
        entry.action,
        entry.entity_label,
        entry.entity_id or "",
        change_lines(entry),
        entry.hash,
    ]


def export_xlsx(
    session: Session,
    actor: Actor,
    out: Path | BinaryIO,
    *,
    date_from: date | None,
    date_to: date | None,
    action: str | None = None,
    actor_name: str | None = None,
) -> int:
    """Write the entries of the zone's days ``date_from`` to ``date_to`` (both included; None: no bound), oldest
    first, to ``out``; returns how many."""
    require_reader(actor)
    filters = period_filters(date_from=date_from, date_to=date_to, action=action, actor_name=actor_name)

    def rows() -> Iterator[list[str]]:
        for row in repository.in_order(session, filters):
            yield _cells(as_read(row))

    first = date_from.isoformat() if date_from else "最早"
    last = date_to.isoformat() if date_to else "最新"
    title = f"审计日志 {first} 至 {last}（导出人：{actor.username}）"
    count = write_audit_xlsx(rows(), out, title=title)
    after: dict[str, object] = {"from": first, "to": last, "entries": count, "format": "xlsx"}
    if action or actor_name:
        after["filters"] = {k: v for k, v in (("action", action), ("actor_name", actor_name)) if v}
    record(session, actor, "audit.export", "audit_log", None, after=after)
    return count
