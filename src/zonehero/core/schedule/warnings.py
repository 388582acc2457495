"""Red, yellow and green lights (红黄绿灯) as of a date, each warning with its reason in Chinese.

Rules (thresholds in :class:`WarningConfig`):

- A milestone planned before D with no actual date on or before D is late by
  D minus the planned date: yellow for 1-90 days, red beyond.
- Year-to-date investment under 80% of the pro-rated plan is yellow, under 50% red.
- No progress report for the last closed month is yellow.
- A project's light is the worst of its warnings; green when it has none.

时序进度 (pro-rating): the plan of month m is ``year plan × m / 12``, reached
at the end of month m. As of D we compare at the last month that has ended on
or before D (the month of D itself only when D is its last day), and sum the
progress reports of the year up to that month. So the figures compared cover
the same months: a report for the running month is not expected yet.
Before the first month of the year has ended there is no investment warning.

Investment and missing-report warnings need progress data: when none is
given (``progress=None``) the lights come from milestone lateness alone.
"""

from __future__ import annotations

import calendar
import enum
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from zonehero.core.schedule.model import MilestoneKind, ProgressReport, Project


class Light(enum.StrEnum):
    """A project's light; ``severity`` orders them green < yellow < red."""

    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"

    @property
    def severity(self) -> int:
        """0 green, 1 yellow, 2 red."""
        return {"green": 0, "yellow": 1, "red": 2}[self.value]

    @property
    def label(self) -> str:
        """Chinese name: 绿灯, 黄灯, 红灯."""
        return {"green": "绿灯", "yellow": "黄灯", "red": "红灯"}[self.value]


def worst(lights: Iterable[Light]) -> Light:
    """The most severe light; green when there is none."""
    return max(lights, key=lambda light: light.severity, default=Light.GREEN)


@dataclass(frozen=True)
class WarningConfig:
    """Thresholds of the lights; the defaults are the spec's."""

    yellow_max_days_late: int = 90
    """A milestone late by 1..this many days is yellow; later is red."""
    investment_yellow_below: float = 0.8
    """Year-to-date investment under this share of the pro-rated plan is yellow."""
    investment_red_below: float = 0.5
    """… and under this share red."""
    missing_report_light: Light = Light.YELLOW
    """The light for a missing report of the last closed month."""


class WarningKind(enum.StrEnum):
    """Why a project has a light."""

    MILESTONE_LATE = "milestone_late"
    INVESTMENT_BEHIND = "investment_behind"
    PROGRESS_MISSING = "progress_missing"


@dataclass(frozen=True)
class ProjectWarning:
    """One warning of one project: its light and the reason as a user reads it."""

    code: str
    kind: WarningKind
    light: Light
    reason: str
    milestone: MilestoneKind | None = None
    days_late: int | None = None
    ratio: float | None = None
    """Year-to-date investment over the pro-rated plan, for investment warnings."""


@dataclass(frozen=True)
class ProjectLight:
    """A project's light and every warning behind it."""

    code: str
    light: Light
    warnings: tuple[ProjectWarning, ...]

    @property
    def reasons(self) -> list[str]:
        """The reasons, worst first."""
        return [w.reason for w in sorted(self.warnings, key=lambda w: -w.light.severity)]


def month_end(year: int, month: int) -> date:
    """The last day of a month."""
    return date(year, month, calendar.monthrange(year, month)[1])


def last_closed_month(as_of: date) -> tuple[int, int]:
    """The last month that has ended on or before ``as_of`` (the previous month unless D is a month end)."""
    if as_of == month_end(as_of.year, as_of.month):
        return as_of.year, as_of.month
    if as_of.month == 1:
        return as_of.year - 1, 12
    return as_of.year, as_of.month - 1


def prorated_plan(year_plan: float, month: int) -> float:
    """时序进度: the share of the year plan due by the end of ``month`` (``plan × month / 12``)."""
    return year_plan * month / 12


def days_late(planned: date | None, actual: date | None, as_of: date) -> int | None:
    """Days a milestone is late as of ``as_of`` (D minus planned), or None when it is not late."""
    if planned is None or planned >= as_of:
        return None
    if actual is not None and actual <= as_of:
        return None
    return (as_of - planned).days


def lateness_light(late: int, config: WarningConfig = WarningConfig()) -> Light:
    """The light of a milestone late by ``late`` days (≥ 1): yellow up to the configured limit, red beyond."""
    return Light.YELLOW if late <= config.yellow_max_days_late else Light.RED


def milestone_warnings(project: Project, as_of: date, config: WarningConfig = WarningConfig()) -> list[ProjectWarning]:
    """A warning for each milestone planned before ``as_of`` and not reached by then."""
    out = []
    for m in project.milestones():
        late = days_late(m.planned, m.actual, as_of)
        if late is None or m.planned is None:
            continue
        light = lateness_light(late, config)
        label = m.kind.label
        reason = f"计划{label}日期 {m.planned.isoformat()}，截至 {as_of.isoformat()} 尚未{label}，滞后 {late} 天"
        out.append(ProjectWarning(project.code, WarningKind.MILESTONE_LATE, light, reason, m.kind, late))
    return out


def year_to_date_investment(code: str, progress: Iterable[ProgressReport], year: int, through_month: int) -> float:
    """Investment reported for ``code`` in ``year`` from January to ``through_month`` (万元)."""
    return math.fsum(
        r.investment_month for r in progress if r.code == code and r.year == year and r.month <= through_month
    )


def investment_warning(
    project: Project,
    progress: Sequence[ProgressReport],
    as_of: date,
    config: WarningConfig = WarningConfig(),
) -> ProjectWarning | None:
    """A warning when year-to-date investment is behind the pro-rated year plan (see the module docstring)."""
    plan = project.year_plan_investment
    year, month = last_closed_month(as_of)
    if not plan or plan <= 0 or year != as_of.year:
        return None
    due = prorated_plan(plan, month)
    done = year_to_date_investment(project.code, progress, year, month)
    ratio = done / due
    if ratio < config.investment_red_below:
        light, threshold = Light.RED, config.investment_red_below
    elif ratio < config.investment_yellow_below:
        light, threshold = Light.YELLOW, config.investment_yellow_below
    else:
        return None
    reason = (
        f"截至 {year}年{month}月 累计完成投资 {done:,.0f} 万元，为时序进度计划 {due:,.0f} 万元的"
        f" {ratio:.1%}（低于 {threshold:.0%}）"
    )
    return ProjectWarning(project.code, WarningKind.INVESTMENT_BEHIND, light, reason, ratio=ratio)


def due_to_report(project: Project, year: int, month: int) -> bool:
    """Whether a project owes a progress report for a month.

    It does when it has a positive year plan investment, or when it is under
    construction in that month (started by the month's end and not in
    production before the month began). Projects still being prepared owe none.
    """
    if project.year_plan_investment and project.year_plan_investment > 0:
        return True
    end = month_end(year, month)
    started = project.construction.reached_by(end)
    produced_before = project.production.actual is not None and project.production.actual < date(year, month, 1)
    return started and not produced_before


def missing_report_warning(
    project: Project,
    progress: Sequence[ProgressReport],
    closed_month: tuple[int, int],
    config: WarningConfig = WarningConfig(),
) -> ProjectWarning | None:
    """A warning when a project due to report has no report for ``closed_month``."""
    year, month = closed_month
    if not due_to_report(project, year, month):
        return None
    if any(r.code == project.code and r.year == year and r.month == month for r in progress):
        return None
    reason = f"未填报 {year}年{month}月 的项目进展"
    return ProjectWarning(project.code, WarningKind.PROGRESS_MISSING, config.missing_report_light, reason)


def assess_project(
    project: Project,
    as_of: date,
    progress: Sequence[ProgressReport] | None = None,
    config: WarningConfig = WarningConfig(),
    closed_month: tuple[int, int] | None = None,
) -> ProjectLight:
    """Every warning of one project as of ``as_of`` and its light.

    ``closed_month`` is the last month the office has closed; by default the
    last month ended on or before ``as_of``.
    """
    found = milestone_warnings(project, as_of, config)
    if progress is not None:
        own = [r for r in progress if r.code == project.code]
        behind = investment_warning(project, own, as_of, config)
        if behind is not None:
            found.append(behind)
        missing = missing_report_warning(project, own, closed_month or last_closed_month(as_of), config)
        if missing is not None:
            found.append(missing)
    return ProjectLight(project.code, worst(w.light for w in found), tuple(found))


def assess_projects(
    projects: Sequence[Project],
    as_of: date,
    progress: Sequence[ProgressReport] | None = None,
    config: WarningConfig = WarningConfig(),
    closed_month: tuple[int, int] | None = None,
) -> dict[str, ProjectLight]:
    """The light of every project, keyed and sorted by code."""
    by_code: dict[str, list[ProgressReport]] = {}
    for r in progress or ():
        by_code.setdefault(r.code, []).append(r)
    out = {}
    for p in sorted(projects, key=lambda p: p.code):
        own = by_code.get(p.code, []) if progress is not None else None
        out[p.code] = assess_project(p, as_of, own, config, closed_month)
    return out
