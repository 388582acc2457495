"""Objections as the edges see them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict


class ObjectionFileRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    content_type: str
    size: int
    sha256: str


class ObjectionRead(BaseModel):
    """An objection with its evidence and, once answered, the answer (the enterprise sees it too)."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    run_id: int
    uscc: str
    text: str
    status: str
    filed_by: int | None
    filed_at: datetime
    answer: str | None
    answered_by: int | None
    answered_at: datetime | None
    new_run_id: int | None
    figure_changes: list[dict[str, Any]] | None
    files: list[ObjectionFileRead]


class ObjectionBrief(BaseModel):
    """Who objected to which run and where it stands, without text or evidence (for the to-do list)."""

    id: int
    run_id: int
    uscc: str
    status: str
    filed_at: datetime
    new_run_id: int | None
