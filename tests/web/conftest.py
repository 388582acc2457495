"""Web test fixtures: a migrated database per backend, personas, a rolled-back transaction per test, clients.

The database is built once per session by the Alembic migrations; personas
and the demo world are committed then. Each test runs inside a transaction
that is rolled back at its end (the app's units of work commit savepoints).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pg_server import start_postgres
from route_analysis import analysed_once
from sqlalchemy import Connection, Engine, event
from sqlalchemy.orm import Session, sessionmaker
from web_client import api_login
from web_personas import World, create_world

from zonehero.config import Settings
from zonehero.db.migrate import upgrade
from zonehero.db.session import make_engine
from zonehero.edges.web import app as web_app
from zonehero.edges.web.app import create_app


def _sqlite_savepoints(engine: Engine) -> None:
    # pysqlite opens transactions on its own and breaks SAVEPOINT; let SQLAlchemy emit BEGIN itself.
    @event.listens_for(engine, "connect")
    def _no_implicit_transactions(dbapi_connection: object, _record: object) -> None:
        dbapi_connection.isolation_level = None  # type: ignore[attr-defined]

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN")


def _postgres_url(request: pytest.FixtureRequest) -> str:
    return str(start_postgres(request))


@pytest.fixture(scope="session", autouse=True)
def _routes_analysed_once() -> Iterator[None]:
    """Each test's new app reuses FastAPI's analysis of the routes instead of redoing it (route_analysis.py)."""
    with analysed_once():
        yield


@pytest.fixture(scope="session", autouse=True)
def _templates_compiled_once() -> Iterator[None]:
    """Each test's new app shares one Jinja environment, so a template is compiled once per session, not per test.

    The environment holds only the templates folder, filters and label globals, the same for every app.
    """
    shared = functools.cache(web_app.build_templates)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(web_app, "build_templates", shared)
        yield


@pytest.fixture(scope="session", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def web_database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Engine, World]]:
    """A migrated database with the personas and the test world, for one backend."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('webdb') / 'web.db'}"
        engine = make_engine(url, connect_args={"check_same_thread": False})
        _sqlite_savepoints(engine)
    else:
        url = _postgres_url(request)
        engine = make_engine(url)
    with engine.begin() as connection:
        upgrade(connection=connection)
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    world_settings = Settings(data_dir=tmp_path_factory.mktemp("world"), environment="test")  # type: ignore[call-arg]
    with factory.begin() as session:
        world = create_world(session, world_settings)
    yield engine, world
    engine.dispose()


@pytest.fixture
def world(web_database: tuple[Engine, World]) -> World:
    """USCCs of enterprise_a/enterprise_b and the ids of the final (2023) and draft (2024) runs."""
    return web_database[1]


@pytest.fixture
def web_engine(web_database: tuple[Engine, World]) -> Engine:
    return web_database[0]


@pytest.fixture
def sessions(web_engine: Engine) -> Iterator[sessionmaker[Session]]:
    """Sessions joined to one outer transaction that is rolled back when the test ends."""
    connection = web_engine.connect()
    transaction = connection.begin()
    yield sessionmaker(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False, autoflush=False
    )
    transaction.rollback()
    connection.close()


@pytest.fixture
def db(sessions: sessionmaker[Session]) -> Iterator[Session]:
    """A session in the test's transaction, for arranging and checking state."""
    with sessions() as session:
        yield session


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path, environment="test", secret_key="k" * 48)  # type: ignore[arg-type]


@pytest.fixture
def app_factory(settings: Settings, sessions: sessionmaker[Session]) -> Callable[..., TestClient]:
    """Make a fresh client (own cookie jar) on an app sharing the test's transaction."""
    clients: list[TestClient] = []

    def make(**overrides: object) -> TestClient:
        app = create_app(settings.model_copy(update=overrides) if overrides else settings, sessions=sessions)
        client = TestClient(app, follow_redirects=False)
        client.__enter__()
        clients.append(client)
        return client

    yield make  # type: ignore[misc]
    for client in clients:
        client.__exit__(None, None, None)


@pytest.fixture
def client(app_factory: Callable[..., TestClient]) -> TestClient:
    return app_factory()


@pytest.fixture
def login_as(app_factory: Callable[..., TestClient]) -> Callable[[str], TestClient]:
    """A new client logged in as the named persona."""

    def make(persona: str) -> TestClient:
        client = app_factory()
        api_login(client, persona)
        return client

    return make
