"""``/api/lowland``: the 低效用地 register, a case with its measures, the D-class plans, as JSON (the pages' data)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query

from zonehero.edges.web.api.schemas import ErrorBody
from zonehero.edges.web.deps import CurrentUser, SessionDep
from zonehero.edges.web.paging import MAX_ID, PageParams, page_params
from zonehero.features.lowland import service as lowland
from zonehero.features.lowland.schemas import CaseRead, PlanList, RegisterRead

router = APIRouter(tags=["lowland"])

ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorBody},
    403: {"model": ErrorBody},
    404: {"model": ErrorBody},
}
YearQuery = Annotated[int | None, Query(ge=2000, le=2100, description="年度（默认最新有台账的年度）")]


@router.get("/api/lowland", response_model=RegisterRead, responses=ERRORS)
def register(
    session: SessionDep,
    actor: CurrentUser,
    paging: Annotated[PageParams, Depends(page_params)],
    year: YearQuery = None,
    reason: Annotated[str | None, Query(max_length=32, description="认定原因 d_class/low_tax_per_mu/idle/unused")] = (
        None
    ),
    status: Annotated[str | None, Query(max_length=16, description="状态 open/in_progress/done")] = None,
) -> RegisterRead:
    """低效用地台账 of a year: counts and the total potential (万元), then a page of cases, overdue first, then by
    potential. Staff read every case; a unit account the cases with a measure of its unit."""
    chosen = year or lowland.default_year(session, actor)
    return lowland.register(
        session, actor, chosen, reason=reason, status=status, page=paging.number, page_size=paging.size
    )


@router.get("/api/lowland/cases/{case_id}", response_model=CaseRead, responses=ERRORS)
def case(session: SessionDep, actor: CurrentUser, case_id: Annotated[int, Path(ge=1, le=MAX_ID)]) -> CaseRead:
    """One case with its measures and their 督办."""
    return lowland.get_case(session, actor, case_id)


@router.get("/api/lowland/plans", response_model=PlanList, responses=ERRORS)
def plans(session: SessionDep, actor: CurrentUser, year: YearQuery = None) -> PlanList:
    """一企一方案 of a year with each plan's outcome in the next year's final run (an enterprise: its own)."""
    chosen = year or lowland.default_year(session, actor)
    return lowland.plans(session, actor, chosen)
