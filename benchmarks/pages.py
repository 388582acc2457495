"""Page cost against zone size: the work of ``bench_pages.py`` (the script), shared with ``bench_province.py``.

Apart from the scripts so that their top level imports nothing: every import file is parsed in a child process
(``zonehero.features.imports.isolation``) and multiprocessing runs the main script's top level again in each child;
with the web application and the test client imported there, each child would import them again (seconds per file
on a busy machine), which a real web process or job worker does not pay.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from zonehero.config import Settings
from zonehero.db import migrate
from zonehero.db.session import make_engine, session_factory, unit_of_work
from zonehero.demo.seed import seed_demo
from zonehero.edges.web.app import create_app
from zonehero.features.roles import SYSTEM
from zonehero.features.runs import service as runs

PASSWORD = "Bench-Mark-2026!"
YEARS = (2024, 2025)
P95_TARGET_S = 0.300
RATIO_TARGET = 1.5


@dataclass(frozen=True)
class Zone:
    n: int
    client: TestClient
    final_run: int
    draft_run: int
    uscc: str
    seed_seconds: float
    pages: dict[str, str]


def load_average() -> str:
    """The machine's load average (1 and 5 minutes), printed beside every figure: this machine is shared."""
    one, five, _ = os.getloadavg()
    return f"load {one:.1f}/{five:.1f}"


def _store(n: int, root: Path, pg: str | None) -> Settings:
    data = root / f"zone-{n}"
    if pg is None:
        return Settings(data_dir=data, environment="test")
    name = f"bench_{n}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(pg, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name}"))
    admin.dispose()
    return Settings(data_dir=data, environment="test", db=pg.rsplit("/", 1)[0] + f"/{name}")


def _kept(n: int, root: Path) -> tuple[Settings, int, int, str] | None:
    """A zone seeded by an earlier run with ``--keep`` (SQLite only): its settings, runs and enterprise."""
    settings = Settings(data_dir=root / f"zone-{n}", environment="test")
    if not (settings.data_dir / "zonehero.db").exists():
        return None
    migrate.upgrade(settings.database_url)
    with make_engine(settings.database_url).connect() as conn:
        final_run, draft_run = (
            conn.execute(text("SELECT id FROM evaluation_runs WHERE year = :y ORDER BY id DESC"), {"y": y}).scalar_one()
            for y in YEARS
        )
        uscc = conn.execute(text("SELECT enterprise_uscc FROM users WHERE role = 'enterprise'")).scalar_one()
    return settings, final_run, draft_run, uscc


def build(n: int, root: Path, pg: str | None) -> Zone:
    kept = None if pg else _kept(n, root)
    started = time.perf_counter()
    if kept is not None:
        settings, final_run, draft_run, uscc = kept
    else:
        settings = _store(n, root, pg)
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        migrate.upgrade(settings.database_url)
        with unit_of_work(session_factory(make_engine(settings.database_url))) as session:
            seeded = seed_demo(session, settings, password=PASSWORD, enterprises=n, years=YEARS)
        final_run, draft_run = seeded.runs[YEARS[0]][0], seeded.runs[YEARS[1]][0]
        uscc = seeded.enterprise_uscc
    seed_seconds = time.perf_counter() - started
    return open_zone(n, settings, final_run, draft_run, uscc, seed_seconds)


def page_paths(settings: Settings, final_run: int, draft_run: int, uscc: str) -> dict[str, str]:
    """Each page measured (name → path) in a zone with a final run and a draft run; ``uscc`` has results in both."""
    engine = make_engine(settings.database_url)
    with unit_of_work(session_factory(engine)) as session:
        total = runs.list_results(session, SYSTEM, draft_run, limit=1).total
        last_page = max(1, total // 50)
        # The cursor a user holds after walking to the last page: taken from the page before it.
        before_last = runs.list_results(session, SYSTEM, draft_run, order="name", limit=50, offset=(last_page - 2) * 50)
        deep_cursor = before_last.next_cursor
        by_score = runs.list_results(session, SYSTEM, draft_run, order="score", limit=50, offset=(last_page - 2) * 50)
    engine.dispose()
    return {
        "dashboard": f"/?run_id={final_run}",
        "run page 1": f"/runs/{draft_run}",
        "run deep page (offset)": f"/runs/{draft_run}?order=name&page={last_page}",
        "run deep page (cursor)": f"/runs/{draft_run}?order=name&page={last_page}&after={deep_cursor}",
        "enterprise list": "/enterprises",
        "enterprise list deep (offset)": f"/enterprises?order=score&page={last_page}",
        "enterprise list deep (cursor)": f"/enterprises?order=score&page={last_page}&after={by_score.next_cursor}",
        "enterprise page": f"/enterprises/{uscc}",
        "cultivation": "/cultivation",
        "api results deep (cursor)": f"/api/runs/{draft_run}/results?order=name&after={deep_cursor}",
    }


def open_zone(
    n: int, settings: Settings, final_run: int, draft_run: int, uscc: str, seed_seconds: float, password: str = PASSWORD
) -> Zone:
    """The application in process over a seeded store, logged in as the leader, with its pages."""
    pages = page_paths(settings, final_run, draft_run, uscc)
    client = TestClient(create_app(settings))
    client.__enter__()
    login = client.post("/api/login", json={"username": "leader", "password": password})
    if login.status_code != 200:
        sys.exit(f"log-in failed at n={n}: {login.status_code} {login.text[:200]}")
    return Zone(n, client, final_run, draft_run, uscc, seed_seconds, pages)


def measure(client: TestClient, path: str, requests: int) -> tuple[float, float]:
    """Median and p95 (seconds) of ``requests`` GETs after one warm-up."""
    first = client.get(path)
    if first.status_code != 200:
        sys.exit(f"{path} answered {first.status_code}")
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        client.get(path)
        times.append(time.perf_counter() - started)
    return statistics.median(times), percentile(times, 0.95)


def percentile(times: list[float], q: float) -> float:
    """The ``q`` quantile (0-1) of ``times``, nearest rank."""
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def compare(small: Zone, large: Zone, requests: int) -> dict[str, bool]:
    """Measure each page at both sizes and print a line per page; page name → whether it met the targets."""
    heads = ("small med", "small p95", "large med", "large p95")
    print(f"\n  {'page':32} " + " ".join(f"{h:>10}" for h in heads) + f" {'ratio':>6}  verdict")
    verdicts = {}
    for name in small.pages:
        s_med, s_p95 = measure(small.client, small.pages[name], requests)
        l_med, l_p95 = measure(large.client, large.pages[name], requests)
        ratio = l_p95 / s_p95 if s_p95 else float("inf")
        verdicts[name] = ok = l_p95 <= P95_TARGET_S and ratio <= RATIO_TARGET
        verdict = "PASS" if ok else "FAIL"
        print(
            f"  {name:32} {s_med * 1000:8.0f}ms {s_p95 * 1000:8.0f}ms {l_med * 1000:8.0f}ms {l_p95 * 1000:8.0f}ms "
            f"{ratio:5.2f}x  {verdict} ({load_average()})"
        )
    return verdicts


def main(description: str) -> int:
    parser = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--pg", default=None, help="postgresql+psycopg://user@host:port/postgres of a running server")
    parser.add_argument("--keep", type=Path, default=None, help="keep (and reuse) the SQLite zones in this folder")
    args = parser.parse_args()
    engine = "PostgreSQL" if args.pg else "SQLite"
    print(f"bench_pages: {engine}, {args.small:,} and {args.large:,} enterprises, years {YEARS}, {load_average()}")
    with tempfile.TemporaryDirectory(prefix="zonehero-bench-") as tmp:
        root = args.keep or Path(tmp)
        zones = []
        for n in (args.small, args.large):
            zone = build(n, root, args.pg)
            steps = "files, 2 imports confirmed, 2 runs, 公示, 定稿"
            print(f"  seeded {n:>7,}: {zone.seed_seconds:7.1f} s ({steps}) {load_average()}")
            zones.append(zone)
        small, large = zones
        compare(small, large, args.requests)
        for zone in zones:
            zone.client.__exit__(None, None, None)
    target = f"p95 <= {P95_TARGET_S * 1000:.0f} ms at the large size and <= {RATIO_TARGET}x the small size's p95"
    print(f"\n  targets: {target}")
    return 0
