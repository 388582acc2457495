"""Running one job in a worker process, and looking after jobs whose worker died.

One attempt: claim the row (queued → running, one more attempt) in a short transaction; run the kind in one
unit of work; set "done" with the outcome in that same unit of work, so the kind's effect and "done" commit
together or not at all. Meanwhile a heartbeat thread and every progress step write in their own short
transactions. Every write of an attempt is guarded by its attempt number, so an attempt that a reaper has
given up on (its heartbeat went stale) can neither report nor commit.

A job made in parts (all notices of a province) spawns child jobs through :class:`_Children`: each child is an
ordinary job (claimed, guarded, retried after a dead worker like any other) that any worker may take, the parent's
own worker included, which works on the queued ones while it waits; the parent puts their results together and
commits that with its "done".

Errors become a Chinese message on the job: the kinds of :mod:`zonehero.errors` say what is wrong with the
input; anything else is logged with its traceback in the worker's log and the user reads a general message.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from zonehero.config import Settings
from zonehero.db.session import unit_of_work
from zonehero.errors import InputError, ZoneheroError
from zonehero.features.audit.origin import Origin, origin_scope
from zonehero.features.jobs import repository
from zonehero.features.jobs.kinds import KINDS, ChildState, JobContext
from zonehero.features.jobs.models import Job
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

    def __init__(
        self,
        sessions: sessionmaker[Session],
        job_id: int,
        attempt: int,
        after: Callable[[], object] | None = None,
    ) -> None:
        self.sessions, self.job_id, self.attempt = sessions, job_id, attempt
        self.after = after
        """Called after each step written (a parent running this part in its own process sums its parts)."""
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
        if self.after is not None:
            try:
                self.after()
            except Exception:  # the parent's own cancel or loss: the parent sees it at its next step, not this part
                log.debug("job %s: its parent's progress was not written", self.job_id, exc_info=True)


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


def run_job(
    settings: Settings,
    sessions: sessionmaker[Session],
    job_id: int,
    enqueue: Enqueue | None = None,
    *,
    after_step: Callable[[], object] | None = None,
) -> str:
    """Run job ``job_id`` once; its final status is returned ("skipped" when it was not queued).

    ``enqueue`` puts the child jobs it makes on the queue (without it they are run by this job alone);
    ``after_step`` is called after each progress step written.
    """
    with unit_of_work(sessions) as session:
        if not repository.claim(session, job_id, now=wall_clock(), stage="开始执行"):
            return "skipped"
        job = repository.get(session, job_id)
        assert job is not None
        kind, parameters, attempt, submitted_by = job.kind, dict(job.parameters or {}), job.attempts, job.submitted_by
    log.info("job %s (%s) attempt %s started", job_id, kind, attempt)
    heartbeat = _Heartbeat(sessions, job_id, attempt, settings.job_heartbeat_seconds)
    heartbeat.start()
    try:
        with origin_scope(Origin.job(job_id)):  # what the job audits names the job, whose row names who asked
            job_run = _JobRun(settings, sessions, job_id, attempt, submitted_by, enqueue)
            return _attempt(job_run, kind, parameters, after_step)
    finally:
        heartbeat.stopped.set()
        heartbeat.join()


class _JobRun:
    """One attempt of one job: where it runs and how it reaches the store and the queue."""

    def __init__(
        self,
        settings: Settings,
        sessions: sessionmaker[Session],
        job_id: int,
        attempt: int,
        submitted_by: int | None,
        enqueue: Enqueue | None,
    ) -> None:
        self.settings, self.sessions, self.job_id, self.attempt = settings, sessions, job_id, attempt
        self.submitted_by, self.enqueue = submitted_by, enqueue


def _attempt(job_run: _JobRun, kind: str, parameters: dict[str, Any], after_step: Callable[[], object] | None) -> str:
    settings, sessions, job_id, attempt = job_run.settings, job_run.sessions, job_run.job_id, job_run.attempt
    submitted_by = job_run.submitted_by

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
            reporter = _Reporter(sessions, job_id, attempt, after_step)
            ctx = JobContext(session, actor, settings, parameters, reporter, folder, _Children(job_run))
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


def _key(parameters: Mapping[str, Any] | None) -> str:
    return json.dumps(parameters or {}, sort_keys=True, ensure_ascii=False)


class _Children:
    """The child jobs of one attempt (:class:`zonehero.features.jobs.kinds.Children`), each call in its own
    short transaction so other workers see the children at once."""

    def __init__(self, job_run: _JobRun) -> None:
        self.run = job_run
        self.ids: list[int] = []

    def spawn(self, kind: str, parameters: Sequence[Mapping[str, Any]]) -> list[int]:
        found = KINDS[kind]
        wanted = [found.parameters({**p, "parent": self.run.job_id}) for p in parameters]
        ids: list[int] = []
        queue: list[int] = []
        with unit_of_work(self.run.sessions) as session:
            if repository.cancel_requested(session, self.run.job_id):
                raise JobCancelled  # the parent is being cancelled: no part is queued again
            earlier = {_key(j.parameters): j for j in repository.children(session, self.run.job_id, [kind])}
            for params in wanted:
                job = earlier.pop(_key(params), None)
                if job is None:
                    job = repository.add(session, self._child(kind, params))
                    queue.append(job.id)
                elif job.status == "queued" or not (job.status == "running" or self._kept(job)):
                    self._again(job)
                    queue.append(job.id)
                ids.append(job.id)
            session.flush()
            repository.cancel_unfinished(session, [j.id for j in earlier.values()], now=wall_clock())
        self.ids = ids
        if self.run.enqueue is not None:
            for child_id in queue:
                self.run.enqueue(child_id)
        return ids

    def _child(self, kind: str, parameters: dict[str, Any]) -> Job:
        return Job(
            kind=kind,
            parameters=parameters,
            status="queued",
            done=0,
            total=0,
            stage="排队等待执行",
            cancel_requested=False,
            attempts=0,
            submitted_by=self.run.submitted_by,
            submitted_at=wall_clock(),
        )

    def _kept(self, job: Job) -> bool:
        """A part done by an earlier attempt whose file is still there is not made again."""
        if job.status != "done" or not job.result_path:
            return False
        return (self.run.settings.data_dir / job.result_path).is_file()

    @staticmethod
    def _again(job: Job) -> None:
        if job.status != "queued":
            job.status, job.attempts, job.error = "queued", 0, None
            job.finished_at = job.started_at = job.progress_at = job.heartbeat_at = None
            job.result_path = job.result_name = job.result_summary = None
        job.done, job.total, job.cancel_requested, job.stage = 0, 0, False, "排队等待执行"

    def states(self) -> list[ChildState]:
        with unit_of_work(self.run.sessions) as session:
            rows = {j.id: j for j in repository.among(session, self.ids)}
            return [
                ChildState(
                    id=j.id,
                    parameters=dict(j.parameters or {}),
                    status=j.status,
                    done=j.done,
                    total=j.total,
                    error=j.error,
                    result_path=j.result_path,
                    result_name=j.result_name,
                )
                for j in (rows[i] for i in self.ids if i in rows)
            ]

    def run_one(self, after_step: Callable[[], object] | None = None) -> bool:
        waiting = [s.id for s in self.states() if s.status == "queued"]
        run = self.run
        for child_id in waiting:
            if run_job(run.settings, run.sessions, child_id, run.enqueue, after_step=after_step) != "skipped":
                return True
        return False

    def stop(self) -> None:
        with unit_of_work(self.run.sessions) as session:
            repository.cancel_unfinished(session, self.ids, now=wall_clock())


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
