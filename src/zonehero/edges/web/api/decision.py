"""``/api/cultivation``, ``/api/targets`` (by ``?year=``), what-if and robustness of a run, lift (决策支持)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from zonehero.edges.web.api.schemas import ErrorBody
from zonehero.edges.web.deps import CurrentUser, SessionDep, StaffUser
from zonehero.edges.web.paging import MAX_ID
from zonehero.features.audit import service as audit
from zonehero.features.decision import cultivation
from zonehero.features.decision import service as decision
from zonehero.features.decision.schemas import LiftRead, RobustnessRead, VariantRequest, WhatIfRead
from zonehero.features.goals import service as goals
from zonehero.features.goals.schemas import TargetsRead

router = APIRouter(prefix="/api", tags=["decision"])

ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorBody},
    403: {"model": ErrorBody},
    404: {"model": ErrorBody},
    409: {"model": ErrorBody},
    422: {"model": ErrorBody},
}
Year = Annotated[int, Query(ge=2000, le=2100, description="年度")]
RunId = Annotated[int, Path(ge=1, le=MAX_ID, description="评价批次编号")]


@router.get("/cultivation", responses=ERRORS)
def get_cultivation(session: SessionDep, actor: StaffUser, year: Year) -> dict[str, Any]:
    """梯度培育 of a year: tier definitions, pools per tier, every enterprise's tiers and reasons, movers."""
    result = cultivation.year_cultivation(session, actor, year)
    audit.record_read(
        session,
        actor,
        "api.read",
        "cultivation",
        year,
        endpoint="/api/cultivation",
        year=year,
        enterprises=result.enterprises.height,
    )
    return cultivation.cultivation_json(result)


@router.get("/targets", response_model=TargetsRead, responses=ERRORS)
def get_targets(
    session: SessionDep,
    actor: StaffUser,
    year: Year,
    month: Annotated[int | None, Query(ge=1, le=12, description="截至月份（缺省为各目标最新填报月）")] = None,
) -> TargetsRead:
    """The year's goals with progress pro-rated to the period, and those off course."""
    return goals.year_targets(session, actor, year, month=month)


@router.post("/runs/{run_id}/whatif", response_model=WhatIfRead, responses=ERRORS)
def post_whatif(session: SessionDep, actor: StaffUser, run_id: RunId, variant: VariantRequest) -> WhatIfRead:
    """A draft run and a variant of its scheme side by side: every class change with its reasons (reads only, so
    open to every staff role; saving a variant as a scheme version is the editors')."""
    return decision.what_if(session, actor, run_id, variant).read()


@router.get("/runs/{run_id}/robustness", response_model=RobustnessRead, responses=ERRORS)
def get_robustness(
    session: SessionDep,
    actor: StaffUser,
    run_id: RunId,
    draws: Annotated[int, Query(ge=1, le=decision.MAX_DRAWS, description="抽样次数")] = 1000,
    seed: Annotated[int, Query(ge=0, lt=2**32, description="随机种子")] = 0,
) -> RobustnessRead:
    """Per classed enterprise, the share of weight draws (±20%) in which it keeps its class."""
    return decision.robustness(session, actor, run_id, draws=draws, seed=seed)


@router.get("/enterprises/{uscc}/lift", response_model=LiftRead, responses=ERRORS)
def get_lift(
    session: SessionDep,
    actor: CurrentUser,
    uscc: Annotated[str, Path(min_length=18, max_length=18, description="统一社会信用代码")],
    run: Annotated[int, Query(ge=1, le=MAX_ID, description="评价批次编号")],
) -> LiftRead:
    """For the next class up, the smallest change in each single figure that alone lifts the enterprise there."""
    return decision.enterprise_lift(session, actor, uscc, run)
