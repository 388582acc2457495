"""The cultivation supplement (梯度培育补充表): columns the department files and field registry do not carry.

Three optional columns keyed by 统一社会信用代码: ``quality_tier`` (质量梯度 as
recognised, e.g. 创新型中小企业 or 单项冠军), ``invention_patents`` (发明专利数,
件) and ``champion_candidate`` (单项冠军申报, 是/否). A registry read by the one
spreadsheet reader (:mod:`zonehero.core.ingest.table`), so the same spellings,
encodings, title and 合计 rows and check digits are accepted as in a
department's file; every problem is reported with file, row and column.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from zonehero.core.domain.fields import FIELDS_BY_KEY, Field
from zonehero.core.domain.registry import Registry
from zonehero.core.ingest.readers import SheetGrid, read_sheets
from zonehero.core.ingest.table import Table, read_sheet
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

SUPPLEMENT_REGISTRY = Registry(
    "梯度培育补充表", (FIELDS_BY_KEY["uscc"], *SUPPLEMENT_FIELDS), anchor="uscc", identity=("uscc",)
)
"""One enterprise a row, keyed by its USCC, as in a department's file."""


def _duplicates(table: Table) -> list[InputProblem]:
    seen: dict[str, int] = {}
    problems = []
    for row, code in zip(table.rows.to_list(), table.columns["uscc"].to_list(), strict=True):
        if code is not None and code in seen:
            problems.append(table.problem(f"统一社会信用代码与第 {seen[code]} 行重复", row, "uscc"))
        elif code is not None:
            seen[code] = row
    return problems


def parse_supplement(grid: SheetGrid) -> pl.DataFrame:
    """uscc plus the supplement columns found in ``grid``; InputError with every problem."""
    table = read_sheet(grid, SUPPLEMENT_REGISTRY)
    if len(table.columns) == 1:
        names = "、".join(f.label for f in SUPPLEMENT_FIELDS)
        raise InputError(table.problem(f"没有可识别的补充列；可用：{names}", table.layout.header_row + 1))
    problems = table.problems + _duplicates(table)
    if problems:
        raise InputError(problems)
    return pl.DataFrame(table.columns)


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
