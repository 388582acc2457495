"""Reading one department file into canonical columns, collecting every problem in it.

The steps: read the grid, choose the sheet (by name, else the first with a
header), find the header and units rows, skip blank / 合计 / note rows,
parse each mapped column, check the USCCs and duplicates. Problems are
collected, never raised one at a time, so a user fixes a file in one pass.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import polars as pl

from zonehero.domain.fields import FIELDS, FIELDS_BY_KEY
from zonehero.errors import InputError, InputProblem
from zonehero.ingest.headers import HeaderLayout, LayoutProblem, detect_layout, missing_header_problems
from zonehero.ingest.readers import DEFAULT_MAX_BYTES, SheetGrid, read_sheets
from zonehero.ingest.result import SkippedRow, SourceInfo, SourceRead
from zonehero.ingest.values import clean_text, normalise_uscc_series, parse_column, raw_series, uscc_problems

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

_TOTAL_LABEL = r"^(合计|总计|小计|总合计|全部合计|累计|total|subtotal|sum)[:：]?$"
_NOTE_LABEL = re.compile(r"^(注[:：]|注\d|说明|备注|填报人|填表人|制表|审核|数据来源|单位负责人|统计负责人|联系电话)")
_COLUMN_NUMBER_LABELS = {"甲", "乙", "丙", "丁", "戊", "己", "庚", "辛"}


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


def _classify(
    data: list[list[Any]], first_line: int, layout: HeaderLayout, codes: pl.Series
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
        if data and c < len(data[0]):
            text = clean_text(raw_series([row[c] for row in data]))
            total = total | text.str.to_lowercase().str.contains(_TOTAL_LABEL).fill_null(False)
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
    uscc_col = layout.column_for("uscc")
    assert uscc_col is not None
    codes = normalise_uscc_series([row[uscc_col.index] for row in data])
    keep, skipped, missing = _classify(data, first_line, layout, codes)
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
        values, cell_problems = parse_column([row[mapping.index] for row in data], f, mapping.factor)
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
    return _read(Path(path), sheet, max_bytes, department)
