"""Targets: pro-rating, on-course thresholds, direction, the list of goals off course."""

from __future__ import annotations

import math

import pytest

from zonehero.core.targets import Actual, Goal, Period, Thresholds, assess, expected_at, off_course, progress

TAX = Goal("total_tax", "税收总额", 12000.0, "万元", 2025, "higher", "cumulative")
GROWTH = Goal("value_added_growth", "工业增加值增速", 8.0, "%", 2025, "higher", "level")
SHARE = Goal("province_share", "经济总量占全省比重", 4.0, "%", 2025, "higher", "level")
ENERGY = Goal("energy_per_va", "单位增加值能耗", 0.5, "吨标准煤/万元", 2025, "lower", "level")

MARCH = Period(2025, 3)


class TestProRating:
    def test_yearly_tax_goal_at_end_of_march_is_a_quarter(self) -> None:
        assert expected_at(TAX, MARCH) == 3000.0
        assert expected_at(TAX, Period.quarter(2025, 1)) == 3000.0

    def test_cumulative_goal_by_month(self) -> None:
        assert [expected_at(TAX, Period(2025, m)) for m in (1, 6, 12)] == [1000.0, 6000.0, 12000.0]

    def test_growth_goal_compares_directly(self) -> None:
        assert expected_at(GROWTH, MARCH) == 8.0
        assert progress(GROWTH, Actual(GROWTH.key, MARCH, 8.0), MARCH).status == "on_track"

    def test_period_of_another_year_is_refused(self) -> None:
        with pytest.raises(ValueError):
            expected_at(TAX, Period(2024, 3))

    @pytest.mark.parametrize(("quarter", "month"), [(1, 3), (2, 6), (3, 9), (4, 12)])
    def test_quarter_ends(self, quarter: int, month: int) -> None:
        assert Period.quarter(2025, quarter).month == month

    @pytest.mark.parametrize("month", [0, 13])
    def test_month_out_of_range(self, month: int) -> None:
        with pytest.raises(ValueError):
            Period(2025, month)


class TestStatus:
    @pytest.mark.parametrize(
        ("actual", "status"),
        [
            (3000.0, "on_track"),
            (3500.0, "on_track"),
            (2999.0, "at_risk"),
            (2700.0, "at_risk"),  # exactly 10% short
            (2699.0, "off_track"),
            (0.0, "off_track"),
        ],
    )
    def test_thresholds_on_a_cumulative_goal(self, actual: float, status: str) -> None:
        assert progress(TAX, Actual(TAX.key, MARCH, actual), MARCH).status == status

    def test_growth_below_goal(self) -> None:
        at_risk = progress(GROWTH, Actual(GROWTH.key, MARCH, 7.5), MARCH)
        off = progress(GROWTH, Actual(GROWTH.key, MARCH, 6.0), MARCH)
        assert (at_risk.status, at_risk.shortfall) == ("at_risk", pytest.approx(0.0625))
        assert (off.status, off.shortfall) == ("off_track", pytest.approx(0.25))

    @pytest.mark.parametrize(
        ("actual", "status"), [(0.4, "on_track"), (0.5, "on_track"), (0.54, "at_risk"), (0.6, "off_track")]
    )
    def test_direction_lower(self, actual: float, status: str) -> None:
        assert progress(ENERGY, Actual(ENERGY.key, MARCH, actual), MARCH).status == status

    def test_custom_thresholds(self) -> None:
        strict = Thresholds(on_track=0.0, at_risk=0.02)
        assert progress(TAX, Actual(TAX.key, MARCH, 2900.0), MARCH, strict).status == "off_track"
        lenient = Thresholds(on_track=0.05, at_risk=0.2)
        assert progress(TAX, Actual(TAX.key, MARCH, 2900.0), MARCH, lenient).status == "on_track"

    def test_thresholds_must_be_ordered(self) -> None:
        with pytest.raises(ValueError):
            Thresholds(on_track=0.2, at_risk=0.1)

    def test_zero_goal_any_wrong_step_is_off_track(self) -> None:
        zero = Goal("accidents", "安全事故数", 0.0, "起", 2025, "lower", "level")
        assert progress(zero, Actual(zero.key, MARCH, 0.0), MARCH).status == "on_track"
        bad = progress(zero, Actual(zero.key, MARCH, 1.0), MARCH)
        assert bad.status == "off_track"
        assert math.isinf(bad.shortfall or 0)

    def test_attainment(self) -> None:
        p = progress(TAX, Actual(TAX.key, MARCH, 2400.0), MARCH)
        assert p.attainment == pytest.approx(0.8)
        assert p.status_label == "滞后"

    def test_no_actual_is_no_data(self) -> None:
        p = progress(TAX, None, MARCH)
        assert (p.status, p.actual, p.expected) == ("no_data", None, 3000.0)

    def test_invalid_goal(self) -> None:
        with pytest.raises(ValueError):
            Goal("x", "x", 1.0, "", 2025, "up", "level")  # type: ignore[arg-type]


class TestAssess:
    actuals = (
        Actual("total_tax", Period(2025, 3), 3100.0),
        Actual("total_tax", Period(2025, 6), 5000.0),
        Actual("value_added_growth", Period(2025, 6), 8.4),
        Actual("province_share", Period(2025, 3), 3.5),
        Actual("total_tax", Period(2024, 12), 99999.0),
    )

    def test_latest_period_per_goal(self) -> None:
        result = assess([TAX, GROWTH, SHARE, ENERGY], self.actuals)
        got = [(p.goal.key, p.period.month, p.status) for p in result]
        assert got == [
            ("total_tax", 6, "off_track"),  # 5000 vs 6000: 16.7% short
            ("value_added_growth", 6, "on_track"),
            ("province_share", 3, "off_track"),  # 3.5 vs 4: 12.5% short
            ("energy_per_va", 12, "no_data"),
        ]

    def test_at_a_given_period(self) -> None:
        result = assess([TAX, GROWTH], self.actuals, period=MARCH)
        assert [(p.status, p.actual) for p in result] == [("on_track", 3100.0), ("no_data", None)]

    def test_off_course_list_worst_first(self) -> None:
        result = assess([TAX, GROWTH, SHARE, ENERGY], self.actuals)
        assert [p.goal.key for p in off_course(result)] == ["total_tax", "province_share"]
        slightly = Actual("value_added_growth", Period(2025, 6), 7.8)
        result = assess([GROWTH], [slightly])
        assert off_course(result) == []
        assert [p.goal.key for p in off_course(result, include_at_risk=True)] == ["value_added_growth"]

    def test_two_actuals_for_one_period_is_an_error(self) -> None:
        twice = (Actual("total_tax", MARCH, 1.0), Actual("total_tax", MARCH, 2.0))
        with pytest.raises(ValueError):
            assess([TAX], twice)

    def test_progress_refuses_an_actual_of_another_goal(self) -> None:
        with pytest.raises(ValueError):
            progress(TAX, Actual("value_added_growth", MARCH, 1.0), MARCH)
