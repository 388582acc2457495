"""The 招商 pipeline in a real headless Chromium (issue 15, "the whole pipeline in Chromium").

On its own demo servers (SQLite and PostgreSQL), since it changes the demo's state: a staff member (the unit
account ``unit``, 全员招商) reports a lead on the entry form; the 招商局 (``zhaoshang``) finds it on the board,
moves it 线索 → 接洽 → 考察 → 洽谈, logs a visit with a photo attached (附件) and downloads it from the lead page,
is refused a move back without a reason, and signs it; the signed project then
appears in the 签约一批 list with the contract investment and the signing date the lead recorded, and its page
links back to the lead; on 招商统计 the funnel is drawn and the signing counts for the unit that reported it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from e2e_browser import Browse
from e2e_pages import axe_violations, flash, number_in, png_file, submit, with_axe
from e2e_server import own_demo_server
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

demo_server = own_demo_server("pipeline")

INVESTOR = "九江光伏新材料股份有限公司"
AMOUNT = 66_666


def test_a_reported_lead_signed_by_the_bureau_is_in_the_signing_list_with_the_same_figures(
    browse: Callable[[str], Browse], tmp_path: Path
) -> None:
    tab = browse("pipeline-")
    page = tab.page
    tab.log_in("unit")
    tab.click_nav("招商")
    page.get_by_role("link", name="报送线索", exact=True).first.click()
    page.wait_for_load_state()
    page.fill("#l-investor", INVESTOR)
    page.fill("#l-project", "异质结电池片项目")
    page.select_option("#l-chain", "新能源")
    page.fill("#l-investment", "70000")
    page.fill("#l-source", "驻点招商")
    tab.shot("lead-form")
    submit(page, "报送")
    assert "已报送线索" in flash(page)
    match = re.search(r"/investment/leads/(\d+)$", tab.path)
    assert match, tab.path
    lead = int(match.group(1))
    tab.shot("lead-reported")
    tab.log_out()

    tab.log_in("zhaoshang")
    tab.goto("/investment")
    expect(page.locator(f"#pipeline-board [data-stage=lead] [data-lead='{lead}']")).to_be_visible()
    tab.shot("board")
    page.locator(f"#pipeline-board [data-lead='{lead}'] a").click()
    page.wait_for_load_state()
    for stage in ("contact", "visit", "negotiation"):
        page.select_option("#mv-to", stage)
        submit(page, "确定")
        expect(page.locator("#lead-stage")).to_have_attribute("data-stage", stage)
    # a visit logged with its 考察照片 (附件): listed under the visit and downloaded from the lead page
    photo = png_file(tmp_path / "考察照片.png")
    page.select_option("#ac-kind", "visit")
    page.fill("#ac-staff", "李局")
    page.fill("#ac-with", "投资总监")
    page.fill("#ac-outcome", "考察厂区，有意向")
    page.set_input_files("#ac-files", [str(photo)])
    submit(page, "记录")
    assert "附件 1 个" in flash(page)
    link = page.locator("#lead-activities tr[data-kind=visit] a[data-file-id]")
    expect(link).to_have_text("考察照片.png")
    tab.shot("visit-attachment")
    with page.expect_download() as caught:
        link.click()
    assert caught.value.suggested_filename == "考察照片.png"
    assert Path(caught.value.path()).read_bytes() == photo.read_bytes()
    tab.goto(f"/investment/leads/{lead}")
    page.select_option("#mv-to", "contact")
    tab.guard.expected.add(tab.url(f"/investment/leads/{lead}/move"))
    submit(page, "确定")
    expect(page.locator("main")).to_contain_text("须填写原因")
    tab.goto(f"/investment/leads/{lead}")
    page.fill("#sg-amount", str(AMOUNT))
    page.fill("#sg-start", date.today().replace(year=date.today().year + 1, month=3, day=1).isoformat())
    tab.shot("sign-form")
    submit(page, "签约入库")
    assert "已进入项目库" in flash(page)
    expect(page.locator("#lead-stage")).to_have_attribute("data-stage", "signed")
    code = page.locator("#lead-project").inner_text().strip()
    signed_on = page.locator("#lead-signing").inner_text()[:10]
    tab.shot("lead-signed")

    tab.goto("/projects/lists")
    row = page.locator(f"#list-signing tr[data-code='{code}']")
    expect(row).to_have_count(1)
    assert number_in(row.locator("td.num").inner_text()) == AMOUNT
    assert signed_on in row.inner_text()
    expect(row.locator(".tag-achieved")).to_have_count(1)
    tab.shot("signing-list")
    row.get_by_role("link", name=code).click()
    page.wait_for_load_state()
    expect(page.locator(f"a[data-lead='{lead}']")).to_have_text(f"来自招商线索 #{lead}")
    tab.shot("project-from-lead")

    with_axe(page)
    tab.goto("/investment/figures")
    expect(page.locator("#funnel-chart")).to_have_attribute("data-chart-rendered", "1")
    assert axe_violations(page) == []
    reporter = page.locator("#board-reporter tr[data-name='unit']")
    expect(reporter).to_have_count(1)
    assert number_in(reporter.locator("td").nth(3).inner_text()) >= 1  # the signing counts for its first reporter
    tab.shot("figures")
