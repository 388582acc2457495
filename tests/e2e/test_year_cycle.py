"""The year's work in a real headless Chromium, clicked as the bureau clicks it (issue 3, last test bullet).

On a fresh ``zonehero serve --demo`` (SQLite and PostgreSQL): the analyst
logs in, looks at the dashboard, uploads the demo department files of the
open year (2025; the demo seed imported them once and left a draft, so this
is a second batch of the same files), checks the preview, confirms, runs a
draft with the default scheme, reviews it against last year's final run,
publishes it for 公示, opens an enterprise's page and exports the results.
Then the enterprise account sees only its own enterprise (another USCC is a
404 page) and the leader sees no edit control. Every page is screenshotted;
no request may leave localhost, no console error, no failing asset.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from e2e_browser import Browse
from e2e_pages import flash, submit
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e

YEAR = 2025
"""The demo's open year: imported and left as a draft by the seed, its files in ``demo-files/2025``."""
LAST_YEAR = YEAR - 1
CLASSES = {"A", "B", "C", "D"}
EDIT_FORMS = "form[method=post]:not([action='/logout']):not([action='/jobs'])"
"""Forms that change something; asking for a document to be made in the background (POST /jobs) is a read."""
"""Every form that changes something (the log-out form aside)."""


def _int(text: str) -> int:
    return int(re.sub(r"[^\d]", "", text))


def _submit(page: Page, button: str) -> None:
    """Click a submit button by its label, confirm its dialog if it asks first, and wait for the answer page."""
    submit(page, button)


def _import_year(tab: Browse) -> None:
    page = tab.page
    tab.click_nav("数据导入")
    assert tab.path == "/imports"
    confirmed_before = page.locator("#batch-table tr[data-status=confirmed]").count()
    assert confirmed_before >= 3, "the demo seed imports three years"
    files = tab.server.demo_files(YEAR)
    assert len(files) >= 4, files
    page.fill("#u-year", str(YEAR))
    page.set_input_files("#u-files", [str(f) for f in files])
    tab.shot("imports")
    _submit(page, "上传并预览")

    assert re.fullmatch(r"/imports/\d+", tab.path), tab.path
    expect(page.locator("#batch-status")).to_have_attribute("data-status", "preview")
    expect(page.locator("#problems")).to_have_count(0)
    sources = page.locator("#source-table tbody tr")
    expect(sources).to_have_count(len(files))
    assert sorted(sources.evaluate_all("rows => rows.map(r => r.dataset.file)")) == sorted(f.name for f in files)
    for i in range(len(files)):
        row = sources.nth(i)
        assert row.locator(".source-department").inner_text().strip(), "department recognised"
        assert _int(row.locator(".source-rows").inner_text()) > 0, "data rows read"
        assert "→" in row.locator("td").nth(5).inner_text(), "columns matched to fields"
    summary = page.locator("main p.small").first.inner_text()
    enterprises = int(re.search(r"([\d,]+) 家企业", summary).group(1).replace(",", ""))  # type: ignore[union-attr]
    assert enterprises >= 250, summary
    expect(page.locator("#confirm-form input[name=year]")).to_have_value(str(YEAR))
    expect(page.locator("#year-warning")).to_have_count(0)  # the demo's files name the year they are imported for
    tab.shot("import-preview")

    _submit(page, "确认导入")
    expect(page.locator("#batch-status")).to_have_attribute("data-status", "confirmed")
    assert f"已导入 {YEAR} 年度数据" in flash(page)
    expect(page.locator("#confirm-form")).to_have_count(0)
    tab.shot("import-confirmed")
    tab.goto("/imports")
    expect(page.locator("#batch-table tr[data-status=confirmed]")).to_have_count(confirmed_before + 1)


def _run_and_publish(tab: Browse) -> int:
    """A draft for YEAR with the newest default scheme version, reviewed and published; its run id."""
    page = tab.page
    tab.click_nav("评价")
    assert tab.path == "/runs"
    page.select_option("#r-year", str(YEAR))
    scheme = page.locator("#r-scheme option").first
    page.select_option("#r-scheme", scheme.get_attribute("value"))
    page.fill("#r-note", "端到端测试：重新导入后的评价")
    tab.shot("runs")
    _submit(page, "运行评价")

    match = re.fullmatch(r"/runs/(\d+)", tab.path)
    assert match, tab.path
    run_id = int(match.group(1))
    assert f"已生成 {YEAR} 年度评价草稿 #{run_id}" in flash(page)
    expect(page.locator(".run-status").first).to_have_attribute("data-status", "draft")
    count = _int(re.search(r"([\d,]+) 家企业", page.locator("#run-meta").inner_text()).group(1))  # type: ignore[union-attr]
    assert count >= 250
    # Review against last year's final run: who moved class, and why.
    comparison = page.locator("#comparison")
    expect(comparison).to_contain_text(f"（{LAST_YEAR} 年）")
    moved = _int(page.locator("#moved-up").inner_text()) + _int(page.locator("#moved-down").inner_text())
    # The list of movers is folded below the results until the reader opens it.
    expect(page.locator("#move-table")).to_be_hidden()
    comparison.locator("summary").click()
    expect(page.locator("#move-table")).to_be_visible()
    moves = page.locator("#move-table tbody tr[data-uscc]")
    # Up and down moves, plus enterprises whose status alone changed (veto, exemption).
    assert min(moved, 200) <= moves.count() <= 200
    if moved:
        assert moves.first.locator("td").last.inner_text().strip(), "a move has its reasons"
    expect(page.locator("#result-table tbody tr[data-uscc]").first).to_be_visible()
    tab.shot("run-draft")

    expect(page.locator("#p-days")).to_have_value("5")
    _submit(page, "发布公示")
    assert f"评价批次 #{run_id} 已发布公示" in flash(page)
    expect(page.locator(".run-status").first).to_have_attribute("data-status", "notice")
    expect(page.locator("#publish-form")).to_have_count(0)
    # 定稿 waits for the end of 公示: the button is there, disabled, with the day it opens.
    expect(page.locator("#finalize-form")).to_have_count(0)
    waiting = page.locator("#finalize-waiting")
    expect(waiting.get_by_role("button", name="公示期满，定稿")).to_be_disabled()
    expect(waiting).to_contain_text(f"{waiting.get_attribute('data-opens-on')} 起可定稿")
    tab.shot("run-notice")
    return run_id


def _enterprise_page(tab: Browse, run_id: int) -> list[str]:
    """Open the first enterprise of the run from its results; the USCCs listed on the run page."""
    page = tab.page
    rows = page.locator("#result-table tbody tr[data-uscc]")
    usccs = rows.evaluate_all("rows => rows.map(r => r.dataset.uscc)")
    with page.expect_navigation():
        rows.first.locator("a").click()
    assert tab.path == f"/enterprises/{usccs[0]}?run_id={run_id}"
    expect(page.locator("#enterprise-uscc")).to_have_text(usccs[0])
    card = page.locator("#result-card")
    assert card.get_attribute("data-class") in CLASSES | {""}
    expect(card).to_contain_text(f"{YEAR} 年度评价结果")
    expect(card.locator(".run-status")).to_have_attribute("data-status", "notice")
    assert page.locator("#explanation li").count() > 0, "the class is explained in words"
    assert tab.wait_for_charts() >= 1
    expect(page.locator("[data-chart] canvas").first).to_be_visible()
    # Figures of the year with their source: the files uploaded a moment ago.
    figures = page.locator(f"table.figure-table[data-year='{YEAR}'] tbody tr")
    assert figures.count() >= 5
    names = {p.name for p in tab.server.demo_files(YEAR)}
    sources = figures.locator(".figure-source").all_inner_texts()
    assert all(any(n in s for n in names) for s in sources), sources
    land = page.locator(f"table.figure-table[data-year='{YEAR}'] tr.disputed")
    expect(land).to_have_count(1)
    expect(land.locator(".figure-source")).not_to_have_text("—")
    expect(page.locator("#history-table tbody tr[data-run]").first).to_be_visible()
    expect(page.get_by_text("正在计算升类路径")).to_have_count(0)
    tab.shot("enterprise")
    return usccs


def _export(tab: Browse, run_id: int, folder: Path) -> None:
    """Download the run's workbook and read it: a header row and one row per enterprise."""
    page = tab.page
    tab.goto(f"/runs/{run_id}")
    count = _int(re.search(r"([\d,]+) 家企业", page.locator("#run-meta").inner_text()).group(1))  # type: ignore[union-attr]
    with page.expect_download() as info:
        page.click("#export-run")
    download = info.value
    assert download.failure() is None
    assert download.suggested_filename == f"{YEAR}年度评价结果_批次{run_id}.xlsx"
    path = folder / download.suggested_filename
    download.save_as(path)
    workbook = load_workbook(path, read_only=True)
    sheet = workbook.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    header = [str(c) for c in rows[0] if c is not None]
    assert any("信用代码" in h for h in header), header
    assert any("分类" in h for h in header), header
    data = [r for r in rows[1:] if any(c is not None for c in r)]
    assert len(data) == count, (len(data), count)
    workbook.close()


def _enterprise_account(tab: Browse, run_id: int, others: list[str]) -> None:
    page = tab.page
    tab.log_in("enterprise")
    match = re.fullmatch(r"/enterprises/([0-9A-Z]{18})", tab.path)
    assert match, tab.path
    own = match.group(1)
    expect(page.locator("#enterprise-uscc")).to_have_text(own)
    assert tab.nav_labels() == [], "an enterprise account has no navigation to other data"
    # Its own result of the run just published, open to 异议 during 公示.
    expect(page.locator("#result-card")).to_contain_text(f"#{run_id}")
    expect(page.locator("#objection-form")).to_be_visible()
    tab.shot("enterprise-account")
    other = next(u for u in others if u != own)
    tab.goto(f"/enterprises/{other}", status=404)
    expect(page.locator(".error-card")).to_have_attribute("data-status", "404")
    expect(page.locator("body")).not_to_contain_text(other)
    tab.shot("enterprise-other-404")
    tab.goto(f"/enterprises/{other}?run_id={run_id}", status=404)
    tab.goto(f"/runs/{run_id}", status=404)
    tab.goto("/enterprises")
    assert tab.path == f"/enterprises/{own}", "the list sends an enterprise to its own page"
    tab.log_out()


def _no_edit_controls(tab: Browse) -> None:
    page = tab.page
    assert page.locator(EDIT_FORMS).count() == 0, page.locator(EDIT_FORMS).evaluate_all(
        "forms => forms.map(f => f.action)"
    )
    # 方案调整试算 reads only (it saves nothing unless an analyst saves a version), so a reader may open it.
    assert page.locator("a[href$='/edit'], a[href*='/edit?']").count() == 0


def _leader(tab: Browse, run_id: int, uscc: str) -> None:
    page = tab.page
    tab.log_in("leader")
    assert tab.path == "/"
    labels = tab.nav_labels()
    assert "总览" in labels and "评价" in labels
    assert "数据导入" not in labels and "用户" not in labels
    _no_edit_controls(tab)
    tab.shot("leader-dashboard")
    tab.click_nav("评价")
    expect(page.locator("#create-run-form")).to_have_count(0)
    expect(page.locator(f"#run-table tr[data-run='{run_id}']")).to_have_attribute("data-status", "notice")
    _no_edit_controls(tab)
    tab.shot("leader-runs")
    with page.expect_navigation():
        page.locator(f"#run-table tr[data-run='{run_id}'] a").first.click()
    expect(page.locator("#run-actions")).to_have_count(0)
    expect(page.locator("#export-run")).to_be_visible()
    _no_edit_controls(tab)
    tab.shot("leader-run")
    tab.goto(f"/enterprises/{uscc}?run_id={run_id}")
    expect(page.locator("#result-card")).to_be_visible()
    _no_edit_controls(tab)
    tab.shot("leader-enterprise")
    tab.click_nav("评价方案")
    expect(page.locator(".scheme").first).to_be_visible()
    _no_edit_controls(tab)
    tab.shot("leader-schemes")
    tab.goto("/imports", status=403)
    expect(page.locator(".error-card")).to_have_attribute("data-status", "403")
    tab.shot("leader-imports-403")
    tab.log_out()


def test_year_cycle(browse, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    tab: Browse = browse("")
    page = tab.page
    tab.log_in("analyst", shot=True)
    assert tab.path == "/"
    expect(page.locator("h1")).to_contain_text("总览")
    assert tab.wait_for_charts() >= 3
    tab.shot("dashboard")

    _import_year(tab)
    run_id = _run_and_publish(tab)
    usccs = _enterprise_page(tab, run_id)
    _export(tab, run_id, tmp_path)
    tab.shot("run-exported")
    tab.log_out()
    tab.shot("logged-out")

    _enterprise_account(tab, run_id, usccs)
    _leader(tab, run_id, usccs[0])
    tab.assert_clean()
