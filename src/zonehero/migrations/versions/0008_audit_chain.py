"""A tamper-evident audit log: origin of each entry, a hash chain, append-only triggers and a purge anchor.

``audit_log`` gains ``origin`` and ``user_agent`` (where an action came from) and ``prev_hash``/``hash`` (see
``zonehero.features.audit.chain``); the entries already there are chained in id order. ``audit_chain_head`` is the
one row appending locks and the anchor a purge leaves. Triggers on SQLite and PostgreSQL refuse every UPDATE of
``audit_log`` and every DELETE except a purge's: a row at or below the head's anchor and older than 180 days by the
database's clock. The anchor itself moves only forward and only to an entry that an ``audit.purge`` checkpoint
names with its hash. PostgreSQL also refuses TRUNCATE (which skips row triggers).

Revision ID: 0008_audit_chain
Revises: 0007_jobs
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

from zonehero.db.base import UTCDateTime
from zonehero.features.audit.chain import GENESIS, entry_hash

revision: str = "0008_audit_chain"
down_revision: str | None = "0007_jobs"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_MESSAGE = "audit log is append-only"
_ANCHOR_MESSAGE = "audit chain anchor must move forward to an entry named by an audit.purge checkpoint"
_FLOOR_DAYS = 180  # zonehero.features.audit.integrity.MIN_RETENTION_DAYS; a migration keeps its own copy


def _sqlite_triggers() -> list[str]:
    return [
        "CREATE TRIGGER trg_audit_log_no_update BEFORE UPDATE ON audit_log "
        f"BEGIN SELECT RAISE(ABORT, '{_MESSAGE}'); END",
        "CREATE TRIGGER trg_audit_log_no_delete BEFORE DELETE ON audit_log "
        "WHEN NOT (OLD.id <= COALESCE((SELECT anchor_id FROM audit_chain_head WHERE id = 1), 0) "
        f"AND OLD.at < datetime('now', '-{_FLOOR_DAYS} days')) "
        f"BEGIN SELECT RAISE(ABORT, '{_MESSAGE}'); END",
        "CREATE TRIGGER trg_audit_chain_head_no_delete BEFORE DELETE ON audit_chain_head "
        f"BEGIN SELECT RAISE(ABORT, '{_MESSAGE}'); END",
        "CREATE TRIGGER trg_audit_chain_head_anchor BEFORE UPDATE OF anchor_id, anchor_hash ON audit_chain_head "
        "WHEN (NEW.anchor_id IS NOT OLD.anchor_id OR NEW.anchor_hash IS NOT OLD.anchor_hash) AND NOT ("
        "NEW.anchor_id > COALESCE(OLD.anchor_id, 0) "
        "AND NEW.anchor_hash = (SELECT hash FROM audit_log WHERE id = NEW.anchor_id) "
        "AND EXISTS (SELECT 1 FROM audit_log WHERE action = 'audit.purge' AND id > NEW.anchor_id "
        "AND entity_id = CAST(NEW.anchor_id AS TEXT) AND json_extract(after, '$.through_hash') = NEW.anchor_hash)) "
        f"BEGIN SELECT RAISE(ABORT, '{_ANCHOR_MESSAGE}'); END",
    ]


def _postgresql_triggers() -> list[str]:
    return [
        f"""
        CREATE FUNCTION zonehero_audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
            anchor integer;
        BEGIN
            IF TG_OP = 'DELETE' THEN
                SELECT anchor_id INTO anchor FROM audit_chain_head WHERE id = 1;
                IF anchor IS NOT NULL AND OLD.id <= anchor AND OLD.at < now() - interval '{_FLOOR_DAYS} days' THEN
                    RETURN OLD;
                END IF;
            END IF;
            IF TG_OP = 'TRUNCATE' THEN
                RAISE EXCEPTION '{_MESSAGE}';
            END IF;
            RAISE EXCEPTION '{_MESSAGE} (entry %)', OLD.id;
        END $$
        """,
        "CREATE TRIGGER trg_audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
        "FOR EACH ROW EXECUTE FUNCTION zonehero_audit_log_append_only()",
        "CREATE TRIGGER trg_audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
        "FOR EACH STATEMENT EXECUTE FUNCTION zonehero_audit_log_append_only()",
        f"""
        CREATE FUNCTION zonehero_audit_chain_head_guard() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP <> 'UPDATE' THEN
                RAISE EXCEPTION '{_MESSAGE}';
            END IF;
            IF NEW.anchor_id IS DISTINCT FROM OLD.anchor_id OR NEW.anchor_hash IS DISTINCT FROM OLD.anchor_hash THEN
                IF NEW.anchor_id IS NULL
                   OR NEW.anchor_id <= COALESCE(OLD.anchor_id, 0)
                   OR NEW.anchor_hash IS DISTINCT FROM (SELECT hash FROM audit_log WHERE id = NEW.anchor_id)
                   OR NOT EXISTS (
                       SELECT 1 FROM audit_log
                       WHERE action = 'audit.purge' AND id > NEW.anchor_id
                         AND entity_id = NEW.anchor_id::text AND after ->> 'through_hash' = NEW.anchor_hash
                   ) THEN
                    RAISE EXCEPTION '{_ANCHOR_MESSAGE}';
                END IF;
            END IF;
            RETURN NEW;
        END $$
        """,
        "CREATE TRIGGER trg_audit_chain_head_guard BEFORE UPDATE OR DELETE ON audit_chain_head "
        "FOR EACH ROW EXECUTE FUNCTION zonehero_audit_chain_head_guard()",
        "CREATE TRIGGER trg_audit_chain_head_no_truncate BEFORE TRUNCATE ON audit_chain_head "
        "FOR EACH STATEMENT EXECUTE FUNCTION zonehero_audit_chain_head_guard()",
    ]


def _drop_triggers() -> list[str]:
    if op.get_bind().dialect.name == "postgresql":
        return [
            "DROP TRIGGER IF EXISTS trg_audit_chain_head_no_truncate ON audit_chain_head",
            "DROP TRIGGER IF EXISTS trg_audit_chain_head_guard ON audit_chain_head",
            "DROP FUNCTION IF EXISTS zonehero_audit_chain_head_guard()",
            "DROP TRIGGER IF EXISTS trg_audit_log_no_truncate ON audit_log",
            "DROP TRIGGER IF EXISTS trg_audit_log_append_only ON audit_log",
            "DROP FUNCTION IF EXISTS zonehero_audit_log_append_only()",
        ]
    return [
        "DROP TRIGGER IF EXISTS trg_audit_chain_head_anchor",
        "DROP TRIGGER IF EXISTS trg_audit_chain_head_no_delete",
        "DROP TRIGGER IF EXISTS trg_audit_log_no_delete",
        "DROP TRIGGER IF EXISTS trg_audit_log_no_update",
    ]


# The columns as the application reads them (UTC-aware times, parsed JSON), so the hashes made here are the
# hashes ``zonehero audit verify`` recomputes.
_log = sa.Table(
    "audit_log",
    sa.MetaData(),
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("at", UTCDateTime),
    sa.Column("actor_id", sa.Integer),
    sa.Column("actor_name", sa.String(64)),
    sa.Column("action", sa.String(64)),
    sa.Column("entity", sa.String(64)),
    sa.Column("entity_id", sa.String(64)),
    sa.Column("before", sa.JSON(none_as_null=True)),
    sa.Column("after", sa.JSON(none_as_null=True)),
    sa.Column("origin", sa.String(64)),
    sa.Column("user_agent", sa.String(200)),
    sa.Column("prev_hash", sa.String(64)),
    sa.Column("hash", sa.String(64)),
)


def _chain_existing_rows() -> tuple[int | None, str]:
    """Hash the entries already kept, oldest first; the last id and hash (None and GENESIS for an empty log)."""
    bind = op.get_bind()
    last_id: int | None = None
    prev = GENESIS
    rows: list[dict[str, Any]] = [dict(r) for r in bind.execute(sa.select(_log).order_by(_log.c.id)).mappings()]
    for row in rows:
        row["prev_hash"] = prev
        digest = entry_hash(row)
        bind.execute(sa.update(_log).where(_log.c.id == row["id"]).values(prev_hash=prev, hash=digest))
        last_id, prev = row["id"], digest
    return last_id, prev


def upgrade() -> None:
    with op.batch_alter_table("audit_log", recreate="never") as batch:
        batch.add_column(sa.Column("origin", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("user_agent", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("prev_hash", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("hash", sa.String(length=64), nullable=True))
    last_id, last_hash = _chain_existing_rows()
    with op.batch_alter_table("audit_log") as batch:
        batch.alter_column("prev_hash", existing_type=sa.String(length=64), nullable=False)
        batch.alter_column("hash", existing_type=sa.String(length=64), nullable=False)
        batch.create_unique_constraint(batch.f("uq_audit_log_hash"), ["hash"])
    op.create_index(op.f("ix_audit_log_actor_name"), "audit_log", ["actor_name"], unique=False)
    head = op.create_table(
        "audit_chain_head",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("last_id", sa.Integer(), nullable=True),
        sa.Column("last_hash", sa.String(length=64), nullable=False),
        sa.Column("anchor_id", sa.Integer(), nullable=True),
        sa.Column("anchor_hash", sa.String(length=64), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_audit_chain_head_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_chain_head")),
    )
    assert head is not None
    op.bulk_insert(
        head, [{"id": 1, "last_id": last_id, "last_hash": last_hash, "anchor_id": None, "anchor_hash": GENESIS}]
    )
    dialect = op.get_bind().dialect.name
    for statement in _postgresql_triggers() if dialect == "postgresql" else _sqlite_triggers():
        op.execute(statement)


def downgrade() -> None:
    for statement in _drop_triggers():
        op.execute(statement)
    op.drop_table("audit_chain_head")
    op.drop_index(op.f("ix_audit_log_actor_name"), table_name="audit_log")
    with op.batch_alter_table("audit_log") as batch:
        batch.drop_constraint(batch.f("uq_audit_log_hash"), type_="unique")
        batch.drop_column("hash")
        batch.drop_column("prev_hash")
        batch.drop_column("user_agent")
        batch.drop_column("origin")
