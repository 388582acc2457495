"""Migration 0008 chains the audit entries kept before it, so an upgraded store verifies; its triggers are
installed and removed with it. On SQLite and a throwaway PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from pg_server import start_postgres
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from zonehero.db import migrate
from zonehero.db.session import make_engine
from zonehero.features.audit import integrity
from zonehero.features.roles import SYSTEM

BEFORE = "0007_jobs"
TRIGGERS = {"sqlite": "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'trg_audit%'"}
PG_TRIGGERS = "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgname LIKE 'trg_audit%'"  # TRUNCATE too


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    url = f"sqlite:///{tmp_path / 'm.db'}" if request.param == "sqlite" else start_postgres(request)
    engine = make_engine(url)
    yield engine
    engine.dispose()


def test_entries_kept_before_the_chain_are_chained_in_id_order(engine: Engine) -> None:
    url = engine.url.render_as_string(hide_password=False)
    migrate.upgrade(url, BEFORE)
    with engine.begin() as conn:
        for n, action in enumerate(("login.success", "user.create", "run.publish")):
            conn.execute(
                text(
                    "INSERT INTO audit_log (at, actor_id, actor_name, action, entity, entity_id, before, after) "
                    "VALUES (:at, NULL, '管理员', :action, 'user', :id, NULL, :after)"
                ),
                {
                    "at": f"2025-0{n + 1}-01 08:00:00.000000",
                    "action": action,
                    "id": str(n),
                    "after": json.dumps({"n": n}),
                },
            )
    migrate.upgrade(url)
    with Session(engine) as session:
        report = integrity.verify(session, SYSTEM)
        hashes = session.execute(text("SELECT prev_hash, hash FROM audit_log ORDER BY id")).all()
    assert report.ok and report.checked == 3, report.problem
    assert [h[0] for h in hashes[1:]] == [h[1] for h in hashes[:-1]]


def test_the_append_only_triggers_come_and_go_with_the_migration(engine: Engine) -> None:
    url = engine.url.render_as_string(hide_password=False)
    query = TRIGGERS.get(engine.dialect.name, PG_TRIGGERS)
    migrate.upgrade(url)
    with engine.connect() as conn:
        names = set(conn.execute(text(query)).scalars())
    assert {"trg_audit_log_no_update", "trg_audit_log_no_delete"} <= names or {
        "trg_audit_log_append_only",
        "trg_audit_log_no_truncate",
        "trg_audit_chain_head_guard",
    } <= names
    migrate.downgrade(url, BEFORE)
    with engine.connect() as conn:
        assert set(conn.execute(text(query)).scalars()) == set()
