"""``/api/enterprises``: search and one enterprise's file (figures with their source, class history)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from zonehero.edges.web.api.schemas import ErrorBody
from zonehero.edges.web.deps import EvaluationReader, SessionDep
from zonehero.edges.web.paging import PageDep
from zonehero.features.audit import service as audit
from zonehero.features.enterprises import service as enterprises
from zonehero.features.enterprises.schemas import EnterpriseRead, FigureRead
from zonehero.features.roles import Actor
from zonehero.features.runs import service as runs
from zonehero.features.runs.schemas import EnterpriseResult, RunRead

router = APIRouter(prefix="/api/enterprises", tags=["enterprises"])

ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorBody},
    403: {"model": ErrorBody},
    404: {"model": ErrorBody},
    422: {"model": ErrorBody},
}
USCC = Annotated[str, Path(min_length=18, max_length=18, description="统一社会信用代码")]
STATUS_PREFERENCE = ("final", "notice", "draft")


class EnterpriseListItem(BaseModel):
    """An enterprise in a list; with class, group and score when the list was taken from a year's run."""

    uscc: str
    name: str | None
    industry_code: str | None
    year: int | None = None
    run_id: int | None = None
    group: str | None = None
    status: str | None = None
    class_: str | None = Field(None, serialization_alias="class")
    total_score: float | None = None
    rank: int | None = None


class EnterpriseListPage(BaseModel):
    items: list[EnterpriseListItem]
    total: int
    page: int
    size: int
    run_id: int | None = None


class EnterpriseFile(BaseModel):
    """One enterprise: names, class history over runs, and every figure with its source (数据来源)."""

    enterprise: EnterpriseRead
    results: list[EnterpriseResult]
    figures: list[FigureRead]


def run_for_year(session: Session, actor: Actor, year: int | None) -> RunRead | None:
    """The run that stands for ``year`` (newest year with a run when None): final, else 公示, else draft.

    Enterprise accounts never see drafts (the service hides them).
    """
    candidates = runs.list_runs(session, actor, year=year)
    if not candidates:
        return None
    wanted_year = year if year is not None else max(r.year for r in candidates)
    for status in STATUS_PREFERENCE:
        for run in candidates:
            if run.year == wanted_year and run.status == status:
                return run
    return None


@router.get("", response_model=EnterpriseListPage, response_model_by_alias=True, responses=ERRORS)
def list_enterprises(
    session: SessionDep,
    actor: EvaluationReader,
    page: PageDep,
    class_: Annotated[str | None, Query(alias="class", pattern="^[ABCD]$", description="类别 A/B/C/D")] = None,
    year: Annotated[int | None, Query(ge=2000, le=2100, description="年度")] = None,
    q: Annotated[str | None, Query(max_length=100, description="名称或统一社会信用代码片段")] = None,
    group: Annotated[str | None, Query(max_length=16, description="分组：above 规上 / below 规下")] = None,
    industry: Annotated[str | None, Query(max_length=8, description="行业代码前缀")] = None,
) -> EnterpriseListPage:
    """Enterprises by name/USCC and industry; with ``class``, ``year`` or ``group`` the list is a year's results.

    The year's run is its final one, else the one in 公示, else (staff only)
    its newest draft. An enterprise account finds only itself.
    """
    if class_ is None and year is None and group is None:
        found = enterprises.search_enterprises(
            session, actor, q=q, industry=industry, limit=page.size, offset=page.offset
        )
        items = [
            EnterpriseListItem(uscc=e.uscc, name=e.name, industry_code=e.industry_code, class_=None)
            for e in found.items
        ]
        _audit_page(session, actor, None, page.number, len(items))
        return EnterpriseListPage(items=items, total=found.total, page=page.number, size=page.size)
    run = run_for_year(session, actor, year)
    if run is None:
        return EnterpriseListPage(items=[], total=0, page=page.number, size=page.size)
    results = runs.list_results(
        session, actor, run.id, class_=class_, group=group, q=q, industry=industry, limit=page.size, offset=page.offset
    )
    items = [
        EnterpriseListItem(
            uscc=r.uscc,
            name=r.name,
            industry_code=r.industry_code,
            year=run.year,
            run_id=run.id,
            group=r.group,
            status=r.status,
            total_score=r.total_score,
            rank=r.rank,
            class_=r.class_,
        )
        for r in results.items
    ]
    _audit_page(session, actor, run, page.number, len(items))
    return EnterpriseListPage(items=items, total=results.total, page=page.number, size=page.size, run_id=run.id)


def _audit_page(session: Session, actor: Actor, run: RunRead | None, page: int, count: int) -> None:
    """A page of the enterprise list read through the API (a script paging through the zone leaves a trail)."""
    audit.record_read(
        session,
        actor,
        "api.read",
        "enterprise_list",
        run.id if run else None,
        endpoint="/api/enterprises",
        run_id=run.id if run else None,
        year=run.year if run else None,
        page=page,
        enterprises=count,
    )


@router.get("/{uscc}", response_model=EnterpriseFile, responses=ERRORS)
def get_enterprise(session: SessionDep, actor: EvaluationReader, uscc: USCC) -> EnterpriseFile:
    """One enterprise; another enterprise's USCC answers 404 to an enterprise account."""
    return EnterpriseFile(
        enterprise=enterprises.get_enterprise(session, actor, uscc),
        results=runs.enterprise_results(session, actor, uscc),
        figures=enterprises.enterprise_figures(session, actor, uscc),
    )
