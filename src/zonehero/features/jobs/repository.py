"""Queries of the ``jobs`` table.

The worker's writes are guarded updates (``WHERE status = 'running' AND attempts = n``) so that an attempt a
reaper has already given up on can neither report progress nor commit its effect.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import CursorResult, func, select, update
from sqlalchemy.orm import Session

from zonehero.features.jobs.models import Job


def add(session: Session, job: Job) -> Job:
    session.add(job)
    session.flush()
    return job


def get(session: Session, job_id: int) -> Job | None:
    return session.get(Job, job_id, populate_existing=True)


def page(
    session: Session,
    *,
    submitted_by: int | None,
    everyone: bool,
    limit: int,
    offset: int,
    hidden_kinds: Collection[str] = (),
) -> tuple[Sequence[Job], int]:
    """Newest first; ``everyone`` False limits to the jobs of ``submitted_by``; ``hidden_kinds`` are left out."""
    where = [] if everyone else [Job.submitted_by == submitted_by]
    if hidden_kinds:
        where.append(Job.kind.not_in(list(hidden_kinds)))
    total = session.scalar(select(func.count()).select_from(Job).where(*where)) or 0
    rows = session.scalars(select(Job).where(*where).order_by(Job.id.desc()).limit(limit).offset(offset)).all()
    return rows, total


def _changed(session: Session, stmt: Any) -> bool:
    result = session.execute(stmt, execution_options={"synchronize_session": False})
    return isinstance(result, CursorResult) and result.rowcount == 1


def claim(session: Session, job_id: int, *, now: datetime, stage: str) -> bool:
    """queued → running, one more attempt; False when the job is not queued (taken, cancelled, gone)."""
    stmt = (
        update(Job)
        .where(Job.id == job_id, Job.status == "queued", Job.cancel_requested.is_(False))
        .values(
            status="running",
            attempts=Job.attempts + 1,
            started_at=now,
            heartbeat_at=now,
            progress_at=now,
            stage=stage,
            done=0,
            error=None,
        )
    )
    return _changed(session, stmt)


def _mine(job_id: int, attempt: int) -> Any:
    return (Job.id == job_id, Job.status == "running", Job.attempts == attempt)


def report(
    session: Session, job_id: int, attempt: int, *, done: int, total: int, stage: str | None, now: datetime
) -> bool:
    """Progress of the running attempt; False when the attempt is no longer the job's."""
    values: dict[str, Any] = {"done": max(0, done), "total": max(0, total), "heartbeat_at": now, "progress_at": now}
    if stage is not None:
        values["stage"] = stage[:200]
    return _changed(session, update(Job).where(*_mine(job_id, attempt)).values(**values))


def beat(session: Session, job_id: int, attempt: int, *, now: datetime) -> bool:
    return _changed(session, update(Job).where(*_mine(job_id, attempt)).values(heartbeat_at=now))


def cancel_requested(session: Session, job_id: int) -> bool:
    return bool(session.scalar(select(Job.cancel_requested).where(Job.id == job_id)))


def finish(session: Session, job_id: int, attempt: int, *, status: str, now: datetime, **values: Any) -> bool:
    """running → ``status`` for this attempt only, with the given outcome columns."""
    stmt = update(Job).where(*_mine(job_id, attempt)).values(status=status, finished_at=now, **values)
    return _changed(session, stmt)


def stale(session: Session, *, before: datetime) -> Sequence[Job]:
    """Running jobs whose worker has not reported since ``before``."""
    return session.scalars(select(Job).where(Job.status == "running", Job.heartbeat_at < before).order_by(Job.id)).all()


def requeue_stale(session: Session, job_id: int, *, heartbeat: datetime | None, stage: str) -> bool:
    stmt = (
        update(Job)
        .where(Job.id == job_id, Job.status == "running", Job.heartbeat_at == heartbeat)
        .values(status="queued", stage=stage)
    )
    return _changed(session, stmt)


def fail_stale(session: Session, job_id: int, *, heartbeat: datetime | None, error: str, now: datetime) -> bool:
    stmt = (
        update(Job)
        .where(Job.id == job_id, Job.status == "running", Job.heartbeat_at == heartbeat)
        .values(status="failed", error=error, finished_at=now, stage="")
    )
    return _changed(session, stmt)


def waiting(session: Session, *, submitted_before: datetime) -> Sequence[int]:
    """Ids of jobs still queued that were submitted before the given moment."""
    return session.scalars(
        select(Job.id).where(Job.status == "queued", Job.submitted_at < submitted_before).order_by(Job.id)
    ).all()


def children(session: Session, parent_id: int, kinds: Collection[str]) -> Sequence[Job]:
    """The jobs of ``kinds`` made as parts of job ``parent_id`` (``parameters.parent``), oldest first."""
    return session.scalars(
        select(Job)
        .where(Job.kind.in_(list(kinds)), Job.parameters["parent"].as_integer() == parent_id)
        .order_by(Job.id)
        .execution_options(populate_existing=True)
    ).all()


def among(session: Session, ids: Collection[int]) -> Sequence[Job]:
    """The jobs with these ids (as committed now), in id order."""
    if not ids:
        return []
    stmt = select(Job).where(Job.id.in_(list(ids))).order_by(Job.id).execution_options(populate_existing=True)
    return session.scalars(stmt).all()


def cancel_unfinished(session: Session, ids: Collection[int], *, now: datetime) -> None:
    """Queued ones among ``ids`` cancelled at once, running ones asked to stop at their next step."""
    if not ids:
        return
    chosen = Job.id.in_(list(ids))
    options = {"synchronize_session": False}
    session.execute(
        update(Job).where(chosen, Job.status == "queued").values(status="cancelled", finished_at=now, stage="已取消"),
        execution_options=options,
    )
    session.execute(
        update(Job)
        .where(chosen, Job.status == "running", Job.cancel_requested.is_(False))
        .values(cancel_requested=True, stage="正在取消…"),
        execution_options=options,
    )
