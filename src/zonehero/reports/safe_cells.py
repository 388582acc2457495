"""Cells a spreadsheet cannot run (公式注入防护): the one rule every CSV and xlsx writer applies.

An enterprise name, a progress note or a user name typed as ``=HYPERLINK(...)`` or ``=cmd|' /C calc'!A0``
must arrive in an exported file as the text it was. Excel, WPS and LibreOffice treat a cell that starts
with ``=``, ``+``, ``-`` or ``@`` (and, after a tab or carriage return, the text behind it) as a formula
when a CSV is opened or an xlsx cell is edited, so such text is written with a leading apostrophe, the
mark spreadsheet programs themselves use for "this is text" (OWASP's CSV-injection advice). Numbers are
never touched: a figure of -5.0 is written as a number and stays one.

:func:`safe_workbook` is the XlsxWriter workbook every writer uses: it turns XlsxWriter's own string
guessing off (``strings_to_formulas``, ``strings_to_urls``, ``strings_to_numbers``) and neutralises every
string that reaches a cell, whichever ``write*`` method put it there.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import IO, Any, TypeVar

import polars as pl
import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

FORMULA_TRIGGERS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet program read a cell as a formula (or hide one behind them)."""

TEXT_MARK = "'"
"""Put in front of such text so the cell stays text."""

_TRIGGER_PATTERN = "^[" + "".join(re.escape(c) for c in FORMULA_TRIGGERS) + "]"

SAFE_WORKBOOK_OPTIONS: dict[str, bool] = {
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}
"""XlsxWriter options that stop ``write()`` from turning a string into a formula, a link or a number."""

T = TypeVar("T")


def neutralise(text: str) -> str:
    """``text`` with the apostrophe in front when a spreadsheet would otherwise run it."""
    return TEXT_MARK + text if text.startswith(FORMULA_TRIGGERS) else text


def safe_cell(value: T) -> T | str:
    """A cell value ready for a CSV or xlsx: strings neutralised, numbers, dates and blanks as they are."""
    return neutralise(value) if isinstance(value, str) else value


def safe_row(values: Iterable[Any]) -> list[Any]:
    """:func:`safe_cell` over one row (for ``csv.writer.writerow``)."""
    return [safe_cell(v) for v in values]


def safe_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """The frame with every text column neutralised (for ``DataFrame.write_csv``); numeric columns untouched."""
    texts = [name for name, dtype in frame.schema.items() if dtype in (pl.String, pl.Categorical, pl.Enum)]
    if not texts:
        return frame
    return frame.with_columns(
        pl.when(pl.col(name).cast(pl.String).str.contains(_TRIGGER_PATTERN))
        .then(pl.concat_str(pl.lit(TEXT_MARK), pl.col(name).cast(pl.String)))
        .otherwise(pl.col(name).cast(pl.String))
        .alias(name)
        for name in texts
    )


class SafeWorksheet(Worksheet):
    """A worksheet whose every string cell is neutralised.

    ``write``, ``write_row``, ``write_column``, ``write_string`` and ``merge_range`` all end in
    ``_write_string`` (XlsxWriter 3.3, pinned), so neutralising there covers every way a writer puts
    text in a cell; ``tests/unit/reports/test_safe_cells.py`` fails if a path goes around it.
    """

    def _write_string(self, row: int, col: int, string: str, cell_format: Format | None = None) -> Any:
        return super()._write_string(row, col, neutralise(string), cell_format)


class SafeWorkbook(xlsxwriter.Workbook):
    """An XlsxWriter workbook of :class:`SafeWorksheet` sheets."""

    worksheet_class = SafeWorksheet


def safe_workbook(target: str | IO[bytes], options: dict[str, Any] | None = None) -> SafeWorkbook:
    """A workbook for ``target`` (a path or a binary stream) that writes no formula it was not asked to."""
    return SafeWorkbook(target, {**(options or {}), **SAFE_WORKBOOK_OPTIONS})
