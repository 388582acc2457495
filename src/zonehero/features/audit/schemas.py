"""What the audit log looks like to the edges."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict


class ChangeRead(BaseModel):
    """One field of an entry in words: label, value before, value after ("" for none)."""

    field: str
    before: str
    after: str


class AuditEntryRead(BaseModel):
    """One event: who, when, from where, what (code and words), before, after, and its place in the chain."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    at: datetime
    actor_id: int | None
    actor_name: str
    action: str
    entity: str
    entity_id: str | None
    before: Any
    after: Any
    origin: str | None = None
    user_agent: str | None = None
    hash: str = ""
    action_label: str = ""
    entity_label: str = ""
    changes: list[ChangeRead] = []


class AuditList(BaseModel):
    items: list[AuditEntryRead]
    total: int


class Choice(BaseModel):
    """An option of a filter: the value sent and the words shown."""

    value: str
    label: str


class AuditFilterChoices(BaseModel):
    """What the page's filters offer: the people and actions present in the log."""

    actors: list[str]
    actions: list[Choice]


class VerifyReport(BaseModel):
    """The outcome of ``zonehero audit verify``: ``first_bad_id``/``problem`` None when the chain is whole."""

    ok: bool
    checked: int
    head_id: int | None
    head_hash: str
    anchor_id: int | None
    first_bad_id: int | None = None
    problem: str | None = None


class PurgeReport(BaseModel):
    """What a purge removed (nothing when ``removed`` is 0) and the checkpoint entry it left."""

    before: date
    removed: int
    through_id: int | None = None
    checkpoint_id: int | None = None
