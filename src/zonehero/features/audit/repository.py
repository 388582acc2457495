"""Queries of the audit log."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from zonehero.features.audit.models import AuditEntry


def add(session: Session, entry: AuditEntry) -> AuditEntry:
    session.add(entry)
    return entry


def _filtered(
    stmt: Select[Any],
    entity: str | None,
    entity_id: str | None,
    action: str | None,
    actor_name: str | None,
) -> Select[Any]:
    if entity is not None:
        stmt = stmt.where(AuditEntry.entity == entity)
    if entity_id is not None:
        stmt = stmt.where(AuditEntry.entity_id == entity_id)
    if action is not None:
        stmt = stmt.where(AuditEntry.action == action)
    if actor_name is not None:
        stmt = stmt.where(AuditEntry.actor_name == actor_name)
    return stmt


def page(
    session: Session,
    *,
    entity: str | None = None,
    entity_id: str | None = None,
    action: str | None = None,
    actor_name: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> tuple[Sequence[AuditEntry], int]:
    """Newest first, and the total count for paging."""
    stmt = _filtered(select(AuditEntry), entity, entity_id, action, actor_name)
    rows = session.scalars(stmt.order_by(AuditEntry.id.desc()).limit(limit).offset(offset)).all()
    count_stmt = _filtered(select(func.count(AuditEntry.id)), entity, entity_id, action, actor_name)
    total: int = session.scalar(count_stmt) or 0
    return rows, total
