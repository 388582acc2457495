"""The PostgreSQL queue's tables are made by one process at a time (two workers starting together on a fresh
database raced in PostgreSQL's catalogue and one died on a duplicate type)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import psycopg
import pytest
from pg_server import start_postgres

from zonehero.config import Settings
from zonehero.features.jobs.queue import SCHEMA_LOCK, TABLE_PREFIX, make_huey, postgres_dsn

pytestmark = pytest.mark.postgres


def _tables(dsn: str) -> set[str]:
    with psycopg.connect(dsn) as conn:
        rows = conn.execute("SELECT tablename FROM pg_tables WHERE tablename LIKE %s", (f"{TABLE_PREFIX}%",))
        return {str(r[0]) for r in rows}


def test_a_second_process_waits_for_the_first_to_make_the_tables(
    request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    url = start_postgres(request)
    settings = Settings(data_dir=tmp_path, db=url, job_queue="postgres", environment="test")
    dsn = postgres_dsn(url)
    made: list[object] = []
    with psycopg.connect(dsn) as holder:
        holder.execute("BEGIN")
        holder.execute("SELECT pg_advisory_xact_lock(%s)", (SCHEMA_LOCK,))  # another process is making them
        starting = threading.Thread(target=lambda: made.append(make_huey(settings)), daemon=True)
        starting.start()
        time.sleep(1.0)
        assert not made and _tables(dsn) == set(), "the queue's tables were made while another process held the lock"
        holder.execute("COMMIT")
    starting.join(timeout=30)
    assert made, "make_huey did not finish once the lock was free"
    assert {f"{TABLE_PREFIX}_kv", f"{TABLE_PREFIX}_task", f"{TABLE_PREFIX}_schedule"} <= _tables(dsn)


def test_four_processes_starting_together_all_get_the_queue(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    url = start_postgres(request)
    settings = Settings(data_dir=tmp_path, db=url, job_queue="postgres", environment="test")
    errors: list[BaseException] = []
    gate = threading.Barrier(4)

    def start() -> None:
        gate.wait()
        try:
            make_huey(settings).storage.close()
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=start) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
