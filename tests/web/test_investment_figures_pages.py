"""招商统计 and the 招商月报 through the in-process client: the page's figures are the core's on the stored leads,
the filters narrow them, and both downloads carry the same numbers (pypdf, openpyxl) and are logged as reads."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select
from sqlalchemy.orm import Session
from web_client import doc

from zonehero.clock import today
from zonehero.core.investment import year_figures
from zonehero.core.investment.figures import EVERY_LEAD, InvestmentFigures, LeadFilter
from zonehero.features.audit.models import AuditEntry
from zonehero.features.investment import service
from zonehero.features.roles import SYSTEM

LoginAs = Callable[[str], TestClient]


def _figures(page: object) -> dict[str, str]:
    table = page.find("table", id="figure-table")  # type: ignore[attr-defined]
    return {tr.attrs["data-figure"]: tr.find("td").text.strip() for tr in table.find_all("tr")}


def _core(db: Session, year: int, quarter: int | None = None, where: LeadFilter = EVERY_LEAD) -> InvestmentFigures:
    """The core's figures of the stored leads, as of today."""
    leads, _ = service.figure_inputs(db, SYSTEM, today())
    return year_figures(leads, year, today(), quarter=quarter, where=where)


class TestFiguresPage:
    def test_the_bureau_sees_the_cores_figures_of_the_stored_leads(self, login_as: LoginAs, db: Session) -> None:
        page = doc(login_as("zhaoshang").get("/investment/figures"))
        expected = _core(db, today().year)
        shown = _figures(page)
        assert shown["signed_projects"].startswith(str(expected.signed_projects))
        assert expected.signed_projects > 0
        assert shown["signed_investment"].replace(",", "").startswith(f"{expected.signed_investment:.0f}")
        assert f"{expected.landed_projects} / {expected.signed_projects}" in shown["landing_rate"]
        assert page.find(id="rule-5020").text == ("达标" if expected.rule_5020_met else "未达标")
        # the demo's payments make the 资金到位率 a real fraction (Σ paid in up to today ÷ Σ contract investment)
        assert 0 < expected.funded < expected.contracted
        assert f"{expected.funded:,.0f} / {expected.contracted:,.0f}" in shown["funding_rate"]
        funnel = page.find("table", id="funnel-table").find_all("tr")
        stages = [tr.attrs["data-stage"] for tr in funnel if "data-stage" in tr.attrs]
        assert stages == ["lead", "contact", "visit", "negotiation", "signed", "landed"]
        assert page.find(id="chart-funnel") is not None and page.find(id="tab-figures") is not None
        board = page.find("table", id="board-reporter")
        rows = [tr for tr in board.find_all("tr") if "data-name" in tr.attrs]
        credited = {tr.attrs["data-name"]: int(tr.find_all("td")[2].text) for tr in rows}
        assert credited == expected.leads_by_reporter

    def test_a_quarter_and_a_chain_narrow_the_figures(self, login_as: LoginAs, db: Session) -> None:
        year = today().year - 1
        page = doc(login_as("leader").get(f"/investment/figures?year={year}&quarter=2&chain=新能源"))
        expected = _core(db, year, quarter=2, where=LeadFilter(chain="新能源"))
        assert _figures(page)["signed_projects"].startswith(str(expected.signed_projects))
        assert "第 2 季度" in page.find(id="figures-period").text and "新能源" in page.find(id="figures-period").text
        whole = _core(db, year)
        chains = page.find("table", id="chain-table")
        assert "履约率" in chains.find("thead").text and whole.signed_projects >= expected.signed_projects
        shown = {tr.attrs["data-chain"] for tr in chains.find_all("tr") if "data-chain" in tr.attrs}
        assert "新能源" in shown

    @pytest.mark.parametrize("query", ["quarter=5", "chain=无此链"])
    def test_a_bad_selection_is_refused(self, login_as: LoginAs, query: str) -> None:
        assert login_as("zhaoshang").get(f"/investment/figures?{query}").status_code == 422

    @pytest.mark.parametrize("persona", ["unit", "analyst", "projects"])
    def test_a_reporter_who_reads_only_its_own_leads_is_refused(self, login_as: LoginAs, persona: str) -> None:
        assert login_as(persona).get("/investment/figures").status_code == 403


class TestBriefing:
    def test_the_pdf_and_the_workbook_carry_the_cores_figures(self, login_as: LoginAs, db: Session) -> None:
        day = today()
        client = login_as("zhaoshang")
        expected = _core(db, day.year)
        pdf = client.get(f"/investment/briefing/{day.year}/{day.month}.pdf")
        assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
        assert "招商引资工作月报" in text and "招商漏斗" in text and "全员招商" in text
        assert f"新签约项目 {expected.signed_projects} 个" in text.replace("\n", "")
        flat = text.replace("\n", "").replace(" ", "")
        assert ("5020”达标" if expected.rule_5020_met else "5020”未达标") in flat, flat[flat.find("5020") - 10 :][:60]
        xlsx = client.get(f"/investment/briefing/{day.year}/{day.month}.xlsx")
        assert xlsx.status_code == 200
        book = load_workbook(io.BytesIO(xlsx.content))
        values = {row[0]: row[1] for row in book["本年累计"].iter_rows(min_row=4, values_only=True)}
        assert values["新签约项目数"] == expected.signed_projects
        assert values["新签约合同投资额(万元)"] == pytest.approx(expected.signed_investment)
        assert values["资金到位率"] == pytest.approx(expected.funding_rate)
        assert values["开工率"] == (pytest.approx(expected.start_rate) if expected.start_rate is not None else None)
        assert values["“5020” 检查"] == ("达标" if expected.rule_5020_met else "未达标")
        assert {
            "本月线索",
            "本月推进",
            "本月签约",
            "招商漏斗",
            "超时限线索",
            "按产业链",
            "按报送单位",
            "全员招商",
        } <= set(book.sheetnames)
        reads = db.scalars(select(AuditEntry).where(AuditEntry.entity == "investment_month")).all()
        assert len(reads) >= 2

    def test_a_month_not_begun_is_not_found_and_a_unit_is_refused(self, login_as: LoginAs) -> None:
        later = today().year + 1
        assert login_as("leader").get(f"/investment/briefing/{later}/1.pdf").status_code == 404
        assert login_as("unit").get(f"/investment/briefing/{today().year}/1.xlsx").status_code == 403
        assert login_as("leader").get(f"/investment/briefing/{today().year}/13.pdf").status_code == 422
