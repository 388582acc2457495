"""Hostile spreadsheets are refused from what they claim, before a grid is built, naming the file and the limit.

The three files of the service issue: a 1.6 KB xlsx with cells only at A1 and XFD1048576 (a 17-billion-cell grid),
a zip bomb (a small xlsx whose sheet unpacks to tens of megabytes of repeated rows), and a sheet reaching Z1048576.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import xlsxwriter
from hostile_files import corner_cells

from zonehero.core.ingest import read_source
from zonehero.core.ingest.guard import ReadLimits, current_limits, use_limits
from zonehero.errors import InputError


@pytest.fixture(autouse=True)
def _default_limits() -> Iterator[None]:
    before = current_limits()
    use_limits(ReadLimits())
    yield
    use_limits(before)


def _refusal(path: Path) -> str:
    with pytest.raises(InputError) as caught:
        read_source(path)
    problem = caught.value.problems[0]
    assert problem.file == path.name
    return problem.message


def test_a_sheet_reaching_xfd1048576_is_refused(tmp_path: Path) -> None:
    path = corner_cells(tmp_path / "角落.xlsx", (1_048_575, 16_383))
    assert path.stat().st_size < 10_000
    message = _refusal(path)
    assert "XFD1048576" in message and "1,000,000 行" in message


def test_a_sheet_reaching_z1048576_is_refused(tmp_path: Path) -> None:
    message = _refusal(corner_cells(tmp_path / "z列.xlsx", (1_048_575, 25)))
    assert "Z1048576" in message and "超过上限" in message


def test_too_many_cells_within_the_row_limit_is_refused(tmp_path: Path) -> None:
    use_limits(ReadLimits(max_rows=1_000_000, max_cells=1_000_000))
    message = _refusal(corner_cells(tmp_path / "宽表.xlsx", (99_999, 99)))
    assert "10,000,000 个单元格" in message


def test_a_zip_bomb_is_refused_from_its_directory(tmp_path: Path) -> None:
    good = corner_cells(tmp_path / "good.xlsx", (1, 1))
    bomb = tmp_path / "炸弹.xlsx"
    row = '<row><c t="inlineStr"><is><t>9135010000000000XX</t></is></c></row>'
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as out:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = (
                    b'<?xml version="1.0"?><worksheet><sheetData>'
                    + row.encode() * 500_000
                    + b"</sheetData></worksheet>"
                )
            out.writestr(item.filename, data)
    assert bomb.stat().st_size < 2_000_000
    message = _refusal(bomb)
    assert "压缩炸弹" in message


def test_a_csv_with_too_many_lines_is_refused(tmp_path: Path) -> None:
    use_limits(ReadLimits(max_rows=1_000))
    path = tmp_path / "税务局.csv"
    path.write_text("统一社会信用代码,实缴税金\n" + "91350100M000100Y43,1\n" * 2_000, encoding="utf-8")
    assert "超过上限 1,000 行" in _refusal(path)


def test_an_ordinary_workbook_passes(tmp_path: Path) -> None:
    path = tmp_path / "税务局.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["统一社会信用代码", "纳税人名称", "实缴税金（元）"])
    sheet.write_row(1, 0, ["91350100M000100Y43", "甲企业", 1000.0])
    book.close()
    assert read_source(path).frame.height == 1
