"""What a spreadsheet claims, checked before it is parsed (文件安全检查): files come from outside the bureau.

A 1.6 KB xlsx whose only cells are A1 and XFD1048576 makes a reader allocate a 17-billion-cell grid; a zip of
1.6 MB can unpack to gigabytes; a CSV can hold millions of lines. Each is refused here from the zip directory and
the sheet's declared dimension, or the CSV's size and line count, before any grid is built. The limits are the
process's (:func:`use_limits`, installed by the edges from ``Settings``); the defaults are generous for a province.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from zonehero.errors import InputError, InputProblem

_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')
_SHEET_PART = re.compile(r"^xl/worksheets/sheet\d+\.xml$")
DIMENSION_PEEK_BYTES = 4096
"""The <dimension> element sits at the top of a sheet part; no more of it is inflated to find it."""


@dataclass(frozen=True)
class ReadLimits:
    """How large a spreadsheet may be, as the importer reads it."""

    max_rows: int = 1_000_000
    max_cells: int = 20_000_000
    max_uncompressed_bytes: int = 512 * 1024 * 1024
    """The sum of a workbook's parts once unzipped."""
    max_compression_ratio: float = 200.0
    """Uncompressed / compressed size of a workbook part; real sheets stay far below it, zip bombs far above."""


_limits: list[ReadLimits] = [ReadLimits()]


def use_limits(limits: ReadLimits) -> None:
    """Install the limits of this process (the edges do this from ``Settings``)."""
    _limits[0] = limits


def current_limits() -> ReadLimits:
    return _limits[0]


def _refuse(path: Path, message: str, sheet: str | None = None) -> InputError:
    return InputError(InputProblem(f"{message}；文件已拒绝，未导入任何数据", file=path.name, sheet=sheet))


def _column_number(letters: bytes) -> int:
    number = 0
    for c in letters.decode():
        number = number * 26 + (ord(c) - 64)
    return number


def check_workbook(path: Path) -> None:
    """Refuse an xlsx/ods whose zip directory or declared sheet size passes the limits (before calamine sees it)."""
    limits = current_limits()
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        return  # an .xls (OLE2) or a broken file: the reader reports it
    with archive:
        members = archive.infolist()
        unpacked = sum(m.file_size for m in members)
        if unpacked > limits.max_uncompressed_bytes:
            mib, limit_mib = unpacked / 1024 / 1024, limits.max_uncompressed_bytes / 1024 / 1024
            raise _refuse(path, f"解压后共 {mib:,.0f} MB，超过上限 {limit_mib:,.0f} MB（可能是压缩炸弹）")
        for m in members:
            if m.compress_size and m.file_size / m.compress_size > limits.max_compression_ratio:
                raise _refuse(
                    path,
                    f"文件内的 {m.filename} 压缩比 {m.file_size / m.compress_size:,.0f} 倍，超过上限 "
                    f"{limits.max_compression_ratio:,.0f} 倍（可能是压缩炸弹）",
                )
        for m in members:
            if not _SHEET_PART.match(m.filename):
                continue
            with archive.open(m) as part:
                head = part.read(DIMENSION_PEEK_BYTES)
            found = _DIMENSION.search(head)
            if not found:
                continue
            last_col, last_row = found.group(3) or found.group(1), found.group(4) or found.group(2)
            rows, cols = int(last_row), _column_number(last_col)
            where = f"工作表范围到 {last_col.decode()}{rows}"
            if rows > limits.max_rows:
                raise _refuse(path, f"{where}，共 {rows:,} 行，超过上限 {limits.max_rows:,} 行")
            if rows * cols > limits.max_cells:
                raise _refuse(path, f"{where}，共 {rows * cols:,} 个单元格，超过上限 {limits.max_cells:,} 个")


def check_csv_lines(path: Path, text: str) -> None:
    """Refuse a CSV with more lines than the row limit (its size was checked before it was read)."""
    limits = current_limits()
    lines = text.count("\n")
    if lines > limits.max_rows:
        raise _refuse(path, f"共 {lines:,} 行，超过上限 {limits.max_rows:,} 行")
