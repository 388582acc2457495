"""Writing and reading the audit log.

Every service that changes something calls :func:`record` in the same unit
of work as the change, so a change and its audit entry commit or roll back
together.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from zonehero.clock import utcnow
from zonehero.features.audit import repository
from zonehero.features.audit.models import AuditEntry
from zonehero.features.audit.schemas import AuditEntryRead, AuditList
from zonehero.features.roles import Actor, require_staff


def record(
    session: Session,
    actor: Actor,
    action: str,
    entity: str,
    entity_id: object | None = None,
    *,
    before: Any = None,
    after: Any = None,
) -> None:
    """Append one entry (``action`` like ``user.create``; ``before``/``after`` JSON-able snapshots)."""
    repository.add(
        session,
        AuditEntry(
            at=utcnow(),
            actor_id=actor.id,
            actor_name=actor.username,
            action=action,
            entity=entity,
            entity_id=None if entity_id is None else str(entity_id),
            before=before,
            after=after,
        ),
    )
    session.flush()


def list_entries(
    session: Session,
    actor: Actor,
    *,
    entity: str | None = None,
    entity_id: str | None = None,
    action: str | None = None,
    actor_name: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> AuditList:
    """The log, newest first; staff only (an enterprise account sees no log)."""
    require_staff(actor)
    rows, total = repository.page(
        session,
        entity=entity,
        entity_id=entity_id,
        action=action,
        actor_name=actor_name,
        limit=max(1, min(limit, 1000)),
        offset=max(0, offset),
    )
    return AuditList(items=[AuditEntryRead.model_validate(r) for r in rows], total=total)
