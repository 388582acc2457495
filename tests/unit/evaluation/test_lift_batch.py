"""The 升类路径 of a whole run at once (lift_all) gives every enterprise the answer of the engine-checked search.

explain_lift searches one enterprise and re-runs the engine on each answer; lift_all searches every enterprise
together with bounds and re-scores only the few rivals near each boundary. They must agree option by option:
the same figures, reachability, change on the 0.01 grid, required value, reached class, new rank and message.
"""

from __future__ import annotations

import sys
from pathlib import Path

import polars as pl
import pytest

from zonehero.core.domain.uscc import make_uscc
from zonehero.core.evaluation import default_scheme, evaluate
from zonehero.core.evaluation.lift import LiftExplanation, explain_lift
from zonehero.core.evaluation.lift_batch import lift_all
from zonehero.core.evaluation.lift_book import LiftBook, to_bytes
from zonehero.core.evaluation.whatif import vary_scheme

BENCHMARKS = Path(__file__).resolve().parents[3] / "benchmarks"
if str(BENCHMARKS) not in sys.path:
    sys.path.insert(0, str(BENCHMARKS))

from synthetic import make_zone  # noqa: E402

YEAR = 2025
SCHEMES = {
    "default": {},
    "industry": {"benchmark_mode": "industry"},
    "threshold": {"class_mode": "threshold", "thresholds": (110.0, 85.0, 60.0)},
    "group_mean": {"missing_policy": "group_mean", "cap": 1.5},
    "fixed": {},
}


def _same(old: LiftExplanation, new: LiftExplanation) -> None:
    assert (new.status, new.current_class, new.target_class, new.summary) == (
        old.status,
        old.current_class,
        old.target_class,
        old.summary,
    )
    assert len(new.options) == len(old.options)
    for a, b in zip(old.options, new.options, strict=True):
        fields = ("figure", "reachable", "change", "required", "reached_class", "new_rank", "message", "verified")
        assert {f: getattr(b, f) for f in fields} == {f: getattr(a, f) for f in fields}, (old.uscc, a)
        if a.new_total is not None:
            assert b.new_total == pytest.approx(a.new_total, rel=1e-12, abs=1e-9)


def _compare(zone: pl.DataFrame, scheme_name: str, every: int = 1) -> int:
    if scheme_name != "fixed":
        scheme = vary_scheme(default_scheme(), **SCHEMES[scheme_name]) if SCHEMES[scheme_name] else default_scheme()
    else:
        result = evaluate(zone, default_scheme(), year=YEAR)
        fixed: dict[str, dict[str, float]] = {}
        for row in result.benchmarks.iter_rows(named=True):
            if row["benchmark"] is not None:
                fixed.setdefault(row["group"], {})[row["indicator"]] = float(row["benchmark"])
        scheme = vary_scheme(default_scheme(), benchmark_mode="fixed", fixed_benchmarks=fixed)
    result = evaluate(zone, scheme, year=YEAR)
    answers = lift_all(result)
    assert set(answers) == set(result.enterprises["uscc"])
    checked = 0
    for i, uscc in enumerate(sorted(answers)):
        if i % every:
            continue
        _same(explain_lift(zone, scheme, year=YEAR, uscc=uscc, result=result), answers[uscc])
        checked += 1
    return checked


@pytest.fixture(scope="module")
def zone() -> pl.DataFrame:
    return make_zone(60, seed=7).to_polars()


def test_every_enterprise_agrees_under_the_default_scheme(zone: pl.DataFrame) -> None:
    assert _compare(zone, "default") == 60


@pytest.mark.parametrize("name", ["industry", "threshold", "group_mean", "fixed"])
def test_scheme_variants_agree(zone: pl.DataFrame, name: str) -> None:
    assert _compare(zone, name, every=3) == 20


def _capped_zone() -> pl.DataFrame:
    """Enterprises whose scores sit at the cap: many exact ties of totals (130.0, 110.0) at the class boundaries."""
    rows = []
    for i in range(1, 25):
        rows.append(
            {
                "uscc": make_uscc(f"913601000{i:07d}"),
                "name": f"企业{i}",
                "industry_code": "C3985",
                "above_scale": False,
                "land_area_mu": 10.0 if i % 3 else 40.0,
                "revenue": 1000.0 * (1 + i % 4),
                "tax": 400.0 if i % 2 else 10.0 + i,
            }
        )
    return pl.DataFrame(rows)


def test_exact_ties_at_the_cap_agree() -> None:
    assert _compare(_capped_zone(), "default") == 24


def test_the_kept_book_reads_back_every_explanation(zone: pl.DataFrame) -> None:
    result = evaluate(zone, default_scheme(), year=YEAR)
    answers = lift_all(result)
    book = LiftBook(to_bytes(answers))
    assert len(book) == len(answers)
    for uscc, explanation in answers.items():
        assert book.get(uscc) == explanation
    assert book.get("91350100M000100Y43") is None
