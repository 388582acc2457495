"""``zonehero worker``: the job worker (后台任务进程) that runs queued jobs until stopped (Ctrl+C, SIGTERM).

It shares only the database, the queue and the data folder with the web processes, so any number of workers
may run, on this machine or others (with ``ZONEHERO_JOB_QUEUE=postgres``). At start-up and every heartbeat
interval it looks after jobs whose worker died (:meth:`zonehero.features.jobs.queue.JobQueue.recover`).
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import typer

from zonehero.edges.cli.output import console, user_errors

DB_HELP = "数据库地址，默认 ZONEHERO_DB 或数据目录下的 SQLite / database URL"


def worker(
    db: str | None = typer.Option(None, "--db", help=DB_HELP, show_default=False),
    data_dir: Path | None = typer.Option(
        None, "--data-dir", help="数据目录（默认 ZONEHERO_DATA_DIR 或 ./data）/ data folder", show_default=False
    ),
    workers: int | None = typer.Option(
        None, "--workers", min=1, max=64, help="同时运行的任务数（默认 ZONEHERO_JOB_WORKERS）/ worker processes"
    ),
) -> None:
    """运行后台任务 / run queued jobs (notices, reports, run creation, large imports)."""
    from zonehero.config import load_settings
    from zonehero.db.migrate import require_current
    from zonehero.db.session import make_engine
    from zonehero.features.jobs.queue import JobQueue
    from zonehero.features.jobs.runner import run_forever

    with user_errors():
        settings = load_settings(db=db, data_dir=data_dir, job_workers=workers)
        engine = make_engine(settings.database_url)
        try:
            with engine.connect() as connection:
                require_current(connection)
        finally:
            engine.dispose()
        queue = JobQueue(settings)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    recovered = queue.recover()
    requeued = queue.requeue_waiting()
    console.print(
        f"zonehero 后台任务进程：{settings.job_workers} 个并发，队列 {settings.job_queue}"
        f"（恢复 {len(recovered)} 个中断的任务，重新排队 {requeued} 个）/ job worker started",
        highlight=False,
    )
    stop = threading.Event()
    upkeep = threading.Thread(
        target=run_forever, args=(stop, float(settings.job_heartbeat_seconds), queue.recover), daemon=True
    )
    upkeep.start()
    try:
        queue.consumer(settings.job_workers).run()
    finally:
        stop.set()
        queue.close()


def register(app: typer.Typer) -> None:
    app.command("worker")(worker)
