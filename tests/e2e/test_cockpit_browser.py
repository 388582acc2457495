"""领导驾驶舱 in Chromium: the leader lands on it, its cards match the run's figures as the API and the annual
report give them, and every chart draws (a canvas, no console error)."""

from __future__ import annotations

import io
import re

import pytest
from e2e_browser import Browse
from openpyxl import load_workbook
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def _total(tab: Browse, run_id: str, query: str) -> int:
    response = tab.page.request.get(tab.url(f"/api/runs/{run_id}/results?size=1&{query}"))
    assert response.ok, response.status
    return int(response.json()["total"])


def _report_totals(tab: Browse, run_id: str) -> dict[str, float]:
    """The annual report's 项目/数值 rows (its own computation of the zone's sums, from the reproduced run)."""
    response = tab.page.request.get(tab.url(f"/runs/{run_id}/report.xlsx"))
    assert response.ok, response.status
    book = load_workbook(io.BytesIO(response.body()), read_only=True, data_only=True)
    found: dict[str, float] = {}
    for sheet in book.worksheets:
        for row in sheet.iter_rows(values_only=True):
            cells = [c for c in row if c is not None]
            if len(cells) == 2 and isinstance(cells[0], str) and isinstance(cells[1], int | float):
                found.setdefault(cells[0], float(cells[1]))
    return found


def _card(tab: Browse, key: str) -> float:
    value = tab.page.locator(f"#kpi-cards a[data-kpi='{key}']").get_attribute("data-value")
    assert value, key
    return float(value)


def test_the_cockpit_cards_match_the_run_and_its_charts_draw(browse) -> None:  # type: ignore[no-untyped-def]
    tab: Browse = browse("cockpit-")
    page = tab.page
    tab.log_in("leader")
    assert tab.path == "/"
    expect(page.locator("h1")).to_contain_text("领导驾驶舱")
    href = page.locator("#run-info a").first.get_attribute("href") or ""
    run_id = re.fullmatch(r"/runs/(\d+)", href).group(1)  # type: ignore[union-attr]

    assert _card(tab, "class_a") == _total(tab, run_id, "class=A") > 0
    assert _card(tab, "class_d") == _total(tab, run_id, "class=D")
    assert _card(tab, "scored") == _total(tab, run_id, "status=evaluated") + _total(tab, run_id, "status=vetoed")

    report = _report_totals(tab, run_id)
    assert _card(tab, "land_mu") == pytest.approx(report["用地面积合计（亩）"], rel=1e-9)
    assert _card(tab, "tax") == pytest.approx(report["实缴税金合计（万元）"], rel=1e-9)
    per_mu = [v for k, v in report.items() if k.startswith("亩均税收")]
    assert per_mu and _card(tab, "tax_per_mu") == pytest.approx(per_mu[0], rel=1e-9)

    charts = tab.wait_for_charts()
    assert charts >= 4
    for block in ("chart-classes", "chart-trend", "chart-divisions", "chart-histogram"):
        expect(page.locator(f"[data-chart-data='{block}'] canvas")).to_have_count(1)
    tab.assert_clean()
    tab.shot("cockpit")

    with page.expect_navigation():
        page.locator("#kpi-cards a[data-kpi='class_a']").click()
    assert tab.path.startswith("/enterprises?") and "class=A" in tab.path
    tab.shot("cockpit-class-a")
