"""The 招商月报 PDF and workbook from a hand-made month: the printed figures are the core's, the workbook's numbers
are numbers, and an investor named like a formula stays text."""

from __future__ import annotations

import io
import sys
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from report_pdf_checks import pdf_text

from zonehero.core.investment import LeadStage
from zonehero.core.investment.funnel import LeadHistory, StageMove
from zonehero.core.investment.report import InvestmentBriefing, LateLead, monthly_briefing
from zonehero.reports.investment_xlsx import write_investment_briefing_xlsx
from zonehero.reports.pdf.investment import investment_briefing_pdf
from zonehero.reports.pdf.styles import Letterhead

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "investment"))
from invest_factory import lead, signed

HOSTILE = '=HYPERLINK("http://x","y")'
S = LeadStage


@pytest.fixture(scope="module")
def briefing() -> InvestmentBriefing:
    # June 2025: lead 1 (reported in May) signs 600000 on 06-16 (a ≥ 50 亿 project: 5020 met); lead 2 is new in
    # June; lead 3 signed in March (30000) and started in May.
    leads = [
        signed("1", "2025-06-16", 600000, reported_on="2025-05-20", unit="招商局", reporter="甲", chain="电子信息"),
        lead("2", investor=HOSTILE, reported_on="2025-06-03", unit="经发局", reporter="乙"),
        signed(
            "3", "2025-03-10", 30000, reported_on="2025-02-01", started_on="2025-05-02", reporter="甲", unit="招商局"
        ),
    ]
    histories = [
        LeadHistory(
            "1",
            date(2025, 5, 20),
            S.SIGNED,
            (
                StageMove(S.CONTACT, date(2025, 6, 2)),
                StageMove(S.NEGOTIATION, date(2025, 6, 9)),
                StageMove(S.SIGNED, date(2025, 6, 16)),
            ),
        ),
        LeadHistory("2", date(2025, 6, 3), S.LEAD),
        LeadHistory("3", date(2025, 2, 1), S.SIGNED, (StageMove(S.SIGNED, date(2025, 3, 10)),)),
    ]
    late = [LateLead("2", HOSTILE, "线索", "接洽答复", date(2025, 6, 4), 26, "招商局")]
    return monthly_briefing(leads, histories, 2025, 6, date(2025, 6, 30), late=late, chains=["电子信息", "新能源"])


def test_the_month_and_the_year_to_date_are_the_cores(briefing: InvestmentBriefing) -> None:
    assert [x.lead_id for x in briefing.new_leads] == ["2"]
    assert [(m.lead.lead_id, m.to_stage) for m in briefing.moves] == [
        ("1", S.CONTACT),
        ("1", S.NEGOTIATION),
        ("1", S.SIGNED),
    ]
    assert [(s.lead.lead_id, s.counted_investment) for s in briefing.signings] == [("1", 600000)]
    f = briefing.year_to_date.figures
    assert (f.signed_projects, f.signed_investment, f.start_rate, f.rule_5020_met) == (2, 630000, 0.5, True)
    funnel = {s.stage: s for s in briefing.year_to_date.funnel}
    # Lead 1 reached 考察 on the 洽谈 move (06-09); lead 3 reached 接洽…签约 on 03-10 (a skip from 线索).
    assert funnel[S.VISIT].reached == 2 and funnel[S.SIGNED].reached == 2
    assert funnel[S.CONTACT].median_days == (13 + 37) / 2  # lead 1: 05-20 → 06-02; lead 3: 02-01 → 03-10


def test_the_pdf_prints_the_figures(briefing: InvestmentBriefing) -> None:
    text = pdf_text(
        investment_briefing_pdf(briefing, letterhead=Letterhead(zone="示范区", issued_on=date(2025, 6, 30)))
    )
    assert "示范区招商引资工作月报（2025年6月）" in text
    assert "新报送线索1条" in text and "签约1个" in text
    assert "新签约项目2个，合同投资630,000万元" in text and "“5020”达标" in text
    assert "超时限线索" in text and "接洽答复" in text and "全员招商" in text


def test_the_workbook_holds_numbers_and_keeps_a_formula_as_text(briefing: InvestmentBriefing) -> None:
    buffer = io.BytesIO()
    write_investment_briefing_xlsx(briefing, buffer)
    book = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))
    values = {row[0]: row[1] for row in book["本年累计"].iter_rows(min_row=4, values_only=True)}
    assert values["新签约项目数"] == 2 and values["新签约合同投资额(万元)"] == 630000
    assert values["开工率"] == 0.5 and values["资金到位率"] == 0 and values["“5020” 检查"] == "达标"
    new = list(book["本月线索"].iter_rows(min_row=4, values_only=True))
    assert new[0][0] == 2 and new[0][1] == "'" + HOSTILE
    late = list(book["超时限线索"].iter_rows(min_row=4, values_only=True))
    assert late[0][1] == "'" + HOSTILE and late[0][5] == 26
    chains = {row[0]: row[1:] for row in book["按产业链"].iter_rows(min_row=4, values_only=True)}
    assert chains["电子信息"][0] == 1 and chains["新能源"][0] == 1  # lead 3 is 新能源 (the factory's default)
    board = [row for row in book["全员招商"].iter_rows(min_row=4, values_only=True) if row[0] == "报送人"]
    assert board[0][1:] == ("甲", 2, 2, 2, 630000)
