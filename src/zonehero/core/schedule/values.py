"""Parsing cell values of the project and progress spreadsheets: dates, months, numbers, text.

Each parser returns the value or raises :class:`ValueError` with a Chinese
message; the importer turns that into a located problem.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any

from zonehero.core.domain.names import to_halfwidth
from zonehero.core.domain.vocabulary import BOOL_VALUES, MISSING_TOKENS

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


def is_missing(value: Any) -> bool:
    """Empty cells and the usual placeholders (-, —, /, 无) mean no value."""
    if value is None:
        return True
    if isinstance(value, str):
        return to_halfwidth(value).strip().lower() in MISSING_TOKENS
    return False


def _clean(value: Any) -> str:
    return re.sub(r"\s+", "", to_halfwidth(str(value)))


def parse_text(value: Any) -> str | None:
    """Text as given (trimmed); a whole number read from a cell loses its ``.0``."""
    if is_missing(value):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def parse_number(value: Any) -> float | None:
    """A number: accepts thousands separators, full-width digits, spaces; placeholders are None."""
    if is_missing(value):
        return None
    if isinstance(value, bool):
        raise ValueError(f"「{value}」不是数字")
    if isinstance(value, int | float):
        return float(value)
    text = _clean(value).replace(",", "")
    try:
        return float(text)
    except ValueError:
        raise ValueError(f"「{value}」不是数字") from None


def parse_percent(value: Any) -> float | None:
    """A percentage 0-100; accepts ``35``, ``35%``; a fraction cell formatted as % (0.35) stays 0.35."""
    if isinstance(value, str) and _clean(value).endswith("%"):
        value = _clean(value)[:-1]
    number = parse_number(value)
    if number is not None and not 0 <= number <= 100:
        raise ValueError(f"完成百分比 {number:g} 不在 0-100 之间")
    return number


def _from_serial(number: float, original: Any) -> date:
    if not number.is_integer() or not _SERIAL_MIN <= number <= _SERIAL_MAX:
        raise ValueError(f"「{original}」不是日期")
    return EXCEL_EPOCH + timedelta(days=int(number))


def parse_date(value: Any) -> date | None:
    """A date from a date cell, an Excel serial, ``2025-03-01``, ``2025/3/1``, ``2025年3月1日`` or ``20250301``."""
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
    text = _clean(value)
    # A datetime string "2025-03-01 00:00:00" keeps only its date part.
    text = re.sub(r"(T|\s*)\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$", "", text)
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
    raise ValueError(f"「{value}」不是日期（应为 2025-03-01、2025/3/1 或 2025年3月1日）")


def parse_month(value: Any) -> tuple[int, int] | None:
    """A month as (year, month) from ``2025-03``, ``2025/3``, ``2025年3月``, ``202503`` or any date."""
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
                return y, m
    try:
        day = parse_date(value)
    except ValueError:
        raise ValueError(f"「{value}」不是月份（应为 2025-03 或 2025年3月）") from None
    assert day is not None
    return day.year, day.month


def parse_bool(value: Any) -> bool:
    """是/否, Y/N, 1/0, √/×, true/false; empty is false."""
    if is_missing(value):
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        if value in (0, 1):
            return bool(value)
        raise ValueError(f"「{value}」不是是/否")
    text = _clean(value).lower()
    if text in BOOL_VALUES:
        return BOOL_VALUES[text]
    raise ValueError(f"「{value}」不是是/否")
