"""Runs and results as the edges see them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

PUBLISHED_STATUSES = ("notice", "final")
"""The statuses of a published run; the one list the repository, the documents and the pages use."""


class RunRead(BaseModel):
    """A run without its result rows (those are paged through ``list_results``)."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    year: int
    scheme_version_id: int
    scheme_digest: str
    input_hash: str
    status: str
    benchmarks: list[dict[str, Any]]
    counts: list[dict[str, Any]]
    warnings: list[str]
    result_count: int
    note: str | None
    source_run_id: int | None
    superseded_by_id: int | None
    created_by: int | None
    created_at: datetime
    notice_start: date | None
    notice_end: date | None
    published_at: datetime | None
    finalized_at: datetime | None

    @property
    def is_published(self) -> bool:
        """In 公示 or final: such a run has documents (公示名单, 告知书) and is frozen."""
        return self.status in PUBLISHED_STATUSES


class RunResultRead(BaseModel):
    """One enterprise's result; ``record`` is the full §8 record (indicators, flags, policy)."""

    model_config = ConfigDict(from_attributes=True, populate_by_name=True)

    run_id: int
    uscc: str
    name: str | None
    industry_code: str | None
    group: str | None
    status: str
    total_score: float | None
    rank: int | None
    class_: str | None = Field(alias="class")
    carbon_grade: int | None
    record: dict[str, Any]


class ResultList(BaseModel):
    items: list[RunResultRead]
    total: int
    next_cursor: str | None = None
    """Where the page after this one starts (keyset paging); None on an empty page."""


class EnterpriseResult(BaseModel):
    """One line of an enterprise's class history."""

    run_id: int
    year: int
    run_status: str
    status: str
    group: str | None
    total_score: float | None
    rank: int | None
    class_: str | None = Field(alias="class")
    carbon_grade: int | None

    model_config = ConfigDict(populate_by_name=True)


class IndicatorChange(BaseModel):
    """How one indicator moved between two results: value, benchmark and score before and after."""

    key: str
    value_before: float | None
    value_after: float | None
    benchmark_before: float | None
    benchmark_after: float | None
    score_before: float | None
    score_after: float | None
    score_delta: float | None


class ClassMove(BaseModel):
    """An enterprise whose class (or status) differs between two runs, and why."""

    uscc: str
    name: str | None
    group_before: str | None
    group_after: str | None
    status_before: str | None
    status_after: str | None
    class_before: str | None
    class_after: str | None
    total_before: float | None
    total_after: float | None
    bonus_before: float | None
    bonus_after: float | None
    indicators: list[IndicatorChange]
    """Sorted by the absolute score change, largest first."""
    reasons: list[str]
    """Plain-language reasons in Chinese, e.g. 「亩均税收」得分 12.00 → 6.50."""


class ComparisonSummary(BaseModel):
    """What the run page shows of a comparison: the counts and the first moves, not every enterprise."""

    base_run_id: int
    base_year: int
    up: int
    down: int
    unchanged: int
    entered: int
    left: int
    moved: int
    """How many enterprises moved (``moves`` holds the first of them)."""
    moves: list[ClassMove]


class RunComparison(BaseModel):
    base_run_id: int
    other_run_id: int
    base_year: int
    other_year: int
    moved: list[ClassMove]
    up: int
    down: int
    unchanged: int
    entered: list[str]
    """USCCs only in the other run."""
    left: list[str]
    """USCCs only in the base run."""
    class_matrix: dict[str, dict[str, int]]
    """class before -> class after -> count ("-" for none)."""


class ScoreMove(BaseModel):
    """An enterprise whose total score or class differs between a run in 公示 and its corrected draft."""

    uscc: str
    name: str | None
    group: str | None
    class_before: str | None
    class_after: str | None
    total_before: float | None
    total_after: float | None
    rank_before: int | None
    rank_after: int | None

    @property
    def total_delta(self) -> float | None:
        if self.total_before is None or self.total_after is None:
            return None
        return self.total_after - self.total_before

    @property
    def class_changed(self) -> bool:
        return self.class_before != self.class_after


class CorrectionSummary(BaseModel):
    """A corrected draft against the run in 公示 it corrects: who changed class, who changed score."""

    base_run_id: int
    class_changed: int
    score_changed: int
    """Enterprises whose total score changed (those whose class changed included)."""
    unchanged: int
    entered: int
    left: int
    moves: list[ScoreMove]
    """Class changes first, then the largest score changes; at most the number the page asked for."""
