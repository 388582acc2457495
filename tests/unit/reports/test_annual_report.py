"""The annual evaluation report (PDF and xlsx) from the demo zone: headings, the run's figures, pages, rendering."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import polars as pl
from report_pdf_checks import pdf_pages, pdf_text, render_pages

from zonehero.core.domain import numbers
from zonehero.core.evaluation import EvaluationResult
from zonehero.reports.annual_figures import annual_figures
from zonehero.reports.annual_xlsx import SHEETS, write_annual_xlsx
from zonehero.reports.pdf.annual import annual_report_pdf
from zonehero.reports.pdf.styles import Letterhead

HEADINGS = (
    "一、总体情况",
    "二、分组分类情况",
    "三、评价基准值",
    "四、分布情况",
    "五、分行业情况",
    "六、“四个论英雄”维度分析",
    "七、综合得分排名前20位企业",
    "八、D类（整治提升类）企业名单",
    "九、分类变动情况",
    "十、数据质量说明",
)


def test_the_pdf_holds_every_section_and_the_runs_figures(
    result: EvaluationResult, previous: EvaluationResult, letterhead: Letterhead, artifacts_dir: Path
) -> None:
    data = annual_report_pdf(result, previous=previous, letterhead=letterhead)
    text = pdf_text(data)
    for heading in HEADINGS:
        assert heading in text, heading
    assert "赣江示范开发区2025年度企业亩均效益综合评价报告" in text
    e = result.enterprises
    evaluated = e.filter(pl.col("status") == "evaluated").height
    d_count = e.filter(pl.col("class") == "D").height
    assert f"其中参评企业{evaluated}家" in text
    assert f"本年度D类企业共{d_count}家" in text
    tax_benchmark = result.benchmarks.filter((pl.col("group") == "above") & (pl.col("indicator") == "tax_per_mu"))
    # Benchmarks by their unit's rule (万元/亩: two decimals), as on the pages.
    assert f"{numbers.quantity(tax_benchmark['benchmark'][0], '万元/亩')}" in text
    assert f"{tax_benchmark['benchmark'][0]:,.4f}" not in text
    last_year = previous.benchmarks.filter((pl.col("group") == "above") & (pl.col("indicator") == "tax_per_mu"))
    assert f"{numbers.quantity(last_year['benchmark'][0], '万元/亩')}" in text
    totals = annual_figures(result, previous=previous).totals
    assert f"实缴税金合计{numbers.money_total(totals.tax).replace(' ', '')}" in text  # 亿元 where a total is meant
    revenue = numbers.money_total(totals.revenue)
    assert "亿元" in revenue and revenue.replace(" ", "") in text
    leader = e.filter((pl.col("group") == "above") & (pl.col("rank") == 1)).row(0, named=True)
    assert f"{leader['name']}{leader['uscc']}{leader['total_score']:,.2f}" in text
    for d in e.filter(pl.col("class") == "D")["uscc"].to_list():
        assert d in text
    assert "（盖章）" in text and "2026年3月2日" in text
    pages = pdf_pages(data)
    assert 4 <= pages <= 20
    assert f"第1页共{pages}页" in text
    render_pages(data, artifacts_dir, "report-annual", first=1, last=1)


def test_class_changes_name_the_enterprises_and_a_reason(result: EvaluationResult, previous: EvaluationResult) -> None:
    figures = annual_figures(result, previous)
    before = dict(previous.enterprises.select("uscc", "class").iter_rows())
    expected = {u for u, c in result.enterprises.select("uscc", "class").iter_rows() if u in before and before[u] != c}
    assert {c.uscc for c in figures.changes} == expected
    assert all(c.reason for c in figures.changes)
    text = pdf_text(annual_report_pdf(result, previous=previous))
    first = figures.changes[0]
    assert first.name in text


def test_without_last_year_the_report_says_so(result: EvaluationResult) -> None:
    text = pdf_text(annual_report_pdf(result))
    assert "未提供上年评价结果，不作分类变动比较" in text


def test_the_workbook_holds_the_same_figures(
    result: EvaluationResult, previous: EvaluationResult, letterhead: Letterhead
) -> None:
    buffer = io.BytesIO()
    write_annual_xlsx(result, buffer, previous=previous, letterhead=letterhead)
    wb = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))
    assert tuple(wb.sheetnames) == SHEETS
    figures = annual_figures(result, previous)
    bench = wb["评价基准值"]
    assert [c.value for c in bench[3]] == ["分组", "指标", "单位", "2025年", "2024年", "同比变化"]
    first = figures.benchmarks[0]
    assert bench["B4"].value == first.label
    assert bench["D4"].value == first.benchmark
    assert bench["E4"].value == first.previous
    d_sheet = wb["D类名单"]
    usccs = [d_sheet.cell(row=r, column=4).value for r in range(4, 4 + len(figures.d_list))]
    assert usccs == [r.uscc for r in figures.d_list]
    assert d_sheet.cell(row=4, column=6).fill.fgColor.rgb.endswith("D73027")
    summary = wb["总体情况"]
    values = {row[0]: row[1] for row in summary.iter_rows(min_row=4, max_row=9, values_only=True) if row[0]}
    assert values["参评"] == result.enterprises.filter(pl.col("status") == "evaluated").height
    changes = wb["分类变动"]
    assert changes.cell(row=4, column=2).value == figures.changes[0].uscc


def test_the_report_names_per_mu_figures_as_the_runs_scheme_does() -> None:
    """Indicator units come from the scheme: a zone that writes 亩产税收 in 元/亩 sees that, never 万元/亩."""
    from zonehero.core.evaluation import evaluate
    from zonehero.core.evaluation.scheme import default_scheme_text, parse_scheme
    from zonehero.demo import generate_zone

    text = default_scheme_text().replace('label = "亩均税收"', 'label = "亩产税收"')
    text = text.replace('unit = "万元/亩"', 'unit = "万元每亩"')
    scheme = parse_scheme(text, source="test")
    zone = evaluate(generate_zone(60, seed=2, years=(2025,))[2025], scheme, year=2025)
    figures = annual_figures(zone)
    assert (figures.tax_per_mu_name.label, figures.tax_per_mu_name.unit) == ("亩产税收", "万元每亩")
    pdf = pdf_text(annual_report_pdf(zone))
    assert "亩产税收" in pdf and "万元每亩" in pdf and "万元/亩" not in pdf
    buffer = io.BytesIO()
    write_annual_xlsx(zone, buffer)
    cells = {
        str(v)
        for ws in openpyxl.load_workbook(io.BytesIO(buffer.getvalue())).worksheets
        for row in ws.iter_rows(values_only=True)
        for v in row
        if v is not None
    }
    assert "亩产税收(万元每亩)" in cells and "亩产税收区间(万元每亩)" in cells
    assert not [c for c in cells if "万元/亩" in c]
