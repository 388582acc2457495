"""The real ``zonehero serve --demo`` in a subprocess, for the browser runs (one per database per session).

Nothing is imported from the application: the server is started the way an
office starts it, as ``.venv/bin/zonehero serve --demo --data-dir … --port …``
with ``ZONEHERO_DEMO_PASSWORD`` set, and is ready when ``/healthz`` answers 200.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from pg_server import start_postgres

DEMO_PASSWORD = "E2e-Demo-Passwort-2024"
"""Every demo account's password (sysadmin, secadmin, auditor, analyst, leader, enterprise, projects, unit)."""
STARTUP_SECONDS = 180.0
"""Seeding the demo zone takes about 6 s on SQLite; PostgreSQL and a loaded machine take longer."""
ENV_CLEARED = ("ZONEHERO_DB", "ZONEHERO_DATA_DIR")
"""Settings from the developer's shell that would point the server elsewhere."""


E2E_DATABASES = [
    pytest.param("sqlite", marks=pytest.mark.xdist_group("e2e-sqlite")),
    pytest.param("postgresql", marks=[pytest.mark.postgres, pytest.mark.xdist_group("e2e-postgresql")]),
]
"""The demo server's databases; with ``--dist loadgroup`` (make test) each database's browser runs stay on one
worker, so its demo server is seeded once, not once per worker."""


def zonehero_command() -> Path:
    """The ``zonehero`` console script of the interpreter running the tests (the project's .venv)."""
    return Path(sys.executable).with_name("zonehero")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class DemoServer:
    """A running demo server: its URL, data folder (demo files under ``demo-files/<year>/``), database label."""

    db: str
    """``sqlite`` or ``postgresql`` (used in screenshot names)."""
    base_url: str
    data_dir: Path
    process: subprocess.Popen[bytes]
    log_path: Path
    db_url: str | None = None
    """The database the server uses (None: SQLite in the data folder), for a test that asks a service directly."""

    @property
    def database_url(self) -> str:
        return self.db_url or f"sqlite:///{(self.data_dir / 'zonehero.db').resolve()}"

    @classmethod
    def start(cls, db: str, data_dir: Path, db_url: str | None = None) -> DemoServer:
        """Start the server on a free port and wait for ``/healthz``; raises with the log when it does not come up."""
        port = free_port()
        command = [str(zonehero_command()), "serve", "--demo", "--data-dir", str(data_dir), "--port", str(port)]
        if db_url:
            command += ["--db", db_url]
        env = {k: v for k, v in os.environ.items() if k not in ENV_CLEARED}
        env["ZONEHERO_DEMO_PASSWORD"] = DEMO_PASSWORD
        env["PYTHONUNBUFFERED"] = "1"  # the log keeps the order of events, for the failure report
        log_path = data_dir / "server.log"
        with log_path.open("wb") as log:
            process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
        server = cls(db, f"http://127.0.0.1:{port}", data_dir, process, log_path, db_url)
        try:
            server._wait_ready()
        except BaseException:
            server.stop()
            raise
        return server

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"zonehero serve exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.base_url}/healthz", timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.25)
        raise RuntimeError(f"zonehero serve did not answer /healthz within {STARTUP_SECONDS:.0f} s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])

    def demo_files(self, year: int) -> list[Path]:
        """The department files the demo seed wrote for ``year`` (what a bureau would upload)."""
        folder = self.data_dir / "demo-files" / str(year)
        return sorted(p for p in folder.iterdir() if p.is_file())

    def stop(self) -> None:
        """SIGTERM the server (uvicorn shuts down cleanly, then its job worker), SIGKILL if it hangs; then whatever
        is left of its process group (the server runs in its own session), so no job worker outlives a test."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)


@dataclass(frozen=True)
class _Seeded:
    """A demo zone seeded once per database kind per test process, copied for each server."""

    folder: Path
    """The data folder (the SQLite store, the demo's department files, the secret key)."""
    database: str | None
    """The PostgreSQL database holding the zone (copied with ``CREATE DATABASE … TEMPLATE``); None on SQLite."""


_SEEDED: dict[str, _Seeded] = {}
COPIED = ("server.log", "uploads", "job-queue.db", "job-queue.db-shm", "job-queue.db-wal")
"""Left behind when a seeded folder is copied: the seeding server's log, and the queue and uploads it ran."""


def _seeded(request: pytest.FixtureRequest, db: str, tmp_path_factory: pytest.TempPathFactory) -> _Seeded:
    """The seeded demo zone of ``db``: the first call seeds it with a real ``serve --demo`` (then stops that server),
    later calls reuse it. Seeding is most of a demo server's start; modules that change the demo's state each get
    their own copy instead of seeding again."""
    if db not in _SEEDED:
        folder = tmp_path_factory.mktemp(f"e2e-seeded-{db}")
        url = start_postgres(request, keep=True) if db == "postgresql" else None
        DemoServer.start(db, folder, url).stop()
        _SEEDED[db] = _Seeded(folder, url.rsplit("/", 1)[1] if url else None)
    return _SEEDED[db]


@contextmanager
def running_demo(request: pytest.FixtureRequest, folder: Path) -> Iterator[DemoServer]:
    """A demo server on a fresh copy of the seeded demo zone of the database ``request.param`` names (sqlite, or a
    throwaway postgresql); stopped after."""
    seeded = _seeded(request, request.param, request.getfixturevalue("tmp_path_factory"))
    shutil.copytree(seeded.folder, folder, dirs_exist_ok=True, ignore=shutil.ignore_patterns(*COPIED))
    db_url = start_postgres(request, template=seeded.database) if request.param == "postgresql" else None
    server = DemoServer.start(request.param, folder, db_url)
    try:
        yield server
    finally:
        server.stop()


def own_demo_server(name: str) -> Callable[..., Iterator[DemoServer]]:
    """A module-scoped ``demo_server`` fixture for a module that changes the demo's state (公示, 异议, schemes):
    it gets a fresh demo zone of each database instead of conftest's shared one, which other modules read."""

    @pytest.fixture(scope="module", params=E2E_DATABASES)
    def demo_server(
        request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, chromium_executable: Path
    ) -> Iterator[DemoServer]:
        with running_demo(request, tmp_path_factory.mktemp(f"e2e-{name}-{request.param}")) as server:
            yield server

    return demo_server
