"""Throwaway PostgreSQL databases for tests (Debian's postgresql 15 binaries; initdb runs as ``postgres`` when root).

Each test process (each xdist worker) starts one server, on its first request, and stops it when the session ends;
every :func:`start_postgres` gets a new empty database on it, dropped when the requesting fixture ends. A database
costs a ``CREATE DATABASE`` (about 0.1 s) where a server of its own cost an ``initdb`` and a start (2 to 3 s).
Used by the integration, migration, web, CLI and browser tests; see notes/machine.md.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

PG_BIN = Path(os.environ.get("ZONEHERO_PG_BIN", "/usr/lib/postgresql/15/bin"))
MAX_CONNECTIONS = 300
"""The databases of a whole worker share the server: module-scoped engines, demo servers and job workers stay open."""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_postgres(*args: str) -> list[str]:
    """initdb refuses root: run the server as the postgres OS user when we are root."""
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else list(args)


@dataclass
class PostgresServer:
    """A throwaway PostgreSQL cluster in a temporary folder, listening on 127.0.0.1 only."""

    base: Path
    port: int

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://app@127.0.0.1:{self.port}/{database}"

    def _admin(self, sql: str) -> None:
        with psycopg.connect(host="127.0.0.1", port=self.port, user="app", dbname="postgres", autocommit=True) as c:
            c.execute(sql)  # type: ignore[arg-type]

    def create_database(self, template: str | None = None) -> str:
        """A new database, a copy of ``template`` (default template1: empty, as ``createdb`` makes); its name."""
        name = f"zonehero_{uuid.uuid4().hex[:12]}"
        self._admin(f"CREATE DATABASE {name}" + (f" TEMPLATE {template}" if template else ""))
        return name

    def drop_database(self, name: str) -> None:
        """Drop ``name``, ending the connections a test left open (a pool not disposed, a killed worker's)."""
        self._admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    @classmethod
    def start(cls, base: Path | None = None, *, fsync: bool = False) -> PostgresServer:
        """A new cluster in a temporary folder, or in ``base`` (started again when it holds one already).

        Tests run without fsync; the benchmarks (benchmarks/bench_province.py) ask for it, as a real server has it.
        """
        if base is None:
            base = Path(tempfile.mkdtemp(prefix="zonehero-pg-"))
        base.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(base, "postgres", "postgres")
        base.chmod(0o700)
        server = cls(base, _free_port())
        data = str(base / "data")
        fresh = not (base / "data" / "PG_VERSION").exists()
        try:
            if fresh:
                initdb = ("initdb", "-D", data, "-U", "app", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8")
                _run_pg(*initdb, "--no-sync")
            options = (
                f"-p {server.port} -k {base} -c listen_addresses=127.0.0.1 -c fsync={'on' if fsync else 'off'}"
                f" -c max_connections={MAX_CONNECTIONS}"
            )
            _run_pg("pg_ctl", "-D", data, "-l", str(base / "log"), "-w", "-o", options, "start")
            if fresh:
                _run_pg("createdb", "-h", "127.0.0.1", "-p", str(server.port), "-U", "app", "zonehero")
        except BaseException:
            server.stop(remove=fresh)
            raise
        return server

    def stop(self, *, remove: bool = True) -> None:
        """Stop the server (immediately: nothing of a test's cluster needs to survive) and remove its folder;
        ``remove=False`` shuts down cleanly and keeps the cluster to start again."""
        mode = "immediate" if remove else "fast"
        subprocess.run(
            _as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(self.base / "data"), "-m", mode, "-w", "stop"),
            check=False,
            capture_output=True,
        )
        if remove:
            shutil.rmtree(self.base, ignore_errors=True)


def _run_pg(program: str, *args: str) -> None:
    done = subprocess.run(_as_postgres(str(PG_BIN / program), *args), capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"{program} failed: {done.stderr or done.stdout}")


_server: PostgresServer | None = None
"""This process's server, started by the first :func:`start_postgres`."""


def _stop_server() -> None:
    global _server
    if _server is not None:
        _server.stop()
        _server = None


def start_postgres(request: pytest.FixtureRequest, *, template: str | None = None, keep: bool = False) -> str:
    """A new empty database for the requesting fixture, dropped when that fixture ends; its URL.

    The server is this process's (started on first use, stopped when the test session ends). Skips when the
    PostgreSQL binaries are missing on a developer machine; fails under CI (``CI`` set), where ``make test`` has
    installed them, so a lost install step cannot pass as skipped tests. ``template``: a copy of that database of
    this server instead of an empty one. ``keep``: not dropped with the fixture (it lives as long as the server).
    """
    global _server
    if not (PG_BIN / "initdb").exists():
        message = f"PostgreSQL binaries not found in {PG_BIN} (make test installs Debian's postgresql)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    if _server is None:
        _server = PostgresServer.start()
        request.config.add_cleanup(_stop_server)
    server = _server
    name = server.create_database(template)
    if not keep:
        request.addfinalizer(lambda: server.drop_database(name))
    return server.url(name)
