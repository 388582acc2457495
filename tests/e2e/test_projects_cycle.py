"""A month of 四个一批 scheduling in a real headless Chromium (issue 4, "the Chromium run extended").

On the same demo servers as the year cycle (SQLite and PostgreSQL): the
project office (``projects``) opens the library, finds on the warnings board
a project flagged for a missing report of the month the lights check, opens
its page (milestone timeline, investment chart), enters that month's progress
with a site photo in the form, and sees the light change on the board; looks
at the four lists; closes the most recent finished month (the demo leaves it open), exports its
scheduling table (xlsx, one sheet per list) and checks that a month cannot be
closed twice; reads the difficulties board. The responsible-unit account
(``unit``) then sees only its own projects and no editing forms.

The demo projects are generated relative to today, so the test reads codes,
months and amounts from the pages instead of hard-coding them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from e2e_browser import Browse
from e2e_pages import click_button, flash, png_file, submit
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e

MISSING = "未填报"
"""Start of the missing-report reason: 未填报 2026年10月 的项目进展."""
MILESTONE_LATE = re.compile(r"尚未(签约|开工|投产)")
LIST_SHEETS = {"signing": "签约一批", "construction": "开工一批", "production": "投产一批"}
EDIT_FORMS = "form[method=post]:not([action='/logout']):not([action='/jobs'])"
"""Forms that change something; asking for a document to be made in the background (POST /jobs) is a read."""


def _submit(page: Page, button: str) -> None:
    """Click a submit button by its label, confirm its dialog if it asks first, and wait for the answer page."""
    submit(page, button)


@dataclass(frozen=True)
class Flagged:
    """A project on the warnings board: its light and reasons."""

    code: str
    light: str
    reasons: list[str]


def _board(page: Page) -> dict[str, Flagged]:
    rows = page.locator("#warning-table tbody tr[data-code]")
    found = {}
    for i in range(rows.count()):
        row = rows.nth(i)
        code = row.get_attribute("data-code") or ""
        reasons = [r.strip() for r in row.locator("li").all_inner_texts()]
        found[code] = Flagged(code, row.get_attribute("data-light") or "", reasons)
    return found


def _counts(page: Page) -> dict[str, int]:
    return {
        light: int(re.sub(r"\D", "", page.locator(f"#warning-counts [data-count={light}]").inner_text()))
        for light in ("red", "yellow", "green")
    }


def _checked_month(page: Page) -> tuple[int, int]:
    """The month whose reports the lights check (进展按 2026年10月 检查)."""
    match = re.search(r"进展按 (\d{4})年(\d{1,2})月 检查", page.locator("#warning-counts").inner_text())
    assert match, page.locator("#warning-counts").inner_text()
    return int(match.group(1)), int(match.group(2))


def _library(tab: Browse) -> dict[str, str]:
    """Every project of the library (all pages) → its responsible unit."""
    page = tab.page
    units: dict[str, str] = {}
    tab.goto("/projects?size=200")
    rows = page.locator("#project-table tbody tr[data-code]")
    for i in range(rows.count()):
        units[rows.nth(i).get_attribute("data-code") or ""] = rows.nth(i).locator("td").nth(6).inner_text().strip()
    return units


def _enter_progress(tab: Browse, flagged: Flagged, month: tuple[int, int], photo: Path) -> None:
    """On the project's page: check timeline and chart, then enter the checked month's progress with a photo."""
    page = tab.page
    year, number = month
    with page.expect_navigation():
        page.locator(f"#warning-table tr[data-code='{flagged.code}'] a").first.click()
    assert tab.path == f"/projects/{flagged.code}"
    expect(page.locator("#project-title")).to_contain_text(flagged.code)
    expect(page.locator("#project-title .light-badge")).to_have_attribute("data-light", flagged.light)
    expect(page.locator("#project-warnings")).to_contain_text(f"{MISSING} {year}年{number}月")
    # 挂图作战: the planning row and the three milestones, planned against actual.
    milestones = page.locator("#milestone-table tbody tr[data-milestone]")
    expect(milestones).to_have_count(4)
    assert milestones.evaluate_all("rows => rows.map(r => r.dataset.milestone)") == [
        "planning",
        "signing",
        "construction",
        "production",
    ]
    assert tab.wait_for_charts() == 1
    plans = page.locator("#year-plans").inner_text()
    plan = re.search(rf"{year} 年 ([\d,]+)", plans)
    assert plan, plans
    amount = int(plan.group(1).replace(",", ""))
    expect(page.locator(f"#progress-table tr[data-period='{year:04d}-{number:02d}']")).to_have_count(0)
    tab.shot("project")

    page.fill("#pg-year", str(year))
    page.fill("#pg-month", str(number))
    # The whole year's plan in one month: the year-to-date sum is then above any pro-rated plan.
    page.fill("#pg-inv", str(amount))
    cells = page.locator("#progress-table tbody tr td:nth-child(3)").all_inner_texts()
    done = [float(m.group()) for t in cells if (m := re.search(r"\d+(\.\d+)?", t))]
    page.fill("#pg-pct", str(min(100.0, max(done, default=0.0) + 2)))
    page.fill("#pg-text", "主体结构封顶，设备进场安装（端到端测试填报）")
    page.set_input_files("#pg-photos", str(photo))
    _submit(page, "保存进展")
    assert tab.path == f"/projects/{flagged.code}"
    assert f"已保存 {year}年{number}月 进展（照片 1 张）" in flash(page)
    row = page.locator(f"#progress-table tr[data-period='{year:04d}-{number:02d}']")
    expect(row).to_contain_text("主体结构封顶")
    expect(row).to_contain_text("projects")
    image = row.locator("img.project-photo")
    expect(image).to_have_count(1)
    image.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth === 64", arg=image.element_handle())
    expect(page.locator("#project-warnings li", has_text=MISSING)).to_have_count(0)
    tab.shot("project-progress-saved")


def _close_month(tab: Browse, folder: Path) -> tuple[int, int]:
    """Close the most recent ended month (left open by the demo), look at its report, export its table."""
    page = tab.page
    page.locator("#project-tabs").get_by_role("link", name="月度调度").click()
    page.wait_for_load_state()
    assert tab.path == "/projects/months"
    closed = set(page.locator("#month-table tbody tr[data-period]").evaluate_all("rs => rs.map(r => r.dataset.period)"))
    # The demo leaves the newest finished month open, and the form proposes it.
    year, month = int(page.input_value("#c-year")), int(page.input_value("#c-month"))
    assert f"{year:04d}-{month:02d}" not in closed, (year, month, sorted(closed))
    before = (year - 1, 12) if month == 1 else (year, month - 1)
    assert f"{before[0]:04d}-{before[1]:02d}" in closed, (before, sorted(closed))
    tab.shot("months")
    _submit(page, "关账并保存调度报告")
    assert tab.path == f"/projects/months/{year}/{month}"
    assert f"{year}年{month}月已关账" in flash(page)
    lists = {}
    for key in (*LIST_SHEETS, "planning"):
        lists[key] = int(page.locator(f"#snapshot-lists tr[data-list={key}] .list-count").inner_text())
    ahead = {
        key: int(page.locator(f"#snapshot-lists tr[data-list={key}] td").nth(4).inner_text()) for key in LIST_SHEETS
    }
    flagged = page.locator("#snapshot-flagged li[data-code]").count()
    tab.shot("month-closed")

    with page.expect_download() as info:
        page.click("#download-xlsx")
    download = info.value
    assert download.failure() is None
    assert download.suggested_filename == f"{year}年{month}月“四个一批”项目调度表.xlsx"
    path = folder / download.suggested_filename
    download.save_as(path)
    workbook = load_workbook(path)
    for key, sheet_name in LIST_SHEETS.items():
        sheet = workbook[sheet_name]
        assert sheet.freeze_panes == "A4", (sheet_name, sheet.freeze_panes)
        header = [c.value for c in sheet[3]]
        assert header[:3] == ["序号", "项目编号", "项目名称"] and "预警" in header, header
        data = [r for r in sheet.iter_rows(min_row=4, values_only=True) if r[1]]
        assert len(data) == lists[key] + ahead[key], (sheet_name, len(data), lists[key], ahead[key])
        lights = {r[header.index("预警")] for r in data}
        assert lights <= {"红灯", "黄灯", "绿灯"}, lights
    planning = [r for r in workbook["谋划一批"].iter_rows(min_row=4, values_only=True) if r[1]]
    assert len(planning) == lists["planning"]
    assert len([r for r in workbook["红黄灯项目"].iter_rows(min_row=4, values_only=True) if r[0]]) == flagged
    workbook.close()

    # A closed month is a snapshot: closing it again is refused.
    tab.goto("/projects/months")
    page.fill("#c-year", str(year))
    page.fill("#c-month", str(month))
    tab.guard.expected.add(tab.url("/projects/months"))
    with page.expect_navigation() as nav:
        click_button(page, "关账并保存调度报告")
    response = nav.value
    assert response is not None and response.status == 409, response and response.status
    expect(page.locator(".error-card")).to_contain_text("已关账")
    tab.guard.expected.discard(tab.url("/projects/months"))
    tab.shot("month-close-again-409")
    page.go_back()
    assert tab.path == "/projects/months"
    return year, month


def _office(tab: Browse, folder: Path) -> dict[str, str]:
    page = tab.page
    tab.log_in("projects", shot=True)
    assert tab.path == "/projects"
    # 低效用地: the office reads the register; 全员招商: every staff account reports leads
    assert tab.nav_labels() == ["项目调度", "低效用地", "招商"]
    rows = page.locator("#project-table tbody tr[data-code]")
    assert rows.count() >= 30
    expect(page.locator("#light-counts [data-count=red]")).not_to_have_text("0")
    tab.shot("library")
    units = _library(tab)
    assert len(units) >= 50, len(units)

    page.locator("#project-tabs").get_by_role("link", name="红黄灯预警").click()
    page.wait_for_load_state()
    assert tab.path == "/projects/warnings"
    checked = _checked_month(page)
    before, counts_before = _board(page), _counts(page)
    assert before and all(f.light in ("red", "yellow") for f in before.values())
    assert all(f.reasons for f in before.values()), "every light has its reason"
    missing = [f for f in before.values() if any(r.startswith(MISSING) for r in f.reasons)]
    assert missing, "the demo leaves some reports of the checked month missing"
    # Prefer a project whose only troubles are the report and the investment: entering them makes it green.
    progress_only = [f for f in missing if not any(MILESTONE_LATE.search(r) for r in f.reasons)]
    target = (progress_only or missing)[0]
    tab.shot("warnings")

    _enter_progress(tab, target, checked, png_file(folder / "现场照片.png"))

    page.locator("#project-tabs").get_by_role("link", name="红黄灯预警").click()
    page.wait_for_load_state()
    after, counts_after = _board(page), _counts(page)
    if target in progress_only:
        assert target.code not in after, after.get(target.code)
        assert counts_after[target.light] == counts_before[target.light] - 1
        assert counts_after["green"] == counts_before["green"] + 1
        tab.goto("/projects?light=green&size=200")
        expect(page.locator(f"#project-table tr[data-code='{target.code}']")).to_have_attribute("data-light", "green")
        tab.page.go_back()
    else:
        assert not any(r.startswith(MISSING) for r in after[target.code].reasons)
    tab.shot("warnings-after-progress")

    page.locator("#project-tabs").get_by_role("link", name="四个一批").click()
    page.wait_for_load_state()
    for key in LIST_SHEETS:
        summary = page.locator(f"#lists-summary tr[data-list={key}]")
        planned = int(re.sub(r"\D", "", summary.locator(".list-count").inner_text()))
        expect(page.locator(f"#list-{key} tbody tr[data-code]")).to_have_count(
            planned + int(summary.locator("td").nth(4).inner_text())
        )
    tab.shot("lists")

    _close_month(tab, folder)

    page.locator("#project-tabs").get_by_role("link", name="问题清单").click()
    page.wait_for_load_state()
    assert tab.path == "/projects/difficulties"
    boards = page.locator("#unit-table tbody tr[data-unit]")
    assert boards.count() >= 2
    assert page.locator("tr[data-difficulty]").count() >= boards.count()
    tab.shot("difficulties")
    tab.log_out()
    return units


def _unit(tab: Browse, office_units: dict[str, str]) -> None:
    """The responsible unit's account: its own projects, nothing to edit but its own difficulties."""
    page = tab.page
    tab.log_in("unit")
    assert tab.path == "/projects"
    # 低效用地: the unit works on its own cases; 全员招商: every staff account reports leads
    assert tab.nav_labels() == ["项目调度", "低效用地", "招商"]
    tabs = page.locator("#project-tabs .nav-link").all_inner_texts()
    assert "月度调度" not in tabs and "导入进展" not in tabs, tabs
    mine = _library(tab)
    assert mine and set(mine) < set(office_units), "a unit sees part of the zone's projects"
    own_unit = max(set(mine.values()), key=list(mine.values()).count)
    assert sum(u == own_unit for u in mine.values()) == sum(u == own_unit for u in office_units.values())
    tab.shot("unit-library")
    for code, unit in mine.items():
        if unit != own_unit:  # seen only because it owns a difficulty of it
            tab.goto(f"/projects/{code}")
            expect(page.locator(f"#difficulty-list li:has-text('{own_unit}')").first).to_be_visible()
    code = next(c for c, u in mine.items() if u == own_unit)
    tab.goto(f"/projects/{code}")
    for form in ("#progress-form", "#milestone-form", "#plan-form", "#difficulty-form"):
        expect(page.locator(form)).to_have_count(0)
    actions = page.locator(EDIT_FORMS).evaluate_all("forms => forms.map(f => f.getAttribute('action'))")
    assert all(re.fullmatch(r"/projects/difficulties/\d+", a) for a in actions), actions
    tab.shot("unit-project")
    other = next(c for c, u in office_units.items() if c not in mine)
    tab.goto(f"/projects/{other}", status=404)
    expect(page.locator(".error-card")).to_have_attribute("data-status", "404")
    tab.shot("unit-other-project-404")
    tab.goto("/projects/months", status=403)
    tab.goto("/projects/difficulties")
    # The difficulties of its projects, whoever owns them; it may answer only those it owns.
    cards = page.locator("div.card[id^='unit-']")
    assert cards.count() >= 1
    for i in range(cards.count()):
        card = cards.nth(i)
        owner = card.locator(".card-header").inner_text().strip()
        links = card.locator("tr[data-difficulty] td:first-child a").evaluate_all(
            "links => links.map(a => decodeURIComponent(a.pathname.split('/').pop()))"
        )
        assert set(links) <= set(mine), (owner, set(links) - set(mine))
        if owner != own_unit:
            expect(card.locator("form.difficulty-update")).to_have_count(0)
    tab.shot("unit-difficulties")
    tab.log_out()


def test_projects_cycle(browse, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    tab: Browse = browse("projects-")
    units = _office(tab, tmp_path)
    _unit(tab, units)
    tab.assert_clean()
