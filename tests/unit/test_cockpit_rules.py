"""The cockpit's rules without a database: a card's change and its direction, and which runs make the trend."""

from __future__ import annotations

from datetime import date

import pytest
from run_reads import run_read

from zonehero.features.cockpit.service import Kpi, final_runs, same_day_last_year
from zonehero.features.runs.schemas import RunRead


def _run(run_id: int, year: int, status: str) -> RunRead:
    return run_read(run_id, year, status)


def test_a_change_is_this_year_minus_last_and_its_ratio_is_of_last_year() -> None:
    kpi = Kpi("tax", "实缴税金", "money", 110.0, 100.0)
    assert kpi.change == pytest.approx(10.0) and kpi.change_ratio == pytest.approx(0.10)
    assert kpi.improved is True


def test_fewer_d_enterprises_is_an_improvement() -> None:
    assert Kpi("class_d", "D 类企业", "count", 3, 5, higher_is_better=False).improved is True
    assert Kpi("class_d", "D 类企业", "count", 7, 5, higher_is_better=False).improved is False


@pytest.mark.parametrize(("value", "previous"), [(5, None), (None, 5), (5, 5)])
def test_no_change_without_both_figures_or_when_equal(value: float | None, previous: float | None) -> None:
    kpi = Kpi("scored", "参评企业", "count", value, previous)
    assert kpi.improved is None
    assert kpi.change == (0 if value == previous else None)


def test_a_change_from_zero_has_no_ratio() -> None:
    assert Kpi("class_d", "D 类企业", "count", 2, 0).change_ratio is None


def test_the_trend_takes_each_years_newest_final_run_oldest_year_first() -> None:
    runs = [_run(1, 2023, "final"), _run(2, 2024, "final"), _run(3, 2023, "final"), _run(4, 2025, "draft")]
    assert [r.id for r in final_runs(runs)] == [3, 2]


def test_last_year_at_the_same_day_falls_back_to_28_february_from_a_leap_day() -> None:
    assert same_day_last_year(date(2028, 2, 29)) == date(2027, 2, 28)
    assert same_day_last_year(date(2026, 12, 6)) == date(2025, 12, 6)
