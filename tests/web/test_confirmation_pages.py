"""企业确认 through the web (issue 14, part 5): an enterprise confirms or disputes only its own figures, the analyst
accepts (the figure and its source change) or rejects (nothing changes), unanswered enterprises are deemed confirmed
after the deadline by the zone's clock, and the board's counts match the store counted here independently.

The world's 2024 has the demo's open round: five enterprises confirmed, one dispute open, one resolved."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.orm import Session
from web_client import doc
from web_html import Element
from web_personas import World

from zonehero import clock

YEAR = 2024
PDF = b"%PDF-1.4\n% evidence\n"
LAND = "land_area_mu"


def _page(client: TestClient, world: World, uscc: str | None = None) -> Element:
    response = client.get(f"/confirmations/{YEAR}/{uscc or world.uscc_a}")
    assert response.status_code == 200, response.text
    return doc(response)


def _figure(page: Element, field: str) -> tuple[str, str]:
    row = page.find("tr", data_field=field)
    return row.find("td", cls="figure-value").text, row.find("td", cls="figure-source").text


def _dispute_land(client: TestClient, world: World, value: str) -> int:
    response = client.post(
        f"/confirmations/{YEAR}/{world.uscc_a}/dispute",
        data={"reason": "东侧 5 亩已交还园区", "row_field": [LAND, "tax"], "proposed": [value, ""], "dispute": [LAND]},
        files=[("files", ("收回协议.pdf", PDF, "application/pdf"))],
    )
    assert response.status_code == 303, response.text
    page = _page(client, world)
    return int(page.find("li", data_status="open").attrs["data-dispute"])


def _deadline(db: Session) -> date:
    value = db.execute(text("SELECT deadline FROM confirmation_rounds WHERE year = :y"), {"y": YEAR}).scalar_one()
    return value if isinstance(value, date) else date.fromisoformat(str(value))


class TestEnterprise:
    def test_it_sees_its_figures_with_sources_and_the_actions(
        self, login_as: Callable[[str], TestClient], world: World
    ) -> None:
        page = _page(login_as("enterprise_a"), world)
        assert page.find(id="confirmation-state").attrs["data-state"] == "pending"
        value, source = _figure(page, LAND)
        assert value.endswith("亩") and "自然资源局" in source
        assert page.find("form", id="confirm-form") and page.find("form", id="dispute-form")

    def test_it_reaches_no_other_enterprise(self, login_as: Callable[[str], TestClient], world: World) -> None:
        client = login_as("enterprise_a")
        assert client.get(f"/confirmations/{YEAR}/{world.uscc_b}").status_code == 404
        assert client.post(f"/confirmations/{YEAR}/{world.uscc_b}/confirm").status_code == 404
        assert (
            _page(login_as("enterprise_b"), world, world.uscc_b).find(id="confirmation-state").attrs["data-state"]
            == "pending"
        )

    def test_it_confirms_its_own_once(self, login_as: Callable[[str], TestClient], world: World) -> None:
        client = login_as("enterprise_a")
        assert client.post(f"/confirmations/{YEAR}/{world.uscc_a}/confirm").status_code == 303
        page = _page(client, world)
        assert page.find(id="confirmation-state").attrs["data-state"] == "confirmed"
        assert not page.find_all("form", id="confirm-form")
        assert client.post(f"/confirmations/{YEAR}/{world.uscc_a}/confirm").status_code == 409

    def test_evidence_of_another_type_is_refused(self, login_as: Callable[[str], TestClient], world: World) -> None:
        response = login_as("enterprise_a").post(
            f"/confirmations/{YEAR}/{world.uscc_a}/dispute",
            data={"reason": "有误", "row_field": [LAND], "proposed": ["3"], "dispute": [LAND]},
            files=[("files", ("协议.docx", b"PK\x03\x04", "application/octet-stream"))],
        )
        assert response.status_code == 422 and "PDF、JPEG 或 PNG" in response.text


class TestAnalyst:
    def test_accept_writes_the_figure_with_the_dispute_as_its_source(
        self, login_as: Callable[[str], TestClient], world: World
    ) -> None:
        enterprise = login_as("enterprise_a")
        dispute = _dispute_land(enterprise, world, "3.5")
        analyst = login_as("analyst")
        page = doc(analyst.get(f"/confirmations/disputes/{dispute}"))
        assert page.find(id="dispute-status").attrs["data-status"] == "open"
        assert page.find("input", id="a-value").attrs["value"] == "3.5"
        response = analyst.post(
            f"/confirmations/disputes/{dispute}/accept", data={"resolution": "核实无误", "value": ""}
        )
        assert response.status_code == 303, response.text
        value, source = _figure(_page(enterprise, world), LAND)
        assert (value, source) == ("3.50 亩", f"企业确认更正 · 确认异议 #{dispute}")
        assert _page(enterprise, world).find(id="confirmation-state").attrs["data-state"] == "resolved"
        enterprise_page = doc(enterprise.get(f"/enterprises/{world.uscc_a}"))
        assert f"确认异议 #{dispute}" in enterprise_page.text

    def test_reject_keeps_the_figure(self, login_as: Callable[[str], TestClient], world: World) -> None:
        enterprise = login_as("enterprise_a")
        before = _figure(_page(enterprise, world), LAND)
        dispute = _dispute_land(enterprise, world, "3.5")
        analyst = login_as("analyst")
        assert (
            analyst.post(
                f"/confirmations/disputes/{dispute}/reject", data={"resolution": "以不动产登记为准"}
            ).status_code
            == 303
        )
        assert _figure(_page(enterprise, world), LAND) == before
        page = doc(enterprise.get(f"/confirmations/disputes/{dispute}"))
        assert page.find(id="dispute-resolution").text.startswith("以不动产登记为准")
        assert login_as("enterprise_b").get(f"/confirmations/disputes/{dispute}").status_code == 404

    def test_a_leader_reads_but_does_not_resolve(self, login_as: Callable[[str], TestClient], world: World) -> None:
        dispute = _dispute_land(login_as("enterprise_a"), world, "3.5")
        leader = login_as("leader")
        page = doc(leader.get(f"/confirmations/disputes/{dispute}"))
        assert not page.find_all("form", id="accept-form")
        assert leader.post(f"/confirmations/disputes/{dispute}/accept", data={"resolution": "好"}).status_code == 403


def _counts(page: Element) -> dict[str, int]:
    return {el.attrs["data-count"]: int(el.text.replace(",", "")) for el in page.iter() if "data-count" in el.attrs}


class TestBoard:
    def _expected(self, db: Session, deemed: bool) -> dict[str, int]:
        """The counts from the store, by SQL written here (not the service's queries)."""
        total = db.execute(text("SELECT COUNT(DISTINCT uscc) FROM figures WHERE year = :y"), {"y": YEAR}).scalar_one()
        rows = db.execute(
            text(
                "SELECT a.state, COUNT(*) FROM confirmation_answers a JOIN confirmation_rounds r ON r.id = a.round_id "
                "WHERE r.year = :y GROUP BY a.state"
            ),
            {"y": YEAR},
        ).all()
        answered = {s: int(n) for s, n in rows}
        rest = total - sum(answered.values())
        return {
            "total": total,
            "confirmed": answered.get("confirmed", 0),
            "disputed": answered.get("disputed", 0),
            "resolved": answered.get("resolved", 0),
            "deemed": rest if deemed else 0,
            "pending": 0 if deemed else rest,
        }

    def test_counts_match_the_store(self, db: Session, login_as: Callable[[str], TestClient], world: World) -> None:
        analyst = login_as("analyst")
        page = doc(analyst.get(f"/confirmations?year={YEAR}"))
        found = _counts(page)
        expected = self._expected(db, deemed=False)
        assert found == expected
        assert (expected["confirmed"], expected["disputed"], expected["resolved"]) == (5, 1, 1)  # the demo's round
        listed = [
            int(tr.attrs["data-dispute"]) for tr in page.find(id="open-disputes").iter() if "data-dispute" in tr.attrs
        ]
        assert len(listed) == 1
        api = analyst.get(f"/api/confirmations/{YEAR}").json()
        assert {k: api["counts"][k] for k in expected} == expected
        assert [d["id"] for d in api["open_disputes"]] == listed

    def test_after_the_deadline_the_unanswered_are_deemed_confirmed(
        self, db: Session, login_as: Callable[[str], TestClient], world: World
    ) -> None:
        previous = clock.current()
        later = _deadline(db) + timedelta(days=1)
        clock.use(clock.FixedClock(datetime(later.year, later.month, later.day, 4, 0, tzinfo=UTC)))
        try:
            analyst = login_as("analyst")
            found = _counts(doc(analyst.get(f"/confirmations?year={YEAR}")))
            assert found == self._expected(db, deemed=True) and found["deemed"] > 0 and found["pending"] == 0
            deemed = doc(analyst.get(f"/confirmations?year={YEAR}&state=deemed")).find("table", id="board-rows")
            assert world.uscc_a in {r.attrs.get("data-uscc") for r in deemed.find_all("tr")}
            page = _page(login_as("enterprise_a"), world)
            assert page.find(id="confirmation-state").attrs["data-state"] == "deemed"
            assert not page.find_all("form", id="confirm-form")
            assert "已过" in page.find(id="confirmation-refusal").text
            assert login_as("enterprise_a").post(f"/confirmations/{YEAR}/{world.uscc_a}/confirm").status_code == 409
        finally:
            clock.use(previous)

    def test_pages_are_bounded_and_follow_the_cursor(self, login_as: Callable[[str], TestClient], world: World) -> None:
        analyst = login_as("analyst")
        api = analyst.get(f"/api/confirmations/{YEAR}?size=15").json()
        seen = [r["uscc"] for r in api["items"]]
        while api["next_cursor"]:
            assert len(api["items"]) == 15
            api = analyst.get(f"/api/confirmations/{YEAR}?size=15&after={api['next_cursor']}").json()
            seen += [r["uscc"] for r in api["items"]]
        assert seen == sorted(seen) and len(seen) == len(set(seen)) == api["counts"]["total"]


class TestTodo:
    def test_the_enterprise_is_asked_and_the_analyst_sees_the_open_dispute(
        self, login_as: Callable[[str], TestClient], world: World
    ) -> None:
        todo = login_as("enterprise_a").get("/api/todo").json()
        [ask] = [i for i in todo["items"] if i["kind"] == "confirm_data"]
        assert ask["url"] == f"/confirmations/{YEAR}/{world.uscc_a}" and "前确认本企业 2024 年度数据" in ask["title"]
        analyst = login_as("analyst").get("/api/todo").json()
        assert next(i["url"] for i in analyst["items"] if i["kind"] == "dispute").startswith("/confirmations/disputes/")
