"""Jobs as users see them: submit, list, read, cancel, retry, download.

Who may do what: staff (analyst, leader, the operator's CLI) and only they submit jobs, each kind checking
its own permission (notices and reports: staff; run creation and import confirm: analyst); enterprise and
project accounts submit none. A user sees, follows and downloads their own jobs; staff see every job of the
zone. Cancel and retry: whoever submitted the job, and the analyst (:data:`OVERSEER_ROLES`). Anything else
answers NotFound, so ids cannot be probed. The three administrators (三员分立) have no business here at all.

A job is put on the queue only after the unit of work that created it commits (an ``after_commit`` hook):
a worker never looks for a row that is not there yet, and a rolled-back submission queues nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from zonehero.config import Settings
from zonehero.errors import Conflict, InputError, NotFound, PermissionDenied
from zonehero.features.audit import service as audit
from zonehero.features.jobs import repository
from zonehero.features.jobs.kinds import KINDS, kind_label
from zonehero.features.jobs.models import Job
from zonehero.features.jobs.schemas import JobList, JobRead
from zonehero.features.roles import Actor, Role, require_business

Enqueue = Callable[[int], None]
"""Puts a job id on the queue (:meth:`zonehero.features.jobs.queue.JobQueue.enqueue`)."""

JOB_NOT_FOUND = "任务不存在"
OVERSEER_ROLES: frozenset[Role] = frozenset({Role.ANALYST, Role.OPERATOR})
"""Cancel and retry anybody's job (the analyst runs the zone's work; the operator its server)."""
MAX_PAGE = 200


BACKGROUND_FROM = 2_000
"""From this many enterprises a run creation or an import confirm runs as a job instead of in the request
(below it they take a second or two and the page answers at once)."""


def in_background(enterprises: int) -> bool:
    """Whether work over ``enterprises`` enterprises goes to a job (the pages ask; the rule lives here)."""
    return enterprises >= BACKGROUND_FROM


def decision_in_background(enterprises: int, settings: Settings) -> bool:
    """Whether a what-if or a robustness check of a run of ``enterprises`` enterprises goes to a job (above
    ``sync_decision_max_enterprises``; below it the page computes it in the request, as it is quick)."""
    return enterprises > settings.sync_decision_max_enterprises


def wall_clock() -> datetime:
    """The machine's time: heartbeats measure whether a process lives, not the zone's calendar (which tests
    may fix)."""
    return datetime.now(UTC)


def enqueue_after_commit(session: Session, enqueue: Enqueue, job_id: int) -> None:
    """Queue ``job_id`` once the session's transaction commits (nothing when it rolls back)."""

    def queue(_session: Session) -> None:
        enqueue(job_id)

    event.listen(session, "after_commit", queue, once=True)


def _eta(job: Job, now: datetime) -> float | None:
    if job.status != "running" or job.started_at is None or job.done <= 0 or job.total <= job.done:
        return None
    elapsed = ((job.progress_at or now) - job.started_at).total_seconds()
    return max(0.0, elapsed / job.done * (job.total - job.done))


def _may_manage(actor: Actor, job: Job) -> bool:
    return actor.role in OVERSEER_ROLES or (actor.id is not None and actor.id == job.submitted_by)


def _is_part(job: Job) -> bool:
    found = KINDS.get(job.kind)
    return found is not None and found.part_of is not None


def _part_kinds(kind: str) -> list[str]:
    """The kinds of the parts a job of ``kind`` is made of (none for most)."""
    return [name for name, k in KINDS.items() if k.part_of == kind]


PART_KINDS: frozenset[str] = frozenset(name for name, k in KINDS.items() if k.part_of is not None)


def _read(actor: Actor, job: Job, *, now: datetime | None = None) -> JobRead:
    read = JobRead.model_validate(job)
    manage = _may_manage(actor, job) and not _is_part(job)
    return read.model_copy(
        update={
            "kind_label": kind_label(job.kind),
            "eta_seconds": _eta(job, now or wall_clock()),
            "can_cancel": manage and job.status in ("queued", "running") and not job.cancel_requested,
            "can_retry": manage and job.status in ("failed", "cancelled") and job.kind in KINDS,
            "has_result": job.status == "done" and job.result_path is not None and not _is_part(job),
        }
    )


def _visible(session: Session, actor: Actor, job_id: int) -> Job:
    require_business(actor)
    job = repository.get(session, job_id)
    if job is None or not (actor.is_staff or (actor.id is not None and actor.id == job.submitted_by)):
        raise NotFound(JOB_NOT_FOUND)
    return job


def submit(session: Session, actor: Actor, kind: str, parameters: Mapping[str, Any], *, enqueue: Enqueue) -> JobRead:
    """A new queued job of ``kind``; it is put on the queue when the caller's unit of work commits."""
    if not actor.is_staff:
        raise PermissionDenied("没有权限提交后台任务")
    found = KINDS.get(kind)
    if found is None:
        raise InputError(f"未知的任务类型「{kind}」")
    found.may_submit(actor)
    params = found.parameters(parameters)
    job = repository.add(
        session,
        Job(
            kind=kind,
            parameters=params,
            status="queued",
            done=0,
            total=0,
            stage="排队等待执行",
            cancel_requested=False,
            attempts=0,
            submitted_by=actor.id,
            submitted_at=wall_clock(),
        ),
    )
    audit.record(session, actor, "job.submit", "job", job.id, after={"kind": kind, "parameters": params})
    enqueue_after_commit(session, enqueue, job.id)
    return _read(actor, job)


def list_jobs(session: Session, actor: Actor, *, limit: int = 50, offset: int = 0) -> JobList:
    """The actor's own jobs, newest first; staff see every job. The parts of a job made in parts are not listed
    (its progress is theirs summed)."""
    require_business(actor)
    rows, total = repository.page(
        session,
        submitted_by=actor.id,
        everyone=actor.is_staff,
        limit=max(1, min(limit, MAX_PAGE)),
        offset=max(0, offset),
        hidden_kinds=PART_KINDS,
    )
    now = wall_clock()
    return JobList(items=[_read(actor, j, now=now) for j in rows], total=total)


def get_job(session: Session, actor: Actor, job_id: int) -> JobRead:
    return _read(actor, _visible(session, actor, job_id))


def cancel(session: Session, actor: Actor, job_id: int) -> JobRead:
    """A queued job is cancelled at once; a running one at its next progress step (its work rolls back). The parts
    of a job made in parts are cancelled with it."""
    job = _visible(session, actor, job_id)
    if _is_part(job):
        raise Conflict("分片任务随其主任务取消，请取消主任务")
    if not _may_manage(actor, job):
        raise PermissionDenied("只有提交任务的用户或分析员可以取消任务")
    if job.status == "queued":
        job.status, job.finished_at, job.stage = "cancelled", wall_clock(), "已取消"
    elif job.status == "running":
        job.cancel_requested, job.stage = True, "正在取消…"
    else:
        raise Conflict("任务已经结束，不能取消")
    session.flush()
    parts = _part_kinds(job.kind)
    if parts:
        children = repository.children(session, job.id, parts)
        repository.cancel_unfinished(session, [c.id for c in children], now=wall_clock())
    audit.record(session, actor, "job.cancel", "job", job.id, after={"status": job.status})
    return _read(actor, job)


def retry(session: Session, actor: Actor, job_id: int, *, enqueue: Enqueue) -> JobRead:
    """A failed or cancelled job queued again with its parameters, attempts counted from zero."""
    job = _visible(session, actor, job_id)
    if _is_part(job):
        raise Conflict("分片任务随其主任务重试，请重试主任务")
    if not _may_manage(actor, job):
        raise PermissionDenied("只有提交任务的用户或分析员可以重试任务")
    if job.status not in ("failed", "cancelled"):
        raise Conflict("只有失败或已取消的任务可以重试")
    if job.kind not in KINDS:
        raise Conflict(f"任务类型「{job.kind}」已不存在，不能重试")
    before = {"status": job.status, "error": job.error}
    job.status, job.stage, job.error = "queued", "排队等待执行（重试）", None
    job.done, job.total, job.attempts, job.cancel_requested = 0, 0, 0, False
    job.finished_at = job.started_at = job.progress_at = job.heartbeat_at = None
    job.result_path = job.result_name = None
    job.result_summary = None
    session.flush()
    audit.record(session, actor, "job.retry", "job", job.id, before=before, after={"status": "queued"})
    enqueue_after_commit(session, enqueue, job.id)
    return _read(actor, job)


def _result_path(settings: Settings, job: Job) -> Path:
    path = (settings.data_dir / str(job.result_path)).resolve()
    if not path.is_relative_to(settings.jobs_dir.resolve()) or not path.is_file():
        raise NotFound("结果文件已不存在，请重试该任务")
    return path


def result_text(
    session: Session, actor: Actor, job_id: int, *, kind: str, settings: Settings
) -> tuple[JobRead, str | None]:
    """A job of ``kind`` and, once it is done, its result file's text (None before): for the page that shows a
    job's answer as it would have shown it computed in the request (what-if, robustness). NotFound for a job of
    another kind. Not audited as a download: the page shows what the submitter asked for."""
    job = _visible(session, actor, job_id)
    if job.kind != kind:
        raise NotFound(JOB_NOT_FOUND)
    if job.status != "done" or not job.result_path:
        return _read(actor, job), None
    return _read(actor, job), _result_path(settings, job).read_text(encoding="utf-8")


def result_file(session: Session, actor: Actor, job_id: int, *, settings: Settings) -> tuple[Path, str]:
    """The finished job's file and the name to offer it under; the download is audited."""
    job = _visible(session, actor, job_id)
    if job.status != "done" or not job.result_path:
        raise NotFound("该任务没有可下载的结果")
    path = _result_path(settings, job)
    audit.record(session, actor, "job.download", "job", job.id, after={"file": job.result_name})
    return path, job.result_name or path.name
