"""What the importer hands back: the merged frame and where every figure came from."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

import polars as pl

from zonehero.core.ingest.headers import ColumnMapping

LINEAGE_SCHEMA: dict[str, type[pl.DataType] | pl.DataType] = {
    "uscc": pl.String,
    "field": pl.String,
    "value": pl.String,
    "file": pl.String,
    "sheet": pl.String,
    "row": pl.Int64,
    "column": pl.String,
    "department": pl.String,
}

CONFLICT_SCHEMA: dict[str, type[pl.DataType] | pl.DataType] = {
    "uscc": pl.String,
    "field": pl.String,
    "chosen_value": pl.String,
    "chosen_source": pl.String,
    "other_value": pl.String,
    "other_source": pl.String,
    "rule": pl.String,
}


@dataclass(frozen=True)
class SkippedRow:
    """A row left out on purpose (blank, 合计, units row, note), with the reason shown to the user."""

    row: int
    """1-based, as the spreadsheet numbers it."""
    reason: str


@dataclass
class SourceInfo:
    """How one file was read: which sheet, where the header was, what each column meant."""

    path: str
    file: str
    department: str
    sheet: str | None
    header_row: int
    """1-based row of the header."""
    units_row: int | None
    data_rows: int
    """Rows read as enterprises."""
    columns: list[ColumnMapping]
    skipped: list[SkippedRow] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    encoding: str | None = None
    """Text encoding detected for a CSV file; None for workbooks."""
    title: str | None = None
    """The text above the header (the sheet's title rows, 2024年度纳税情况 …); None when the header is on row 1."""

    @property
    def mapping(self) -> dict[str, tuple[str, float]]:
        """header as written -> (field key, unit factor)."""
        return {c.header: (c.field, c.factor) for c in self.columns}


@dataclass
class SourceRead:
    """One file parsed: canonical columns, the spreadsheet row of each record, and how it was read."""

    frame: pl.DataFrame
    """uscc plus the fields this file provides, canonical units; one row per enterprise."""
    rows: pl.Series
    """Spreadsheet row number (1-based) of each frame row."""
    info: SourceInfo
    warnings: list[str] = field(default_factory=list)

    @property
    def lineage(self) -> pl.DataFrame:
        """Every non-null value of this file with its file, sheet, row, column and department."""
        return source_lineage(self)


@dataclass
class ImportResult:
    """Several files merged by USCC."""

    frame: pl.DataFrame
    """One row per USCC; uscc, name and every field some source provided, canonical units and dtypes."""
    lineage_plan: pl.LazyFrame
    """The query that builds ``lineage``; run on first use (an evaluation from the command line never needs it)."""
    conflicts: pl.DataFrame
    """(uscc, field, chosen_value, chosen_source, other_value, other_source, rule)."""
    sources: list[SourceInfo]
    warnings: list[str] = field(default_factory=list)

    @cached_property
    def lineage(self) -> pl.DataFrame:
        """(uscc, field, value, file, sheet, row, column, department) of each stored value.

        A value per enterprise and field (2.6 million rows for 100,000
        enterprises with 26 fields), so it is built when first asked for, then kept.
        """
        return self.lineage_plan.collect()


def only_source_long(field_key: str, index: int, src: SourceRead) -> pl.LazyFrame:
    """(uscc, value, row, src) of every non-null value of a field only source ``index`` provides."""
    return (
        pl.DataFrame({"uscc": src.frame["uscc"], "value": src.frame[field_key], "row": src.rows})
        .lazy()
        .filter(pl.col("value").is_not_null())
        .with_columns(pl.lit(index, dtype=pl.Int64).alias("src"))
    )


def field_lineage(field_key: str, chosen: pl.LazyFrame, sources: Sequence[SourceRead]) -> pl.LazyFrame:
    """The lineage rows of one field, as a query (``ImportResult.lineage`` runs it when asked)."""
    meta = pl.LazyFrame(
        {
            "src": list(range(len(sources))),
            "file": [s.info.file for s in sources],
            "sheet": [s.info.sheet for s in sources],
            "column": [next((c.header for c in s.info.columns if c.field == field_key), None) for s in sources],
            "department": [s.info.department for s in sources],
        },
        schema={"src": pl.Int64, "file": pl.String, "sheet": pl.String, "column": pl.String, "department": pl.String},
    )
    return (
        chosen.join(meta, on="src", how="left", maintain_order="left")  # the same order every time
        .select(
            "uscc",
            pl.lit(field_key).alias("field"),
            pl.col("value").cast(pl.String),
            "file",
            "sheet",
            "row",
            "column",
            "department",
        )
        .cast(LINEAGE_SCHEMA)  # type: ignore[arg-type]
    )


def source_lineage(src: SourceRead) -> pl.DataFrame:
    """Lineage of every non-null value of one file (for previews)."""
    parts = [field_lineage(k, only_source_long(k, 0, src), [src]) for k in src.frame.columns if k != "uscc"]
    return pl.concat(parts).collect() if parts else pl.DataFrame(schema=LINEAGE_SCHEMA)
