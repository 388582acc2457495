"""Migration 0016 (数据归集): the ``department`` role is stored only with its department, and only it has one;
the default departments are seeded; an older store's accounts and their rows survive the table copy; downgrade
refuses while a department account exists. On SQLite and a throwaway PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pg_server import start_postgres
from sqlalchemy import Engine, exc, text

from zonehero.db import migrate
from zonehero.db.session import make_engine

BEFORE = "0015_objection_figures"
AFTER = "0016_collection_rounds"
ADD_USER = (
    "INSERT INTO users (username, password_hash, role, enterprise_uscc, unit_name, department, active, failed_logins,"
    " created_at, must_change_password) VALUES (:name, 'x', :role, NULL, NULL, :department, :yes, 0,"
    " '2025-01-01 00:00:00', :no)"
)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    url = f"sqlite:///{tmp_path / 'm.db'}" if request.param == "sqlite" else start_postgres(request)
    engine = make_engine(url)
    yield engine
    engine.dispose()


def _url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def _add(engine: Engine, name: str, role: str, department: str | None) -> None:
    with engine.begin() as conn:
        conn.execute(text(ADD_USER), {"name": name, "role": role, "department": department, "yes": True, "no": False})


def test_a_department_account_needs_its_department_and_only_it_has_one(engine: Engine) -> None:
    migrate.upgrade(_url(engine))
    _add(engine, "tax", "department", "税务局")
    for name, role, department in (("nodept", "department", None), ("ana", "analyst", "税务局")):
        with pytest.raises(exc.IntegrityError):
            _add(engine, name, role, department)
    _add(engine, "ana", "analyst", None)


def test_the_default_departments_are_seeded(engine: Engine) -> None:
    migrate.upgrade(_url(engine))
    with engine.connect() as conn:
        names = conn.execute(text("SELECT name FROM collection_departments ORDER BY position")).scalars().all()
    assert names == ["税务局", "供电公司", "统计局", "自然资源局", "科技局", "生态环境局", "应急管理局"]


def test_an_older_store_keeps_its_accounts_and_downgrade_refuses_department_accounts(engine: Engine) -> None:
    migrate.upgrade(_url(engine), BEFORE)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO users (username, password_hash, role, active, failed_logins, created_at, "
                "must_change_password) VALUES ('boss', 'x', 'system_admin', :yes, 0, '2025-01-01 00:00:00', :no)"
            ),
            {"yes": True, "no": False},
        )
    migrate.upgrade(_url(engine), AFTER)  # this migration's own step: later ones have their own downgrades
    _add(engine, "tax", "department", "税务局")
    with engine.connect() as conn:
        assert set(conn.execute(text("SELECT username FROM users")).scalars()) == {"boss", "tax"}
    with pytest.raises(RuntimeError, match="部门填报员"):
        migrate.downgrade(_url(engine), BEFORE)
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM users WHERE role = 'department'"))
    migrate.downgrade(_url(engine), BEFORE)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT username FROM users")).scalars().all() == ["boss"]
    with pytest.raises(exc.IntegrityError), engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO users (username, password_hash, role, active, failed_logins, created_at, "
                "must_change_password) VALUES ('d', 'x', 'department', :yes, 0, '2025-01-01 00:00:00', :no)"
            ),
            {"yes": True, "no": False},
        )
