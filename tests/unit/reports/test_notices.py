"""Result notices from the demo zone: one enterprise's figures, sources and deadline; the batch zip."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from pathlib import Path

import polars as pl
import pytest
from report_pdf_checks import pdf_pages, pdf_text, render_pages

from zonehero.core.domain import numbers
from zonehero.core.evaluation import EvaluationResult, evaluate
from zonehero.core.evaluation.lift_batch import lift_all
from zonehero.core.zone import default_zone
from zonehero.demo import generate_zone
from zonehero.reports.notice_data import NoticeContext
from zonehero.reports.pdf.notice import notice_file_name, notice_pdf, notices_zip
from zonehero.reports.pdf.styles import Letterhead


def _first(result: EvaluationResult, expr: pl.Expr) -> dict:
    return result.enterprises.filter(expr).sort("uscc").row(0, named=True)


def test_a_d_class_notice_states_its_figures_policies_and_deadline(
    result: EvaluationResult, letterhead: Letterhead, artifacts_dir: Path
) -> None:
    row = _first(result, (pl.col("class") == "D") & (pl.col("status") == "evaluated"))
    data = notice_pdf(result, row["uscc"], letterhead=letterhead, period=default_zone().notice(letterhead.issued_on))
    text = pdf_text(data)
    assert "2025年度企业亩均效益综合评价结果告知书" in text
    assert f"{row['name']}：" in text
    assert row["uscc"] in text
    assert f"{row['total_score']:,.2f}分" in text
    assert "D类（整治提升类）" in text
    n = result.enterprises.filter((pl.col("group") == row["group"]) & (pl.col("status") == "evaluated")).height
    assert f"第{row['rank']}名/共{n}家" in text
    for key, unit in (("tax_per_mu", "万元/亩"), ("rd_intensity", "%")):
        assert f"{row[f'{key}__score']:,.2f}" in text
        assert numbers.quantity(row[f"{key}__benchmark"], unit) in text  # by the unit's rule, not four decimals
    assert numbers.carbon_grade(row["carbon_grade"], long=True).replace(" ", "") in text  # the grade explained
    assert f"用电加价{row['electricity_surcharge']:g}元/千瓦时" in text
    # 2026-03-02 is a Monday: five working days end on Friday 6 March.
    assert "5天内（即2026年3月6日前）" in text  # the built-in profile: 5 calendar days, 3-2 to 3-6
    assert "赣江示范开发区经济发展局（盖章）2026年3月2日" in text
    assert 1 <= pdf_pages(data) <= 4
    render_pages(data, artifacts_dir, "report-notice", first=1, last=1)


def test_sources_come_from_the_lineage_frame(result: EvaluationResult) -> None:
    row = _first(result, pl.col("status") == "evaluated")
    lineage = pl.DataFrame(
        {
            "uscc": [row["uscc"]],
            "field": ["tax"],
            "value": ["12.5"],
            "file": ["税务局_2025年度纳税情况.csv"],
            "sheet": [None],
            "row": [17],
            "column": ["实缴税金(元)"],
            "department": ["税务局"],
        },
        schema_overrides={"sheet": pl.String},
    )
    text = pdf_text(notice_pdf(result, row["uscc"], lineage=lineage))
    assert "税务局《税务局_2025年度纳税情况.csv》第17行「实缴税金(元)」" in text
    assert "未提供来源明细" in text  # the other fields of this enterprise


def test_an_exempt_enterprise_is_told_why_and_gets_no_scores(result: EvaluationResult) -> None:
    row = _first(result, pl.col("status") == "exempt")
    text = pdf_text(notice_pdf(result, row["uscc"]))
    assert "不参评" in text and "本年度不参加评价" in text
    assert "指标得分" not in text and "适用政策" not in text
    assert "一、评价结果" in text and "异议申请" in text


def test_an_unknown_enterprise_is_a_key_error(result: EvaluationResult) -> None:
    with pytest.raises(KeyError):
        notice_pdf(result, "91350100M000100Y43")


def test_the_lift_section_prints_the_runs_answers(result: EvaluationResult) -> None:
    """The notice prints the reachable options of the run's 升类路径, computed once for the run, not per notice."""
    row = _first(result, (pl.col("class") == "C") & (pl.col("status") == "evaluated"))
    lifts = lift_all(result)
    reachable = [o.message for o in lifts[row["uscc"]].options if o.reachable]
    assert reachable
    text = pdf_text(notice_pdf(result, row["uscc"], lifts=lifts))
    assert "提升路径" in text
    assert any(f"{abs(o.change):.2f}" in text for o in lifts[row["uscc"]].options if o.reachable and o.change)
    context = NoticeContext(result)
    assert context.notice(row).lift == reachable
    assert NoticeContext(result, lift=False).notice(row).lift is None


def test_file_names_are_safe() -> None:
    assert notice_file_name("91350100M000100Y43", "甲/乙:公司") == "91350100M000100Y43_甲_乙_公司.pdf"


def test_the_batch_zips_one_notice_per_enterprise(result: EvaluationResult, letterhead: Letterhead) -> None:
    calls: list[tuple[int, int]] = []
    buffer = io.BytesIO()
    names = notices_zip(result, buffer, letterhead=letterhead, progress=lambda d, t: calls.append((d, t)), lift=False)
    total = result.enterprises.height
    assert total >= 300
    assert calls[-1] == (total, total) and len(calls) == total
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as zf:
        assert zf.namelist() == names
        assert len(names) == total
        expected = {notice_file_name(u, n) for u, n in result.enterprises.select("uscc", "name").iter_rows()}
        assert set(names) == expected
        sample = zf.read(names[0])
    uscc = names[0].split("_", 1)[0]
    assert uscc in pdf_text(sample)
    assert date(2026, 3, 6).strftime("%Y") in pdf_text(sample)


def test_data_notes_name_indicators_in_chinese(letterhead: Letterhead) -> None:
    """A missing 研发经费 is noted by the indicator's label, never the registry key (rd_intensity)."""
    frame = generate_zone(40, seed=5, years=(2025,))[2025]
    uscc = frame["uscc"][0]
    gone = pl.when(pl.col("uscc") == uscc).then(None).otherwise(pl.col("rd_expense"))
    frame = frame.with_columns(gone.alias("rd_expense"))
    result = evaluate(frame, year=2025)
    flags = result.enterprises.filter(pl.col("uscc") == uscc)["flags"].item().to_list()
    assert any(f.startswith("missing:") for f in flags), flags  # the case under test really arises
    text = pdf_text(notice_pdf(result, uscc, letterhead=letterhead))
    assert "研发经费投入强度" in text
    assert "rd_intensity" not in text and "(rd_" not in text and "（rd_" not in text


def test_the_notice_and_the_enterprise_page_explain_the_indicators_alike(result: EvaluationResult) -> None:
    """One explainer: the notice's indicator table is core.evaluation.explain's lines of the same result."""
    from zonehero.core.evaluation.explain import indicator_lines

    context = NoticeContext(result, lift=False)
    records = {r["uscc"]: r for r in result.to_records()}
    for row in result.enterprises.filter(pl.col("status").is_in(["evaluated", "vetoed"])).iter_rows(named=True):
        assert context.notice(row).indicators == indicator_lines(records[row["uscc"]], result.scheme)
