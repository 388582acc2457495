"""The ``audit_log`` table (append-only, hash-chained) and ``audit_chain_head``, the one row that locks the chain.

Triggers installed by migration 0008 refuse every UPDATE of ``audit_log`` and every DELETE but a purge's (see
:mod:`zonehero.features.audit.purge`); the ORM never updates an entry either.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from zonehero.clock import utcnow
from zonehero.db.base import Base, JSONValue, UTCDateTime


class AuditEntry(Base):
    """One event: who (id and name kept, so deleting an account keeps the trail readable), when, from where,
    what, before and after, chained to the entry before it by ``prev_hash``."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_entity", "entity", "entity_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(Integer)
    actor_name: Mapped[str] = mapped_column(String(64), index=True)
    action: Mapped[str] = mapped_column(String(64), index=True)
    entity: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[str | None] = mapped_column(String(64))
    before: Mapped[JSONValue] = mapped_column(JSON(none_as_null=True), nullable=True)
    after: Mapped[JSONValue] = mapped_column(JSON(none_as_null=True), nullable=True)
    origin: Mapped[str | None] = mapped_column(String(64))
    """Client address, ``cli:<OS user>`` or ``job #<id>``; None for entries older than migration 0008."""
    user_agent: Mapped[str | None] = mapped_column(String(200))
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class AuditChainHead(Base):
    """The newest entry of the chain and the anchor a purge left; exactly one row (``id`` 1).

    Appending updates this row first, which serialises writers on both databases (PostgreSQL: a row lock held
    to commit; SQLite: the write lock), so two transactions never chain onto the same entry.
    """

    __tablename__ = "audit_chain_head"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_id: Mapped[int | None] = mapped_column(Integer)
    last_hash: Mapped[str] = mapped_column(String(64))
    anchor_id: Mapped[int | None] = mapped_column(Integer)
    """The last purged entry (None: nothing purged yet)."""
    anchor_hash: Mapped[str] = mapped_column(String(64))
    """Its hash: what the first remaining entry's ``prev_hash`` must be."""
