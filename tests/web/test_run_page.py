"""The run page, summary first: classes per group with a chart, benchmarks with units, the results, movers folded."""

from __future__ import annotations

import json
from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from web_client import doc
from web_html import Element
from web_personas import World

from zonehero.core.domain import numbers
from zonehero.features.roles import SYSTEM
from zonehero.features.runs import service as runs


def _position(markup: str, marker: str) -> int:
    at = markup.find(marker)
    assert at >= 0, f"{marker} not on the page"
    return at


def _rows(page: Element) -> list[Element]:
    return [tr for tr in page.find("table", id="result-table").find_all("tr") if "data-uscc" in tr.attrs]


class TestSummaryFirst:
    def test_summary_then_results_then_the_folded_movers(
        self, login_as: Callable[[str], TestClient], world: World
    ) -> None:
        markup = login_as("analyst").get(f"/runs/{world.draft_run}").text
        summary = _position(markup, 'id="run-summary"')
        results = _position(markup, 'id="result-table"')
        movers = _position(markup, 'id="comparison"')
        assert summary < results < movers
        comparison = doc_of(markup).find("details", id="comparison")
        assert "open" not in comparison.attrs  # 80+ rows of movers stay folded until asked for
        assert comparison.find("table", id="move-table")
        assert "升类" in comparison.find("summary").text

    def test_class_counts_per_group_match_the_run_and_feed_the_chart(
        self, login_as: Callable[[str], TestClient], world: World, db: Session
    ) -> None:
        run = runs.get_run(db, SYSTEM, world.final_run)
        page = doc(login_as("leader").get(f"/runs/{world.final_run}"))
        expected: dict[tuple[str, str], int] = {}
        for entry in run.counts:
            key = (entry["group"], entry["class"])
            expected[key] = expected.get(key, 0) + int(entry["count"])
        table = page.find("table", id="class-table")
        for group in ("above", "below"):
            row = table.find("tr", data_group=group)
            shown = {
                td.attrs["data-class"]: int(td.text.removesuffix("家").replace(",", ""))
                for td in row.find_all("td")
                if "data-class" in td.attrs
            }
            assert shown == {c: expected.get((group, c), 0) for c in "ABCD"}
        assert sum(expected.values()) > 0
        chart = page.find("div", id="run-class-chart")
        assert chart.attrs["data-chart-data"] == "chart-run-classes"
        option = json.loads(page.find("script", id="chart-run-classes").text)
        # A point is its value, or {"value": …, "label": …} when its label is hidden on a short bar.
        stacked = {s["name"]: [d["value"] if isinstance(d, dict) else d for d in s["data"]] for s in option["series"]}
        assert stacked["A 类"] == [expected.get(("above", "A"), 0), expected.get(("below", "A"), 0)]
        assert "echarts.min.js" in "".join(s.attrs.get("src", "") for s in page.find_all("script"))

    def test_each_zone_benchmark_is_printed_by_its_units_rule(
        self, login_as: Callable[[str], TestClient], world: World, db: Session
    ) -> None:
        run = runs.get_run(db, SYSTEM, world.final_run)
        page = doc(login_as("leader").get(f"/runs/{world.final_run}"))
        table = page.find("table", id="benchmark-table")
        zone_rows = [b for b in run.benchmarks if not b.get("industry_division")]
        assert zone_rows
        for b in zone_rows:
            row = table.find("tr", data_group=b["group"], data_indicator=b["indicator"])
            unit = row.find("td", cls="benchmark-unit").text
            assert unit and unit != b["indicator"]
            assert row.find("td", cls="benchmark-value").text == numbers.quantity(b["benchmark"], unit)
            assert len(row.find("td", cls="benchmark-value").text.rpartition(".")[2]) <= 2


class TestResultsTable:
    def test_a_column_header_sorts_on_the_server_and_keeps_the_filters(
        self, login_as: Callable[[str], TestClient], world: World
    ) -> None:
        client = login_as("leader")
        page = doc(client.get(f"/runs/{world.final_run}?group=above&q=&size=5"))
        header = page.find("th", data_order="score")
        assert header.attrs["aria-sort"] == "none"
        href = header.find("a").attrs["href"]
        assert "order=score" in href and "group=above" in href
        sorted_page = doc(client.get(f"/runs/{world.final_run}{href.split('#')[0]}&size=5"))
        assert sorted_page.find("th", data_order="score").attrs["aria-sort"] == "descending"
        scores = [float(tr.find_all("td")[4].text.removesuffix("分").replace(",", "")) for tr in _rows(sorted_page)]
        assert scores == sorted(scores, reverse=True) and len(scores) == 5
        assert all(tr.find_all("td")[2].text == "规上" for tr in _rows(sorted_page))

    def test_search_and_the_next_page_seek_by_cursor(
        self, login_as: Callable[[str], TestClient], world: World, db: Session
    ) -> None:
        client = login_as("leader")
        first = runs.list_results(db, SYSTEM, world.final_run, order="name", limit=1).items[0]
        found = _rows(doc(client.get(f"/runs/{world.final_run}?q={first.uscc}")))
        assert [tr.attrs["data-uscc"] for tr in found] == [first.uscc]
        page = doc(client.get(f"/runs/{world.final_run}?order=name&size=4"))
        following = page.find("a", rel="next").attrs["href"]
        assert "after=" in following  # keyset: the next page does not skip rows with OFFSET
        second = _rows(doc(client.get(f"/runs/{world.final_run}{following}")))
        expected = runs.list_results(db, SYSTEM, world.final_run, order="name", limit=4, offset=4).items
        assert [tr.attrs["data-uscc"] for tr in second] == [r.uscc for r in expected]

    def test_a_class_count_links_to_its_enterprises(self, login_as: Callable[[str], TestClient], world: World) -> None:
        client = login_as("leader")
        page = doc(client.get(f"/runs/{world.final_run}"))
        cell = page.find("table", id="class-table").find("tr", data_group="above").find("td", data_class="B")
        href = cell.find("a").attrs["href"].split("#")[0].replace("&amp;", "&")
        rows = _rows(doc(client.get(f"/runs/{world.final_run}{href}&size=200")))
        assert len(rows) == int(cell.text.removesuffix("家").replace(",", ""))


def doc_of(markup: str) -> Element:
    from web_html import parse

    return parse(markup)
