"""Difficulties (问题清单): raised by the project office, updated by it or by the owner unit; every change audited.

The board groups them by owner unit with the core's escalation (督办) and
closure rates as of a date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from zonehero.clock import utcnow
from zonehero.core.schedule.difficulties import ClosureStats, closure_by_unit, escalate
from zonehero.core.schedule.model import Difficulty, DifficultyCategory, DifficultyStatus, Project
from zonehero.errors import InputError, InputProblem, NotFound, PermissionDenied
from zonehero.features.audit import service as audit
from zonehero.features.projects import access, repository
from zonehero.features.projects.convert import difficulty_json, to_difficulty, to_project
from zonehero.features.projects.models import DifficultyRow
from zonehero.features.projects.schemas import DifficultyRead
from zonehero.features.projects.service import load, visible_row
from zonehero.features.roles import Actor


def difficulty_read(d: Difficulty, project: Project | None, as_of: date, actor: Actor) -> DifficultyRead:
    """A difficulty with its escalation as of ``as_of`` and whether ``actor`` may update it."""
    e = escalate(d, as_of, project)
    return DifficultyRead(
        id=int(d.id),
        project_code=d.project_code,
        project_name=project.name if project else d.project_code,
        description=d.description,
        category=d.category.value,
        category_label=d.category.label,
        raised_on=d.raised_on,
        owner_unit=d.owner_unit,
        deadline=d.deadline,
        status=d.status.value,
        status_label=d.status.label,
        resolution=d.resolution,
        resolved_on=d.resolved_on,
        days_overdue=e.days_overdue,
        level=e.level.name.lower() if e.level is not None else None,
        level_label=e.level.label if e.level is not None else None,
        escalated_to=e.escalated_to,
        can_update=access.can_update_difficulty(actor, d.owner_unit),
    )


def _check_text(description: str, owner_unit: str, raised_on: date, deadline: date) -> None:
    problems = []
    if not description.strip():
        problems.append(InputProblem("请填写问题描述", column="description"))
    if not owner_unit.strip():
        problems.append(InputProblem("请填写责任单位", column="owner_unit"))
    elif len(owner_unit.strip()) > 64:
        problems.append(InputProblem("责任单位名称不能超过 64 个字符", column="owner_unit"))
    if deadline < raised_on:
        problems.append(InputProblem("办结时限不能早于提出日期", column="deadline"))
    if problems:
        raise InputError(problems)


def add_difficulty(
    session: Session,
    actor: Actor,
    code: str,
    *,
    description: str,
    category: DifficultyCategory,
    raised_on: date,
    owner_unit: str,
    deadline: date,
) -> int:
    """Raise a difficulty of a project (交办); returns its id. Audited as ``difficulty.create``."""
    access.require_editor(actor)
    project = visible_row(session, actor, code)
    _check_text(description, owner_unit, raised_on, deadline)
    row = DifficultyRow(
        project_id=project.id,
        description=description.strip(),
        category=category.value,
        raised_on=raised_on,
        owner_unit=owner_unit.strip(),
        deadline=deadline,
        status=DifficultyStatus.OPEN.value,
        updated_at=utcnow(),
    )
    repository.add(session, row)
    audit.record(
        session, actor, "difficulty.create", "difficulty", row.id, after=difficulty_json(to_difficulty(row, code))
    )
    return row.id


def update_difficulty(
    session: Session,
    actor: Actor,
    difficulty_id: int,
    *,
    status: DifficultyStatus,
    resolution: str | None,
    resolved_on: date | None,
) -> str:
    """Move a difficulty on (办理中, 已办结 with resolution and date); returns its project's code.

    The owner unit's account may update only the difficulties it owns; a
    difficulty of a project it may not see is not found. Audited as
    ``difficulty.update`` with before and after.
    """
    access.require_reader(actor)
    row = repository.difficulty(session, difficulty_id)
    if row is None:
        raise NotFound("问题不存在")
    project = next((r for r in repository.projects(session, [row.project_id])), None)
    if project is None:
        raise NotFound("问题不存在")
    visible_row(session, actor, project.code)
    if not access.can_update_difficulty(actor, row.owner_unit):
        raise PermissionDenied("只有项目办或该问题的责任单位可以更新办理情况")
    problems = []
    resolution = resolution.strip() if resolution else None
    if status is DifficultyStatus.RESOLVED:
        if not resolution:
            problems.append(InputProblem("办结须填写办理结果", column="resolution"))
        if resolved_on is None:
            problems.append(InputProblem("办结须填写办结日期", column="resolved_on"))
        elif resolved_on < row.raised_on:
            problems.append(InputProblem("办结日期不能早于提出日期", column="resolved_on"))
    if problems:
        raise InputError(problems)
    before = difficulty_json(to_difficulty(row, project.code))
    row.status = status.value
    row.resolution = resolution
    row.resolved_on = resolved_on if status is DifficultyStatus.RESOLVED else None
    row.updated_at = utcnow()
    session.flush()
    after = difficulty_json(to_difficulty(row, project.code))
    audit.record(session, actor, "difficulty.update", "difficulty", row.id, before=before, after=after)
    return project.code


@dataclass(frozen=True)
class UnitBoard:
    """One owner unit's difficulties as of a date: open ones first (most overdue first), and its closure figures."""

    owner_unit: str
    items: list[DifficultyRead]
    stats: ClosureStats
    overdue: int
    top_level_label: str | None
    """The highest 督办 level in Chinese (责任单位 / 包挂领导 / 管委会主任), None when nothing is overdue."""


def difficulty_board(
    session: Session, actor: Actor, as_of: date, *, start: date | None = None, owner_unit: str | None = None
) -> list[UnitBoard]:
    """Difficulties by owner unit (a unit account sees those of its projects); closure from ``start`` (1 Jan)."""
    data = load(session, actor, as_of.year)
    projects = {p.code: p for p in data.projects}
    start = start or date(as_of.year, 1, 1)
    raised = [d for d in data.difficulties if d.raised_on <= as_of]
    if owner_unit:
        raised = [d for d in raised if d.owner_unit == owner_unit]
    stats = closure_by_unit(raised, start, as_of)
    boards = []
    for unit, unit_stats in stats.items():
        items = [difficulty_read(d, projects.get(d.project_code), as_of, actor) for d in raised if d.owner_unit == unit]
        items.sort(key=lambda r: (r.status == "resolved", -r.days_overdue, r.deadline, r.id))
        order = ["owner_unit", "leader", "director"]
        top = max((r for r in items if r.level is not None), key=lambda r: order.index(r.level or ""), default=None)
        boards.append(
            UnitBoard(
                owner_unit=unit,
                items=items,
                stats=unit_stats,
                overdue=sum(1 for r in items if r.days_overdue > 0),
                top_level_label=top.level_label if top is not None else None,
            )
        )
    boards.sort(key=lambda b: (-b.overdue, b.owner_unit))
    return boards


def difficulties_of(session: Session, actor: Actor, code: str, as_of: date) -> list[DifficultyRead]:
    """A project's difficulties, newest first, with escalation as of ``as_of``."""
    row = visible_row(session, actor, code)
    project = to_project(row, as_of.year)
    rows = repository.difficulties(session, [row.id])
    out = [difficulty_read(to_difficulty(d, code), project, as_of, actor) for d in rows]
    return sorted(out, key=lambda d: (d.raised_on, d.id), reverse=True)


def overdue_difficulties(session: Session, actor: Actor, as_of: date) -> list[DifficultyRead]:
    """Difficulties overdue on ``as_of`` with their 督办 (the core's rule), most overdue first: every one for a
    zone reader, the ones it owns for a unit account."""
    access.require_reader(actor)
    owner = (actor.unit_name or "") if access.is_unit(actor) else None
    rows = repository.overdue_candidates(session, as_of, owner)
    projects = {p.id: p for p in repository.projects(session, {r.project_id for r in rows})} if rows else {}
    out = []
    for r in rows:
        row = projects.get(r.project_id)
        if row is None:
            continue
        read = difficulty_read(to_difficulty(r, row.code), to_project(row, as_of.year), as_of, actor)
        if read.days_overdue > 0:
            out.append(read)
    return sorted(out, key=lambda d: (-d.days_overdue, d.id))
