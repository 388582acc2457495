"""Backup and restore (备份与恢复) on real stores: the demo zone (every table holding rows, files in the data folder)
backed up and restored SQLite → SQLite, SQLite → PostgreSQL and PostgreSQL → PostgreSQL gives the same rows and
files, with an audit chain that still verifies; a tampered archive and a non-empty target are refused; a backup
taken while requests keep writing is one consistent state.

Stores here commit, so each lives in a data folder and (PostgreSQL) a database of its own.
"""

from __future__ import annotations

import io
import tarfile
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, func, select, text

from zonehero.config import SECRET_KEY_FILE, Settings
from zonehero.core.schedule.model import ProgressReport
from zonehero.db import migrate
from zonehero.db.session import make_engine, session_factory, unit_of_work
from zonehero.demo.seed import seed_demo
from zonehero.edges.web.app import create_app
from zonehero.errors import Conflict, PermissionDenied
from zonehero.features.audit import integrity
from zonehero.features.audit import service as audit
from zonehero.features.audit.models import AuditEntry
from zonehero.features.backup import service as backup
from zonehero.features.backup.schemas import Manifest
from zonehero.features.decision import cultivation_view
from zonehero.features.imports.storage import UploadedFile
from zonehero.features.jobs import service as jobs
from zonehero.features.objections import service as objections
from zonehero.features.projects import progress
from zonehero.features.projects.models import ProjectRow
from zonehero.features.publication import service as publication
from zonehero.features.roles import SYSTEM, Actor, Role
from zonehero.features.schemes.service import ensure_default_scheme
from zonehero.features.users import service as users
from zonehero.features.users import sessions
from zonehero.features.users.models import User
from zonehero.features.users.sessions import SessionPolicy
from zonehero.features.zone import service as zone
from zonehero.features.zone.schemas import ZoneForm
from zonehero.migrations.metadata import Base

PASSWORD = "Backup-Test-2025!"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n% evidence\n"
SECRET = "k" * 48


@dataclass(frozen=True)
class Store:
    """A store of its own: its settings (database URL, data folder) and an engine on it."""

    settings: Settings
    engine: Engine

    @property
    def url(self) -> str:
        return self.settings.database_url


Rows = dict[str, list[dict[str, Any]]]


def rows_of(engine: Engine) -> Rows:
    """Every mapped table's rows in key order, as the application reads them."""
    with engine.connect() as connection:
        return {
            t.name: [dict(r) for r in connection.execute(select(t).order_by(*t.primary_key.columns)).mappings()]
            for t in Base.metadata.sorted_tables
        }


def files_of(settings: Settings) -> dict[str, bytes]:
    """The data folder's files a backup carries (not the database, not the key), by relative name."""
    skipped = {"zonehero.db", "zonehero.db-wal", "zonehero.db-shm", SECRET_KEY_FILE}
    root = settings.data_dir
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.relative_to(root).as_posix() not in skipped and not p.name.startswith(".zonehero-")
    }


def assert_restored(expected: Rows, restored: Rows) -> None:
    """The same rows in every table; the audit log continues with exactly one ``backup.restore`` entry, written
    with the next id (the sequences continue after the copied ids) and chained after the restored head."""
    logged = len(expected["audit_log"])
    assert restored["audit_log"][:logged] == expected["audit_log"]
    added = restored["audit_log"][logged:]
    assert [e["action"] for e in added] == ["backup.restore"]
    assert added[0]["id"] == expected["audit_log"][-1]["id"] + 1
    assert added[0]["prev_hash"] == expected["audit_chain_head"][0]["last_hash"]
    for name, rows in expected.items():
        if name not in ("audit_log", "audit_chain_head"):
            assert restored[name] == rows, f"table {name} differs after the restore"


def assert_chain_verifies(engine: Engine) -> None:
    with unit_of_work(session_factory(engine)) as session:
        report = integrity.verify(session, SYSTEM)
    assert report.ok, report.problem


def _fill_every_table(session: Any, settings: Settings, run_2025: int, uscc: str) -> None:
    """What the demo leaves empty: zone settings, a job, an objection with its evidence, a site photo, a kept
    cultivation view, an open session and an address's failed log-in."""
    zone.save_profile(
        session,
        SYSTEM,
        ZoneForm(
            name="备份测试开发区",
            timezone="Asia/Shanghai",
            industry_chains=["新材料", "高端装备"],
            notice_period=7,
            notice_working_days=False,
        ),
    )
    accounts = {u.username: u for u in users.list_users(session, SYSTEM)}
    analyst = Actor(id=accounts["analyst"].id, username="analyst", role=Role.ANALYST)
    jobs.submit(session, analyst, "run_export", {"run_id": run_2025}, enqueue=lambda _job_id: None)
    today = date.today()
    publication.publish_run(session, analyst, run_2025, on=today)
    company = Actor(id=accounts["enterprise"].id, username="enterprise", role=Role.ENTERPRISE, enterprise_uscc=uscc)
    objections.file_objection(
        session, company, run_2025, "用电量有误", [UploadedFile("电费发票.pdf", PDF)], settings=settings, on=today
    )
    code = session.scalar(select(ProjectRow.code).order_by(ProjectRow.code).limit(1))
    report = ProgressReport(code=code, year=today.year, month=today.month, investment_month=12.5, percent_done=40)
    progress.record_progress(session, SYSTEM, settings, report, [UploadedFile("工地.png", PNG)])
    cultivation_view.year_view(session, analyst, 2025)
    assert analyst.id is not None
    sessions.start(session, analyst.id, SessionPolicy(max_age_seconds=3600, idle_minutes=30))
    assert not users.authenticate(session, "analyst", "Wrong-Guess-1", address="198.51.100.7").ok


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """The small demo zone in SQLite with every table holding rows and a session key in the data folder."""
    folder = tmp_path_factory.mktemp("demo")
    settings = Settings(data_dir=folder, environment="test")  # type: ignore[call-arg]
    (folder / SECRET_KEY_FILE).write_text(SECRET, "utf-8")
    migrate.upgrade(settings.database_url)
    engine = make_engine(settings.database_url)
    with unit_of_work(session_factory(engine)) as session:
        ensure_default_scheme(session)
        seeded = seed_demo(session, settings, password=PASSWORD, enterprises=20, seed=3)
        _fill_every_table(session, settings, seeded.runs[2025][0], seeded.enterprise_uscc)
    yield Store(settings, engine)
    engine.dispose()


@pytest.fixture(scope="module")
def demo_backup(demo_store: Store, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Rows, dict[str, bytes]]:
    """The demo store's archive, with its rows and files as they were when it was taken."""
    rows, files = rows_of(demo_store.engine), files_of(demo_store.settings)
    out = tmp_path_factory.mktemp("backups") / "demo.tar.gz"
    backup.create_backup(demo_store.settings, SYSTEM, out)
    return out, rows, files


@pytest.fixture(scope="module")
def new_postgres(request: pytest.FixtureRequest) -> Callable[[], str]:
    """Makes an empty PostgreSQL database on the session's server and returns its URL."""

    def make() -> str:
        server: str = request.getfixturevalue("postgres_url")
        name = f"backup_{uuid.uuid4().hex[:12]}"
        admin = create_engine(server, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f"CREATE DATABASE {name}"))
        admin.dispose()
        return server.rsplit("/", 1)[0] + f"/{name}"

    return make


def _empty_store(kind: str, folder: Path, new_postgres: Callable[[], str]) -> Store:
    db = None if kind == "sqlite" else new_postgres()
    settings = Settings(data_dir=folder, db=db, environment="test")  # type: ignore[call-arg]
    return Store(settings, make_engine(settings.database_url))


@pytest.fixture
def empty_store(request: pytest.FixtureRequest, tmp_path: Path, new_postgres: Callable[[], str]) -> Iterator[Store]:
    store = _empty_store(request.param, tmp_path / "restored", new_postgres)
    yield store
    store.engine.dispose()


both = pytest.mark.parametrize(
    "empty_store", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)


def test_the_demo_store_has_rows_in_every_table(demo_store: Store) -> None:
    """So every round trip below carries every table (a new table without rows would prove nothing)."""
    empty = [name for name, rows in rows_of(demo_store.engine).items() if not rows]
    assert empty == []


def test_the_manifest_lists_the_snapshot_and_the_files(
    demo_store: Store, demo_backup: tuple[Path, Rows, dict[str, bytes]]
) -> None:
    archive, rows, files = demo_backup
    check = backup.verify_backup(demo_store.settings, archive)
    assert check.ok, check.problems
    manifest = check.manifest
    assert manifest is not None and manifest.engine == "sqlite" and manifest.revision == migrate.heads()[0]
    assert manifest.tables == {name: len(table_rows) for name, table_rows in rows.items()}
    assert manifest.files == sorted(files)
    assert any(name.startswith("uploads/objections/") for name in manifest.files)
    assert any(name.startswith("project-photos/") for name in manifest.files)
    assert SECRET_KEY_FILE not in manifest.files  # a secret stays on its server
    with tarfile.open(archive) as tar:
        assert SECRET.encode() not in b"".join(
            f.read() for m in tar if m.isfile() and (f := tar.extractfile(m)) is not None
        )


def test_the_backup_is_audited_in_the_store_it_read(
    demo_store: Store, demo_backup: tuple[Path, Rows, dict[str, bytes]]
) -> None:
    archive, rows, _files = demo_backup
    with demo_store.engine.connect() as connection:
        entry = connection.execute(select(AuditEntry).where(AuditEntry.action == "backup.create")).one()
    assert entry.id > rows["audit_log"][-1]["id"]  # after the snapshot: not inside it
    assert entry.after["file"] == archive.name and entry.after["rows"] == sum(len(r) for r in rows.values())


@both
def test_a_round_trip_gives_the_same_rows_and_files(
    empty_store: Store, demo_backup: tuple[Path, Rows, dict[str, bytes]]
) -> None:
    """SQLite → SQLite, and SQLite → PostgreSQL: the way a zone moves off the embedded database."""
    archive, rows, files = demo_backup
    report = backup.restore_backup(empty_store.settings, SYSTEM, archive, Base.metadata)
    assert report.target_engine == empty_store.engine.dialect.name and not report.needs_upgrade
    assert_restored(rows, rows_of(empty_store.engine))
    assert files_of(empty_store.settings) == files
    assert not (empty_store.settings.data_dir / SECRET_KEY_FILE).exists()
    assert_chain_verifies(empty_store.engine)


@pytest.mark.postgres
def test_a_postgresql_round_trip_gives_the_same_rows_and_files(
    demo_backup: tuple[Path, Rows, dict[str, bytes]], new_postgres: Callable[[], str], tmp_path: Path
) -> None:
    """A zone on PostgreSQL (moved there from SQLite) backed up with pg_dump and restored with pg_restore."""
    source = _empty_store("postgresql", tmp_path / "source", new_postgres)
    target = _empty_store("postgresql", tmp_path / "target", new_postgres)
    try:
        backup.restore_backup(source.settings, SYSTEM, demo_backup[0], Base.metadata)
        rows, files = rows_of(source.engine), files_of(source.settings)
        archive = tmp_path / "pg.tar.gz"
        made = backup.create_backup(source.settings, SYSTEM, archive)
        assert made.engine == "postgresql" and made.rows == sum(len(r) for r in rows.values())
        check = backup.verify_backup(source.settings, archive)
        assert check.ok, check.problems
        migrate.upgrade(target.url)  # migrated but empty: pg_restore drops what the migrations made first
        backup.restore_backup(target.settings, SYSTEM, archive, Base.metadata)
        assert_restored(rows, rows_of(target.engine))
        assert files_of(target.settings) == files
        assert_chain_verifies(target.engine)
        # … and a PostgreSQL backup does not go into SQLite (a dump needs a server to be read).
        with pytest.raises(Conflict, match="只能恢复到 PostgreSQL"):
            backup.restore_backup(
                Settings(data_dir=tmp_path / "lite", environment="test"),  # type: ignore[call-arg]
                SYSTEM,
                archive,
                Base.metadata,
            )
    finally:
        source.engine.dispose()
        target.engine.dispose()


@both
def test_a_restore_refuses_a_store_holding_data(
    empty_store: Store, demo_backup: tuple[Path, Rows, dict[str, bytes]]
) -> None:
    archive = demo_backup[0]
    backup.restore_backup(empty_store.settings, SYSTEM, archive, Base.metadata)
    before = rows_of(empty_store.engine)
    with pytest.raises(Conflict, match="目标数据库不是空的"):
        backup.restore_backup(empty_store.settings, SYSTEM, archive, Base.metadata)
    assert rows_of(empty_store.engine) == before


@both
def test_a_restore_refuses_a_store_seeded_by_db_upgrade(
    empty_store: Store, demo_backup: tuple[Path, Rows, dict[str, bytes]]
) -> None:
    """``zonehero db upgrade`` seeds the default scheme: that is data, and the restore says so."""
    migrate.upgrade(empty_store.url)
    with unit_of_work(session_factory(empty_store.engine)) as session:
        ensure_default_scheme(session)
    with pytest.raises(Conflict, match="不必先运行 zonehero db upgrade"):
        backup.restore_backup(empty_store.settings, SYSTEM, demo_backup[0], Base.metadata)


@both
def test_a_restore_goes_into_a_migrated_but_empty_store(
    empty_store: Store, demo_backup: tuple[Path, Rows, dict[str, bytes]]
) -> None:
    """Migrations alone seed the audit chain's head row: that store still counts as empty."""
    archive, rows, _files = demo_backup
    migrate.upgrade(empty_store.url)
    backup.restore_backup(empty_store.settings, SYSTEM, archive, Base.metadata)
    assert_restored(rows, rows_of(empty_store.engine))
    assert_chain_verifies(empty_store.engine)


def test_a_restore_refuses_a_file_that_would_overwrite_another(
    demo_backup: tuple[Path, Rows, dict[str, bytes]], tmp_path: Path
) -> None:
    archive, _rows, files = demo_backup
    settings = Settings(data_dir=tmp_path / "data", environment="test")  # type: ignore[call-arg]
    name = next(iter(files))
    (settings.data_dir / name).parent.mkdir(parents=True)
    (settings.data_dir / name).write_bytes(b"someone else's file")
    with pytest.raises(Conflict, match="数据目录中已有不同的文件"):
        backup.restore_backup(settings, SYSTEM, archive, Base.metadata)
    engine = make_engine(settings.database_url)
    try:
        assert migrate.current_revision(engine.connect()) is None  # nothing restored
    finally:
        engine.dispose()


def _rewrite(archive: Path, out: Path, change: Callable[[str, bytes], bytes | None]) -> None:
    """A copy of ``archive`` with each member's bytes passed through ``change`` (None leaves the member out)."""
    with tarfile.open(archive) as source, tarfile.open(out, "w:gz") as target:
        for member in source:
            data = source.extractfile(member).read()  # type: ignore[union-attr]
            changed = change(member.name, data)
            if changed is None:
                continue
            member.size = len(changed)
            target.addfile(member, io.BytesIO(changed))


@pytest.mark.parametrize(
    ("tamper", "problem"),
    [
        ("edit a file", "的校验和与清单不符"),
        ("drop a file", "缺少清单所列的"),
        ("add a file", "不在清单中"),
        ("change the counts", "清单记"),
        ("truncate", "无法读取"),
    ],
)
def test_verify_catches_a_tampered_archive_and_restore_refuses_it(
    demo_backup: tuple[Path, Rows, dict[str, bytes]], tmp_path: Path, tamper: str, problem: str
) -> None:
    archive = demo_backup[0]
    bad = tmp_path / "bad.tar.gz"
    victim = next(name for name in Manifest.from_json(_manifest_bytes(archive)).members if name.startswith("files/"))
    if tamper == "truncate":
        bad.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    elif tamper == "add a file":
        _append_member(archive, bad, "files/uploads/smuggled.txt", b"not from the zone")
    else:

        def change(name: str, data: bytes) -> bytes | None:
            if tamper == "edit a file" and name == victim:
                return data + b"!"
            if tamper == "drop a file" and name == victim:
                return None
            if tamper == "change the counts" and name == "manifest.json":
                manifest = Manifest.from_json(data)
                tables = {**manifest.tables, "enterprises": manifest.tables["enterprises"] + 1}
                return manifest.model_copy(update={"tables": tables}).to_json()
            return data

        _rewrite(archive, bad, change)
    settings = Settings(data_dir=tmp_path / "data", environment="test")  # type: ignore[call-arg]
    check = backup.verify_backup(settings, bad)
    assert not check.ok
    assert any(problem in p for p in check.problems), check.problems
    if tamper != "change the counts":  # a manifest with wrong counts is caught after the restore's own count check
        with pytest.raises(Conflict, match="备份文件校验未通过"):
            backup.restore_backup(settings, SYSTEM, bad, Base.metadata)
        assert not (settings.data_dir / "zonehero.db").exists() or _revision(settings) is None
        assert files_of(settings) == {}


def _revision(settings: Settings) -> str | None:
    engine = make_engine(settings.database_url)
    try:
        with engine.connect() as connection:
            return migrate.current_revision(connection)
    finally:
        engine.dispose()


def _manifest_bytes(archive: Path) -> bytes:
    with tarfile.open(archive) as tar:
        return tar.extractfile("manifest.json").read()  # type: ignore[union-attr]


def _append_member(archive: Path, out: Path, name: str, data: bytes) -> None:
    with tarfile.open(archive) as source, tarfile.open(out, "w:gz") as target:
        for member in source:
            target.addfile(member, source.extractfile(member))
        info = tarfile.TarInfo(name)
        info.size = len(data)
        target.addfile(info, io.BytesIO(data))


def test_a_manifest_with_wrong_counts_fails_the_restore_check(
    demo_backup: tuple[Path, Rows, dict[str, bytes]], tmp_path: Path
) -> None:
    """The restore compares the restored rows with the manifest, and says the store is not to be used."""
    archive = demo_backup[0]
    bad = tmp_path / "bad.tar.gz"

    def change(name: str, data: bytes) -> bytes:
        if name != "manifest.json":
            return data
        manifest = Manifest.from_json(data)
        return manifest.model_copy(update={"tables": {**manifest.tables, "figures": 1}}).to_json()

    _rewrite(archive, bad, change)
    settings = Settings(data_dir=tmp_path / "data", environment="test")  # type: ignore[call-arg]
    with pytest.raises(Exception, match=r"恢复后的数据与备份清单不符.*figures"):
        backup.restore_backup(settings, SYSTEM, bad, Base.metadata)


def test_a_backup_killed_halfway_leaves_no_archive(
    demo_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from zonehero.features.backup import archive as archive_module

    calls = {"n": 0}
    real = archive_module.ArchiveWriter.add_file

    def dying(self: archive_module.ArchiveWriter, name: str, path: Path) -> Any:
        calls["n"] += 1
        if calls["n"] == 5:
            raise KeyboardInterrupt  # the operator's Ctrl-C, or a kill, halfway through the files
        return real(self, name, path)

    monkeypatch.setattr(archive_module.ArchiveWriter, "add_file", dying)
    out = tmp_path / "out" / "nightly.tar.gz"
    with pytest.raises(KeyboardInterrupt):
        backup.create_backup(demo_store.settings, SYSTEM, out)
    assert list(out.parent.iterdir()) == []  # no archive, no temporary file, no staging folder


def test_only_the_system_administrator_backs_up_and_restores(demo_store: Store, tmp_path: Path) -> None:
    leader = Actor(id=None, username="leader", role=Role.LEADER)
    with pytest.raises(PermissionDenied):
        backup.create_backup(demo_store.settings, leader, tmp_path / "x.tar.gz")
    with pytest.raises(PermissionDenied):
        backup.restore_backup(demo_store.settings, leader, tmp_path / "x.tar.gz", Base.metadata)


# A backup while requests keep writing -------------------------------------------------------------------------


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def live_store(
    request: pytest.FixtureRequest,
    demo_backup: tuple[Path, Rows, dict[str, bytes]],
    new_postgres: Callable[[], str],
    tmp_path: Path,
) -> Iterator[Store]:
    """A running zone on each engine (the demo restored into it), for the server to keep writing to."""
    store = _empty_store(request.param, tmp_path / "live", new_postgres)
    backup.restore_backup(store.settings, SYSTEM, demo_backup[0], Base.metadata)
    yield store
    store.engine.dispose()


class Writers:
    """Requests through the web app (log-ins, each audited) and accounts made through the service, in a thread
    until stopped: each account and its ``user.create`` entry commit together, so a torn snapshot would show one
    without the other."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.stop = threading.Event()
        self.done = 0
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        try:
            factory = session_factory(self.store.engine)
            with TestClient(create_app(self.store.settings)) as client:
                while not self.stop.is_set():
                    n = self.done
                    ok = client.post("/api/login", json={"username": "analyst", "password": PASSWORD})
                    assert ok.status_code == 200, ok.text
                    with unit_of_work(factory) as session:
                        users.create_user(session, SYSTEM, f"writer{n}", PASSWORD, Role.LEADER)
                        audit.record(session, SYSTEM, "logout", "user", n)
                    self.done += 1
        except BaseException as exc:  # handed to the test
            self.error = exc

    def wait_for(self, count: int) -> None:
        while self.done < count and self.error is None and self.thread.is_alive():
            self.stop.wait(0.01)


def test_a_backup_taken_while_requests_write_is_consistent(
    live_store: Store,
    demo_backup: tuple[Path, Rows, dict[str, bytes]],
    new_postgres: Callable[[], str],
    tmp_path: Path,
) -> None:
    writers = Writers(live_store)
    writers.thread.start()
    try:
        writers.wait_for(3)
        report = backup.create_backup(live_store.settings, SYSTEM, tmp_path / "live.tar.gz")
        writers.wait_for(writers.done + 2)  # and still writing after it
    finally:
        writers.stop.set()
        writers.thread.join(60)
    assert writers.error is None, writers.error

    check = backup.verify_backup(live_store.settings, report.path)  # SQLite: the counts checked in the snapshot
    assert check.ok, check.problems
    assert check.manifest is not None
    target = _empty_store(live_store.engine.dialect.name, tmp_path / "again", new_postgres)
    try:
        backup.restore_backup(target.settings, SYSTEM, report.path, Base.metadata)  # counts checked again here
        assert_chain_verifies(target.engine)
        with target.engine.connect() as connection:
            accounts = connection.scalar(select(func.count()).select_from(User))
            created = connection.scalar(
                select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "user.create")
            )
    finally:
        target.engine.dispose()
    demo_rows = demo_backup[1]
    demo_created = sum(1 for e in demo_rows["audit_log"] if e["action"] == "user.create")
    made = accounts - len(demo_rows["users"])
    assert accounts == check.manifest.tables["users"]
    assert created - demo_created == made, "an account without its audit entry (or the reverse): a torn snapshot"
    assert 0 < made < writers.done  # taken in the middle of the writing
