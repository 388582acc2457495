"""A project or progress spreadsheet as raw rows, read by the one spreadsheet reader (``core.ingest.readers``).

Only the cells: header matching and value parsing live in ``importer``.
Rows keep their spreadsheet numbering (row ``i`` of the list is row ``i+1``
of the sheet) so every problem can name the row the user sees.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from zonehero.core.ingest.readers import read_sheets
from zonehero.errors import InputError, InputProblem


@dataclass(frozen=True)
class RawTable:
    """The cells of one sheet; ``rows[i]`` is spreadsheet row ``i + 1``."""

    file: str
    sheet: str | None
    rows: list[list[Any]]


def read_table(path: Path | str) -> RawTable:
    """The first sheet of a workbook, or a CSV file, as raw rows, through the one spreadsheet reader.

    :func:`zonehero.core.ingest.readers.read_sheets` does the checks every import shares (a folder, a missing,
    empty or oversized file, an unsupported type, a workbook that is really text, CSV in UTF-8/GBK/GB18030 with
    NUL and UTF-16 refused) and raises :class:`InputError` naming the file.
    """
    grid = next(iter(read_sheets(Path(path))), None)
    if grid is None:
        raise InputError(InputProblem("工作簿中没有工作表", file=Path(path).name))
    return RawTable(grid.file, grid.sheet, [list(r) for r in grid.rows])
