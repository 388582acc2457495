"""Zone goals: set them, report actuals by hand or from the stored figures, judge progress.

Who may do what: the analyst changes goals and actuals (every change
audited in the same unit of work); staff read; an enterprise account sees
nothing here (PermissionDenied, which the web shows as 404 to it).

Stored enterprise figures are yearly, so actuals computed from them belong to
December unless the zone imported year-to-date figures for an earlier month;
the caller names the month. Investment completed (固定资产投资完成额) comes
from the projects feature's monthly progress; without any, it is entered by hand.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from zonehero.clock import utcnow
from zonehero.core.targets import FORMULAS, Actual, Goal, Period, assess, compute_figures, off_course
from zonehero.core.targets.progress import Progress
from zonehero.errors import Conflict, InputError, InputProblem, NotFound
from zonehero.features.audit import service as audit
from zonehero.features.enterprises import service as enterprises
from zonehero.features.goals import repository
from zonehero.features.goals.models import GoalActual, ZoneGoal
from zonehero.features.goals.schemas import ActualRead, ComputedRead, GoalRead, GoalWrite, ProgressRead, TargetsRead
from zonehero.features.projects import service as projects
from zonehero.features.roles import Actor, require_editor, require_staff

GOAL_NOT_FOUND = "目标不存在"


def _check_year(year: int) -> None:
    if not 2000 <= year <= 2100:
        raise InputError(InputProblem("年度应在 2000 至 2100 之间", column="year"))


def _check_month(month: int) -> None:
    if not 1 <= month <= 12:
        raise InputError(InputProblem("月份应在 1 至 12 之间", column="month"))


def _goal(session: Session, goal_id: int, *, for_update: bool = False) -> ZoneGoal:
    goal = repository.get(session, goal_id, for_update=for_update)
    if goal is None:
        raise NotFound(GOAL_NOT_FOUND)
    return goal


def _snapshot(goal: ZoneGoal) -> dict[str, Any]:
    return {
        "year": goal.year,
        "key": goal.key,
        "label": goal.label,
        "value": goal.value,
        "unit": goal.unit,
        "direction": goal.direction,
        "kind": goal.kind,
        "note": goal.note,
    }


def list_goals(session: Session, actor: Actor, year: int) -> list[GoalRead]:
    """The year's goals with their actuals (staff)."""
    require_staff(actor)
    return [GoalRead.model_validate(g) for g in repository.goals_of_year(session, year)]


def goal_years(session: Session, actor: Actor) -> list[int]:
    """Years that have goals, newest first (staff)."""
    require_staff(actor)
    return repository.goal_years(session)


def create_goal(session: Session, actor: Actor, year: int, data: GoalWrite) -> GoalRead:
    """A new goal of ``year``; Conflict when the year already has a goal with that key."""
    require_editor(actor)
    _check_year(year)
    if repository.by_key(session, year, data.key) is not None:
        raise Conflict(f"{year} 年度已有指标代码为「{data.key}」的目标")
    now = utcnow()
    goal = ZoneGoal(year=year, **data.model_dump(), created_by=actor.id, created_at=now, updated_at=now)
    repository.add(session, goal)
    audit.record(session, actor, "goal.create", "zone_goal", goal.id, after=_snapshot(goal))
    return GoalRead.model_validate(repository.get(session, goal.id))


def update_goal(session: Session, actor: Actor, goal_id: int, data: GoalWrite) -> GoalRead:
    """Change a goal's label, value, unit, direction, kind or note (its key too, when still free)."""
    require_editor(actor)
    goal = _goal(session, goal_id, for_update=True)
    if data.key != goal.key and repository.by_key(session, goal.year, data.key) is not None:
        raise Conflict(f"{goal.year} 年度已有指标代码为「{data.key}」的目标")
    before = _snapshot(goal)
    for name, value in data.model_dump().items():
        setattr(goal, name, value)
    goal.updated_at = utcnow()
    session.flush()
    audit.record(session, actor, "goal.update", "zone_goal", goal.id, before=before, after=_snapshot(goal))
    return GoalRead.model_validate(goal)


def delete_goal(session: Session, actor: Actor, goal_id: int) -> None:
    """Remove a goal and its actuals."""
    require_editor(actor)
    goal = _goal(session, goal_id, for_update=True)
    before = {**_snapshot(goal), "actuals": {a.month: a.value for a in goal.actuals}}
    repository.delete(session, goal)
    audit.record(session, actor, "goal.delete", "zone_goal", goal_id, before=before)


def _write_actual(
    session: Session, actor: Actor, goal: ZoneGoal, month: int, value: float, source: str, note: str | None
) -> GoalActual:
    """Insert or replace the actual of ``goal`` at ``month`` and audit it."""
    existing = repository.actual(session, goal.id, month)
    before = {"month": month, "value": existing.value, "source": existing.source} if existing else None
    if existing is None:
        existing = GoalActual(goal_id=goal.id, month=month, value=value, source=source, note=note)
        existing.entered_by, existing.entered_at = actor.id, utcnow()
        repository.add(session, existing)
    else:
        existing.value, existing.source, existing.note = value, source, note
        existing.entered_by, existing.entered_at = actor.id, utcnow()
        session.flush()
    audit.record(
        session,
        actor,
        "goal.actual",
        "zone_goal",
        goal.id,
        before=before,
        after={"month": month, "value": value, "source": source, "note": note},
    )
    return existing


def record_actual(
    session: Session, actor: Actor, goal_id: int, *, month: int, value: float, note: str | None = None
) -> ActualRead:
    """Enter the year-to-date actual of a goal at the end of ``month`` by hand (replaces one already there)."""
    require_editor(actor)
    _check_month(month)
    if value != value or value in (float("inf"), float("-inf")):
        raise InputError(InputProblem("实际值应为有限数值", column="value"))
    goal = _goal(session, goal_id, for_update=True)
    return ActualRead.model_validate(_write_actual(session, actor, goal, month, float(value), "manual", note))


def delete_actual(session: Session, actor: Actor, goal_id: int, month: int) -> None:
    """Remove the actual of a goal at ``month``."""
    require_editor(actor)
    goal = _goal(session, goal_id, for_update=True)
    existing = repository.actual(session, goal.id, month)
    if existing is None:
        raise NotFound(f"该目标在 {month} 月没有实际值")
    before = {"month": month, "value": existing.value, "source": existing.source}
    repository.delete(session, existing)
    audit.record(session, actor, "goal.actual_delete", "zone_goal", goal.id, before=before)


def investment_completed(session: Session, actor: Actor, year: int, month: int) -> float | None:
    """Year-to-date investment completed (万元) at the end of ``month``, from the projects feature.

    The sum of every project's monthly investment reported for ``year`` up to
    ``month`` (the project library as the project office keeps it); None when
    no project reported that year, so the actual is entered by hand instead.
    """
    data = projects.load(session, actor, year)
    reports = [p for p in data.progress if p.year == year and p.month <= month]
    if not reports:
        return None
    return float(sum(p.investment_month for p in reports))


def compute_actuals(session: Session, actor: Actor, year: int, *, month: int = 12) -> ComputedRead:
    """Write the actuals at ``month`` of every goal of ``year`` whose key has a formula, from the stored figures.

    Goals without a formula are left alone; a formula whose inputs are
    missing (no figures, no previous year for a growth) is reported in
    ``skipped`` and writes nothing (never a 0).
    """
    require_editor(actor)
    _check_year(year)
    _check_month(month)
    goals = [g for g in repository.goals_of_year(session, year) if g.key in FORMULAS]
    frame = enterprises.year_frame(session, year)
    previous = enterprises.year_frame(session, year - 1)
    invest = investment_completed(session, actor, year, month)
    figures = compute_figures(frame, previous=previous if previous.height else None, investment_completed=invest)
    written: list[ActualRead] = []
    skipped: dict[str, str] = {}
    for goal in goals:
        computed = figures.get(goal.key)
        if computed is None or computed.value is None:
            skipped[goal.key] = _why_not_computed(goal.key, frame.height, previous.height)
            continue
        row = _write_actual(session, actor, goal, month, computed.value, f"formula:{goal.key}", None)
        written.append(ActualRead.model_validate(row))
    return ComputedRead(year=year, month=month, written=written, skipped=skipped)


def _why_not_computed(key: str, rows: int, previous_rows: int) -> str:
    if key == "investment_completed":
        return "项目调度中该年度还没有投资进展，请手工填报"
    if rows == 0:
        return "该年度还没有导入企业数据"
    if key == "value_added_growth" and previous_rows == 0:
        return "缺少上一年度的企业数据，无法计算增速"
    return "企业数据中没有计算所需的指标"


def _as_goal(goal: ZoneGoal) -> Goal:
    return Goal(
        key=goal.key,
        label=goal.label,
        value=goal.value,
        unit=goal.unit,
        year=goal.year,
        direction=goal.direction,  # type: ignore[arg-type]
        kind=goal.kind,  # type: ignore[arg-type]
    )


def year_targets(session: Session, actor: Actor, year: int, *, month: int | None = None) -> TargetsRead:
    """Every goal of ``year`` judged against its actual, pro-rated to the period, and those off course.

    With ``month`` every goal is judged at that month (no actual there →
    无数据); without it each goal at its latest reported month.
    """
    require_staff(actor)
    if month is not None:
        _check_month(month)
    rows = repository.goals_of_year(session, year)
    goals = [_as_goal(g) for g in rows]
    actuals = [Actual(g.key, Period(year, a.month), a.value, source=a.source) for g in rows for a in g.actuals]
    judged = assess(goals, actuals, period=Period(year, month) if month is not None else None)
    sources = {(g.key, a.month): a.source for g in rows for a in g.actuals}
    items = [_progress_read(GoalRead.model_validate(g), p, sources) for g, p in zip(rows, judged, strict=True)]
    by_key = {i.goal.key: i for i in items}
    late = [by_key[p.goal.key] for p in off_course(judged, include_at_risk=True)]
    return TargetsRead(year=year, month=month, items=items, off_course=late)


def _progress_read(goal: GoalRead, p: Progress, sources: dict[tuple[str, int], str]) -> ProgressRead:
    return ProgressRead(
        goal=goal,
        month=p.period.month,
        period_label=p.period.label,
        expected=p.expected,
        actual=p.actual,
        actual_source=sources.get((goal.key, p.period.month)) if p.actual is not None else None,
        shortfall=p.shortfall if p.shortfall is None or p.shortfall != float("inf") else None,
        attainment=p.attainment,
        status=p.status,
        status_label=p.status_label,
        computable=goal.key in FORMULAS,
    )
