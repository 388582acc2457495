"""The 公示 list (PDF, xlsx) and the monthly scheduling briefing (PDF, xlsx) from the demo data."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import openpyxl
import polars as pl
from report_pdf_checks import pdf_pages, pdf_text, render_pages

from zonehero.core.evaluation import EvaluationResult
from zonehero.core.schedule.report import MonthlyReport
from zonehero.core.zone import parse_zone
from zonehero.demo.schedule import DemoData
from zonehero.reports.briefing_xlsx import write_briefing_xlsx
from zonehero.reports.pdf.briefing import briefing_pdf
from zonehero.reports.pdf.publiclist import public_list_pdf
from zonehero.reports.pdf.styles import Letterhead
from zonehero.reports.public_list import PublicPeriod, public_rows
from zonehero.reports.publiclist_xlsx import HEADER_ROW, HEADERS, write_public_list_xlsx

ZONE_RULE = parse_zone("notice_period = 5\nnotice_working_days = true", source="zone.toml")
PERIOD = PublicPeriod(notice=ZONE_RULE.notice(date(2026, 3, 2)), contact="开发区经济发展局（电话0791-0000000）")


def test_the_public_list_pdf_lists_every_classed_enterprise_by_class(
    result: EvaluationResult, letterhead: Letterhead, artifacts_dir: Path
) -> None:
    data = public_list_pdf(result, period=PERIOD, letterhead=letterhead)
    text = pdf_text(data)
    assert "赣江示范开发区2025年度企业亩均效益综合评价结果公示" in text
    assert "公示期为2026年3月2日至2026年3月6日（5个工作日）" in text
    assert "开发区经济发展局（电话0791-0000000）" in text
    for header in ("序号", "企业名称", "统一社会信用代码", "分组", "综合得分", "分类"):
        assert header in text
    classed = result.enterprises.filter(pl.col("class").is_not_null())
    for cls, name in (("A", "优先发展类"), ("D", "整治提升类")):
        n = classed.filter(pl.col("class") == cls).height
        assert f"{cls}类（{name}）企业{n}家" in text
    top = classed.filter((pl.col("group") == "above") & (pl.col("rank") == 1)).row(0, named=True)
    assert f"1{top['name']}{top['uscc']}规上{top['total_score']:,.2f}A" in text
    assert "一票否决" in text
    assert text.index("A类（优先发展类）") < text.index("B类（鼓励提升类）") < text.index("D类（整治提升类）")
    assert 3 <= pdf_pages(data) <= 15
    render_pages(data, artifacts_dir, "report-public-list", first=1, last=1)


def test_the_public_list_workbook_has_the_same_rows(result: EvaluationResult, letterhead: Letterhead) -> None:
    buffer = io.BytesIO()
    write_public_list_xlsx(result, buffer, period=PERIOD, letterhead=letterhead)
    ws = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))["公示名单"]
    assert tuple(c.value for c in ws[HEADER_ROW + 1][: len(HEADERS)]) == HEADERS
    assert ws.freeze_panes == f"A{HEADER_ROW + 2}"
    rows = public_rows(result)
    first = rows["A"][0]
    section = ws.cell(row=HEADER_ROW + 2, column=1).value
    assert section == f"A类（优先发展类）企业 {len(rows['A'])} 家"
    line = [c.value for c in ws[HEADER_ROW + 3][:6]]
    assert line == [1, first.name, first.uscc, "规上", round(first.total_score, 2), "A"]
    usccs = {c.value for c in ws["C"] if isinstance(c.value, str) and len(c.value) == 18}
    assert usccs == set(result.enterprises.filter(pl.col("class").is_not_null())["uscc"].to_list())


def test_the_briefing_pdf_shows_lists_lights_difficulties_and_investment(
    monthly: MonthlyReport, schedule_demo: DemoData, letterhead: Letterhead, artifacts_dir: Path
) -> None:
    data = briefing_pdf(monthly, projects=schedule_demo.projects, letterhead=letterhead)
    text = pdf_text(data)
    for heading in (
        "一、总体情况",
        "二、本月节点推进",
        "三、红黄灯预警项目",
        "四、问题清单办理情况",
        "五、投资完成情况",
    ):
        assert heading in text, heading
    assert "“四个一批”项目调度简报（2026年8月）" in text
    s = monthly.lists.signing
    assert f"签约一批计划{len(s.list)}个、已完成{len(s.achieved_on_list)}个（完成率{s.rate * 100:.1f}%）" in text
    for flagged in monthly.flagged:
        assert flagged.code in text
    assert any(f.light.value == "red" for f in monthly.flagged) and "红灯" in text
    for unit in monthly.difficulties_by_unit:
        assert unit in text
    chain = monthly.investment_by_chain[0]
    assert (
        f"{chain.chain}{chain.projects}{chain.year_plan:,.0f}{chain.prorated_plan:,.0f}{chain.year_to_date:,.0f}"
        in text
    )
    assert 2 <= pdf_pages(data) <= 10
    render_pages(data, artifacts_dir, "report-briefing", first=1, last=1)


def test_the_briefing_workbook_has_a_sheet_per_list_with_coloured_lights(
    monthly: MonthlyReport, schedule_demo: DemoData
) -> None:
    buffer = io.BytesIO()
    write_briefing_xlsx(monthly, buffer, projects=schedule_demo.projects)
    wb = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))
    assert wb.sheetnames[:5] == ["汇总", "签约一批", "开工一批", "投产一批", "谋划一批"]
    for name in wb.sheetnames:
        assert wb[name].freeze_panes == "A4", name
    summary = [row for row in wb["汇总"].iter_rows(min_row=4, max_row=6, values_only=True)]
    c = monthly.lists.construction
    assert summary[1][:7] == (
        "开工一批",
        len(c.list),
        len(c.carried_over),
        len(c.achieved),
        len(c.ahead),
        len(c.late),
        c.rate,
    )
    signing = wb["签约一批"]
    codes = [signing.cell(row=r, column=2).value for r in range(4, 4 + len(monthly.lists.signing.list))]
    assert codes == [p.code for p in monthly.lists.signing.list]
    lights = {f.code: f.light for f in monthly.flagged}
    red = next(code for code, light in lights.items() if light.value == "red")
    flagged = wb["红黄灯项目"]
    row = next(r for r in range(4, flagged.max_row + 1) if flagged.cell(row=r, column=1).value == red)
    assert flagged.cell(row=row, column=5).value == "红灯"
    assert flagged.cell(row=row, column=5).fill.fgColor.rgb.endswith("D73027")
