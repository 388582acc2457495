"""``/api/jobs/{id}``: one job's state and progress as JSON (for scripts and the CLI's followers)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path

from zonehero.edges.web.api.schemas import ErrorBody
from zonehero.edges.web.deps import CurrentUser, SessionDep
from zonehero.edges.web.paging import MAX_ID
from zonehero.features.jobs import service as jobs
from zonehero.features.jobs.schemas import JobRead

router = APIRouter(prefix="/api/jobs", tags=["jobs"])

ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorBody},
    404: {"model": ErrorBody},
    422: {"model": ErrorBody},
}


@router.get("/{job_id}", response_model=JobRead, responses=ERRORS)
def get_job(session: SessionDep, actor: CurrentUser, job_id: Annotated[int, Path(ge=1, le=MAX_ID)]) -> JobRead:
    """任务状态：status (queued/running/done/failed/cancelled)、done/total、stage、eta_seconds、error。"""
    return jobs.get_job(session, actor, job_id)
