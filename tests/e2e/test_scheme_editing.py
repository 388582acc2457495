"""A scheme edited in the form equals the same edit in TOML, in Chromium (issue 13 part 3).

The analyst opens the scheme form, raises 规上 亩均税收's weight from its value by 10 and watches the live sum
leave 100 (saving then is refused next to the group, in Chinese); sees the 固定基准值 column and the 分数线 fields
appear only for their choice; lowers 亩均增加值 by 10, the sum is 100 again;
saves. Then the same edit is made in the TOML text (高级) from the same base version and saved. Both versions,
downloaded as TOML, parse to the same scheme, and the version comparison between them finds no changed rule.
"""

from __future__ import annotations

import dataclasses
import re

import pytest
from e2e_pages import axe_violations, flash, with_axe
from playwright.sync_api import Page, expect

from zonehero.core.evaluation.scheme import parse_scheme

pytestmark = pytest.mark.e2e


def _weight_input(page: Page, group: str, key: str):  # type: ignore[no-untyped-def]
    row = page.locator(f"#group-{group} tbody tr.indicator-row").filter(
        has=page.locator(f"input[name$='.key'][value='{key}']")
    )
    expect(row).to_have_count(1)
    return row.locator("input[data-weight]")


def _toml_with_weight(text: str, group: str, key: str, weight: float) -> str:
    """``text`` with the weight of indicator ``key`` of ``group`` set, as a person edits the file."""
    blocks = re.split(r"(?m)^(?=\[)", text)
    for i, block in enumerate(blocks):
        if block.startswith(f"[[groups.{group}.indicators]]") and re.search(rf'(?m)^key = "{key}"$', block):
            blocks[i] = re.sub(r"(?m)^weight = .*$", f"weight = {weight:g}", block, count=1)
            return "".join(blocks)
    raise AssertionError(f"no indicator {group}.{key} in the TOML")


def _version_id(path: str) -> int:
    match = re.fullmatch(r"/schemes/versions/(\d+)", path)
    assert match, path
    return int(match.group(1))


def test_a_form_edit_with_a_live_sum_equals_the_toml_edit(browse) -> None:  # type: ignore[no-untyped-def]
    tab = browse("scheme-form-")
    with_axe(tab.page)  # the compare page is checked here (the accessibility walk's demo has one version)
    page = tab.page
    tab.log_in("analyst")
    tab.goto("/schemes")
    card = page.locator(".card.scheme").first
    scheme_id = int(card.get_attribute("data-scheme") or "0")
    base_id = int(card.locator("tr[data-version]").first.get_attribute("data-version") or "0")
    with page.expect_navigation():
        card.get_by_role("link", name="编辑（保存为新版本）").click()
    assert tab.path == f"/schemes/{scheme_id}/edit"
    expect(page.locator("#sum-above")).to_have_text("100")
    expect(page.locator("#sum-above")).to_have_attribute("data-ok", "true")
    tab.shot("form")

    tax = _weight_input(page, "above", "tax_per_mu")
    added = _weight_input(page, "above", "value_added_per_mu")
    tax_weight, added_weight = float(tax.input_value()), float(added.input_value())
    tax.fill(f"{tax_weight + 10:g}")
    expect(page.locator("#sum-above")).to_have_text("110")
    expect(page.locator("#sum-above")).to_have_attribute("data-ok", "false")
    expect(page.locator("#sum-above-state")).to_contain_text("须为 100")
    tab.shot("sum-110")

    # 添加 / 删除 a row: the sum follows.
    page.get_by_role("button", name="添加规上指标").click()
    new_row = page.locator("#group-above tbody tr.indicator-row").last
    new_row.locator("input[data-weight]").fill("5")
    expect(page.locator("#sum-above")).to_have_text("115")
    new_row.get_by_role("button", name="删除").click()
    expect(page.locator("#sum-above")).to_have_text("110")

    # Inputs that matter for one choice only fold away for the others (固定基准值, 按分数线).
    fixed_head = page.locator("#group-above th[data-column='fixed']")
    expect(fixed_head).to_be_hidden()
    expect(page.locator("#f-classes-threshold_a")).to_be_hidden()
    page.select_option("#f-scoring-benchmark_mode", "fixed")
    expect(fixed_head).to_be_visible()
    page.select_option("#f-classes-mode", "threshold")
    expect(page.locator("#f-classes-threshold_a")).to_be_visible()
    expect(page.locator("#f-classes-quota_a")).to_be_hidden()
    page.select_option("#f-scoring-benchmark_mode", "zone")
    page.select_option("#f-classes-mode", "quota")
    expect(fixed_head).to_be_hidden()

    # Saved at 110, the server refuses next to the group, in Chinese, and keeps what was typed.
    tab.guard.expected.add(tab.url(f"/schemes/{scheme_id}/form"))
    with page.expect_navigation():
        page.get_by_role("button", name="校验并保存为新版本").click()
    expect(page.locator("#f-groups-above-error")).to_have_text("本组权重合计须为 100，现为 110")
    expect(page.locator("#form-problems")).to_contain_text("未保存")
    tab.shot("refused")

    added = _weight_input(page, "above", "value_added_per_mu")
    added.fill(f"{added_weight - 10:g}")
    expect(page.locator("#sum-above")).to_have_text("100")
    expect(page.locator("#sum-above")).to_have_attribute("data-ok", "true")
    page.fill("#f-note", "端到端：表单调整权重")
    with page.expect_navigation():
        page.get_by_role("button", name="校验并保存为新版本").click()
    form_version = _version_id(tab.path)
    assert "已保存方案" in flash(page)
    tab.shot("saved")

    # The same edit in TOML (高级), from the same base version.
    tab.goto(f"/schemes/{scheme_id}/edit?view=toml&from={base_id}")
    text = page.locator("#s-text").input_value()
    text = _toml_with_weight(text, "above", "tax_per_mu", tax_weight + 10)
    text = _toml_with_weight(text, "above", "value_added_per_mu", added_weight - 10)
    page.fill("#s-text", text)
    page.fill("#s-note", "端到端：TOML 调整权重")
    with page.expect_navigation():
        page.get_by_role("button", name="校验并保存").click()
    toml_version = _version_id(tab.path)
    assert toml_version != form_version

    def stored(version_id: int):  # type: ignore[no-untyped-def]
        response = page.request.get(tab.url(f"/schemes/versions/{version_id}/download"))
        assert response.ok
        return dataclasses.replace(parse_scheme(response.text()), text="", digest="")

    from_form, from_toml = stored(form_version), stored(toml_version)
    assert from_form == from_toml
    assert from_form.groups["above"].indicator("tax_per_mu").weight == tax_weight + 10
    assert from_form != stored(base_id)

    tab.goto(f"/schemes/{scheme_id}/compare?old={form_version}&new={toml_version}")
    expect(page.locator("#change-count")).to_contain_text("规则完全相同")
    tab.goto(f"/schemes/{scheme_id}/compare?old={base_id}&new={form_version}")
    changed = page.locator("#scheme-changes tr.changed")
    expect(changed).to_have_count(2)
    expect(page.locator("#scheme-changes tr[data-key='groups.above.tax_per_mu.weight'] .new-value")).to_have_text(
        f"{tax_weight + 10:g} 分"
    )
    assert axe_violations(page) == []
    tab.shot("compare")
