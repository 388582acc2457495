"""Writing and reading the audit log, and who may read it.

Every service that changes something, and every one that hands out confidential data in bulk, calls
:func:`record` in the same unit of work, so the event and its entry commit or roll back together. The entry gets
its origin (client address, ``cli:<user>``, ``job #id``) from :mod:`zonehero.features.audit.origin`, set by the
edge, and its place in the hash chain (:mod:`zonehero.features.audit.chain`) under the chain's lock.

Who may read, export, verify and purge the log is decided here and only here (:func:`require_reader`,
:func:`require_keeper`): the web's ``AuditReader`` dependency and the navigation ask these functions.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy.orm import Session

from zonehero import clock
from zonehero.clock import utcnow
from zonehero.errors import InputError, InputProblem, PermissionDenied
from zonehero.features.audit import repository
from zonehero.features.audit.chain import entry_hash, json_safe
from zonehero.features.audit.labels import action_label, changes, entity_label
from zonehero.features.audit.models import AuditEntry
from zonehero.features.audit.origin import current_origin
from zonehero.features.audit.schemas import AuditEntryRead, AuditFilterChoices, AuditList, ChangeRead, Choice
from zonehero.features.roles import Actor, Role

READER_ROLES: frozenset[Role] = frozenset({Role.AUDIT_ADMIN, Role.OPERATOR})
"""May read and export the log: the audit administrator alone among accounts (三员分立), and the server's
operator at the command line (``zonehero audit export``). Each page read and export is itself recorded."""
KEEPER_ROLES: frozenset[Role] = frozenset({Role.AUDIT_ADMIN, Role.OPERATOR})
"""May verify and purge the log (``zonehero audit verify|purge``, run by the server's operator)."""


def may_read(actor: Actor) -> bool:
    """Whether ``actor`` may read the log (the navigation shows the page by this)."""
    return actor.role in READER_ROLES


def require_reader(actor: Actor) -> None:
    if not may_read(actor):
        raise PermissionDenied("没有权限查看审计日志")


def require_keeper(actor: Actor) -> None:
    if actor.role not in KEEPER_ROLES:
        raise PermissionDenied("没有权限维护审计日志")


def record(
    session: Session,
    actor: Actor,
    action: str,
    entity: str,
    entity_id: object | None = None,
    *,
    before: Any = None,
    after: Any = None,
) -> int:
    """Append one entry and return its id (``action`` like ``user.create``, labelled in
    :mod:`zonehero.features.audit.labels`; ``before``/``after`` JSON-able snapshots).

    Takes the chain's lock until the unit of work ends: call it when the work is done, not before a long step.
    """
    origin = current_origin()
    head = repository.lock_head(session)
    fields: dict[str, Any] = {
        "at": utcnow(),
        "actor_id": actor.id,
        "actor_name": actor.username[:64],
        "action": action,
        "entity": entity,
        "entity_id": None if entity_id is None else str(entity_id)[:64],
        "before": json_safe(before),
        "after": json_safe(after),
        "origin": origin.address if origin else None,
        "user_agent": origin.user_agent if origin else None,
        "prev_hash": head.last_hash,
    }
    entry = repository.append(session, AuditEntry(**fields, hash=entry_hash(fields)))
    return entry.id


def record_read(
    session: Session, actor: Actor, action: str, entity: str, entity_id: object | None = None, **what: object
) -> int:
    """Record a read of confidential data in bulk (a document, an export, an evidence file, an API page):
    ``what`` says what was read, e.g. ``document="annual_report", format="pdf", year=2024, enterprises=312``
    (None values are left out). Call it once the data is made, just before it is handed over."""
    details = {key: value for key, value in what.items() if value is not None}
    return record(session, actor, action, entity, entity_id, after=details or None)


def day_start(day: date) -> datetime:
    """The first instant of the zone's calendar ``day``, in UTC (what the stored times are compared with)."""
    return datetime.combine(day, time.min, tzinfo=clock.current().tz).astimezone(UTC)


def period_filters(
    *,
    entity: str | None = None,
    entity_id: str | None = None,
    action: str | None = None,
    actor_name: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> repository.Filters:
    """Filters over the zone's calendar days ``date_from`` to ``date_to``, both included."""
    if date_from is not None and date_to is not None and date_from > date_to:
        raise InputError(InputProblem("起始日期不能晚于截止日期", column="date_from"))
    return repository.Filters(
        entity=entity,
        entity_id=entity_id,
        action=action,
        actor_name=actor_name,
        since=None if date_from is None else day_start(date_from),
        until=None if date_to is None else day_start(date_to + timedelta(days=1)),
    )


def as_read(entry: AuditEntry | dict[str, Any]) -> AuditEntryRead:
    """An entry with its action, object and changes in words."""
    read = AuditEntryRead.model_validate(entry)
    read.action_label = action_label(read.action)
    read.entity_label = entity_label(read.entity)
    read.changes = [ChangeRead(**c.__dict__) for c in changes(read.before, read.after)]
    return read


def list_entries(
    session: Session,
    actor: Actor,
    *,
    entity: str | None = None,
    entity_id: str | None = None,
    action: str | None = None,
    actor_name: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    limit: int = 100,
    offset: int = 0,
) -> AuditList:
    """The log, newest first, narrowed by object, action, person and the zone's calendar days; the read is
    recorded (``audit.read``) with what was asked."""
    require_reader(actor)
    filters = period_filters(
        entity=entity,
        entity_id=entity_id,
        action=action,
        actor_name=actor_name,
        date_from=date_from,
        date_to=date_to,
    )
    limit, offset = max(1, min(limit, 1000)), max(0, offset)
    rows, total = repository.page(session, filters, limit=limit, offset=offset)
    # Reading the log is itself audited (三员分立: the audit administrator's own actions leave a trace too).
    asked = {
        "entity": entity,
        "entity_id": entity_id,
        "action": action,
        "actor_name": actor_name,
        "from": date_from.isoformat() if date_from else None,
        "to": date_to.isoformat() if date_to else None,
    }
    record_read(
        session,
        actor,
        "audit.read",
        "audit_log",
        None,
        filters={k: v for k, v in asked.items() if v} or None,
        page=offset // limit + 1,
        entries=len(rows),
    )
    return AuditList(items=[as_read(r) for r in rows], total=total)


def filter_choices(session: Session, actor: Actor) -> AuditFilterChoices:
    """The people and the actions found in the log, for the page's filters."""
    require_reader(actor)
    return AuditFilterChoices(
        actors=repository.actor_names(session),
        actions=[Choice(value=a, label=action_label(a)) for a in repository.actions(session)],
    )


def was_recorded(session: Session, action: str, entity: str, entity_id: object, **after: object) -> bool:
    """Whether the log holds an entry of ``action`` on the object whose ``after`` has these values: a fact the
    workflow asks (were a run's notices made?), not a reading of the log, so it is neither restricted nor audited."""
    return any(
        isinstance(found, dict) and all(found.get(k) == v for k, v in after.items())
        for found in repository.afters_of(session, action, entity, str(entity_id)[:64])
    )
