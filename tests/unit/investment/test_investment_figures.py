"""The 招商 figures of spec investment.md §2–§3 on hand-computed examples (the arithmetic is in the comments)."""

from __future__ import annotations

import pytest
from invest_factory import d, lead, signed

from zonehero.core.investment import LeadStage, build_projects, year_figures
from zonehero.core.investment.figures import FIGURE_KEYS, leads_as_of
from zonehero.core.zone import InvestmentThresholds
from zonehero.errors import InputError

# Project P1: signed 5000, then a 增资 to 8000 the same year, a re-signing at 6000 (lower) and a 增资 to 12000
# the next year.
P1 = [
    signed("L1", "2024-03-01", 5000, project_code="P1"),
    signed("L2", "2024-09-01", 8000, project_code="P1"),
    signed("L3", "2025-02-01", 6000, project_code="P1"),
    signed("L4", "2025-05-01", 12000, project_code="P1"),
]


class TestCountedInvestment:
    def test_an_increase_counts_only_the_increase(self) -> None:
        (project,) = build_projects(P1)
        # L1 in full 5000; L2 8000 − 5000 = 3000; L3 6000 − 8000 < 0 → 0; L4 12000 − 8000 = 4000.
        assert [s.counted_investment for s in project.signings] == [5000, 3000, 0, 4000]
        assert project.contract_investment == 12000  # the largest of 5000, 8000, 6000, 12000
        assert project.first_signing.lead.lead_id == "L1"

    def test_the_year_counts_first_signings_and_increases_dated_in_it(self) -> None:
        y2024 = year_figures(P1, 2024, d("2024-12-31"))
        assert y2024.signed_projects == 1
        assert y2024.signed_investment == 8000  # 5000 + 3000
        y2025 = year_figures(P1, 2025, d("2025-12-31"))
        assert y2025.signed_projects == 0  # P1's first signing is in 2024
        assert y2025.signed_investment == 4000  # 0 + 4000

    def test_the_cohort_contract_investment_grows_with_a_later_increase(self) -> None:
        # As of the end of 2024 P1's contract is 8000 (< 10000); by the end of 2025 it is 12000 (≥ 10000).
        assert year_figures(P1, 2024, d("2024-12-31")).projects_over_1e8 == 0
        assert year_figures(P1, 2024, d("2025-12-31")).projects_over_1e8 == 1

    def test_two_signings_on_one_day_are_taken_in_lead_id_order(self) -> None:
        leads = [
            signed("L10", "2024-05-01", 9000, project_code="P"),
            signed("L9", "2024-05-01", 7000, project_code="P"),
        ]
        (project,) = build_projects(leads)
        # L9 before L10 (9 < 10 by value): L9 counts 7000, L10 9000 − 7000 = 2000.
        assert [(s.lead.lead_id, s.counted_investment) for s in project.signings] == [("L9", 7000), ("L10", 2000)]
        assert year_figures(leads, 2024, d("2024-12-31")).signed_investment == 9000

    def test_a_signed_lead_without_a_code_is_a_project_of_its_own(self) -> None:
        leads = [signed("A", "2024-04-01", 3000), signed("B", "2024-04-02", 3000)]
        figures = year_figures(leads, 2024, d("2024-12-31"))
        assert figures.signed_projects == 2 and figures.signed_investment == 6000  # 3000 + 3000


class TestRates:
    def test_signed_one_year_started_the_next(self) -> None:
        leads = [
            signed("S1", "2024-06-01", 20000, project_code="P2", landed_on="2024-08-01", started_on="2025-03-01"),
            signed("S2", "2024-07-01", 1000, project_code="P3"),
        ]
        inside = year_figures(leads, 2024, d("2024-12-31"))
        # Cohort 2024 = {P2, P3}. Landed: P2 → 1/2; started: none by 2024-12-31 → 0/2.
        assert inside.landing_rate == 0.5
        assert inside.start_rate == 0.0
        assert inside.production_rate == 0.0
        after = year_figures(leads, 2024, d("2025-06-30"))
        assert after.start_rate == 0.5  # P2 started 2025-03-01 ≤ 2025-06-30: 1/2
        # Still 2024's cohort: the start in 2025 does not make P2 a 2025 project.
        assert year_figures(leads, 2025, d("2025-06-30")).signed_projects == 0

    def test_funding_rate_with_partial_payments(self) -> None:
        leads = [
            signed("F1", "2024-03-01", 10000, project_code="A", paid_in=4000),
            # Project B: 30000 signed; its two leads report 2000 and 6000 paid in → the larger, 6000.
            signed("F2", "2024-04-01", 30000, project_code="B", paid_in=2000),
            lead("F3", project_code="B", paid_in=6000, stage=LeadStage.LANDED),
            # Project C: signed, nothing paid in (empty counts 0).
            signed("F4", "2024-05-01", 10000, project_code="C"),
        ]
        figures = year_figures(leads, 2024, d("2024-12-31"))
        # (4000 + 6000 + 0) / (10000 + 30000 + 10000) = 10000 / 50000 = 0.2
        assert figures.funding_rate == pytest.approx(0.2)

    def test_a_zero_denominator_gives_null_never_zero(self) -> None:
        figures = year_figures([lead("N1")], 2024, d("2024-12-31"))
        assert figures.signed_projects == 0
        assert figures.landing_rate is None and figures.start_rate is None
        assert figures.production_rate is None and figures.funding_rate is None
        free = year_figures([signed("N2", "2024-02-01", 0, landed_on="2024-03-01")], 2024, d("2024-12-31"))
        # One project with a contract of 0 万元: 1/1 landed, but Σ contract = 0 → funding_rate null.
        assert free.landing_rate == 1.0 and free.funding_rate is None

    def test_a_projects_dates_are_the_earliest_of_its_leads(self) -> None:
        leads = [
            signed("E1", "2024-02-01", 100, project_code="P", produced_on="2024-11-01", started_on="2024-10-01"),
            lead("E2", project_code="P", started_on="2024-05-01", produced_on="2025-01-10"),
        ]
        (project,) = build_projects(leads)
        assert project.started_on == d("2024-05-01") and project.produced_on == d("2024-11-01")


class TestAsOf:
    def test_dates_after_the_as_of_date_are_absent(self) -> None:
        leads = [
            signed("A1", "2024-03-01", 500, started_on="2024-07-01", stage=LeadStage.LANDED),
            signed("A2", "2024-08-01", 700),  # signed after D: not a signing yet
            lead("A3", reported_on="2024-06-15", stage=LeadStage.CONTACT),  # reported after D: not a lead yet
        ]
        figures = year_figures(leads, 2024, d("2024-06-01"))
        assert figures.signed_projects == 1 and figures.signed_investment == 500
        assert figures.start_rate == 0.0  # A1 started 2024-07-01 > D
        # A1 and A2 were reported 2023-12-01; A3 is not counted.
        assert figures.stage_counts == {"线索": 0, "接洽": 0, "考察": 0, "洽谈": 0, "签约": 1, "落地": 1, "终止": 0}
        (a1, a2) = leads_as_of(leads, d("2024-06-01"))
        assert a1.started_on is None and a2.signed_on is None

    def test_an_as_of_date_before_the_year_is_refused(self) -> None:
        with pytest.raises(InputError, match="早于 2025 年"):
            year_figures([], 2025, d("2024-12-31"))


class TestStagesAndThresholds:
    def test_a_terminated_lead_counts_only_in_its_stage(self) -> None:
        leads = [
            signed("T1", "2024-03-01", 2000),
            lead("T2", stage=LeadStage.TERMINATED),
            lead("T3", stage=LeadStage.NEGOTIATION),
        ]
        figures = year_figures(leads, 2024, d("2024-12-31"))
        assert figures.signed_projects == 1 and figures.signed_investment == 2000
        assert figures.stage_counts == {"线索": 0, "接洽": 0, "考察": 0, "洽谈": 1, "签约": 1, "落地": 0, "终止": 1}

    def test_sizes_and_the_5020_rule(self) -> None:
        leads = [
            signed("B1", "2024-01-10", 9999.99),  # under 1 亿
            signed("B2", "2024-02-10", 10000),  # exactly 1 亿: counts (≥)
            signed("B3", "2024-03-10", 100000),  # 10 亿
            signed("B4", "2024-04-10", 500000),  # 50 亿
        ]
        figures = year_figures(leads, 2024, d("2024-12-31"))
        assert (figures.projects_over_1e8, figures.projects_over_1e9, figures.projects_over_5e9) == (3, 2, 1)
        assert figures.rule_5020_met is True
        stricter = InvestmentThresholds(over_1e8=5000, over_1e9=100000, over_5e9=500000, rule_5020_min_projects=2)
        changed = year_figures(leads, 2024, d("2024-12-31"), stricter)
        # 9999.99 ≥ 5000 now: 4 projects over the first size; one 50 亿 project < 2 required.
        assert changed.projects_over_1e8 == 4 and changed.rule_5020_met is False

    def test_the_dict_has_exactly_the_spec_keys_in_order(self) -> None:
        data = year_figures([], 2024, d("2024-12-31")).to_dict()
        assert list(data) == [
            "signed_projects",
            "signed_investment",
            "landing_rate",
            "start_rate",
            "production_rate",
            "funding_rate",
            "projects_over_1e8",
            "projects_over_1e9",
            "projects_over_5e9",
            "rule_5020_met",
            "leads_by_reporter",
            "stage_counts",
        ]
        assert tuple(data) == FIGURE_KEYS
