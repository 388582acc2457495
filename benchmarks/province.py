"""The province benchmark's work (see ``bench_province.py``, the script that runs it, for what it prints).

Kept apart from the script so that the script's top level imports nothing: every import file is parsed in a child
process (``zonehero.features.imports.isolation``), and multiprocessing runs the main script's top level again in
each child; with this module imported there, each child would import the web application, the test client and
every service again (seconds per file on a busy machine), which a real web process or job worker does not pay.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "integration"))

from pg_server import PostgresServer  # noqa: E402

from pages import (  # noqa: E402  (benchmarks/ is the script's folder, on sys.path)
    P95_TARGET_S,
    PASSWORD,
    RATIO_TARGET,
    compare,
    load_average,
    open_zone,
    page_paths,
    percentile,
)
from zonehero.config import Settings  # noqa: E402
from zonehero.db import migrate  # noqa: E402
from zonehero.db.session import make_engine, session_factory, unit_of_work  # noqa: E402
from zonehero.demo import write_demo_years  # noqa: E402
from zonehero.features.imports import service as imports  # noqa: E402
from zonehero.features.imports.storage import UploadedFile  # noqa: E402
from zonehero.features.publication import service as publication  # noqa: E402
from zonehero.features.roles import SYSTEM, Actor, Role  # noqa: E402
from zonehero.features.runs import service as runs  # noqa: E402
from zonehero.features.schemes import service as schemes  # noqa: E402
from zonehero.features.users import service as users  # noqa: E402

LAST_YEAR = 2025
IMPORT_TARGET_S = 60.0
RUN_TARGET_S = 20.0
NOTICE_RATE_TARGET = 30.0
LOAD_P95_TARGET_S = 0.800
THINK_SECONDS = 2.0
ZONEHERO = Path(sys.executable).parent / "zonehero"
STAFF = (("analyst", Role.ANALYST), ("leader", Role.LEADER))


def say(line: str) -> None:
    print(line, flush=True)


def stamp() -> str:
    return f"({load_average()})"


# --- the PostgreSQL server and its databases


class Server:
    """Where the databases live: a cluster this script started (kept in ``--keep`` DIR or thrown away), or --pg."""

    def __init__(self, pg: str | None, keep: Path | None) -> None:
        self.cluster: PostgresServer | None = None
        self.keep = keep
        if pg is None:
            self.cluster = PostgresServer.start(keep / "pg" if keep else None, fsync=True)
            pg = self.cluster.url("postgres")
        self.admin_url = pg

    def url(self, database: str) -> str:
        return make_url(self.admin_url).set(database=database).render_as_string(hide_password=False)

    def _admin(self, statement: str) -> list[Any]:
        engine = create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as conn:
                result = conn.execute(text(statement))
                return list(result.scalars()) if result.returns_rows else []
        finally:
            engine.dispose()

    def exists(self, database: str) -> bool:
        return bool(self._admin(f"SELECT 1 FROM pg_database WHERE datname = '{database}'"))

    def create(self, database: str, template: str | None = None) -> str:
        self._admin(f"CREATE DATABASE {database}" + (f" TEMPLATE {template}" if template else ""))
        return self.url(database)

    def drop(self, database: str) -> None:
        self._admin(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")

    def stop(self) -> None:
        if self.cluster is not None:
            self.cluster.stop(remove=self.keep is None)


# --- seeding: the year's work, timed step by step


@dataclass
class Seeded:
    """A seeded zone: its runs, the enterprise of the enterprise page, and how long each step took (seconds)."""

    n: int
    years: list[int]
    final_run: int
    draft_run: int
    uscc: str
    steps: dict[str, float]
    seeded_on: str
    next_year_files: list[str] = field(default_factory=list)

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(self.__dict__, ensure_ascii=False, indent=1), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> Seeded:
        return cls(**json.loads(path.read_text(encoding="utf-8")))


def _timed(factory: Any, work: Callable[[Any], Any]) -> tuple[Any, float]:
    """``work(session)`` in its own unit of work (as a request or a job has), the commit included in the time."""
    started = time.perf_counter()
    with unit_of_work(factory) as session:
        result = work(session)
    return result, time.perf_counter() - started


def seed(n: int, years: list[int], url: str, data_dir: Path) -> Seeded:
    """Load the zone year by year through the services; print each step as it ends."""
    migrate.upgrade(url)
    engine = make_engine(url)
    factory = session_factory(engine)
    settings = Settings(data_dir=data_dir, db=url, environment="test")
    steps: dict[str, float] = {}
    with unit_of_work(factory) as session:
        schemes.ensure_default_scheme(session)
        version = schemes.list_schemes(session, SYSTEM)[0].versions[-1].id
        staff = {}
        for username, role in STAFF:
            made = users.create_user(session, SYSTEM, username, PASSWORD, role)
            staff[username] = Actor(id=made.id, username=made.username, role=role)
    analyst = staff["analyst"]
    started = time.perf_counter()
    written = write_demo_years(data_dir / "demo-files", n, seed=1, years=(*years, years[-1] + 1))
    steps["files"] = time.perf_counter() - started
    say(f"    {n:>7,}: department files of {len(written)} years written in {steps['files']:.1f} s {stamp()}")
    run_ids: dict[int, int] = {}
    for index, year in enumerate(years):
        files = [UploadedFile(p.name, p.read_bytes()) for p in written[year]]
        preview, steps[f"preview {year}"] = _timed(
            factory, lambda s, f=files, y=year: imports.preview_import(s, analyst, f, settings=settings, year=y)
        )
        if preview.problems:
            raise SystemExit(f"{year}: the preview found problems: {preview.problems[0].message}")
        _, steps[f"import confirm {year}"] = _timed(
            factory,
            lambda s, b=preview.batch_id, y=year: imports.confirm_import(s, analyst, b, year=y, settings=settings),
        )
        run, steps[f"run creation {year}"] = _timed(
            factory, lambda s, y=year: runs.create_draft_run(s, analyst, year=y, scheme_version_id=version)
        )
        run_ids[year] = run.id
        line = (
            f"    {n:>7,} {year}: preview {steps[f'preview {year}']:6.1f} s, "
            f"import confirm {steps[f'import confirm {year}']:6.1f} s ({preview.figure_count:,} figures), "
            f"run creation {steps[f'run creation {year}']:5.1f} s"
        )
        if index < len(years) - 1:
            published, steps[f"publish {year}"] = _timed(
                factory, lambda s, r=run.id, y=year: publication.publish_run(s, analyst, r, on=date(y + 1, 3, 1))
            )
            end = published.notice_end + timedelta(days=1)
            _, steps[f"finalize {year}"] = _timed(
                factory, lambda s, r=run.id, e=end: publication.finalize_run(s, analyst, r, on=e)
            )
            line += f", 公示 {steps[f'publish {year}']:5.1f} s, 定稿 {steps[f'finalize {year}']:5.1f} s"
        say(f"{line} {stamp()}")
    final_run, draft_run = run_ids[years[-2]], run_ids[years[-1]]
    with unit_of_work(factory) as session:
        uscc = ""
        for class_ in ("B", "C", "A", None):
            page = runs.list_results(session, SYSTEM, final_run, class_=class_, limit=1)
            if page.items:
                uscc = page.items[0].uscc
                break
        users.create_user(session, SYSTEM, "enterprise", PASSWORD, Role.ENTERPRISE, enterprise_uscc=uscc)
    engine.dispose()
    return Seeded(
        n=n,
        years=years,
        final_run=final_run,
        draft_run=draft_run,
        uscc=uscc,
        steps=steps,
        seeded_on=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        next_year_files=[str(p) for p in written[years[-1] + 1]],
    )


def report_seeding(zone: Seeded, kept: bool) -> dict[str, bool]:
    """Print the import confirm and run creation of each year against the targets; their verdicts."""
    where = f"kept from the seeding of {zone.seeded_on}" if kept else "this run"
    say(f"\n  {zone.n:,} enterprises, years {zone.years[0]}-{zone.years[-1]} ({where}):")
    verdicts = {}
    for year in zone.years:
        confirm, create = zone.steps[f"import confirm {year}"], zone.steps[f"run creation {year}"]
        verdicts[f"import confirm {year}"] = confirm <= IMPORT_TARGET_S
        verdicts[f"run creation {year}"] = create <= RUN_TARGET_S
        extra = ""
        if f"publish {year}" in zone.steps:
            extra = f"  公示 {zone.steps[f'publish {year}']:5.1f} s  定稿 {zone.steps[f'finalize {year}']:5.1f} s"
        say(
            f"    {year}: import confirm {confirm:6.1f} s {_verdict(confirm <= IMPORT_TARGET_S)}"
            f"  run creation {create:5.1f} s {_verdict(create <= RUN_TARGET_S)}{extra}"
        )
    return verdicts


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


# --- the real processes: serve --workers 2 and two job workers


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def processes(url: str, data_dir: Path, logs: Path) -> Iterator[str]:
    """``zonehero serve --workers 2 --no-worker`` and two ``zonehero worker`` on the store; the web address."""
    port = _free_port()
    env = {**os.environ, "ZONEHERO_JOB_QUEUE": "postgres", "ZONEHERO_ENVIRONMENT": "development"}
    common = ["--db", url, "--data-dir", str(data_dir)]
    commands = [
        [str(ZONEHERO), "serve", *common, "--port", str(port), "--workers", "2", "--no-worker"],
        *([str(ZONEHERO), "worker", *common] for _ in range(2)),
    ]
    started = []
    for index, command in enumerate(commands):
        log = (logs / f"process-{index}.log").open("wb")
        started.append(subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True))
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            ended = {f"{commands[i][1]} #{i}": p.returncode for i, p in enumerate(started) if p.poll() is not None}
            if time.monotonic() > deadline or ended:
                raise SystemExit(f"the processes did not start (exited: {ended or 'none; timed out'}); see {logs}")
            time.sleep(0.3)
        yield base
    finally:
        for process in started:
            process.send_signal(signal.SIGTERM)
        for process in started:
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=30)
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)


class Browser:
    """One logged-in session over HTTP (cookie and CSRF token)."""

    def __init__(self, base: str, username: str, timeout: float = 120) -> None:
        self.base = base
        self.client = httpx.Client(base_url=base, timeout=timeout, follow_redirects=False)
        answer = self.client.post("/api/login", json={"username": username, "password": PASSWORD})
        if answer.status_code != 200:
            raise RuntimeError(f"log-in of {username}: {answer.status_code} {answer.text[:200]}")
        self.client.headers["X-CSRF-Token"] = answer.json()["csrf_token"]

    def submit(self, data: dict[str, str], files: Any = None) -> int:
        """POST a job form (or an upload) and return the id in the redirect."""
        path = "/imports" if files else "/jobs"
        answer = self.client.post(path, data=data, files=files)
        if answer.status_code != 303:
            raise RuntimeError(f"{path}: {answer.status_code} {answer.text[:500]}")
        return int(answer.headers["location"].rstrip("/").split("/")[-1].split("?")[0])

    def job(self, job_id: int) -> dict[str, Any]:
        answer = self.client.get(f"/api/jobs/{job_id}")
        answer.raise_for_status()
        return dict(answer.json())

    def cancel(self, job_id: int) -> None:
        self.client.post(f"/jobs/{job_id}/cancel")


# --- the notice rate, through the job API


def notice_rate(browser: Browser, run_id: int, *, lift: bool, notices: int, seconds: float) -> tuple[float, float, int]:
    """(seconds to the first notice, notices per second after it, notices seen) of a ``notices_zip`` job."""
    submitted = time.perf_counter()
    job_id = browser.submit({"kind": "notices_zip", "run_id": str(run_id), "lift": "true" if lift else "false"})
    first: tuple[float, int] | None = None
    last: tuple[float, int] = (submitted, 0)
    try:
        while True:
            job = browser.job(job_id)
            now, done = time.perf_counter(), int(job.get("done") or 0)
            if job["status"] in ("failed", "cancelled"):
                raise RuntimeError(f"notices job {job_id} {job['status']}: {job.get('error')}")
            if done > 0 and first is None:
                first = (now, done)
            if done > last[1]:
                last = (now, done)
            if job["status"] == "done" or done >= notices or now - submitted > seconds:
                break
            time.sleep(0.25)
    finally:
        browser.cancel(job_id)
    if first is None:
        return float("inf"), 0.0, 0
    rate = (last[1] - first[1]) / (last[0] - first[0]) if last[0] > first[0] else 0.0
    return first[0] - submitted, rate, last[1]


# --- the load run


@dataclass
class LoadResult:
    latencies: list[float] = field(default_factory=list)
    started_at: list[float] = field(default_factory=list)
    """When each request of ``latencies`` was sent (perf_counter)."""
    errors: list[str] = field(default_factory=list)
    logins: list[float] = field(default_factory=list)
    last_login: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)


def _session(base: str, pages: list[str], until: float, start_after: float, out: LoadResult, index: int) -> None:
    time.sleep(start_after)
    try:
        started = time.perf_counter()
        browser = Browser(base, "leader", timeout=60)
        with out.lock:
            out.logins.append(time.perf_counter() - started)
            out.last_login = max(out.last_login, time.perf_counter())
    except Exception as exc:  # a failed log-in is an error of the run, not of the script
        with out.lock:
            out.errors.append(f"log-in: {exc}")
        return
    step = index  # sessions start at different pages
    try:
        while time.perf_counter() < until:
            path = pages[step % len(pages)]
            step += 1
            started = time.perf_counter()
            try:
                answer = browser.client.get(path)
                failed = None if answer.status_code == 200 else f"{path}: {answer.status_code}"
            except httpx.HTTPError as exc:
                failed = f"{path}: {type(exc).__name__}"
            elapsed = time.perf_counter() - started
            with out.lock:
                out.latencies.append(elapsed)
                out.started_at.append(started)
                if failed:
                    out.errors.append(failed)
            time.sleep(THINK_SECONDS)
    finally:
        browser.client.close()


def _background_work(base: str, zone: Seeded, year: int, report: dict[str, Any], until: float) -> None:
    """The analyst's import of next year (upload + preview, then confirm as a job) and a notices job."""
    analyst = Browser(base, "analyst", timeout=600)
    try:
        notices = analyst.submit({"kind": "notices_zip", "run_id": str(zone.final_run), "lift": "true"})
        started = time.perf_counter()
        uploads = [
            ("files", (Path(p).name, Path(p).read_bytes(), "application/octet-stream")) for p in zone.next_year_files
        ]
        batch = analyst.submit({"year": str(year)}, files=uploads)
        report["upload and preview"] = time.perf_counter() - started
        answer = analyst.client.post(f"/imports/{batch}/confirm", data={"year": str(year)})
        if answer.status_code != 303:
            raise RuntimeError(f"confirm: {answer.status_code} {answer.text[:300]}")
        location = answer.headers["location"]
        if location.startswith("/jobs/"):
            job_id = int(location.rstrip("/").split("/")[-1])
            while time.perf_counter() < until + 600:
                job = analyst.job(job_id)
                if job["status"] in ("done", "failed", "cancelled"):
                    report["import confirm job"] = f"{job['status']} after {time.perf_counter() - started:.1f} s"
                    break
                time.sleep(1)
        else:
            report["import confirm job"] = f"confirmed in the request after {time.perf_counter() - started:.1f} s"
        while time.perf_counter() < until:
            time.sleep(1)
        job = analyst.job(notices)
        report["notices during the load run"] = f"{job.get('done') or 0} notices, {job['status']}"
        analyst.cancel(notices)
    except Exception as exc:
        report["error"] = f"{type(exc).__name__}: {exc}"
    finally:
        analyst.client.close()


def load_run(base: str, zone: Seeded, pages: list[str], sessions: int, seconds: float) -> tuple[LoadResult, dict]:
    out = LoadResult()
    report: dict[str, Any] = {}
    started = time.perf_counter()
    until = started + seconds
    threads = [
        threading.Thread(target=_session, args=(base, pages, until, i * THINK_SECONDS / sessions, out, i), daemon=True)
        for i in range(sessions)
    ]
    background = threading.Thread(
        target=_background_work, args=(base, zone, zone.years[-1] + 1, report, until), daemon=True
    )
    background.start()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    report["wall"] = time.perf_counter() - started
    background.join(timeout=900)
    return out, report


# --- main


def _zone(server: Server, root: Path, n: int, years: list[int]) -> tuple[Seeded, str, str, bool]:
    """A seeded zone of n enterprises: (what was seeded, the working database's URL and name, whether it was kept)."""
    template = f"zone_{n}_{len(years)}y"
    info = root / f"{template}.json"
    data_dir = root / template
    kept = server.keep is not None and info.exists() and server.exists(template)
    if not kept:
        server.drop(template)
        shutil.rmtree(data_dir, ignore_errors=True)
        data_dir.mkdir(parents=True)
        say(f"  seeding {n:,} enterprises {stamp()}")
        zone = seed(n, years, server.create(template), data_dir)
        zone.save(info)
    else:
        migrate.upgrade(server.url(template))  # a zone kept by an older zonehero gets this one's schema
    zone = Seeded.load(info)
    if server.keep is None:
        return zone, server.url(template), template, kept
    work = f"{template}_run_{uuid.uuid4().hex[:6]}"
    started = time.perf_counter()
    url = server.create(work, template=template)
    say(f"  {n:,}: working copy of the kept database made in {time.perf_counter() - started:.1f} s {stamp()}")
    return zone, url, work, kept


def main(description: str) -> int:
    parser = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--load-seconds", type=float, default=180)
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--notices", type=int, default=50, help="notices to watch per notice-rate measurement")
    parser.add_argument("--notice-seconds", type=float, default=300, help="longest wait per notice-rate measurement")
    parser.add_argument("--pg", default=None, help="maintenance-database URL of a running server (else one is started)")
    parser.add_argument("--keep", type=Path, default=None, help="keep the seeded databases and data here, reuse them")
    args = parser.parse_args()
    if args.years < 2:
        parser.error("--years must be at least 2 (a final run and a draft)")
    years = list(range(LAST_YEAR - args.years + 1, LAST_YEAR + 1))
    say(
        f"bench_province: PostgreSQL, {args.n:,} enterprises (and {args.small:,}) over {years[0]}-{years[-1]}, "
        f"{os.cpu_count()} cores, {stamp()}"
    )
    verdicts: dict[str, bool] = {}
    tmp = Path(tempfile.mkdtemp(prefix="zonehero-province-"))
    root = args.keep or tmp
    root.mkdir(parents=True, exist_ok=True)
    server = Server(args.pg, args.keep)
    work_databases: list[str] = []
    failed = True
    try:
        zones = {}
        for n in (args.small, args.n):
            zone, url, work, kept = _zone(server, root, n, years)
            if server.keep is not None:
                work_databases.append(work)
            zones[n] = (zone, url, kept)
        for n in (args.small, args.n):
            verdicts |= {f"{k} ({n:,})": v for k, v in report_seeding(zones[n][0], zones[n][2]).items() if n == args.n}

        say(f"\n  pages, {args.requests} requests each, in process as the leader {stamp()}")
        opened = []
        for n in (args.small, args.n):
            zone, url, _ = zones[n]
            settings = Settings(data_dir=root / f"zone_{n}_{len(years)}y", db=url, environment="test")
            opened.append(open_zone(n, settings, zone.final_run, zone.draft_run, zone.uscc, 0.0))
        verdicts |= {f"page {k}": v for k, v in compare(opened[0], opened[1], args.requests).items()}
        for client_zone in opened:
            client_zone.client.__exit__(None, None, None)

        large, url, _ = zones[args.n]
        data_dir = root / f"zone_{args.n}_{len(years)}y"
        settings = Settings(data_dir=data_dir, db=url, environment="test")
        paths = list(page_paths(settings, large.final_run, large.draft_run, large.uscc).values())
        logs = tmp / "logs"
        logs.mkdir(exist_ok=True)
        say(f"\n  serve --workers 2 and 2 job workers on the {args.n:,} zone {stamp()}")
        with processes(url, data_dir, logs) as base:
            analyst = Browser(base, "analyst")
            for lift in (False, True):
                first, rate, seen = notice_rate(
                    analyst, large.final_run, lift=lift, notices=args.notices, seconds=args.notice_seconds
                )
                label = "with the 升类路径" if lift else "without the 升类路径"
                target = (
                    f" {_verdict(rate >= NOTICE_RATE_TARGET)} (target >= {NOTICE_RATE_TARGET:.0f}/s)" if lift else ""
                )
                if lift:
                    verdicts["notices per second with the 升类路径"] = rate >= NOTICE_RATE_TARGET
                say(
                    f"    notices {label}: first after {first:.1f} s, then {rate:.2f} per second "
                    f"({seen} notices watched){target} {stamp()}"
                )
            analyst.client.close()

            say(
                f"\n  load run: {args.sessions} sessions, {THINK_SECONDS:.0f} s think time, {args.load_seconds:.0f} s, "
                f"with an import of {years[-1] + 1} and a notices job {stamp()}"
            )
            out, report = load_run(base, large, paths, args.sessions, args.load_seconds)
        done = len(out.latencies)
        p50, p95, p99 = (percentile(out.latencies, q) if done else float("nan") for q in (0.5, 0.95, 0.99))
        verdicts["load run errors"] = not out.errors
        verdicts["load run p95"] = p95 <= LOAD_P95_TARGET_S
        say(
            f"    {done:,} requests in {report['wall']:.0f} s: {done / report['wall']:.1f} requests/s, "
            f"p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms {_verdict(p95 <= LOAD_P95_TARGET_S)}, "
            f"p99 {p99 * 1000:.0f} ms, errors {len(out.errors)} {_verdict(not out.errors)} {stamp()}"
        )
        if out.logins:
            say(
                f"    log-ins (argon2id, all sessions in the first {THINK_SECONDS:.0f} s): {len(out.logins)}, "
                f"median {statistics.median(out.logins):.2f} s, max {max(out.logins):.2f} s"
            )
            after = [t for t, at in zip(out.latencies, out.started_at, strict=True) if at > out.last_login]
            if after:
                say(
                    f"    after the last log-in: {len(after):,} requests, p50 {percentile(after, 0.5) * 1000:.0f} ms, "
                    f"p95 {percentile(after, 0.95) * 1000:.0f} ms, p99 {percentile(after, 0.99) * 1000:.0f} ms"
                )
        for error in sorted(set(out.errors))[:10]:
            say(f"    error: {error} (×{out.errors.count(error)})")
        for key, value in report.items():
            if key != "wall":
                say(f"    {key}: {value:.1f} s" if isinstance(value, float) else f"    {key}: {value}")
        failed = False
    finally:
        for work in work_databases:
            with contextlib.suppress(Exception):
                server.drop(work)
        server.stop()
        if failed:
            say(f"  failed: the processes' logs are kept in {tmp / 'logs'}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    missed = [k for k, ok in verdicts.items() if not ok]
    say(
        f"\n  targets: import confirm <= {IMPORT_TARGET_S:.0f} s, run creation <= {RUN_TARGET_S:.0f} s, page p95 <= "
        f"{P95_TARGET_S * 1000:.0f} ms and <= {RATIO_TARGET}x the small zone's, notices >= {NOTICE_RATE_TARGET:.0f}/s "
        f"with the 升类路径, load run 0 errors and p95 <= {LOAD_P95_TARGET_S * 1000:.0f} ms"
    )
    met = f"{len(verdicts) - len(missed)} of {len(verdicts)} met"
    say(f"  {met}" + (f"; missed: {', '.join(missed)}" if missed else ""))
    return 0
