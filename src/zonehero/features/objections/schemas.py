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


class RunFigure(BaseModel):
    """One figure of an enterprise as a run used it, with its source: what an objection may point at."""

    field: str
    label: str
    unit: str | None
    value: float | bool | int | str | None
    source: str
    """部门 · 文件 · 工作表 · 行 · 列, as the run kept it ("" when the run kept no source for it)."""


class DisputedFigure(BaseModel):
    """A figure an objection disputes: the value the run used and the value the enterprise proposes."""

    field: str
    current: float | bool | int | str | None
    proposed: float | bool | int | str | None


class ObjectionRead(BaseModel):
    """An objection with its evidence and, once answered, the answer (the enterprise sees it too)."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    run_id: int | None
    """The run whose result is objected to (None: an objection on a land notice)."""
    land_notice_id: int | None = None
    """The land notice (用地面积公示) whose published 用地面积 is objected to (None: an objection on a result)."""
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
    disputed: list[DisputedFigure] | None = None
    """The figures pointed at (None: a free-text objection, as every one filed before migration 0015)."""
    land_items: list[dict[str, Any]] | None = None
    """[{key, label}]: the parcels or leases of the published derivation said to be wrong (land notices only)."""
    files: list[ObjectionFileRead]

    @property
    def on_land(self) -> bool:
        return self.land_notice_id is not None

    @property
    def path(self) -> str:
        """Its page: under its run, or under its land notice."""
        if self.land_notice_id is not None:
            return f"/land/notice/{self.land_notice_id}/objections/{self.id}"
        return f"/runs/{self.run_id}/objections/{self.id}"


class ObjectionBrief(BaseModel):
    """Who objected to which run and where it stands, without text or evidence (for the to-do list)."""

    id: int
    run_id: int | None
    uscc: str
    status: str
    filed_at: datetime
    new_run_id: int | None
    land_notice_id: int | None = None

    @property
    def path(self) -> str:
        if self.land_notice_id is not None:
            return f"/land/notice/{self.land_notice_id}/objections/{self.id}"
        return f"/runs/{self.run_id}/objections/{self.id}"
