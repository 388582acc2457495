"""§3-5: energy, indicator values, benchmarks, ratios, scores and bonus, each rule on a frame checkable by hand."""

from __future__ import annotations

from dataclasses import replace

import polars as pl
import pytest
from eval_helpers import YEAR, below, by_uscc, frame, tax_only_scheme

from zonehero.core.evaluation import evaluate
from zonehero.core.evaluation.scheme import FrozenMap, Group, Indicator, default_scheme
from zonehero.core.evaluation.scheme_variants import replace_sections, with_changes


def test_default_below_group_by_hand() -> None:
    # B_tax = 30 / 20 = 1.5; B_revenue = 800 / 20 = 40.
    # E1: 70 × (2 / 1.5) + 30 × (50 / 40) = 93.333… + 37.5;  E2: 70 × (1 / 1.5) + 30 × (30 / 40) = 46.666… + 22.5
    r = evaluate(frame([below(20.0, revenue=500.0), below(10.0, revenue=300.0)]), year=YEAR)
    e = r.enterprises
    assert by_uscc(e, "tax_per_mu__benchmark") == pytest.approx([1.5, 1.5])
    assert by_uscc(e, "revenue_per_mu__benchmark") == pytest.approx([40.0, 40.0])
    assert by_uscc(e, "tax_per_mu__ratio") == pytest.approx([4 / 3, 2 / 3])
    assert by_uscc(e, "tax_per_mu__score") == pytest.approx([280 / 3, 140 / 3])
    assert by_uscc(e, "revenue_per_mu__score") == pytest.approx([37.5, 22.5])
    assert by_uscc(e, "total_score") == pytest.approx([280 / 3 + 37.5, 140 / 3 + 22.5])
    assert by_uscc(e, "rank") == [1, 2]
    # n = 2: rank 1 → 100 <= 140 → B; rank 2 → 200 > 190 → D.
    assert by_uscc(e, "class") == ["B", "D"]
    # Above-group indicators do not apply to below-group rows.
    assert by_uscc(e, "rd_intensity__score") == [None, None]
    bench = r.benchmarks.filter(pl.col("group") == "below").sort("indicator")
    assert bench["numerator_sum"].to_list() == [800.0, 30.0]
    assert bench["n"].to_list() == [2, 2]


def test_negative_value_scores_zero_but_counts_in_the_benchmark() -> None:
    # B = (−10 + 30 + 20) / 30 = 4/3; ratios −0.75, 2.25, 1.5.
    e = evaluate(frame([below(-10.0), below(30.0), below(20.0)]), tax_only_scheme(cap=1000), year=YEAR).enterprises
    assert by_uscc(e, "tax_per_mu__benchmark")[0] == pytest.approx(4 / 3)
    assert by_uscc(e, "tax_per_mu__ratio") == pytest.approx([-0.75, 2.25, 1.5])
    assert by_uscc(e, "tax_per_mu__score") == pytest.approx([0.0, 225.0, 150.0])


def test_ratio_is_capped() -> None:
    # B = 12 / 30 = 0.4; ratios 2.5 (capped at 2), 0.25, 0.25.
    e = evaluate(frame([below(10.0), below(1.0), below(1.0)]), tax_only_scheme(cap=2.0), year=YEAR).enterprises
    assert by_uscc(e, "tax_per_mu__ratio") == pytest.approx([2.5, 0.25, 0.25])
    assert by_uscc(e, "tax_per_mu__score") == pytest.approx([200.0, 25.0, 25.0])


def _missing_rows() -> list[dict]:
    above = {"above_scale": True}
    return [
        {**above, "tax": 10.0, "land_area_mu": 10.0},
        {**above, "tax": 30.0, "land_area_mu": 10.0},
        {**above, "tax": 50.0, "land_area_mu": None},
        {**above, "tax": 50.0, "land_area_mu": 0.0},
        {**above, "tax": 50.0, "land_area_mu": 10.0, "major_env_violation": True},
    ]


def test_missing_denominator_scores_zero_with_a_flag() -> None:
    # B = (10 + 30 + 50) / 30 = 3 (the vetoed one counts; missing and zero land do not).
    e = evaluate(frame(_missing_rows()), tax_only_scheme(cap=1000), year=YEAR).enterprises
    assert by_uscc(e, "tax_per_mu__benchmark")[0] == pytest.approx(3.0)
    assert by_uscc(e, "tax_per_mu__value")[2:4] == [None, None]
    assert by_uscc(e, "tax_per_mu__score") == pytest.approx([100 / 3, 100.0, 0.0, 0.0, 500 / 3])
    flags = by_uscc(e, "flags")
    assert flags[2] == flags[3] == ["missing:tax_per_mu"]
    assert flags[0] == []


def test_group_mean_policy_uses_evaluated_enterprises_with_a_value() -> None:
    # Evaluated with a value score 33.33… and 100 → mean 66.66…; the vetoed 166.66… is left out of the mean.
    scheme = tax_only_scheme(cap=1000, missing_policy="group_mean")
    e = evaluate(frame(_missing_rows()), scheme, year=YEAR).enterprises
    assert by_uscc(e, "tax_per_mu__score") == pytest.approx([100 / 3, 100.0, 200 / 3, 200 / 3, 500 / 3])


def test_degenerate_benchmark_zeroes_the_group_and_warns() -> None:
    r = evaluate(frame([below(-1.0), below(-2.0), below(5.0, land=None, above_scale=True)]), year=YEAR)
    e = r.enterprises
    assert by_uscc(e, "tax_per_mu__benchmark")[:2] == pytest.approx([-0.15, -0.15])
    assert by_uscc(e, "tax_per_mu__score")[:2] == [0.0, 0.0]
    assert by_uscc(e, "tax_per_mu__ratio")[:2] == [None, None]
    assert "degenerate_benchmark:tax_per_mu" in by_uscc(e, "flags")[0]
    assert any("规下" in w and "亩均税收" in w for w in r.warnings)
    row = r.benchmarks.filter((pl.col("group") == "below") & (pl.col("indicator") == "tax_per_mu"))
    assert row["degenerate"].to_list() == [True]
    # The other below indicator is unaffected.
    assert by_uscc(e, "revenue_per_mu__score")[:2] == pytest.approx([30.0, 30.0])


def test_benchmark_factor_multiplies_the_zone_benchmark() -> None:
    e = evaluate(frame([below(10.0), below(30.0)]), tax_only_scheme(benchmark_factor=2.0), year=YEAR).enterprises
    assert by_uscc(e, "tax_per_mu__benchmark")[0] == pytest.approx(4.0)
    assert by_uscc(e, "tax_per_mu__score") == pytest.approx([25.0, 75.0])


def test_industry_mode_uses_divisions_with_enough_enterprises_else_the_zone() -> None:
    base = tax_only_scheme(cap=1000)
    scheme = replace_sections(base, scoring=replace(base.scoring, benchmark_mode="industry", industry_min_count=2))
    rows = [below(10.0, industry_code="C3985"), below(30.0, industry_code="C3911"), below(5.0, industry_code="C1311")]
    r = evaluate(frame(rows), scheme, year=YEAR)
    # Division 39 has 2 → B = 40 / 20 = 2; division 13 has 1 → zone B = 45 / 30 = 1.5.
    assert by_uscc(r.enterprises, "tax_per_mu__benchmark") == pytest.approx([2.0, 2.0, 1.5])
    assert by_uscc(r.enterprises, "tax_per_mu__score") == pytest.approx([50.0, 150.0, 100 / 3])
    rows_b = r.benchmarks.filter(pl.col("group") == "below").sort("industry_division", nulls_last=True)
    assert rows_b["industry_division"].to_list() == ["39", None]
    assert rows_b["benchmark"].to_list() == pytest.approx([2.0, 1.5])


def test_fixed_mode_takes_the_schemes_values() -> None:
    scheme = tax_only_scheme(
        benchmark_mode="fixed", fixed_benchmarks={"above": {"tax_per_mu": 2.0}, "below": {"tax_per_mu": 4.0}}
    )
    e = evaluate(frame([below(10.0), below(30.0)]), scheme, year=YEAR).enterprises
    assert by_uscc(e, "tax_per_mu__benchmark") == [4.0, 4.0]
    assert by_uscc(e, "tax_per_mu__score") == pytest.approx([25.0, 75.0])


def test_lower_is_better_uses_benchmark_over_value() -> None:
    energy = Indicator("energy_per_va", "单位增加值能耗", "energy_tce", "value_added", 100.0, direction="lower")
    base = default_scheme()
    scheme = with_changes(
        replace_sections(
            base, groups=FrozenMap({"above": Group("above", (energy,)), "below": Group("below", (energy,))})
        ),
        cap=1000,
    )
    rows = [
        {"above_scale": True, "energy_tce": 10.0, "value_added": 100.0},
        {"above_scale": True, "energy_tce": 30.0, "value_added": 100.0},
    ]
    e = evaluate(frame(rows), scheme, year=YEAR).enterprises
    # B = 40 / 200 = 0.2; E1 0.1 → 0.2 / 0.1 = 2; E2 0.3 → 2/3.
    assert by_uscc(e, "energy_per_va__ratio") == pytest.approx([2.0, 2 / 3])
    assert by_uscc(e, "energy_per_va__score") == pytest.approx([200.0, 200 / 3])


def test_energy_and_co2_from_breakdown_and_given_value_wins() -> None:
    rows = [
        {"above_scale": True, "electricity_10k_kwh": 100.0, "raw_coal_t": 10.0},
        {"above_scale": True, "electricity_10k_kwh": 100.0, "energy_tce": 50.0, "co2_t": 60.0},
        {"above_scale": True},
    ]
    e = evaluate(frame(rows), year=YEAR).enterprises
    # 100 × 1.229 + 10 × 0.7143 = 130.043 tce; 100 × 5.703 + 10 × 1.9003 = 589.303 tCO2.
    assert by_uscc(e, "energy_tce") == pytest.approx([130.043, 50.0, None])
    assert by_uscc(e, "co2_t") == pytest.approx([589.303, 60.0, None])
    flags = by_uscc(e, "flags")
    assert "energy_computed" in flags[0] and "co2_computed" in flags[0]
    assert "energy_computed" not in flags[1] and "co2_computed" not in flags[1]


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ({"high_tech": True}, 3.0),
        ({"zjtx_level": "province"}, 3.0),
        ({"zjtx_level": "national"}, 5.0),
        ({"high_tech": True, "zjtx_level": "national"}, 8.0),
        ({"high_tech": True, "listed": True, "zjtx_level": "national"}, 10.0),
        ({"listed": True, "zjtx_level": "unknown"}, 2.0),
        ({}, 0.0),
    ],
)
def test_bonus_points(extra: dict, expected: float) -> None:
    e = evaluate(frame([below(10.0, **extra), below(10.0)]), tax_only_scheme(), year=YEAR).enterprises
    assert by_uscc(e, "bonus")[0] == expected
    assert by_uscc(e, "total_score")[0] == pytest.approx(100.0 + expected)


def test_bonus_total_is_capped_and_only_for_evaluated() -> None:
    rich = {"high_tech": True, "listed": True, "zjtx_level": "national"}
    rows = [
        below(10.0, **rich),
        below(10.0, major_safety_accident=True, **rich),
        below(10.0, production_start_year=YEAR, **rich),
    ]
    e = evaluate(frame(rows), tax_only_scheme(bonus_max_total=6.0), year=YEAR).enterprises
    assert by_uscc(e, "bonus") == [6.0, 0.0, None]
    assert by_uscc(e, "total_score")[:2] == pytest.approx([106.0, 100.0])
