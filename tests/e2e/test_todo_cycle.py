"""待办 in a real headless Chromium (issue 13 part 2): an objection to-do appears for the analyst, goes when answered.

On a demo server of this module's own (it publishes the open year for 公示): the analyst publishes the demo's
draft; the ``enterprise`` account finds its result under 公示 in its 待办 and files an 异议 from the page it
links to, and the to-do is gone; the analyst sees the count beside 待办 in the navigation, opens the list,
follows the 异议待答复 item to the run's objections, answers it, and the item is gone from the list and the count.
Every page is screenshotted; no request may leave localhost, no console error, no failing asset.
"""

from __future__ import annotations

import re

import pytest
from e2e_browser import Browse
from e2e_pages import flash, submit
from e2e_server import own_demo_server
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


demo_server = own_demo_server("todo")
"""Overrides conftest's shared server: this module changes the demo's state (公示, 异议)."""


def _badge(tab: Browse) -> int:
    """The count beside 待办 in the navigation (0 when no badge is shown)."""
    badge = tab.page.locator("#nav-todo #todo-count")
    return int(re.sub(r"\D", "", badge.inner_text())) if badge.count() else 0


def _publish_the_draft(tab: Browse) -> int:
    page = tab.page
    tab.goto("/runs")
    draft = page.locator("#run-table tr[data-status=draft]").first
    run_id = int(draft.get_attribute("data-run") or 0)
    with page.expect_navigation():
        draft.locator("a").first.click()
    submit(page, "发布公示")
    assert f"评价批次 #{run_id} 已发布公示" in flash(page)
    return run_id


def test_an_objection_todo_appears_for_the_analyst_and_goes_when_answered(browse) -> None:  # type: ignore[no-untyped-def]
    tab: Browse = browse("todo-")
    page = tab.page
    # 企业确认 comes before 公示: the enterprise confirms its figures of the open year from its to-do list.
    tab.log_in("enterprise")
    page.locator("#nav-todo").click()
    page.wait_for_load_state()
    ask = page.locator("#todo-items .todo-item[data-kind=confirm_data]")
    expect(ask).to_contain_text("前确认本企业")
    with page.expect_navigation():
        ask.get_by_role("link").click()
    submit(page, "确认无误")
    assert "数据无误" in flash(page)
    assert _badge(tab) == 0
    tab.log_out()

    tab.log_in("analyst")
    before = _badge(tab)
    run_id = _publish_the_draft(tab)
    tab.log_out()

    # The enterprise: its result under 公示 is a to-do that leads to the objection form.
    tab.log_in("enterprise")
    expect(page.locator("#nav-todo")).to_be_visible()
    assert _badge(tab) == 1
    page.locator("#nav-todo").click()
    page.wait_for_load_state()
    item = page.locator("#todo-items .todo-item[data-kind=notice_open]")
    expect(item).to_contain_text("公示中")
    tab.shot("enterprise-list")
    with page.expect_navigation():
        item.get_by_role("link").click()
    assert tab.path.endswith(f"?run_id={run_id}"), tab.path
    page.fill("#o-text", "用地面积应为 20 亩，另 12 亩已交还园区。")
    submit(page, "提交异议")
    assert "异议已提交，请等待答复" in flash(page)
    assert _badge(tab) == 0  # filed: nothing left to do but wait
    tab.log_out()

    # The analyst: one more thing to do, the objection, led to from the list.
    tab.log_in("analyst")
    assert _badge(tab) == before + 1
    page.locator("#nav-todo").click()
    page.wait_for_load_state()
    assert tab.path == "/todo"
    objection = page.locator("#todo-items .todo-item[data-kind=objection]")
    expect(objection).to_have_count(1)
    expect(objection).to_contain_text("异议待答复")
    tab.shot("analyst-list")
    with page.expect_navigation():
        objection.get_by_role("link").click()
    assert tab.path.startswith(f"/runs/{run_id}/objections/"), tab.path  # the objection's own page
    card = page.locator("#answer-forms")
    card.locator(".reject-form textarea[name=answer]").fill("用地面积以不动产权证登记为准，不予采纳。")
    submit(page, "不予采纳", card.locator(".reject-form"))
    assert "不予采纳" in flash(page)
    assert _badge(tab) == before
    tab.goto("/todo")
    expect(page.locator("#todo-items .todo-item[data-kind=objection]")).to_have_count(0)
    tab.shot("analyst-answered")
