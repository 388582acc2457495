"""What the audit log looks like to the edges."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict


class AuditEntryRead(BaseModel):
    """One change: who, when, what, before, after."""

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


class AuditList(BaseModel):
    items: list[AuditEntryRead]
    total: int
