"""What-if (方案调整试算): the side-by-side equals a full re-run of each scheme, and every change is explained."""

from __future__ import annotations

import sys
from pathlib import Path

import polars as pl
import pytest

from zonehero.core.domain.uscc import make_uscc
from zonehero.core.evaluation import default_scheme, evaluate, parse_scheme
from zonehero.core.evaluation.scheme_variants import with_changes
from zonehero.core.evaluation.whatif import (
    compare_results,
    compare_schemes,
    correction_reasons,
    describe_scheme_changes,
    vary_scheme,
    weight_total_column,
    weight_total_problems,
    with_figures,
)
from zonehero.errors import SchemeError

BENCHMARKS = Path(__file__).resolve().parents[3] / "benchmarks"
if str(BENCHMARKS) not in sys.path:
    sys.path.insert(0, str(BENCHMARKS))

from synthetic import make_zone  # noqa: E402

YEAR = 2025


@pytest.fixture(scope="module")
def zone() -> pl.DataFrame:
    return make_zone(1500, seed=11).to_polars()


VARIANTS = {
    "weights": {"weights": {("above", "tax_per_mu"): 20.0, ("above", "rd_intensity"): 25.0}},
    "cap": {"cap": 1.5},
    "quotas": {"quotas": (10, 60, 90)},
    "industry": {"benchmark_mode": "industry"},
    "bonus": {"bonus": {"high_tech": 8.0, "zjtx_level:national": 10.0}, "bonus_max_total": 15.0},
    "threshold": {"class_mode": "threshold", "thresholds": (120.0, 90.0, 60.0)},
    "below_weights": {"weights": {("below", "tax_per_mu"): 50.0, ("below", "revenue_per_mu"): 50.0}},
}


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_what_if_equals_a_full_rerun_with_the_changed_scheme(zone: pl.DataFrame, name: str) -> None:
    base = default_scheme()
    variant = vary_scheme(base, **VARIANTS[name])
    what_if = compare_schemes(zone, base, variant, year=YEAR)
    rerun = evaluate(zone, variant, year=YEAR).enterprises.select(
        "uscc", pl.col("class").alias("c"), pl.col("rank").alias("r"), pl.col("total_score").alias("t")
    )
    draft = evaluate(zone, base, year=YEAR).enterprises.select("uscc", pl.col("class").alias("c0"))
    joined = what_if.enterprises.join(rerun, on="uscc").join(draft, on="uscc")
    assert joined.height == zone.height
    assert joined.filter(pl.col("class_after").ne_missing(pl.col("c"))).height == 0
    assert joined.filter(pl.col("rank_after").ne_missing(pl.col("r"))).height == 0
    assert joined.filter(pl.col("total_score_after").ne_missing(pl.col("t"))).height == 0
    assert joined.filter(pl.col("class_before").ne_missing(pl.col("c0"))).height == 0
    # The change list is exactly the enterprises whose class differs, each with reasons.
    differ = joined.filter(pl.col("c").ne_missing(pl.col("c0")))["uscc"].sort().to_list()
    assert what_if.changes["uscc"].sort().to_list() == differ
    assert differ, f"variant {name} should move some classes in a 1,500-enterprise zone"
    for row in what_if.changes.iter_rows(named=True):
        assert row["reasons"][0].startswith("由 ")
        assert any("总分" in r for r in row["reasons"])


def test_matrix_counts_every_classed_enterprise_once(zone: pl.DataFrame) -> None:
    base = default_scheme()
    what_if = compare_schemes(zone, base, vary_scheme(base, cap=1.2), year=YEAR)
    for group in ("above", "below"):
        table = what_if.matrix_table(group)
        classed = what_if.enterprises.filter((pl.col("group") == group) & pl.col("class_before").is_not_null())
        assert int(table.select(pl.sum_horizontal("A", "B", "C", "D")).to_series().sum()) == classed.height
        off_diagonal = sum(
            int(table.filter(pl.col("class_before") == b)[a][0]) for b in "ABCD" for a in "ABCD" if a != b
        )
        assert off_diagonal == what_if.changes.filter(pl.col("group") == group).height
        # Per class before, the row sums are the draft's class counts.
        for cls in "ABCD":
            row = table.filter(pl.col("class_before") == cls).select("A", "B", "C", "D").row(0)
            assert sum(row) == classed.filter(pl.col("class_before") == cls).height


def _enterprise(i: int, **figures: object) -> dict[str, object]:
    row: dict[str, object] = {
        "uscc": make_uscc(f"913601000{i:07d}"),
        "name": f"企业{i}",
        "industry_code": "C3985",
        "above_scale": False,
        "land_area_mu": 10.0,
        "revenue": 1000.0,
        "tax": 50.0,
    }
    row.update(figures)
    return row


def test_reasons_name_the_indicator_and_its_weight() -> None:
    # Ten below-scale firms; #1 leads on tax, #2 on revenue. Moving weight from tax to revenue swaps them at the top.
    rows = [_enterprise(i, tax=40.0 + i, revenue=900.0 + 10 * i) for i in range(3, 11)]
    rows.append(_enterprise(1, tax=120.0, revenue=1000.0))
    rows.append(_enterprise(2, tax=70.0, revenue=2600.0))
    frame = pl.DataFrame(rows)
    base = with_changes(default_scheme(), quotas=(10, 70, 95))
    variant = vary_scheme(base, weights={("below", "tax_per_mu"): 30.0, ("below", "revenue_per_mu"): 70.0})
    what_if = compare_schemes(frame, base, variant, year=YEAR)
    by_uscc = {r["uscc"]: r for r in what_if.changes.iter_rows(named=True)}
    first, second = rows[-2]["uscc"], rows[-1]["uscc"]
    assert by_uscc[first]["class_before"] == "A" and by_uscc[first]["class_after"] == "B"
    assert by_uscc[second]["class_before"] == "B" and by_uscc[second]["class_after"] == "A"
    reasons = " ".join(by_uscc[first]["reasons"])
    assert "「亩均税收」" in reasons and "权重 70 → 30" in reasons
    assert "A 类须排在前 1 名" in reasons
    assert "「亩均营业收入」" in " ".join(by_uscc[second]["reasons"])


def test_variant_is_a_valid_scheme_text_that_parses_back() -> None:
    base = default_scheme()
    variant = vary_scheme(
        base,
        weights={("above", "tax_per_mu"): 25.5},
        bonus={"zjtx_level:national": 6.0},
        name="试算方案",
        version="2",
    )
    again = parse_scheme(variant.text)
    assert again.digest == variant.digest
    assert again.groups["above"].indicator("tax_per_mu").weight == 25.5
    assert dict(again.bonus.zjtx_level) == {"province": 3.0, "national": 6.0}
    assert again.info.version == "2"
    changes = describe_scheme_changes(base, variant)
    assert "规上企业指标 · 亩均税收 · 权重：30 分 → 25.5 分" in changes
    assert any("小巨人" in c for c in changes)


def test_bonus_changes_are_described_in_the_registry_words() -> None:
    """A bonus flag and a 专精特新 level read as the field registry and the labels registry name them, not as keys."""
    base = default_scheme()
    variant = vary_scheme(base, bonus={"high_tech": 9.0, "zjtx_level:province": 4.0})
    changes = " ".join(describe_scheme_changes(base, variant))
    assert "高新技术企业加分：3 分 → 9 分" in changes and "省级专精特新加分" in changes
    assert "high_tech" not in changes and "province" not in changes


@pytest.mark.parametrize(
    ("kwargs", "key"),
    [
        ({"weights": {("above", "no_such"): 10.0}}, "groups.above.indicators.no_such.weight"),
        ({"weights": {("middle", "tax_per_mu"): 10.0}}, "groups.middle.indicators.tax_per_mu.weight"),
        ({"weights": {("above", "tax_per_mu"): -5.0}}, None),
        ({"quotas": (70, 20, 95)}, None),
        ({"cap": 0.0}, None),
    ],
)
def test_invalid_variants_are_refused_like_a_bad_scheme_file(kwargs: dict, key: str | None) -> None:
    with pytest.raises(SchemeError) as caught:
        vary_scheme(default_scheme(), **kwargs)
    if key is not None:
        assert caught.value.problems[0].column == key


def test_a_correction_of_one_enterprise_is_exactly_a_rerun_with_its_figure_changed(zone: pl.DataFrame) -> None:
    """with_figures: one row changed, each column keeping its dtype; the reasons name the total and the rank."""
    scheme = default_scheme()
    base = evaluate(zone, scheme, year=YEAR)
    target = base.enterprises.filter(pl.col("status") == "evaluated").row(0, named=True)["uscc"]
    land = zone.filter(pl.col("uscc") == target)["land_area_mu"].item()
    changed = with_figures(zone, target, {"land_area_mu": land / 2, "high_tech": True})
    assert changed.schema == zone.schema
    diff = changed.filter(
        pl.col("land_area_mu").ne_missing(zone["land_area_mu"]) | pl.col("high_tech").ne_missing(zone["high_tech"])
    )
    assert diff["uscc"].to_list() == [target]
    by_hand = zone.with_columns(
        pl.when(pl.col("uscc") == target).then(land / 2).otherwise(pl.col("land_area_mu")).alias("land_area_mu"),
        pl.when(pl.col("uscc") == target).then(True).otherwise(pl.col("high_tech")).alias("high_tech"),
    )
    assert evaluate(changed, scheme, year=YEAR).input_hash == evaluate(by_hand, scheme, year=YEAR).input_hash
    comparison = compare_results(base, evaluate(changed, scheme, year=YEAR))
    reasons = correction_reasons(comparison, target)
    assert reasons[0].startswith("总分") and reasons[-1].startswith("规") and "组内排名" in reasons[-1]
    assert correction_reasons(comparison, make_uscc("9133010000000099")) == []


def test_a_correction_may_add_a_figure_the_frame_lacks(zone: pl.DataFrame) -> None:
    target = zone["uscc"][0]
    added = with_figures(zone.drop("rd_expense"), target, {"rd_expense": 12.5})
    assert added.schema["rd_expense"] == pl.Float64
    assert added["rd_expense"].drop_nulls().to_list() == [12.5]


def test_a_weight_total_other_than_the_groups_is_one_problem_per_group() -> None:
    scheme = default_scheme()
    moved = {("above", "tax_per_mu"): 40.0, ("above", "value_added_per_mu"): 5.0}
    assert weight_total_problems(scheme, moved) == []
    assert weight_total_problems(scheme, {("above", "tax_per_mu"): 33.3, ("above", "value_added_per_mu"): 11.7}) == []
    [problem] = weight_total_problems(scheme, {("above", "tax_per_mu"): 40.0, ("below", "tax_per_mu"): 70.0})
    assert problem.message == "规上企业各指标权重合计应为 100，现为 110"
    assert problem.column == weight_total_column("above") == "groups.above.weights"
    assert weight_total_problems(scheme, {}) == []
