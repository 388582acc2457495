"""SQLite snapshots through SQLite's online backup API (``sqlite3.Connection.backup``).

The API copies the database page by page inside one read transaction, so the copy is one consistent state even
while the web app keeps writing (the store runs in WAL mode: writers do not wait for the copy, nor the copy for
them). A restore uses the same API in the other direction, which replaces the target's content whole and leaves
no stale ``-wal`` file behind.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from sqlalchemy.engine import make_url

from zonehero.errors import ZoneheroError

BUSY_TIMEOUT_SECONDS = 30


def database_file(url: str) -> Path:
    """The file of a SQLite URL (ZoneheroError for an in-memory or URI database, which has no file to copy)."""
    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        raise ZoneheroError("只能备份或恢复保存在文件中的 SQLite 数据库（ZONEHERO_DB 须为 sqlite:///路径）")
    return Path(database)


def take(database: Path, snapshot: Path) -> None:
    """Copy the live ``database`` into the new file ``snapshot`` (a rollback-journal database of its own)."""
    if not database.is_file():
        raise ZoneheroError(f"数据库文件 {database} 不存在，没有可备份的数据")
    with (
        closing(sqlite3.connect(database, timeout=BUSY_TIMEOUT_SECONDS)) as source,
        closing(sqlite3.connect(snapshot)) as copy,
    ):
        source.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")


def integrity_problem(snapshot: Path) -> str | None:
    """SQLite's own check of the file (pages, indexes); None when it is sound."""
    try:
        with closing(sqlite3.connect(f"{snapshot.resolve().as_uri()}?mode=ro", uri=True)) as db:
            result = db.execute("PRAGMA integrity_check").fetchone()
    except sqlite3.DatabaseError as exc:
        return f"数据库快照无法打开：{exc}"
    return None if result and result[0] == "ok" else f"数据库快照已损坏：{result[0] if result else '无结果'}"


def load(snapshot: Path, database: Path) -> None:
    """Replace the content of ``database`` (made when missing) by the snapshot's."""
    database.parent.mkdir(parents=True, exist_ok=True)
    with (
        closing(sqlite3.connect(snapshot)) as source,
        closing(sqlite3.connect(database, timeout=BUSY_TIMEOUT_SECONDS)) as target,
    ):
        source.backup(target)
