"""领导驾驶舱: the cards equal the run's figures counted again from what the run stored, the year-on-year change,
the links behind each card, and a view that reads no result row."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete
from sqlalchemy.orm import Session
from web_client import doc
from web_html import Element
from web_personas import World

from zonehero.clock import today
from zonehero.core.domain import numbers
from zonehero.features.cockpit.service import same_day_last_year
from zonehero.features.goals import service as goals
from zonehero.features.roles import SYSTEM
from zonehero.features.runs import aggregates, repository
from zonehero.features.runs import service as runs
from zonehero.features.runs.models import RunAggregate


def _independent(db: Session, run_id: int) -> dict[str, float | None]:
    """The cards' figures from the run's stored result rows and its kept inputs, by plain Python sums."""
    rows = runs.list_results(db, SYSTEM, run_id, limit=None, order="uscc").items
    frame, _history = runs.inputs_of(db, SYSTEM, run_id)
    inputs = {r["uscc"]: r for r in frame.to_dicts()}
    scored = [r for r in rows if r.status in ("evaluated", "vetoed")]

    def total(key: str) -> float:
        return math.fsum(float(inputs[r.uscc].get(key) or 0.0) for r in scored)

    land = total("land_area_mu")
    return {
        "scored": len(scored),
        "class_a": sum(1 for r in rows if r.class_ == "A"),
        "class_d": sum(1 for r in rows if r.class_ == "D"),
        "land_mu": land,
        "tax": total("tax"),
        "tax_per_mu": total("tax") / land if land > 0 else None,
        "value_added_per_mu": total("value_added") / land if land > 0 else None,
    }


def _cards(page: Element) -> dict[str, Element]:
    return {a.attrs["data-kpi"]: a for a in page.find("div", id="kpi-cards").find_all("a")}


def _value(card: Element, name: str = "data-value") -> float | None:
    text = card.attrs.get(name, "")
    return float(text) if text else None


class TestCards:
    def test_the_cards_equal_the_run_figures_counted_from_its_stored_results(
        self, login_as: Callable[[str], TestClient], world: World, db: Session
    ) -> None:
        page = doc(login_as("leader").get(f"/?run_id={world.final_run}"))
        cards = _cards(page)
        expected = _independent(db, world.final_run)
        assert set(expected) <= set(cards)
        for key, value in expected.items():
            assert _value(cards[key]) == pytest.approx(value, rel=1e-9), key
        assert expected["scored"] > 0 and expected["land_mu"] > 0

    def test_each_card_prints_its_figure_by_the_numbers_rule(
        self, login_as: Callable[[str], TestClient], world: World, db: Session
    ) -> None:
        cards = _cards(doc(login_as("leader").get(f"/?run_id={world.final_run}")))
        expected = _independent(db, world.final_run)

        def shown(key: str) -> str:
            return cards[key].find("div", cls="kpi-value").text

        assert shown("scored") == f"{numbers.count(expected['scored'])} 家"
        assert shown("tax") == numbers.money_total(expected["tax"])
        assert shown("land_mu") == f"{numbers.area_mu(expected['land_mu'])} 亩"
        assert shown("tax_per_mu") == f"{numbers.quantity(expected['tax_per_mu'], '万元/亩')} 万元/亩"

    def test_year_on_year_compares_with_last_years_final_run(
        self, login_as: Callable[[str], TestClient], world: World, db: Session
    ) -> None:
        page = doc(login_as("analyst").get("/?year=2024"))
        assert f"/runs/{world.final_run}" in {a.attrs.get("href") for a in page.find("p", id="run-info").find_all("a")}
        now, before = _independent(db, world.draft_run), _independent(db, world.final_run)
        cards = _cards(page)
        for key in now:
            assert _value(cards[key], "data-previous") == pytest.approx(before[key], rel=1e-9), key
            change = cards[key].find("div", cls="kpi-change")
            assert _value(change, "data-change") == pytest.approx(now[key] - before[key], rel=1e-9, abs=1e-9), key  # type: ignore[operator]
            assert "较 2023 年" in change.text
        delta = int(now["scored"] - before["scored"])  # type: ignore[operator]
        assert numbers.signed(delta, 0) in cards["scored"].find("div", cls="kpi-change").text

    def test_without_a_final_run_of_last_year_there_is_no_change_and_it_says_why(
        self, login_as: Callable[[str], TestClient], world: World
    ) -> None:
        page = doc(login_as("leader").get("/?year=2023"))
        for card in _cards(page).values():
            assert card.attrs["data-previous"] == ""
            assert "2022 年无可比数据" in card.find("div", cls="kpi-change").text
        assert any("2022 年度没有定稿" in n.text for n in page.find_all("div", cls="cockpit-note"))

    def test_each_card_links_to_the_page_behind_it_and_the_page_answers(
        self, login_as: Callable[[str], TestClient], world: World
    ) -> None:
        client = login_as("leader")
        page = doc(client.get("/?year=2024"))
        cards = _cards(page)
        assert cards["class_a"].attrs["href"] == "/enterprises?year=2024&class=A"
        assert cards["class_d"].attrs["href"] == "/enterprises?year=2024&class=D"
        assert cards["scored"].attrs["href"] == "/enterprises?year=2024"
        assert cards["tax_per_mu"].attrs["href"] == f"/runs/{world.draft_run}"
        plan = {a.attrs["data-kpi"]: a.attrs["href"] for a in page.find("div", id="plan-cards").find_all("a")}
        assert set(plan) == {"list_signing", "list_construction", "list_production", "list_planning", "targets"}
        assert all(h.startswith("/projects/lists?year=") for k, h in plan.items() if k.startswith("list_"))
        assert plan["targets"].startswith("/targets?year=")
        for href in [*(a.attrs["href"] for a in cards.values()), *plan.values()]:
            assert client.get(href).status_code == 200, href

    def test_the_a_card_counts_what_its_link_lists(
        self, login_as: Callable[[str], TestClient], world: World, db: Session
    ) -> None:
        cards = _cards(doc(login_as("leader").get("/?year=2023")))
        listed = runs.list_results(db, SYSTEM, world.final_run, class_="A", limit=None)
        assert _value(cards["class_a"]) == listed.total > 0

    def test_the_four_list_rates_are_the_schedule_api_rates(
        self, login_as: Callable[[str], TestClient], world: World
    ) -> None:
        client = login_as("leader")
        page = doc(client.get("/?year=2023"))
        plan = {a.attrs["data-kpi"]: a for a in page.find("div", id="plan-cards").find_all("a")}
        day = today()
        data = client.get(f"/api/schedule/{day.year}?as_of={day.isoformat()}").json()
        for key in ("signing", "construction", "production"):
            rate = data[key]["rate"]
            assert _value(plan[f"list_{key}"]) == (pytest.approx(rate) if rate is not None else None), key
        assert _value(plan["list_planning"]) == data["planning"]["list_count"]

    def test_the_list_cards_compare_with_last_year_on_the_same_day(
        self, login_as: Callable[[str], TestClient], world: World
    ) -> None:
        client = login_as("leader")
        page = doc(client.get("/?year=2023"))
        plan = {a.attrs["data-kpi"]: a for a in page.find("div", id="plan-cards").find_all("a")}
        day = same_day_last_year(today())
        data = client.get(f"/api/schedule/{day.year}?as_of={day.isoformat()}").json()
        assert any(data[key]["rate"] is not None for key in ("signing", "construction", "production"))
        for key in ("signing", "construction", "production"):
            rate = data[key]["rate"]
            previous = _value(plan[f"list_{key}"], "data-previous")
            assert previous == (pytest.approx(rate) if rate is not None else None), key
        assert _value(plan["list_planning"], "data-previous") == data["planning"]["list_count"]
        for key in ("signing", "construction", "production"):
            (change,) = plan[f"list_{key}"].find_all("div", cls="kpi-change")
            if change.attrs.get("data-change"):
                assert "个百分点" in change.text, key  # a rate changes by points, not by a ratio of itself

    def test_the_targets_card_follows_the_newest_year_with_goals(
        self, login_as: Callable[[str], TestClient], world: World, db: Session
    ) -> None:
        page = doc(login_as("leader").get("/?year=2023"))
        years = [y for y in goals.goal_years(db, SYSTEM) if y <= today().year]
        assert years, "the test world sets goals"
        year = today().year if today().year in years else max(years)
        targets = goals.year_targets(db, SYSTEM, year)
        judged = [i for i in targets.items if i.status != "no_data"]
        card = page.find("div", id="plan-cards").find("a", data_kpi="targets")
        assert card.attrs["href"] == f"/targets?year={year}"
        expected = sum(i.status == "on_track" for i in judged) / len(judged) if judged else None
        assert _value(card) == (pytest.approx(expected) if expected is not None else None)
        table = page.find("table", id="targets-table")
        keys = [tr.attrs["data-goal"] for tr in table.iter() if "data-goal" in tr.attrs]
        assert keys == [i.goal.key for i in targets.items]


class TestCharts:
    def _chart(self, page: Element, block_id: str) -> dict[str, Any]:
        return json.loads(page.find("script", id=block_id).text)

    def test_small_class_segments_carry_no_overlapping_label(
        self, login_as: Callable[[str], TestClient], world: World
    ) -> None:
        option = self._chart(doc(login_as("leader").get("/?year=2023")), "chart-classes")
        longest = max(sum(s["data"][i]["value"] for s in option["series"]) for i in range(2))
        for series in option["series"]:
            for item in series["data"]:
                assert item["label"]["show"] == (item["value"] >= aggregates_share() * longest)

    def test_the_trend_puts_each_unit_on_its_own_named_axis(
        self, login_as: Callable[[str], TestClient], world: World, db: Session
    ) -> None:
        option = self._chart(doc(login_as("leader").get("/?year=2024")), "chart-trend")
        assert [a["name"] for a in option["yAxis"]] == ["万元/亩", "企业数（家）"]
        assert option["xAxis"]["data"] == ["2023年"]  # the years of final runs only
        tax = next(s for s in option["series"] if s["name"] == "亩均税收")
        assert tax.get("yAxisIndex", 0) == 0
        assert tax["data"][0] == pytest.approx(_independent(db, world.final_run)["tax_per_mu"], abs=0.005)
        counts = [s for s in option["series"] if s.get("yAxisIndex") == 1]
        assert {s["name"] for s in counts} == {"A 类企业", "D 类企业"}

    def test_industries_are_named_and_the_histogram_keeps_its_unit_in_view(
        self, login_as: Callable[[str], TestClient], world: World
    ) -> None:
        page = doc(login_as("leader").get("/?year=2023"))
        divisions = self._chart(page, "chart-divisions")
        labels = divisions["yAxis"]["data"]
        assert labels and all(numbers.industry_name("C" + label[:2]) in label for label in labels)
        assert divisions["xAxis"]["name"] == "万元/亩"
        histogram = self._chart(page, "chart-histogram")
        assert "rotate" not in histogram["xAxis"]["axisLabel"]
        assert histogram["xAxis"]["nameGap"] < histogram["grid"]["bottom"]
        assert len(histogram["xAxis"]["data"]) <= 9

    def test_the_chain_card_says_enterprises_carry_no_chain(
        self, login_as: Callable[[str], TestClient], world: World
    ) -> None:
        page = doc(login_as("leader").get("/?year=2023"))
        assert "尚未标注所属产业链" in page.find("p", id="chain-note").text
        rows = page.find("table", id="chain-table").find_all("tr", cls=None)
        assert rows


def aggregates_share() -> float:
    from zonehero.edges.web.charts import LABEL_MIN_SHARE

    return LABEL_MIN_SHARE


class TestCost:
    def test_a_view_reads_no_result_row_and_no_input(
        self, login_as: Callable[[str], TestClient], world: World, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Issue 11: the cockpit reads what each run kept, whatever the zone's size."""
        client = login_as("leader")
        assert client.get("/?year=2024").status_code == 200  # anything not yet kept is kept now

        def refuse(*_args: object, **_kwargs: object) -> None:
            raise AssertionError("the cockpit read every result row or the run's inputs")

        monkeypatch.setattr(repository, "records", refuse)
        monkeypatch.setattr(repository, "results_page", refuse)
        monkeypatch.setattr(runs, "inputs_of", refuse)
        assert client.get("/?year=2024").status_code == 200

    def test_a_run_kept_before_the_zone_figures_gets_them_once_and_equal(self, world: World, db: Session) -> None:
        kept = runs.zone_figures(db, SYSTEM, world.final_run)
        db.execute(
            delete(RunAggregate).where(
                RunAggregate.run_id == world.final_run, RunAggregate.name == aggregates.ZONE_FIGURES
            )
        )
        again = runs.zone_figures(db, SYSTEM, world.final_run)
        assert again == kept
        assert repository.aggregate(db, world.final_run, aggregates.ZONE_FIGURES) == kept
