"""The one rule for exported cells: text a spreadsheet would run gets an apostrophe, numbers stay numbers."""

from __future__ import annotations

import io

import openpyxl
import polars as pl
import pytest

from zonehero.reports.safe_cells import (
    FORMULA_TRIGGERS,
    neutralise,
    safe_cell,
    safe_frame,
    safe_row,
    safe_workbook,
)

HOSTILE = ['=HYPERLINK("http://x","y")', "=cmd|' /C calc'!A0", "+1", "-2", "@SUM(A1)", "\t=1+1", "\r=1+1"]


@pytest.mark.parametrize("text", HOSTILE)
def test_text_a_spreadsheet_would_run_gets_the_apostrophe(text: str) -> None:
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("text", ["江西鑫通机械有限公司", "", "'=already text", "1+1", "a=b", "http://x.cn", "—"])
def test_other_text_is_left_as_it_is(text: str) -> None:
    assert neutralise(text) == text


def test_numbers_dates_and_blanks_pass_through() -> None:
    from datetime import date

    assert safe_row([-5.0, -2, None, date(2026, 1, 1), True, "-2"]) == [-5.0, -2, None, date(2026, 1, 1), True, "'-2"]
    assert safe_cell(-5.0) == -5.0


def test_a_frame_has_its_text_columns_neutralised_and_its_numbers_kept() -> None:
    frame = pl.DataFrame(
        {
            "name": ["=1+1", "甲公司", None],
            "grade": pl.Series(["-", "A", "B"], dtype=pl.Categorical),
            "tax": [-5.0, 1.0, None],
        }
    )
    safe = safe_frame(frame)
    assert safe["name"].to_list() == ["'=1+1", "甲公司", None]
    assert safe["grade"].to_list() == ["'-", "A", "B"]
    assert safe["tax"].to_list() == [-5.0, 1.0, None]
    assert safe.schema["tax"] == pl.Float64


def _cells(data: bytes) -> dict[str, tuple[str, object]]:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    return {c.coordinate: (c.data_type, c.value) for row in sheet.iter_rows() for c in row if c.value is not None}


def test_every_way_of_writing_a_string_cell_is_neutralised() -> None:
    """If a future XlsxWriter sends a write method around ``_write_string``, this fails."""
    buffer = io.BytesIO()
    book = safe_workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("s")
    sheet.write(0, 0, HOSTILE[0])
    sheet.write_string(1, 0, HOSTILE[1])
    sheet.write("A3", HOSTILE[2])
    sheet.write_row(3, 0, [HOSTILE[3], -5.0])
    sheet.write_column(4, 0, [HOSTILE[4]])
    sheet.merge_range(5, 0, 5, 2, HOSTILE[5])
    sheet.write(6, 0, "http://x.example/")
    sheet.write(7, 0, "12.5")
    book.close()
    cells = _cells(buffer.getvalue())
    assert cells == {
        "A1": ("s", "'" + HOSTILE[0]),
        "A2": ("s", "'" + HOSTILE[1]),
        "A3": ("s", "'+1"),
        "A4": ("s", "'-2"),
        "B4": ("n", -5),
        "A5": ("s", "'@SUM(A1)"),
        "A6": ("s", "'" + HOSTILE[5]),
        "A7": ("s", "http://x.example/"),
        "A8": ("s", "12.5"),
    }
    assert not any(isinstance(v, str) and v.startswith(FORMULA_TRIGGERS) for _, v in cells.values())


def test_a_writer_cannot_turn_the_guessing_back_on() -> None:
    buffer = io.BytesIO()
    book = safe_workbook(buffer, {"in_memory": True, "strings_to_formulas": True, "strings_to_urls": True})
    book.add_worksheet("s").write(0, 0, "=1+1")
    book.close()
    assert _cells(buffer.getvalue()) == {"A1": ("s", "'=1+1")}
