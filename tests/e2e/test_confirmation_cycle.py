"""企业确认 in a real headless Chromium (issue 14, part 5).

On a demo server of this module's own (it corrects a figure of the open year): the ``enterprise`` account sees the
reminder on its page, opens its year's figures with their sources, disputes 用地面积 with a smaller area, a reason
and a photo; the analyst finds the dispute first on the board (/confirmations), opens it and accepts it; the
enterprise then sees the corrected area with the dispute as its source.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from e2e_browser import Browse
from e2e_pages import flash, number_in, png_file, submit
from e2e_server import own_demo_server
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

LAND = "land_area_mu"

demo_server = own_demo_server("confirm")
"""Overrides conftest's shared server: this module corrects a figure of the open year."""


def _dispute_land(tab: Browse, folder: Path) -> tuple[str, int, float, float]:
    """The enterprise follows its reminder and disputes 用地面积; (confirmation page path, dispute id, current,
    proposed)."""
    page = tab.page
    reminder = page.locator("[data-confirm-year]")
    expect(reminder).to_have_count(1)
    with page.expect_navigation():
        reminder.locator("a").click()
    assert re.fullmatch(r"/confirmations/\d{4}/[0-9A-Z]{18}", tab.path), tab.path
    own = tab.path
    expect(page.locator("#confirmation-state")).to_have_attribute("data-state", "pending")
    row = page.locator(f"#confirm-figures tr[data-field='{LAND}']")
    current = number_in(row.locator(".figure-value").inner_text())
    assert row.locator(".figure-source").inner_text().strip() not in ("", "—"), "the figure's source is shown"
    proposed = round(current * 0.6, 2)
    row.locator("input[type=checkbox]").check()
    page.fill(f"#p-{LAND}", str(proposed))
    page.fill("#c-reason", f"东侧部分用地已于年初交还园区，实际用地 {proposed} 亩，附土地证照片。")
    picker = page.locator("#c-files")
    assert set((picker.get_attribute("accept") or "").split(",")) >= {".pdf", ".jpg", ".jpeg", ".png"}
    page.set_input_files("#c-files", [str(png_file(folder / "土地证照片.png"))])
    tab.shot("dispute-form")
    submit(page, "提交异议")
    assert "异议已提交" in flash(page)
    expect(page.locator("#confirmation-state")).to_have_attribute("data-state", "disputed")
    filed = page.locator("#my-disputes li[data-status=open]")
    expect(filed).to_have_count(1)
    tab.shot("dispute-filed")
    return own, int(filed.get_attribute("data-dispute") or 0), current, proposed


def test_a_disputed_land_area_is_accepted_and_carries_its_source(browse, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    tab: Browse = browse("confirm-")
    page = tab.page
    tab.log_in("enterprise")
    own, dispute, current, proposed = _dispute_land(tab, tmp_path)
    tab.log_out()

    tab.log_in("analyst")
    tab.goto("/confirmations")
    expect(page.locator("#board-counts")).to_be_visible()
    row = page.locator(f"#open-disputes tr[data-dispute='{dispute}']")
    expect(row).to_contain_text("用地面积")
    tab.shot("board")
    with page.expect_navigation():
        row.locator("a").click()
    assert tab.path == f"/confirmations/disputes/{dispute}", tab.path
    assert number_in(page.locator("#a-value").input_value()) == pytest.approx(proposed)
    page.fill("#a-resolution", "经核对收回协议，予以采纳。")
    submit(page, "采纳并更正数据")
    assert f"已采纳确认异议 #{dispute}" in flash(page)
    expect(page.locator("#dispute-status")).to_have_attribute("data-status", "accepted")
    expect(page.locator("#dispute-source")).to_have_text(f"企业确认更正 · 确认异议 #{dispute}")
    tab.shot("accepted")
    tab.log_out()

    tab.log_in("enterprise")
    tab.goto(own)
    row = page.locator(f"#confirm-figures tr[data-field='{LAND}']")
    assert number_in(row.locator(".figure-value").inner_text()) == pytest.approx(proposed)
    assert number_in(row.locator(".figure-value").inner_text()) != pytest.approx(current)
    expect(row.locator(".figure-source")).to_have_text(f"企业确认更正 · 确认异议 #{dispute}")
    expect(page.locator("#confirmation-state")).to_have_attribute("data-state", "resolved")
    tab.shot("corrected")
    tab.assert_clean()
