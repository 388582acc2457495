"""zonehero backup --out / backup verify / restore on a small store of each backend: exit 0 and a summary when
all is well; exit 1 with the reason for a damaged archive and a non-empty target; exit 2 without --out; after a
restore ``zonehero audit verify`` exits 0."""

from __future__ import annotations

import io
import tarfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from pg_server import start_postgres
from sqlalchemy import Engine, create_engine, func, select, text
from typer.testing import CliRunner

from zonehero.db import migrate
from zonehero.db.session import make_engine, session_factory, unit_of_work
from zonehero.edges.cli.main import app
from zonehero.features.audit import service as audit
from zonehero.features.audit.models import AuditEntry
from zonehero.features.roles import Actor, Role

runner = CliRunner()


@pytest.fixture(scope="module")
def server(request: pytest.FixtureRequest) -> str:
    return start_postgres(request)


def _database(request: pytest.FixtureRequest, kind: str, folder: Path) -> str:
    if kind == "sqlite":
        return f"sqlite:///{folder / 'zonehero.db'}"
    base: str = request.getfixturevalue("server")
    name = f"cli_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name}"))
    admin.dispose()
    return base.rsplit("/", 1)[0] + f"/{name}"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def store(request: pytest.FixtureRequest, kind: str, tmp_path: Path) -> Iterator[tuple[str, Path, Engine]]:
    """A migrated store with three audit entries and an uploaded file: (URL, data folder, engine)."""
    data = tmp_path / "data"
    (data / "uploads" / "imports" / "a").mkdir(parents=True)
    (data / "uploads" / "imports" / "a" / "税务局.csv").write_text("统一社会信用代码,税收\n", "utf-8")
    url = _database(request, kind, data)
    migrate.upgrade(url)
    engine = make_engine(url)
    with unit_of_work(session_factory(engine)) as session:
        for n in range(3):
            audit.record(session, Actor(id=1, username="sysadmin", role=Role.SYSTEM_ADMIN), "logout", "user", n)
    yield url, data, engine
    engine.dispose()


def _entries(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(AuditEntry)) or 0)


def test_backup_verify_and_restore_from_the_command_line(
    request: pytest.FixtureRequest, kind: str, store: tuple[str, Path, Engine], tmp_path: Path
) -> None:
    url, data, engine = store
    out = tmp_path / "backups" / "nightly.tar.gz"
    done = runner.invoke(app, ["backup", "--out", str(out), "--db", url, "--data-dir", str(data)])
    assert done.exit_code == 0, done.output
    assert "备份完成" in done.output and "文件 1 个" in done.output and f"数据库 {kind}" in done.output
    assert _entries(engine) == 4  # the backup is audited

    done = runner.invoke(app, ["backup", "verify", str(out)])
    assert done.exit_code == 0, done.output
    assert "备份文件完好" in done.output

    target_data = tmp_path / "restored"
    target = _database(request, kind, target_data)
    done = runner.invoke(app, ["restore", str(out), "--db", target, "--data-dir", str(target_data)])
    assert done.exit_code == 0, done.output
    assert f"{kind} → {kind}" in done.output and "行数与校验和均与清单一致" in done.output
    assert (target_data / "uploads" / "imports" / "a" / "税务局.csv").read_text("utf-8").startswith("统一社会信用代码")

    done = runner.invoke(app, ["audit", "verify", "--db", target])
    assert done.exit_code == 0, done.output
    assert "已校验 4 条" in done.output  # three restored, then the restore's own entry

    done = runner.invoke(app, ["restore", str(out), "--db", target, "--data-dir", str(target_data)])
    assert done.exit_code == 1
    assert "目标数据库不是空的" in done.output


@pytest.mark.postgres
def test_a_sqlite_backup_moves_into_postgresql_from_the_command_line(
    request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    url = _database(request, "sqlite", data)
    migrate.upgrade(url)
    engine = make_engine(url)
    with unit_of_work(session_factory(engine)) as session:
        audit.record(session, Actor(id=1, username="sysadmin", role=Role.SYSTEM_ADMIN), "logout", "user", 1)
    engine.dispose()
    out = tmp_path / "lite.tar.gz"
    assert runner.invoke(app, ["backup", "--out", str(out), "--db", url, "--data-dir", str(data)]).exit_code == 0
    target = _database(request, "postgresql", tmp_path / "pg-data")
    done = runner.invoke(app, ["restore", str(out), "--db", target, "--data-dir", str(tmp_path / "pg-data")])
    assert done.exit_code == 0, done.output
    assert "sqlite → postgresql" in done.output
    assert runner.invoke(app, ["audit", "verify", "--db", target]).exit_code == 0


def test_verify_and_restore_refuse_a_damaged_archive(store: tuple[str, Path, Engine], tmp_path: Path) -> None:
    url, data, _engine = store
    out = tmp_path / "nightly.tar.gz"
    assert runner.invoke(app, ["backup", "--out", str(out), "--db", url, "--data-dir", str(data)]).exit_code == 0
    bad = tmp_path / "bad.tar.gz"
    with tarfile.open(out) as source, tarfile.open(bad, "w:gz") as target:
        for member in source:
            content = source.extractfile(member).read()  # type: ignore[union-attr]
            if member.name.startswith("files/"):
                content = content.replace("税收".encode(), "利润".encode())
            member.size = len(content)
            target.addfile(member, io.BytesIO(content))

    done = runner.invoke(app, ["backup", "verify", str(bad)])
    assert done.exit_code == 1
    assert "备份文件校验未通过" in done.output and "税务局.csv 的校验和与清单不符" in done.output

    fresh = tmp_path / "fresh"
    done = runner.invoke(app, ["restore", str(bad), "--data-dir", str(fresh), "--db", f"sqlite:///{fresh / 'z.db'}"])
    assert done.exit_code == 1
    assert "没有恢复任何数据" in done.output
    assert not (fresh / "uploads").exists()


def test_backup_without_out_is_a_usage_error(tmp_path: Path) -> None:
    done = runner.invoke(app, ["backup", "--db", f"sqlite:///{tmp_path / 'z.db'}"])
    assert done.exit_code == 2
    assert "--out" in done.output


def test_backup_of_an_empty_database_says_there_is_nothing(tmp_path: Path) -> None:
    out = tmp_path / "x.tar.gz"
    done = runner.invoke(app, ["backup", "--out", str(out), "--db", f"sqlite:///{tmp_path / 'z.db'}"])
    assert done.exit_code == 1
    assert not out.exists()
