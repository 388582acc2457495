"""The queries of a backup and a restore, over every table of the store: none is named here, so a table a later
migration adds is counted, checked and copied like the others.

The copy between engines goes through the mapped tables (``MetaData``), so each value is read and written as the
application sees it: times as UTC-aware datetimes, JSON parsed, booleans as booleans. That is what keeps the audit
log's hashes valid on the other engine.
"""

from __future__ import annotations

import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import Connection, Integer, MetaData, Table, and_, bindparam, func, inspect, select, table, text, update

from zonehero.db import migrate
from zonehero.db.session import make_engine

VERSION_TABLE = "alembic_version"
QUEUE_TABLE_PREFIX = "zonehero_queue_"
"""The job queue's tables in a PostgreSQL store (huey makes and owns them; jobs in flight are not backed up)."""
COPY_CHUNK = 500


def application_tables(connection: Connection) -> list[str]:
    """The store's tables: all but Alembic's version table and the job queue's."""
    names = inspect(connection).get_table_names()
    return sorted(n for n in names if n != VERSION_TABLE and not n.startswith(QUEUE_TABLE_PREFIX))


def row_counts(connection: Connection, names: list[str]) -> dict[str, int]:
    """Rows per table, read in the connection's current transaction (so, on a snapshot, the snapshot's)."""
    return {name: int(connection.scalar(select(func.count()).select_from(table(name))) or 0) for name in names}


def revision(connection: Connection) -> str | None:
    return migrate.current_revision(connection)


def known_revision(rev: str) -> bool:
    """Whether this version of zonehero has the migration ``rev`` (an archive from a newer one has not)."""
    try:
        return ScriptDirectory.from_config(migrate.alembic_config()).get_revision(rev) is not None
    except CommandError:
        return False


def head_revision() -> str:
    (head,) = migrate.heads()
    return head


@lru_cache(maxsize=8)
def seeded_counts(rev: str) -> dict[str, int]:
    """The rows a fresh database at ``rev`` holds from the migrations alone (the audit chain's head row …),
    measured by migrating a scratch SQLite file: what an empty store looks like, whatever the migrations seed."""
    with tempfile.TemporaryDirectory(prefix="zonehero-seeded-") as folder:
        url = f"sqlite:///{Path(folder) / 'seeded.db'}"
        migrate.upgrade(url, rev)
        engine = make_engine(url)
        try:
            with engine.connect() as connection:
                return row_counts(connection, application_tables(connection))
        finally:
            engine.dispose()


def occupied(connection: Connection) -> dict[str, int]:
    """The tables holding more rows than a freshly migrated database at the same revision: empty means a restore
    may write here."""
    counts = row_counts(connection, application_tables(connection))
    if not any(counts.values()):
        return {}
    rev = revision(connection)
    seeded = seeded_counts(rev) if rev is not None and known_revision(rev) else {}
    return {name: count for name, count in counts.items() if count > seeded.get(name, 0)}


def _quoted(connection: Connection, t: Table) -> str:
    return connection.dialect.identifier_preparer.format_table(t)


def _triggers(target: Connection, tables: list[Table], state: str) -> None:
    for t in tables:
        target.execute(text(f"ALTER TABLE {_quoted(target, t)} {state} TRIGGER USER"))


def copy_rows(source: Connection, target: Connection, metadata: MetaData) -> None:
    """Copy every mapped table's rows from ``source`` into the freshly migrated PostgreSQL ``target``, inside the
    caller's transaction.

    The tables' own triggers are off while the rows go in and back on before the end, as ``pg_restore`` loads
    rows before it makes the triggers: these rows already passed them once (a final run's results are immutable,
    the audit log is append-only; writing them back is not a change), and the checks would refuse the copy's
    order. Foreign keys stay checked. The rows the migrations seeded (the audit chain's head) are replaced by the
    archive's. Tables go in dependency order, rows in key order, ``COPY_CHUNK`` rows per ``executemany``; a
    foreign key to the same table or to one copied later (a run superseded by a newer run) is written empty
    first and filled in once every row is there. Sequences then continue after the largest id.
    """
    if target.dialect.name != "postgresql":
        raise ValueError("rows are copied into PostgreSQL only")
    tables = list(metadata.sorted_tables)
    position = {t.name: i for i, t in enumerate(tables)}
    _triggers(target, tables, "DISABLE")
    for t in reversed(tables):
        target.execute(t.delete())
    pending: list[tuple[Table, list[str], list[dict[str, Any]]]] = []
    for t in tables:
        deferred = sorted(
            {fk.parent.name for fk in t.foreign_keys if position.get(fk.column.table.name, -1) >= position[t.name]}
        )
        keys = list(t.primary_key.columns)
        fill: list[dict[str, Any]] = []
        result = source.execution_options(yield_per=COPY_CHUNK).execute(select(t).order_by(*keys))
        for part in result.mappings().partitions(COPY_CHUNK):
            rows = [dict(row) for row in part]
            for row in rows:
                if deferred and any(row[c] is not None for c in deferred):
                    fill.append(
                        {**{f"_key_{k.name}": row[k.name] for k in keys}, **{f"_new_{c}": row[c] for c in deferred}}
                    )
                    row.update(dict.fromkeys(deferred))
            target.execute(t.insert(), rows)
        if fill:
            pending.append((t, deferred, fill))
    for t, deferred, fill in pending:
        keys = list(t.primary_key.columns)
        statement = (
            update(t)
            .where(and_(*(k == bindparam(f"_key_{k.name}") for k in keys)))
            .values({c: bindparam(f"_new_{c}") for c in deferred})
        )
        target.execute(statement, fill)
    _triggers(target, tables, "ENABLE")
    _continue_sequences(target, tables)


def _continue_sequences(target: Connection, tables: list[Table]) -> None:
    """Set each integer key's sequence past the largest id copied (the copy wrote the ids, not the sequence)."""
    for t in tables:
        keys = list(t.primary_key.columns)
        if len(keys) != 1 or not isinstance(keys[0].type, Integer):
            continue
        sequence = target.scalar(
            text("SELECT pg_get_serial_sequence(:table_name, :column_name)"),
            {"table_name": _quoted(target, t), "column_name": keys[0].name},
        )
        if sequence is None:
            continue
        largest = target.scalar(select(func.max(keys[0])))
        target.execute(
            text("SELECT setval(CAST(:sequence AS regclass), :value, :called)"),
            {"sequence": sequence, "value": largest or 1, "called": largest is not None},
        )
