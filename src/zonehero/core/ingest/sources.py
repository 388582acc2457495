"""Reading one department file into canonical columns, collecting every problem in it.

The steps: read the grid, choose the sheet (by name, else the first with a
header), find the header and units rows, skip blank / 合计 / note rows,
parse each mapped column, check the USCCs and duplicates. Problems are
collected, never raised one at a time, so a user fixes a file in one pass.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import polars as pl

from zonehero.core.domain.fields import FIELDS, FIELDS_BY_KEY
from zonehero.core.domain.vocabulary import TOTAL_LABEL
from zonehero.core.ingest.headers import HeaderLayout, LayoutProblem, detect_layout, missing_header_problems
from zonehero.core.ingest.readers import DEFAULT_MAX_BYTES, SheetGrid, read_sheets
from zonehero.core.ingest.result import SkippedRow, SourceInfo, SourceRead
from zonehero.core.ingest.values import clean_text, normalise_uscc_series, parse_column, raw_series, uscc_problems
from zonehero.errors import InputError, InputProblem

DEPARTMENT_KEYWORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("税务局", ("税务", "tax")),
    ("供电公司", ("电力", "供电", "电网", "power", "grid")),
    ("统计局", ("统计", "stat")),
    ("自然资源局", ("自然资源", "规划", "国土", "land")),
    ("科技局", ("科技", "science", "tech")),
    ("生态环境局", ("生态", "环境", "环保", "env")),
    ("应急管理局", ("应急", "安全", "safety")),
    ("工信局", ("工信", "经信", "工业和信息化", "miit")),
)
OTHER_DEPARTMENT = "其他"

_TOTAL_LABEL = TOTAL_LABEL
_NOTE_LABEL = re.compile(r"^(注[:：]|注\d|说明|备注|填报人|填表人|制表|审核|数据来源|单位负责人|统计负责人|联系电话)")
_COLUMN_NUMBER_LABELS = {"甲", "乙", "丙", "丁", "戊", "己", "庚", "辛"}
_TOTAL_LETTERS = "合总计小全部累" + "totalsubm" + "totalsubm".upper()
_TOTAL_CHARS = (
    "^[\\s\u3000:："
    + "".join(sorted({*_TOTAL_LETTERS, *(chr(ord(c) + 0xFEE0) for c in _TOTAL_LETTERS if c.isascii())}))
    + "]+$"
)
"""A cell that can be a total label once cleaned: only these characters (ASCII and full-width) and white space."""


def department_for(path: str | Path) -> str:
    """The department a file comes from, guessed from keywords in its name; 其他 when none fits."""
    name = Path(path).name.lower()
    for department, keywords in DEPARTMENT_KEYWORDS:
        if any(k in name for k in keywords):
            return department
    return OTHER_DEPARTMENT


def _is_blank(cell: Any) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _choose_sheet(
    path: Path, sheet: str | None, max_bytes: int
) -> tuple[SheetGrid, HeaderLayout] | tuple[SheetGrid | None, list[LayoutProblem]]:
    """The named sheet, or the first sheet with a header; else the first sheet with why it has none."""
    first: tuple[SheetGrid, list[LayoutProblem]] | None = None
    for grid in read_sheets(path, sheet=sheet, max_bytes=max_bytes):
        layout = detect_layout(grid.rows, grid.merged)
        if layout is not None:
            return grid, layout
        if first is None:
            first = (grid, missing_header_problems(grid.rows))
    if first is None:
        return None, [LayoutProblem("工作簿中没有工作表")]
    return first


def _column_number_row(row: list[Any]) -> bool:
    """A 栏次 row under the header: 甲 乙 1 2 3 … (statistical forms number their columns)."""
    cells = [str(c).strip() for c in row if not _is_blank(c)]
    if not cells:
        return False
    return all(c in _COLUMN_NUMBER_LABELS or re.fullmatch(r"\d{1,2}(\.0)?", c) for c in cells)


def _columns(data: list[list[Any]]) -> list[Sequence[Any]]:
    """The data rows turned into columns, in one pass (rows shorter than the longest are padded with '')."""
    if not data:
        return []
    width = max(map(len, data))
    if min(map(len, data)) < width:
        data = [row + [""] * (width - len(row)) if len(row) < width else row for row in data]
    return list(zip(*data, strict=True))


def _total_rows(cells: Sequence[Any]) -> pl.Series:
    """Where a label cell says 合计/总计/小计/total … (after clean-up); never null.

    Only cells made of nothing but the letters of those labels, colons and
    white space (in any width) can match, so the clean-up runs on those alone.
    """
    raw = raw_series(cells)
    if raw.dtype != pl.String:
        return pl.repeat(False, len(raw), dtype=pl.Boolean, eager=True)
    candidate = raw.str.contains(_TOTAL_CHARS).fill_null(False)
    total = pl.repeat(False, len(raw), dtype=pl.Boolean, eager=True)
    if not candidate.any():
        return total
    index = candidate.arg_true()
    text = clean_text(raw.gather(index)).str.to_lowercase()
    return total.scatter(index, text.str.contains(_TOTAL_LABEL).fill_null(False))


def _classify(
    data: list[list[Any]], columns: list[Sequence[Any]], first_line: int, layout: HeaderLayout, codes: pl.Series
) -> tuple[pl.Series, list[SkippedRow], list[int]]:
    """Which data rows are enterprises; skipped rows with reasons; positions lacking a USCC.

    Totals are found vectorised on the first three columns and the name
    column; the Python loop only visits rows whose USCC cell is empty.
    """
    n = len(data)
    label_columns = {0, 1, 2}
    name_col = layout.column_for("name")
    if name_col is not None:
        label_columns.add(name_col.index)
    total = pl.Series([False] * n, dtype=pl.Boolean)
    for c in sorted(label_columns):
        if c < len(columns):
            total = total | _total_rows(columns[c])
    note = codes.str.contains(_NOTE_LABEL.pattern).fill_null(False) & ~total
    keep = codes.is_not_null() & ~total & ~note
    skipped = [SkippedRow(first_line + int(i), "合计/小计行") for i in total.arg_true().to_list()]
    skipped += [SkippedRow(first_line + int(i), "表尾说明") for i in note.arg_true().to_list()]
    missing: list[int] = []
    for i in (codes.is_null() & ~total).arg_true().to_list():
        row = data[i]
        cells = [c for c in row if not _is_blank(c)]
        if not cells:
            skipped.append(SkippedRow(first_line + i, "空行"))
        elif isinstance(cells[0], str) and _NOTE_LABEL.match(cells[0].strip()):
            skipped.append(SkippedRow(first_line + i, "表尾说明"))
        elif i == 0 and _column_number_row(row):
            skipped.append(SkippedRow(first_line + i, "栏次行"))
        else:
            missing.append(i)
    skipped.sort(key=lambda s: s.row)
    return keep, skipped, missing


def _read(
    path: Path, sheet: str | None, max_bytes: int, department: str | None
) -> tuple[SourceRead | None, list[InputProblem]]:
    try:
        grid, found = _choose_sheet(path, sheet, max_bytes)
    except InputError as exc:
        return None, exc.problems
    file = path.name

    def problem(message: str, row: int | None = None, column: str | None = None) -> InputProblem:
        return InputProblem(message, file=file, sheet=grid.sheet if grid else None, row=row, column=column)

    if not isinstance(found, HeaderLayout):
        return None, [problem(p.message, p.row, p.column) for p in found]
    assert grid is not None
    layout = found
    problems = [problem(p.message, p.row, p.column) for p in layout.problems]
    warnings = [f"{file}: {w}" for w in layout.warnings]
    first = layout.first_data_row
    first_line = first + 1
    data = grid.rows[first:]
    columns_in = _columns(data)
    uscc_col = layout.column_for("uscc")
    assert uscc_col is not None
    codes = normalise_uscc_series(columns_in[uscc_col.index] if data else [])
    keep, skipped, missing = _classify(data, columns_in, first_line, layout, codes)
    if layout.units_row is not None:
        skipped.insert(0, SkippedRow(layout.units_row + 1, "单位行"))
    for i in missing:
        problems.append(problem("缺少统一社会信用代码", first_line + i, uscc_col.header))
    if not keep.any() and not missing:
        problems.append(problem(f"表头（第 {layout.header_row + 1} 行）下没有数据行", layout.header_row + 1))

    kept = keep.arg_true()
    row_numbers = (kept + first_line).cast(pl.Int64).alias("row")
    kept_set = keep.to_list()
    columns: dict[str, pl.Series] = {"uscc": codes.filter(keep)}
    for i, msg in uscc_problems(codes):
        if kept_set[i]:
            problems.append(problem(msg, first_line + i, uscc_col.header))
    for mapping in layout.columns:
        if mapping.field == "uscc":
            continue
        f = FIELDS_BY_KEY[mapping.field]
        values, cell_problems = parse_column(columns_in[mapping.index] if data else [], f, mapping.factor)
        for i, msg in cell_problems:
            if kept_set[i]:
                problems.append(problem(msg, first_line + i, mapping.header))
        columns[f.key] = values.filter(keep)
    problems += _duplicate_problems(columns["uscc"], row_numbers, file, grid.sheet, uscc_col.header)
    if problems:
        return None, problems
    order = [f.key for f in FIELDS if f.key in columns]
    frame = pl.DataFrame({k: columns[k] for k in order})
    info = SourceInfo(
        path=str(path),
        file=file,
        department=department or department_for(path),
        sheet=grid.sheet,
        header_row=layout.header_row + 1,
        units_row=layout.units_row + 1 if layout.units_row is not None else None,
        data_rows=frame.height,
        columns=layout.columns,
        skipped=skipped,
        ignored_columns=layout.ignored,
        encoding=grid.encoding,
    )
    return SourceRead(frame=frame, rows=row_numbers, info=info, warnings=warnings), []


def _duplicate_problems(
    codes: pl.Series, rows: pl.Series, file: str, sheet: str | None, column: str
) -> list[InputProblem]:
    """One problem per repeated USCC, at its second and later rows, naming every row it is on."""
    frame = pl.DataFrame({"uscc": codes, "row": rows}).filter(pl.col("uscc").is_duplicated())
    problems = []
    for code, group in frame.group_by("uscc", maintain_order=True):
        lines = sorted(group["row"].to_list())
        listed = "、".join(str(r) for r in lines)
        for line in lines[1:]:
            problems.append(
                InputProblem(
                    f"统一社会信用代码「{code[0]}」在本文件中重复出现（第 {listed} 行）",
                    file=file,
                    sheet=sheet,
                    row=line,
                    column=column,
                )
            )
    return problems


def read_one(
    path: str | Path,
    *,
    sheet: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    department: str | None = None,
) -> tuple[SourceRead | None, list[InputProblem]]:
    """Read one file; (result, []) or (None, every problem found). Never raises InputError."""
    with _gc_paused():
        return _read(Path(path), sheet, max_bytes, department)


@contextmanager
def _gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while a sheet is in memory as Python objects.

    A 100,000-row sheet is 100,000 row lists; every collection would walk
    them all (about a tenth of the read) and they hold no cycles to find.
    Reference counting still frees everything as usual.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
