"""Actual figures computed from canonical enterprise frames."""

from __future__ import annotations

import polars as pl
import pytest

from zonehero.core.targets import FORMULAS, Period, compute_figures, computed_actuals

NOW = pl.DataFrame(
    {
        "uscc": ["A", "B", "C", "D"],
        "above_scale": [True, True, False, None],
        "revenue": [5000.0, 3000.0, 800.0, None],
        "tax": [100.0, 50.0, None, 10.0],
        "value_added": [1100.0, 550.0, 200.0, None],
    }
)
BEFORE = pl.DataFrame({"uscc": ["A", "B", "C", "E"], "value_added": [1000.0, 500.0, None, 999.0]})


def test_sums_and_counts() -> None:
    figures = compute_figures(NOW)
    assert (figures["total_tax"].value, figures["total_tax"].missing, figures["total_tax"].counted) == (160.0, 1, 3)
    assert figures["value_added"].value == 1850.0
    assert figures["above_scale_count"].value == 2
    assert figures["above_scale_revenue"].value == 8000.0
    assert "value_added_growth" not in figures
    assert "investment_completed" not in figures


def test_value_added_growth_is_like_for_like() -> None:
    growth = compute_figures(NOW, previous=BEFORE)["value_added_growth"]
    # only A and B report both years: 1650 / 1500 - 1 = 10%
    assert growth.value == pytest.approx(10.0)
    assert (growth.counted, growth.missing) == (2, 2)


def test_missing_column_is_none_not_zero() -> None:
    figures = compute_figures(pl.DataFrame({"uscc": ["A"], "revenue": [1.0]}))
    assert figures["total_tax"].value is None
    assert figures["value_added"].value is None
    assert "above_scale_count" not in figures


def test_all_values_missing_is_none() -> None:
    frame = pl.DataFrame({"uscc": ["A"], "tax": [None]}, schema={"uscc": pl.String, "tax": pl.Float64})
    assert compute_figures(frame)["total_tax"].value is None


def test_investment_is_an_input_number() -> None:
    figures = compute_figures(NOW, investment_completed=25000)
    assert figures["investment_completed"].value == 25000.0
    assert figures["investment_completed"].info.label == "固定资产投资完成额"


def test_computed_actuals_for_a_period() -> None:
    period = Period(2025, 12)
    actuals = {a.key: a for a in computed_actuals(NOW, period, previous=BEFORE, investment_completed=1.0)}
    assert set(actuals) == set(FORMULAS)
    assert actuals["total_tax"].source == "formula:total_tax"
    assert actuals["investment_completed"].source == "manual"
    assert all(a.period == period for a in actuals.values())
