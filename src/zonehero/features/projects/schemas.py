"""Projects as the edges see them (pages, API, CLI)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel


class MilestoneRead(BaseModel):
    """One milestone: planned and actual dates, and days late as of the page's date."""

    kind: str
    label: str
    planned: date | None
    actual: date | None
    days_late: int | None
    late_light: str | None = None
    """red or yellow when late (the same rule as the project's warnings), None otherwise."""


class WarningRead(BaseModel):
    """One warning of a project's light, with the reason in Chinese."""

    kind: str
    light: str
    reason: str


class ProjectSummary(BaseModel):
    """A project in the library list, with its stage and light as of a date."""

    code: str
    name: str
    investor: str | None
    industry_chain: str | None
    total_investment: float | None
    unit: str | None
    leader: str | None
    added_date: date | None
    counted_in_statistics: bool
    stage: str
    stage_label: str
    light: str
    reasons: list[str]
    year_plan_investment: float | None


class ProjectList(BaseModel):
    items: list[ProjectSummary]
    total: int
    as_of: date


class PhotoRead(BaseModel):
    id: int
    name: str
    media_type: str
    size: int


class ProgressRead(BaseModel):
    """月度进展 of one month."""

    id: int
    year: int
    month: int
    investment_month: float
    percent_done: float | None
    progress_text: str
    updated_by: str
    updated_at: datetime
    photos: list[PhotoRead]


class DifficultyRead(BaseModel):
    """A difficulty with where it stands as of a date (overdue days and escalation)."""

    id: int
    project_code: str
    project_name: str
    description: str
    category: str
    category_label: str
    raised_on: date
    owner_unit: str
    deadline: date
    status: str
    status_label: str
    resolution: str | None
    resolved_on: date | None
    days_overdue: int
    level: str | None
    level_label: str | None
    escalated_to: str | None
    can_update: bool


class ProjectDetail(BaseModel):
    """One project: every field, milestones, light, yearly plans, progress by month, difficulties."""

    summary: ProjectSummary
    investor_uscc: str | None
    land_mu: float | None
    contact: str | None
    milestones: list[MilestoneRead]
    warnings: list[WarningRead]
    year_plans: dict[int, float]
    progress: list[ProgressRead]
    difficulties: list[DifficultyRead]
    can_edit: bool
    as_of: date


class ImportSummary(BaseModel):
    """What an import wrote."""

    projects_new: int = 0
    projects_updated: int = 0
    projects_unchanged: int = 0
    progress_new: int = 0
    progress_updated: int = 0


class SnapshotSummary(BaseModel):
    """A closed month in the list of closed months."""

    year: int
    month: int
    closed_at: datetime
    closed_by: str
    red: int
    yellow: int


class SnapshotRead(BaseModel):
    """A closed month: who closed it and the stored report (``MonthlyReport.to_dict()``)."""

    summary: SnapshotSummary
    report: dict[str, Any]
    names: dict[str, str]
    """Project names by code, as they were when the month was closed."""


class ReportDue(BaseModel):
    """A project that owes its progress report (月度进展) of a month that has ended and has none yet."""

    code: str
    name: str
    unit: str | None
    year: int
    month: int
