"""低效用地认定 and the potential, by hand-computed examples; the optional [inefficient_land] table of a scheme."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest

from zonehero.core.evaluation.scheme import default_scheme_text, parse_scheme, scheme_to_toml
from zonehero.core.evaluation.scheme_diff import diff_schemes, scheme_entries
from zonehero.core.land.inefficient import (
    EnterpriseFact,
    InefficientLandRules,
    Reason,
    benchmark_by_group,
    find_cases,
    potential,
    total_potential,
)
from zonehero.core.land.model import Parcel, ParcelStatus
from zonehero.errors import SchemeError

RULES = InefficientLandRules()


def fact(uscc: str, **kw: object) -> EnterpriseFact:
    base: dict[str, object] = {"group": "above", "class_": "B", "land_mu": 10.0, "tax": 200.0, "benchmark": 20.0}
    base.update(kw)
    base.setdefault("tax_per_mu", float(base["tax"]) / float(base["land_mu"]))  # type: ignore[arg-type]
    return EnterpriseFact(uscc=uscc, **base)  # type: ignore[arg-type]


class TestPotential:
    def test_by_hand(self) -> None:
        # 30 亩 × 20 万元/亩 = 600 万元 at the benchmark; it paid 150 → 450 万元 more.
        assert potential(30.0, 20.0, 150.0) == pytest.approx(450.0)

    def test_floored_at_zero(self) -> None:
        # 10 亩 × 20 = 200 < 260 paid: nothing to gain.
        assert potential(10.0, 20.0, 260.0) == 0.0

    def test_no_benchmark_no_potential(self) -> None:
        assert potential(10.0, None, 0.0) == 0.0


class TestEnterpriseRules:
    def test_d_class_marked(self) -> None:
        [case] = find_cases([fact("D1", class_="D")], [], RULES, 2023)
        assert case.reasons == (Reason.D_CLASS,)

    def test_d_class_rule_off(self) -> None:
        assert find_cases([fact("D1", class_="D")], [], InefficientLandRules(d_class=False), 2023) == []

    def test_low_tax_per_mu_below_the_share(self) -> None:
        # benchmark 20, share 0.5 → threshold 10 万元/亩; 9.9 is below, 10.0 is not (strictly below).
        low = fact("L", tax=99.0)  # 99 / 10 = 9.9
        edge = fact("E", tax=100.0)  # 100 / 10 = 10.0
        cases = find_cases([low, edge], [], RULES, 2023)
        assert [c.uscc for c in cases] == ["L"]
        assert cases[0].reasons == (Reason.LOW_TAX_PER_MU,)
        assert cases[0].share_of_benchmark == pytest.approx(0.495)
        # 10 亩 × 20 − 99 = 101 万元
        assert cases[0].potential == pytest.approx(101.0)

    def test_share_is_configurable(self) -> None:
        # share 0.8 → threshold 16: 15 万元/亩 is below.
        assert find_cases([fact("X", tax=150.0)], [], InefficientLandRules(tax_per_mu_share=0.8), 2023)
        assert not find_cases([fact("X", tax=150.0)], [], InefficientLandRules(tax_per_mu_share=0.0), 2023)

    def test_not_evaluated_is_not_low(self) -> None:
        assert not find_cases([fact("V", tax=0.0, status="vetoed", class_=None)], [], RULES, 2023)

    def test_both_reasons_sorted_by_potential(self) -> None:
        a = fact("A", class_="D", tax=20.0, land_mu=20.0)  # 20 × 20 − 20 = 380
        b = fact("B", tax=50.0)  # 10 × 20 − 50 = 150
        cases = find_cases([b, a], [], RULES, 2023)
        assert [(c.uscc, c.potential) for c in cases] == [("A", 380.0), ("B", 150.0)]
        assert cases[0].reasons == (Reason.D_CLASS, Reason.LOW_TAX_PER_MU)
        assert total_potential(cases) == pytest.approx(530.0)


class TestParcelRules:
    def test_idle_parcel_joins_its_holders_case(self) -> None:
        parcel = Parcel("ZD-1", "A", 6670.0, ParcelStatus.IDLE)
        [case] = find_cases([fact("A")], [parcel], RULES, 2023)
        assert case.reasons == (Reason.IDLE,) and case.parcels == ("ZD-1",)
        assert case.land_mu == 10.0  # the evaluated land, which holds the parcel

    def test_holder_outside_the_run(self) -> None:
        # 10000 m² = 15 亩; no tax; benchmark of 规上 20 → 300 万元.
        parcel = Parcel("ZD-2", "Z", 10000.0, ParcelStatus.IDLE)
        [case] = find_cases([], [parcel], RULES, 2023, default_benchmark=20.0)
        assert case.land_mu == pytest.approx(15.0) and case.potential == pytest.approx(300.0)

    def test_unused_supplied_land(self) -> None:
        # Supplied 2021-12-31: 730 days to 2023-12-31 ≥ 2 × 365 → 批而未用; 2022-01-02 is 728 days → not yet.
        old = Parcel("ZD-3", "A", 1000.0, ParcelStatus.UNDER_CONSTRUCTION, acquired=dt.date(2021, 12, 31))
        new = Parcel("ZD-4", "B", 1000.0, ParcelStatus.UNDER_CONSTRUCTION, acquired=dt.date(2022, 1, 2))
        used = Parcel("ZD-5", "C", 1000.0, ParcelStatus.IN_USE, acquired=dt.date(2000, 1, 1))
        cases = find_cases([], [old, new, used], RULES, 2023)
        assert [(c.uscc, c.reasons) for c in cases] == [("A", (Reason.UNUSED,))]
        assert not find_cases([], [old], InefficientLandRules(unused_supplied_land=False), 2023)
        assert find_cases([], [new], InefficientLandRules(unused_years=1.0), 2023)

    def test_no_parcels_no_parcel_cases(self) -> None:
        assert find_cases([fact("A")], [], RULES, 2023) == []


def test_benchmark_by_group() -> None:
    rows = [
        {"group": "above", "indicator": "tax_per_mu", "industry_division": None, "benchmark": 25.0},
        {"group": "below", "indicator": "tax_per_mu", "industry_division": None, "benchmark": 8.0},
        {"group": "above", "indicator": "tax_per_mu", "industry_division": "C", "benchmark": 99.0},
        {"group": "above", "indicator": "value_added_per_mu", "industry_division": None, "benchmark": 50.0},
    ]
    assert benchmark_by_group(rows) == {"above": 25.0, "below": 8.0}


TABLE = """
[inefficient_land]
d_class = false
tax_per_mu_share = 0.6
idle_parcels = true
unused_supplied_land = false
unused_years = 3
"""


class TestSchemeTable:
    def test_absent_as_before(self) -> None:
        text = default_scheme_text()
        scheme = parse_scheme(text)
        assert scheme.inefficient_land is None and scheme.inefficient_rules == InefficientLandRules()
        assert scheme.digest == hashlib.sha256(text.encode("utf-8")).hexdigest()
        assert "[inefficient_land]" not in scheme_to_toml(scheme)
        assert not any(e.key.startswith("inefficient_land.") for e in scheme_entries(scheme))

    def test_parsed_and_written_back(self) -> None:
        scheme = parse_scheme(default_scheme_text() + TABLE)
        assert scheme.inefficient_land == InefficientLandRules(
            d_class=False, tax_per_mu_share=0.6, idle_parcels=True, unused_supplied_land=False, unused_years=3.0
        )
        assert parse_scheme(scheme_to_toml(scheme)).inefficient_land == scheme.inefficient_land

    def test_missing_keys_take_the_default(self) -> None:
        scheme = parse_scheme(default_scheme_text() + "\n[inefficient_land]\ntax_per_mu_share = 0.3\n")
        assert scheme.inefficient_land == InefficientLandRules(tax_per_mu_share=0.3)

    @pytest.mark.parametrize(
        ("table", "path", "words"),
        [
            ("[inefficient_land]\nshare = 0.5\n", "inefficient_land.share", "未知的键"),
            ("[inefficient_land]\ntax_per_mu_share = 1.5\n", "inefficient_land.tax_per_mu_share", "0 到 1"),
            ('[inefficient_land]\nd_class = "yes"\n', "inefficient_land.d_class", "布尔值"),
            ("[inefficient_land]\nunused_years = -1\n", "inefficient_land.unused_years", "不能为负数"),
        ],
    )
    def test_bad_refused(self, table: str, path: str, words: str) -> None:
        with pytest.raises(SchemeError) as err:
            parse_scheme(default_scheme_text() + "\n" + table)
        [problem] = err.value.problems
        assert problem.column == path and words in problem.message

    def test_diff_names_changes(self) -> None:
        plain = parse_scheme(default_scheme_text())
        changed = parse_scheme(default_scheme_text() + TABLE)
        changes = {c.key: c for c in diff_schemes(plain, changed) if c.key.startswith("inefficient_land.")}
        assert changes["inefficient_land.tax_per_mu_share"].new == "0.6"
        assert changes["inefficient_land.d_class"].section == "低效用地认定规则"


class TestPlanOutcome:
    def test_better_class_is_improved(self) -> None:
        from zonehero.core.land.inefficient import Outcome, plan_outcome

        assert plan_outcome("D", "C", has_next=True) is Outcome.IMPROVED
        assert plan_outcome("D", "A", has_next=True).label == "已提升"

    def test_same_or_no_class_is_not_improved(self) -> None:
        from zonehero.core.land.inefficient import Outcome, plan_outcome

        assert plan_outcome("D", "D", has_next=True) is Outcome.NOT_IMPROVED
        assert plan_outcome("D", None, has_next=True) is Outcome.NOT_IMPROVED  # vetoed or out of scope

    def test_no_next_run(self) -> None:
        from zonehero.core.land.inefficient import Outcome, plan_outcome

        assert plan_outcome("D", None, has_next=False).label == "尚无下一年度结果" == Outcome.NO_RESULT.label
