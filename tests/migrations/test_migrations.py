"""Migrations: one head, no drift between the models and the migrated schema, upgrade and downgrade both ways.

Run on SQLite and on a throwaway PostgreSQL (the server helper lives in tests/integration/pg_server.py).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from pg_server import start_postgres
from sqlalchemy import Engine, inspect, text

from zonehero.db import migrate
from zonehero.db.session import make_engine
from zonehero.migrations.metadata import Base

# Every table the models declare, plus Alembic's own: the migrations must build exactly these.
TABLES = {*Base.metadata.tables, "alembic_version"}


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An empty database of each backend (a fresh PostgreSQL server per test: they are cheap)."""
    url = f"sqlite:///{tmp_path / 'm.db'}" if request.param == "sqlite" else start_postgres(request)
    engine = make_engine(url)
    yield engine
    engine.dispose()


def test_there_is_one_head() -> None:
    heads = migrate.heads()
    assert len(heads) == 1, heads


def test_upgrade_builds_every_table_and_downgrade_removes_them(empty_engine: Engine) -> None:
    url = empty_engine.url.render_as_string(hide_password=False)
    migrate.upgrade(url)
    assert set(inspect(empty_engine).get_table_names()) == TABLES
    with empty_engine.connect() as conn:
        assert [migrate.current_revision(conn)] == migrate.heads()
    migrate.downgrade(url)
    assert set(inspect(empty_engine).get_table_names()) <= {"alembic_version"}
    migrate.upgrade(url)  # and up again, after a full round trip
    assert set(inspect(empty_engine).get_table_names()) == TABLES


def test_the_models_match_the_migrated_schema(empty_engine: Engine) -> None:
    """What ``alembic check`` does: autogenerate finds nothing to change."""
    migrate.upgrade(empty_engine.url.render_as_string(hide_password=False))
    with empty_engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, Base.metadata)
    assert diff == []


def test_the_immutability_triggers_are_installed_and_removed(empty_engine: Engine) -> None:
    url = empty_engine.url.render_as_string(hide_password=False)
    migrate.upgrade(url)
    query = (
        "SELECT name FROM sqlite_master WHERE type = 'trigger'"
        if empty_engine.dialect.name == "sqlite"
        else "SELECT DISTINCT trigger_name FROM information_schema.triggers"
    )
    with empty_engine.connect() as conn:
        names = set(conn.execute(text(query)).scalars())
    assert "trg_evaluation_runs_immutable" in names
    assert any(n.startswith("trg_run_results_immutable") for n in names)
    migrate.downgrade(url)
    with empty_engine.connect() as conn:
        assert set(conn.execute(text(query)).scalars()) == set()


def test_the_years_already_stored_start_at_data_version_one(empty_engine: Engine) -> None:
    """Migration 0012: a store upgraded with figures keeps its frames from the first request on."""
    url = empty_engine.url.render_as_string(hide_password=False)
    migrate.upgrade(url, "0011_run_aggregates")
    uscc = "91350100M000100Y43"
    figure = text("INSERT INTO figures (uscc, year, field, value_num, updated_at) VALUES (:u, :y, :f, 1, '2026-01-01')")
    with empty_engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO enterprises (uscc, name, created_at, updated_at)"
                " VALUES (:u, 'x', '2026-01-01', '2026-01-01')"
            ),
            {"u": uscc},
        )
        for year in (2024, 2024, 2025):
            conn.execute(figure, {"u": uscc, "y": year, "f": f"f{uuid.uuid4().hex[:8]}"})
    migrate.upgrade(url)
    with empty_engine.connect() as conn:
        assert dict(conn.execute(text("SELECT year, version FROM figure_versions")).all()) == {2024: 1, 2025: 1}
