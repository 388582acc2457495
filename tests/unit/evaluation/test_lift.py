"""Lift explanations: every answer re-checked with the engine (reached with the change, not with one step less)."""

from __future__ import annotations

import sys
from pathlib import Path

import polars as pl
import pytest

from zonehero.core.domain.uscc import make_uscc
from zonehero.core.evaluation import default_scheme, evaluate
from zonehero.core.evaluation.lift import STEP, LiftOption, explain_lift, lift_to_next_class
from zonehero.core.evaluation.scheme_model import CLASS_KEYS, Scheme
from zonehero.core.evaluation.whatif import vary_scheme
from zonehero.errors import NotFound

BENCHMARKS = Path(__file__).resolve().parents[3] / "benchmarks"
if str(BENCHMARKS) not in sys.path:
    sys.path.insert(0, str(BENCHMARKS))

from synthetic import make_zone  # noqa: E402

YEAR = 2025


def _class_with(frame: pl.DataFrame, scheme: Scheme, uscc: str, figure: str, value: float) -> str | None:
    changed = frame.with_columns(
        pl.when(pl.col("uscc") == uscc).then(pl.lit(value)).otherwise(pl.col(figure).cast(pl.Float64)).alias(figure)
    )
    row = evaluate(changed, scheme, year=YEAR).enterprise(uscc)
    assert row is not None
    return row["class"]


def assert_verified(frame: pl.DataFrame, scheme: Scheme, uscc: str, option: LiftOption) -> None:
    """The change lifts exactly to the target; one display step less does not (the cases here are monotone)."""
    assert option.reachable and option.verified
    assert option.required is not None and option.change is not None and option.current is not None
    assert option.required == pytest.approx(option.current + option.change)
    assert round(abs(option.change) / STEP, 6).is_integer()
    assert _class_with(frame, scheme, uscc, option.figure, option.required) == option.target_class
    if abs(option.change) > STEP / 2:
        sign = 1.0 if option.direction == "rise" else -1.0
        less = option.required - sign * STEP
        got = _class_with(frame, scheme, uscc, option.figure, less)
        assert got is not None
        assert CLASS_KEYS.index(got) > CLASS_KEYS.index(option.target_class), (option, got)
    assert f"{abs(option.change):.2f}" in option.message and f"升为 {option.target_class} 类" in option.message


SCHEMES = {
    "default": {},
    "industry": {"benchmark_mode": "industry"},
    "threshold": {"class_mode": "threshold", "thresholds": (110.0, 85.0, 60.0)},
    "group_mean": {"missing_policy": "group_mean", "cap": 1.5},
}


@pytest.fixture(scope="module")
def zone() -> pl.DataFrame:
    return make_zone(600, seed=31).to_polars()


@pytest.mark.parametrize("name", sorted(SCHEMES))
def test_every_explanation_is_verified_by_re_evaluation(zone: pl.DataFrame, name: str) -> None:
    scheme = vary_scheme(default_scheme(), **SCHEMES[name])
    result = evaluate(zone, scheme, year=YEAR)
    picked = []
    for group in ("above", "below"):
        for cls in ("B", "C", "D"):
            candidates = result.enterprises.filter(
                (pl.col("group") == group) & (pl.col("class") == cls) & (pl.col("status") == "evaluated")
            )
            if candidates.height:
                picked.append(candidates["uscc"][candidates.height // 2])
    assert len(picked) >= 5
    checked = 0
    for uscc in picked:
        explanation = explain_lift(zone, scheme, year=YEAR, uscc=uscc, result=result)
        assert explanation.target_class == CLASS_KEYS[CLASS_KEYS.index(explanation.current_class) - 1]
        assert [o.figure for o in explanation.options][:3] == ["tax", "value_added", "rd_expense"]
        for option in explanation.options:
            assert option.target_class == explanation.target_class
            if option.reachable:
                assert_verified(zone, scheme, uscc, option)
                checked += 1
            else:
                assert option.required is None and "无法升为" in option.message
    assert checked >= 8


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


@pytest.fixture
def small_zone() -> pl.DataFrame:
    rows = [_enterprise(i, tax=30.0 + 5 * i, revenue=800.0 + 50 * i) for i in range(1, 11)]
    rows.append(_enterprise(11, tax=500.0, revenue=9000.0, major_env_violation=True))
    rows.append(_enterprise(12, tax=10.0, revenue=300.0, production_start_year=YEAR))
    return pl.DataFrame(rows)


def test_unreachable_when_the_cap_bounds_the_figure(small_zone: pl.DataFrame) -> None:
    # Threshold A at 160: 亩均税收 can give at most 70 × 2 = 140, so with its 亩均营业收入 score (< 20)
    # no tax alone reaches A; giving back land raises both ratios and does.
    scheme = vary_scheme(default_scheme(), class_mode="threshold", thresholds=(160.0, 60.0, 30.0))
    result = evaluate(small_zone, scheme, year=YEAR)
    row = result.enterprises.filter((pl.col("class") == "B") & (pl.col("revenue_per_mu__score") < 20))
    assert row.height
    uscc = row["uscc"][0]
    options = {o.figure: o for o in lift_to_next_class(small_zone, scheme, year=YEAR, uscc=uscc)}
    assert not options["tax"].reachable
    assert "比值上限" in options["tax"].message
    assert not options["value_added"].reachable and "不使用" in options["value_added"].message
    assert not options["energy_tce"].reachable
    land = options["land_area_mu"]
    assert land.direction == "cut"
    if land.reachable:
        assert land.required is not None and land.required >= 5.0
        assert_verified(small_zone, scheme, uscc, land)
    else:
        assert "5 亩" in land.message


def test_benchmark_moves_with_the_enterprise(small_zone: pl.DataFrame) -> None:
    """A quota-mode lift: the required tax is more than a fixed benchmark would need, because B rises with it."""
    scheme = default_scheme()
    result = evaluate(small_zone, scheme, year=YEAR)
    d = result.enterprises.filter((pl.col("class") == "D") & (pl.col("status") == "evaluated"))
    uscc = d["uscc"][0]
    options = {o.figure: o for o in lift_to_next_class(small_zone, scheme, year=YEAR, uscc=uscc)}
    tax = options["tax"]
    assert_verified(small_zone, scheme, uscc, tax)
    bench_before = result.enterprise(uscc)["tax_per_mu__benchmark"]
    changed = small_zone.with_columns(
        pl.when(pl.col("uscc") == uscc).then(pl.lit(tax.required)).otherwise(pl.col("tax")).alias("tax")
    )
    bench_after = evaluate(changed, scheme, year=YEAR).enterprise(uscc)["tax_per_mu__benchmark"]
    assert bench_after > bench_before


def test_an_a_enterprise_has_no_next_class(small_zone: pl.DataFrame) -> None:
    result = evaluate(small_zone, default_scheme(), year=YEAR)
    uscc = result.enterprises.filter(pl.col("class") == "A")["uscc"][0]
    explanation = explain_lift(small_zone, default_scheme(), year=YEAR, uscc=uscc)
    assert explanation.options == [] and explanation.target_class is None
    assert "已是 A 类" in explanation.summary
    assert lift_to_next_class(small_zone, default_scheme(), year=YEAR, uscc=uscc) == []


def test_a_vetoed_enterprise_cannot_be_lifted_by_figures(small_zone: pl.DataFrame) -> None:
    uscc = small_zone["uscc"][10]
    explanation = explain_lift(small_zone, default_scheme(), year=YEAR, uscc=uscc)
    assert explanation.status == "vetoed" and explanation.current_class == "D"
    assert explanation.options == []
    assert "一票否决" in explanation.summary


def test_an_exempt_enterprise_has_no_class_to_lift(small_zone: pl.DataFrame) -> None:
    explanation = explain_lift(small_zone, default_scheme(), year=YEAR, uscc=small_zone["uscc"][11])
    assert explanation.status == "exempt" and explanation.options == []
    assert "不参评" in explanation.summary


def test_unknown_enterprise_is_not_found(small_zone: pl.DataFrame) -> None:
    with pytest.raises(NotFound):
        lift_to_next_class(small_zone, default_scheme(), year=YEAR, uscc="91350100M000100Y43")


def test_energy_from_the_breakdown_is_cut_through_electricity() -> None:
    zone = make_zone(400, seed=41).to_polars()
    scheme = default_scheme()
    result = evaluate(zone, scheme, year=YEAR)
    candidates = result.enterprises.join(zone.select("uscc", pl.col("energy_tce").alias("given")), on="uscc").filter(
        (pl.col("group") == "above")
        & pl.col("class").is_in(["C", "D"])
        & (pl.col("status") == "evaluated")
        & pl.col("given").is_null()
        & pl.col("energy_tce").is_not_null()
        & (pl.col("value_added_per_energy__ratio") < 1.0)
    )
    checked = 0
    for uscc in candidates["uscc"].to_list():
        if zone.filter(pl.col("uscc") == uscc)["electricity_10k_kwh"][0] is None:
            continue
        options = {o.figure: o for o in lift_to_next_class(zone, scheme, year=YEAR, uscc=uscc)}
        electricity = options["electricity_10k_kwh"]
        assert "用电量" in electricity.message
        if electricity.reachable:
            assert "分品种" in electricity.message
            assert_verified(zone, scheme, uscc, electricity)
            checked += 1
        if checked == 2:
            break
    assert checked >= 1
