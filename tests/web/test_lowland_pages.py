"""低效用地 on the web: the register (/lowland), a case and its measures, the plans (/lowland/plans), the JSON API,
each role seeing what it may. The web world is the demo zone, whose 2023 final run has a register and plans."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient
from web_client import doc
from web_personas import World


def _register(client: TestClient, query: str = "year=2023") -> dict[str, Any]:
    response = client.get(f"/api/lowland?{query}")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


class TestRegister:
    def test_the_analyst_sees_counts_potential_and_cases_by_potential(
        self, login_as: Callable[[str], TestClient]
    ) -> None:
        analyst = login_as("analyst")
        body = _register(analyst)
        assert body["cases"] > 0 and body["total_potential"] == sum(
            c["potential"] for c in _register(analyst, "year=2023&size=200")["items"]
        )
        page = doc(analyst.get("/lowland?year=2023"))
        rows = page.find("table", id="case-table").find_all("tr", cls=None)
        cases = [r for r in rows if "data-case" in r.attrs]
        assert len(cases) == min(body["cases"], 50)
        assert page.find(id="case-count").text == str(body["cases"])
        assert page.find(id="lowland-build")  # the analyst may build
        # Overdue cases first (the demo's measures), then the rest by potential.
        items = body["items"]
        overdue = [c for c in items if c["days_overdue"]]
        assert items[: len(overdue)] == overdue
        rest = [c["potential"] for c in items[len(overdue) :]]
        assert rest == sorted(rest, reverse=True)

    def test_filter_by_reason_and_status(self, login_as: Callable[[str], TestClient]) -> None:
        analyst = login_as("analyst")
        d_only = _register(analyst, "year=2023&reason=d_class")
        assert d_only["total"] == d_only["by_reason"]["d_class"]
        assert all("d_class" in c["reasons"] for c in d_only["items"])
        done = _register(analyst, "year=2023&status=done")
        assert all(c["status"] == "done" for c in done["items"]) and done["total"] == done["by_status"]["done"]

    def test_the_leader_reads_without_forms(self, login_as: Callable[[str], TestClient]) -> None:
        leader = login_as("leader")
        page = doc(leader.get("/lowland?year=2023"))
        assert not page.find_all(id="lowland-build")
        case_id = _register(leader)["items"][0]["id"]
        case = doc(leader.get(f"/lowland/cases/{case_id}"))
        assert not case.find_all(id="measure-add") and not case.find_all("form", cls="measure-update")

    def test_an_enterprise_gets_no_register(self, login_as: Callable[[str], TestClient]) -> None:
        enterprise = login_as("enterprise_a")
        assert enterprise.get("/lowland").status_code == 404
        assert enterprise.get("/api/lowland").status_code == 404


class TestMeasures:
    def test_the_analyst_adds_a_measure_and_the_unit_updates_it(
        self, login_as: Callable[[str], TestClient], world: World
    ) -> None:
        analyst, unit = login_as("analyst"), login_as("unit")
        own_case = _register(unit)["items"][0]["id"]
        measures = unit.get(f"/api/lowland/cases/{own_case}").json()["measures"]
        unit_name = next(m["owner_unit"] for m in measures if m["can_update"])
        case_id = _register(analyst, "year=2023&status=open")["items"][-1]["id"]
        response = analyst.post(
            f"/lowland/cases/{case_id}/measures",
            data={
                "kind": "redevelop",
                "description": "标准厂房二次开发",
                "owner_unit": unit_name,
                "deadline": "2030-06-30",
            },
        )
        assert response.status_code == 303 and response.headers["location"] == f"/lowland/cases/{case_id}"
        page = doc(analyst.get(f"/lowland/cases/{case_id}"))
        [row] = [r for r in page.find("table", id="measure-table").find_all("tr") if "标准厂房二次开发" in r.text]
        measure_id = row.attrs["data-measure"]
        assert "二次开发" in row.text and unit_name in row.text
        # The unit sees the case on its register and moves the measure on.
        assert case_id in [c["id"] for c in _register(unit, "year=2023&size=200")["items"]]
        response = unit.post(f"/lowland/measures/{measure_id}", data={"status": "in_progress", "resolution": "已立项"})
        assert response.status_code == 303
        again = doc(unit.get(f"/lowland/cases/{case_id}"))
        [row] = [r for r in again.find_all("tr") if r.attrs.get("data-measure") == measure_id]
        assert "办理中" in row.find(cls="measure-status").text

    def test_a_bad_measure_is_refused(self, login_as: Callable[[str], TestClient]) -> None:
        analyst = login_as("analyst")
        case_id = _register(analyst)["items"][0]["id"]
        response = analyst.post(
            f"/lowland/cases/{case_id}/measures",
            data={"kind": "upgrade", "description": "x", "owner_unit": "建设局", "deadline": "someday"},
        )
        assert response.status_code == 422

    def test_the_unit_cannot_add(self, login_as: Callable[[str], TestClient]) -> None:
        unit = login_as("unit")
        items = _register(unit, "year=2023")["items"]
        assert items  # the demo gave its unit a measure
        response = unit.post(
            f"/lowland/cases/{items[0]['id']}/measures",
            data={"kind": "upgrade", "description": "x", "owner_unit": "建设局", "deadline": "2030-01-01"},
        )
        assert response.status_code == 403


class TestPlans:
    def test_plans_for_every_d_class_firm(self, login_as: Callable[[str], TestClient], world: World) -> None:
        analyst = login_as("analyst")
        results = analyst.get(f"/api/runs/{world.final_run}/results?class=D&size=200").json()
        plans = analyst.get("/api/lowland/plans?year=2023").json()
        assert {p["uscc"] for p in plans["items"]} == {r["uscc"] for r in results["items"]}
        page = doc(analyst.get("/lowland/plans?year=2023"))
        rows = [r for r in page.find_all("tr") if "data-plan" in r.attrs]
        assert len(rows) == plans["total"]
        # 2024 is a draft in the web world: no next final run, so no outcome yet.
        assert all(p["outcome_label"] == "尚无下一年度结果" for p in plans["items"])

    def test_an_enterprise_sees_only_its_own_plan(self, login_as: Callable[[str], TestClient], world: World) -> None:
        analyst = login_as("analyst")
        plan = analyst.get("/api/lowland/plans?year=2023").json()["items"][0]
        enterprise = login_as("enterprise_a")
        own = enterprise.get("/api/lowland/plans?year=2023").json()["items"]
        assert all(p["uscc"] == world.uscc_a for p in own)
        assert plan["uscc"] == world.uscc_a or plan["id"] not in [p["id"] for p in own]
        page = doc(enterprise.get("/lowland/plans?year=2023"))
        assert not page.find_all("form", cls="plan-update")

    def test_the_analyst_updates_a_plan(self, login_as: Callable[[str], TestClient]) -> None:
        analyst = login_as("analyst")
        plan = analyst.get("/api/lowland/plans?year=2023").json()["items"][-1]
        response = analyst.post(f"/lowland/plans/{plan['id']}", data={"status": "done", "resolution": "已完成技改"})
        assert response.status_code == 303
        again = {p["id"]: p for p in analyst.get("/api/lowland/plans?year=2023").json()["items"]}
        assert again[plan["id"]]["status"] == "done" and again[plan["id"]]["resolution"] == "已完成技改"


def test_overdue_measures_reach_the_todo_list(login_as: Callable[[str], TestClient]) -> None:
    analyst = login_as("analyst")
    items = [i for i in analyst.get("/api/todo").json()["items"] if i["kind"] == "lowland"]
    assert items and all(i["urgent"] for i in items)
    assert analyst.get(items[0]["url"]).status_code == 200
    leader = [i for i in login_as("leader").get("/api/todo").json()["items"] if i["kind"] == "lowland"]
    assert leader  # the demo has measures escalated to a 包挂领导 and to 管委会主任


def test_a_plan_on_its_own(login_as: Callable[[str], TestClient], world: World) -> None:
    analyst = login_as("analyst")
    taken = {p["uscc"] for p in analyst.get("/api/lowland/plans?year=2023").json()["items"]}
    d_class = analyst.get(f"/api/runs/{world.final_run}/results?class=D&size=200").json()["items"]
    assert d_class and {r["uscc"] for r in d_class} == taken  # every D firm has one already
    form = {
        "run_id": str(world.final_run),
        "uscc": d_class[0]["uscc"],
        "problem": "亩均税收偏低",
        "measures": "技改",
        "owner_unit": "经济发展局",
        "deadline": "2030-01-01",
    }
    assert analyst.post("/lowland/plans", data=form).status_code == 409  # one plan per enterprise and year
    a_class = analyst.get(f"/api/runs/{world.final_run}/results?class=A&size=1").json()["items"][0]["uscc"]
    assert analyst.post("/lowland/plans", data={**form, "uscc": a_class}).status_code == 409  # only D firms
    assert doc(analyst.get("/lowland/plans?year=2023")).find(id="plan-add")
    assert not doc(login_as("leader").get("/lowland/plans?year=2023")).find_all(id="plan-add")


def test_an_enterprise_with_a_plan_finds_it_in_its_todo(login_as: Callable[[str], TestClient], world: World) -> None:
    analyst = login_as("analyst")
    planned = {p["uscc"] for p in analyst.get("/api/lowland/plans?year=2023").json()["items"]}
    for persona, uscc in (("enterprise_a", world.uscc_a), ("enterprise_b", world.uscc_b)):
        items = [i for i in login_as(persona).get("/api/todo").json()["items"] if i["kind"] == "lowland"]
        if uscc in planned:
            [item] = items
            assert item["url"] == "/lowland/plans?year=2023" and "一企一方案" in item["title"]
        else:
            assert items == []
