"""数据归集 in a real headless Chromium: a department sends its file, the board shows it, the analyst confirms.

On a demo server of this module's own (it changes the demo's round): the 科技局 account (``science-bureau``), whose
first file had a wrong 统一社会信用代码, lands on its 部门报送 page, sends the demo's real 科技局 file for the open
year, and sees it accepted for the bureau's confirmation; the analyst opens 数据归集, finds 科技局 已报送待确认 with
the counts on top, presses 确认入库, and the board then shows 科技局 已确认入库. Every page is screenshotted; no
request may leave localhost, no console error, no failing asset.
"""

from __future__ import annotations

import pytest
from e2e_browser import Browse
from e2e_pages import flash, submit
from e2e_server import own_demo_server
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

YEAR = 2025
"""The demo's open year: its collection round is the one the departments work in."""

demo_server = own_demo_server("collect")
"""Overrides conftest's shared server: this module changes the demo's state (a submission, a confirmation)."""


def test_a_department_uploads_the_board_shows_it_and_the_analyst_confirms(browse) -> None:  # type: ignore[no-untyped-def]
    tab: Browse = browse("collect-")
    page = tab.page
    science = next(p for p in tab.server.demo_files(YEAR) if p.name.startswith("科技局"))

    tab.log_in("science-bureau")
    assert tab.path == "/collection/submit"
    expect(page.locator(f".desk-round[data-year='{YEAR}']")).to_have_attribute("data-state", "problems")
    tab.shot("desk")
    page.set_input_files("#s-files", str(science))
    submit(page, "上传并检查")
    assert "等待园区确认入库" in flash(page)
    expect(page.locator("#batch-status")).to_have_attribute("data-status", "preview")
    expect(page.locator("#received")).to_be_visible()
    tab.shot("received")
    tab.log_out()

    tab.log_in("analyst")
    tab.click_nav("数据归集")
    row = page.locator("#board-table tr[data-department='科技局']")
    expect(row).to_have_attribute("data-state", "received")
    expect(page.locator("[data-count=received]")).to_contain_text("5")  # 科技局 had sent a file already
    expect(page.locator("[data-count=problems]")).to_contain_text("0")
    tab.shot("board")
    submit(page, "确认入库", row)
    assert "已导入" in flash(page)
    tab.goto(f"/collection?year={YEAR}")
    expect(page.locator("#board-table tr[data-department='科技局']")).to_have_attribute("data-state", "confirmed")
    expect(page.locator("[data-count=confirmed]")).to_contain_text("3")
    tab.shot("confirmed")
    tab.assert_clean()
