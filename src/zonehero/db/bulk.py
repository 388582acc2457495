"""Bulk writes and reads through the driver's fastest path (批量读写): COPY on PostgreSQL, executemany on SQLite.

An import confirm writes millions of figure rows and a run 100,000 result rows. On PostgreSQL a multi-row
INSERT still parses and plans every batch; ``COPY … FROM STDIN`` streams the rows in the server's own format
and is several times faster. It runs on the session's own connection, so it belongs to the unit of work's
transaction: a failure or a killed process leaves nothing written. SQLite has no COPY; SQLAlchemy's
insertmanyvalues (one multi-row INSERT per batch) is its fast path.

Every value goes through the column type's bind processing for the dialect (the same conversion an INSERT
would apply: UTC timestamps, JSON documents), and Python-side column defaults are filled in, so the stored
rows are the same on both databases whichever path wrote them.

Reading a province's year (over a million figure rows) into a frame is the same problem the other way round: rows
through the ORM and Python tuples cost tens of seconds. :func:`read_frame` has PostgreSQL write the query's rows as
CSV (``COPY (…) TO STDOUT``), which Polars parses in native code.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from itertools import islice
from typing import Any

import polars as pl
from sqlalchemy import Column, Connection, Select, Table, Text, bindparam, insert
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

CHUNK = 20_000
"""Rows per executemany on SQLite (bounds the memory of the statement's parameters)."""

_Processor = Callable[[Any], Any]


def bulk_insert(session: Session, table: Table, rows: Iterable[Mapping[str, Any]]) -> int:
    """Insert ``rows`` (column key → value, every row with the first row's keys) into ``table``; the row count.

    Pending ORM objects are flushed first, so the rows may refer to them. Only inserts: nothing here runs ORM
    events, as with a Core ``insert``.
    """
    session.flush()
    connection = session.connection()
    iterator = iter(rows)
    first = next(iterator, None)
    if first is None:
        return 0
    keys = list(first)
    if connection.dialect.name == "postgresql":
        return _copy(connection, table, keys, _chain(first, iterator))
    count = 0
    chunks = _chain(first, iterator)
    while chunk := list(islice(chunks, CHUNK)):
        connection.execute(insert(table), chunk)
        count += len(chunk)
    return count


FRAME_CHUNK = 20_000
"""Rows per block of CSV handed to COPY, or per executemany on SQLite, by :func:`insert_frame`."""


def insert_frame(session: Session, table: Table, frame: pl.DataFrame, *, json_text: Sequence[str] = ()) -> int:
    """Insert the rows of ``frame`` (one column per table column, by key) into ``table``; the row count.

    For a result set made in Polars (a run's 100,000 results): the rows never become Python objects. On PostgreSQL
    Polars writes them as CSV and COPY reads it (``""`` is the empty string, an empty field NULL; floats in their
    shortest exact form). The columns named in ``json_text`` hold JSON documents already serialised (Polars'
    ``struct.json_encode``), stored as they are. Values go in as Polars writes them, without the column types' bind
    processing (a datetime must be in UTC) and without the table's Python-side defaults: give every column that
    needs a value.
    """
    session.flush()
    if frame.height == 0:
        return 0
    connection = session.connection()
    dialect = connection.dialect
    if dialect.name != "postgresql":
        values = {key: bindparam(key, type_=Text() if key in json_text else table.c[key].type) for key in frame.columns}
        many = insert(table).values(values)
        for start in range(0, frame.height, FRAME_CHUNK):
            connection.execute(many, frame.slice(start, FRAME_CHUNK).to_dicts())
        return frame.height
    quote = dialect.identifier_preparer.quote
    names = ", ".join(quote(table.c[key].name) for key in frame.columns)
    copy_csv = f"COPY {dialect.identifier_preparer.format_table(table)} ({names}) FROM STDIN (FORMAT csv)"
    raw: Any = connection.connection.dbapi_connection
    try:
        with raw.cursor() as cursor, cursor.copy(copy_csv) as copy:
            for start in range(0, frame.height, FRAME_CHUNK):
                copy.write(frame.slice(start, FRAME_CHUNK).write_csv(include_header=False).encode())
    except dialect.loaded_dbapi.Error as exc:
        raise DBAPIError.instance(copy_csv, None, exc, dialect.loaded_dbapi.Error, dialect=dialect) from exc
    return frame.height


def _chain(first: Mapping[str, Any], rest: Iterator[Mapping[str, Any]]) -> Iterator[Mapping[str, Any]]:
    yield first
    yield from rest


def _copy(connection: Connection, table: Table, keys: list[str], rows: Iterator[Mapping[str, Any]]) -> int:
    """Stream ``rows`` with COPY (text format) on the connection's psycopg connection, inside its transaction."""
    dialect = connection.dialect
    given = [table.c[key] for key in keys]
    defaulted = [c for c in table.c if c.key not in keys and c.default is not None and not c.primary_key]
    processors = [_processor(c, connection) for c in (*given, *defaulted)]
    nulls = [None if p is None else p(None) for p in processors]
    defaults = [_default(c) for c in defaulted]
    quote = dialect.identifier_preparer.quote
    names = ", ".join(quote(c.name) for c in (*given, *defaulted))
    target = dialect.identifier_preparer.format_table(table)
    statement = f"COPY {target} ({names}) FROM STDIN"
    raw: Any = connection.connection.dbapi_connection
    count = 0
    try:
        with raw.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                values = [row[key] for key in keys] + [make() for make in defaults]
                copy.write_row(
                    [
                        n if v is None else v if p is None else p(v)
                        for p, n, v in zip(processors, nulls, values, strict=True)
                    ]
                )
                count += 1
    except dialect.loaded_dbapi.Error as exc:
        # The same exception classes as an INSERT would raise (IntegrityError …), whichever path wrote.
        raise DBAPIError.instance(statement, None, exc, dialect.loaded_dbapi.Error, dialect=dialect) from exc
    return count


def _processor(column: Column[Any], connection: Connection) -> _Processor | None:
    """What an INSERT would do to a value of ``column`` before handing it to the driver (None: nothing).

    It is also asked once what None becomes: a JSON column without ``none_as_null`` stores JSON ``null``.
    """
    dialect = connection.dialect
    processor: _Processor | None = column.type.dialect_impl(dialect).bind_processor(dialect)
    return processor


def _default(column: Column[Any]) -> Callable[[], Any]:
    """A Python-side default as a function of nothing (SQLAlchemy wraps zero-argument callables to take a context)."""
    default: Any = column.default
    if default.is_callable:
        return lambda: default.arg(None)
    if default.is_scalar:
        value = default.arg
        return lambda: value
    raise TypeError(f"column {column.name}: a SQL default cannot be bulk-inserted; give the value in the rows")


def read_frame(
    session: Session, statement: Select[*tuple[Any, ...]], schema: Mapping[str, pl.DataType | type[pl.DataType]]
) -> pl.DataFrame:
    """The rows of ``statement`` as a frame with ``schema`` (one entry per selected column, in order).

    On PostgreSQL the rows come as CSV from ``COPY (query) TO STDOUT`` on the session's connection (its transaction,
    its snapshot): NULL and the empty string stay apart (CSV quotes an empty string), and float8 is written in its
    shortest exact form, so every value reads back as it is stored. Elsewhere the rows are fetched as tuples.
    """
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        return pl.DataFrame(connection.execute(statement).all(), schema=dict(schema), orient="row")
    compiled = statement.compile(dialect=connection.dialect)
    raw: Any = connection.connection.dbapi_connection
    buffer = io.BytesIO()
    with (
        raw.cursor() as cursor,
        cursor.copy(f"COPY ({compiled.string}) TO STDOUT (FORMAT csv)", compiled.params) as copy,
    ):
        for chunk in copy:
            buffer.write(chunk)
    if not buffer.tell():
        return pl.DataFrame(schema=dict(schema))
    buffer.seek(0)
    return pl.read_csv(buffer, has_header=False, new_columns=list(schema), schema=dict(schema))
