"""The layout holds from 1280 to 1920 px and on a phone (issue 13 part 9), for the pages used on site and at desks.

At 1280, 1440 and 1920 px no page scrolls sideways and no short table cell (a date, a status, a heading of up to
ten characters) breaks over two lines: the unit's 问题清单 with its 办理 form and the enterprise's result header
broke there before. On a 390 px phone the enterprise, unit and project pages hold the same way (wide tables scroll
inside their own box instead of stacking a cell's text a character a line) and the navigation folds behind its
button. axe-core runs again at 1280 px and on the phone. The unit account's bar names its 责任单位; the 选择文件
picker shows the chosen file's name. Viewport screenshots are kept as ``e2e-layout-<role>-<width>-<page>.png``.
SQLite only: the layout does not depend on the database. (tests/e2e/test_responsive.py is about the server
answering while heavy requests run, not about the layout.)
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from e2e_browser import Browse
from e2e_pages import axe_violations, png_file, with_axe
from e2e_server import E2E_DATABASES
from playwright.sync_api import expect

SQLITE = E2E_DATABASES[0]
pytestmark = [pytest.mark.e2e, pytest.mark.parametrize("demo_server", [SQLITE], indirect=True)]

DESK_WIDTHS = (1280, 1440, 1920)
PHONE = {"width": 390, "height": 844}
AXE_WIDTHS = (1280, PHONE["width"])
"""Widths at which axe-core runs again (the walk of test_accessibility.py runs at 1440): what scrolls, and so must
take focus, depends on the width."""
SHORT_CELL = 10
"""Characters up to which a table cell without a form control must keep to one line at a desk."""

MEASURE = """(shortCell) => {
  const doc = document.documentElement;
  const lines = (el) => {
    const range = document.createRange();
    range.selectNodeContents(el);
    const tops = [...range.getClientRects()].filter(r => r.width > 0).map(r => r.top).sort((a, b) => a - b);
    const step = parseFloat(getComputedStyle(el).fontSize) * 0.8;
    let count = tops.length ? 1 : 0;
    for (let i = 1; i < tops.length; i++) { if (tops[i] - tops[i - 1] > step) count++; }
    return count;
  };
  const broken = [];
  for (const cell of document.querySelectorAll("main th, main td")) {
    if (!cell.offsetParent || cell.querySelector("input, select, textarea, button")) continue;
    const text = cell.innerText.replace(/\\s+/g, " ").trim();
    if (text && text.length <= shortCell && lines(cell) > 1) broken.push(text);
  }
  const header = document.querySelector("#result-card > .card-header");
  const headerParts = header ? [...header.children].filter(c => lines(c) > 1).map(c => c.innerText) : [];
  return {overflow: doc.scrollWidth - doc.clientWidth, broken: broken, headerParts: headerParts};
}"""


def _measure(tab: Browse) -> dict[str, Any]:
    tab.settle()
    tab.assert_clean()
    return dict(tab.page.evaluate(MEASURE, SHORT_CELL))


def _first_link(tab: Browse, pattern: str) -> str:
    hrefs = tab.page.eval_on_selector_all("main a[href]", "els => els.map(a => a.getAttribute('href'))")
    found = next((h for h in hrefs if h and re.fullmatch(pattern, h.split("?")[0])), None)
    assert found, f"no link like {pattern} on {tab.path}"
    return found


def _pages(tab: Browse, role: str) -> dict[str, str]:
    """The pages a role uses on site or at a desk, found from its home page as a person would."""
    if role == "enterprise":
        return {"enterprise": tab.path}
    if role == "analyst":
        tab.goto("/enterprises")
        return {"enterprise": _first_link(tab, r"/enterprises/[0-9A-Z]{18}"), "projects": "/projects"}
    tab.goto("/projects")
    return {
        "projects": "/projects",
        "project": _first_link(tab, r"/projects/XM\d+"),
        "difficulties": "/projects/difficulties",
    }


def _check(tab: Browse, role: str, width: int, pages: dict[str, str], artifacts: Path) -> list[str]:
    problems = []
    for name, path in pages.items():
        tab.goto(path)
        found = _measure(tab)
        tab.page.screenshot(path=str(artifacts / f"e2e-layout-{role}-{width}-{name}.png"))
        if width in AXE_WIDTHS:
            problems += [f"{width} px {path}: axe-core {line}" for line in axe_violations(tab.page)]
        if found["overflow"] > 0:
            problems.append(f"{width} px {path}: the page scrolls sideways by {found['overflow']} px")
        if found["broken"]:
            problems.append(f"{width} px {path}: short cells broken over lines: {found['broken'][:8]}")
        if width >= DESK_WIDTHS[0] and found["headerParts"]:
            problems.append(f"{width} px {path}: the result header breaks inside {found['headerParts']}")
    return problems


@pytest.mark.parametrize("role", ["enterprise", "unit", "projects", "analyst"])
def test_pages_hold_from_1280_to_1920_and_on_a_phone(browse, artifacts_dir: Path, role: str) -> None:  # type: ignore[no-untyped-def]
    tab: Browse = browse(f"layout-{role}-")
    with_axe(tab.page)
    tab.log_in(role)
    pages = _pages(tab, role)
    problems = []
    for width in DESK_WIDTHS:
        tab.page.set_viewport_size({"width": width, "height": 900})
        problems += _check(tab, role, width, pages, artifacts_dir)
    if role != "analyst":  # on site: the enterprise's own page, the unit's and the project office's pages
        tab.page.set_viewport_size(PHONE)
        problems += _check(tab, role, PHONE["width"], pages, artifacts_dir)
        expect(tab.page.locator(".navbar-toggler")).to_be_visible()
    assert not problems, "\n".join(problems)


def test_the_checks_see_a_broken_layout(browse) -> None:  # type: ignore[no-untyped-def]
    """A planted sideways overflow and a planted broken date cell are reported (the measure can fail)."""
    tab: Browse = browse("layout-planted-")
    tab.log_in("unit")
    tab.goto("/projects/difficulties")
    assert _measure(tab) == {"overflow": 0, "broken": [], "headerParts": []}
    tab.page.evaluate(
        "() => { const cell = document.querySelector('main td'); cell.textContent = '2024-05-29';"
        " cell.style.width = '2em'; cell.style.maxWidth = '2em'; cell.style.whiteSpace = 'normal';"
        " cell.style.wordBreak = 'break-all'; document.querySelector('main').style.minWidth = '4000px'; }"
    )
    found = _measure(tab)
    assert found["overflow"] > 0 and "2024-05-29" in found["broken"], found


def test_the_unit_account_names_its_unit(browse) -> None:  # type: ignore[no-untyped-def]
    tab: Browse = browse("layout-unit-")
    tab.log_in("unit")
    expect(tab.page.locator("#user-unit")).to_have_text(re.compile(r"^责任单位：\S+"))
    tab.page.set_viewport_size(PHONE)
    tab.page.locator(".navbar-toggler").click()
    expect(tab.page.locator("#user-unit")).to_be_visible()


def test_the_file_picker_is_chinese_and_names_the_file(browse, tmp_path: Path, artifacts_dir: Path) -> None:  # type: ignore[no-untyped-def]
    tab: Browse = browse("layout-picker-")
    tab.log_in("projects")
    tab.goto("/projects")
    tab.goto(_first_link(tab, r"/projects/XM\d+"))
    picker = tab.page.locator("#pg-photos")
    expect(tab.page.locator("label[for=pg-photos].file-picker-button")).to_have_text("选择文件")
    chosen = tab.page.locator("#pg-photos-chosen")
    expect(chosen).to_have_text("未选择文件")
    picker.set_input_files([str(png_file(tmp_path / "现场照片一.png")), str(png_file(tmp_path / "现场照片二.png"))])
    expect(chosen).to_have_text("已选择 2 个文件：现场照片一.png、现场照片二.png")
    picker.set_input_files(str(png_file(tmp_path / "现场.png")))
    expect(chosen).to_have_text("现场.png")
    picker.focus()
    tab.assert_clean()
    tab.page.screenshot(path=str(artifacts_dir / "e2e-layout-picker.png"))


def test_date_fields_are_chinese(browse, artifacts_dir: Path) -> None:  # type: ignore[no-untyped-def]
    """A bureau's browser is Chinese, and so is the test browser (CHROMIUM_ENV): its date fields read 年/月/日 and
    dates are formatted the Chinese way, while the value sent stays ISO (YYYY-MM-DD) for the server."""
    tab: Browse = browse("layout-dates-")
    tab.log_in("projects")
    tab.goto("/projects/lists")
    field = tab.page.locator("#l-asof")
    expect(field).to_have_attribute("type", "date")
    locale = tab.page.evaluate("() => [navigator.language, new Intl.DateTimeFormat().resolvedOptions().locale]")
    assert locale == ["zh-CN", "zh-CN"], locale
    shown = tab.page.evaluate("() => new Date(2025, 2, 1).toLocaleDateString()")
    assert shown == "2025/3/1", shown  # the Chinese order, year first
    field.fill("2025-03-01")
    assert field.input_value() == "2025-03-01"
    tab.assert_clean()
    field.screenshot(path=str(artifacts_dir / "e2e-layout-date-field.png"))
