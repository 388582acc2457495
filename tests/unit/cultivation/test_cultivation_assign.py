"""Tier and candidate rules on hand-made enterprises, at each threshold edge."""

from __future__ import annotations

from typing import Any

import polars as pl
import pytest

from zonehero.core.cultivation import assign_tiers, cultivate, default_tiers
from zonehero.errors import InputError


def _frame(rows: list[dict[str, Any]]) -> pl.DataFrame:
    return pl.DataFrame(rows, infer_schema_length=None)


def _one(current: dict[str, Any], previous_revenue: float | None = None) -> dict[str, Any]:
    row = {"uscc": "A", "name": "甲公司", **current}
    prev = None
    if previous_revenue is not None:
        prev = _frame([{"uscc": "A", "revenue": previous_revenue}])
    return assign_tiers(_frame([row]), previous=prev).row(0, named=True)


class TestScaleTier:
    @pytest.mark.parametrize(
        ("revenue", "tier"),
        [
            (0.0, "below_scale"),
            (1999.99, "below_scale"),
            (2000.0, "above_scale"),
            (9999.99, "above_scale"),
            (10000.0, "revenue_100m"),
            (100000.0, "revenue_1b"),
            (499999.0, "revenue_1b"),
            (500000.0, "revenue_5b"),
            (1000000.0, "revenue_10b"),
            (5e7, "revenue_10b"),
        ],
    )
    def test_tier_by_revenue_floor(self, revenue: float, tier: str) -> None:
        assert _one({"revenue": revenue})["scale_tier"] == tier

    def test_negative_revenue_is_the_lowest_tier(self) -> None:
        assert _one({"revenue": -5.0})["scale_tier"] == "below_scale"

    def test_missing_revenue_has_no_tier(self) -> None:
        row = _one({"revenue": None})
        assert row["scale_tier"] is None
        assert row["scale_status"] == "no_tier"
        assert not row["scale_candidate"]
        assert "缺少营业收入" in row["scale_reasons"]


class TestScaleCandidate:
    """Candidate for 亿元 (10,000 万元): revenue >= 8,000 and growth >= 10%."""

    def test_exactly_80_percent_with_exactly_10_percent_growth_is_a_candidate(self) -> None:
        row = _one({"revenue": 8000.0}, previous_revenue=8000.0 / 1.1)
        assert row["scale_tier"] == "above_scale"
        assert row["scale_next_tier"] == "revenue_100m"
        assert row["scale_status"] == "candidate"
        assert row["scale_candidate"]
        assert "营业收入 ≥ 8000 万元（「亿元企业」门槛的 80%）：满足" in row["scale_reasons"]

    def test_79_99_percent_is_not(self) -> None:
        row = _one({"revenue": 7999.0}, previous_revenue=5000.0)
        assert row["scale_status"] == "not_met"
        assert not row["scale_candidate"]
        assert "门槛的 80%）：不满足（7999 万元）" in row["scale_reasons"]

    def test_growth_of_9_99_percent_is_not(self) -> None:
        row = _one({"revenue": 8000.0}, previous_revenue=8000.0 / 1.0999)
        assert row["scale_status"] == "not_met"
        assert not row["scale_candidate"]
        assert "营业收入增长率 ≥ 10%：不满足（9.99%）" in row["scale_reasons"]

    def test_missing_previous_revenue_is_not_a_candidate_and_says_why(self) -> None:
        row = _one({"revenue": 9000.0})
        assert row["scale_status"] == "unknown"
        assert not row["scale_candidate"]
        assert "缺少上年营业收入，增长率未知" in row["scale_reasons"]

    def test_previous_frame_without_this_enterprise_is_missing_too(self) -> None:
        prev = _frame([{"uscc": "OTHER", "revenue": 1.0}])
        row = assign_tiers(_frame([{"uscc": "A", "revenue": 9000.0}]), previous=prev).row(0, named=True)
        assert row["prev_revenue"] is None
        assert row["scale_status"] == "unknown"

    def test_zero_previous_revenue_makes_growth_uncomputable(self) -> None:
        row = _one({"revenue": 9000.0}, previous_revenue=0.0)
        assert row["scale_status"] == "unknown"
        assert "上年营业收入不为正" in row["scale_reasons"]

    def test_candidate_for_the_first_step_above_the_bottom(self) -> None:
        row = _one({"revenue": 1600.0}, previous_revenue=1000.0)
        assert row["scale_tier"] == "below_scale"
        assert row["scale_next_tier"] == "above_scale"
        assert row["scale_candidate"]

    def test_top_tier_has_no_next(self) -> None:
        row = _one({"revenue": 2_000_000.0}, previous_revenue=1.0)
        assert row["scale_status"] == "top"
        assert row["scale_next_tier"] is None
        assert not row["scale_candidate"]


class TestQualityTier:
    @pytest.mark.parametrize(
        ("flags", "tier"),
        [
            ({}, "none"),
            ({"zjtx_level": "province"}, "zjtx_sme"),
            ({"zjtx_level": "national"}, "little_giant"),
            ({"quality_tier": "创新型中小企业"}, "innovative_sme"),
            ({"quality_tier": "单项冠军"}, "single_champion"),
            ({"quality_tier": "创新型", "zjtx_level": "national"}, "little_giant"),
            ({"quality_tier": "single_champion", "zjtx_level": "province"}, "single_champion"),
        ],
    )
    def test_tier_from_flags(self, flags: dict[str, Any], tier: str) -> None:
        assert _one({"revenue": 5000.0, **flags})["quality_tier"] == tier

    def test_unknown_quality_tier_value_is_an_input_error(self) -> None:
        with pytest.raises(InputError) as info:
            _one({"revenue": 1.0, "quality_tier": "瞪羚企业"})
        assert "瞪羚企业" in str(info.value)
        assert info.value.problems[0].column == "quality_tier"


ZJTX_READY: dict[str, Any] = {"revenue": 12000.0, "rd_expense": 600.0, "employees": 300, "zjtx_level": "province"}


class TestQualityCandidate:
    zjtx_ready = ZJTX_READY

    def test_zjtx_with_every_little_giant_condition_is_a_candidate(self) -> None:
        row = _one({**self.zjtx_ready, "invention_patents": 2}, previous_revenue=10000.0)
        assert row["quality_next_tier"] == "little_giant"
        assert row["quality_status"] == "candidate", row["quality_reasons"]
        assert row["quality_candidate"]

    def test_missing_patents_column_is_unknown_never_assumed_true(self) -> None:
        row = _one(self.zjtx_ready, previous_revenue=10000.0)
        assert row["quality_status"] == "unknown"
        assert not row["quality_candidate"]
        assert "发明专利数 ≥ 2 件：未知（缺少数据）" in row["quality_reasons"]

    def test_one_failed_condition_outweighs_unknowns(self) -> None:
        row = _one({**self.zjtx_ready, "rd_expense": 359.0})
        assert row["quality_status"] == "not_met"
        assert "研发投入强度 ≥ 3%：不满足（2.99%）" in row["quality_reasons"]

    def test_rd_intensity_exactly_3_percent_is_met(self) -> None:
        row = _one({**self.zjtx_ready, "rd_expense": 360.0, "invention_patents": 5}, previous_revenue=10000.0)
        assert row["quality_candidate"]

    def test_innovative_needs_high_tech_as_the_computable_route(self) -> None:
        yes = _one({"revenue": 3000.0, "employees": 50, "high_tech": True})
        no = _one({"revenue": 3000.0, "employees": 50, "high_tech": False})
        assert (yes["quality_next_tier"], yes["quality_status"]) == ("innovative_sme", "candidate")
        assert no["quality_status"] == "not_met"

    def test_a_large_enterprise_is_not_an_sme(self) -> None:
        row = _one({"revenue": 50000.0, "employees": 2000, "high_tech": True})
        assert row["quality_status"] == "not_met"
        assert "中小企业（工业划型）：不满足（否）" in row["quality_reasons"]

    def test_sme_is_known_from_either_figure_below_its_limit(self) -> None:
        row = _one({"revenue": 50000.0, "employees": 10, "high_tech": True})
        assert row["quality_status"] == "candidate"

    def test_sme_unknown_when_revenue_too_large_and_staff_missing(self) -> None:
        row = _one({"revenue": 50000.0, "high_tech": True})
        assert row["quality_status"] == "unknown"

    def test_champion_only_with_explicit_flag_and_then_for_review(self) -> None:
        giant = {"revenue": 30000.0, "zjtx_level": "national"}
        flagged = _one({**giant, "champion_candidate": True})
        unflagged = _one(giant)
        assert (flagged["quality_status"], flagged["quality_candidate"]) == ("review", True)
        assert unflagged["quality_status"] == "unknown"
        assert not unflagged["quality_candidate"]

    def test_champion_is_the_top(self) -> None:
        row = _one({"revenue": 1.0, "quality_tier": "单项冠军"})
        assert row["quality_status"] == "top"
        assert row["quality_next_tier"] is None


class TestMoversAndPools:
    def _years(self) -> tuple[pl.DataFrame, pl.DataFrame]:
        last = _frame(
            [
                {"uscc": "UP", "name": "升", "revenue": 9000.0, "zjtx_level": None},
                {"uscc": "DOWN", "name": "降", "revenue": 12000.0, "zjtx_level": "national"},
                {"uscc": "SAME", "name": "稳", "revenue": 3000.0, "zjtx_level": None},
                {"uscc": "GONE", "name": "迁出", "revenue": 3000.0, "zjtx_level": None},
            ]
        )
        now = _frame(
            [
                {"uscc": "UP", "name": "升", "revenue": 150000.0, "zjtx_level": "province"},
                {"uscc": "DOWN", "name": "降", "revenue": 1500.0, "zjtx_level": "province"},
                {"uscc": "SAME", "name": "稳", "revenue": 3300.0, "zjtx_level": None},
                {"uscc": "NEW", "name": "新", "revenue": 9000.0, "zjtx_level": None},
            ]
        )
        return now, last

    def test_movers_up_and_down_on_both_ladders(self) -> None:
        now, last = self._years()
        result = cultivate(now, year=2025, previous=last)
        assert result.movers is not None
        got = {
            (r["uscc"], r["dimension"]): (r["from_tier"], r["to_tier"], r["direction"], r["steps"])
            for r in result.movers.to_dicts()
        }
        assert got == {
            ("UP", "scale"): ("above_scale", "revenue_1b", "up", 2),
            ("UP", "quality"): ("none", "zjtx_sme", "up", 2),
            ("DOWN", "scale"): ("revenue_100m", "below_scale", "down", -2),
            ("DOWN", "quality"): ("little_giant", "zjtx_sme", "down", -1),
        }
        prev = dict(result.enterprises.select("uscc", "prev_scale_tier").iter_rows())
        assert prev == {"UP": "above_scale", "DOWN": "revenue_100m", "SAME": "above_scale", "NEW": None}

    def test_no_previous_year_means_no_movers(self) -> None:
        now, _ = self._years()
        result = cultivate(now, year=2025)
        assert result.movers is None

    def test_pools_count_members_and_candidates_per_tier(self) -> None:
        now, last = self._years()
        result = cultivate(now, year=2025, previous=last)
        pools = {
            (r["dimension"], r["tier"]): (r["members"], r["candidates"], r["incomplete"])
            for r in result.pools.to_dicts()
        }
        assert len(pools) == len(default_tiers().scale) + len(default_tiers().quality) + 1
        # NEW (9,000, no previous) is incomplete for 亿元; SAME grew 10% but 3,300 < 8,000.
        assert pools[("scale", "revenue_100m")] == (0, 0, 1)
        assert pools[("scale", "above_scale")] == (2, 0, 0)
        assert pools[("scale", "revenue_1b")] == (1, 0, 0)
        assert pools[("quality", "zjtx_sme")] == (2, 0, 0)
        assert pools[("scale", "revenue_10b")] == (0, 0, 0)

    def test_candidate_list_for_a_tier(self) -> None:
        now = _frame([{"uscc": f"E{i}", "revenue": r} for i, r in enumerate([8500.0, 7000.0, 9900.0])])
        last = _frame([{"uscc": f"E{i}", "revenue": 5000.0} for i in range(3)])
        result = cultivate(now, year=2025, previous=last)
        assert result.candidates("scale", "revenue_100m")["uscc"].to_list() == ["E2", "E0"]
        assert result.members("scale", "above_scale").height == 3


class TestInputChecks:
    def test_duplicate_uscc_is_refused(self) -> None:
        with pytest.raises(InputError, match="出现多次"):
            assign_tiers(_frame([{"uscc": "A", "revenue": 1.0}, {"uscc": "A", "revenue": 2.0}]))

    def test_frame_with_only_uscc_has_every_tier_unknown_or_none(self) -> None:
        row = assign_tiers(_frame([{"uscc": "A"}])).row(0, named=True)
        assert row["scale_tier"] is None
        assert row["quality_tier"] == "none"
        assert row["quality_status"] == "unknown"
