"""总览: classes per group, benchmarks, trend, 亩均税收 distribution, top and bottom lists for the chosen year."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from web_client import doc
from web_html import Element
from web_personas import World

from zonehero.core.evaluation.distribution import tax_per_mu_bins
from zonehero.features.documents import sources
from zonehero.features.roles import SYSTEM
from zonehero.features.runs import service as runs
from zonehero.reports.annual_figures import annual_figures


def _chart(page: Element, block_id: str) -> dict[str, object]:
    return json.loads(page.find("script", id=block_id).text)


class TestDashboard:
    def test_it_shows_the_latest_final_run_with_its_counts(
        self, login_as: Callable[[str], TestClient], world: World, db: Session
    ) -> None:
        page = doc(login_as("leader").get("/"))
        final = runs.get_run(db, SYSTEM, world.final_run)
        assert f"/runs/{world.final_run}" in {a.attrs.get("href") for a in page.find("p", id="run-info").find_all("a")}
        above = page.find("table", id="class-table").find("tr", data_group="above")
        for cls in "ABCD":
            expected = sum(c["count"] for c in final.counts if c["group"] == "above" and c["class"] == cls)
            cell = above.find("td", data_class=cls)
            assert cell.text.startswith(str(expected)) and "num" in cell.classes

    def test_its_charts_are_data_blocks_with_class_colours(
        self, login_as: Callable[[str], TestClient], world: World
    ) -> None:
        page = doc(login_as("analyst").get("/?year=2023"))
        classes = _chart(page, "chart-classes")
        colours = [s["itemStyle"]["color"] for s in classes["series"]]  # type: ignore[index]
        assert colours == ["#1a9850", "#66bd63", "#fdae61", "#d73027"]
        histogram = _chart(page, "chart-histogram")
        assert sum(histogram["series"][0]["data"]) > 0  # type: ignore[index]
        assert page.find("div", data_chart_data="chart-trend")
        assert not [s for s in page.find_all("script") if s.text and s.attrs.get("type") != "application/json"]

    def test_the_histogram_bins_as_the_annual_report_does(
        self, login_as: Callable[[str], TestClient], world: World, db: Session
    ) -> None:
        """One binning rule: the dashboard's 亩均税收 bars are the annual report's bars."""
        page = doc(login_as("analyst").get("/?year=2023"))
        histogram = _chart(page, "chart-histogram")
        reproduced = sources.reproduce(db, SYSTEM, world.final_run)
        figures = annual_figures(reproduced.result)
        report_bins = tax_per_mu_bins(figures.tax_per_mu)
        assert histogram["xAxis"]["data"] == [b.label for b in report_bins]  # type: ignore[index]
        assert histogram["series"][0]["data"] == [b.count for b in report_bins]  # type: ignore[index]
        assert histogram["xAxis"]["name"] == figures.tax_per_mu_name.unit  # type: ignore[index]
        assert histogram["series"][0]["name"] == figures.tax_per_mu_name.label  # type: ignore[index]

    def test_the_top_list_is_ordered_by_score(self, login_as: Callable[[str], TestClient], world: World) -> None:
        page = doc(login_as("analyst").get("/?year=2023"))
        rows = [tr for tr in page.find("table", id="top-list").find_all("tr") if "data-uscc" in tr.attrs]
        scores = [float(tr.find_all("td")[2].text.replace("分", "").replace(",", "")) for tr in rows]
        assert scores and scores == sorted(scores, reverse=True)
        bottom = [tr for tr in page.find("table", id="bottom-list").find_all("tr") if "data-uscc" in tr.attrs]
        low = [float(tr.find_all("td")[2].text.replace("分", "").replace(",", "")) for tr in bottom]
        assert low == sorted(low) and low[0] <= scores[-1]

    def test_the_year_selector_offers_every_year_with_runs(self, login_as: Callable[[str], TestClient]) -> None:
        page = doc(login_as("leader").get("/?year=2024"))
        options = page.find("select", id="f-year").find_all("option")
        assert [o.attrs["value"] for o in options] == ["2024", "2023"]
        assert "selected" in page.find("option", value="2024").attrs
        assert "2024 年度" in page.find("h1").text

    def test_an_enterprise_account_is_sent_to_its_own_page(
        self, login_as: Callable[[str], TestClient], world: World
    ) -> None:
        response = login_as("enterprise_a").get("/")
        assert response.status_code == 303
        assert response.headers["location"] == f"/enterprises/{world.uscc_a}"

    @pytest.mark.parametrize("persona", ["projects", "unit"])
    def test_the_project_roles_are_sent_to_projects_and_see_no_enterprise_figures(
        self, login_as: Callable[[str], TestClient], world: World, persona: str
    ) -> None:
        client = login_as(persona)
        for path in ("/", "/?year=2023", f"/?run_id={world.final_run}"):
            response = client.get(path)
            assert response.status_code == 303 and response.headers["location"] == "/projects", path
        for path in (
            "/api/runs",
            f"/api/runs/{world.final_run}",
            f"/api/runs/{world.final_run}/results",
            "/api/enterprises?year=2023",
            f"/api/enterprises/{world.uscc_a}",
        ):
            response = client.get(path)
            assert response.status_code == 403, path
            assert response.json()["error"]["status"] == 403 and "benchmarks" not in response.text, path
