"""``/api/projects`` and ``/api/schedule/{year}``: the project library and the four lists as JSON.

``GET /api/schedule/{year}?as_of=`` answers exactly the object of
``zonehero projects lists --out``: the four lists (``YearLists.to_dict()``)
and ``lights`` (code → red|yellow|green), computed from the store with its
monthly progress and the yearly plans of ``year``.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from zonehero.core.schedule.model import Stage
from zonehero.core.schedule.warnings import Light
from zonehero.edges.web.api.schemas import ErrorBody
from zonehero.edges.web.deps import CurrentUser, SessionDep
from zonehero.edges.web.pages.projects_forms import as_of_day
from zonehero.errors import InputError, InputProblem
from zonehero.features.projects import detail, service
from zonehero.features.projects.schemas import ProjectDetail, ProjectList

router = APIRouter(tags=["projects"])

ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorBody},
    403: {"model": ErrorBody},
    404: {"model": ErrorBody},
    422: {"model": ErrorBody},
}
AsOf = Annotated[str | None, Query(description="截至日期 YYYY-MM-DD（默认今天）")]


@router.get("/api/projects", response_model=ProjectList, responses=ERRORS)
def list_projects(
    session: SessionDep,
    actor: CurrentUser,
    as_of: AsOf = None,
    stage: Annotated[Stage | None, Query(description="阶段")] = None,
    chain: Annotated[str | None, Query(max_length=64, description="产业链")] = None,
    unit: Annotated[str | None, Query(max_length=64, description="责任单位")] = None,
    light: Annotated[Light | None, Query(description="预警灯")] = None,
    q: Annotated[str | None, Query(max_length=100, description="搜索编号、名称、投资方")] = None,
) -> ProjectList:
    """The projects the user may see with stage and light as of ``as_of``, filtered."""
    return service.list_projects(
        session, actor, as_of=as_of_day(as_of), stage=stage, chain=chain, unit=unit, light=light, query=q
    )


@router.get("/api/projects/{code}", response_model=ProjectDetail, responses=ERRORS)
def get_project(
    session: SessionDep, actor: CurrentUser, code: Annotated[str, Path(max_length=64)], as_of: AsOf = None
) -> ProjectDetail:
    """One project: fields, milestones, light with reasons, yearly plans, progress, difficulties."""
    return detail.project_detail(session, actor, code, as_of_day(as_of))


@router.get("/api/schedule/{year}", responses=ERRORS)
def schedule(
    session: SessionDep,
    actor: CurrentUser,
    year: Annotated[int, Path(ge=2000, le=2100)],
    as_of: Annotated[date, Query(description="截至日期 YYYY-MM-DD（须在该年度内）")],
) -> dict[str, Any]:
    """``{"signing", "construction", "production", "planning", "lights"}`` as the CLI writes it."""
    if as_of.year != year:
        raise InputError(InputProblem(f"截至日期 {as_of.isoformat()} 不在 {year} 年内", column="as_of"))
    return service.schedule_object(session, actor, year, as_of)
