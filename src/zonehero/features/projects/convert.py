"""Between store rows, the core's records and JSON: one place that knows every field of a project.

The core (``zonehero.core.schedule``) works on frozen dataclasses; the rows keep
one yearly plan per year, and :func:`to_project` hands the core the plan of
the year being scheduled. The JSON forms are used for audit snapshots
(before/after) and for the frozen inputs of a closed month.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from zonehero.core.schedule.model import (
    Difficulty,
    DifficultyCategory,
    DifficultyStatus,
    Milestone,
    MilestoneKind,
    ProgressReport,
    Project,
)
from zonehero.features.projects.models import DifficultyRow, ProgressRow, ProjectRow

PROJECT_TEXT_FIELDS = ("name", "investor", "investor_uscc", "industry_chain", "leader", "unit", "contact")
PROJECT_NUMBER_FIELDS = ("total_investment", "land_mu")
MILESTONE_COLUMNS: dict[MilestoneKind, tuple[str, str]] = {
    MilestoneKind.SIGNING: ("planned_sign_date", "actual_sign_date"),
    MilestoneKind.CONSTRUCTION: ("planned_start_date", "actual_start_date"),
    MilestoneKind.PRODUCTION: ("planned_production_date", "actual_production_date"),
}


def year_plan(row: ProjectRow, year: int | None) -> float | None:
    """The row's 年度计划投资 for ``year`` (its plans must be loaded); None without one."""
    if year is None:
        return None
    for plan in row.plans:
        if plan.year == year:
            return plan.plan_investment
    return None


def to_project(row: ProjectRow, year: int | None) -> Project:
    """The core's record of a stored project, with the yearly plan of ``year``."""
    milestones = {
        kind: Milestone(kind, getattr(row, planned), getattr(row, actual))
        for kind, (planned, actual) in MILESTONE_COLUMNS.items()
    }
    return Project(
        code=row.code,
        name=row.name,
        investor=row.investor,
        investor_uscc=row.investor_uscc,
        industry_chain=row.industry_chain,
        total_investment=row.total_investment,
        land_mu=row.land_mu,
        leader=row.leader,
        unit=row.unit,
        contact=row.contact,
        added_date=row.added_date,
        signing=milestones[MilestoneKind.SIGNING],
        construction=milestones[MilestoneKind.CONSTRUCTION],
        production=milestones[MilestoneKind.PRODUCTION],
        year_plan_investment=year_plan(row, year),
        counted_in_statistics=row.counted_in_statistics,
    )


def apply_project(row: ProjectRow, project: Project) -> None:
    """Copy every field of ``project`` (not the yearly plan) onto ``row``."""
    for name in (*PROJECT_TEXT_FIELDS, *PROJECT_NUMBER_FIELDS, "added_date", "counted_in_statistics"):
        setattr(row, name, getattr(project, name))
    for kind, (planned, actual) in MILESTONE_COLUMNS.items():
        m = project.milestone(kind)
        setattr(row, planned, m.planned)
        setattr(row, actual, m.actual)


def to_progress(row: ProgressRow, code: str) -> ProgressReport:
    """The core's record of one month's progress."""
    return ProgressReport(
        code=code,
        year=row.year,
        month=row.month,
        investment_month=row.investment_month,
        percent_done=row.percent_done,
        progress_text=row.progress_text,
    )


def to_difficulty(row: DifficultyRow, code: str) -> Difficulty:
    """The core's record of a difficulty; its id is the row id as text."""
    return Difficulty(
        id=str(row.id),
        project_code=code,
        description=row.description,
        category=DifficultyCategory(row.category),
        raised_on=row.raised_on,
        owner_unit=row.owner_unit,
        deadline=row.deadline,
        status=DifficultyStatus(row.status),
        resolution=row.resolution,
        resolved_on=row.resolved_on,
    )


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _day(value: Any) -> date | None:
    return date.fromisoformat(value) if value else None


def project_json(project: Project) -> dict[str, Any]:
    """Every field of a core project as JSON (dates as ISO text)."""
    out: dict[str, Any] = {"code": project.code}
    for name in (*PROJECT_TEXT_FIELDS, *PROJECT_NUMBER_FIELDS):
        out[name] = getattr(project, name)
    out["added_date"] = _iso(project.added_date)
    for kind, (planned, actual) in MILESTONE_COLUMNS.items():
        m = project.milestone(kind)
        out[planned] = _iso(m.planned)
        out[actual] = _iso(m.actual)
    out["year_plan_investment"] = project.year_plan_investment
    out["counted_in_statistics"] = project.counted_in_statistics
    return out


def project_from_json(data: Mapping[str, Any]) -> Project:
    """The inverse of :func:`project_json`."""
    milestones = {
        kind: Milestone(kind, _day(data.get(planned)), _day(data.get(actual)))
        for kind, (planned, actual) in MILESTONE_COLUMNS.items()
    }
    return Project(
        code=data["code"],
        name=data["name"],
        investor=data.get("investor"),
        investor_uscc=data.get("investor_uscc"),
        industry_chain=data.get("industry_chain"),
        total_investment=data.get("total_investment"),
        land_mu=data.get("land_mu"),
        leader=data.get("leader"),
        unit=data.get("unit"),
        contact=data.get("contact"),
        added_date=_day(data.get("added_date")),
        signing=milestones[MilestoneKind.SIGNING],
        construction=milestones[MilestoneKind.CONSTRUCTION],
        production=milestones[MilestoneKind.PRODUCTION],
        year_plan_investment=data.get("year_plan_investment"),
        counted_in_statistics=bool(data.get("counted_in_statistics")),
    )


def progress_json(report: ProgressReport) -> dict[str, Any]:
    """A month's progress as JSON."""
    return {
        "code": report.code,
        "year": report.year,
        "month": report.month,
        "investment_month": report.investment_month,
        "percent_done": report.percent_done,
        "progress_text": report.progress_text,
    }


def progress_from_json(data: Mapping[str, Any]) -> ProgressReport:
    """The inverse of :func:`progress_json`."""
    return ProgressReport(
        code=data["code"],
        year=int(data["year"]),
        month=int(data["month"]),
        investment_month=float(data["investment_month"]),
        percent_done=data.get("percent_done"),
        progress_text=data.get("progress_text") or "",
    )


def difficulty_json(d: Difficulty) -> dict[str, Any]:
    """A difficulty as JSON."""
    return {
        "id": d.id,
        "project_code": d.project_code,
        "description": d.description,
        "category": d.category.value,
        "raised_on": d.raised_on.isoformat(),
        "owner_unit": d.owner_unit,
        "deadline": d.deadline.isoformat(),
        "status": d.status.value,
        "resolution": d.resolution,
        "resolved_on": _iso(d.resolved_on),
    }


def difficulty_from_json(data: Mapping[str, Any]) -> Difficulty:
    """The inverse of :func:`difficulty_json`."""
    raised, deadline = _day(data["raised_on"]), _day(data["deadline"])
    assert raised is not None and deadline is not None
    return Difficulty(
        id=str(data["id"]),
        project_code=data["project_code"],
        description=data["description"],
        category=DifficultyCategory(data["category"]),
        raised_on=raised,
        owner_unit=data["owner_unit"],
        deadline=deadline,
        status=DifficultyStatus(data["status"]),
        resolution=data.get("resolution"),
        resolved_on=_day(data.get("resolved_on")),
    )


def row_json(row: ProjectRow) -> dict[str, Any]:
    """A stored project as JSON for the audit log (with every yearly plan, when loaded)."""
    out = project_json(to_project(row, None))
    del out["year_plan_investment"]
    return out
