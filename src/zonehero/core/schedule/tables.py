"""Reading a spreadsheet into raw rows: CSV (UTF-8 with or without BOM, GBK/GB18030) or xlsx/xls/ods.

Only the cells: header matching and value parsing live in ``importer``.
Rows keep their spreadsheet numbering (row ``i`` of the list is row ``i+1``
of the sheet) so every problem can name the row the user sees.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from zonehero.errors import InputError, InputProblem

SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}


@dataclass(frozen=True)
class RawTable:
    """The cells of one sheet; ``rows[i]`` is spreadsheet row ``i + 1``."""

    file: str
    sheet: str | None
    rows: list[list[Any]]


def _decode(data: bytes, file: str) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise InputError(InputProblem("无法识别文件编码（支持 UTF-8、GBK、GB18030）", file=file)) from None


def read_table(path: Path | str) -> RawTable:
    """Read the first sheet of a workbook, or a CSV file, into raw rows.

    Refuses with :class:`InputError` a file that does not exist, cannot be
    decoded, or is not a readable workbook.
    """
    p = Path(path)
    file = p.name
    if not p.is_file():
        raise InputError(InputProblem("文件不存在", file=str(path)))
    suffix = p.suffix.lower()
    if suffix in SPREADSHEET_SUFFIXES:
        from python_calamine import CalamineWorkbook

        try:
            book = CalamineWorkbook.from_path(str(p))
            if not book.sheet_names:
                raise InputError(InputProblem("工作簿中没有工作表", file=file))
            sheet = book.get_sheet_by_index(0)
            rows = [list(r) for r in sheet.to_python()]
        except InputError:
            raise
        except Exception:
            raise InputError(InputProblem("无法读取该表格文件（文件损坏或不是 Excel/ODS 格式）", file=file)) from None
        return RawTable(file, book.sheet_names[0], rows)
    if suffix in {".csv", ".txt"}:
        text = _decode(p.read_bytes(), file)
        rows = [list(r) for r in csv.reader(io.StringIO(text))]
        return RawTable(file, None, rows)
    raise InputError(
        InputProblem(f"不支持的文件类型「{suffix or '无扩展名'}」（支持 .xlsx .xls .ods .csv）", file=file)
    )
