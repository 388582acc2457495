"""Reading one department file into canonical columns, collecting every problem in it.

The steps: read the grid, choose the sheet (by name, else the first with a
header), find the header and units rows, skip blank / 合计 / note rows,
parse each mapped column, check the USCCs and duplicates. Problems are
collected, never raised one at a time, so a user fixes a file in one pass.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import polars as pl

from zonehero.core.domain.fields import ENTERPRISE_REGISTRY
from zonehero.core.ingest.readers import DEFAULT_MAX_BYTES
from zonehero.core.ingest.result import SourceInfo, SourceRead
from zonehero.core.ingest.table import read_table
from zonehero.core.ingest.years import title_text
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


def department_for(path: str | Path) -> str:
    """The department a file comes from, guessed from keywords in its name; 其他 when none fits."""
    name = Path(path).name.lower()
    for department, keywords in DEPARTMENT_KEYWORDS:
        if any(k in name for k in keywords):
            return department
    return OTHER_DEPARTMENT


def _read(
    path: Path, sheet: str | None, max_bytes: int, department: str | None
) -> tuple[SourceRead | None, list[InputProblem]]:
    try:
        table = read_table(path, ENTERPRISE_REGISTRY, sheet=sheet, max_bytes=max_bytes)
    except InputError as exc:
        return None, exc.problems
    layout = table.layout
    problems = table.problems
    if table.rows.is_empty() and not table.lacking_anchor:
        problems.append(table.problem(f"表头（第 {layout.header_row + 1} 行）下没有数据行", layout.header_row + 1))
    problems += _duplicate_problems(table.columns["uscc"], table.rows, table.file, table.sheet, table.header("uscc"))
    if problems:
        return None, problems
    frame = pl.DataFrame(table.columns)
    info = SourceInfo(
        path=str(path),
        file=table.file,
        department=department or department_for(path),
        sheet=table.sheet,
        header_row=layout.header_row + 1,
        units_row=layout.units_row + 1 if layout.units_row is not None else None,
        data_rows=frame.height,
        columns=layout.columns,
        skipped=table.skipped,
        ignored_columns=layout.ignored,
        encoding=table.grid.encoding,
        title=title_text(table.grid.rows, layout.header_row),
    )
    return SourceRead(frame=frame, rows=table.rows, info=info, warnings=table.warnings), []


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
