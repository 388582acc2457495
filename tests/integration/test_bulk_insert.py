"""Bulk inserts (issue 11 part 5): COPY on PostgreSQL and executemany on SQLite store the same rows, and a failure
in the middle (a bad row, an error while the rows are produced, a killed process) leaves nothing written."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    Double,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    event,
    func,
    select,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from zonehero.config import Settings
from zonehero.db.base import UTCDateTime
from zonehero.db.bulk import bulk_insert, insert_frame, read_frame
from zonehero.db.session import session_factory, unit_of_work
from zonehero.demo import write_demo_years
from zonehero.features.enterprises.models import Figure
from zonehero.features.imports import service as imports
from zonehero.features.imports.storage import UploadedFile
from zonehero.features.roles import SYSTEM, Actor, Role
from zonehero.features.runs import service as runs
from zonehero.features.runs.models import RunResult
from zonehero.features.schemes import service as schemes
from zonehero.features.users import service as users

MOMENT = datetime(2026, 3, 1, 8, 30, 15, 123456, tzinfo=UTC)
FLOATS = [0.1, 1 / 3, -0.0, 1e-300, 2.0**53 + 2, -123456.789e10, math.inf, -math.inf, 5e-324]
TEXTS = ["", "plain", "制表\t换行\n回车\r反斜杠\\N 引号'\"", "\\", "null", "NULL", "\\N", "汉字 ✓ 𠀀"]


def _scratch(name: str) -> tuple[MetaData, Table]:
    """A table with every kind of value the services bulk-write, and names that need quoting."""
    metadata = MetaData()
    table = Table(
        name,
        metadata,
        Column("id", Integer, primary_key=True),
        Column("group", String(16)),
        Column("class", String(1)),
        Column("day", Date),
        Column("flag", Boolean),
        Column("x", Double),
        Column("n", Integer),
        Column("note", Text),
        Column("doc", JSON),
        Column("doc_or_null", JSON(none_as_null=True)),
        Column("at", UTCDateTime),
        Column("status", String(8), default="new", nullable=False),
        Column("made_at", UTCDateTime, default=lambda: MOMENT, nullable=False),
        UniqueConstraint("n"),
    )
    return metadata, table


def _rows() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for i in range(40):
        rows.append(
            {
                "group": None if i % 5 == 0 else f"第{i % 3}组",
                "class": "ABCD"[i % 4],
                "day": None if i % 7 == 0 else date(2020 + i % 6, 1 + i % 12, 1 + i % 28),
                "flag": None if i % 3 == 0 else bool(i % 2),
                "x": None if i % 11 == 0 else FLOATS[i % len(FLOATS)],
                "n": i,
                "note": None if i % 9 == 0 else TEXTS[i % len(TEXTS)],
                "doc": None
                if i % 10 == 0
                else {"i": i, "x": FLOATS[i % 6], "t": TEXTS[i % len(TEXTS)], "l": [1, None, True], "none": None},
                "doc_or_null": None if i % 2 else [i, "二"],
                "at": None if i % 4 == 0 else MOMENT.replace(microsecond=i),
            }
        )
    return rows


def _stored(engine: Engine, rows: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    """Bulk-insert ``rows`` into a scratch table in one transaction, read them back, roll everything back."""
    metadata, table = _scratch(f"bulk_{uuid.uuid4().hex[:8]}")
    with engine.connect() as connection:
        outer = connection.begin()
        metadata.create_all(connection)
        session = Session(bind=connection, join_transaction_mode="create_savepoint", autoflush=False)
        assert bulk_insert(session, table, iter(rows)) == len(rows)
        stored = [tuple(r) for r in session.execute(select(table).order_by(table.c.n)).all()]
        session.close()
        outer.rollback()
    return [row[1:] for row in stored]  # the ids come from each database's own counter


@pytest.mark.postgres
def test_copy_and_executemany_store_the_same_rows(sqlite_engine: Engine, postgres_engine: Engine) -> None:
    rows = _rows()
    on_sqlite = _stored(sqlite_engine, rows)
    on_postgres = _stored(postgres_engine, rows)
    assert on_postgres == on_sqlite
    # …and both are what was given: floats bit for bit, NULL as NULL, JSON null for None in a plain JSON column.
    for given, got in zip(rows, on_postgres, strict=True):
        expected = [given[c] for c in ("group", "class", "day", "flag", "x", "n", "note")]
        assert list(got[:7]) == expected
        for a, b in zip(got[:7], expected, strict=True):
            if isinstance(b, float):
                assert math.copysign(1, a) == math.copysign(1, b) and a.hex() == b.hex()
        assert got[7] == given["doc"] and got[8] == given["doc_or_null"]
        assert got[9] == given["at"]
        assert got[10:] == ("new", MOMENT)
    assert any(r["doc"] is None for r in rows) and any(r["doc_or_null"] is None for r in rows)


def test_no_rows_write_nothing(engine: Engine) -> None:
    metadata, table = _scratch(f"bulk_{uuid.uuid4().hex[:8]}")
    with engine.connect() as connection:
        outer = connection.begin()
        metadata.create_all(connection)
        session = Session(bind=connection, join_transaction_mode="create_savepoint", autoflush=False)
        assert bulk_insert(session, table, []) == 0
        assert session.scalar(select(func.count()).select_from(table)) == 0
        outer.rollback()


@pytest.fixture
def committed_table(engine: Engine) -> Iterator[Table]:
    """A scratch table created and dropped outside the test's transaction (the test commits or fails for real)."""
    metadata, table = _scratch(f"bulk_{uuid.uuid4().hex[:8]}")
    metadata.create_all(engine)
    try:
        yield table
    finally:
        metadata.drop_all(engine)


def _count(engine: Engine, table: Table) -> int:
    with engine.connect() as connection:
        return int(connection.scalar(select(func.count()).select_from(table)) or 0)


def test_a_bad_row_in_the_middle_leaves_nothing(engine: Engine, committed_table: Table) -> None:
    rows = [{"n": i % 25_000, "note": f"第{i}行"} for i in range(30_000)]  # row 25,000 repeats row 0's key
    with pytest.raises(IntegrityError), unit_of_work(session_factory(engine)) as session:
        bulk_insert(session, committed_table, rows)
    assert _count(engine, committed_table) == 0
    with unit_of_work(session_factory(engine)) as session:
        bulk_insert(session, committed_table, rows[:100])
    assert _count(engine, committed_table) == 100


def test_an_error_while_producing_rows_leaves_nothing(engine: Engine, committed_table: Table) -> None:
    def rows() -> Iterator[dict[str, Any]]:
        for i in range(50_000):
            if i == 45_000:
                raise RuntimeError("the import broke off")
            yield {"n": i}

    with pytest.raises(RuntimeError), unit_of_work(session_factory(engine)) as session:
        bulk_insert(session, committed_table, rows())
    assert _count(engine, committed_table) == 0


KILLED_WRITER = """
import os, signal, sys
from datetime import UTC, datetime
from sqlalchemy import MetaData, Table
from zonehero.db.bulk import bulk_insert, insert_frame, read_frame
from zonehero.db.session import make_engine, session_factory, unit_of_work

url, name = sys.argv[1], sys.argv[2]
engine = make_engine(url)
table = Table(name, MetaData(), autoload_with=engine)
now = datetime.now(UTC)

def rows():
    for i in range(100_000):
        if i == 60_000:
            os.kill(os.getpid(), signal.SIGKILL)
        yield {"n": i, "status": "new", "made_at": now}

with unit_of_work(session_factory(engine)) as session:
    bulk_insert(session, table, rows())
"""


def test_a_killed_writer_leaves_nothing(engine: Engine, committed_table: Table, tmp_path: Path) -> None:
    url = engine.url.render_as_string(hide_password=False)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    done = subprocess.run([sys.executable, "-c", KILLED_WRITER, url, committed_table.name], env=env, timeout=120)
    assert done.returncode == -9
    assert _count(engine, committed_table) == 0


def _world(session: Session, settings: Settings, files: list[Path]) -> tuple[list[tuple[Any, ...]], ...]:
    """Import and confirm a year of the demo zone, make a run; the figure and result rows, without ids."""
    user = users.create_user(session, SYSTEM, "bulk_analyst", "Correct-Horse-Battery-9", Role.ANALYST)
    analyst = Actor(id=user.id, username=user.username, role=Role.ANALYST)
    uploaded = [UploadedFile(p.name, p.read_bytes()) for p in files]
    preview = imports.preview_import(session, analyst, uploaded, settings=settings, year=2025)
    assert not preview.problems
    imports.confirm_import(session, analyst, preview.batch_id, year=2025, settings=settings)
    schemes.ensure_default_scheme(session)
    version = schemes.list_schemes(session, SYSTEM)[0].versions[-1].id
    run = runs.create_draft_run(session, analyst, year=2025, scheme_version_id=version)
    f = Figure
    figures = session.execute(
        select(f.uscc, f.year, f.field, f.value_num, f.value_text, f.department, f.file, f.sheet, f.row, f.column)
        .where(f.year == 2025)
        .order_by(f.uscc, f.field)
    ).all()
    r = RunResult
    results = session.execute(
        select(r.uscc, r.name, r.industry_code, r.group, r.status, r.total_score, r.rank, r.class_)
        .add_columns(r.carbon_grade, r.record)
        .where(r.run_id == run.id)
        .order_by(r.uscc)
    ).all()
    return [tuple(x) for x in figures], [tuple(x) for x in results]


@pytest.mark.postgres
def test_import_confirm_and_run_store_the_same_rows_on_both_databases(
    sqlite_engine: Engine, postgres_engine: Engine, tmp_path: Path
) -> None:
    files = write_demo_years(tmp_path / "files", 300, seed=3, years=(2025,))[2025]
    worlds = []
    for name, engine in (("sqlite", sqlite_engine), ("postgresql", postgres_engine)):
        with engine.connect() as connection:
            outer = connection.begin()
            session = Session(bind=connection, join_transaction_mode="create_savepoint", autoflush=False)
            worlds.append(_world(session, Settings(data_dir=tmp_path / name, environment="test"), files))
            session.close()
            outer.rollback()
    (sqlite_figures, sqlite_results), (pg_figures, pg_results) = worlds
    assert len(pg_figures) > 300 * 10 and len(pg_results) == 300
    assert pg_figures == sqlite_figures
    assert pg_results == sqlite_results


@pytest.mark.postgres
def test_postgresql_rows_go_through_copy_not_insert(postgres_engine: Engine) -> None:
    metadata, table = _scratch(f"bulk_{uuid.uuid4().hex[:8]}")
    statements: list[str] = []
    with postgres_engine.connect() as connection:
        outer = connection.begin()
        metadata.create_all(connection)
        event.listen(connection, "before_cursor_execute", lambda *args: statements.append(args[2]))
        session = Session(bind=connection, join_transaction_mode="create_savepoint", autoflush=False)
        bulk_insert(session, table, _rows())
        count = session.scalar(select(func.count()).select_from(table))
        outer.rollback()
    assert count == 40
    assert not [s for s in statements if "INSERT" in s.upper()]


def _read_back(engine: Engine, rows: list[dict[str, Any]]) -> tuple[pl.DataFrame, list[tuple[Any, ...]]]:
    """The scratch rows read with read_frame and with a plain query."""
    metadata, table = _scratch(f"bulk_{uuid.uuid4().hex[:8]}")
    with engine.connect() as connection:
        outer = connection.begin()
        metadata.create_all(connection)
        session = Session(bind=connection, join_transaction_mode="create_savepoint", autoflush=False)
        bulk_insert(session, table, rows)
        stmt = select(table.c.n, table.c.group, table.c.note, table.c.x).where(table.c.n >= 3).order_by(table.c.n)
        schema = {"n": pl.Int64, "group": pl.String, "note": pl.String, "x": pl.Float64}
        frame = read_frame(session, stmt, schema)
        plain = [tuple(r) for r in session.execute(stmt).all()]
        empty = read_frame(session, stmt.where(table.c.n < 0), schema)
        outer.rollback()
    assert empty.height == 0 and empty.schema == pl.Schema(schema)
    return frame, plain


@pytest.mark.postgres
def test_read_frame_gives_every_value_back_on_both_databases(sqlite_engine: Engine, postgres_engine: Engine) -> None:
    rows = _rows()
    on_sqlite, plain_sqlite = _read_back(sqlite_engine, rows)
    on_postgres, plain_postgres = _read_back(postgres_engine, rows)
    assert on_postgres.rows() == plain_postgres == plain_sqlite == on_sqlite.rows()
    notes = on_postgres["note"].to_list()
    assert "" in notes and None in notes and TEXTS[2] in notes  # the empty string is not NULL; newlines survive
    # Bit for bit as the driver reads it (SQLite itself drops the sign of -0.0, so compare within PostgreSQL).
    assert [x.hex() for x in on_postgres["x"].drop_nulls()] == [r[3].hex() for r in plain_postgres if r[3] is not None]


def _frame_stored(engine: Engine, frame: pl.DataFrame) -> list[tuple[Any, ...]]:
    """``insert_frame`` into a scratch table in one transaction, read back, roll everything back."""
    metadata, table = _scratch(f"bulk_{uuid.uuid4().hex[:8]}")
    with engine.connect() as connection:
        outer = connection.begin()
        metadata.create_all(connection)
        session = Session(bind=connection, join_transaction_mode="create_savepoint", autoflush=False)
        assert insert_frame(session, table, frame, json_text=("doc",)) == frame.height
        stored = [tuple(r) for r in session.execute(select(table).order_by(table.c.n)).all()]
        session.close()
        outer.rollback()
    return [row[1:] for row in stored]


@pytest.mark.postgres
def test_a_frame_is_stored_the_same_on_both_databases_and_as_given(
    sqlite_engine: Engine, postgres_engine: Engine
) -> None:
    n = 45
    frame = pl.DataFrame(
        {
            "group": [None if i % 5 == 0 else "" if i % 7 == 0 else f"第{i % 3}组" for i in range(n)],
            "class": ["ABCD"[i % 4] for i in range(n)],
            "x": [None if i % 11 == 0 else FLOATS[i % len(FLOATS)] for i in range(n)],
            "n": list(range(n)),
            "note": [None if i % 9 == 0 else TEXTS[(i + 3) % len(TEXTS)] for i in range(n)],
            "inner": [{"t": TEXTS[i % len(TEXTS)], "v": None if i % 4 else FLOATS[i % 6]} for i in range(n)],
            "status": ["new"] * n,
            "made_at": [MOMENT] * n,
        },
        schema_overrides={"x": pl.Float64},
    ).with_columns(pl.struct("n", "inner").struct.json_encode().alias("doc"))
    frame = frame.drop("inner")
    on_sqlite = _frame_stored(sqlite_engine, frame)
    on_postgres = _frame_stored(postgres_engine, frame)
    assert on_postgres == on_sqlite
    columns = [c.name for c in _scratch("x")[1].c][1:]
    for given, got in zip(frame.iter_rows(named=True), on_postgres, strict=True):
        row = dict(zip(columns, got, strict=True))
        for key in ("group", "class", "n", "note", "status", "made_at"):
            assert row[key] == given[key], key
        if given["x"] is None:
            assert row["x"] is None
        else:
            assert row["x"].hex() == given["x"].hex() and math.copysign(1, row["x"]) == math.copysign(1, given["x"])
        assert row["doc"] == json.loads(given["doc"])  # stored as serialised, read back as the document
    assert "" in frame["group"].to_list() and None in frame["group"].to_list()


def test_a_bad_frame_row_leaves_nothing(engine: Engine, committed_table: Table) -> None:
    frame = pl.DataFrame({"n": [1000, 1001, 1000], "status": ["new"] * 3, "made_at": [MOMENT] * 3})
    with pytest.raises(IntegrityError), unit_of_work(session_factory(engine)) as session:
        insert_frame(session, committed_table, frame)
    with engine.connect() as connection:
        written = select(func.count()).select_from(committed_table).where(committed_table.c.n >= 1000)
        assert connection.scalar(written) == 0
