"""Running one job in a worker process, and looking after jobs whose worker died.

One attempt: claim the row (queued → running, one more attempt) in a short transaction; run the kind in one
unit of work; set "done" with the outcome in that same unit of work, so the kind's effect and "done" commit
together or not at all. Meanwhile a heartbeat thread and every progress step write in their own short
transactions. Every write of an attempt is guarded by its attempt number, so an attempt that a reaper has
given up on (its heartbeat went stale) can neither report nor commit.

Errors become a Chinese message on the job: the kinds of :mod:`zonehero.errors` say what is wrong with the
input; anything else is logged with its traceback in the worker's log and the user reads a general message.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from zonehero.config import Settings
from zonehero.db.session import unit_of_work
from zonehero.errors import InputError, ZoneheroError
from zonehero.features.audit.origin import Origin, origin_scope
from zonehero.features.jobs import repository
from zonehero.features.jobs.kinds import KINDS, JobContext
from zonehero.features.jobs.service import Enqueue, wall_clock
from zonehero.features.roles import SYSTEM, Actor
from zonehero.features.users.service import get_actor

log = logging.getLogger("zonehero.jobs")

REPORT_EVERY_SECONDS = 0.5
"""Progress steps closer together than this are not written (a 100,000-notice zip would be 100,000 commits);
the first and the last always are."""

UNEXPECTED = "任务执行时出现内部错误，已记录在任务进程的日志中；可以重试，仍失败请联系管理员"


class JobCancelled(Exception):
    """The user asked to cancel; raised at a progress step so the kind's work rolls back."""


class JobLost(Exception):
    """This attempt is no longer the job's (a reaper re-queued or failed it): stop without writing."""


def _message(exc: ZoneheroError) -> str:
    if isinstance(exc, InputError) and exc.problems:
        parts = []
        for p in exc.problems[:20]:
            where = "，".join(x for x in (p.file, f"第 {p.row} 行" if p.row else None, p.column) if x)
            parts.append(f"{where}：{p.message}" if where else p.message)
        more = f"（另有 {len(exc.problems) - 20} 处）" if len(exc.problems) > 20 else ""
        return "；".join(parts) + more
    return str(exc) or type(exc).__name__


class _Reporter:
    """``progress(done, total, stage)`` of one attempt, in its own transactions."""

    def __init__(self, sessions: sessionmaker[Session], job_id: int, attempt: int) -> None:
        self.sessions, self.job_id, self.attempt = sessions, job_id, attempt
        self._last = 0.0

    def __call__(self, done: int, total: int, stage: str | None = None) -> None:
        now = time.monotonic()
        if done not in (0, total) and now - self._last < REPORT_EVERY_SECONDS:
            return
        self._last = now
        with unit_of_work(self.sessions) as session:
            if repository.cancel_requested(session, self.job_id):
                raise JobCancelled
            if not repository.report(
                session, self.job_id, self.attempt, done=done, total=total, stage=stage, now=wall_clock()
            ):
                raise JobLost


class _Heartbeat(threading.Thread):
    """Tells the reapers this attempt's worker lives, every ``seconds``, until stopped."""

    def __init__(self, sessions: sessionmaker[Session], job_id: int, attempt: int, seconds: int) -> None:
        super().__init__(name=f"job-{job_id}-heartbeat", daemon=True)
        self.sessions, self.job_id, self.attempt, self.seconds = sessions, job_id, attempt, seconds
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(self.seconds):
            try:
                with unit_of_work(self.sessions) as session:
                    repository.beat(session, self.job_id, self.attempt, now=wall_clock())
            except Exception:  # a busy SQLite store during the job's own write: try again next beat
                log.debug("heartbeat of job %s skipped", self.job_id, exc_info=True)


def _actor(session: Session, user_id: int | None) -> Actor | None:
    if user_id is None:
        return SYSTEM
    return get_actor(session, user_id)


def run_job(settings: Settings, sessions: sessionmaker[Session], job_id: int) -> str:
    """Run job ``job_id`` once; its final status is returned ("skipped" when it was not queued)."""
    with unit_of_work(sessions) as session:
        if not repository.claim(session, job_id, now=wall_clock(), stage="开始执行"):
            return "skipped"
        job = repository.get(session, job_id)
        assert job is not None
        kind, parameters, attempt, submitted_by = job.kind, dict(job.parameters or {}), job.attempts, job.submitted_by
    heartbeat = _Heartbeat(sessions, job_id, attempt, settings.job_heartbeat_seconds)
    heartbeat.start()
    try:
        with origin_scope(Origin.job(job_id)):  # what the job audits names the job, whose row names who asked
            return _attempt(settings, sessions, job_id, attempt, kind, parameters, submitted_by)
    finally:
        heartbeat.stopped.set()
        heartbeat.join()


def _attempt(
    settings: Settings,
    sessions: sessionmaker[Session],
    job_id: int,
    attempt: int,
    kind: str,
    parameters: dict[str, Any],
    submitted_by: int | None,
) -> str:
    def end(status: str, **values: Any) -> str:
        with unit_of_work(sessions) as session:
            repository.finish(session, job_id, attempt, status=status, now=wall_clock(), **values)
        return status

    found = KINDS.get(kind)
    if found is None:
        return end("failed", error=f"未知的任务类型「{kind}」", stage="")
    folder = settings.jobs_dir / str(job_id)
    try:
        with unit_of_work(sessions) as session:
            actor = _actor(session, submitted_by)
            if actor is None:
                raise JobRefused("提交任务的账户已停用或删除，任务不再执行")
            ctx = JobContext(session, actor, settings, parameters, _Reporter(sessions, job_id, attempt), folder)
            outcome = found.run(ctx)
            finished = repository.finish(
                session,
                job_id,
                attempt,
                status="done",
                now=wall_clock(),
                stage="已完成",
                result_path=outcome.result_path.as_posix() if outcome.result_path else None,
                result_name=outcome.result_name,
                result_summary=outcome.summary or None,
            )
            if not finished:
                raise JobLost
        return "done"
    except JobCancelled:
        return end("cancelled", stage="已取消")
    except JobLost:
        log.warning("job %s attempt %s was given up by a reaper; its work was rolled back", job_id, attempt)
        return "lost"
    except JobRefused as exc:
        return end("failed", error=str(exc), stage="")
    except ZoneheroError as exc:
        return end("failed", error=_message(exc), stage="")
    except Exception:
        log.exception("job %s (%s) failed", job_id, kind)
        return end("failed", error=UNEXPECTED, stage="")


class JobRefused(Exception):
    """The job cannot run as submitted (its account is gone)."""


def recover_stale(settings: Settings, sessions: sessionmaker[Session], enqueue: Enqueue) -> list[int]:
    """Jobs left running by a dead worker: queued again while attempts remain, else failed. Their ids.

    A heartbeat older than ``job_stale_seconds`` marks the worker dead. Each change is guarded by the
    heartbeat it saw, so two workers recovering at once act once.
    """
    cutoff = wall_clock() - timedelta(seconds=settings.job_stale_seconds)
    requeued: list[int] = []
    with unit_of_work(sessions) as session:
        for job in repository.stale(session, before=cutoff):
            if job.attempts < settings.job_max_attempts:
                if repository.requeue_stale(
                    session, job.id, heartbeat=job.heartbeat_at, stage="执行它的进程已退出，重新排队"
                ):
                    requeued.append(job.id)
            else:
                repository.fail_stale(
                    session,
                    job.id,
                    heartbeat=job.heartbeat_at,
                    now=wall_clock(),
                    error=f"执行任务的进程意外退出（已尝试 {job.attempts} 次），任务未完成，未写入任何结果；可以重试",
                )
    for job_id in requeued:
        log.warning("job %s: its worker died; queued again", job_id)
        enqueue(job_id)
    return requeued


def run_forever(stop: threading.Event, every: float, work: Callable[[], object]) -> None:
    """Call ``work`` every ``every`` seconds until ``stop`` is set; errors are logged, never fatal."""
    while not stop.wait(every):
        try:
            work()
        except Exception:
            log.exception("periodic job upkeep failed")


def waiting_jobs(sessions: sessionmaker[Session]) -> list[int]:
    """Ids of queued jobs (a worker starting on an empty queue puts them back: a queue file may be new)."""
    with unit_of_work(sessions) as session:
        return list(repository.waiting(session, submitted_before=wall_clock()))
