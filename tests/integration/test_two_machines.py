"""The year's cycle across two web processes and two job workers on one PostgreSQL (issue 11 part 4).

Two ``zonehero serve --no-worker`` processes on two ports stand for two application machines behind a proxy,
two ``zonehero worker`` processes for the job workers; they share only the database (with the job queue in it,
``ZONEHERO_JOB_QUEUE=postgres``) and the data folder (the file store). Every step of the year is asked of the
other web process than the step before, so nothing may live in one process's memory: the session, the CSRF
token, an upload's preview, a job's progress. Last year's draft is finalised, this year's files are imported
and confirmed, the draft is made by a job, published, objected to by an enterprise and answered, and every
notice is made by a job and downloaded; the audit chain written by four processes at once verifies.
"""

from __future__ import annotations

import contextlib
import io
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
import zipfile
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from pg_server import start_postgres
from sqlalchemy import create_engine, text

from zonehero import clock
from zonehero.config import Settings
from zonehero.db import migrate
from zonehero.db.session import make_engine, session_factory, unit_of_work
from zonehero.demo.seed import ENTERPRISE_ACCOUNT, seed_demo
from zonehero.demo.writers import write_demo_years
from zonehero.features.publication import service as publication
from zonehero.features.roles import SYSTEM

pytestmark = pytest.mark.postgres

PASSWORD = "Zwei-Maschinen-2026!"
LAST_YEAR, YEAR = 2024, 2025
ENTERPRISES = 30
DEADLINE = 180.0
ZONEHERO = Path(sys.executable).parent / "zonehero"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(request: pytest.FixtureRequest) -> str:
    return start_postgres(request)


class Cluster:
    """The store, the data folder, two web addresses and the four processes."""

    def __init__(self, url: str, data: Path, webs: list[str], processes: list[subprocess.Popen[bytes]]) -> None:
        self.url, self.data, self.webs, self.processes = url, data, webs, processes

    def logs(self) -> str:
        return "\n".join(
            f"--- {log.name}\n{log.read_text(errors='replace')[-3000:]}" for log in sorted(self.data.glob("*.log"))
        )


def _wait_healthy(base: str, cluster_logs: Path) -> None:
    deadline = time.monotonic() + DEADLINE
    while True:
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        assert time.monotonic() < deadline, "\n".join(p.read_text() for p in cluster_logs.glob("*.log"))
        time.sleep(0.2)


@pytest.fixture
def cluster(server: str, tmp_path: Path) -> Iterator[Cluster]:
    name = f"two_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name}"))
    admin.dispose()
    url = server.rsplit("/", 1)[0] + f"/{name}"
    data = tmp_path / "shared-data"
    data.mkdir()
    migrate.upgrade(url)
    settings = Settings(data_dir=data, db=url, environment="test", job_queue="postgres")
    engine = make_engine(url)
    with unit_of_work(session_factory(engine)) as session:
        seeded = seed_demo(session, settings, password=PASSWORD, enterprises=ENTERPRISES, years=(2023, LAST_YEAR))
        # Last year's draft went to 公示 six weeks ago, so its period is over and it may be finalised today.
        draft = seeded.runs[LAST_YEAR][0]
        publication.publish_run(session, SYSTEM, draft, on=clock.today() - timedelta(days=42))
    engine.dispose()
    env = {**os.environ, "ZONEHERO_JOB_QUEUE": "postgres", "ZONEHERO_ENVIRONMENT": "test"}
    ports = [_free_port(), _free_port()]
    commands = [
        *(
            [str(ZONEHERO), "serve", "--db", url, "--data-dir", str(data), "--port", str(p), "--no-worker"]
            for p in ports
        ),
        *([str(ZONEHERO), "worker", "--db", url, "--data-dir", str(data)] for _ in range(2)),
    ]
    processes = []
    for index, command in enumerate(commands):
        log = (data / f"process-{index}.log").open("wb")
        processes.append(
            subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
        )
    webs = [f"http://127.0.0.1:{p}" for p in ports]
    try:
        for base in webs:
            _wait_healthy(base, data)
        yield Cluster(url, data, webs, processes)
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=30)
            with contextlib.suppress(ProcessLookupError):  # whatever is left of its session (a worker's children)
                os.killpg(process.pid, signal.SIGKILL)


class Person:
    """One browser: a cookie jar and a CSRF token, sent to whichever web process the step names."""

    def __init__(self, cluster: Cluster, username: str) -> None:
        self.cluster = cluster
        self.client = httpx.Client(timeout=60, follow_redirects=False)
        answer = self.client.post(f"{cluster.webs[0]}/api/login", json={"username": username, "password": PASSWORD})
        assert answer.status_code == 200, answer.text
        self.client.headers["X-CSRF-Token"] = answer.json()["csrf_token"]

    def post(self, web: int, path: str, **kwargs: object) -> httpx.Response:
        answer = self.client.post(f"{self.cluster.webs[web]}{path}", **kwargs)  # type: ignore[arg-type]
        assert answer.status_code in (200, 303), f"{path}: {answer.status_code}\n{answer.text[:2000]}"
        return answer

    def get(self, web: int, path: str) -> httpx.Response:
        answer = self.client.get(f"{self.cluster.webs[web]}{path}")
        assert answer.status_code == 200, f"{path}: {answer.status_code}\n{answer.text[:2000]}"
        return answer

    def job(self, web: int, job_id: int) -> dict[str, object]:
        """Follow a job on ``web`` until a worker has finished it."""
        deadline = time.monotonic() + DEADLINE
        while True:
            job = self.get(web, f"/api/jobs/{job_id}").json()
            if job["status"] in ("done", "failed", "cancelled"):
                assert job["status"] == "done", f"{job}\n{self.cluster.logs()}"
                return dict(job)
            assert time.monotonic() < deadline, f"job {job_id} never finished\n{self.cluster.logs()}"
            time.sleep(0.3)


def _id_after(answer: httpx.Response, prefix: str) -> int:
    location = answer.headers["location"]
    assert location.startswith(prefix), location
    return int(location.removeprefix(prefix).split("?")[0].split("/")[0])


def test_the_years_cycle_runs_across_two_web_processes_and_two_workers(cluster: Cluster) -> None:
    analyst = Person(cluster, "analyst")
    last_year = analyst.get(1, "/api/runs").json()
    draft = next(r for r in last_year["items"] if r["year"] == LAST_YEAR)
    assert draft["status"] == "notice"

    # 定稿 of last year on the other machine than the log-in.
    analyst.post(1, f"/runs/{draft['id']}/finalize")
    assert analyst.get(0, f"/api/runs/{draft['id']}").json()["status"] == "final"

    # This year's files: uploaded on one machine, the preview confirmed on the other.
    # The demo zone's own enterprises in the year after (the seed's files, written again as the bureau receives them).
    files = write_demo_years(cluster.data / "incoming", ENTERPRISES, seed=1, years=(2023, LAST_YEAR, YEAR))[YEAR]
    uploads = [("files", (f.name, f.read_bytes(), "application/octet-stream")) for f in files]
    batch = _id_after(analyst.post(0, "/imports", data={"year": str(YEAR)}, files=uploads), "/imports/")
    analyst.post(1, f"/imports/{batch}/confirm", data={"year": str(YEAR)})
    assert 'data-status="confirmed"' in analyst.get(0, f"/imports/{batch}").text

    # The draft, made by a job submitted on one machine and followed on the other.
    job = _id_after(
        analyst.post(
            0,
            "/jobs",
            data={"kind": "run_create", "year": str(YEAR), "scheme_version_id": str(draft["scheme_version_id"])},
        ),
        "/jobs/",
    )
    run_id = int(analyst.job(1, job)["result_summary"]["run_id"])  # type: ignore[index]
    analyst.post(0, f"/runs/{run_id}/publish", data={"period_days": "5"})
    assert analyst.get(1, f"/api/runs/{run_id}").json()["status"] == "notice"

    # The enterprise objects on one machine; the analyst answers on the other.
    enterprise = Person(cluster, ENTERPRISE_ACCOUNT)
    uscc = enterprise.get(1, "/api/me").json()["enterprise_uscc"]
    enterprise.post(1, f"/enterprises/{uscc}/objections", data={"run_id": str(run_id), "text": "用地面积有误，请核实"})
    engine = make_engine(cluster.url)
    try:
        with engine.connect() as conn:
            objection = conn.execute(text("SELECT id FROM objections WHERE run_id = :r"), {"r": run_id}).scalar_one()
        analyst.post(0, f"/runs/{run_id}/objections/{objection}/reject", data={"answer": "经核实，用地面积无误"})

        # Every notice, by a job on whichever worker takes it, downloaded from the other machine.
        notices = _id_after(
            analyst.post(1, "/jobs", data={"kind": "notices_zip", "run_id": str(run_id), "lift": "false"}), "/jobs/"
        )
        analyst.job(0, notices)
        archive = analyst.get(0, f"/jobs/{notices}/download").content
        names = zipfile.ZipFile(io.BytesIO(archive)).namelist()
        assert len([n for n in names if n.endswith(".pdf")]) >= ENTERPRISES // 2, names

        with engine.connect() as conn:
            statuses = dict(conn.execute(text("SELECT kind, status FROM jobs")).all())
            answered = conn.execute(text("SELECT status FROM objections WHERE id = :i"), {"i": objection}).scalar_one()
        assert statuses == {"run_create": "done", "notices_zip": "done"}
        assert answered != "open"
    finally:
        engine.dispose()

    # Four processes wrote the audit log at once; its chain is intact.
    verified = subprocess.run(
        [str(ZONEHERO), "audit", "verify", "--db", cluster.url], capture_output=True, text=True, timeout=120
    )
    assert verified.returncode == 0, verified.stdout + verified.stderr
