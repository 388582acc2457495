"""低效用地 pages: the register (``/lowland``), a case with its measures, the D-class plans (``/lowland/plans``).

Every route calls one service of ``zonehero.features.lowland``; who may read or change what is decided there
(analyst edits; leader and project office read; a unit account its own cases, measures and plans; an enterprise
its own plan). The board looks and works like the projects' difficulties board.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Path, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from zonehero.core.land.inefficient import REASON_LABELS, Reason
from zonehero.edges.web.deps import CurrentUser, SessionDep
from zonehero.edges.web.pages.projects_forms import as_of_day, parse_day
from zonehero.edges.web.paging import MAX_ID, PageParams, page_params
from zonehero.edges.web.rendering import flash, render
from zonehero.errors import InputError, InputProblem
from zonehero.features.lowland import service as lowland
from zonehero.features.roles import Actor

router = APIRouter(prefix="/lowland", include_in_schema=False)

Id = Annotated[int, Path(ge=1, le=MAX_ID)]
YearQuery = Annotated[int | None, Query(ge=2000, le=2100)]
AsOf = Annotated[str | None, Query(description="截至日期 YYYY-MM-DD（默认今天）")]
REASONS = [(r.value, REASON_LABELS[r]) for r in Reason]
STATUSES = list(lowland.STATUS_LABELS.items())
KINDS = list(lowland.MEASURE_LABELS.items())


def _required_day(value: str, column: str) -> date:
    problems: list[InputProblem] = []
    day = parse_day(value, column, problems)
    if day is None and not problems:
        problems.append(InputProblem("请填写日期", column=column))
    if problems or day is None:
        raise InputError(problems)
    return day


def _optional_day(value: str, column: str) -> date | None:
    problems: list[InputProblem] = []
    day = parse_day(value, column, problems)
    if problems:
        raise InputError(problems)
    return day


def _build_form(session: Session, actor: Actor, year: int) -> dict[str, object]:
    """What the register and the plans pages both offer to build a register or add a plan: the runs it may be
    built from and the year's default plan deadline."""
    return {
        "runs": lowland.buildable_runs(session, actor),
        "default_deadline": lowland.default_plan_deadline(year).isoformat(),
    }


@router.get("", name="lowland_register")
def register_page(
    request: Request,
    session: SessionDep,
    actor: CurrentUser,
    paging: Annotated[PageParams, Depends(page_params)],
    year: YearQuery = None,
    reason: Annotated[str | None, Query(max_length=32)] = None,
    status: Annotated[str | None, Query(max_length=16)] = None,
    as_of: AsOf = None,
) -> Response:
    """低效用地台账 of a year: counts, the total potential, cases overdue first then by potential, filters."""
    day = as_of_day(as_of)
    chosen = year or lowland.default_year(session, actor)
    reg = lowland.register(
        session,
        actor,
        chosen,
        as_of=day,
        reason=reason or None,
        status=status or None,
        page=paging.number,
        page_size=paging.size,
    )
    query = {k: v for k, v in {"year": chosen, "reason": reason, "status": status}.items() if v}
    context = {
        "reg": reg,
        "year": chosen,
        "reason": reason or "",
        "status": status or "",
        "reasons": REASONS,
        "reason_labels": dict(REASONS),
        "statuses": STATUSES,
        "page": PageParams(number=reg.page, size=paging.size).of(reg.total),
        "query_without_page": urlencode(query),
        "page_title": "低效用地台账",
    } | _build_form(session, actor, chosen)
    return render(request, "lowland/register.html", context)


@router.post("/build", name="lowland_build")
def build(
    request: Request,
    session: SessionDep,
    actor: CurrentUser,
    run_id: Annotated[int, Form(ge=1, le=MAX_ID)],
    owner_unit: Annotated[str, Form(max_length=64)] = "",
    deadline: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    """Build (or bring up to date) the year's register and the D-class plans from a run in 公示 or final."""
    built = lowland.build_register(
        session, actor, run_id, owner_unit=owner_unit, deadline=_optional_day(deadline, "deadline")
    )
    flash(
        request,
        f"已生成 {built.year} 年度低效用地台账：{built.cases} 个案例（新增 {built.added} 个），"
        f"新制定一企一方案 {built.plans_added} 份",
    )
    return RedirectResponse(f"/lowland?year={built.year}", status_code=303)


@router.get("/plans", name="lowland_plans")
def plans_page(
    request: Request, session: SessionDep, actor: CurrentUser, year: YearQuery = None, as_of: AsOf = None
) -> Response:
    """一企一方案 of a year: each D-class enterprise's plan, overdue first, and whether it worked the next year."""
    chosen = year or lowland.default_year(session, actor)
    plans = lowland.plans(session, actor, chosen, as_of=as_of_day(as_of))
    context = {
        "plans": plans,
        "year": chosen,
        "statuses": STATUSES,
        "show_tabs": lowland.permissions_of(actor).read_register,
        "page_title": "一企一方案",
    } | _build_form(session, actor, chosen)
    return render(request, "lowland/plans.html", context)


@router.post("/plans", name="lowland_plan_add")
def plan_add(
    request: Request,
    session: SessionDep,
    actor: CurrentUser,
    run_id: Annotated[int, Form(ge=1, le=MAX_ID)],
    uscc: Annotated[str, Form(max_length=18)],
    problem: Annotated[str, Form(max_length=2000)] = "",
    measures: Annotated[str, Form(max_length=4000)] = "",
    owner_unit: Annotated[str, Form(max_length=64)] = "",
    deadline: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    """一企一方案 for one D-class enterprise of a run, on its own (the analyst)."""
    lowland.add_plan(
        session,
        actor,
        run_id,
        uscc.strip(),
        problem=problem,
        measures=measures,
        owner_unit=owner_unit,
        deadline=_required_day(deadline, "deadline"),
    )
    year = lowland.get_run_year(session, actor, run_id)
    flash(request, f"已为 {uscc.strip()} 制定 {year} 年度一企一方案")
    return RedirectResponse(f"/lowland/plans?year={year}", status_code=303)


@router.post("/plans/{plan_id}", name="lowland_plan_update")
def plan_update(
    request: Request,
    session: SessionDep,
    actor: CurrentUser,
    plan_id: Id,
    status: Annotated[str, Form(max_length=16)],
    resolution: Annotated[str, Form(max_length=2000)] = "",
    done_on: Annotated[str, Form(max_length=10)] = "",
    measures: Annotated[str, Form(max_length=4000)] = "",
) -> Response:
    """Record how a plan is carried out (the analyst, or the plan's responsible unit)."""
    year = lowland.update_plan(
        session,
        actor,
        plan_id,
        status=status,
        resolution=resolution,
        done_on=_optional_day(done_on, "done_on"),
        measures=measures or None,
    )
    flash(request, f"已更新一企一方案 #{plan_id}（{lowland.STATUS_LABELS.get(status, status)}）")
    return RedirectResponse(f"/lowland/plans?year={year}", status_code=303)


@router.get("/cases/{case_id}", name="lowland_case")
def case_page(request: Request, session: SessionDep, actor: CurrentUser, case_id: Id, as_of: AsOf = None) -> Response:
    """One case: why it is on the register, its land, 亩均税收 and potential, its measures with their 督办."""
    case = lowland.get_case(session, actor, case_id, as_of=as_of_day(as_of))
    context = {
        "case": case,
        "kinds": KINDS,
        "statuses": STATUSES,
        "can_edit": lowland.permissions_of(actor).edit,
        "page_title": f"低效用地案例：{case.name or case.uscc}",
    }
    return render(request, "lowland/case.html", context)


@router.post("/cases/{case_id}/measures", name="lowland_measure_add")
def measure_add(
    request: Request,
    session: SessionDep,
    actor: CurrentUser,
    case_id: Id,
    kind: Annotated[str, Form(max_length=16)],
    description: Annotated[str, Form(max_length=2000)] = "",
    owner_unit: Annotated[str, Form(max_length=64)] = "",
    deadline: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    """Add a measure (提升改造、兼并重组、腾退收储、二次开发) with its unit and deadline (the analyst)."""
    lowland.add_measure(
        session,
        actor,
        case_id,
        kind=kind,
        description=description,
        owner_unit=owner_unit,
        deadline=_required_day(deadline, "deadline"),
    )
    flash(request, f"已登记处置措施（{lowland.MEASURE_LABELS.get(kind, kind)}）")
    return RedirectResponse(f"/lowland/cases/{case_id}", status_code=303)


@router.post("/measures/{measure_id}", name="lowland_measure_update")
def measure_update(
    request: Request,
    session: SessionDep,
    actor: CurrentUser,
    measure_id: Id,
    status: Annotated[str, Form(max_length=16)],
    resolution: Annotated[str, Form(max_length=2000)] = "",
    done_on: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    """Record how a measure is handled (the analyst, or the measure's responsible unit)."""
    case_id = lowland.update_measure(
        session, actor, measure_id, status=status, resolution=resolution, done_on=_optional_day(done_on, "done_on")
    )
    flash(request, f"已更新处置措施 #{measure_id}（{lowland.STATUS_LABELS.get(status, status)}）")
    return RedirectResponse(f"/lowland/cases/{case_id}", status_code=303)
