"""Backing up and restoring the store (备份与恢复): what is allowed, which way a restore goes, when it is refused.

A backup is taken while the server runs: the database snapshot is one consistent state (SQLite's backup API, or
``pg_dump`` reading the snapshot of the transaction that counted the rows), the data folder's files are copied
after it (files are written before the rows naming them commit, so every row finds its file), and the manifest
records row counts and checksums. The backup itself is audited in the store it read: it is a bulk read of
everything.

A restore writes only into an empty store (no rows beyond what the migrations seed) and an unpacked archive that
matches its manifest; otherwise it is refused before anything is written. It goes

- SQLite → SQLite: the snapshot replaces the database file's content (backup API);
- PostgreSQL → PostgreSQL: ``pg_restore`` in one transaction;
- SQLite → PostgreSQL (a zone moving off the embedded database): the schema is made by the migrations at the
  archive's revision and the rows are copied table by table, in one transaction;
- PostgreSQL → SQLite: refused (a dump needs a PostgreSQL server to be read).

Afterwards every table's row count must equal the manifest's and every file its checksum; then the restore is
audited in the restored store, at the end of the audit chain it brought back.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, MetaData, create_engine, text

from zonehero import __version__
from zonehero.config import Settings
from zonehero.db import migrate
from zonehero.db.session import make_engine, session_factory, unit_of_work
from zonehero.errors import Conflict, NotFound, PermissionDenied, ZoneheroError
from zonehero.features.audit import service as audit
from zonehero.features.backup import archive, datafiles, postgres_dump, repository, sqlite_snapshot
from zonehero.features.backup.schemas import (
    FILES_PREFIX,
    POSTGRES_MEMBER,
    SQLITE_MEMBER,
    ArchiveCheck,
    BackupReport,
    EngineName,
    Manifest,
    RestoreReport,
)
from zonehero.features.roles import Actor, Role

OPERATOR_ROLES: frozenset[Role] = frozenset({Role.OPERATOR})
"""Who may back up and restore: the server's operator at the command line (``SYSTEM``); no web account."""
AUDIT_ENTITY = "database"
_SHOWN_PROBLEMS = 5


def require_operator(actor: Actor) -> None:
    if actor.role not in OPERATOR_ROLES:
        raise PermissionDenied("备份与恢复只能由服务器操作员在命令行执行")


def _engine_name(engine: Engine) -> EngineName:
    name = engine.dialect.name
    if name == "sqlite":
        return "sqlite"
    if name == "postgresql":
        return "postgresql"
    raise ZoneheroError(f"不支持备份或恢复 {name} 数据库（只支持 SQLite 和 PostgreSQL）")


@contextmanager
def _engine(settings: Settings) -> Iterator[Engine]:
    engine = make_engine(settings.database_url)
    try:
        yield engine
    finally:
        engine.dispose()


def _record(engine: Engine, actor: Actor, action: str, **after: object) -> int:
    with unit_of_work(session_factory(engine)) as session:
        return audit.record(session, actor, action, AUDIT_ENTITY, None, after=after)


# Backup ---------------------------------------------------------------------------------------------------------


def _snapshot_sqlite(settings: Settings, work: Path) -> tuple[Path, str | None, dict[str, int]]:
    snapshot = work / Path(SQLITE_MEMBER).name
    sqlite_snapshot.take(sqlite_snapshot.database_file(settings.database_url), snapshot)
    rev, counts = _snapshot_contents(snapshot)
    return snapshot, rev, counts


def _snapshot_contents(snapshot: Path) -> tuple[str | None, dict[str, int]]:
    """The Alembic revision and the row count of every application table of a SQLite snapshot file."""
    reader = create_engine(f"sqlite:///{snapshot}")  # not make_engine: the snapshot stays a single file
    try:
        with reader.connect() as connection:
            rev = repository.revision(connection)
            counts = repository.row_counts(connection, repository.application_tables(connection))
    finally:
        reader.dispose()
    return rev, counts


def _snapshot_postgres(engine: Engine, settings: Settings, work: Path) -> tuple[Path, str | None, dict[str, int]]:
    snapshot = work / Path(POSTGRES_MEMBER).name
    with engine.connect() as connection, connection.begin():
        # One read-only snapshot: the counts below and pg_dump (joining it by id) see the very same rows.
        connection.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"))
        snapshot_id = str(connection.scalar(text("SELECT pg_export_snapshot()")))
        rev = repository.revision(connection)
        counts = repository.row_counts(connection, repository.application_tables(connection))
        if rev is not None:
            postgres_dump.dump(settings.database_url, snapshot_id, snapshot, folder=settings.pg_bin)
    return snapshot, rev, counts


def create_backup(settings: Settings, actor: Actor, out: Path) -> BackupReport:
    """Write the archive of the store to ``out`` while the server keeps running (replacing a file there only once
    the new one is complete), and audit it."""
    require_operator(actor)
    if out.is_dir():
        raise Conflict(f"{out} 是一个目录，请给出备份文件的路径（如 zonehero-2025-06-30.tar.gz）")
    out.parent.mkdir(parents=True, exist_ok=True)
    with _engine(settings) as engine:
        engine_name = _engine_name(engine)
        with tempfile.TemporaryDirectory(prefix=f"{datafiles.TEMP_PREFIX}backup-", dir=out.parent) as folder:
            work = Path(folder)
            if engine_name == "sqlite":
                snapshot, rev, counts = _snapshot_sqlite(settings, work)
            else:
                snapshot, rev, counts = _snapshot_postgres(engine, settings, work)
            if rev is None:
                raise ZoneheroError("数据库还没有数据结构（是空的），没有可备份的数据")
            member = SQLITE_MEMBER if engine_name == "sqlite" else POSTGRES_MEMBER
            with archive.writing(out) as writer:
                writer.add_file(member, snapshot)
                for name, path in datafiles.data_files(settings, also_skip=[out, writer.path]):
                    writer.add_file(FILES_PREFIX + name, path)
                manifest = Manifest(
                    zonehero_version=__version__,
                    created_at=datetime.now(UTC),
                    engine=engine_name,
                    revision=rev,
                    database=member,
                    tables=counts,
                    members=dict(writer.members),
                )
                writer.add_manifest(manifest)
        digest = archive.sha256_of(out)
        report = BackupReport(
            path=out,
            engine=engine_name,
            revision=rev,
            tables=len(counts),
            rows=manifest.rows,
            files=len(manifest.files),
            size=out.stat().st_size,
            sha256=digest,
        )
        if rev == repository.head_revision():  # an older schema has an older audit table: nothing to append to
            _record(
                engine,
                actor,
                "backup.create",
                file=out.name,
                sha256=digest,
                tables=report.tables,
                rows=report.rows,
                files=report.files,
            )
    return report


# Verify ---------------------------------------------------------------------------------------------------------


def _snapshot_problems(manifest: Manifest, snapshot: Path, settings: Settings) -> list[str]:
    """Beyond checksums: the snapshot opens, and holds the tables (SQLite: and the row counts) the manifest says."""
    if manifest.engine == "postgresql":
        listed = postgres_dump.listed_tables(snapshot, folder=settings.pg_bin) - {repository.VERSION_TABLE}
        missing, extra = set(manifest.tables) - listed, listed - set(manifest.tables)
        return [f"数据库快照中缺少表 {name}" for name in sorted(missing)] + [
            f"数据库快照中有清单未列出的表 {name}" for name in sorted(extra)
        ]
    problem = sqlite_snapshot.integrity_problem(snapshot)
    if problem is not None:
        return [problem]
    rev, counts = _snapshot_contents(snapshot)
    problems = [] if rev == manifest.revision else [f"数据库快照的结构版本 {rev} 与清单的 {manifest.revision} 不符"]
    for name in sorted(set(counts) | set(manifest.tables)):
        if counts.get(name) != manifest.tables.get(name):
            expected, actual = manifest.tables.get(name, "无"), counts.get(name, "无")
            problems.append(f"表 {name}：清单记 {expected} 行，快照中 {actual} 行")
    return problems


def _expected_member(manifest: Manifest) -> str | None:
    expected = SQLITE_MEMBER if manifest.engine == "sqlite" else POSTGRES_MEMBER
    if manifest.database != expected:
        return f"清单所记的数据库快照 {manifest.database} 与数据库类型 {manifest.engine} 不符"
    return None


def verify_backup(settings: Settings, path: Path) -> ArchiveCheck:
    """Check an archive against its manifest: every member's checksum, nothing missing or added, and the database
    snapshot readable with the tables (and, for SQLite, the row counts) the manifest lists."""
    if not path.is_file():
        raise NotFound(f"找不到备份文件 {path}")
    with tempfile.TemporaryDirectory(prefix="zonehero-verify-") as folder:
        work = Path(folder)
        manifest, problems = archive.read(path, work, unpack=lambda name: not name.startswith(FILES_PREFIX))
        if manifest is not None and not problems:
            member_problem = _expected_member(manifest)
            if member_problem is not None:
                problems.append(member_problem)
            else:
                problems.extend(_snapshot_problems(manifest, work / manifest.database, settings))
    return ArchiveCheck(path=path, manifest=manifest, problems=problems)


# Restore --------------------------------------------------------------------------------------------------------


def _listed(problems: list[str]) -> str:
    shown = "；".join(problems[:_SHOWN_PROBLEMS])
    more = f"；另有 {len(problems) - _SHOWN_PROBLEMS} 处" if len(problems) > _SHOWN_PROBLEMS else ""
    return shown + more


def _refuse_unless_possible(manifest: Manifest, target: EngineName) -> None:
    """The ways a restore can go (see the module's docstring); Conflict for the others."""
    member_problem = _expected_member(manifest)
    if member_problem is not None:
        raise Conflict(member_problem)
    if not repository.known_revision(manifest.revision):
        raise Conflict(
            f"备份来自更新版本的 zonehero（数据结构版本 {manifest.revision}，本程序不认识）：请用不低于 "
            f"{manifest.zonehero_version} 的版本恢复"
        )
    if manifest.engine == "postgresql" and target == "sqlite":
        raise Conflict("PostgreSQL 的备份只能恢复到 PostgreSQL（ZONEHERO_DB 须指向一个空的 PostgreSQL 数据库）")
    head = repository.head_revision()
    if manifest.engine == "sqlite" and target == "postgresql" and manifest.revision != head:
        raise Conflict(
            f"SQLite 备份的数据结构版本 {manifest.revision} 不是最新的 {head}，不能直接迁入 PostgreSQL："
            "请先恢复到 SQLite，运行 zonehero db upgrade，再备份并恢复到 PostgreSQL"
        )


def _refuse_unless_empty(engine: Engine, manifest: Manifest, target: EngineName) -> bool:
    """Conflict unless the target store is empty; whether it already has the schema (tables, no rows)."""
    with engine.connect() as connection:
        occupied = repository.occupied(connection)
        tables = repository.application_tables(connection)
        rev = repository.revision(connection)
    if occupied:
        shown = "、".join(f"{name} {count} 行" for name, count in sorted(occupied.items())[:_SHOWN_PROBLEMS])
        raise Conflict(
            f"目标数据库不是空的（{shown}）：恢复只写入空数据库，不会覆盖已有数据。"
            "请新建一个空数据库（PostgreSQL）或指定一个新的数据目录（SQLite）后再恢复；"
            "恢复会自己建立数据结构，不必先运行 zonehero db upgrade"
        )
    if target == "postgresql" and tables:
        wanted = manifest.revision if manifest.engine == "postgresql" else repository.head_revision()
        if rev != wanted:
            raise Conflict(
                f"目标数据库已有数据结构（版本 {rev or '未知'}），与要恢复的版本 {wanted} 不同：请换一个新建的空数据库"
            )
    return bool(tables)


def _copy_into_postgres(snapshot: Path, engine: Engine, manifest: Manifest, metadata: MetaData) -> None:
    reader = create_engine(f"sqlite:///{snapshot}")
    try:
        with reader.connect() as source, engine.connect() as target, target.begin():
            copied = set(repository.application_tables(source))
            mapped = {t.name for t in metadata.sorted_tables}
            if copied != mapped:
                raise Conflict(f"备份中的表与本版本的数据结构不一致：{_listed(sorted(copied ^ mapped))}")
            if repository.revision(target) is None:
                migrate.upgrade(connection=target, revision=manifest.revision)  # same transaction: all or nothing
            repository.copy_rows(source, target, metadata)
    finally:
        reader.dispose()


def _check_restored(engine: Engine, manifest: Manifest, settings: Settings) -> None:
    with engine.connect() as connection:
        counts = repository.row_counts(connection, repository.application_tables(connection))
    problems = [
        f"表 {name}：备份 {count} 行，恢复后 {counts.get(name, '无')} 行"
        for name, count in sorted(manifest.tables.items())
        if counts.get(name) != count
    ]
    problems += [f"文件 {name} 缺失或内容不符" for name in datafiles.mismatched(manifest, settings)]
    if problems:
        raise ZoneheroError(f"恢复后的数据与备份清单不符，请勿使用这个数据库：{_listed(problems)}")


def restore_backup(settings: Settings, actor: Actor, path: Path, metadata: MetaData) -> RestoreReport:
    """Restore the archive at ``path`` into the empty store of ``settings`` (its database and data folder).

    ``metadata`` holds every mapped table (the edge passes the migrations' metadata); it drives the copy from
    SQLite into PostgreSQL. Refused (Conflict, nothing written) for a damaged archive, a non-empty target, a file
    of the archive that would overwrite a different one, and the ways a restore cannot go.
    """
    require_operator(actor)
    if not path.is_file():
        raise NotFound(f"找不到备份文件 {path}")
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    with _engine(settings) as engine:
        target = _engine_name(engine)
        with tempfile.TemporaryDirectory(prefix=f"{datafiles.TEMP_PREFIX}restore-", dir=settings.data_dir) as folder:
            unpacked = Path(folder)
            manifest, problems = archive.read(path, unpacked)
            if manifest is None or problems:
                raise Conflict(f"备份文件校验未通过，没有恢复任何数据：{_listed(problems)}")
            _refuse_unless_possible(manifest, target)
            has_schema = _refuse_unless_empty(engine, manifest, target)
            clashes = datafiles.conflicts(manifest, settings)
            if clashes:
                raise Conflict(f"数据目录中已有不同的文件，恢复不会覆盖它们：{_listed(clashes)}")
            snapshot = unpacked / manifest.database
            if target == "sqlite":
                engine.dispose()  # no pooled connection of ours stays open on the file being replaced
                sqlite_snapshot.load(snapshot, sqlite_snapshot.database_file(settings.database_url))
            elif manifest.engine == "postgresql":
                postgres_dump.load(settings.database_url, snapshot, clean=has_schema, folder=settings.pg_bin)
            else:
                _copy_into_postgres(snapshot, engine, manifest, metadata)
            files = datafiles.put_back(unpacked / FILES_PREFIX.rstrip("/"), manifest, settings)
        _check_restored(engine, manifest, settings)
        current = manifest.revision == repository.head_revision()
        entry = None
        if current:
            entry = _record(
                engine,
                actor,
                "backup.restore",
                file=path.name,
                source=manifest.engine,
                created_at=manifest.created_at.isoformat(),
                tables=len(manifest.tables),
                rows=manifest.rows,
                files=files,
            )
    return RestoreReport(
        source_engine=manifest.engine,
        target_engine=target,
        revision=manifest.revision,
        tables=len(manifest.tables),
        rows=manifest.rows,
        files=files,
        audit_entry_id=entry,
        needs_upgrade=not current,
    )
