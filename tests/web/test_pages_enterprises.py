"""企业: the filtered list and its export; an enterprise's page with sources, 四个论, explanation and privacy."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable

from fastapi.testclient import TestClient
from python_calamine import CalamineWorkbook
from sqlalchemy.orm import Session
from web_client import doc
from web_html import Element
from web_personas import World

from zonehero.core.domain import numbers
from zonehero.core.domain.industry_divisions import DIVISION_NAMES
from zonehero.features.roles import SYSTEM
from zonehero.features.runs import service as runs


def _rows(page: Element) -> list[Element]:
    return [tr for tr in page.find("table", id="enterprise-table").find_all("tr") if "data-uscc" in tr.attrs]


class TestEnterpriseList:
    def test_it_filters_by_class_on_the_server(
        self, login_as: Callable[[str], TestClient], world: World, db: Session
    ) -> None:
        page = doc(login_as("leader").get("/enterprises?year=2023&class=B"))
        rows = _rows(page)
        expected = runs.list_results(db, SYSTEM, world.final_run, class_="B", limit=1).total
        assert len(rows) == expected > 0
        assert all(tr.find("span", cls="class-B") for tr in rows)

    def test_it_finds_an_enterprise_by_uscc(self, login_as: Callable[[str], TestClient], world: World) -> None:
        rows = _rows(doc(login_as("analyst").get(f"/enterprises?year=2023&q={world.uscc_b[:12]}")))
        assert world.uscc_b in [tr.attrs["data-uscc"] for tr in rows]

    def test_it_pages_and_sorts_by_score(self, login_as: Callable[[str], TestClient]) -> None:
        page = doc(login_as("analyst").get("/enterprises?year=2023&status=evaluated&order=score&size=5&page=2"))
        rows = _rows(page)
        assert len(rows) == 5
        scores = [float(tr.find_all("td")[5].text.replace("分", "").replace(",", "")) for tr in rows]
        assert scores == sorted(scores, reverse=True)
        links = {a.text: a.attrs["href"] for a in page.find("nav", aria_label="分页").find_all("a")}
        assert "order=score" in links["上一页"] and "status=evaluated" in links["上一页"]
        assert all(td.classes >= {"num"} for tr in rows for td in tr.find_all("td")[5:7])

    def test_next_page_links_seek_with_a_cursor_and_walk_the_whole_list(
        self, login_as: Callable[[str], TestClient], world: World, db: Session
    ) -> None:
        client = login_as("leader")
        url: str | None = "/enterprises?year=2023&order=name&size=7"
        seen: list[str] = []
        while url is not None:
            page = doc(client.get(url))
            seen += [tr.attrs["data-uscc"] for tr in _rows(page)]
            items = page.find("nav", aria_label="分页").find_all("li")
            last = items[-1]  # 下一页, disabled on the last page
            url = None if "disabled" in last.classes else last.find("a", rel="next").attrs["href"]
            if url is not None:
                assert "after=" in url, "下一页 seeks from the cursor"
                url = "/enterprises" + url
        expected = runs.list_results(db, SYSTEM, world.final_run, order="name", limit=None).items
        assert seen == [r.uscc for r in expected] and len(seen) > 14

    def test_a_forged_cursor_is_refused_not_a_500(self, login_as: Callable[[str], TestClient]) -> None:
        assert login_as("leader").get("/enterprises?year=2023&order=name&after=bm90LWEta2V5").status_code == 422
        assert login_as("leader").get("/enterprises?year=2023&after=%25%25").status_code == 422

    def test_the_export_holds_the_whole_filtered_list(
        self, login_as: Callable[[str], TestClient], world: World, db: Session
    ) -> None:
        response = login_as("leader").get("/enterprises/export?format=csv&year=2023&group=above")
        assert response.status_code == 200
        assert "attachment" in response.headers["content-disposition"]
        table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert table[0][:4] == ["统一社会信用代码", "企业名称", "行业代码", "所属行业"]
        assert all(row[3] == DIVISION_NAMES[numbers.division_of(row[2]) or ""] for row in table[1:] if row[2])
        expected = runs.list_results(db, SYSTEM, world.final_run, group="above", limit=1).total
        assert len(table) - 1 == expected
        assert {row[4] for row in table[1:]} == {"规上"}

    def test_the_xlsx_export_opens(self, login_as: Callable[[str], TestClient]) -> None:
        response = login_as("analyst").get("/enterprises/export?format=xlsx&year=2023&class=A")
        rows = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()
        assert rows[0][0] == "统一社会信用代码"
        column = rows[0].index("分类")
        assert len(rows) > 1 and {row[column] for row in rows[1:]} == {"A"}


class TestEnterprisePage:
    def test_it_explains_the_result_with_indicators_and_four_dimensions(
        self, login_as: Callable[[str], TestClient], world: World, db: Session
    ) -> None:
        evaluated = runs.list_results(db, SYSTEM, world.final_run, status="evaluated", group="above", limit=1).items[0]
        page = doc(login_as("leader").get(f"/enterprises/{evaluated.uscc}?run_id={world.final_run}"))
        assert page.find("div", id="result-card").attrs["data-class"] == evaluated.class_
        explanation = page.find("ul", id="explanation").text
        assert "综合得分" in explanation and "排名第" in explanation and f"{evaluated.class_} 类" in explanation
        indicators = [
            tr.attrs["data-indicator"]
            for tr in page.find("table", id="indicator-table").find_all("tr")
            if "data-indicator" in tr.attrs
        ]
        assert indicators == list(evaluated.record["indicators"])[: len(indicators)] and "tax_per_mu" in indicators
        radar = json.loads(page.find("script", id="chart-radar").text)
        names = [i["name"] for i in radar["radar"]["indicator"]]
        assert names == ["亩均论", "低碳论", "科技论", "人均论"]
        total = sum(radar["series"][0]["data"][0]["value"])
        bonus = evaluated.record.get("bonus") or 0.0
        assert abs(total + bonus - (evaluated.total_score or 0.0)) < 0.05

    def test_land_area_shows_its_source_beside_it(self, login_as: Callable[[str], TestClient], world: World) -> None:
        page = doc(login_as("enterprise_a").get(f"/enterprises/{world.uscc_a}"))
        land = page.find("table", data_year="2023").find("tr", data_field="land_area_mu")
        assert "disputed" in land.classes
        source = land.find("td", cls="figure-source").text
        assert "自然资源局" in source and "第" in source and "行" in source
        assert "亩" in land.find("td", cls="num").text

    def test_a_year_figure_is_a_plain_year(self, login_as: Callable[[str], TestClient], world: World) -> None:
        page = doc(login_as("enterprise_a").get(f"/enterprises/{world.uscc_a}"))
        started = page.find("table", data_year="2023").find("tr", data_field="production_start_year")
        assert re.fullmatch(r"(19|20)\d\d 年", started.find("td", cls="num").text.strip())  # 2012, not 2,012

    def test_an_enterprise_sees_only_published_results(
        self, login_as: Callable[[str], TestClient], world: World
    ) -> None:
        client = login_as("enterprise_a")
        page = doc(client.get(f"/enterprises/{world.uscc_a}"))
        history = [
            tr.attrs["data-run"]
            for tr in page.find("table", id="history-table").find_all("tr")
            if "data-run" in tr.attrs
        ]
        assert history == [str(world.final_run)]
        assert client.get(f"/enterprises/{world.uscc_a}?run_id={world.draft_run}").status_code == 404

    def test_it_hides_other_enterprises(self, login_as: Callable[[str], TestClient], world: World) -> None:
        client = login_as("enterprise_a")
        for path in (
            f"/enterprises/{world.uscc_b}",
            f"/enterprises/{world.uscc_b}?run_id={world.final_run}",
            "/enterprises/export?format=csv",
            f"/runs/{world.final_run}",
            f"/runs/{world.final_run}/export.xlsx",
        ):
            response = client.get(path)
            assert response.status_code == 404, path
            assert world.uscc_b not in response.text

    def test_staff_see_the_draft_history_too(self, login_as: Callable[[str], TestClient], world: World) -> None:
        page = doc(login_as("analyst").get(f"/enterprises/{world.uscc_a}"))
        history = [
            tr.attrs["data-run"]
            for tr in page.find("table", id="history-table").find_all("tr")
            if "data-run" in tr.attrs
        ]
        assert history == [str(world.draft_run), str(world.final_run)]
        assert not page.find_all("form", id="objection-form")


class TestReadableNumbers:
    """Issue 13 part 8: the enterprise page prints 亩 with two decimals, a rank over its group, named industries."""

    def test_the_enterprise_page_reads_like_a_report(
        self, login_as: Callable[[str], TestClient], world: World, db: Session
    ) -> None:
        evaluated = runs.list_results(db, SYSTEM, world.final_run, status="evaluated", group="above", limit=1).items[0]
        page = doc(login_as("leader").get(f"/enterprises/{evaluated.uscc}?run_id={world.final_run}"))

        group_size = runs.evaluated_in_group(db, SYSTEM, world.final_run, "above")
        assert page.find("dd", id="result-rank").text == f"{evaluated.rank} / {group_size}"
        assert re.fullmatch(r"\d+ / \d+", page.find("dd", id="result-rank").text)

        assert evaluated.industry_code
        name = DIVISION_NAMES[numbers.division_of(evaluated.industry_code) or ""]
        assert page.find("span", id="enterprise-industry").text == f"{evaluated.industry_code} {name}"

        land = page.find_all("tr", data_field="land_area_mu")[0].find("td", cls="num").text
        assert re.fullmatch(r"\d{1,3}(,\d{3})*\.\d\d 亩", land), land

        for row in page.find("table", id="indicator-table").find_all("tr"):
            for cell in row.find_all("td", cls="num"):
                assert not re.search(r"\.\d{3}", cell.text), cell.text  # two decimals at most, never four
        grade = page.find("dd", id="result-carbon-grade").text
        if evaluated.carbon_grade is not None:
            assert grade.startswith(f"{evaluated.carbon_grade} 级（") and "1 级最优" in grade
        else:
            assert grade == "—"

    def test_the_run_page_and_the_list_show_ranks_over_the_group(
        self, login_as: Callable[[str], TestClient], world: World, db: Session
    ) -> None:
        client = login_as("analyst")
        sizes = runs.evaluated_per_group(db, SYSTEM, world.final_run)
        assert sizes["above"] == runs.evaluated_in_group(db, SYSTEM, world.final_run, "above") > 0
        ranked = runs.list_results(db, SYSTEM, world.final_run, status="evaluated", limit=3).items
        run_page = doc(client.get(f"/runs/{world.final_run}?status=evaluated"))
        listing = doc(client.get("/enterprises?year=2023&status=evaluated"))
        for r in ranked:
            expected = f"{r.rank} / {sizes[r.group or '']}"
            assert expected in run_page.find("table", id="result-table").find("tr", data_uscc=r.uscc).text
            row = listing.find("table", id="enterprise-table").find("tr", data_uscc=r.uscc)
            assert expected in row.text and (DIVISION_NAMES[numbers.division_of(r.industry_code) or ""] in row.text)
