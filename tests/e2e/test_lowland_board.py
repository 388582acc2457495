"""低效用地台账 in a real headless Chromium: the analyst builds the register from the final run, adds a measure to
a case, and the board shows it.

On a demo server of this module's own (it changes the register). Every page is screenshotted; no request may leave
localhost, no console error, no failing asset.
"""

from __future__ import annotations

import pytest
from e2e_browser import Browse
from e2e_pages import flash, submit
from e2e_server import own_demo_server
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


demo_server = own_demo_server("lowland")
"""Overrides conftest's shared server: this module changes the demo's register."""


def test_the_analyst_builds_the_register_adds_a_measure_and_the_board_shows_it(browse) -> None:  # type: ignore[no-untyped-def]
    tab: Browse = browse("lowland-")
    page = tab.page
    tab.log_in("analyst")
    page.get_by_role("link", name="低效用地", exact=True).first.click()
    page.wait_for_load_state()
    assert tab.path.startswith("/lowland"), tab.path
    tab.shot("register")

    # Build (bring up to date) the register from the newest final run.
    year = page.locator("#l-year").input_value()
    page.select_option("#b-run", index=0)
    page.fill("#b-unit", "经济发展局")
    submit(page, "生成台账")
    assert "低效用地台账" in flash(page) and "个案例" in flash(page)
    expect(page.locator("#case-table tr[data-case]").first).to_be_visible()
    assert float(page.locator("#total-potential").inner_text().replace(",", "").split()[0]) > 0
    tab.shot("built")

    # Pick a case without measures, open it, add a measure.
    page.goto(tab.url(f"/lowland?year={year}&status=open"))
    row = page.locator("#case-table tr[data-case]").last
    case_id = row.get_attribute("data-case")
    measures_before = int(row.locator("td.num").nth(4).inner_text())
    with page.expect_navigation():
        row.locator("a").first.click()
    page.select_option("#m-kind", "redevelop")
    page.fill("#m-desc", "旧厂房改建标准厂房，引入专精特新企业")
    page.fill("#m-unit", "自然资源分局")
    page.fill("#m-deadline", "2030-06-30")
    submit(page, "登记")
    assert "已登记处置措施（二次开发）" in flash(page)
    measure = page.locator("#measure-table tr[data-measure]", has_text="旧厂房改建标准厂房")
    expect(measure).to_contain_text("自然资源分局")
    expect(measure).to_contain_text("待办")
    tab.shot("case")

    # Move it on; the board shows the case in progress with one more measure.
    measure.locator("select[name=status]").select_option("in_progress")
    submit(page, "更新", measure)
    assert "已更新处置措施" in flash(page)
    tab.goto(f"/lowland?year={year}&status=in_progress")
    board_row = page.locator(f"#case-table tr[data-case='{case_id}']")
    expect(board_row.locator(".case-status")).to_have_text("办理中")
    assert int(board_row.locator("td.num").nth(4).inner_text()) == measures_before + 1
    tab.shot("board")
