"""``zonehero serve --workers 2``: two web processes on one port and a job worker beside them, stopped together."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from sqlalchemy import text

from zonehero.config import Settings
from zonehero.db import migrate
from zonehero.db.session import make_engine, session_factory, unit_of_work
from zonehero.features.jobs import service as jobs
from zonehero.features.jobs.queue import JobQueue
from zonehero.features.roles import SYSTEM

DEADLINE = 120.0
ZONEHERO = Path(sys.executable).parent / "zonehero"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def test_two_web_processes_and_a_job_worker_start_and_stop_together(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'zonehero.db'}"
    migrate.upgrade(url)
    port = free_port()
    log = (tmp_path / "serve.log").open("wb")
    server = subprocess.Popen(
        [str(ZONEHERO), "serve", "--db", url, "--data-dir", str(tmp_path), "--port", str(port), "--workers", "2"],
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    engine = make_engine(url)
    try:
        deadline = time.monotonic() + DEADLINE
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, (tmp_path / "serve.log").read_text()
            time.sleep(0.2)
        children = subprocess.run(["pgrep", "-g", str(server.pid)], capture_output=True, text=True).stdout.split()
        assert len(children) >= 4  # serve, two web processes, the job worker (and its worker process)

        settings = Settings(data_dir=tmp_path, db=url, environment="test")  # type: ignore[call-arg]
        queue = JobQueue(settings)
        try:
            with unit_of_work(session_factory(engine)) as session:
                job = jobs.submit(
                    session, SYSTEM, "run_create", {"year": 2031, "scheme_version_id": 1}, enqueue=queue.enqueue
                )
        finally:
            queue.close()
        while True:  # the worker beside the web processes runs it: a year without figures fails with a message
            with engine.connect() as conn:
                status, error = conn.execute(text("SELECT status, error FROM jobs WHERE id = :i"), {"i": job.id}).one()
            if status in ("done", "failed"):
                break
            assert time.monotonic() < deadline, (tmp_path / "serve.log").read_text()
            time.sleep(0.2)
        assert status == "failed" and "2031 年度还没有导入数据" in error
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=60)
        finally:
            if group_alive(server.pid):
                os.killpg(server.pid, signal.SIGKILL)
        engine.dispose()
        log.close()
    deadline = time.monotonic() + 30
    while group_alive(server.pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not group_alive(server.pid), "a web process or the job worker outlived serve"


def test_the_job_worker_dies_with_serve_even_when_serve_is_killed(tmp_path: Path) -> None:
    """SIGKILL leaves serve no time to stop its worker: the worker asked Linux for a signal when serve dies."""
    url = f"sqlite:///{tmp_path / 'zonehero.db'}"
    migrate.upgrade(url)
    port = free_port()
    log = (tmp_path / "serve.log").open("wb")
    server = subprocess.Popen(
        [str(ZONEHERO), "serve", "--db", url, "--data-dir", str(tmp_path), "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + DEADLINE
        workers: list[str] = []
        while not workers:
            workers = subprocess.run(["pgrep", "-P", str(server.pid)], capture_output=True, text=True).stdout.split()
            assert time.monotonic() < deadline, (tmp_path / "serve.log").read_text()
            time.sleep(0.2)
        worker = int(workers[0])
        server.kill()
        server.wait(timeout=10)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                os.kill(worker, 0)
            except ProcessLookupError:
                break
            time.sleep(0.2)
        else:
            raise AssertionError("the job worker outlived a killed serve")
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGKILL)
        log.close()
