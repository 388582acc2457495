"""Hypothesis properties of the engine: invariances the spec implies."""

from __future__ import annotations

import polars as pl
from eval_helpers import YEAR, frame, tax_only_scheme
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zonehero.core.evaluation import evaluate

CLASS_ORDER = {"A": 0, "B": 1, "C": 2, "D": 3}
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Figures to the cent, as the departments report them (and no subnormal floats that scaling would round).
money = st.integers(-5_000, 50_000).map(lambda v: v / 100)
positive = st.integers(50, 20_000).map(lambda v: v / 100)
land = st.integers(0, 20_000).map(lambda v: v / 100)


@st.composite
def zones(draw: st.DrawFn, min_size: int = 2, max_size: int = 25, nonnegative_tax: bool = False) -> pl.DataFrame:
    n = draw(st.integers(min_size, max_size))
    rows = []
    for _ in range(n):
        tax = draw(st.integers(0, 50_000).map(lambda v: v / 100) if nonnegative_tax else money)
        rows.append(
            {
                "above_scale": draw(st.booleans()),
                "land_area_mu": draw(st.one_of(st.none(), land)),
                "tax": tax,
                "revenue": draw(positive),
                "value_added": draw(money),
                "employees": draw(st.one_of(st.none(), positive)),
                "energy_tce": draw(st.one_of(st.none(), positive)),
                "major_env_violation": draw(st.sampled_from([None, False, False, False, True])),
                "high_tech": draw(st.booleans()),
            }
        )
    return frame(rows)


def _key_columns(e: pl.DataFrame) -> pl.DataFrame:
    return e.sort("uscc").select("uscc", "status", "group", "total_score", "rank", "class", "carbon_grade")


@SETTINGS
@given(zones(), st.randoms(use_true_random=False))
def test_row_order_does_not_matter(zone: pl.DataFrame, rnd) -> None:
    order = list(range(zone.height))
    rnd.shuffle(order)
    a = evaluate(zone, year=YEAR).enterprises
    b = evaluate(zone[order], year=YEAR).enterprises
    assert a.equals(b)  # same rows, same (group, rank, uscc) order


@SETTINGS
@given(zones(), st.sampled_from(["tax", "land_area_mu", "value_added", "employees"]), st.sampled_from([0.25, 2.0, 8.0]))
def test_scaling_a_column_for_everyone_keeps_ratios_and_classes(zone: pl.DataFrame, column: str, k: float) -> None:
    # Powers of two scale floats exactly, so ratios must be identical, not just close.
    a = evaluate(zone, year=YEAR).enterprises.sort("uscc")
    b = evaluate(zone.with_columns(pl.col(column) * k), year=YEAR).enterprises.sort("uscc")
    ratios = [c for c in a.columns if c.endswith("__ratio")]
    # Land also decides who is in scope (below scale needs 5 亩); compare only when that is unchanged.
    if column == "land_area_mu" and not a["status"].equals(b["status"]):
        return
    assert a.select(ratios).equals(b.select(ratios))
    assert a["class"].equals(b["class"])


@SETTINGS
@given(zones(nonnegative_tax=True), st.integers(0, 24), positive)
def test_raising_ones_tax_never_lowers_its_class(zone: pl.DataFrame, pick: int, extra: float) -> None:
    i = pick % zone.height
    before = evaluate(zone, year=YEAR).enterprises.sort("uscc")
    raised = zone.with_columns(
        pl.when(pl.int_range(pl.len()) == i).then(pl.col("tax") + extra).otherwise(pl.col("tax")).alias("tax")
    )
    after = evaluate(raised, year=YEAR).enterprises.sort("uscc")
    c0, c1 = before["class"][i], after["class"][i]
    if c0 is not None:
        assert CLASS_ORDER[c1] <= CLASS_ORDER[c0]


@SETTINGS
@given(
    st.lists(st.integers(0, 10_000), min_size=1, max_size=60, unique=True),
    st.sampled_from([(20, 70, 95), (10, 50, 90), (30, 30, 100)]),
)
def test_class_counts_follow_the_quotas(taxes: list[int], quotas: tuple[int, int, int]) -> None:
    # Distinct totals (no cap in reach), so the cumulative counts are exactly ⌊pct × n / 100⌋.
    rows = [{"above_scale": False, "land_area_mu": 10.0, "tax": float(t)} for t in taxes]
    e = evaluate(frame(rows), tax_only_scheme(cap=1e9, quotas=quotas), year=YEAR).enterprises
    n = len(taxes)
    classes = e["class"].to_list()
    qa, qb, qc = quotas
    assert classes.count("A") == qa * n // 100
    assert classes.count("A") + classes.count("B") == qb * n // 100
    assert classes.count("A") + classes.count("B") + classes.count("C") == qc * n // 100


@SETTINGS
@given(zones())
def test_vetoed_is_always_d(zone: pl.DataFrame) -> None:
    e = evaluate(zone, year=YEAR).enterprises
    vetoed = e.filter(pl.col("status") == "vetoed")
    assert vetoed["class"].to_list() == ["D"] * vetoed.height
    assert vetoed["rank"].null_count() == vetoed.height
