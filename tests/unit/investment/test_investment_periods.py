"""Quarter cohorts, chain and unit filters, the 全员招商 board and the funnel, on hand-computed examples."""

from __future__ import annotations

import pytest
from invest_factory import d, lead, signed

from zonehero.core.investment import LeadStage, year_figures
from zonehero.core.investment.board import staff_board
from zonehero.core.investment.figures import LeadFilter, period_of
from zonehero.core.investment.funnel import LeadHistory, StageMove, funnel, reached_on
from zonehero.core.investment.report import figures_report
from zonehero.errors import InputError

# P1 first signed in Q1 2025 (6000) with a 增资 to 9000 in Q2; P2 first signed in Q2 (20000, 智能制造, 开工 in Q3);
# L4 signed in Q3 2025 without a code (3000); L5 an unsigned lead of Q2.
LEADS = [
    signed("L1", "2025-02-10", 6000, project_code="P1", reported_on="2025-01-05", unit="招商局", reporter="甲"),
    signed("L2", "2025-05-20", 9000, project_code="P1", reported_on="2025-04-01", unit="招商局", reporter="乙"),
    signed(
        "L3",
        "2025-06-30",
        20000,
        project_code="P2",
        chain="智能制造",
        reported_on="2025-04-02",
        unit="经发局",
        reporter="丙",
        started_on="2025-08-01",
    ),
    signed("L4", "2025-07-01", 3000, reported_on="2025-03-31", unit="经发局", reporter="丙"),
    lead("L5", reported_on="2025-05-05", unit="", reporter="丁", stage=LeadStage.CONTACT),
]
AS_OF = d("2025-12-31")


class TestQuarter:
    def test_the_periods_of_quarters(self) -> None:
        assert (period_of(2025, 1).start, period_of(2025, 1).end) == (d("2025-01-01"), d("2025-03-31"))
        assert (period_of(2025, 2).start, period_of(2025, 2).end) == (d("2025-04-01"), d("2025-06-30"))
        assert period_of(2025, 4).end == d("2025-12-31")
        with pytest.raises(InputError):
            period_of(2025, 5)

    def test_a_quarter_cohort_is_the_projects_first_signed_in_it(self) -> None:
        q1 = year_figures(LEADS, 2025, AS_OF, quarter=1)
        assert q1.signed_projects == 1  # P1 (L1 on 02-10)
        assert q1.signed_investment == 6000  # L1 in full
        q2 = year_figures(LEADS, 2025, AS_OF, quarter=2)
        assert q2.signed_projects == 1  # P2 only: P1's first signing is in Q1
        assert q2.signed_investment == 3000 + 20000  # L2's increase 9000 − 6000, and L3 in full
        assert q2.start_rate == 1.0  # P2 started 2025-08-01, before the as-of date
        q3 = year_figures(LEADS, 2025, AS_OF, quarter=3)
        assert (q3.signed_projects, q3.signed_investment) == (1, 3000)  # L4's own project
        year = year_figures(LEADS, 2025, AS_OF)
        assert year.signed_projects == q1.signed_projects + q2.signed_projects + q3.signed_projects
        assert year.signed_investment == 32000

    def test_a_quarter_board_counts_the_leads_reported_in_it(self) -> None:
        q2 = year_figures(LEADS, 2025, AS_OF, quarter=2)
        assert q2.leads_by_reporter == {"丁": 1, "丙": 1, "乙": 1}  # L2, L3, L5 reported in April–June

    def test_an_as_of_date_before_the_quarter_is_refused(self) -> None:
        with pytest.raises(InputError):
            year_figures(LEADS, 2025, d("2025-03-31"), quarter=2)


class TestFilters:
    def test_a_chain_counts_its_projects_by_their_first_signing(self) -> None:
        smart = year_figures(LEADS, 2025, AS_OF, where=LeadFilter(chain="智能制造"))
        assert (smart.signed_projects, smart.signed_investment) == (1, 20000)
        assert smart.stage_counts["签约"] == 1  # L3 alone
        energy = year_figures(LEADS, 2025, AS_OF, where=LeadFilter(chain="新能源"))
        assert (energy.signed_projects, energy.signed_investment) == (2, 9000 + 3000)  # P1 (6000+3000), L4
        assert energy.projects_over_1e8 == 0

    def test_a_unit_filter_and_the_empty_unit(self) -> None:
        unit = year_figures(LEADS, 2025, AS_OF, where=LeadFilter(unit="经发局"))
        assert (unit.signed_projects, unit.signed_investment) == (2, 23000)  # P2 and L4
        assert unit.leads_by_reporter == {"丙": 2}
        none = year_figures(LEADS, 2025, AS_OF, where=LeadFilter(unit=""))
        assert none.leads_by_reporter == {"丁": 1}


class TestBoard:
    def test_signings_go_to_the_first_reporter_of_the_investor(self) -> None:
        # L7 (乙, 2025-03-01) repeats 同一公司 first reported by L6 (甲, 2025-01-01) and signs: the signing is 甲's.
        leads = [
            lead("L6", investor="同一公司", reported_on="2025-01-01", reporter="甲", unit="招商局"),
            signed(
                "L7", "2025-06-01", 5000, investor="同一公司", reported_on="2025-03-01", reporter="乙", unit="商务局"
            ),
        ]
        board = staff_board(leads, 2025, AS_OF)
        rows = {r.name: r for r in board.by_reporter}
        assert (rows["甲"].reported, rows["甲"].credited, rows["甲"].signings, rows["甲"].signed_investment) == (
            1,
            1,
            1,
            5000,
        )
        assert (rows["乙"].reported, rows["乙"].credited, rows["乙"].signings) == (1, 0, 0)
        units = {r.name: r for r in board.by_unit}
        assert units["招商局"].signings == 1 and units["商务局"].signings == 0

    def test_the_board_agrees_with_the_figures(self) -> None:
        board = staff_board(LEADS, 2025, AS_OF)
        figures = year_figures(LEADS, 2025, AS_OF)
        assert {r.name: r.credited for r in board.by_reporter} == figures.leads_by_reporter
        assert sum(r.signed_investment for r in board.by_reporter) == figures.signed_investment
        assert {r.name for r in board.by_unit} == {"招商局", "经发局", "未填单位"}


def history(lead_id: str, reported: str, stage: LeadStage, *moves: tuple[LeadStage, str]) -> LeadHistory:
    return LeadHistory(lead_id, d(reported), stage, tuple(StageMove(s, d(on)) for s, on in moves))


S = LeadStage
# A: 线索 01-01 → 接洽 01-03 → 考察 01-13 → 洽谈 02-12 → 签约 03-14.
# B: 线索 01-01 → 接洽 01-05 → 洽谈 01-25 (skips 考察: reaches 考察 and 洽谈 on 01-25) → 终止 02-01.
# C: 线索 01-10, never moved.  D: imported at 签约 (no moves): reaches everything to 签约, on unknown dates.
HISTORIES = [
    history(
        "A",
        "2025-01-01",
        S.SIGNED,
        (S.CONTACT, "2025-01-03"),
        (S.VISIT, "2025-01-13"),
        (S.NEGOTIATION, "2025-02-12"),
        (S.SIGNED, "2025-03-14"),
    ),
    history(
        "B",
        "2025-01-01",
        S.TERMINATED,
        (S.CONTACT, "2025-01-05"),
        (S.NEGOTIATION, "2025-01-25"),
        (S.TERMINATED, "2025-02-01"),
    ),
    history("C", "2025-01-10", S.LEAD),
    history("D", "2025-01-20", S.SIGNED),
]


class TestFunnel:
    def test_a_skipped_stage_is_reached_on_the_later_move(self) -> None:
        reached = reached_on(HISTORIES[1], AS_OF)
        assert reached[S.VISIT] == reached[S.NEGOTIATION] == d("2025-01-25")
        assert S.SIGNED not in reached

    def test_counts_conversions_and_medians(self) -> None:
        rows = {row.stage: row for row in funnel(HISTORIES, AS_OF)}
        assert [rows[s].reached for s in (S.LEAD, S.CONTACT, S.VISIT, S.NEGOTIATION, S.SIGNED, S.LANDED)] == [
            4,  # A B C D
            3,  # A B D
            3,
            3,
            2,  # A D
            0,
        ]
        assert rows[S.LEAD].conversion is None
        assert rows[S.CONTACT].conversion == 3 / 4
        assert rows[S.SIGNED].conversion == 2 / 3
        assert rows[S.LANDED].conversion == 0
        # 线索 → 接洽: A 2 days, B 4 days (D's dates are unknown) → median 3.
        assert (rows[S.CONTACT].median_days, rows[S.CONTACT].intervals) == (3, 2)
        # 接洽 → 考察: A 10, B 20 (01-05 → 01-25, the skipped stage) → 15.
        assert rows[S.VISIT].median_days == 15
        # 考察 → 洽谈: A 30, B 0 → 15.  洽谈 → 签约: A 30 only.
        assert rows[S.NEGOTIATION].median_days == 15
        assert (rows[S.SIGNED].median_days, rows[S.SIGNED].intervals) == (30, 1)
        assert rows[S.LANDED].median_days is None

    def test_an_earlier_as_of_date_cuts_moves_and_leads(self) -> None:
        rows = {row.stage: row for row in funnel(HISTORIES, d("2025-01-15"))}
        # D is not reported yet; A has reached 考察 (01-13), B 接洽 (01-05); C only 线索.
        assert [rows[s].reached for s in (S.LEAD, S.CONTACT, S.VISIT, S.NEGOTIATION)] == [3, 2, 1, 0]
        # A's later moves are cut, so its current stage (签约) is not taken as reached.
        assert rows[S.SIGNED].reached == 0


class TestFunnelMovesBack:
    def test_a_move_back_does_not_unreach_a_stage(self) -> None:
        h = history(
            "E",
            "2025-01-01",
            S.CONTACT,
            (S.CONTACT, "2025-01-02"),
            (S.VISIT, "2025-01-04"),
            (S.CONTACT, "2025-01-09"),  # back, with a reason
        )
        assert reached_on(h, AS_OF) == {S.LEAD: d("2025-01-01"), S.CONTACT: d("2025-01-02"), S.VISIT: d("2025-01-04")}


class TestReport:
    def test_the_chain_and_unit_tables_add_up_to_the_whole(self) -> None:
        report = figures_report(LEADS, [], 2025, AS_OF, chains=["新能源", "智能制造"])
        assert sum(x.signed_projects for _, x in report.by_chain) == report.figures.signed_projects == 3
        assert sum(x.signed_investment for _, x in report.by_chain) == report.figures.signed_investment
        assert [name for name, _ in report.by_unit] == ["招商局", "经发局", "未填单位"]
        assert sum(x.signed_projects for _, x in report.by_unit) == 3
        assert report.funnel[0].reached == 0  # no histories given: nothing to follow
