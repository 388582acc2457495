"""Issue 13 parts 4 and 6 in Chromium: the run page reads summary first, and an import naming another year asks.

* The run page: the class counts per group are a drawn ECharts chart and a table at the top, the benchmarks beside
  them, then the results; the 80+ movers are folded (a closed <details>) until the reader opens them.
* The import: a land file named 2024 uploaded as 2025 shows the year warning and the values it would change;
  确认导入 does not post until 年度无误 is ticked. The batch is then discarded (the demo's figures stay as they are
  for the other end-to-end runs); confirming and the one-click draft are covered in tests/web/test_import_guides.py.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from e2e_pages import submit
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

YEAR = 2025
"""The demo's open year: its files are in ``demo-files/2025`` and its draft is on the run list."""


def test_run_page_summary_first(browse) -> None:  # type: ignore[no-untyped-def]
    tab = browse("runpage-")
    page = tab.page
    tab.log_in("leader")
    tab.goto("/runs")
    run_id = page.locator("#run-table tr[data-status=draft]").first.get_attribute("data-run")
    tab.goto(f"/runs/{run_id}")

    summary, results, movers = page.locator("#run-summary"), page.locator("#result-table"), page.locator("#comparison")
    expect(summary).to_be_visible()
    assert tab.wait_for_charts() >= 1
    expect(page.locator("#run-class-chart canvas")).to_have_count(1)
    expect(page.locator("#class-table tr[data-group=above] td[data-class]")).to_have_count(4)
    expect(page.locator("#benchmark-table tbody tr[data-indicator]").first).to_be_visible()
    assert page.locator("#benchmark-table .benchmark-unit").first.inner_text().strip() not in ("", "—")
    tops = [box["y"] for box in (summary.bounding_box(), results.bounding_box(), movers.bounding_box()) if box]
    assert len(tops) == 3 and tops == sorted(tops), tops  # summary, then results, then the movers

    # The movers are folded: their table takes no room until the reader asks for it.
    assert movers.evaluate("d => d.tagName === 'DETAILS' && !d.open")
    expect(page.locator("#move-table")).to_be_hidden()
    expect(page.locator("#moved-up")).to_be_visible()
    tab.shot("summary")
    movers.locator("summary").click()
    expect(page.locator("#move-table")).to_be_visible()

    # Sorting by a column header is done by the server and keeps the page's filters.
    with page.expect_navigation():
        page.locator("#result-table th[data-order=score] a").click()
    expect(page.locator("#result-table th[data-order=score]")).to_have_attribute("aria-sort", "descending")
    tab.assert_clean()


def _changed_land_file(source: Path, target: Path, rows: int = 3) -> Path:
    """The demo's land file with the first ``rows`` enterprises' areas changed, saved under a name saying 2024."""
    table = list(csv.reader(io.StringIO(source.read_text(encoding="utf-8-sig"))))
    header, body = table[0], table[1 : 1 + rows]
    for row in body:
        row[-1] = "66666.67"  # 100 亩, unlike any demo firm's land
    out = io.StringIO()
    csv.writer(out).writerows([header, *body])
    target.write_text(out.getvalue(), encoding="utf-8")
    return target


def test_import_year_warning_must_be_ticked(browse, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    tab = browse("import-year-")
    page = tab.page
    tab.log_in("analyst")
    land = next(p for p in tab.server.demo_files(YEAR) if p.name.startswith("自然资源局"))
    upload = _changed_land_file(land, tmp_path / f"自然资源局_{YEAR - 1}年企业用地.csv")
    tab.goto("/imports")
    page.fill("#u-year", str(YEAR))
    page.set_input_files("#u-files", str(upload))
    submit(page, "上传并预览")

    warning = page.locator("#year-warning")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text(f"文件名写的是 {YEAR - 1} 年")
    expect(warning).to_contain_text(f"与所选数据年度 {YEAR} 年不一致")
    expect(page.locator("#change-total")).to_have_text("3")
    expect(page.locator("#change-table tbody tr[data-uscc]")).to_have_count(3)
    expect(page.locator("#change-table tbody tr").first.locator(".change-after")).to_have_text("100.00 亩")
    tab.shot("warning")

    # 确认导入 without the tick: the browser keeps the form (nothing is posted) and points at the box.
    posted: list[str] = []
    page.on("request", lambda r: posted.append(r.url) if r.method == "POST" else None)
    preview_path = tab.path
    page.locator("#confirm-import").click()
    page.wait_for_timeout(300)
    assert posted == [] and tab.path == preview_path
    tick = page.locator("#c-year-confirmed")
    assert tick.evaluate("box => box.matches(':invalid')")
    tick.check()
    assert page.locator("#confirm-form").evaluate("form => form.checkValidity()")

    # Leave the demo's figures as they are: give the batch up instead of confirming it.
    submit(page, "放弃")
    assert tab.path == "/imports"
    expect(page.locator("#batch-table tr").filter(has_text=upload.name).first).to_have_attribute(
        "data-status", "discarded"
    )
    tab.assert_clean()
