"""§2: each enterprise gets exactly one status, the first that applies, and a group."""

from __future__ import annotations

import pytest
from eval_helpers import YEAR, below, by_uscc, frame

from zonehero.core.evaluation import evaluate


def _statuses(rows: list[dict]) -> tuple[list[str], list[str | None]]:
    e = evaluate(frame(rows), year=YEAR).enterprises
    return by_uscc(e, "status"), by_uscc(e, "group")


def test_below_scale_with_little_or_no_land_is_out_of_scope() -> None:
    status, group = _statuses([below(1.0, land=4.99), below(1.0, land=None), below(1.0, land=5.0)])
    assert status == ["out_of_scope", "out_of_scope", "evaluated"]
    assert group == [None, None, "below"]


def test_missing_above_scale_flag_is_decided_from_revenue() -> None:
    rows = [
        {"above_scale": None, "revenue": 2000.0, "land_area_mu": None, "tax": 1.0},
        {"above_scale": None, "revenue": 1999.99, "land_area_mu": 3.0, "tax": 1.0},
        {"above_scale": None, "revenue": None, "land_area_mu": 8.0, "tax": 1.0},
    ]
    status, group = _statuses(rows)
    assert status == ["evaluated", "out_of_scope", "evaluated"]
    assert group == ["above", None, "below"]


def test_veto_flag_makes_vetoed_but_out_of_scope_comes_first() -> None:
    rows = [
        below(1.0, major_safety_accident=True),
        below(1.0, major_env_violation=True, production_start_year=YEAR),
        below(1.0, land=2.0, major_env_violation=True),
        below(1.0, major_safety_accident=None),
    ]
    status, _ = _statuses(rows)
    assert status == ["vetoed", "vetoed", "out_of_scope", "evaluated"]


@pytest.mark.parametrize(
    ("start_year", "expected"),
    [(YEAR, "exempt"), (YEAR - 2, "exempt"), (YEAR - 3, "evaluated"), (None, "evaluated")],
)
def test_first_three_production_years_are_exempt(start_year: int | None, expected: str) -> None:
    status, _ = _statuses([below(1.0, production_start_year=start_year), below(2.0)])
    assert status[0] == expected


def test_utility_industries_are_exempt() -> None:
    codes = ["D4411", "D4520", "D4610", "C4411", "D4311", None]
    status, _ = _statuses([below(1.0, industry_code=c) for c in codes])
    assert status == ["exempt", "exempt", "exempt", "evaluated", "evaluated", "evaluated"]


def test_exempt_and_out_of_scope_have_no_score_or_class() -> None:
    e = evaluate(
        frame([below(1.0, production_start_year=YEAR), below(1.0, land=1.0), below(2.0)]), year=YEAR
    ).enterprises
    for column in ("total_score", "bonus", "rank", "class", "tax_per_mu__score", "carbon_grade", "policy_name"):
        assert by_uscc(e, column)[:2] == [None, None], column
    assert by_uscc(e, "tax_per_mu__value")[0] == pytest.approx(0.1)  # the value is still shown
