"""§6-7a: ranks, classes (quota and threshold, vetoed), carbon grade and the D surcharge by history."""

from __future__ import annotations

import polars as pl
import pytest
from eval_helpers import YEAR, below, by_uscc, frame, tax_only_scheme

from zonehero.core.evaluation import evaluate


def _classes(taxes: list[float], **scheme_changes: object) -> list[str | None]:
    e = evaluate(frame([below(t) for t in taxes]), tax_only_scheme(cap=1000, **scheme_changes), year=YEAR).enterprises
    return by_uscc(e, "class")


# Enterprise i has tax n − i + 1, so rank i. Expected lists written by hand from rank × 100 <= pct × n.
QUOTA_CASES = {
    1: ["D"],  # 100 > 95
    3: ["B", "B", "D"],  # A needs <= 60; B <= 210; C <= 285
    7: ["A", "B", "B", "B", "C", "C", "D"],  # 140 / 490 / 665
    10: ["A", "A", "B", "B", "B", "B", "B", "C", "C", "D"],  # 200 / 700 / 950
    20: ["A"] * 4 + ["B"] * 10 + ["C"] * 5 + ["D"],  # 400 / 1400 / 1900
}


@pytest.mark.parametrize("n", sorted(QUOTA_CASES))
def test_quota_edges(n: int) -> None:
    assert _classes([float(n - i) for i in range(n)]) == QUOTA_CASES[n]


def test_ties_share_the_better_rank() -> None:
    e = evaluate(
        frame([below(t) for t in [10.0, 10.0, 8.0, 8.0, 8.0, 5.0]]), tax_only_scheme(cap=1000), year=YEAR
    ).enterprises
    assert by_uscc(e, "rank") == [1, 1, 3, 3, 3, 6]
    # n = 6: A <= 120 (rank 1), B <= 420 (rank 3), C <= 570, rank 6 → 600 → D.
    assert by_uscc(e, "class") == ["A", "A", "B", "B", "B", "D"]


def test_threshold_mode() -> None:
    # B = 10 / 10 = 1 per enterprise-average; ratios 0.95, 0.7, 0.5, 0.49 … chosen around the default lines 90/70/50.
    taxes = [9.5, 7.0, 5.0, 4.9, 13.6]  # Σ = 40 over 50 亩 → B = 0.8; totals 118.75, 87.5, 62.5, 61.25, 170
    e = evaluate(
        frame([below(t) for t in taxes]), tax_only_scheme(cap=1000, class_mode="threshold"), year=YEAR
    ).enterprises
    assert by_uscc(e, "total_score") == pytest.approx([118.75, 87.5, 62.5, 61.25, 170.0])
    assert by_uscc(e, "class") == ["A", "B", "C", "C", "A"]
    e2 = evaluate(
        frame([below(t) for t in taxes]),
        tax_only_scheme(cap=1000, class_mode="threshold", thresholds=(150.0, 100.0, 62.5)),
        year=YEAR,
    ).enterprises
    assert by_uscc(e2, "class") == ["B", "C", "C", "D", "A"]


def test_vetoed_is_d_and_not_ranked() -> None:
    rows = [below(float(10 - i)) for i in range(10)] + [below(100.0, major_safety_accident=True)]
    e = evaluate(frame(rows), tax_only_scheme(cap=1000), year=YEAR).enterprises
    classes = by_uscc(e, "class")
    assert classes[:10] == QUOTA_CASES[10]  # n counts evaluated only
    assert classes[10] == "D"
    assert by_uscc(e, "rank")[10] is None
    assert by_uscc(e, "total_score")[10] > by_uscc(e, "total_score")[0]  # scored so it sees what it would have had


def test_vetoed_capped_at_c_takes_its_score_class_but_no_better_than_c() -> None:
    evaluated = [below(float(10 - i)) for i in range(10)]
    vetoed = [
        below(100.0, major_env_violation=True),  # as-if rank 1 → A → C
        below(100.0, major_env_violation=True),  # same score: the other vetoed does not push it down
        below(1.5, major_env_violation=True),  # 9 evaluated higher → rank 10 → D
        below(3.0, major_env_violation=True),  # ties the tax-3 evaluated → rank 8 → C
    ]
    e = evaluate(frame(evaluated + vetoed), tax_only_scheme(cap=1000, vetoed_class="C"), year=YEAR).enterprises
    classes = by_uscc(e, "class")
    assert classes[:10] == QUOTA_CASES[10]
    assert classes[10:] == ["C", "C", "D", "C"]


def test_class_counts_per_group() -> None:
    r = evaluate(frame([below(float(i)) for i in range(1, 11)]), tax_only_scheme(cap=1000), year=YEAR)
    below_counts = dict(r.counts.filter(pl.col("group") == "below").select("class", "count").iter_rows())
    assert below_counts == {"A": 2, "B": 5, "C": 2, "D": 1}
    assert r.counts.filter(pl.col("group") == "above")["count"].sum() == 0


def test_carbon_grade() -> None:
    def row(co2: float | None, va: float, code: str = "C3985", **extra: object) -> dict:
        return {"above_scale": True, "co2_t": co2, "value_added": va, "industry_code": code, **extra}

    rows = [
        row(60.0, 100.0),  # L 0.6
        row(100.0, 100.0),  # L 1.0
        row(300.0, 100.0),  # L 3.0
        row(0.0, 100.0),  # L 0
        row(200.0, 100.0, major_env_violation=True),  # vetoed: counts and gets a grade
        row(100.0, -5.0),  # value added not above 0 → no L
        row(None, 100.0),  # no CO2 → no L
        row(100.0, 100.0, code="C1311"),  # division 13 has 1 < 5 → group-wide L_ind
        row(100.0, 100.0, production_start_year=YEAR),  # exempt: no grade, not in L_ind
    ]
    e = evaluate(frame(rows), year=YEAR).enterprises
    # Division 39: 5 with both → L_ind = 660 / 500 = 1.32. Group-wide: 760 / 600 = 1.2666…
    k = by_uscc(e, "carbon_k")
    assert k[:5] == pytest.approx([0.6 / 1.32, 1 / 1.32, 3 / 1.32, 0.0, 2 / 1.32])
    assert k[7] == pytest.approx(1 / (760 / 600))
    assert by_uscc(e, "carbon_grade") == [1, 2, 5, 1, 4, None, None, 2, None]


def test_d_surcharge_rises_with_consecutive_d_years() -> None:
    # B = 10 / 40 = 0.25: taxes 1 → total 40 (D), tax 7 → 280 (A) in threshold mode.
    rows = [below(1.0), below(1.0), below(1.0), below(7.0)]
    scheme = tax_only_scheme(cap=1000, class_mode="threshold")
    f = frame(rows)
    u = f["uscc"].to_list()
    history = pl.DataFrame({"uscc": [u[1], u[2], u[3]], "prior_consecutive_d": [1, 4, 2]})
    e = evaluate(f, scheme, year=YEAR, history=history).enterprises
    assert by_uscc(e, "class") == ["D", "D", "D", "A"]
    assert by_uscc(e, "consecutive_d_year") == [1, 2, 5, None]
    assert by_uscc(e, "electricity_surcharge") == [0.05, 0.10, 0.15, 0.0]
    assert by_uscc(e, "policy_name") == ["整治提升类"] * 3 + ["优先发展类"]
    # Without history every D is a first D year.
    e1 = evaluate(f, scheme, year=YEAR).enterprises
    assert by_uscc(e1, "electricity_surcharge") == [0.05, 0.05, 0.05, 0.0]
