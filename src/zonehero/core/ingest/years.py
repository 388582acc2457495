"""Years a department file names for itself (文件年度), in its file name or its title rows.

A tax office's export is called 税务局_2024年度纳税情况.csv and its first row says "2024年度纳税情况"; when the
user imports it as 2025, the figures of one year would silently become another's. The importer reads those years so
the import can ask before it writes (a warning to confirm, never a refusal: a file may be named after the year it was
sent, not the year it is about).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import PurePath
from typing import Any

YEAR_PATTERN = re.compile(r"(?<![0-9])(20[0-9]{2})(?![0-9])")
"""A year 2000–2099 standing alone: 2024, 2024年, tax_2024.csv; not 20240131 (a date) nor 120240 (a code)."""

TITLE_LIMIT = 200
"""Characters of title text kept (a title row is a sentence, not a table)."""


def years_in(text: str | None) -> list[int]:
    """The years ``text`` names, each once, in order of appearance."""
    found: list[int] = []
    for match in YEAR_PATTERN.finditer(text or ""):
        year = int(match.group(1))
        if year not in found:
            found.append(year)
    return found


def file_stem(name: str) -> str:
    """The file name without its folder and suffix (税务局_2024年度纳税情况)."""
    return PurePath(name).stem


def title_text(rows: Sequence[Sequence[Any]], header_row: int) -> str | None:
    """The text of the rows above the header (0-based ``header_row``), cells joined by spaces; None when empty."""
    cells: Iterable[Any] = (cell for row in rows[: max(0, header_row)] for cell in row)
    text = " ".join(str(c).strip() for c in cells if c is not None and str(c).strip())
    return text[:TITLE_LIMIT] or None
