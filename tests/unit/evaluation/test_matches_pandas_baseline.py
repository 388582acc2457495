"""The Polars engine agrees with the independent pandas baseline (benchmarks/baseline_pandas.py).

Both implement evaluation.md §2-7a from the spec; the baseline was written
without reading the engine. On seeded synthetic zones and on edge cases (exact
ties, tiny groups, degenerate benchmarks, scheme variants) they must give the
same status, group, class, rank, carbon grade, indicator scores and total
score (within 1e-9). A failure names the first rows that differ.
"""

from __future__ import annotations

import sys
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import polars as pl
import pytest

from zonehero.core.evaluation import evaluate
from zonehero.core.evaluation.scheme import default_scheme_text, parse_scheme

BENCHMARKS = Path(__file__).resolve().parents[3] / "benchmarks"
if str(BENCHMARKS) not in sys.path:
    sys.path.insert(0, str(BENCHMARKS))

from baseline_pandas import evaluate_pandas, load_default_scheme  # noqa: E402
from synthetic import Zone, make_usccs, make_zone  # noqa: E402

YEAR = 2025
TOLERANCE = 1e-9
EXACT = ("status", "group", "class", "rank", "carbon_grade")


def _normalise(value: Any) -> Any:
    """None for every kind of missing; integral floats as int (rank 3.0 == 3)."""
    if value is None or value is pl.Null:
        return None
    if value is pd.NA:
        return None
    if isinstance(value, float | np.floating):
        if np.isnan(value):
            return None
        if float(value).is_integer():
            return int(value)
        return float(value)
    if isinstance(value, np.integer):
        return int(value)
    return value


def assert_same(zone: Zone, scheme_text: str | None = None, year: int = YEAR) -> None:
    """Evaluate ``zone`` both ways with the same scheme and compare row by row (by uscc)."""
    text = scheme_text if scheme_text is not None else default_scheme_text()
    engine = evaluate(zone.to_polars(), parse_scheme(text), year=year).enterprises
    baseline = evaluate_pandas(zone.to_pandas(), year, tomllib.loads(text))
    assert engine.height == len(baseline) == len(zone)

    engine_rows = {r["uscc"]: r for r in engine.iter_rows(named=True)}
    base_cols = {c: baseline[c].astype(object).tolist() for c in baseline.columns}
    score_keys = [c for c in baseline.columns if c.endswith("__score") and c in engine.columns]
    problems: dict[str, list[str]] = {}
    for i, uscc in enumerate(base_cols["uscc"]):
        got = engine_rows[uscc]
        for key in (*EXACT, "total_score", *score_keys):
            mine, theirs = _normalise(base_cols[key][i]), _normalise(got.get(key))
            if key in EXACT:
                same = mine == theirs
            else:
                same = (mine is None and theirs is None) or (
                    mine is not None and theirs is not None and abs(mine - theirs) <= TOLERANCE
                )
            if not same:
                problems.setdefault(key, []).append(f"{uscc}: engine {theirs!r} vs baseline {mine!r}")
    assert not problems, "engine and pandas baseline disagree:\n" + "\n".join(
        f"  {key}: {len(rows)} rows, e.g. {'; '.join(rows[:3])}" for key, rows in problems.items()
    )


def _variant(**replacements: str) -> str:
    """The default scheme text with ``name = value`` lines replaced (values as TOML literals)."""
    text = default_scheme_text()
    for name, value in replacements.items():
        lines = [line for line in text.splitlines() if line.startswith(f"{name} = ")]
        assert len(lines) == 1, name
        text = text.replace(lines[0], f"{name} = {value}")
    return text


def _with(zone: Zone, **columns: np.ndarray) -> Zone:
    """A copy of ``zone`` with some float/bool columns replaced."""
    return Zone({**zone.columns, **columns}, dict(zone.nulls))


def test_baseline_alone_matches_hand_computation() -> None:
    # The yardstick must be right on its own. Only tax differs: tax_per_mu benchmark 200/40 = 5,
    # ratios 2, 1, 0.6, 0.4 (weight 30), the same for tax_per_employee (weight 10), 60 points elsewhere
    # → totals 140, 100, 84, 76; n = 4: A needs rank × 100 <= 80 (nobody), B <= 280, C <= 380.
    # Enterprise e gives only electricity (100 万kWh → 122.9 tce, 570.3 t CO2) and is exempt (young).
    same = {"industry_code": "C3985", "revenue": 5000.0, "value_added": 1000.0, "rd_expense": 50.0}
    same |= {"employees": 100.0, "energy_tce": 100.0, "co2_t": 200.0, "land_area_mu": 10.0, "above_scale": True}
    rows = [{"uscc": u, "tax": t, **same} for u, t in zip("abcd", (100.0, 50.0, 30.0, 20.0), strict=True)]
    rows.append({"uscc": "e", **same, "energy_tce": None, "co2_t": None, "electricity_10k_kwh": 100.0})
    rows[-1]["production_start_year"] = YEAR - 2
    result = evaluate_pandas(pd.DataFrame(rows), YEAR, load_default_scheme())
    assert result["total_score"].tolist()[:4] == pytest.approx([140.0, 100.0, 84.0, 76.0])
    assert result["rank"].tolist()[:4] == [1, 2, 3, 4]
    assert result["class"].tolist()[:4] == ["B", "B", "C", "D"]
    assert pd.isna(result["class"].iloc[4]) and pd.isna(result["total_score"].iloc[4])
    assert result["status"].tolist() == ["evaluated"] * 4 + ["exempt"]
    assert result["energy_tce"].iloc[4] == pytest.approx(122.9)
    assert result["co2_t"].iloc[4] == pytest.approx(570.3)
    assert result["carbon_grade"].tolist()[:4] == [3, 3, 3, 3]  # K = 1 for everybody


@pytest.mark.parametrize(("n", "seed"), [(50, 1), (200, 2), (500, 3), (2000, 4), (2000, 5)])
def test_seeded_zones_agree(n: int, seed: int) -> None:
    assert_same(make_zone(n, seed, YEAR))


def test_exact_ties_share_rank_and_class() -> None:
    # Every enterprise three times over (fresh USCCs): ties everywhere, across class boundaries.
    base = make_zone(40, 11, YEAR)
    zone = base.take(np.repeat(np.arange(len(base)), 3))
    zone.columns["uscc"] = make_usccs(len(zone), np.random.default_rng(99))
    assert_same(zone)


def test_all_equal_group_ties_at_rank_one() -> None:
    # Identical figures for everybody: one shared rank 1, so the whole group is A.
    base = make_zone(1, 12, YEAR)
    zone = base.take(np.zeros(25, dtype=np.int64))
    zone.columns["uscc"] = make_usccs(25, np.random.default_rng(7))
    n = len(zone)
    zone = _with(
        zone,
        above_scale=np.ones(n, dtype=bool),
        major_safety_accident=np.zeros(n, dtype=bool),
        major_env_violation=np.zeros(n, dtype=bool),
        land_area_mu=np.full(n, 20.0),
        revenue=np.full(n, 5000.0),
    )
    zone.nulls["above_scale"] = np.zeros(n, dtype=bool)
    zone.nulls["production_start_year"] = np.ones(n, dtype=bool)
    assert_same(zone)


def test_tiny_groups() -> None:
    # One or two enterprises below scale: quotas over n = 1 or 2 (rank × 100 <= 20 × n fails for all).
    for keep_below in (1, 2, 3):
        zone = make_zone(60, 20 + keep_below, YEAR)
        n = len(zone)
        above = np.ones(n, dtype=bool)
        above[:keep_below] = False
        land = np.where(above, zone.columns["land_area_mu"], 12.0)
        zone = _with(zone, above_scale=above, land_area_mu=land)
        zone.nulls["above_scale"] = np.zeros(n, dtype=bool)
        assert_same(zone)


def test_degenerate_benchmarks() -> None:
    # Below scale: every tax negative (tax_per_mu benchmark < 0); above scale: no energy at all
    # (value_added_per_energy and value_added_per_co2 benchmarks missing) and no R&D figure.
    zone = make_zone(300, 31, YEAR)
    n = len(zone)
    nan = np.full(n, np.nan)
    fuels = ("electricity_10k_kwh", "raw_coal_t", "natural_gas_10k_m3", "diesel_t")
    fuels += ("gasoline_t", "fuel_oil_t", "lpg_t", "heat_gj")
    zone = _with(
        zone,
        tax=-np.abs(np.nan_to_num(zone.columns["tax"], nan=1.0)) - 0.5,
        energy_tce=nan,
        co2_t=nan,
        rd_expense=nan,
        **{f: nan for f in fuels},
    )
    assert_same(zone)


def test_missing_and_zero_denominators() -> None:
    zone = make_zone(400, 41, YEAR)
    rng = np.random.default_rng(41)
    n = len(zone)
    employees = np.where(rng.random(n) < 0.2, 0.0, zone.columns["employees"])
    land = np.where(rng.random(n) < 0.1, np.nan, zone.columns["land_area_mu"])
    revenue = np.where(rng.random(n) < 0.1, 0.0, zone.columns["revenue"])
    assert_same(_with(zone, employees=employees, land_area_mu=land, revenue=revenue))


FIXED_ABOVE = "tax_per_mu = 8.0\nvalue_added_per_mu = 100.0\nvalue_added_per_energy = 1.0\nvalue_added_per_co2 = 0.4\n"
FIXED_ABOVE += "rd_intensity = 2.5\nlabour_productivity = 30.0\ntax_per_employee = 4.0\n"
FIXED_BELOW = "tax_per_mu = 3.0\nrevenue_per_mu = 60.0\n"


def _fixed_benchmarks() -> str:
    text = _variant(benchmark_mode='"fixed"')
    text = text.replace("[benchmarks.fixed.above]\n", "[benchmarks.fixed.above]\n" + FIXED_ABOVE)
    return text.replace("[benchmarks.fixed.below]\n", "[benchmarks.fixed.below]\n" + FIXED_BELOW)


SCHEME_VARIANTS: dict[str, Callable[[], str]] = {
    "fixed_benchmarks": _fixed_benchmarks,
    "vetoed_capped_at_c_quota": lambda: _variant(vetoed_class='"C"'),
    "industry_benchmark": lambda: _variant(benchmark_mode='"industry"'),
    "factor_two": lambda: _variant(benchmark_factor="2.0"),
    "group_mean_missing": lambda: _variant(missing_policy='"group_mean"'),
    "threshold_classes": lambda: _variant(mode='"threshold"'),
    "vetoed_capped_at_c_threshold": lambda: _variant(mode='"threshold"', vetoed_class='"C"'),
    "lower_cap": lambda: _variant(cap="1.5"),
}


@pytest.mark.parametrize("variant", sorted(SCHEME_VARIANTS))
def test_scheme_variants_agree(variant: str) -> None:
    assert_same(make_zone(1500, 51, YEAR), SCHEME_VARIANTS[variant]())
