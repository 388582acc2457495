"""Reading one cell as a date or a month, in the forms Chinese spreadsheets write them.

A date cell, an Excel serial (45717), ``2025-03-01``, ``2025/3/1``, ``2025.3.1``, ``2025年3月1日``,
``20250301``, full-width digits, a trailing ``00:00:00``; a month as ``2025-03``, ``2025/3``, ``2025年3月``,
``202503`` or any date. Cell by cell rather than vectorised: date columns live in project and progress files
(hundreds of rows), and each form is clearer as a pattern than as a Polars expression. The column parsers in
:mod:`zonehero.core.ingest.values` call these and word the problems.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any

from zonehero.core.domain.names import to_halfwidth
from zonehero.core.domain.vocabulary import is_missing

EXCEL_EPOCH = date(1899, 12, 30)
# Serial numbers accepted as dates: 1950-01-01 … 2100-12-31. A bare 2025 is a year, not a date.
_SERIAL_MIN = (date(1950, 1, 1) - EXCEL_EPOCH).days
_SERIAL_MAX = (date(2100, 12, 31) - EXCEL_EPOCH).days

_DATE_PATTERNS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)
_MONTH_PATTERNS = (
    re.compile(r"^(\d{4})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月?$"),
    re.compile(r"^(\d{4})(\d{2})$"),
)
_TIME_OF_DAY = re.compile(r"(T|\s*)\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")

DATE_FORMS = "2025-03-01、2025/3/1 或 2025年3月1日"
MONTH_FORMS = "2025-03 或 2025年3月"


def _clean(value: Any) -> str:
    return re.sub(r"\s+", "", to_halfwidth(str(value)))


def _from_serial(number: float, original: Any) -> date:
    if not number.is_integer() or not _SERIAL_MIN <= number <= _SERIAL_MAX:
        raise ValueError(f"「{original}」不是日期")
    return EXCEL_EPOCH + timedelta(days=int(number))


def date_of(value: Any) -> date | None:
    """The date a cell holds; None for an empty cell or a missing token; ValueError (Chinese) otherwise."""
    if is_missing(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise ValueError(f"「{value}」不是日期")
    if isinstance(value, int | float):
        return _from_serial(float(value), value)
    text = _TIME_OF_DAY.sub("", _clean(value))  # "2025-03-01 00:00:00" keeps its date
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            y, m, d = (int(g) for g in match.groups())
            try:
                return date(y, m, d)
            except ValueError:
                raise ValueError(f"「{value}」不是有效日期") from None
    if re.fullmatch(r"\d+(\.0+)?", text) and len(text.split(".")[0]) == 5:
        return _from_serial(float(text), value)
    raise ValueError(f"「{value}」不是日期（应为 {DATE_FORMS}）")


def month_of(value: Any) -> date | None:
    """The month a cell holds, as its first day; None for an empty cell or a missing token; ValueError otherwise."""
    if is_missing(value):
        return None
    if isinstance(value, str):
        text = _clean(value)
        for pattern in _MONTH_PATTERNS:
            match = pattern.match(text)
            if match:
                y, m = (int(g) for g in match.groups())
                if not 1 <= m <= 12:
                    raise ValueError(f"「{value}」不是有效月份")
                return date(y, m, 1)
    try:
        day = date_of(value)
    except ValueError:
        raise ValueError(f"「{value}」不是月份（应为 {MONTH_FORMS}）") from None
    assert day is not None
    return day.replace(day=1)
