"""用地面积公示 in a real headless Chromium (issue 14, part 3): the land 公示 cycle end to end.

On a demo server of this module's own (it publishes, corrects and closes): the analyst publishes the open year's
land notice; the ``enterprise`` account finds it in its to-do, sees its 用地面积 with the derivation and objects
with a file; the analyst opens the objection from the notice page and accepts it, correcting the enterprise's
parcel or lease; the period is then made to have passed (its dates moved back in the database: no browser waits a
week) and the analyst closes the notice through its gate; the draft made next derives the corrected land and the
enterprise page shows the correction's lineage 「用地公示异议 #id」.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from e2e_browser import Browse
from e2e_pages import axe_violations, flash, number_in, png_file, submit, with_axe
from e2e_server import own_demo_server
from playwright.sync_api import expect
from sqlalchemy import text

from zonehero.db.session import make_engine

pytestmark = pytest.mark.e2e

YEAR = 2025
"""The demo's open year (its draft is made after its own, closed, land notice)."""

demo_server = own_demo_server("landnotice")
"""Overrides conftest's shared server: this module publishes and closes a land notice and corrects the land."""


def _publish(tab: Browse) -> int:
    page = tab.page
    tab.goto(f"/land/notice?year={YEAR}")
    expect(page.locator("#land-notice-card")).to_have_attribute("data-status", "closed")  # the demo's own
    submit(page, "发布用地面积公示")
    assert f"已发布 {YEAR} 年度用地面积公示" in flash(page)
    card = page.locator("#land-notice-card")
    expect(card).to_have_attribute("data-status", "notice")
    expect(page.locator("#land-close-reason")).to_contain_text("公示期满后")
    tab.shot("land-notice-published")
    return int(card.get_attribute("data-notice") or 0)


def _object(tab: Browse, notice: int, folder: Path) -> tuple[int, float]:
    page = tab.page
    tab.goto("/todo")
    entry = page.locator(f"#todo-items a[href='/land/notice/{notice}']").first
    expect(entry).to_contain_text("用地面积公示中")
    with page.expect_navigation():
        entry.click()
    assert tab.path == f"/land/notice/{notice}", tab.path
    assert axe_violations(page) == []
    total = page.locator("#land-total")
    published = number_in(total.inner_text()) if total.count() else 10.0
    proposed = round(published * 0.9, 2)
    page.fill("#lo-mu", str(proposed))
    items = page.locator("#objection-form input[name=items]")
    if items.count():
        items.first.check()
    page.fill("#lo-text", f"部分土地已交还，实际用地 {proposed} 亩，附证明。")
    page.set_input_files("#lo-files", [str(png_file(folder / "证明照片.png"))])
    tab.shot("land-objection-form")
    submit(page, "提交异议")
    assert "已提交异议" in flash(page)
    filed = page.locator("#objections .objection[data-status=open]")
    expect(filed).to_have_count(1)
    expect(filed).to_contain_text("证明照片.png")
    return int(filed.get_attribute("data-objection") or 0), published


def _accept(tab: Browse, notice: int, objection: int) -> None:
    page = tab.page
    tab.goto(f"/land/notice?year={YEAR}")
    row = page.locator(f"#land-notice-objections tr[data-objection='{objection}']")
    expect(row).to_have_attribute("data-status", "open")
    with page.expect_navigation():
        row.locator("a").click()
    assert tab.path == f"/land/notice/{notice}/objections/{objection}", tab.path
    expect(page.locator("#objection-files")).to_contain_text("证明照片.png")
    target = page.locator("#acc-target option").first
    label = target.inner_text()
    area = number_in(label.split("：", 1)[1].split("平方米")[0]) if "平方米" in label else 1000.0
    page.select_option("#acc-target", target.get_attribute("value"))
    page.select_option("#acc-field", "area_m2")
    page.fill("#acc-value", str(round(area * 0.9, 2)))
    page.fill("#acc-answer", "经核对，采纳。")
    submit(page, "采纳并更正")
    assert f"已采纳异议 #{objection}" in flash(page)
    expect(page.locator("#objection-status")).to_have_attribute("data-status", "accepted")
    expect(page.locator("#objection-answer")).to_contain_text(f"用地公示异议 #{objection}")
    tab.shot("land-objection-accepted")


def _period_passes(tab: Browse, notice: int) -> None:
    """Move the notice's period into the past, as the days would."""
    engine = make_engine(tab.server.database_url)
    try:
        with engine.begin() as connection:
            row = connection.execute(
                text("SELECT notice_start, notice_end FROM land_notices WHERE id = :id"), {"id": notice}
            ).one()
            start, end = (v if isinstance(v, date) else date.fromisoformat(v) for v in row)
            shift = (end - start) + timedelta(days=10)
            connection.execute(
                text("UPDATE land_notices SET notice_start = :s, notice_end = :e WHERE id = :id"),
                {"s": start - shift, "e": end - shift, "id": notice},
            )
    finally:
        engine.dispose()


def test_the_land_notice_cycle(browse, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    tab: Browse = browse("landnotice-")
    page = tab.page
    with_axe(page)  # the enterprise's own notice page is checked here (the walk's demo notice is closed)
    tab.log_in("analyst")
    notice = _publish(tab)
    tab.log_out()

    tab.log_in("enterprise")
    objection, published = _object(tab, notice, tmp_path)
    tab.log_out()

    tab.log_in("analyst")
    _accept(tab, notice, objection)
    tab.goto(f"/land/notice?year={YEAR}")
    expect(page.locator("#land-notice-counts")).to_contain_text("待处理 0 件，已采纳 1 件")
    _period_passes(tab, notice)
    tab.goto(f"/land/notice?year={YEAR}")
    submit(page, "公示期满，结束公示")
    assert "已结束" in flash(page)
    expect(page.locator("#land-notice-card")).to_have_attribute("data-status", "closed")
    tab.shot("land-notice-closed")

    tab.goto("/runs")
    page.select_option("#r-year", str(YEAR))
    page.select_option("#r-scheme", page.locator("#r-scheme option").first.get_attribute("value"))
    submit(page, "运行评价")
    match = re.fullmatch(r"/runs/(\d+)", tab.path)
    assert match, tab.path
    expect(page.locator("#land-notice-warning")).to_have_count(0)  # made after the notice closed
    tab.goto(f"/land/notice/{notice}/objections/{objection}")
    enterprise = page.locator("code").first.inner_text()
    tab.goto(f"/enterprises/{enterprise}?run_id={match.group(1)}")
    lineage = page.locator("#land-corrections")
    expect(lineage).to_contain_text(f"用地公示异议 #{objection}")
    corrected = number_in(page.locator("#land-total").inner_text())
    assert corrected != pytest.approx(published)
    tab.shot("land-corrected-draft")
