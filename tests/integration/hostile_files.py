"""The three hostile spreadsheets of the service issue, built small on disk (1.6 KB to 1.6 MB) in the test.

- a sheet whose only cells are A1 and XFD1048576: a reader allocates a 17-billion-cell grid (512 GiB);
- a zip bomb: 3,000,000 rows of one repeated cell, a part with a compression ratio in the hundreds;
- a cell at Z1048576: a 27-million-cell grid that stalls a reader for 16-23 s.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import xlsxwriter

BOMB_ROWS = 3_000_000
_BOMB_ROW = b'<row><c t="inlineStr"><is><t>9135010000000000XX</t></is></c></row>'


def corner_cells(path: Path, last: tuple[int, int]) -> Path:
    """A workbook with a header cell at A1 and one cell at ``last`` (0-based row, column)."""
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("纳税情况")
    sheet.write(0, 0, "统一社会信用代码")
    sheet.write(last[0], last[1], "x")
    book.close()
    return path


def xfd_corner(folder: Path) -> Path:
    return corner_cells(folder / "角落XFD.xlsx", (1_048_575, 16_383))


def z_corner(folder: Path) -> Path:
    return corner_cells(folder / "z列.xlsx", (1_048_575, 25))


def zip_bomb(folder: Path, rows: int = BOMB_ROWS) -> Path:
    """A valid xlsx whose one sheet holds ``rows`` identical rows (no <dimension>: only the zip directory tells)."""
    good = corner_cells(folder / "模板.xlsx", (1, 1))
    bomb = folder / "炸弹.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as out:
        for item in src.infolist():
            if item.filename != "xl/worksheets/sheet1.xml":
                out.writestr(item.filename, src.read(item.filename))
                continue
            with out.open(item.filename, "w") as part:
                part.write(b'<?xml version="1.0"?><worksheet><sheetData>')
                chunk = _BOMB_ROW * 10_000
                for _ in range(rows // 10_000):
                    part.write(chunk)
                part.write(b"</sheetData></worksheet>")
    good.unlink()
    return bomb
