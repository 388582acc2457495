"""The cultivation supplement (梯度培育补充表): columns the department files and field registry do not carry.

Three optional columns keyed by 统一社会信用代码: ``quality_tier`` (质量梯度 as
recognised, e.g. 创新型中小企业 or 单项冠军), ``invention_patents`` (发明专利数,
件) and ``champion_candidate`` (单项冠军申报, 是/否). Read with the importer's
readers and cell parsers, so the same spellings, encodings and check digits
are accepted; every problem is reported with file, row and column.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import polars as pl

from zonehero.core.domain.fields import Field
from zonehero.core.domain.names import header_key
from zonehero.core.ingest.headers import match_header
from zonehero.core.ingest.readers import SheetGrid, read_sheets
from zonehero.core.ingest.values import normalise_uscc_series, parse_bool, parse_number, parse_text, uscc_problems
from zonehero.errors import InputError, InputProblem

SUPPLEMENT_FIELDS: tuple[Field, ...] = (
    Field(
        "quality_tier",
        "质量梯度",
        "text",
        aliases=("梯度层级", "企业梯度", "优质中小企业梯度", "已认定梯度", "quality_tier"),
    ),
    Field(
        "invention_patents",
        "发明专利数",
        "number",
        aliases=("有效发明专利数", "发明专利", "发明专利数量", "invention_patents"),
        nonnegative=True,
    ),
    Field(
        "champion_candidate",
        "单项冠军申报",
        "bool",
        aliases=("单项冠军培育", "单项冠军候选", "申报单项冠军", "champion_candidate"),
    ),
)
HEADER_SEARCH_ROWS = 10
_UNIT_SUFFIX = re.compile(r"\((件|项|个)\)$")


def _field_for(header: Any) -> Field | None:
    if not isinstance(header, str) or not header.strip():
        return None
    key = _UNIT_SUFFIX.sub("", header_key(header))
    for f in SUPPLEMENT_FIELDS:
        if key in {header_key(f.label), *(header_key(a) for a in f.aliases)}:
            return f
    return None


def _is_uscc_header(cell: Any) -> bool:
    match = match_header(cell)
    return match is not None and match.field == "uscc"


def parse_supplement(grid: SheetGrid) -> pl.DataFrame:
    """uscc plus the supplement columns found in ``grid``; InputError with every problem."""

    def problem(message: str, row: int | None = None, column: str | None = None) -> InputProblem:
        return InputProblem(message, file=grid.file, sheet=grid.sheet, row=row, column=column)

    header_row = next(
        (i for i, row in enumerate(grid.rows[:HEADER_SEARCH_ROWS]) if any(_is_uscc_header(c) for c in row)), None
    )
    if header_row is None:
        raise InputError(problem("前 10 行中没有「统一社会信用代码」列"))
    header = grid.rows[header_row]
    uscc_col = next(c for c, cell in enumerate(header) if _is_uscc_header(cell))
    columns = {c: f for c, cell in enumerate(header) if (f := _field_for(cell)) is not None}
    if not columns:
        names = "、".join(f.label for f in SUPPLEMENT_FIELDS)
        raise InputError(problem(f"没有可识别的补充列；可用：{names}", row=header_row + 1))
    body = [(header_row + 2 + i, row) for i, row in enumerate(grid.rows[header_row + 1 :])]
    body = [(n, row) for n, row in body if uscc_col < len(row) and str(row[uscc_col]).strip()]
    numbers = [n for n, _ in body]

    def cells(c: int) -> list[Any]:
        return [row[c] if c < len(row) else "" for _, row in body]

    problems: list[InputProblem] = []
    codes = normalise_uscc_series(cells(uscc_col))
    for i, message in uscc_problems(codes):
        problems.append(problem(message, row=numbers[i], column=str(header[uscc_col])))
    seen: dict[str, int] = {}
    for i, code in enumerate(codes.to_list()):
        if code is not None and code in seen:
            problems.append(
                problem(f"统一社会信用代码与第 {seen[code]} 行重复", row=numbers[i], column=str(header[uscc_col]))
            )
        elif code is not None:
            seen[code] = numbers[i]
    series = [codes]
    for c, f in columns.items():
        parser = {"number": parse_number, "bool": parse_bool}.get(f.type, parse_text)
        values, cell_problems = parser(cells(c), f)
        series.append(values)
        problems += [problem(m, row=numbers[i], column=str(header[c])) for i, m in cell_problems]
    if problems:
        raise InputError(problems)
    return pl.DataFrame(series)


def read_supplement(path: str | Path, *, sheet: str | None = None) -> pl.DataFrame:
    """Read a supplement file (CSV/xlsx/xls/ods): the first sheet, or ``sheet``."""
    grid = next(iter(read_sheets(path, sheet=sheet)), None)
    if grid is None:
        raise InputError(InputProblem("文件中没有工作表", file=Path(path).name))
    return parse_supplement(grid)


def attach_supplement(frame: pl.DataFrame, supplement: pl.DataFrame) -> tuple[pl.DataFrame, list[str]]:
    """``frame`` with the supplement's columns joined by uscc, and the supplement USCCs ``frame`` lacks."""
    unmatched = supplement.join(frame.select("uscc"), on="uscc", how="anti")["uscc"].to_list()
    extra = [c for c in supplement.columns if c != "uscc"]
    joined = frame.drop([c for c in extra if c in frame.columns]).join(supplement, on="uscc", how="left")
    return joined, unmatched
