"""待办 on the web: ``/todo``, ``GET /api/todo`` and the count beside 待办 in the navigation."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient
from web_client import doc
from web_personas import World

PDF = b"%PDF-1.4\n% evidence\n"


def _todo(client: TestClient) -> dict[str, Any]:
    response = client.get("/api/todo")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _kinds(body: dict[str, Any]) -> list[str]:
    return [i["kind"] for i in body["items"]]


def _publish_and_object(analyst: TestClient, enterprise: TestClient, world: World) -> None:
    assert analyst.post(f"/runs/{world.draft_run}/publish", data={"period_days": "5"}).status_code == 303
    response = enterprise.post(
        f"/enterprises/{world.uscc_a}/objections",
        data={"run_id": str(world.draft_run), "text": "用地面积应为 20 亩"},
        files=[("files", ("土地证.pdf", PDF, "application/pdf"))],
    )
    assert response.status_code == 303, response.text


class TestApi:
    def test_the_analyst_gets_the_objection_and_each_enterprise_only_its_own(
        self, login_as: Callable[[str], TestClient], world: World
    ) -> None:
        analyst, enterprise_a, enterprise_b = login_as("analyst"), login_as("enterprise_a"), login_as("enterprise_b")
        assert "notice_open" not in _kinds(_todo(enterprise_b))  # nothing under 公示 yet
        for account, uscc in ((enterprise_a, world.uscc_a), (enterprise_b, world.uscc_b)):
            assert "confirm_data" in _kinds(_todo(account))  # the demo's 企业确认 of 2024, before its 公示
            assert account.post(f"/confirmations/2024/{uscc}/confirm").status_code == 303
        _publish_and_object(analyst, enterprise_a, world)

        body = _todo(analyst)
        [objection] = [i for i in body["items"] if i["kind"] == "objection"]
        assert objection["url"].startswith(f"/runs/{world.draft_run}/objections/")
        assert analyst.get(objection["url"]).status_code == 200
        assert objection["kind_label"] == "异议待答复" and objection["count"] == 1
        assert body["total"] == sum(i["count"] for i in body["items"])

        own = _todo(enterprise_b)
        [notice] = [i for i in own["items"] if i["kind"] != "lowland"]  # (a D-class firm also has its 一企一方案)
        assert notice["kind"] == "notice_open" and notice["due"]
        assert notice["url"] == f"/enterprises/{world.uscc_b}?run_id={world.draft_run}#objections"
        assert world.uscc_a not in str(own)  # not A's objection, result or page
        assert [i for i in _todo(enterprise_a)["items"] if i["kind"] != "lowland"] == []  # it waits for the answer

        objection_id = int(
            doc(analyst.get(f"/runs/{world.draft_run}")).find("div", cls="objection").attrs["data-objection"]
        )
        reply = analyst.post(
            f"/runs/{world.draft_run}/objections/{objection_id}/reject", data={"answer": "以不动产登记为准"}
        )
        assert reply.status_code == 303
        assert "objection" not in _kinds(_todo(analyst))
        # The answer to read, and (the 公示 still running) it may object again.
        assert sorted(_kinds(_todo(enterprise_a))) == ["answered", "notice_open"]
        assert "answered" not in _kinds(_todo(enterprise_b))

    def test_the_security_and_audit_administrators_get_an_empty_list(
        self, login_as: Callable[[str], TestClient]
    ) -> None:
        for persona in ("secadmin", "auditor"):
            assert _todo(login_as(persona))["items"] == []

    def test_it_is_documented_in_the_openapi(self, client: TestClient) -> None:
        schema = client.get("/api/openapi.json").json()
        answer = schema["paths"]["/api/todo"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        assert answer["$ref"].endswith("/TodoList")
        assert {"kind", "title", "url", "count"} <= set(schema["components"]["schemas"]["TodoItem"]["properties"])

    def test_it_needs_a_log_in(self, client: TestClient) -> None:
        assert client.get("/api/todo").status_code == 401


class TestPageAndBadge:
    def test_the_badge_counts_what_the_page_lists_as_links(
        self, login_as: Callable[[str], TestClient], world: World
    ) -> None:
        analyst = login_as("analyst")
        _publish_and_object(analyst, login_as("enterprise_a"), world)
        body = _todo(analyst)
        runs_page = doc(analyst.get("/runs"))
        assert runs_page.find("a", id="nav-todo").attrs["href"] == "/todo"
        assert runs_page.find("span", id="todo-count").text.split()[0] == str(body["total"])

        page = doc(analyst.get("/todo"))
        links = [li.find("a").attrs["href"] for li in page.find("ul", id="todo-items").find_all("li")]
        assert links == [i["url"] for i in body["items"]]
        assert page.find("a", id="nav-todo").attrs["aria-current"] == "page"

    def test_no_badge_for_the_security_administrator(self, login_as: Callable[[str], TestClient]) -> None:
        page = doc(login_as("secadmin").get("/admin/security"))
        assert not page.find_all("a", id="nav-todo")
        empty = doc(login_as("secadmin").get("/todo"))
        assert empty.find("p", id="todo-empty").text == "暂无待办事项。"

    def test_the_project_office_is_led_to_its_pages(self, login_as: Callable[[str], TestClient]) -> None:
        office = login_as("projects")
        body = _todo(office)
        assert all(i["url"].startswith("/projects") for i in body["items"])
        badge = doc(office.get("/projects")).find_all("span", id="todo-count")
        assert [b.text.split()[0] for b in badge] == ([str(body["total"])] if body["total"] else [])

    def test_the_cockpit_shows_the_list_above_its_figures(
        self, login_as: Callable[[str], TestClient], world: World
    ) -> None:
        analyst = login_as("analyst")
        _publish_and_object(analyst, login_as("enterprise_a"), world)
        body = _todo(analyst)
        panel = doc(analyst.get("/")).find(id="todo-panel")
        assert panel is not None and body["items"]
        assert [li.find("a").attrs["href"] for li in panel.find_all("li")] == [i["url"] for i in body["items"]]
