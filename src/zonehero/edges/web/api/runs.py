"""``/api/runs``: evaluation runs (评价批次) and their result rows."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel

from zonehero.edges.web.api.schemas import ErrorBody
from zonehero.edges.web.deps import EvaluationReader, SessionDep
from zonehero.edges.web.paging import MAX_ID, PageDep
from zonehero.features.audit import service as audit
from zonehero.features.runs import service as runs
from zonehero.features.runs.schemas import RunRead, RunResultRead

router = APIRouter(prefix="/api/runs", tags=["runs"])

ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorBody},
    403: {"model": ErrorBody},
    404: {"model": ErrorBody},
    422: {"model": ErrorBody},
}
RunId = Annotated[int, Path(ge=1, le=MAX_ID, description="评价批次编号")]


class RunList(BaseModel):
    items: list[RunRead]
    total: int


class RunResultPage(BaseModel):
    items: list[RunResultRead]
    total: int
    page: int
    size: int
    next_cursor: str | None = None
    """Pass as ``after`` to get the next page by seeking, at the same cost at any depth."""


@router.get("", response_model=RunList, responses=ERRORS)
def list_runs(
    session: SessionDep,
    actor: EvaluationReader,
    year: Annotated[int | None, Query(ge=2000, le=2100, description="年度")] = None,
) -> RunList:
    """Runs newest first; an enterprise account sees published (公示 and final) runs only."""
    items = runs.list_runs(session, actor, year=year)
    return RunList(items=items, total=len(items))


@router.get("/{run_id}", response_model=RunRead, responses=ERRORS)
def get_run(session: SessionDep, actor: EvaluationReader, run_id: RunId) -> RunRead:
    """One run with its benchmarks and counts (a draft answers 404 to an enterprise account)."""
    return runs.get_run(session, actor, run_id)


@router.get("/{run_id}/results", response_model=RunResultPage, response_model_by_alias=True, responses=ERRORS)
def list_results(
    session: SessionDep,
    actor: EvaluationReader,
    run_id: RunId,
    page: PageDep,
    class_: Annotated[str | None, Query(alias="class", pattern="^[ABCD]$", description="类别")] = None,
    group: Annotated[str | None, Query(max_length=16, description="分组 above/below")] = None,
    status: Annotated[str | None, Query(max_length=16, description="评价状态")] = None,
    q: Annotated[str | None, Query(max_length=100, description="名称或代码片段")] = None,
    industry: Annotated[str | None, Query(max_length=8, description="行业代码前缀")] = None,
    order: Annotated[str, Query(pattern="^(rank|score|name|uscc)$", description="排序")] = "rank",
) -> RunResultPage:
    """A page of a run's results; an enterprise account gets its own row only."""
    found = runs.list_results(
        session,
        actor,
        run_id,
        class_=class_,
        group=group,
        status=status,
        q=q,
        industry=industry,
        order=order,
        limit=page.size,
        offset=page.offset,
        after=page.after,
    )
    audit.record_read(
        session,
        actor,
        "api.read",
        "evaluation_run",
        run_id,
        endpoint="/api/runs/{id}/results",
        run_id=run_id,
        page=page.number,
        enterprises=len(found.items),
    )
    return RunResultPage(
        items=found.items, total=found.total, page=page.number, size=page.size, next_cursor=found.next_cursor
    )
