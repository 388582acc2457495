"""数据归集 in a real headless Chromium: a late department sends its file, the board shows it, the analyst confirms.

On a demo server of this module's own (it changes the demo's round). In the demo the round's confirmed submissions
are the open year's import; 生态环境局 is the one department past its deadline with nothing sent. Its account
(``env-bureau``) lands on its 部门报送 page (the round marked 逾期未报), sends its list of 重大环境违法行为 (one
enterprise of the zone, written by the test: the demo's 一票否决 list is the joint letter the analyst imported), and
sees it accepted for the bureau's confirmation; the analyst opens 数据归集, finds 生态环境局 已报送待确认 with the
counts on top, presses 确认入库, and the board then shows 生态环境局 已确认入库. Every page is screenshotted; no
request may leave localhost, no console error, no failing asset.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
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


def _env_list(files: list[Path], out: Path) -> Path:
    """生态环境局's list: one enterprise of the zone that the joint 一票否决 letter does not name, marked 否."""
    vetoed = next(p for p in files if p.name.startswith("应急生态")).read_bytes().decode("gb18030")
    science = next(p for p in files if p.name.startswith("科技局"))
    sheet = openpyxl.load_workbook(science, read_only=True).active
    assert sheet is not None
    uscc, name = next(
        (str(r[0]), str(r[1])) for r in sheet.iter_rows(min_row=2, values_only=True) if r[0] and str(r[0]) not in vetoed
    )
    out.write_text(f"统一社会信用代码,企业名称,重大环境违法行为\r\n{uscc},{name},否\r\n", encoding="utf-8")
    return out


def test_a_late_department_uploads_the_board_shows_it_and_the_analyst_confirms(browse, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    tab: Browse = browse("collect-")
    page = tab.page
    env_list = _env_list(tab.server.demo_files(YEAR), tmp_path / f"生态环境局_{YEAR}年重大环境违法行为名单.csv")

    tab.log_in("env-bureau")
    assert tab.path == "/collection/submit"
    expect(page.locator(f".desk-round[data-year='{YEAR}']")).to_have_attribute("data-state", "late")
    tab.shot("desk")
    page.set_input_files("#s-files", str(env_list))
    submit(page, "上传并检查")
    assert "等待园区确认入库" in flash(page)
    expect(page.locator("#batch-status")).to_have_attribute("data-status", "preview")
    expect(page.locator("#received")).to_be_visible()
    tab.shot("received")
    tab.log_out()

    tab.log_in("analyst")
    tab.click_nav("数据归集")
    row = page.locator("#board-table tr[data-department='生态环境局']")
    expect(row).to_have_attribute("data-state", "received")
    expect(page.locator("[data-count=received]")).to_contain_text("6")  # the five that made the year's import
    expect(page.locator("[data-count=late]")).to_contain_text("0")
    tab.shot("board")
    submit(page, "确认入库", row)
    assert "已导入" in flash(page)
    tab.goto(f"/collection?year={YEAR}")
    expect(page.locator("#board-table tr[data-department='生态环境局']")).to_have_attribute("data-state", "confirmed")
    expect(page.locator("[data-count=confirmed]")).to_contain_text("6")
    tab.shot("confirmed")
    tab.assert_clean()
