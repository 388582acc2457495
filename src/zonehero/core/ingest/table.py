"""The one spreadsheet reader: a file read against a registry into parsed columns, every problem collected.

Whatever the registry (department figures, projects, monthly progress, the cultivation supplement, later parcels
and leads), a file goes through the same steps: the grid (:mod:`.readers`: CSV in UTF-8/GBK/GB18030 with NUL and
UTF-16 refused, xlsx/xls/ods through calamine, hostile files refused), the sheet (the named one, else the first
with a header), the header and units rows and each column's unit factor (:mod:`.headers`), the rows that are records
(:mod:`.rows`: blank, 合计, notes and 栏次 rows skipped) and each column parsed by its type (:mod:`.values`). Every
problem names the file, the sheet, the row as the spreadsheet numbers it and the column as its header is written.

What is left to an importer is what only it knows: duplicates of its key, checks across columns, building its
records. It adds its own problems to :attr:`Table.problems` and raises them all together.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from zonehero.core.domain.registry import Registry
from zonehero.core.ingest.headers import HeaderLayout, LayoutProblem, detect_layout, missing_header_problems
from zonehero.core.ingest.readers import DEFAULT_MAX_BYTES, SheetGrid, read_sheets
from zonehero.core.ingest.result import SkippedRow
from zonehero.core.ingest.rows import classify_rows, to_columns
from zonehero.core.ingest.values import parse_column
from zonehero.errors import InputError, InputProblem


@dataclass
class Table:
    """One sheet read against a registry: the records' parsed columns, what was skipped, every problem found."""

    registry: Registry
    grid: SheetGrid
    layout: HeaderLayout
    rows: pl.Series
    """The spreadsheet row number (1-based) of each record."""
    columns: dict[str, pl.Series]
    """Parsed values of the records by column key, in registry order; only the columns the file has."""
    skipped: list[SkippedRow]
    problems: list[InputProblem]
    warnings: list[str]
    failed: set[tuple[int, str]] = field(default_factory=set)
    """(row, key) of every cell of a record that could not be read."""
    lacking_anchor: int = 0
    """Rows with content but no anchor (each is a problem already)."""

    @property
    def file(self) -> str:
        return self.grid.file

    @property
    def sheet(self) -> str | None:
        return self.grid.sheet

    def header(self, key: str) -> str:
        """The column's header as the file writes it, else its label (for a problem about a column not in the file)."""
        mapping = self.layout.column_for(key)
        return mapping.header if mapping is not None else self.registry.by_key[key].label

    def problem(self, message: str, row: int | None = None, key: str | None = None) -> InputProblem:
        """A problem located in this table; ``key`` names the column by its registry key."""
        column = self.header(key) if key is not None else None
        return InputProblem(message, file=self.file, sheet=self.sheet, row=row, column=column)

    def records(self) -> Iterator[tuple[int, dict[str, Any]]]:
        """(spreadsheet row, values by key) of each record, as Python values; cells that failed are left out."""
        values = {key: series.to_list() for key, series in self.columns.items()}
        for i, row in enumerate(self.rows.to_list()):
            yield row, {key: v[i] for key, v in values.items() if (row, key) not in self.failed}


def choose_sheet(
    path: Path, registry: Registry, sheet: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> tuple[SheetGrid, HeaderLayout]:
    """The named sheet, or the first sheet with a header; InputError naming the file (and why) otherwise."""
    first: tuple[SheetGrid, list[LayoutProblem]] | None = None
    for grid in read_sheets(path, sheet=sheet, max_bytes=max_bytes):
        layout = detect_layout(grid.rows, grid.merged, registry)
        if layout is not None:
            return grid, layout
        if first is None:
            first = (grid, missing_header_problems(grid.rows, registry))
    if first is None:
        raise InputError(InputProblem("工作簿中没有工作表", file=path.name))
    grid, problems = first
    raise InputError([InputProblem(p.message, grid.file, grid.sheet, p.row, p.column) for p in problems])


def read_table(
    path: str | Path, registry: Registry, *, sheet: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> Table:
    """Read ``path`` against ``registry``.

    A file that cannot be read or has no header raises :class:`InputError`; everything else (header problems,
    rows lacking their anchor, cells that cannot be read) is collected in :attr:`Table.problems`.
    """
    grid, layout = choose_sheet(Path(path), registry, sheet, max_bytes)
    return read_grid(grid, layout, registry)


def read_sheet(grid: SheetGrid, registry: Registry) -> Table:
    """One sheet already in memory read against ``registry``; InputError when it has no header."""
    layout = detect_layout(grid.rows, grid.merged, registry)
    if layout is None:
        problems = missing_header_problems(grid.rows, registry)
        raise InputError([InputProblem(p.message, grid.file, grid.sheet, p.row, p.column) for p in problems])
    return read_grid(grid, layout, registry)


def read_grid(grid: SheetGrid, layout: HeaderLayout, registry: Registry) -> Table:
    """Classify the rows under ``layout``'s header and parse every mapped column (see :func:`read_table`)."""

    def problem(message: str, row: int | None = None, column: str | None = None) -> InputProblem:
        return InputProblem(message, file=grid.file, sheet=grid.sheet, row=row, column=column)

    problems = [problem(p.message, p.row, p.column) for p in layout.problems]
    warnings = [f"{grid.file}: {w}" for w in layout.warnings]
    first = layout.first_data_row
    first_line = first + 1
    data = grid.rows[first:]
    cells = to_columns(data)
    anchor = layout.column_for(registry.anchor)
    assert anchor is not None  # the header row is the row with the anchor
    mappings = [anchor] + [m for m in layout.columns if m is not anchor]
    parsed = {}
    for mapping in mappings:
        column = registry.by_key[mapping.field]
        parsed[mapping.field] = parse_column(cells[mapping.index] if data else [], column, mapping.factor)
    anchors = parsed[registry.anchor][0]
    label_columns = {0, 1, 2} | {m.index for m in layout.columns if m.field in registry.identity}
    classes = classify_rows(data, cells, first_line, label_columns, anchors)
    skipped = classes.skipped
    if layout.units_row is not None:
        skipped.insert(0, SkippedRow(layout.units_row + 1, "单位行"))
    for i in classes.lacking_anchor:
        problems.append(problem(f"缺少{registry.anchor_column.label}", first_line + i, anchor.header))
    keep = classes.keep
    kept = keep.to_list()
    rows = (keep.arg_true() + first_line).cast(pl.Int64).alias("row")
    failed: set[tuple[int, str]] = set()
    for mapping in mappings:
        for i, message in parsed[mapping.field][1]:
            if kept[i]:
                problems.append(problem(message, first_line + i, mapping.header))
                failed.add((first_line + i, mapping.field))
    columns = {c.key: parsed[c.key][0].filter(keep) for c in registry.columns if c.key in parsed}
    return Table(
        registry=registry,
        grid=grid,
        layout=layout,
        rows=rows,
        columns=columns,
        skipped=skipped,
        problems=problems,
        warnings=warnings,
        failed=failed,
        lacking_anchor=len(classes.lacking_anchor),
    )
