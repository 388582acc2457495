"""Dates and months in the forms Chinese spreadsheets write them, cell by cell and as a column."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from zonehero.core.domain.registry import Column
from zonehero.core.ingest.dates import date_of, month_of
from zonehero.core.ingest.values import parse_column


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-03-01", date(2025, 3, 1)),
        ("2025/3/1", date(2025, 3, 1)),
        ("2025.3.1", date(2025, 3, 1)),
        ("2025年3月1日", date(2025, 3, 1)),
        ("20250301", date(2025, 3, 1)),
        ("２０２５－０３－０１", date(2025, 3, 1)),
        ("2025-03-01 00:00:00", date(2025, 3, 1)),
        (datetime(2025, 3, 1, 8, 30), date(2025, 3, 1)),
        (45717, date(2025, 3, 1)),
        (45717.0, date(2025, 3, 1)),
        ("-", None),
        ("无", None),
        ("", None),
        (None, None),
    ],
)
def test_date_forms(text: object, expected: date | None) -> None:
    assert date_of(text) == expected


@pytest.mark.parametrize("text", ["2025-02-30", "下月", 2025, 45717.5, "2025-3", True])
def test_what_is_not_a_date(text: object) -> None:
    with pytest.raises(ValueError, match="日期"):
        date_of(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-03", date(2025, 3, 1)),
        ("2025/3", date(2025, 3, 1)),
        ("2025年3月", date(2025, 3, 1)),
        ("202511", date(2025, 11, 1)),
        (date(2025, 7, 9), date(2025, 7, 1)),
        ("2025-07-09", date(2025, 7, 1)),
        ("—", None),
    ],
)
def test_month_forms(text: object, expected: date | None) -> None:
    assert month_of(text) == expected


@pytest.mark.parametrize("text", ["2025-13", "下月", "2025年0月"])
def test_what_is_not_a_month(text: str) -> None:
    with pytest.raises(ValueError, match="月份"):
        month_of(text)


def test_a_date_column_names_the_cells_it_cannot_read() -> None:
    values, problems = parse_column(["2025-03-01", "", "下个月", 45717], Column("day", "开工日期", "date"))
    assert values.to_list() == [date(2025, 3, 1), None, None, date(2025, 3, 1)]
    assert [(i, "不是日期" in m) for i, m in problems] == [(2, True)]
