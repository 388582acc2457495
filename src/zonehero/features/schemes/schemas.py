"""Schemes as the edges see them."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict


class SchemeVersionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    scheme_id: int
    version: int
    text: str
    digest: str
    note: str | None
    created_by: int | None
    created_at: datetime


class SchemeVersionSummary(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    version: int
    digest: str
    note: str | None
    created_by: int | None
    created_at: datetime


class SchemeRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    created_at: datetime
    versions: list[SchemeVersionSummary]

    @property
    def latest(self) -> SchemeVersionSummary:
        return self.versions[-1]
