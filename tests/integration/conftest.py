"""Databases for the integration tests: SQLite and a throwaway PostgreSQL, schema built by the migrations.

``start_postgres`` is also used by tests/web. Every test gets a session inside a transaction that is rolled back at its
end (SAVEPOINT pattern), so the services' own flushes and the test's data
vanish. The ``db`` fixture is parametrised so each test runs on both.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from sqlalchemy import Connection, Engine, event
from sqlalchemy.orm import Session

from zonehero.config import Settings
from zonehero.db import migrate
from zonehero.db.session import make_engine
from zonehero.imports import service as imports
from zonehero.imports.storage import UploadedFile
from zonehero.runs import service as runs
from zonehero.runs.schemas import RunRead
from zonehero.schemes import service as schemes
from zonehero.schemes.schemas import SchemeVersionRead
from zonehero.users import passwords
from zonehero.users import service as users
from zonehero.users.roles import SYSTEM, Actor, Role

PG_BIN = Path(os.environ.get("ZONEHERO_PG_BIN", "/usr/lib/postgresql/15/bin"))

NOTICE_START = date(2025, 3, 1)


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
    def start(cls) -> PostgresServer:
        base = Path(tempfile.mkdtemp(prefix="zonehero-pg-"))
        if os.geteuid() == 0:
            shutil.chown(base, "postgres", "postgres")
        base.chmod(0o700)
        server = cls(base, _free_port())
        data = str(base / "data")
        try:
            _run_pg("initdb", "-D", data, "-U", "app", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")
            options = f"-p {server.port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off"
            _run_pg("pg_ctl", "-D", data, "-l", str(base / "log"), "-w", "-o", options, "start")
            _run_pg("createdb", "-h", "127.0.0.1", "-p", str(server.port), "-U", "app", "zonehero")
        except BaseException:
            server.stop()
            raise
        return server

    def stop(self) -> None:
        subprocess.run(
            _as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(self.base / "data"), "-m", "immediate", "-w", "stop"),
            check=False,
            capture_output=True,
        )
        shutil.rmtree(self.base, ignore_errors=True)


def _run_pg(program: str, *args: str) -> None:
    done = subprocess.run(_as_postgres(str(PG_BIN / program), *args), capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"{program} failed: {done.stderr or done.stdout}")


def start_postgres(request: pytest.FixtureRequest) -> str:
    """Start a server for the requesting (session-scoped) fixture, stopped when that fixture ends; its URL.

    Skips when the PostgreSQL binaries are missing (``make test`` installs them).
    """
    if not (PG_BIN / "initdb").exists():
        pytest.skip(f"PostgreSQL binaries not found in {PG_BIN} (make test installs Debian's postgresql)")
    server = PostgresServer.start()
    request.addfinalizer(server.stop)
    return server.url


@pytest.fixture(scope="session")
def postgres_url(request: pytest.FixtureRequest) -> str:
    """One PostgreSQL server for the whole test session."""
    return start_postgres(request)


def sqlite_savepoints(engine: Engine) -> None:
    """Let SAVEPOINT work on pysqlite: SQLAlchemy emits BEGIN itself instead of the driver's implicit one."""

    @event.listens_for(engine, "connect")
    def _no_implicit_transactions(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN")


def _migrated_engine(url: str) -> Engine:
    migrate.upgrade(url)
    return make_engine(url)


@pytest.fixture(scope="session")
def sqlite_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    engine = _migrated_engine(f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'zonehero.db'}")
    sqlite_savepoints(engine)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def postgres_engine(postgres_url: str) -> Iterator[Engine]:
    engine = _migrated_engine(postgres_url)
    yield engine
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest) -> Engine:
    """The migrated engine of each backend in turn."""
    if request.param == "postgresql":
        request.applymarker(pytest.mark.postgres)
    return request.getfixturevalue({"sqlite": "sqlite_engine", "postgresql": "postgres_engine"}[request.param])


@pytest.fixture
def db(engine: Engine) -> Iterator[Session]:
    """A session whose commits are savepoints inside one outer transaction rolled back after the test."""
    connection = engine.connect()
    outer = connection.begin()
    session = Session(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False, autoflush=False
    )
    try:
        yield session
    finally:
        session.close()
        outer.rollback()
        connection.close()


@pytest.fixture(autouse=True)
def _cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    # Real argon2id, but with tiny costs so a test creating six accounts stays fast.
    hasher = PasswordHasher(time_cost=1, memory_cost=256, parallelism=1)
    monkeypatch.setattr(passwords, "_hasher", lambda: hasher)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings with a private data folder (uploads land there)."""
    return Settings(data_dir=tmp_path / "data", environment="test")


def _account(db: Session, username: str, role: Role, uscc: str | None = None) -> Actor:
    from zone_files import PASSWORD

    user = users.create_user(db, SYSTEM, username, PASSWORD, role, enterprise_uscc=uscc)
    return Actor(id=user.id, username=user.username, role=role, enterprise_uscc=user.enterprise_uscc)


@pytest.fixture
def admin(db: Session) -> Actor:
    return _account(db, "admin", Role.ADMIN)


@pytest.fixture
def analyst(db: Session) -> Actor:
    return _account(db, "analyst", Role.ANALYST)


@pytest.fixture
def leader(db: Session) -> Actor:
    return _account(db, "leader", Role.LEADER)


@pytest.fixture
def enterprise_a(db: Session) -> Actor:
    """The account of enterprise A (USCC_A)."""
    from zone_files import USCC_A

    return _account(db, "enterprise_a", Role.ENTERPRISE, USCC_A)


@pytest.fixture
def enterprise_b(db: Session) -> Actor:
    """The account of enterprise B (USCC_B)."""
    from zone_files import USCC_B

    return _account(db, "enterprise_b", Role.ENTERPRISE, USCC_B)


@pytest.fixture
def outsider(db: Session) -> Actor:
    """An enterprise account whose enterprise is in none of the data."""
    from zonehero.domain.uscc import make_uscc

    return _account(db, "outsider", Role.ENTERPRISE, make_uscc("9144030070846113"))


def uploads(paths: list[Path]) -> list[UploadedFile]:
    """Files as the web form or the CLI hands them to the imports service."""
    return [UploadedFile(p.name, p.read_bytes()) for p in paths]


@pytest.fixture
def zone_year(db: Session, analyst: Actor, settings: Settings, tmp_path: Path) -> int:
    """Year 2024 of the test zone, imported and confirmed by the analyst."""
    # Imported here: tests/web imports this module for start_postgres without this folder on sys.path.
    from zone_files import write_zone

    preview = imports.preview_import(db, analyst, uploads(write_zone(tmp_path / "in2024", 2024)), settings=settings)
    imports.confirm_import(db, analyst, preview.batch_id, year=2024, settings=settings)
    return 2024


@pytest.fixture
def default_version(db: Session) -> SchemeVersionRead:
    """The packaged default scheme as version 1 (what `zonehero db upgrade` seeds)."""
    seeded = schemes.ensure_default_scheme(db)
    assert seeded is not None
    return seeded


@pytest.fixture
def draft(db: Session, analyst: Actor, zone_year: int, default_version: SchemeVersionRead) -> RunRead:
    """A draft run of the zone year with the default scheme."""
    return runs.create_draft_run(db, analyst, year=zone_year, scheme_version_id=default_version.id)


@pytest.fixture
def notice(db: Session, analyst: Actor, draft: RunRead, settings: Settings) -> RunRead:
    """The draft published for 公示 from 2025-03-01 for the configured period."""
    return runs.publish_run(db, analyst, draft.id, period_days=settings.objection_period_days, on=NOTICE_START)
