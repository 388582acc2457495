"""A throwaway PostgreSQL server for tests (Debian's postgresql 15 binaries; initdb runs as ``postgres`` when root).

Used by the integration, migration and web tests; see notes/machine.md.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

PG_BIN = Path(os.environ.get("ZONEHERO_PG_BIN", "/usr/lib/postgresql/15/bin"))


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

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://app@127.0.0.1:{self.port}/zonehero"

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
            options = f"-p {server.port} -k {base} -c listen_addresses=127.0.0.1 -c fsync={'on' if fsync else 'off'}"
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


def start_postgres(request: pytest.FixtureRequest) -> str:
    """Start a server for the requesting (session-scoped) fixture, stopped when that fixture ends; its URL.

    Skips when the PostgreSQL binaries are missing on a developer machine; fails under CI (``CI`` set), where
    ``make test`` has installed them, so a lost install step cannot pass as skipped tests.
    """
    if not (PG_BIN / "initdb").exists():
        message = f"PostgreSQL binaries not found in {PG_BIN} (make test installs Debian's postgresql)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    server = PostgresServer.start()
    request.addfinalizer(server.stop)
    return server.url
