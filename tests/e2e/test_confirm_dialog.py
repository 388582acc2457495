"""An irreversible action asks first, in Chromium (issue 13 part 5): 删除草稿 opens a modal dialog that blocks.

The analyst runs a draft of the oldest year and clicks 删除草稿: a modal <dialog> names what will be deleted
and what cannot be undone, and nothing is posted. 取消 and Esc close it and the draft is still there after a
reload; 确认删除草稿 posts the form and the draft is gone. (The server-side gates and refusal pages are in
tests/web/test_guarded_actions.py.)
"""

from __future__ import annotations

import re

import pytest
from e2e_pages import flash
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_delete_draft_waits_for_confirmation(browse) -> None:  # type: ignore[no-untyped-def]
    tab = browse("confirm-")
    page = tab.page
    tab.log_in("analyst")
    tab.goto("/runs")
    year = page.locator("#r-year option").last.get_attribute("value")
    page.select_option("#r-year", year)
    page.fill("#r-note", "端到端测试：确认对话框")
    with page.expect_navigation():
        page.get_by_role("button", name="运行评价", exact=True).click()
    match = re.fullmatch(r"/runs/(\d+)", tab.path)
    assert match, tab.path
    run_id = int(match.group(1))
    run_path = tab.path

    delete = page.locator("#delete-form").get_by_role("button", name="删除草稿", exact=True)
    dialog = page.locator("#confirm-delete")
    expect(dialog).to_be_hidden()

    # 取消: the dialog was modal (the page behind is inert), nothing was posted, the draft stays.
    requests: list[str] = []
    page.on("request", lambda r: requests.append(f"{r.method} {r.url}") if r.method == "POST" else None)
    delete.click()
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text(f"评价草稿 #{run_id}")
    expect(dialog).to_contain_text("不可撤销")
    assert page.evaluate("document.querySelector('#confirm-delete').matches(':modal')")
    expect(dialog.get_by_role("button", name="取消")).to_be_focused()
    tab.shot("delete-dialog")
    dialog.get_by_role("button", name="取消").click()
    expect(dialog).to_be_hidden()
    assert tab.path == run_path and requests == []

    # Esc closes it the same way.
    delete.click()
    expect(dialog).to_be_visible()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    assert requests == []
    page.reload()
    expect(page.locator(".run-status").first).to_have_attribute("data-status", "draft")

    # 确认删除草稿 posts the form: the draft is gone.
    delete.click()
    with page.expect_navigation():
        dialog.get_by_role("button", name="确认删除草稿").click()
    assert tab.path == "/runs"
    assert f"已删除评价草稿 #{run_id}" in flash(page)
    expect(page.locator(f"#run-table tr[data-run='{run_id}']")).to_have_count(0)
    assert len([r for r in requests if r.endswith(f"/runs/{run_id}/delete")]) == 1
    tab.shot("deleted")
