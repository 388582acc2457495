"""The job queue: huey, carrying nothing but job ids (the ``jobs`` table holds everything else).

``job_queue = "sqlite"`` (the default) keeps the queue in ``<data_dir>/job-queue.db``: no server to run, for
one machine. ``job_queue = "postgres"`` keeps it in tables ``zonehero_queue_*`` of the store's own PostgreSQL
(huey's PostgresHuey, psycopg 3, woken by LISTEN/NOTIFY), so web processes and workers on several machines
share it. Why huey: ``docs/jobs.md``.

Nothing is built at import time: the web app and ``zonehero worker`` each build a :class:`JobQueue` from their
settings. The task is registered under one fixed name so both sides agree on it.
"""

from __future__ import annotations

import os
from typing import Any

from huey import PostgresHuey, SqliteHuey
from huey.api import Huey
from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from zonehero.config import Settings
from zonehero.db.session import make_engine, session_factory, unit_of_work
from zonehero.errors import ZoneheroError
from zonehero.features.jobs.lifetime import JobConsumer
from zonehero.features.jobs.runner import recover_stale, run_job, waiting_jobs
from zonehero.features.zone import service as zone

TASK_NAME = "zonehero.run_job"
QUEUE_NAME = "zonehero"
TABLE_PREFIX = "zonehero_queue"


def postgres_dsn(url: str) -> str:
    """The libpq address of a SQLAlchemy PostgreSQL URL (``postgresql+psycopg://…`` → ``postgresql://…``)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        raise ZoneheroError(
            "ZONEHERO_JOB_QUEUE=postgres 需要 PostgreSQL 业务数据库（ZONEHERO_DB=postgresql+psycopg://…）；"
            "单机部署请用默认的 sqlite 队列"
        )
    return parsed.set(drivername="postgresql").render_as_string(hide_password=False)


SCHEMA_LOCK = 0x7A6F6E65  # "zone"
"""The advisory lock that makes creating the queue's tables one process's work at a time."""


def _create_queue_tables(huey: Huey) -> None:
    """huey's ``CREATE TABLE IF NOT EXISTS`` under a transaction-scoped advisory lock.

    Two processes starting together on a fresh database (``zonehero worker`` twice, or a worker and a web process)
    otherwise race inside PostgreSQL's catalogue: both see no table, and the second dies on a duplicate type
    (``pg_type_typname_nsp_index``). With the lock the second waits, then finds the tables made.
    """
    storage: Any = huey.storage
    with storage.db(commit=True, close=True) as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", (SCHEMA_LOCK,))
        for statement in storage.ddl:
            cursor.execute(statement)


def make_huey(settings: Settings) -> Huey:
    """The huey instance of ``settings.job_queue``; task results are not kept (the jobs table has them)."""
    if settings.job_queue == "postgres":
        huey = PostgresHuey(
            QUEUE_NAME,
            dsn=postgres_dsn(settings.database_url),
            table_prefix=TABLE_PREFIX,
            results=False,
            create_tables=False,
        )
        _create_queue_tables(huey)
        return huey
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return SqliteHuey(QUEUE_NAME, filename=str(settings.job_queue_file), results=False, timeout=30)


class JobQueue:
    """Enqueue job ids (web, CLI) and run them (``zonehero worker``)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.huey = make_huey(settings)
        self._task = self.huey.task(name=TASK_NAME)(self._execute)
        self._store: tuple[int, Engine, sessionmaker[Session]] | None = None

    def enqueue(self, job_id: int) -> None:
        self._task(job_id)

    def pending(self) -> int:
        """How many job ids wait on the queue (not yet taken by a worker)."""
        return int(self.huey.pending_count())

    def sessions(self) -> sessionmaker[Session]:
        """This process's session factory (a forked worker makes its own: connections do not survive fork)."""
        if self._store is not None and self._store[0] != os.getpid():
            self._store[1].dispose(close=False)
            self._store = None
        if self._store is None:
            engine = make_engine(self.settings.database_url)
            factory = session_factory(engine)
            with unit_of_work(factory) as session:
                zone.install_clock(session)
            self._store = (os.getpid(), engine, factory)
        return self._store[2]

    def _execute(self, job_id: int) -> str:
        return run_job(self.settings, self.sessions(), job_id, self.enqueue)

    def recover(self) -> list[int]:
        """Queue again (or fail) the jobs of dead workers; see :func:`runner.recover_stale`."""
        return recover_stale(self.settings, self.sessions(), self.enqueue)

    def requeue_waiting(self) -> int:
        """On an empty queue, put back every job still marked queued (a claimed duplicate is skipped)."""
        if self.pending():
            return 0
        ids = waiting_jobs(self.sessions())
        for job_id in ids:
            self.enqueue(job_id)
        return len(ids)

    def consumer(self, workers: int) -> Any:
        """huey's consumer with ``workers`` worker processes that end with it (the caller runs it)."""
        return JobConsumer(
            self.huey,
            workers=workers,
            worker_type="process",
            periodic=False,
            check_worker_health=True,
            initial_delay=0.1,
            max_delay=1.0,
        )

    def close(self) -> None:
        if self._store is not None and self._store[0] == os.getpid():
            self._store[1].dispose()
        self._store = None
        self.huey.storage.close()
