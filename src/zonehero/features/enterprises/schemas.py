"""Enterprises and figures as the edges see them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pydantic import BaseModel, ConfigDict


class EnterpriseNameRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    name: str
    first_seen_year: int
    first_seen_batch_id: int | None


class EnterpriseRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    uscc: str
    name: str | None
    industry_code: str | None
    names: list[EnterpriseNameRead] = []


class EnterpriseList(BaseModel):
    items: list[EnterpriseRead]
    total: int


def source_phrase(
    department: str | None, file: str | None, sheet: str | None, row: int | None, column: str | None
) -> str:
    """Where a value comes from, in one line: 自然资源局 · 用地.xlsx · 工作表 Sheet1 · 第 12 行 · 列「用地面积」."""
    parts = [p for p in (department, file) if p]
    if sheet:
        parts.append(f"工作表 {sheet}")
    if row is not None:
        parts.append(f"第 {row} 行")
    if column:
        parts.append(f"列「{column}」")
    return " · ".join(parts)


class FigureRead(BaseModel):
    """A figure with its source (数据来源): department, file, sheet, row, column, batch or objection."""

    model_config = ConfigDict(from_attributes=True)

    uscc: str
    year: int
    field: str
    label: str
    unit: str | None
    value: float | bool | int | str | None
    department: str | None
    file: str | None
    sheet: str | None
    row: int | None
    column: str | None
    batch_id: int | None
    objection_id: int | None
    updated_at: datetime

    @property
    def source(self) -> str:
        """One line for the page: 自然资源局 · 用地.xlsx · 工作表 Sheet1 · 第 12 行 · 列「用地面积（亩）」."""
        return source_phrase(self.department, self.file, self.sheet, self.row, self.column)


class FigureChange(BaseModel):
    """A figure replaced by an import or an objection: the value before and after."""

    uscc: str
    year: int
    field: str
    before: float | bool | int | str | None
    after: float | bool | int | str | None


class ImportedChange(BaseModel):
    """A stored value an import would replace by another: who, which figure, old → new, and where the new one is."""

    uscc: str
    name: str | None
    field: str
    before: float | bool | int | str | None
    after: float | bool | int | str | None
    department: str | None = None
    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None

    @property
    def source(self) -> str:
        """Where the new value comes from (:func:`source_phrase`)."""
        return source_phrase(self.department, self.file, self.sheet, self.row, self.column)


class SourceChangeCount(BaseModel):
    """How many stored values one department's file changes."""

    department: str
    file: str
    count: int


class ImportChanges(BaseModel):
    """What confirming an import would change: the total, the count per source file, the first changes."""

    total: int
    per_source: list[SourceChangeCount]
    changes: list[ImportedChange]


@dataclass(frozen=True)
class FigureWriteSummary:
    """What confirming an import did to the store."""

    enterprises_new: int
    enterprises_total: int
    figures_inserted: int
    figures_updated: int
    values_changed: int
