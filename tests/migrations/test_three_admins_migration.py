"""Migration 0009 (三员分立): an old store's ``admin`` accounts become system administrators, the role CHECK
constraint knows the three administrators and not ``admin`` nor the operator's role, rows that refer to the
accounts survive the table copy, and downgrade turns them back (refusing while a security or audit
administrator exists). On SQLite and a throwaway PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pg_server import start_postgres
from sqlalchemy import Engine, exc, text

from zonehero.db import migrate
from zonehero.db.session import make_engine

BEFORE = "0008_audit_chain"
AFTER = "0009_three_admins"
ADD_USER = (
    "INSERT INTO users (username, password_hash, role, enterprise_uscc, active, failed_logins, created_at) "
    "VALUES (:name, 'x', :role, NULL, :active, 0, '2025-01-01 00:00:00')"
)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    url = f"sqlite:///{tmp_path / 'm.db'}" if request.param == "sqlite" else start_postgres(request)
    engine = make_engine(url)
    yield engine
    engine.dispose()


def _url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def _roles(engine: Engine) -> dict[str, str]:
    with engine.connect() as conn:
        return {name: role for name, role in conn.execute(text("SELECT username, role FROM users"))}


def _old_store(engine: Engine) -> None:
    """A store at 0008 with an administrator, an analyst, and a job the administrator submitted."""
    migrate.upgrade(_url(engine), BEFORE)
    with engine.begin() as conn:
        for name, role, active in (("boss", "admin", True), ("old-boss", "admin", False), ("ana", "analyst", True)):
            conn.execute(text(ADD_USER), {"name": name, "role": role, "active": active})
        boss = conn.execute(text("SELECT id FROM users WHERE username = 'boss'")).scalar_one()
        conn.execute(
            text(
                "INSERT INTO jobs (kind, status, done, total, stage, cancel_requested, attempts, submitted_by, "
                "submitted_at) VALUES ('annual_report', 'done', 1, 1, '', :no, 1, :boss, '2025-01-02 00:00:00')"
            ),
            {"boss": boss, "no": False},
        )


def test_admin_accounts_become_system_administrators(engine: Engine) -> None:
    _old_store(engine)
    migrate.upgrade(_url(engine))
    assert _roles(engine) == {"boss": "system_admin", "old-boss": "system_admin", "ana": "analyst"}
    with engine.connect() as conn:
        submitted_by = conn.execute(text("SELECT u.username FROM jobs j JOIN users u ON u.id = j.submitted_by"))
        assert submitted_by.scalars().all() == ["boss"]
        if engine.dialect.name == "sqlite":
            assert conn.execute(text("PRAGMA foreign_key_check")).all() == []


@pytest.mark.parametrize("role", ["admin", "operator", "root"])
def test_the_old_role_and_the_operators_cannot_be_stored(engine: Engine, role: str) -> None:
    migrate.upgrade(_url(engine))
    with pytest.raises(exc.IntegrityError), engine.begin() as conn:
        conn.execute(text(ADD_USER), {"name": "x", "role": role, "active": True})


def test_the_three_administrators_can_be_stored_and_the_other_rules_still_hold(engine: Engine) -> None:
    migrate.upgrade(_url(engine))
    with engine.begin() as conn:
        for role in ("system_admin", "security_admin", "audit_admin"):
            conn.execute(text(ADD_USER), {"name": role, "role": role, "active": True})
    # The enterprise rule survived the table copy: an enterprise account without its USCC is refused.
    with pytest.raises(exc.IntegrityError), engine.begin() as conn:
        conn.execute(text(ADD_USER), {"name": "firm", "role": "enterprise", "active": True})


def test_downgrade_turns_system_administrators_back_and_refuses_the_other_two(engine: Engine) -> None:
    _old_store(engine)
    migrate.upgrade(_url(engine), AFTER)
    with engine.begin() as conn:
        conn.execute(text(ADD_USER), {"name": "eve", "role": "audit_admin", "active": True})
    with pytest.raises(RuntimeError, match="eve"):
        migrate.downgrade(_url(engine), BEFORE)
    assert _roles(engine)["boss"] == "system_admin"  # nothing changed
    with engine.begin() as conn:
        conn.execute(text("UPDATE users SET role = 'leader' WHERE username = 'eve'"))
    migrate.downgrade(_url(engine), BEFORE)
    assert _roles(engine) == {"boss": "admin", "old-boss": "admin", "ana": "analyst", "eve": "leader"}
    with pytest.raises(exc.IntegrityError), engine.begin() as conn:
        conn.execute(text(ADD_USER), {"name": "y", "role": "system_admin", "active": True})
