"""Reading a department's file into a grid of cells, whatever its format.

A grid is a list of rows exactly as the spreadsheet numbers them: ``rows[i]``
is spreadsheet row ``i + 1``, so every later message can name the row a
person sees. Excel and OpenDocument files go through python-calamine (a Rust
reader, ~1 s for 100,000 rows); CSV is decoded as UTF-8 (with or without BOM)
or GB18030, a superset of GBK, which is what Excel in China saves by default.

Every failure here is about the file as a whole, so it is raised as an
``InputError`` with one problem naming the file; the caller collects them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zonehero.core.ingest.guard import check_csv_lines, check_workbook
from zonehero.errors import InputError, InputProblem

DEFAULT_MAX_BYTES = 30 * 1024 * 1024
"""Files above this are refused before reading (a department export is a few MB)."""

EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}
CSV_SUFFIXES = {".csv", ".txt"}

_ZIP_MAGIC = b"PK\x03\x04"
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

Cell = Any
"""A cell as calamine gives it: str ('' when empty), float, int, bool, date, datetime, time or timedelta."""


@dataclass
class SheetGrid:
    """The cells of one sheet (or one CSV file), top-left cell at ``rows[0][0]`` = A1."""

    file: str
    sheet: str | None
    rows: list[list[Cell]]
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)
    """Merged ranges ((first_row, first_col), (last_row, last_col)), 0-based, when the format tells us."""
    encoding: str | None = None


def _problem(path: Path, message: str, sheet: str | None = None) -> InputError:
    return InputError(InputProblem(message, file=path.name, sheet=sheet))


def check_file(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
    """Refuse a missing, empty, oversized or unsupported file before reading a byte of it."""
    if path.is_dir():
        raise _problem(path, "这是一个文件夹，请逐个给出其中的数据文件（例如 文件夹/*.csv 文件夹/*.xlsx）")
    if not path.is_file():
        raise _problem(path, "文件不存在")
    size = path.stat().st_size
    if size > max_bytes:
        raise _problem(
            path,
            f"文件大小 {size / 1024 / 1024:.1f} MB 超过上限 {max_bytes / 1024 / 1024:.0f} MB，"
            "请删去无关的工作表或拆分后再导入",
        )
    if size == 0:
        raise _problem(path, "文件为空（0 字节）")
    suffix = path.suffix.lower()
    if suffix not in EXCEL_SUFFIXES | CSV_SUFFIXES:
        raise _problem(path, f"不支持的文件类型「{path.suffix}」，请使用 .xlsx、.xls、.ods 或 .csv")


def read_sheets(
    path: str | Path, *, sheet: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> Iterator[SheetGrid]:
    """Yield the sheets of ``path`` in workbook order, read one at a time.

    With ``sheet`` only that sheet is yielded (an error names the sheets that
    exist when it is absent). A CSV file is one grid with ``sheet=None``.
    """
    path = Path(path)
    check_file(path, max_bytes)
    if path.suffix.lower() in CSV_SUFFIXES:
        yield read_csv_grid(path)
        return
    yield from _read_workbook(path, sheet)


def decode_text(path: Path, data: bytes) -> tuple[str, str]:
    """Decode CSV bytes as UTF-8 (BOM optional) or else GB18030; return (text, encoding name).

    NUL bytes mean UTF-16 or a binary file, which neither decoder rejects on
    its own, so they are refused up front.
    """
    if b"\x00" in data[:65536]:
        raise _problem(
            path,
            "无法识别文件编码（可能是 UTF-16 或二进制文件）：请在 Excel 中另存为「CSV UTF-8」或 .xlsx 后再导入",
        )
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        raise _problem(
            path,
            f"无法识别文件编码（第 {exc.start} 字节起既不是 UTF-8 也不是 GBK/GB18030）："
            "请在 Excel 中另存为「CSV UTF-8」或 .xlsx 后再导入",
        ) from None


def _delimiter(text: str) -> str:
    """Comma unless the first lines have more tabs or semicolons (some systems export those)."""
    head = "\n".join(text.splitlines()[:10])
    counts = {",": head.count(","), "\t": head.count("\t"), ";": head.count(";")}
    return max(counts, key=lambda k: (counts[k], k == ","))


def read_csv_grid(path: Path) -> SheetGrid:
    """Read a CSV file into a grid of strings, rows padded to the same width."""
    text, encoding = decode_text(path, path.read_bytes())
    check_csv_lines(path, text)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text)))
    except csv.Error as exc:
        raise _problem(path, f"CSV 格式错误：{exc}") from None
    width = max((len(r) for r in rows), default=0)
    grid = [r + [""] * (width - len(r)) if len(r) < width else r for r in rows]
    return SheetGrid(file=path.name, sheet=None, rows=grid, encoding=encoding)


def _check_magic(path: Path) -> None:
    """An .xlsx/.ods must be a zip and an .xls an OLE2 file; say so plainly when it is not."""
    with path.open("rb") as fh:
        head = fh.read(8)
    suffix = path.suffix.lower()
    if head.startswith(_ZIP_MAGIC) or head == _OLE2_MAGIC:
        return
    looks_text = all(b >= 0x09 for b in head) if head else False
    kind = "纯文本（可能是改了扩展名的 CSV）" if looks_text else "未知格式"
    raise _problem(path, f"扩展名为 {suffix}，但文件内容不是 Excel/ODS 工作簿，而是{kind}；请用 Excel 重新保存后再导入")


def _read_workbook(path: Path, sheet: str | None) -> Iterator[SheetGrid]:
    import python_calamine as calamine

    _check_magic(path)
    check_workbook(path)  # the zip directory and the declared sheet size, before any grid is built
    try:
        workbook = calamine.CalamineWorkbook.from_path(str(path))
        names = list(workbook.sheet_names)
    except MemoryError:  # not a broken file: the caller's memory limit (the parse child's) says so
        raise
    except Exception as exc:  # calamine raises several unrelated kinds for a broken file
        raise _problem(
            path, f"无法打开工作簿：文件已损坏或不是真正的 {path.suffix} 文件（{type(exc).__name__}）"
        ) from None
    if sheet is not None:
        if sheet not in names:
            raise _problem(path, f"没有名为「{sheet}」的工作表；现有工作表：{'、'.join(names)}")
        names = [sheet]
    for name in names:
        try:
            ws = workbook.get_sheet_by_name(name)
            rows = ws.to_python(skip_empty_area=False)
            merged = ws.merged_cell_ranges or []
        except MemoryError:
            raise
        except Exception as exc:
            raise _problem(path, f"工作表无法读取：文件可能已损坏（{type(exc).__name__}）", sheet=name) from None
        yield SheetGrid(file=path.name, sheet=name, rows=rows, merged=list(merged))
