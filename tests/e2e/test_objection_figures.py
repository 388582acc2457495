"""An objection that points at a figure, in a real headless Chromium (issue 13, part 7).

On a demo server of this module's own (it publishes the open year for 公示, which would stop the year cycle
from publishing its own run on the shared server): the analyst publishes the demo's draft; the ``enterprise``
account sees the 公示 banner with the deadline at the top of its page, follows it to the objection form, ticks
用地面积 in the run's data list (value and source shown), proposes a smaller area, gives its reason and attaches
a photo (the picker accepts PDF/JPEG/PNG only). The analyst opens the objection from the run page: the company's
name, the disputed figure, its source, the proposed value and the effect on score and class of accepting it;
the accept form is prefilled with the proposed value and shows the current one. Accepted, the corrected draft
gives exactly the score and class the page showed and is compared with the run in 公示, the enterprise's row
among those that changed, and the figure is traced to the objection.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from e2e_browser import Browse
from e2e_pages import axe_violations, flash, number_in, png_file, submit, with_axe
from e2e_server import own_demo_server
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

LAND = "land_area_mu"


demo_server = own_demo_server("objection")
"""Overrides conftest's shared server: this module puts the open year in 公示 and accepts an 异议."""


def _publish_draft(tab: Browse) -> int:
    page = tab.page
    tab.goto("/runs")
    draft = page.locator("#run-table tbody tr[data-status=draft]").first
    run_id = int(draft.get_attribute("data-run") or 0)
    with page.expect_navigation():
        draft.locator("a").first.click()
    submit(page, "发布公示")
    assert f"评价批次 #{run_id} 已发布公示" in flash(page)
    return run_id


def _file_objection(tab: Browse, run_id: int, folder: Path) -> tuple[str, float, float, str]:
    """The enterprise follows the banner and disputes 用地面积; (USCC, current, proposed, reason)."""
    page = tab.page
    match = re.fullmatch(r"/enterprises/([0-9A-Z]{18})", tab.path)
    assert match, tab.path
    own = match.group(1)
    banner = page.locator("#notice-banner")
    expect(banner).to_be_visible()
    expect(banner).to_have_attribute("data-run", str(run_id))
    expect(banner).to_contain_text("正在公示")
    deadline = page.locator("#notice-deadline").inner_text()
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", deadline), deadline
    top = banner.bounding_box()
    assert top is not None and top["y"] < 200, "the banner is at the top of the page"
    tab.shot("banner")
    page.locator("#notice-banner-link").click()
    form = page.locator("#objection-form")
    expect(form).to_be_in_viewport()
    picker = page.locator("#o-files")
    assert set((picker.get_attribute("accept") or "").split(",")) >= {".pdf", ".jpg", ".jpeg", ".png"}
    assert not {".docx", ".xlsx"} & set((picker.get_attribute("accept") or "").split(","))
    row = page.locator(f"#dispute-table tr[data-field='{LAND}']")
    expect(row).to_contain_text("用地面积")
    cells = row.locator("td").all_inner_texts()
    current = number_in(cells[2])
    assert cells[3].strip() not in ("", "—"), "the source of the figure the run used"
    proposed = round(current * 0.6, 2)
    row.locator("input[type=checkbox]").check()
    page.fill(f"#p-{LAND}", str(proposed))
    reason = f"部分用地已于年初交还园区，实际用地 {proposed} 亩，附土地证照片。"
    page.fill("#o-text", reason)
    page.set_input_files("#o-files", [str(png_file(folder / "土地证照片.png"))])
    tab.shot("objection-form")
    submit(page, "提交异议")
    assert "异议已提交，请等待答复" in flash(page)
    filed = page.locator("#objections .objection[data-status=open]")
    expect(filed).to_have_count(1)
    expect(filed.locator(f"li[data-field='{LAND}']")).to_contain_text(f"{proposed:,.2f} 亩")
    expect(page.locator("#notice-banner")).to_contain_text("等待答复")
    tab.shot("objection-filed")
    return own, current, proposed, reason


def test_an_objection_on_land_area_carries_through_to_the_corrected_draft(browse, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    tab: Browse = browse("objection-")
    page = tab.page
    with_axe(page)  # the objection's page is checked here (the accessibility walk's demo has no objection)
    tab.log_in("analyst")
    run_id = _publish_draft(tab)
    tab.log_out()

    tab.log_in("enterprise")
    own, current, proposed, reason = _file_objection(tab, run_id, tmp_path)
    name = page.locator("#enterprise-name").inner_text().strip()
    tab.log_out()

    # The analyst finds it on the run page by the company's name and opens its page.
    tab.log_in("analyst")
    tab.goto(f"/runs/{run_id}")
    card = page.locator("#run-objections .objection[data-status=open]")
    expect(card).to_have_count(1)
    expect(card).to_contain_text(name)
    with page.expect_navigation():
        card.locator("a.objection-link").click()
    assert re.fullmatch(rf"/runs/{run_id}/objections/\d+", tab.path), tab.path
    expect(page.locator("#objection-company")).to_have_text(name)
    assert axe_violations(page) == []
    disputed = page.locator(f"#disputed-table tr[data-field='{LAND}']")
    assert number_in(disputed.locator(".disputed-current").inner_text()) == pytest.approx(current, abs=0.006)
    assert number_in(disputed.locator(".disputed-proposed").inner_text()) == pytest.approx(proposed)
    source = disputed.locator(".disputed-source").inner_text()
    # the file, row and column of the figure, or, for land derived from the parcels, the register and the derivation
    assert "行" in source or ("宗地与租赁登记" in source and "用地面积认定" in source), source
    expect(page.locator("#objection-text")).to_have_text(reason)
    # The effect, before deciding.
    effect = page.locator("#effect-summary")
    expect(effect).to_be_visible()
    class_after = effect.get_attribute("data-class-after") or ""
    total_before = float(effect.get_attribute("data-total-before") or "nan")
    total_after = float(effect.get_attribute("data-total-after") or "nan")
    assert total_after >= total_before, "less land, no lower 亩均 figures"
    assert number_in(page.locator("#effect-total td").nth(1).inner_text()) == pytest.approx(total_after, abs=0.006)
    expect(page.locator("#effect-reasons")).to_contain_text("总分")
    # The accept form: prefilled with the proposed value, the current one beside it.
    accept = page.locator("#accept-form")
    value = accept.locator(f"tr[data-field='{LAND}'] input[name=value]")
    assert float(value.input_value()) == pytest.approx(proposed)
    assert number_in(accept.locator(".accept-current").inner_text()) == pytest.approx(current, abs=0.006)
    tab.shot("objection-effect")
    accept.locator("textarea[name=answer]").fill(f"经核实，用地面积更正为 {proposed} 亩。")
    submit(page, "采纳", accept)
    match = re.fullmatch(r"/runs/(\d+)", tab.path)
    assert match, tab.path
    corrected = int(match.group(1))
    assert corrected != run_id and f"生成新的评价草稿 #{corrected}" in flash(page)

    # The corrected draft against the run in 公示: the enterprise changed, exactly as the page said.
    comparison = page.locator("#correction-comparison")
    expect(comparison).to_have_attribute("data-base-run", str(run_id))
    origin = comparison.locator(f".correction-origin[data-uscc='{own}']")
    expect(origin).to_contain_text("用地面积")
    assert float(origin.get_attribute("data-total-before") or "nan") == pytest.approx(total_before, abs=1e-9)
    assert float(origin.get_attribute("data-total-after") or "nan") == pytest.approx(total_after, abs=1e-9)
    expect(origin).to_have_attribute("data-class-after", class_after)
    if total_after != total_before:  # listed among the changes too (a capped score may not move)
        cells = comparison.locator(f"tr[data-uscc='{own}']").locator("td").all_inner_texts()
        assert number_in(cells[4]) == pytest.approx(total_after, abs=0.006)
    assert number_in(page.locator("#correction-score-changed").inner_text()) >= 1, "its land moves the benchmarks"
    tab.shot("corrected-draft")
    tab.goto(f"/enterprises/{own}?run_id={corrected}")
    expect(page.locator("#result-card")).to_have_attribute("data-class", class_after)
    figure = page.locator(f"table.figure-table tr[data-field='{LAND}']").first
    expect(figure.locator(".figure-source")).to_contain_text("经异议")
    tab.shot("corrected-enterprise")
    tab.log_out()
    tab.assert_clean()
