"""Which rows under a header are records, and why the others are left out (blank, 合计, notes, 栏次).

Any registry's table is classified the same way: a row with its anchor cell (the USCC of a department file, the
code of a project) is a record unless a label cell says 合计/小计/total … or the anchor cell is a note (注：, 备注,
填表人 …); a row without it is skipped when it is blank (every cell empty or a missing token such as - or 无), a
note or the 栏次 row of a statistical form, and is otherwise a record lacking its anchor, which the reader reports.
The total and note checks run vectorised; Python visits only the rows without an anchor.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl

from zonehero.core.domain.vocabulary import TOTAL_LABEL, TOTAL_WORDS, is_missing
from zonehero.core.ingest.result import SkippedRow
from zonehero.core.ingest.values import clean_text, raw_series

NOTE_LABEL = re.compile(r"^(注[:：]|注\d|说明|备注|填报人|填表人|制表|审核|数据来源|单位负责人|统计负责人|联系电话)")
_COLUMN_NUMBER_LABELS = {"甲", "乙", "丙", "丁", "戊", "己", "庚", "辛"}
_TOTAL_LETTERS = {c for word in TOTAL_WORDS for c in (*word, *word.upper())}
_TOTAL_CHARS = (
    "^[\\s\u3000:："
    + "".join(sorted({*_TOTAL_LETTERS, *(chr(ord(c) + 0xFEE0) for c in _TOTAL_LETTERS if c.isascii())}))
    + "]+$"
)
"""A cell that can be a total label once cleaned: only these characters (ASCII and full-width) and white space."""


@dataclass(frozen=True)
class RowClasses:
    """The data rows sorted out: ``keep[i]`` for a record, the skipped rows with reasons, rows lacking an anchor."""

    keep: pl.Series
    skipped: list[SkippedRow]
    lacking_anchor: list[int]
    """0-based positions (in the data rows) of rows with content but no anchor."""


def to_columns(data: list[list[Any]]) -> list[Sequence[Any]]:
    """The data rows turned into columns, in one pass (rows shorter than the longest are padded with '')."""
    if not data:
        return []
    width = max(map(len, data))
    if min(map(len, data)) < width:
        data = [row + [""] * (width - len(row)) if len(row) < width else row for row in data]
    return list(zip(*data, strict=True))


def _is_blank(cell: Any) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _column_number_row(row: list[Any]) -> bool:
    """A 栏次 row under the header: 甲 乙 1 2 3 … (statistical forms number their columns)."""
    cells = [str(c).strip() for c in row if not _is_blank(c)]
    if not cells:
        return False
    return all(c in _COLUMN_NUMBER_LABELS or re.fullmatch(r"\d{1,2}(\.0)?", c) for c in cells)


def total_rows(cells: Sequence[Any]) -> pl.Series:
    """Where a label cell says 合计/总计/小计/total … (after clean-up); never null.

    Only cells made of nothing but the letters of those labels, colons and
    white space (in any width) can match, so the clean-up runs on those alone.
    """
    raw = raw_series(cells)
    if raw.dtype != pl.String:
        return pl.repeat(False, len(raw), dtype=pl.Boolean, eager=True)
    candidate = raw.str.contains(_TOTAL_CHARS).fill_null(False)
    total = pl.repeat(False, len(raw), dtype=pl.Boolean, eager=True)
    if not candidate.any():
        return total
    index = candidate.arg_true()
    text = clean_text(raw.gather(index)).str.to_lowercase()
    return total.scatter(index, text.str.contains(TOTAL_LABEL).fill_null(False))


def classify_rows(
    data: list[list[Any]],
    columns: list[Sequence[Any]],
    first_line: int,
    label_columns: Collection[int],
    anchors: pl.Series,
) -> RowClasses:
    """Sort the data rows (spreadsheet row ``first_line`` onwards) by their ``anchors`` (null where absent).

    A 合计 label is looked for in ``label_columns`` (the first three columns and the registry's identity columns).
    """
    n = len(data)
    total = pl.Series([False] * n, dtype=pl.Boolean)
    for c in sorted(label_columns):
        if c < len(columns):
            total = total | total_rows(columns[c])
    note = anchors.cast(pl.String).str.contains(NOTE_LABEL.pattern).fill_null(False) & ~total
    keep = anchors.is_not_null() & ~total & ~note
    skipped = [SkippedRow(first_line + int(i), "合计/小计行") for i in total.arg_true().to_list()]
    skipped += [SkippedRow(first_line + int(i), "表尾说明") for i in note.arg_true().to_list()]
    lacking: list[int] = []
    for i in (anchors.is_null() & ~total).arg_true().to_list():
        row = data[i]
        cells = [c for c in row if not is_missing(c)]
        if not cells:
            skipped.append(SkippedRow(first_line + i, "空行"))
        elif isinstance(cells[0], str) and NOTE_LABEL.match(cells[0].strip()):
            skipped.append(SkippedRow(first_line + i, "表尾说明"))
        elif i == 0 and _column_number_row(row):
            skipped.append(SkippedRow(first_line + i, "栏次行"))
        else:
            lacking.append(i)
    skipped.sort(key=lambda s: s.row)
    return RowClasses(keep, skipped, lacking)
