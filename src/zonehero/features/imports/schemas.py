"""The import preview and batches as the edges see them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from zonehero.features.enterprises.schemas import ImportChanges


class ProblemRead(BaseModel):
    """One input problem, located (file, sheet, row, column) so the page can highlight it."""

    message: str
    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None


class SourceSummary(BaseModel):
    """How one file was read."""

    file: str
    department: str
    sheet: str | None
    header_row: int
    data_rows: int
    columns: dict[str, str]
    """header as written -> field key."""
    skipped: list[dict[str, Any]]
    ignored_columns: list[str]


class NamedYear(BaseModel):
    """A year a file names for itself: in its file name (文件名) or in the title rows above its header (标题行)."""

    file: str
    where: str
    """文件名 or 标题行."""
    years: list[int]
    text: str
    """The name or title as written, so the user sees where the year was found."""


class ImportPreview(BaseModel):
    """What the user checks before confirming: problems (blocking), warnings, conflicts, what each file gave."""

    batch_id: int
    status: str
    year: int | None
    files: list[str]
    problems: list[ProblemRead]
    warnings: list[str]
    conflicts: list[dict[str, Any]]
    sources: list[SourceSummary]
    enterprise_count: int
    figure_count: int
    fields: list[str]
    named_years: list[NamedYear] = Field(default_factory=list)
    changes: ImportChanges | None = None
    """Stored values of ``year`` the batch replaces by others (None when the batch has no year or could not be read);
    at most the first few thousand are listed, ``changes.total`` counts them all."""

    @property
    def can_confirm(self) -> bool:
        return self.status == "preview" and not self.problems


class ImportBatchRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    year: int | None
    status: str
    files: list[dict[str, Any]]
    report: dict[str, Any]
    conflicts: list[dict[str, Any]]
    enterprise_count: int
    figure_count: int
    created_by: int | None
    created_at: datetime
    decided_by: int | None
    decided_at: datetime | None


class ImportConfirmation(BaseModel):
    """What confirming wrote."""

    batch_id: int
    year: int
    enterprises_new: int
    enterprises_total: int
    figures_inserted: int
    figures_updated: int
    values_changed: int


class WaitingImport(BaseModel):
    """A preview nobody has confirmed or discarded yet (a to-do of the analyst): what it holds and its conflicts."""

    batch_id: int
    year: int | None
    created_at: datetime
    figure_count: int
    conflict_total: int
    """Values that differ from what is stored (冲突), as counted at the preview."""
