"""A deliberately small reader for the demo files, independent of ``zonehero.core.ingest``.

It knows only what the demo writes (one header row found by its USCC
column, an optional units row, units in brackets, thousands separators,
missing marks), so the writer tests do not depend on the importer.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import polars as pl
import python_calamine

from zonehero.core.domain.fields import FIELDS
from zonehero.core.domain.names import header_key
from zonehero.core.domain.units import unit_factor
from zonehero.core.domain.uscc import is_valid_uscc, normalise_uscc

MISSING = {"", "-", "—", "/", "无"}
_BRACKETED = re.compile(r"^(?P<base>.+)\((?P<unit>[^()]+)\)$")


def grid(path: Path) -> list[list[Any]]:
    """Cells of the first sheet (or the CSV), decoded as the writers encode them."""
    if path.suffix == ".csv":
        data = path.read_bytes()
        text = data[3:].decode("utf-8") if data.startswith(b"\xef\xbb\xbf") else data.decode("gb18030")
        return list(csv.reader(io.StringIO(text, newline="")))
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    return book.get_sheet_by_index(0).to_python(skip_empty_area=False)


def _field(text: str) -> tuple[str, str | None] | None:
    key = header_key(text)
    match = _BRACKETED.match(key)
    base, unit = (match["base"], match["unit"]) if match else (key, None)
    for f in FIELDS:
        if base in {header_key(x) for x in (f.label, *f.aliases)}:
            return f.key, unit
    return None


def _number(cell: Any) -> float | None:
    if isinstance(cell, int | float):
        return float(cell)
    text = str(cell).strip().replace(",", "")
    return None if text in MISSING else float(text)


def read_back(path: Path) -> pl.DataFrame:
    """The enterprises of one demo file: uscc plus the file's fields in canonical units (bools as 是/√ text)."""
    rows = grid(path)
    header_at = next(i for i, row in enumerate(rows) if any(_field(str(c)) == ("uscc", None) for c in row))
    header = rows[header_at]
    mapped = {c: m for c, text in enumerate(header) if (m := _field(str(text))) is not None}
    units_row = rows[header_at + 1] if str(rows[header_at + 1][0]) == "计量单位" else None
    uscc_col = next(c for c, (key, _) in mapped.items() if key == "uscc")
    records = []
    for row in rows[header_at + 1 :]:
        code = normalise_uscc(str(row[uscc_col]))
        if not is_valid_uscc(code):
            continue
        record: dict[str, Any] = {}
        for c, (key, unit) in mapped.items():
            f = next(f for f in FIELDS if f.key == key)
            unit = unit or (str(units_row[c]) if units_row is not None and units_row[c] else None)
            cell = row[c]
            if key == "uscc":
                record[key] = normalise_uscc(str(cell))
            elif f.type in {"number", "year"}:
                value = _number(cell)
                factor = unit_factor(f.dimension, unit) if unit and f.dimension else 1.0
                record[key] = None if value is None else value * factor  # type: ignore[operator]
            else:
                record[key] = None if cell == "" else str(cell)
        records.append(record)
    return pl.DataFrame(records, infer_schema_length=None)
