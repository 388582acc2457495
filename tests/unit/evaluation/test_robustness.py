"""Class stability under weight perturbation: reproducible, exact at zero spread, and agreeing with the engine."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from zonehero.core.domain.uscc import make_uscc
from zonehero.core.evaluation import default_scheme, evaluate
from zonehero.core.evaluation.robustness import class_stability, stability_of_result, weight_factors
from zonehero.core.evaluation.whatif import vary_scheme
from zonehero.errors import InputError

BENCHMARKS = Path(__file__).resolve().parents[3] / "benchmarks"
if str(BENCHMARKS) not in sys.path:
    sys.path.insert(0, str(BENCHMARKS))

from synthetic import make_zone  # noqa: E402

YEAR = 2025


@pytest.fixture(scope="module")
def zone() -> pl.DataFrame:
    return make_zone(2000, seed=21).to_polars()


def test_reproducible_for_a_seed(zone: pl.DataFrame) -> None:
    scheme = default_scheme()
    first = class_stability(zone, scheme, year=YEAR, draws=200, seed=7)
    again = class_stability(zone, scheme, year=YEAR, draws=200, seed=7)
    other = class_stability(zone, scheme, year=YEAR, draws=200, seed=8)
    assert first.equals(again)
    assert not first["share_same_class"].equals(other["share_same_class"])
    assert first.filter(pl.col("fragile")).height > 0, "a 2,000-enterprise zone has some fragile classes"


SCHEMES = {
    "default": {},
    "threshold": {"class_mode": "threshold", "thresholds": (120.0, 90.0, 60.0)},
    "vetoed_c": {"vetoed_class": "C"},
    "group_mean": {"missing_policy": "group_mean"},
    "industry": {"benchmark_mode": "industry"},
    "quotas": {"quotas": (5, 50, 100)},
}


@pytest.mark.parametrize("name", sorted(SCHEMES))
def test_zero_spread_gives_the_engine_classes_exactly(zone: pl.DataFrame, name: str) -> None:
    scheme = vary_scheme(default_scheme(), **SCHEMES[name])
    result = evaluate(zone, scheme, year=YEAR)
    stability = stability_of_result(result, draws=3, spread=0.0)
    assert stability["share_same_class"].min() == 1.0
    assert stability["most_frequent_other_class"].null_count() == stability.height
    classed = result.enterprises.filter(pl.col("class").is_not_null())
    assert stability.height == classed.height


def test_each_draw_matches_the_engine_run_with_that_draws_weights(zone: pl.DataFrame) -> None:
    """One draw at a time, the fast path equals evaluate() with the perturbed weights written into a scheme."""
    scheme = default_scheme()
    result = evaluate(zone, scheme, year=YEAR)
    base = result.enterprises.select("uscc", "class").filter(pl.col("class").is_not_null())
    draws = 4
    factors = weight_factors(scheme, draws=draws, spread=0.2, seed=3)
    mismatches = 0
    for d in range(draws):
        weights = {
            (g, ind.key): ind.weight * factors[g][d, j]
            for g, group in scheme.groups.items()
            for j, ind in enumerate(group.indicators)
        }
        engine = evaluate(zone, vary_scheme(scheme, weights=weights), year=YEAR).enterprises
        expected = base.join(engine.select("uscc", pl.col("class").alias("drawn")), on="uscc")
        kept_by_engine = (expected["class"] == expected["drawn"]).to_numpy()
        single = stability_of_result(result, draws=d + 1, spread=0.2, seed=3)
        before = stability_of_result(result, draws=d, spread=0.2, seed=3) if d else None
        # Count of draws kept up to d minus up to d-1 = kept in draw d (factors are drawn up front per seed,
        # so the first d rows of a longer run are the same draws).
        kept_total = np.rint(single["share_same_class"].to_numpy() * (d + 1))
        kept_prev = np.rint(before["share_same_class"].to_numpy() * d) if before is not None else 0
        kept_fast = dict(zip(single["uscc"].to_list(), (kept_total - kept_prev) == 1, strict=True))
        mismatches += sum(kept_fast[u] != k for u, k in zip(expected["uscc"].to_list(), kept_by_engine, strict=True))
    assert mismatches == 0


def _enterprise(i: int, tax: float, revenue: float, **extra: object) -> dict[str, object]:
    return {
        "uscc": make_uscc(f"913601000{i:07d}"),
        "name": f"企业{i}",
        "industry_code": "C3985",
        "above_scale": False,
        "land_area_mu": 10.0,
        "revenue": revenue,
        "tax": tax,
        **extra,
    }


def test_far_from_any_boundary_is_always_stable_and_a_tie_on_the_boundary_is_fragile() -> None:
    # Fixed benchmarks (亩均税收 10, 亩均营业收入 100; land 10 亩) make the ratios tax/100 and revenue/1000.
    # #1 is at the cap on both (200 points): always A (quota A 10 % = rank 1 of 10).
    # #2 (tax ratio 1.5, revenue 0.5) and #3 (0.9, 1.9) tie at 120 points for rank 2, the last B place
    # (quota B 20 %): whichever the drawn weights favour is B, the other C.
    rows = [_enterprise(1, tax=500.0, revenue=20000.0)]
    rows.append(_enterprise(2, tax=150.0, revenue=500.0))
    rows.append(_enterprise(3, tax=90.0, revenue=1900.0))
    rows += [_enterprise(i, tax=20.0 + i, revenue=900.0 + i) for i in range(4, 11)]
    rows.append(_enterprise(11, tax=200.0, revenue=9000.0, major_safety_accident=True))
    frame = pl.DataFrame(rows)
    fixed = {
        "above": {i.key: 1.0 for i in default_scheme().groups["above"].indicators},
        "below": {"tax_per_mu": 10.0, "revenue_per_mu": 100.0},
    }
    scheme = vary_scheme(default_scheme(), quotas=(10, 20, 95), benchmark_mode="fixed", fixed_benchmarks=fixed)
    result = evaluate(frame, scheme, year=YEAR)
    totals = dict(zip(result.enterprises["uscc"], result.enterprises["total_score"], strict=True))
    assert totals[rows[1]["uscc"]] == pytest.approx(120.0) and totals[rows[2]["uscc"]] == pytest.approx(120.0)
    stability = stability_of_result(result, draws=1000, seed=0).to_dicts()
    by = {r["uscc"]: r for r in stability}
    top, vetoed = by[rows[0]["uscc"]], by[rows[-1]["uscc"]]
    assert top["class"] == "A" and top["share_same_class"] == 1.0 and not top["fragile"]
    assert top["most_frequent_other_class"] is None
    assert vetoed["class"] == "D" and vetoed["share_same_class"] == 1.0
    for row in rows[1:3]:
        entry = by[row["uscc"]]
        assert entry["fragile"], entry
        assert 0.2 < entry["share_same_class"] < 0.8
        assert entry["most_frequent_other_class"] in {"B", "C"} - {entry["class"]}
        assert entry["share_same_class"] + entry["share_most_frequent_other"] == pytest.approx(1.0)
    # In every draw exactly one of the two holds the B place.
    assert by[rows[1]["uscc"]]["share_b"] + by[rows[2]["uscc"]]["share_b"] == pytest.approx(1.0)
    far_below = [by[r["uscc"]] for r in rows[3:10]]
    assert all(e["share_same_class"] >= 0.8 for e in far_below)


@pytest.mark.parametrize("kwargs", [{"draws": 0}, {"spread": 1.0}, {"spread": -0.1}, {"threshold": 1.5}])
def test_bad_arguments_are_input_errors(zone: pl.DataFrame, kwargs: dict) -> None:
    with pytest.raises(InputError):
        class_stability(zone.head(50), default_scheme(), year=YEAR, **kwargs)
