"""Projects (项目库): reading with lights, importing, milestones and yearly plans — every change audited.

The pure core decides (lists, lights, milestone order); this module loads
the records the actor may see, hands them to the core, and writes changes
with an audit entry (who, when, before, after) in the caller's unit of work.
Monthly progress, difficulties and closed months have their own modules.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from zonehero.clock import utcnow
from zonehero.core.domain.names import name_key
from zonehero.core.schedule.lists import year_lists
from zonehero.core.schedule.model import Difficulty, MilestoneKind, ProgressReport, Project, Stage
from zonehero.core.schedule.stages import StageChange, change_milestone
from zonehero.core.schedule.warnings import Light, ProjectLight, assess_projects, days_late, lateness_light
from zonehero.errors import InputError, InputProblem
from zonehero.features.audit import service as audit
from zonehero.features.projects import access, repository
from zonehero.features.projects.convert import (
    MILESTONE_COLUMNS,
    apply_project,
    row_json,
    to_difficulty,
    to_progress,
    to_project,
)
from zonehero.features.projects.models import ProjectRow, YearPlanRow
from zonehero.features.projects.schemas import ImportSummary, MilestoneRead, ProjectList, ProjectSummary, WarningRead
from zonehero.features.roles import Actor


@dataclass(frozen=True)
class ScheduleData:
    """What an actor may see, as the core's records, with the yearly plans of ``year``."""

    year: int
    rows: dict[str, ProjectRow]
    projects: list[Project]
    progress: list[ProgressReport]
    difficulties: list[Difficulty]

    def lights(self, as_of: date) -> dict[str, ProjectLight]:
        """Each project's light as of ``as_of`` from milestones, investment and missing reports."""
        return assess_projects(self.projects, as_of, self.progress)


def visible_rows(session: Session, actor: Actor) -> Sequence[ProjectRow]:
    """Every project for a zone reader; a unit account's own projects; refuses anyone else."""
    access.require_reader(actor)
    if access.is_unit(actor):
        return repository.projects(session, repository.project_ids_of_unit(session, actor.unit_name or ""))
    return repository.projects(session)


def load(session: Session, actor: Actor, year: int) -> ScheduleData:
    """The records ``actor`` may see, with the yearly plans of ``year``."""
    rows = visible_rows(session, actor)
    by_id = {r.id: r for r in rows}
    ids = None if not access.is_unit(actor) else list(by_id)
    progress = [
        to_progress(p, by_id[p.project_id].code) for p in repository.progress(session, ids) if p.project_id in by_id
    ]
    difficulties = [
        to_difficulty(d, by_id[d.project_id].code)
        for d in repository.difficulties(session, ids)
        if d.project_id in by_id
    ]
    return ScheduleData(
        year=year,
        rows={r.code: r for r in rows},
        projects=[to_project(r, year) for r in rows],
        progress=progress,
        difficulties=difficulties,
    )


def visible_row(session: Session, actor: Actor, code: str) -> ProjectRow:
    """One project the actor may see; NotFound for a project that does not exist or is another unit's."""
    access.require_reader(actor)
    row = repository.project_by_code(session, code)
    if row is None:
        raise access.not_found(code)
    if access.is_unit(actor) and row.id not in repository.project_ids_of_unit(session, actor.unit_name or ""):
        raise access.not_found(code)
    return row


def summary(project: Project, light: ProjectLight) -> ProjectSummary:
    """The list view of one project."""
    stage = project.stage
    return ProjectSummary(
        code=project.code,
        name=project.name,
        investor=project.investor,
        industry_chain=project.industry_chain,
        total_investment=project.total_investment,
        unit=project.unit,
        leader=project.leader,
        added_date=project.added_date,
        counted_in_statistics=project.counted_in_statistics,
        stage=stage.value,
        stage_label=stage.label,
        light=light.light.value,
        reasons=light.reasons,
        year_plan_investment=project.year_plan_investment,
    )


def _matches(s: ProjectSummary, query: str) -> bool:
    key = name_key(query)
    return any(key in name_key(text) for text in (s.code, s.name, s.investor or "") if text)


def list_projects(
    session: Session,
    actor: Actor,
    *,
    as_of: date,
    stage: Stage | None = None,
    chain: str | None = None,
    unit: str | None = None,
    light: Light | None = None,
    query: str | None = None,
) -> ProjectList:
    """The library with filters (stage, industry chain, responsible unit, light) and a search on code/name/investor."""
    data = load(session, actor, as_of.year)
    lights = data.lights(as_of)
    items = [summary(p, lights[p.code]) for p in data.projects]
    if stage is not None:
        items = [s for s in items if s.stage == stage.value]
    if chain:
        items = [s for s in items if s.industry_chain == chain]
    if unit:
        items = [s for s in items if s.unit == unit]
    if light is not None:
        items = [s for s in items if s.light == light.value]
    if query and query.strip():
        items = [s for s in items if _matches(s, query.strip())]
    return ProjectList(items=items, total=len(items), as_of=as_of)


def milestones_of(project: Project, as_of: date) -> list[MilestoneRead]:
    """The three milestones with their lateness as of ``as_of``."""
    return [
        MilestoneRead(
            kind=m.kind.value,
            label=m.kind.label,
            planned=m.planned,
            actual=m.actual,
            days_late=late,
            late_light=lateness_light(late).value if late else None,
        )
        for m in project.milestones()
        for late in [days_late(m.planned, m.actual, as_of)]
    ]


def warnings_of(light: ProjectLight) -> list[WarningRead]:
    return [
        WarningRead(kind=w.kind.value, light=w.light.value, reason=w.reason)
        for w in sorted(light.warnings, key=lambda w: -w.light.severity)
    ]


def schedule_object(session: Session, actor: Actor, year: int, as_of: date) -> dict[str, Any]:
    """The object of ``zonehero projects lists`` (the four lists and ``lights``) from the store."""
    data = load(session, actor, year)
    result = year_lists(data.projects, year, as_of).to_dict()
    result["lights"] = {
        code: pl.light.value for code, pl in assess_projects(data.projects, as_of, data.progress).items()
    }
    return result


def _touch(row: ProjectRow) -> None:
    row.updated_at = utcnow()


def update_milestone(
    session: Session,
    actor: Actor,
    code: str,
    kind: MilestoneKind,
    *,
    planned: date | None,
    actual: date | None,
    reason: str | None = None,
) -> StageChange:
    """Set a milestone's planned and actual dates.

    The actual date goes through the core's :func:`change_milestone`: out of
    order is refused, moving back a stage needs a reason. Audited as
    ``project.milestone`` with the dates and stages before and after.
    """
    access.require_editor(actor)
    row = visible_row(session, actor, code)
    planned_col, actual_col = MILESTONE_COLUMNS[kind]
    project = to_project(row, None)
    changed, record = change_milestone(project, kind, actual, reason=reason, actor=actor.username, at=utcnow())
    before = {
        "planned": _iso(getattr(row, planned_col)),
        "actual": _iso(record.actual_before),
        "stage": record.stage_before.value,
    }
    setattr(row, planned_col, planned)
    setattr(row, actual_col, changed.milestone(kind).actual)
    _touch(row)
    session.flush()
    after = {
        "planned": _iso(planned),
        "actual": _iso(record.actual_after),
        "stage": record.stage_after.value,
        "reason": record.reason,
        "milestone": kind.value,
    }
    audit.record(session, actor, "project.milestone", "project", code, before=before, after=after)
    return record


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def set_year_plan(session: Session, actor: Actor, code: str, year: int, amount: float | None) -> None:
    """Set (or remove, with None) 年度计划投资 of ``year`` (万元); audited as ``project.year_plan``."""
    access.require_editor(actor)
    if amount is not None and amount < 0:
        raise InputError(InputProblem("年度计划投资不能为负数", column="year_plan_investment"))
    row = visible_row(session, actor, code)
    existing = repository.year_plan(session, row.id, year)
    before = existing.plan_investment if existing else None
    if amount is None:
        if existing is not None:
            session.delete(existing)
    elif existing is None:
        repository.add(session, YearPlanRow(project_id=row.id, year=year, plan_investment=amount))
    else:
        existing.plan_investment = amount
    _touch(row)
    session.flush()
    audit.record(
        session,
        actor,
        "project.year_plan",
        "project",
        code,
        before={"year": year, "plan": before},
        after={"year": year, "plan": amount},
    )


def import_projects(
    session: Session, actor: Actor, projects: Sequence[Project], *, year: int, file: str | None = None
) -> ImportSummary:
    """Write projects read by the core's importer: new codes are added, known codes updated.

    ``year_plan_investment`` of each project is stored as the plan of
    ``year``. An update that would move a project back a stage is refused
    (a spreadsheet carries no reason; use the project page). All or nothing:
    every problem is reported together and nothing is written.
    """
    access.require_editor(actor)
    existing = {r.code: r for r in repository.projects(session)}
    problems = []
    for p in projects:
        row = existing.get(p.code)
        if row is None:
            continue
        old = to_project(row, None)
        if p.stage.rank < old.stage.rank:
            problems.append(
                InputProblem(
                    f"项目 {p.code} 将从「{old.stage.label}」退回「{p.stage.label}」，"
                    "导入不能退回阶段，请在项目页面填写原因后修改",
                    file=file,
                    column=f"实际{MilestoneKind(old.stage.value).label}日期",
                )
            )
    if problems:
        raise InputError(problems)
    done = ImportSummary()
    for p in projects:
        row = existing.get(p.code)
        if row is None:
            row = ProjectRow(code=p.code, created_at=utcnow(), updated_at=utcnow())
            apply_project(row, p)
            repository.add(session, row)
            if p.year_plan_investment is not None:
                repository.add(
                    session, YearPlanRow(project_id=row.id, year=year, plan_investment=p.year_plan_investment)
                )
            after = row_json(row) | {"year_plan": {"year": year, "plan": p.year_plan_investment}}
            audit.record(session, actor, "project.create", "project", p.code, after=after)
            done.projects_new += 1
            continue
        before = row_json(row)
        plan = repository.year_plan(session, row.id, year)
        plan_before = plan.plan_investment if plan else None
        apply_project(row, p)
        after = row_json(row)
        plan_changed = p.year_plan_investment is not None and p.year_plan_investment != plan_before
        if plan_changed:
            if plan is None:
                repository.add(
                    session, YearPlanRow(project_id=row.id, year=year, plan_investment=p.year_plan_investment)
                )
            else:
                plan.plan_investment = float(p.year_plan_investment or 0.0)
        if before == after and not plan_changed:
            done.projects_unchanged += 1
            continue
        _touch(row)
        session.flush()
        changed = {k for k in after if before.get(k) != after.get(k)}
        audit.record(
            session,
            actor,
            "project.update",
            "project",
            p.code,
            before={k: before[k] for k in changed}
            | ({"year_plan": {"year": year, "plan": plan_before}} if plan_changed else {}),
            after={k: after[k] for k in changed}
            | ({"year_plan": {"year": year, "plan": p.year_plan_investment}} if plan_changed else {}),
        )
        done.projects_updated += 1
    session.flush()
    return done


SIGNED_CODE_PREFIX = "ZS"
"""Codes of projects made by a 招商 signing: ZS<year>-<number>, numbered per year of signing."""


def next_signed_code(session: Session, signed_on: date) -> str:
    """The next free code of a project signed in ``signed_on``'s year (ZS2025-001, ZS2025-002, …)."""
    prefix = f"{SIGNED_CODE_PREFIX}{signed_on.year}-"
    numbers = [int(c[len(prefix) :]) for c in repository.codes_starting(session, prefix) if c[len(prefix) :].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:03d}"


def create_signed_project(session: Session, actor: Actor, project: Project, *, source: str) -> str:
    """Put a signed project into the library (签约一批 from then on) and return its code.

    ``project.code`` empty takes :func:`next_signed_code`; the row is written as an import's new project is, with
    its ``project.create`` audit entry (``source`` names where it came from, e.g. 「招商线索 #12」). The caller's
    unit of work holds the rest of the signing, so both land or neither.
    """
    access.require_signer(actor)
    signed_on = project.signing.actual or project.added_date or utcnow().date()
    code = project.code or next_signed_code(session, signed_on)
    if repository.project_by_code(session, code) is not None:
        raise InputError(InputProblem(f"项目编号「{code}」已存在", column="project_code"))
    row = ProjectRow(code=code, created_at=utcnow(), updated_at=utcnow())
    apply_project(row, replace(project, code=code))
    repository.add(session, row)
    audit.record(session, actor, "project.create", "project", code, after=row_json(row) | {"source": source})
    return code


def set_signed_investment(session: Session, actor: Actor, code: str, total_investment: float, *, source: str) -> None:
    """A 增资 signed for a project already in the library: its total investment becomes ``total_investment``.

    Audited as ``project.update`` with the amounts before and after and ``source``.
    """
    access.require_signer(actor)
    row = repository.project_by_code(session, code)
    if row is None:
        raise access.not_found(code)
    before = row.total_investment
    if before == total_investment:
        return
    row.total_investment = total_investment
    _touch(row)
    session.flush()
    audit.record(
        session,
        actor,
        "project.update",
        "project",
        code,
        before={"total_investment": before},
        after={"total_investment": total_investment, "source": source},
    )


def known_codes(session: Session) -> set[str]:
    """Every project code in the store (for checking a progress spreadsheet)."""
    return {r.code for r in repository.projects(session)}


def actual_dates(session: Session, codes: Sequence[str]) -> dict[str, tuple[date | None, date | None]]:
    """The actual 开工 and 投产 dates of the library's projects ``codes``: what the 招商 figures' 开工率 and 投产率
    read for signed leads, so the 签约一批 list and the figures agree on when a project started."""
    wanted = set(codes)
    if not wanted:
        return {}
    return {
        r.code: (r.actual_start_date, r.actual_production_date)
        for r in repository.projects(session)
        if r.code in wanted
    }
