"""The 低效用地 register (低效用地台账) and the D-class plans (一企一方案): built from a run, changed by the analyst
and the responsible units, every change audited.

Who may do what (one place, :func:`permissions_of`):

* the analyst (and the operator's CLI) builds the register, adds measures and plans and updates any of them;
* the leader and the project office read everything;
* a ``unit`` account reads the cases that have a measure of its unit and the plans it is responsible for, and
  updates those measures and plans;
* an enterprise account reads its own plan only; the three administrators nothing.

A case's status is derived from its measures (none or all 待办 → 待办, all 已完成 → 已完成, else 办理中); a measure
or a plan past its deadline escalates by the projects' rule (:mod:`zonehero.core.schedule.difficulties`), read
through :func:`escalation` so the rule is not copied. The parcel rules (闲置, 批而未用) read parcels through the
``parcels`` argument of :func:`build_register`: empty until the parcels are in the store, when the caller passes
a function that lists a year's parcels.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy.orm import Session

from zonehero.clock import today, utcnow
from zonehero.core.evaluation.scheme import parse_scheme
from zonehero.core.land.inefficient import (
    REASON_LABELS,
    EnterpriseFact,
    Outcome,
    Reason,
    benchmark_by_group,
    find_cases,
    plan_outcome,
)
from zonehero.core.land.model import Parcel
from zonehero.core.schedule.difficulties import escalate
from zonehero.core.schedule.model import Difficulty, DifficultyCategory, DifficultyStatus
from zonehero.errors import Conflict, InputError, InputProblem, NotFound, PermissionDenied
from zonehero.features.audit import service as audit
from zonehero.features.land import service as land
from zonehero.features.lowland import repository
from zonehero.features.lowland.models import MEASURE_KINDS, WORK_STATUSES, LowlandCase, LowlandMeasure, LowlandPlan
from zonehero.features.lowland.schemas import (
    CaseRead,
    Escalated,
    MeasureRead,
    PlanList,
    PlanRead,
    RegisterBuilt,
    RegisterRead,
)
from zonehero.features.roles import Actor, Role
from zonehero.features.runs import service as runs
from zonehero.features.runs.schemas import RunRead

ParcelSource = Callable[[int], Sequence[Parcel]]
"""A year → the zone's parcels that year (宗地); the parcel rules read nothing else."""


def no_parcels(_year: int) -> Sequence[Parcel]:
    """No parcels: only the enterprise rules mark cases (a zone that keeps no parcel register)."""
    return ()


def stored_parcels(session: Session) -> ParcelSource:
    """The parcels of the store's register (宗地与租赁登记, :mod:`zonehero.features.land`): the register is the
    zone's current one, so every year reads the same parcels."""
    return lambda _year: land.stored_records(session)[0]


MEASURE_LABELS: dict[str, str] = {
    "upgrade": "提升改造",
    "merger": "兼并重组",
    "takeback": "腾退收储",
    "redevelop": "二次开发",
}
STATUS_LABELS: dict[str, str] = {"open": "待办", "in_progress": "办理中", "done": "已完成"}
PAGE_SIZE = 50
DIRECTOR = "管委会主任"
NOT_FOUND = "低效用地案例不存在"
PLAN_NOT_FOUND = "一企一方案不存在"

_EDITORS = frozenset({Role.ANALYST, Role.OPERATOR})
_ZONE_READERS = frozenset({Role.ANALYST, Role.LEADER, Role.PROJECT_OFFICE, Role.OPERATOR})
REGISTER_READERS: frozenset[Role] = _ZONE_READERS | {Role.UNIT}
"""The roles that open the register (the navigation shows 低效用地 to them)."""


@dataclass(frozen=True)
class LowlandPermissions:
    """What an account may do with the register and the plans; pages only read it."""

    read_register: bool
    """Open the register (a unit account: its own cases)."""
    read_plans: bool
    """Open the plans (a unit account its own, an enterprise its own)."""
    edit: bool


def permissions_of(actor: Actor | None) -> LowlandPermissions:
    """The account's permissions here (nothing for nobody or an administrator)."""
    role = actor.role if actor is not None else None
    register = role in REGISTER_READERS
    return LowlandPermissions(
        read_register=register, read_plans=register or role == Role.ENTERPRISE, edit=role in _EDITORS
    )


def _require_editor(actor: Actor) -> None:
    if not permissions_of(actor).edit:
        raise PermissionDenied("没有权限修改低效用地台账（需要分析员角色）")


def _require_register(actor: Actor) -> None:
    if actor.role == Role.ENTERPRISE:
        raise NotFound("页面不存在")
    if not permissions_of(actor).read_register:
        raise PermissionDenied("没有权限查看低效用地台账")


def _unit_of(actor: Actor) -> str | None:
    """The unit a unit account is limited to; None for a zone reader."""
    return (actor.unit_name or "") if actor.role == Role.UNIT else None


def _may_update(actor: Actor, owner_unit: str) -> bool:
    return permissions_of(actor).edit or (actor.role == Role.UNIT and actor.unit_name == owner_unit)


# --- escalation: the projects' rule, read through a difficulty ---------------------------------------------------

_AS_DIFFICULTY = {
    "open": DifficultyStatus.OPEN,
    "in_progress": DifficultyStatus.IN_PROGRESS,
    "done": DifficultyStatus.RESOLVED,
}


def escalation(
    *,
    key: str,
    description: str,
    owner_unit: str,
    raised_on: date,
    deadline: date,
    status: str,
    done_on: date | None,
    as_of: date,
) -> Escalated:
    """Overdue days and 督办 level of a measure or a plan as of ``as_of``: the core's escalation of difficulties
    (owner unit 1-30 days, 包挂领导 31-60, the zone's director 61+), applied to the same dates and status."""
    d = Difficulty(
        id=key,
        project_code=key,
        description=description,
        category=DifficultyCategory.OTHER,
        raised_on=raised_on,
        owner_unit=owner_unit,
        deadline=deadline,
        status=_AS_DIFFICULTY[status],
        resolved_on=done_on,
    )
    e = escalate(d, as_of, None, DIRECTOR)
    return Escalated(
        days_overdue=e.days_overdue,
        level=e.level.name.lower() if e.level is not None else None,
        level_label=e.level.label if e.level is not None else None,
        escalated_to=e.escalated_to,
    )


def _escalation_of(row: LowlandMeasure | LowlandPlan, as_of: date) -> Escalated:
    """:func:`escalation` of a stored measure (keyed M<id>, by its description) or plan (P<id>, by its problem)."""
    key, description = (
        (f"M{row.id}", row.description) if isinstance(row, LowlandMeasure) else (f"P{row.id}", row.problem)
    )
    return escalation(
        key=key,
        description=description,
        owner_unit=row.owner_unit,
        raised_on=row.raised_on,
        deadline=row.deadline,
        status=row.status,
        done_on=row.done_on,
        as_of=as_of,
    )


def _measure_read(m: LowlandMeasure, actor: Actor, as_of: date) -> MeasureRead:
    e = _escalation_of(m, as_of)
    return MeasureRead(
        **e.model_dump(),
        id=m.id,
        case_id=m.case_id,
        kind=m.kind,
        kind_label=MEASURE_LABELS[m.kind],
        description=m.description,
        owner_unit=m.owner_unit,
        raised_on=m.raised_on,
        deadline=m.deadline,
        status=m.status,
        status_label=STATUS_LABELS[m.status],
        resolution=m.resolution,
        done_on=m.done_on,
        can_update=_may_update(actor, m.owner_unit) and m.status != "done",
    )


def case_status(statuses: Sequence[str]) -> str:
    """A case's status from its measures': none or all 待办 → open, all 已完成 → done, else in progress."""
    if not statuses or all(s == "open" for s in statuses):
        return "open"
    if all(s == "done" for s in statuses):
        return "done"
    return "in_progress"


def _case_read(c: LowlandCase, actor: Actor, as_of: date, *, with_measures: bool = False) -> CaseRead:
    measures = [_measure_read(m, actor, as_of) for m in sorted(c.measures, key=lambda m: (m.deadline, m.id))]
    worst = max(measures, key=lambda m: m.days_overdue, default=None)
    status = case_status([m.status for m in measures])
    reasons = [str(r) for r in (c.reasons or [])]
    share = c.tax_per_mu / c.benchmark if c.tax_per_mu is not None and c.benchmark else None
    return CaseRead(
        **(worst.model_dump(include=set(Escalated.model_fields)) if worst and worst.days_overdue else {}),
        id=c.id,
        year=c.year,
        run_id=c.run_id,
        uscc=c.uscc,
        name=c.name,
        group=c.group,
        class_=c.class_,
        reasons=reasons,
        reason_labels=[REASON_LABELS[Reason(r)] for r in reasons],
        parcels=[str(p) for p in (c.parcels or [])],
        land_mu=c.land_mu,
        tax=c.tax,
        tax_per_mu=c.tax_per_mu,
        benchmark=c.benchmark,
        share_of_benchmark=share,
        potential=c.potential,
        status=status,
        status_label=STATUS_LABELS[status],
        measure_count=len(measures),
        measures=measures if with_measures else [],
    )


# --- building the register ---------------------------------------------------------------------------------------


def _number(value: Any) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        return float(value)
    return None


def _facts(session: Session, actor: Actor, run_id: int, benchmarks: dict[str, float]) -> list[EnterpriseFact]:
    """Each enterprise of the run: class and 亩均税收 from its result, land and tax from the inputs it kept."""
    frame, _history = runs.inputs_of(session, actor, run_id)
    cols = [c for c in ("uscc", "land_area_mu", "tax") if c in frame.columns]
    inputs = {r["uscc"]: r for r in frame.select(cols).to_dicts()}
    facts = []
    for r in runs.list_results(session, actor, run_id, limit=None, order="uscc").items:
        given = inputs.get(r.uscc, {})
        indicator = ((r.record.get("indicators") or {}).get("tax_per_mu") or {}) if r.record else {}
        facts.append(
            EnterpriseFact(
                uscc=r.uscc,
                name=r.name,
                group=r.group,
                class_=r.class_,
                status=r.status,
                land_mu=_number(given.get("land_area_mu")),
                tax=_number(given.get("tax")),
                tax_per_mu=_number(indicator.get("value")),
                benchmark=benchmarks.get(r.group or ""),
            )
        )
    return facts


def _check_work(owner_unit: str, raised_on: date, deadline: date, text: str, text_column: str) -> None:
    problems = []
    if not text.strip():
        problems.append(InputProblem("请填写内容", column=text_column))
    if not owner_unit.strip():
        problems.append(InputProblem("请填写责任单位", column="owner_unit"))
    elif len(owner_unit.strip()) > 64:
        problems.append(InputProblem("责任单位名称不能超过 64 个字符", column="owner_unit"))
    if deadline < raised_on:
        problems.append(InputProblem("完成时限不能早于提出日期", column="deadline"))
    if problems:
        raise InputError(problems)


def default_plan_deadline(year: int) -> date:
    """A plan's default deadline: 31 December of the year after ``year`` (the year whose result shows whether it
    worked), or a year from today when that day has passed."""
    day = today()
    end = date(year + 1, 12, 31)
    return end if end >= day else day + timedelta(days=365)


def _plan_problem(fact: EnterpriseFact) -> str:
    figure = f"亩均税收 {fact.tax_per_mu:.2f} 万元/亩" if fact.tax_per_mu is not None else "亩均税收无数据"
    bench = f"，区域基准 {fact.benchmark:.2f} 万元/亩" if fact.benchmark is not None else ""
    return f"综合评价为 D 类，{figure}{bench}"


def build_register(
    session: Session,
    actor: Actor,
    run_id: int,
    *,
    owner_unit: str,
    deadline: date | None = None,
    parcels: ParcelSource | None = None,
) -> RegisterBuilt:
    """The year's register from a run in 公示 or final, by the rules of the run's scheme; every D-class enterprise
    gets a plan (一企一方案) with ``owner_unit`` and ``deadline`` (default :func:`default_plan_deadline`).

    Built again (say from the final run after the 公示 one), a case already on the register keeps its measures and
    takes the new figures; a case no rule marks any more is removed if it has no measure, kept otherwise; an
    existing plan is left as it is. ``parcels``: where the parcel rules (闲置, 批而未用) read parcels, by default the
    store's register. Audited as ``lowland.build``.
    """
    _require_editor(actor)
    run = runs.get_run(session, actor, run_id)
    if run.status not in ("notice", "final"):
        raise Conflict("低效用地台账只能从公示中或已定稿的评价批次生成")
    day = today()
    due = deadline or default_plan_deadline(run.year)
    _check_work(owner_unit, day, due, "一企一方案", "owner_unit")
    scheme = parse_scheme(runs.scheme_text_of(session, actor, run_id), source=f"评价批次 #{run_id} 所用方案")
    benchmarks = benchmark_by_group(run.benchmarks)
    facts = _facts(session, actor, run_id, benchmarks)
    source = parcels if parcels is not None else stored_parcels(session)
    found = find_cases(
        facts, source(run.year), scheme.inefficient_rules, run.year, default_benchmark=benchmarks.get("above")
    )
    existing = {c.uscc: c for c in repository.cases(session, run.year)}
    added = 0
    for case in found:
        row = existing.pop(case.uscc, None)
        if row is None:
            row = LowlandCase(year=run.year, uscc=case.uscc, created_by=actor.username)
            session.add(row)
            added += 1
        row.run_id = run_id
        row.name = case.name
        row.group = case.group
        row.class_ = case.class_
        row.reasons = [str(r) for r in case.reasons]
        row.parcels = list(case.parcels)
        row.land_mu = case.land_mu
        row.tax = case.tax
        row.tax_per_mu = case.tax_per_mu
        row.benchmark = case.benchmark
        row.potential = case.potential
    for stale in existing.values():
        if not stale.measures:
            session.delete(stale)
    planned = repository.plan_usccs(session, run.year)
    plans_added = 0
    for fact in facts:
        if fact.class_ != "D" or fact.uscc in planned:
            continue
        session.add(_new_plan(run.year, run_id, fact, _plan_problem(fact), "", owner_unit.strip(), day, due, actor))
        plans_added += 1
    session.flush()
    total = sum(c.potential for c in found)
    built = RegisterBuilt(
        year=run.year, run_id=run_id, cases=len(found), added=added, plans_added=plans_added, total_potential=total
    )
    audit.record(
        session,
        actor,
        "lowland.build",
        "lowland_register",
        run.year,
        after={"run_id": run_id, "cases": len(found), "plans": plans_added, "total_potential": round(total, 2)},
    )
    return built


def _new_plan(
    year: int,
    run_id: int,
    fact: EnterpriseFact,
    problem: str,
    measures: str,
    owner_unit: str,
    raised_on: date,
    deadline: date,
    actor: Actor,
) -> LowlandPlan:
    return LowlandPlan(
        year=year,
        run_id=run_id,
        uscc=fact.uscc,
        name=fact.name,
        class_=fact.class_,
        tax_per_mu=fact.tax_per_mu,
        problem=problem,
        measures=measures,
        owner_unit=owner_unit,
        raised_on=raised_on,
        deadline=deadline,
        status="open",
        created_by=actor.username,
    )


def _measure_json(m: LowlandMeasure) -> dict[str, Any]:
    return {
        "id": m.id,
        "case_id": m.case_id,
        "kind": m.kind,
        "description": m.description,
        "owner_unit": m.owner_unit,
        "raised_on": m.raised_on.isoformat(),
        "deadline": m.deadline.isoformat(),
        "status": m.status,
        "resolution": m.resolution,
        "done_on": m.done_on.isoformat() if m.done_on else None,
    }


def _plan_json(p: LowlandPlan) -> dict[str, Any]:
    return {
        "id": p.id,
        "uscc": p.uscc,
        "problem": p.problem,
        "measures": p.measures,
        "owner_unit": p.owner_unit,
        "raised_on": p.raised_on.isoformat(),
        "deadline": p.deadline.isoformat(),
        "status": p.status,
        "resolution": p.resolution,
        "done_on": p.done_on.isoformat() if p.done_on else None,
    }


# --- measures ----------------------------------------------------------------------------------------------------


def add_measure(
    session: Session,
    actor: Actor,
    case_id: int,
    *,
    kind: str,
    description: str,
    owner_unit: str,
    deadline: date,
    raised_on: date | None = None,
) -> int:
    """A measure of a case (提升改造、兼并重组、腾退收储、二次开发); returns its id. Audited."""
    _require_editor(actor)
    case = repository.case(session, case_id)
    if case is None:
        raise NotFound(NOT_FOUND)
    if kind not in MEASURE_KINDS:
        raise InputError([InputProblem(f"未知的措施类型「{kind}」", column="kind")])
    day = raised_on or today()
    _check_work(owner_unit, day, deadline, description, "description")
    row = LowlandMeasure(
        case_id=case.id,
        kind=kind,
        description=description.strip(),
        owner_unit=owner_unit.strip(),
        raised_on=day,
        deadline=deadline,
        status="open",
    )
    session.add(row)
    session.flush()
    audit.record(session, actor, "lowland_measure.create", "lowland_measure", row.id, after=_measure_json(row))
    return row.id


def _check_status(status: str, done_on: date | None) -> None:
    if status not in WORK_STATUSES:
        raise InputError([InputProblem(f"未知的办理状态「{status}」", column="status")])


def update_measure(
    session: Session, actor: Actor, measure_id: int, *, status: str, resolution: str = "", done_on: date | None = None
) -> int:
    """Move a measure on (办理中, 已完成 with what was done and when); returns its case's id.

    The analyst updates any measure, a unit account those of its unit; a unit's measure of another unit is not
    found. Audited with before and after.
    """
    _require_register(actor)
    row = repository.measure(session, measure_id)
    if row is None:
        raise NotFound("处置措施不存在")
    unit = _unit_of(actor)
    if unit is not None and row.owner_unit != unit:
        raise NotFound("处置措施不存在")
    if not _may_update(actor, row.owner_unit):
        raise PermissionDenied("没有权限更新此措施")
    _check_status(status, done_on)
    before = _measure_json(row)
    row.status = status
    row.resolution = resolution.strip() or row.resolution
    row.done_on = (done_on or today()) if status == "done" else None
    row.updated_at = utcnow()
    session.flush()
    audit.record(
        session, actor, "lowland_measure.update", "lowland_measure", row.id, before=before, after=_measure_json(row)
    )
    return row.case_id


# --- plans -------------------------------------------------------------------------------------------------------


def add_plan(
    session: Session,
    actor: Actor,
    run_id: int,
    uscc: str,
    *,
    problem: str,
    measures: str,
    owner_unit: str,
    deadline: date,
) -> int:
    """一企一方案 for a D-class enterprise of a run in 公示 or final, on its own; returns its id. Audited."""
    _require_editor(actor)
    run = runs.get_run(session, actor, run_id)
    if run.status not in ("notice", "final"):
        raise Conflict("一企一方案只能依据公示中或已定稿的评价批次制定")
    result = runs.get_result(session, actor, run_id, uscc)
    if result.class_ != "D":
        raise Conflict("只有 D 类企业需要制定一企一方案")
    if uscc in repository.plan_usccs(session, run.year):
        raise Conflict(f"该企业 {run.year} 年度已有一企一方案")
    day = today()
    _check_work(owner_unit, day, deadline, problem, "problem")
    indicator = ((result.record.get("indicators") or {}).get("tax_per_mu") or {}) if result.record else {}
    fact = EnterpriseFact(uscc=uscc, name=result.name, class_="D", tax_per_mu=_number(indicator.get("value")))
    row = _new_plan(run.year, run_id, fact, problem.strip(), measures.strip(), owner_unit.strip(), day, deadline, actor)
    session.add(row)
    session.flush()
    audit.record(session, actor, "lowland_plan.create", "lowland_plan", row.id, after=_plan_json(row))
    return row.id


def update_plan(
    session: Session,
    actor: Actor,
    plan_id: int,
    *,
    status: str,
    resolution: str = "",
    done_on: date | None = None,
    measures: str | None = None,
) -> int:
    """Move a plan on (and, for the analyst, rewrite its measures); the analyst or the plan's unit. Audited."""
    _require_register(actor)
    row = repository.plan(session, plan_id)
    if row is None:
        raise NotFound(PLAN_NOT_FOUND)
    unit = _unit_of(actor)
    if unit is not None and row.owner_unit != unit:
        raise NotFound(PLAN_NOT_FOUND)
    if not _may_update(actor, row.owner_unit):
        raise PermissionDenied("没有权限更新此方案")
    _check_status(status, done_on)
    before = _plan_json(row)
    row.status = status
    row.resolution = resolution.strip() or row.resolution
    row.done_on = (done_on or today()) if status == "done" else None
    if measures is not None and measures.strip() and permissions_of(actor).edit:
        row.measures = measures.strip()
    row.updated_at = utcnow()
    session.flush()
    audit.record(session, actor, "lowland_plan.update", "lowland_plan", row.id, before=before, after=_plan_json(row))
    return row.year


# --- reading -----------------------------------------------------------------------------------------------------


def years(session: Session, actor: Actor) -> list[int]:
    """Years that have a register or plans, newest first."""
    if not permissions_of(actor).read_plans:
        raise PermissionDenied("没有权限查看低效用地台账")
    return repository.years(session)


def register(
    session: Session,
    actor: Actor,
    year: int,
    *,
    as_of: date | None = None,
    reason: str | None = None,
    status: str | None = None,
    page: int = 1,
    page_size: int = PAGE_SIZE,
) -> RegisterRead:
    """A year's register: counts and the total potential over every case the account may see, then a page of the
    cases filtered by reason and status, overdue first (most overdue first), then by potential."""
    _require_register(actor)
    day = as_of or today()
    keys = repository.case_keys(session, year, unit=_unit_of(actor))
    measures: dict[int, list[LowlandMeasure]] = {}
    for m in repository.measures_of_year(session, year):
        measures.setdefault(m.case_id, []).append(m)
    # Status and lateness of every case from its measures (a few per case, few cases have any); the full read
    # only for the page shown, so a view costs one narrow row per case whatever the register's size.
    state: dict[int, tuple[str, int]] = {}
    for k in keys:
        own = measures.get(k.id, [])
        late = max((_measure_read(m, actor, day).days_overdue for m in own), default=0)
        state[k.id] = (case_status([m.status for m in own]), late)
    by_reason = {str(r): sum(1 for k in keys if str(r) in (k.reasons or [])) for r in Reason}
    by_status = {s: sum(1 for k in keys if state[k.id][0] == s) for s in WORK_STATUSES}
    chosen = [
        k for k in keys if (not reason or reason in (k.reasons or [])) and (not status or state[k.id][0] == status)
    ]
    chosen.sort(key=lambda k: (-state[k.id][1], -k.potential, k.uscc))
    size = max(1, min(page_size, 200))
    pages = max(1, math.ceil(len(chosen) / size))
    page = max(1, min(page, pages))
    shown = [k.id for k in chosen[(page - 1) * size : page * size]]
    rows = repository.cases_by_id(session, shown)
    return RegisterRead(
        year=year,
        as_of=day,
        run_id=keys[0].run_id if keys else None,
        cases=len(keys),
        total_potential=sum(k.potential for k in keys),
        land_mu=sum(k.land_mu for k in keys),
        overdue=sum(1 for k in keys if state[k.id][1] > 0),
        by_reason=by_reason,
        by_status=by_status,
        items=[_case_read(rows[i], actor, day) for i in shown],
        total=len(chosen),
        page=page,
        pages=pages,
        can_edit=permissions_of(actor).edit,
    )


def get_case(session: Session, actor: Actor, case_id: int, *, as_of: date | None = None) -> CaseRead:
    """One case with its measures; a unit account sees only the cases with a measure of its unit."""
    _require_register(actor)
    row = repository.case(session, case_id)
    unit = _unit_of(actor)
    if row is None or (unit is not None and all(m.owner_unit != unit for m in row.measures)):
        raise NotFound(NOT_FOUND)
    return _case_read(row, actor, as_of or today(), with_measures=True)


def _outcomes(
    session: Session, actor: Actor, year: int, usccs: Sequence[str]
) -> dict[str, tuple[str | None, float | None]]:
    """Each enterprise's class and 亩均税收 in the newest final run of ``year`` (absent: no result there)."""
    final = next((r for r in runs.list_runs(session, actor, year=year) if r.status == "final"), None)
    if final is None:
        return {}
    out: dict[str, tuple[str | None, float | None]] = {}
    for uscc in usccs:
        try:
            result = runs.get_result(session, actor, final.id, uscc)
        except NotFound:
            continue
        indicator = ((result.record.get("indicators") or {}).get("tax_per_mu") or {}) if result.record else {}
        out[uscc] = (result.class_, _number(indicator.get("value")))
    return out


def plans(session: Session, actor: Actor, year: int, *, as_of: date | None = None) -> PlanList:
    """A year's plans, overdue first, each with whether it worked (the next year's final run); a unit account its
    own, an enterprise account its own plan only."""
    perms = permissions_of(actor)
    if not perms.read_plans:
        raise PermissionDenied("没有权限查看一企一方案")
    day = as_of or today()
    uscc = (actor.enterprise_uscc or "") if actor.role == Role.ENTERPRISE else None
    rows = repository.plans(session, year, unit=_unit_of(actor), uscc=uscc)
    after = _outcomes(session, actor, year + 1, [p.uscc for p in rows]) if rows else {}
    items = []
    for p in rows:
        e = _escalation_of(p, day)
        next_class, next_tax = after.get(p.uscc, (None, None))
        outcome = plan_outcome(p.class_, next_class, has_next=p.uscc in after)
        items.append(
            PlanRead(
                **e.model_dump(),
                id=p.id,
                year=p.year,
                run_id=p.run_id,
                uscc=p.uscc,
                name=p.name,
                class_=p.class_,
                tax_per_mu=p.tax_per_mu,
                problem=p.problem,
                measures=p.measures,
                owner_unit=p.owner_unit,
                raised_on=p.raised_on,
                deadline=p.deadline,
                status=p.status,
                status_label=STATUS_LABELS[p.status],
                resolution=p.resolution,
                done_on=p.done_on,
                next_class=next_class,
                next_tax_per_mu=next_tax,
                outcome=outcome.value,
                outcome_label=outcome.label,
                can_update=_may_update(actor, p.owner_unit) and actor.role != Role.ENTERPRISE and p.status != "done",
            )
        )
    items.sort(key=lambda p: (-p.days_overdue, p.deadline, p.uscc))
    return PlanList(
        year=year,
        as_of=day,
        items=items,
        total=len(items),
        overdue=sum(1 for p in items if p.days_overdue > 0),
        by_outcome={o.value: sum(1 for p in items if p.outcome == o.value) for o in Outcome},
        can_edit=perms.edit,
    )


@dataclass(frozen=True)
class OverdueWork:
    """An overdue measure or plan for the to-do list: what, whose, how late, escalated to whom, where."""

    kind: str
    """measure or plan."""
    title: str
    owner_unit: str
    deadline: date
    escalation: Escalated
    url: str


def overdue_work(session: Session, actor: Actor, as_of: date) -> list[OverdueWork]:
    """Measures and plans overdue on ``as_of`` by the core's rule, most overdue first: all for a zone reader, its
    own for a unit account, none for others."""
    perms = permissions_of(actor)
    if not perms.read_register:
        return []
    unit = _unit_of(actor)
    out = []
    for m in repository.overdue_measures(session, as_of, unit):
        read = _measure_read(m, actor, as_of)
        if read.days_overdue > 0:
            name = m.case.name or m.case.uscc
            out.append(
                OverdueWork(
                    "measure",
                    f"{name}：{read.kind_label}",
                    m.owner_unit,
                    m.deadline,
                    Escalated(**read.model_dump(include=set(Escalated.model_fields))),
                    f"/lowland/cases/{m.case_id}",
                )
            )
    for p in repository.overdue_plans(session, as_of, unit):
        e = _escalation_of(p, as_of)
        if e.days_overdue > 0:
            out.append(
                OverdueWork(
                    "plan",
                    f"{p.name or p.uscc}：一企一方案",
                    p.owner_unit,
                    p.deadline,
                    e,
                    f"/lowland/plans?year={p.year}",
                )
            )
    out.sort(key=lambda w: (-w.escalation.days_overdue, w.title))
    return out


def buildable_runs(session: Session, actor: Actor) -> list[RunRead]:
    """The runs a register may be built from (in 公示 or final, newest first); none for an account that may not."""
    if not permissions_of(actor).edit:
        return []
    return [r for r in runs.list_runs(session, actor) if r.status in ("notice", "final")]


def get_run_year(session: Session, actor: Actor, run_id: int) -> int:
    """The year of a run (after :func:`add_plan`, where its page goes)."""
    return runs.get_run(session, actor, run_id).year


def default_year(session: Session, actor: Actor) -> int:
    """The year a page opens on: the newest with a register or plans, else the newest final run's, else last year."""
    found = years(session, actor)
    if found:
        return found[0]
    final = runs.newest_final_run(session, actor) if actor.is_staff else None
    return final.year if final is not None else today().year - 1


def own_open_plans(session: Session, actor: Actor) -> list[tuple[int, date, bool]]:
    """An enterprise account's own plans not yet done: (year, deadline, overdue on today), by deadline."""
    if actor.role != Role.ENTERPRISE or not actor.enterprise_uscc:
        return []
    day = today()
    return [(p.year, p.deadline, p.deadline < day) for p in repository.open_plans_of(session, actor.enterprise_uscc)]
