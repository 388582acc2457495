"""Closing a month (月度关账): the monthly report is stored as a snapshot that later data does not change.

The snapshot keeps the report (``MonthlyReport.to_dict()``) and the records
it was built from. The exports rebuild the :class:`MonthlyReport` from those
frozen records with the same pure function and check it equals the stored
report, so a closed month's table and briefing never change either.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from zonehero.clock import local_date, today, utcnow
from zonehero.core.schedule.model import Project
from zonehero.core.schedule.report import MonthlyReport, build_monthly_report
from zonehero.core.schedule.warnings import month_end
from zonehero.errors import Conflict, InputError, InputProblem, NotFound, ZoneheroError
from zonehero.features.audit import service as audit
from zonehero.features.projects import access, repository
from zonehero.features.projects.convert import (
    difficulty_from_json,
    difficulty_json,
    progress_from_json,
    progress_json,
    project_from_json,
    project_json,
)
from zonehero.features.projects.models import MonthlySnapshotRow
from zonehero.features.projects.schemas import SnapshotRead, SnapshotSummary
from zonehero.features.projects.service import load
from zonehero.features.roles import Actor


def _summary(row: MonthlySnapshotRow) -> SnapshotSummary:
    flagged = row.report.get("flagged", [])
    return SnapshotSummary(
        year=row.year,
        month=row.month,
        closed_at=row.closed_at,
        closed_by=row.closed_by,
        red=sum(1 for f in flagged if f.get("light") == "red"),
        yellow=sum(1 for f in flagged if f.get("light") == "yellow"),
    )


def previous_month(year: int, month: int) -> tuple[int, int]:
    """The month before ``month`` of ``year`` (January's is last December)."""
    return (year - 1, 12) if month == 1 else (year, month - 1)


def latest_closable_month(on: date) -> tuple[int, int]:
    """The newest month :func:`close_month` accepts on day ``on``: the one before ``on``'s month.

    A month is closed after its last day, so ``on``'s own month never is, and the month before it always may be.
    """
    return previous_month(on.year, on.month)


def close_month(session: Session, actor: Actor, year: int, month: int, *, on: date | None = None) -> SnapshotRead:
    """Close ``month`` of ``year``: build its report from the store now and keep it with its inputs.

    Only a month that has ended (its last day before ``on``, default today)
    can be closed, and only once (Conflict). Audited as ``schedule.close``.
    """
    access.require_editor(actor)
    if not 1 <= month <= 12 or not 2000 <= year <= 2100:
        raise InputError(InputProblem("月份无效", column="month"))
    on = on or today()
    if month_end(year, month) >= on:
        raise Conflict(f"{year}年{month}月尚未结束，不能关账")
    if repository.snapshot(session, year, month) is not None:
        raise Conflict(f"{year}年{month}月已关账，调度报告不再改变")
    data = load(session, actor, year)
    progress = [r for r in data.progress if r.year == year]
    report = build_monthly_report(data.projects, progress, data.difficulties, year, month)
    row = MonthlySnapshotRow(
        year=year,
        month=month,
        closed_at=utcnow(),
        closed_by=actor.username,
        report=report.to_dict(),
        inputs={
            "projects": [project_json(p) for p in data.projects],
            "progress": [progress_json(r) for r in progress],
            "difficulties": [difficulty_json(d) for d in data.difficulties],
        },
    )
    repository.add(session, row)
    audit.record(
        session,
        actor,
        "schedule.close",
        "schedule_month",
        f"{year}-{month:02d}",
        after={"year": year, "month": month, "flagged": len(report.flagged), "projects": len(data.projects)},
    )
    return _read(row)


def _read(row: MonthlySnapshotRow) -> SnapshotRead:
    names = {p["code"]: p["name"] for p in row.inputs.get("projects", [])}
    return SnapshotRead(summary=_summary(row), report=row.report, names=names)


def list_closed(session: Session, actor: Actor) -> list[SnapshotSummary]:
    """Closed months, newest first (not for a unit account: the report covers the whole zone)."""
    access.require_zone_reader(actor)
    return [_summary(r) for r in repository.snapshots(session)]


def _row(session: Session, actor: Actor, year: int, month: int) -> MonthlySnapshotRow:
    access.require_zone_reader(actor)
    row = repository.snapshot(session, year, month)
    if row is None:
        raise NotFound(f"{year}年{month}月尚未关账")
    return row


def get_closed(session: Session, actor: Actor, year: int, month: int) -> SnapshotRead:
    """The stored report of a closed month."""
    return _read(_row(session, actor, year, month))


@dataclass(frozen=True)
class ClosedReport:
    """A closed month's report rebuilt from its frozen records, for the exports."""

    report: MonthlyReport
    projects: list[Project]
    stored: dict[str, Any]
    closed_on: date
    """The day the month was closed (zone time), printed as the documents' date."""


def closed_report(session: Session, actor: Actor, year: int, month: int) -> ClosedReport:
    """The :class:`MonthlyReport` of a closed month, equal to the stored one (ZoneheroError if not)."""
    row = _row(session, actor, year, month)
    inputs = row.inputs
    projects = [project_from_json(p) for p in inputs.get("projects", [])]
    progress = [progress_from_json(r) for r in inputs.get("progress", [])]
    difficulties = [difficulty_from_json(d) for d in inputs.get("difficulties", [])]
    report = build_monthly_report(projects, progress, difficulties, year, month)
    if report.to_dict() != row.report:
        raise ZoneheroError(f"{year}年{month}月的关账快照与其记录不一致，无法导出")
    closed_on = local_date(row.closed_at) or today()
    return ClosedReport(report=report, projects=projects, stored=row.report, closed_on=closed_on)


def last_closed(session: Session) -> tuple[int, int] | None:
    """The newest closed month, if any (no permission needed: it is a date, not data)."""
    rows = repository.snapshots(session)
    return (rows[0].year, rows[0].month) if rows else None


def month_to_close(session: Session, actor: Actor, on: date) -> tuple[int, int] | None:
    """The newest month :func:`close_month` would accept on ``on`` while it is still open (None once it is closed,
    or while the library holds no project): the project office's monthly to-do."""
    access.require_zone_reader(actor)
    year, month = latest_closable_month(on)
    if repository.snapshot(session, year, month) is not None or not repository.project_count(session):
        return None
    return year, month
