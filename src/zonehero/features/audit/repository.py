"""Queries of the audit log and its chain head."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, delete, func, or_, select, update
from sqlalchemy.orm import Session

from zonehero.errors import ZoneheroError
from zonehero.features.audit.chain import ChainState
from zonehero.features.audit.models import AuditChainHead, AuditEntry

HEAD_ID = 1


@dataclass(frozen=True)
class Filters:
    """What the log is narrowed to; None leaves a criterion out. ``since`` inclusive, ``until`` exclusive."""

    entity: str | None = None
    entity_id: str | None = None
    action: str | None = None
    actor_name: str | None = None
    since: datetime | None = None
    until: datetime | None = None

    def apply(self, stmt: Select[Any]) -> Select[Any]:
        if self.entity is not None:
            stmt = stmt.where(AuditEntry.entity == self.entity)
        if self.entity_id is not None:
            stmt = stmt.where(AuditEntry.entity_id == self.entity_id)
        if self.action is not None:
            stmt = stmt.where(AuditEntry.action == self.action)
        if self.actor_name is not None:
            stmt = stmt.where(AuditEntry.actor_name == self.actor_name)
        if self.since is not None:
            stmt = stmt.where(AuditEntry.at >= self.since)
        if self.until is not None:
            stmt = stmt.where(AuditEntry.at < self.until)
        return stmt


def lock_head(session: Session) -> ChainState:
    """Take the chain's lock and read its head.

    The UPDATE comes first: on PostgreSQL it holds the head row's lock until commit and, under READ COMMITTED,
    what is read next is the newest committed head; on SQLite it makes this a write transaction, so nobody can
    append between the read and our insert.
    """
    locked = session.execute(
        update(AuditChainHead).where(AuditChainHead.id == HEAD_ID).values(last_id=AuditChainHead.last_id)
    )
    if getattr(locked, "rowcount", 1) != 1:
        raise ZoneheroError("审计日志链头缺失，请运行 zonehero db upgrade")
    return read_head(session)


def read_head(session: Session) -> ChainState:
    row = session.execute(
        select(
            AuditChainHead.last_id, AuditChainHead.last_hash, AuditChainHead.anchor_id, AuditChainHead.anchor_hash
        ).where(AuditChainHead.id == HEAD_ID)
    ).one_or_none()
    if row is None:
        raise ZoneheroError("审计日志链头缺失，请运行 zonehero db upgrade")
    return ChainState(last_id=row[0], last_hash=row[1], anchor_id=row[2], anchor_hash=row[3])


def append(session: Session, entry: AuditEntry) -> AuditEntry:
    """Insert ``entry`` (its hashes set) and move the head to it; call under :func:`lock_head`."""
    session.add(entry)
    session.flush()
    session.execute(
        update(AuditChainHead).where(AuditChainHead.id == HEAD_ID).values(last_id=entry.id, last_hash=entry.hash)
    )
    return entry


def page(session: Session, filters: Filters, *, limit: int, offset: int) -> tuple[Sequence[AuditEntry], int]:
    """Newest first, and the total count for paging."""
    rows = session.scalars(filters.apply(select(AuditEntry)).order_by(AuditEntry.id.desc()).limit(limit).offset(offset))
    total: int = session.scalar(filters.apply(select(func.count(AuditEntry.id)))) or 0
    return rows.all(), total


def in_order(session: Session, filters: Filters, *, after_id: int = 0, batch: int = 1000) -> Iterator[dict[str, Any]]:
    """Every entry after ``after_id`` matching ``filters`` as a plain dict of its columns, oldest first, read
    ``batch`` at a time (a long log never sits in memory, and nothing is added to the session)."""
    after = after_id
    table = AuditEntry.__table__
    while True:
        stmt = filters.apply(select(table)).where(table.c.id > after).order_by(table.c.id).limit(batch)
        rows = [dict(row) for row in session.execute(stmt).mappings()]
        yield from rows
        if len(rows) < batch:
            return
        after = rows[-1]["id"]


def actor_names(session: Session) -> list[str]:
    """The accounts (and the command line's ``system``) that appear in the log, by name, for the page's filter.

    Names typed at a failed log-in are left out: anyone can type thousands of them.
    """
    stmt = (
        select(AuditEntry.actor_name)
        .where(or_(AuditEntry.actor_id.is_not(None), AuditEntry.action != "login.failed"))
        .distinct()
        .order_by(AuditEntry.actor_name)
    )
    return list(session.scalars(stmt))


def actions(session: Session) -> list[str]:
    """Every action that appears in the log."""
    return list(session.scalars(select(AuditEntry.action).distinct().order_by(AuditEntry.action)))


def purgeable_prefix(session: Session, cutoff: datetime) -> tuple[int, str, int] | None:
    """The oldest run of entries written before ``cutoff``, as (last id, its hash, how many); None if there is none.

    Only a prefix in id order can go: the chain of what remains must still start at one anchor.
    """
    first_kept = session.scalar(select(func.min(AuditEntry.id)).where(AuditEntry.at >= cutoff))
    stmt = select(func.max(AuditEntry.id), func.count(AuditEntry.id)).where(AuditEntry.at < cutoff)
    if first_kept is not None:
        stmt = stmt.where(AuditEntry.id < first_kept)
    last_id, count = session.execute(stmt).one()
    if last_id is None:
        return None
    last_hash = session.scalar(select(AuditEntry.hash).where(AuditEntry.id == last_id))
    assert last_hash is not None
    return int(last_id), last_hash, int(count)


def move_anchor(session: Session, anchor_id: int, anchor_hash: str) -> None:
    """Set the head's anchor (a trigger refuses it unless a checkpoint entry names exactly this anchor)."""
    session.execute(
        update(AuditChainHead).where(AuditChainHead.id == HEAD_ID).values(anchor_id=anchor_id, anchor_hash=anchor_hash)
    )


def delete_through(session: Session, last_id: int) -> int:
    """Delete every entry up to ``last_id`` (the triggers allow it only at or below the anchor); how many went."""
    result = session.execute(
        delete(AuditEntry).where(AuditEntry.id <= last_id), execution_options={"synchronize_session": False}
    )
    return int(getattr(result, "rowcount", 0) or 0)


def afters_of(session: Session, action: str, entity: str, entity_id: str) -> list[Any]:
    """The ``after`` snapshots of the entries of ``action`` on one object (through the entity index)."""
    stmt = select(AuditEntry.after).where(
        AuditEntry.entity == entity, AuditEntry.entity_id == entity_id, AuditEntry.action == action
    )
    return list(session.scalars(stmt))
