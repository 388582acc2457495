"""Engine, session factory and the unit of work.

The edge (a web request, a CLI command, a job) opens one unit of work; it
commits when the block ends normally and rolls back on any exception.
Services only ``flush``. Nothing here runs at import time.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, Executable, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker


def make_engine(url: str, *, echo: bool = False, **kwargs: Any) -> Engine:
    """An engine for ``url``; SQLite gets foreign keys on, WAL journal and a busy timeout.

    For a SQLite file the parent folder is created so a fresh data folder works.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:" and not database.startswith("file:"):
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        kwargs.setdefault("connect_args", {}).setdefault("timeout", 30)
        engine = create_engine(url, echo=echo, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(url, echo=echo, **kwargs)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # SQLite ignores foreign keys unless asked, per connection. WAL lets the
    # web server read while an import writes.
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions bound to ``engine``; objects stay readable after commit (the edge renders them)."""
    return sessionmaker(bind=engine, expire_on_commit=False, autoflush=False)


@contextmanager
def unit_of_work(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One transaction: commit when the block succeeds, roll back when it raises, always close."""
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def keep_first(session: Session, row: object, *before: Executable) -> bool:
    """Add ``row`` in a savepoint (after the ``before`` statements, e.g. dropping stale rows); False when another
    transaction stored a row with the same key first, in which case theirs stays and this unit of work goes on.

    Figures computed from immutable data (a run's aggregates, a year's frame at a data version) are the same
    whichever process computes them, so two requests racing to keep one need no lock: the loser keeps nothing.
    """
    try:
        with session.begin_nested():
            for statement in before:
                session.execute(statement)
            session.add(row)
    except IntegrityError:
        return False
    return True
