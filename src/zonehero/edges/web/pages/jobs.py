"""后台任务 (jobs): my jobs (staff: every job), one job's progress bar refreshed by htmx, cancel, retry, download.

Pages that start long work post to ``POST /jobs`` (or submit through the jobs service themselves) and
redirect here. Each route calls one function of :mod:`zonehero.features.jobs.service`, which decides who may
see or change what.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import FileResponse, RedirectResponse, Response

from zonehero.edges.web.deps import CurrentUser, SessionDep, SettingsDep
from zonehero.edges.web.jobs_queue import EnqueueDep
from zonehero.edges.web.paging import MAX_ID, PageDep
from zonehero.edges.web.rendering import flash, render
from zonehero.features.jobs import service as jobs
from zonehero.features.jobs.kinds import KINDS

router = APIRouter(prefix="/jobs", include_in_schema=False)

JobId = Annotated[int, Path(ge=1, le=MAX_ID)]
POLL_SECONDS = 2


@router.get("", name="job_list")
def job_list(request: Request, session: SessionDep, actor: CurrentUser, page: PageDep) -> Response:
    """My jobs, newest first (staff see everyone's)."""
    listing = jobs.list_jobs(session, actor, limit=page.size, offset=page.offset)
    context = {"jobs": listing.items, "page": page.of(listing.total), "query_without_page": ""}
    return render(request, "jobs/list.html", context)


@router.post("", name="job_submit")
def job_submit(
    request: Request,
    session: SessionDep,
    actor: CurrentUser,
    enqueue: EnqueueDep,
    kind: Annotated[str, Form(max_length=32)],
    run_id: Annotated[int | None, Form(ge=1, le=MAX_ID)] = None,
    year: Annotated[int | None, Form(ge=2000, le=2100)] = None,
    scheme_version_id: Annotated[int | None, Form(ge=1, le=MAX_ID)] = None,
    batch_id: Annotated[int | None, Form(ge=1, le=MAX_ID)] = None,
    format: Annotated[str, Form(pattern=r"^(pdf|xlsx)?$")] = "",
    lift: Annotated[bool, Form()] = True,
    note: Annotated[str, Form(max_length=500)] = "",
    limit: Annotated[int | None, Form(ge=1, le=MAX_ID)] = None,
) -> Response:
    """Queue a job of ``kind`` with the form's parameters and follow it on its page."""
    given: dict[str, Any] = {
        "run_id": run_id,
        "year": year,
        "scheme_version_id": scheme_version_id,
        "batch_id": batch_id,
        "format": format or None,
        "lift": lift,
        "note": note,
        "limit": limit,
    }
    job = jobs.submit(session, actor, kind, {k: v for k, v in given.items() if v is not None}, enqueue=enqueue)
    flash(request, f"已提交后台任务 #{job.id}：{job.kind_label}", "info")
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)


def _job_context(job: jobs.JobRead) -> dict[str, Any]:
    return {"job": job, "poll_seconds": POLL_SECONDS, "kinds": KINDS}


@router.get("/{job_id}", name="job_detail")
def job_detail(request: Request, session: SessionDep, actor: CurrentUser, job_id: JobId) -> Response:
    """One job: progress bar (refreshed while it runs), ETA, outcome, cancel / retry / download."""
    return render(request, "jobs/detail.html", _job_context(jobs.get_job(session, actor, job_id)))


@router.get("/{job_id}/progress", name="job_progress")
def job_progress(request: Request, session: SessionDep, actor: CurrentUser, job_id: JobId) -> Response:
    """The progress panel alone, for htmx polling; a finished job's panel stops the polling."""
    return render(request, "jobs/_progress.html", _job_context(jobs.get_job(session, actor, job_id)))


@router.post("/{job_id}/cancel", name="job_cancel")
def job_cancel(request: Request, session: SessionDep, actor: CurrentUser, job_id: JobId) -> Response:
    job = jobs.cancel(session, actor, job_id)
    flash(
        request, "任务已取消" if job.status == "cancelled" else "已请求取消，任务将在下一步停止并撤销已做的修改", "info"
    )
    return RedirectResponse(f"/jobs/{job_id}", status_code=303)


@router.post("/{job_id}/retry", name="job_retry")
def job_retry(
    request: Request, session: SessionDep, actor: CurrentUser, enqueue: EnqueueDep, job_id: JobId
) -> Response:
    jobs.retry(session, actor, job_id, enqueue=enqueue)
    flash(request, f"任务 #{job_id} 已重新排队", "info")
    return RedirectResponse(f"/jobs/{job_id}", status_code=303)


@router.get("/{job_id}/download", name="job_download")
def job_download(session: SessionDep, settings: SettingsDep, actor: CurrentUser, job_id: JobId) -> Response:
    """The finished job's file (streamed from disk), under its Chinese name."""
    path, name = jobs.result_file(session, actor, job_id, settings=settings)
    return FileResponse(path, filename=name, content_disposition_type="attachment")
