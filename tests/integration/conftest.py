"""Databases for the integration tests: SQLite and a throwaway PostgreSQL, schema built by the migrations.

``start_postgres`` is also used by tests/web. Every test gets a session inside a transaction that is rolled back at its
end (SAVEPOINT pattern), so the services' own flushes and the test's data
vanish. The ``db`` fixture is parametrised so each test runs on both.

A test that asks for the zone year (``zone_year``, ``draft``, ``notice``) runs on a second database per backend in
which the analyst imported and confirmed it once per test process, through the same service calls the fixture made
per test before (a preview parses each file in a child process; that import was the costliest set-up of this
folder); its stored uploads are copied into the test's data folder.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, Engine, event
from sqlalchemy.orm import Session

from zonehero.config import Settings
from zonehero.db import migrate
from zonehero.db.session import make_engine
from zonehero.features.imports import service as imports
from zonehero.features.publication import service as publication
from zonehero.features.roles import SYSTEM, Actor, Role
from zonehero.features.runs import service as runs
from zonehero.features.runs.schemas import RunRead
from zonehero.features.schemes import service as schemes
from zonehero.features.schemes.schemas import SchemeVersionRead
from zonehero.features.users import service as users

try:
    from pg_server import start_postgres
    from zone_files import NOTICE_START, uploads, write_zone
except ImportError:  # imported as tests.integration.conftest (by tests/web), this folder not on sys.path
    from tests.integration.pg_server import start_postgres  # type: ignore[no-redef]
    from tests.integration.zone_files import NOTICE_START, uploads, write_zone  # type: ignore[no-redef]

__all__ = ["start_postgres"]


@pytest.fixture(scope="session")
def postgres_url(request: pytest.FixtureRequest) -> str:
    """One PostgreSQL database for the whole test session (on this worker's server)."""
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


ZONE_YEAR = 2024
"""The year the zone-year databases hold, imported and confirmed by the analyst."""
_zone_data: dict[Engine, Path] = {}
"""Each zone-year database's data folder (its stored uploads), copied into a test's own."""


def _with_zone_year(engine: Engine, folder: Path) -> Engine:
    """Commit what the ``analyst`` and ``zone_year`` fixtures arranged per test before: the account, then the import."""
    settings = Settings(data_dir=folder / "data", environment="test")  # type: ignore[call-arg]
    with Session(bind=engine, expire_on_commit=False) as session:
        analyst = _account(session, "analyst", Role.ANALYST)
        files = uploads(write_zone(folder / f"in{ZONE_YEAR}", ZONE_YEAR))
        preview = imports.preview_import(session, analyst, files, settings=settings)
        imports.confirm_import(session, analyst, preview.batch_id, year=ZONE_YEAR, settings=settings)
        session.commit()
    _zone_data[engine] = settings.data_dir
    return engine


@pytest.fixture(scope="session")
def sqlite_zone_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    folder = tmp_path_factory.mktemp("sqlite-zone")
    engine = _migrated_engine(f"sqlite:///{folder / 'zonehero.db'}")
    sqlite_savepoints(engine)
    yield _with_zone_year(engine, folder)
    engine.dispose()


@pytest.fixture(scope="session")
def postgres_zone_engine(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    engine = _migrated_engine(start_postgres(request))
    yield _with_zone_year(engine, tmp_path_factory.mktemp("postgres-zone"))
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest) -> Engine:
    """The migrated engine of each backend in turn (``-m "not postgres"`` deselects the PostgreSQL cases); the
    zone-year database of that backend for a test that asks for the zone year."""
    backend = {"sqlite": "sqlite", "postgresql": "postgres"}[request.param]
    zone = "_zone" if "zone_year" in request.fixturenames else ""
    return request.getfixturevalue(f"{backend}{zone}_engine")


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


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings with a private data folder (uploads land there)."""
    return Settings(data_dir=tmp_path / "data", environment="test")


def _account(db: Session, username: str, role: Role, uscc: str | None = None) -> Actor:
    from zone_files import PASSWORD

    user = users.create_user(db, SYSTEM, username, PASSWORD, role, enterprise_uscc=uscc)
    return Actor(id=user.id, username=user.username, role=role, enterprise_uscc=user.enterprise_uscc)


@pytest.fixture
def sysadmin(db: Session) -> Actor:
    """The system administrator (系统管理员): accounts and zone settings, no business data."""
    return _account(db, "sysadmin", Role.SYSTEM_ADMIN)


@pytest.fixture
def secadmin(db: Session) -> Actor:
    """The security administrator (安全管理员): roles and policies."""
    return _account(db, "secadmin", Role.SECURITY_ADMIN)


@pytest.fixture
def auditor(db: Session) -> Actor:
    """The audit administrator (审计管理员): the audit log and nothing else."""
    return _account(db, "auditor", Role.AUDIT_ADMIN)


@pytest.fixture
def analyst(db: Session, engine: Engine) -> Actor:
    if engine in _zone_data:  # the zone-year database: its analyst made the import
        user = next(u for u in users.list_users(db, SYSTEM) if u.username == "analyst")
        return Actor(id=user.id, username=user.username, role=Role.ANALYST, enterprise_uscc=None)
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
    from zonehero.core.domain.uscc import make_uscc

    return _account(db, "outsider", Role.ENTERPRISE, make_uscc("9144030070846113"))


@pytest.fixture
def zone_year(engine: Engine, db: Session, analyst: Actor, settings: Settings) -> int:
    """Year 2024 of the test zone, imported and confirmed by the analyst (in the zone-year database, see above)."""
    shutil.copytree(_zone_data[engine], settings.data_dir, dirs_exist_ok=True)
    return ZONE_YEAR


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
    return publication.publish_run(db, analyst, draft.id, on=NOTICE_START)
