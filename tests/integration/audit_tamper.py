"""What an intruder with database access would do to the audit log, for the tests that must catch it.

Each helper runs raw SQL on a session or connection; :func:`drop_triggers` first removes the append-only triggers
of migration 0008 (on SQLite and PostgreSQL), as someone covering their tracks would.
"""

from __future__ import annotations

from sqlalchemy import Connection, text
from sqlalchemy.orm import Session

Target = Session | Connection

COLUMNS = (
    "at",
    "actor_id",
    "actor_name",
    "action",
    "entity",
    "entity_id",
    "before",
    "after",
    "origin",
    "user_agent",
    "prev_hash",
    "hash",
)


def dialect(db: Target) -> str:
    return db.get_bind().dialect.name if isinstance(db, Session) else db.dialect.name


def drop_triggers(db: Target) -> None:
    """Remove the audit log's triggers (inside the caller's transaction: a test rolls them back)."""
    if dialect(db) == "postgresql":
        db.execute(text("DROP TRIGGER trg_audit_log_append_only ON audit_log"))
        db.execute(text("DROP TRIGGER trg_audit_log_no_truncate ON audit_log"))
    else:
        db.execute(text("DROP TRIGGER trg_audit_log_no_update"))
        db.execute(text("DROP TRIGGER trg_audit_log_no_delete"))


def edit(db: Target, entry_id: int, actor_name: str = "mallory") -> None:
    db.execute(text("UPDATE audit_log SET actor_name = :name WHERE id = :id"), {"name": actor_name, "id": entry_id})


def delete(db: Target, entry_id: int) -> None:
    db.execute(text("DELETE FROM audit_log WHERE id = :id"), {"id": entry_id})


def swap(db: Target, first: int, second: int) -> None:
    """Exchange every column but the id of two entries (the rows trade places in the chain's order)."""
    names = ", ".join(COLUMNS)
    db.execute(
        text(f"CREATE TEMP TABLE audit_swap AS SELECT id, {names} FROM audit_log WHERE id IN (:a, :b)"),
        {"a": first, "b": second},
    )
    # The unique hash would collide half-way through the exchange: park the first row's hash.
    db.execute(text("UPDATE audit_log SET hash = 'parked' WHERE id = :id"), {"id": first})
    for target, source in ((second, first), (first, second)):
        db.execute(
            text(f"UPDATE audit_log SET ({names}) = (SELECT {names} FROM audit_swap WHERE id = :source) WHERE id = :t"),
            {"source": source, "t": target},
        )
    db.execute(text("DROP TABLE audit_swap"))
