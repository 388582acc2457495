"""用地面积公示 pages on the web world (the demo zone, whose open year had its land notice answered and closed
before the draft): the analyst's year page, publishing, the enterprise's own view and objection with a file, the
answer page, the close gate's reason, and the run page's warning for a draft made while a land notice is open."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from web_client import doc
from web_personas import World

from zonehero.features.land import service as land
from zonehero.features.roles import SYSTEM
from zonehero.features.runs import service as runs

PDF = ("证明.pdf", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n%%EOF\n", "application/pdf")


def _publish(analyst: TestClient) -> int:
    page = doc(analyst.get("/land/notice?year=2024"))
    version = page.find("select", id="ln-scheme").find("option").attrs["value"]
    response = analyst.post("/land/notice", data={"year": "2024", "scheme_version_id": version})
    assert response.status_code == 303, response.text
    card = doc(analyst.get("/land/notice?year=2024")).find("div", id="land-notice-card")
    assert card.attrs["data-status"] == "notice"
    return int(card.attrs["data-notice"])


@pytest.fixture
def published(login_as: Callable[[str], TestClient]) -> tuple[TestClient, int]:
    analyst = login_as("analyst")
    return analyst, _publish(analyst)


class TestYearPage:
    def test_the_demo_notice_is_closed_with_one_accepted_and_one_rejected_objection(
        self, login_as: Callable[[str], TestClient]
    ) -> None:
        page = doc(login_as("leader").get("/land/notice?year=2024"))
        card = page.find("div", id="land-notice-card")
        assert card.attrs["data-status"] == "closed"
        assert "已采纳 1 件，未采纳 1 件" in page.find("span", id="land-notice-counts").text
        assert not page.find_all("form", id="land-notice-publish-form")  # a leader reads, does not publish
        assert 40 <= len(page.find("table", id="land-notice-table").find("tbody").find_all("tr")) <= 50  # one page

    def test_the_list_is_paged(self, login_as: Callable[[str], TestClient]) -> None:
        page = doc(login_as("analyst").get("/land/notice?year=2024&size=10&page=2"))
        assert len(page.find("table", id="land-notice-table").find("tbody").find_all("tr")) == 10

    def test_publishing_opens_the_period_and_the_close_button_says_why_not_yet(
        self, published: tuple[TestClient, int]
    ) -> None:
        analyst, _ = published
        page = doc(analyst.get("/land/notice?year=2024"))
        assert page.find("span", id="land-notice-status").text == "公示中"
        assert "公示期满后" in page.find("span", id="land-close-reason").text
        assert page.find("p", id="land-notice-publish-refused")  # one open land notice per year
        response = analyst.post("/land/notice/999999/close")
        assert response.status_code == 404


class TestEnterprise:
    def test_an_enterprise_objects_with_a_file_and_the_analyst_answers(
        self, published: tuple[TestClient, int], login_as: Callable[[str], TestClient], world: World
    ) -> None:
        analyst, notice_id = published
        enterprise = login_as("enterprise_a")
        home = doc(enterprise.get(f"/enterprises/{world.uscc_a}"))
        assert home.find("div", data_land_notice=str(notice_id))
        own = doc(enterprise.get(f"/land/notice/{notice_id}"))
        assert own.find("div", id="land-card") and own.find("form", id="objection-form")
        response = enterprise.post(
            f"/land/notice/{notice_id}/objections",
            data={"text": "用地面积有误", "proposed_mu": "12.5"},
            files=[("files", PDF)],
        )
        assert response.status_code == 303, response.text
        own = doc(enterprise.get(f"/land/notice/{notice_id}"))
        [filed] = own.find("div", id="objections").find_all("div", cls="objection")
        objection_id = int(filed.attrs["data-objection"])
        assert "证明.pdf" in filed.text and own.find("p", id="objection-refused")
        assert login_as("enterprise_b").get(f"/land/notice/{notice_id}/objections/{objection_id}").status_code == 404
        answer_page = doc(analyst.get(f"/land/notice/{notice_id}/objections/{objection_id}"))
        assert answer_page.find("form", id="accept-form") and answer_page.find("form", id="reject-form")
        refused = analyst.post(
            f"/land/notice/{notice_id}/objections/{objection_id}/accept", data={"answer": "同意", "target": ""}
        )
        assert refused.status_code == 422
        rejected = analyst.post(
            f"/land/notice/{notice_id}/objections/{objection_id}/reject", data={"answer": "登记面积无误"}
        )
        assert rejected.status_code == 303
        own = doc(enterprise.get(f"/land/notice/{notice_id}"))
        assert "登记面积无误" in own.find("div", id="objections").text

    def test_another_enterprise_cannot_see_the_year_page(self, login_as: Callable[[str], TestClient]) -> None:
        assert login_as("enterprise_a").get("/land/notice?year=2024").status_code == 404


class TestLineage:
    def test_the_demo_draft_shows_the_corrected_lease_with_its_lineage(
        self, login_as: Callable[[str], TestClient], db: Session, world: World
    ) -> None:
        [correction] = land.corrections(db)
        lessee = land.lease_parties(db)[correction.lease_id][1]  # type: ignore[index]
        page = doc(login_as("analyst").get(f"/enterprises/{lessee}?run_id={world.draft_run}"))
        found = page.find("div", id="land-corrections")
        assert found and f"用地公示异议 #{correction.objection_id}" in found.text
        _, record = runs.kept_land(db, SYSTEM, world.draft_run, lessee)
        assert record is not None and record["corrections"][0]["after"] == correction.after

    def test_a_draft_made_while_a_land_notice_is_open_warns_on_the_run_page(
        self, published: tuple[TestClient, int], world: World
    ) -> None:
        analyst, notice_id = published
        response = analyst.post("/runs", data={"year": "2024", "scheme_version_id": "1"})
        assert response.status_code == 303, response.text
        run_page = doc(analyst.get(response.headers["location"]))
        warning = run_page.find("div", id="land-notice-warning")
        assert warning and f"用地面积公示 #{notice_id}" in warning.text
        old = doc(analyst.get(f"/runs/{world.draft_run}"))
        assert not old.find_all("div", id="land-notice-warning")  # made after the demo notice closed
        assert re.search(r"尚在公示中", warning.text)


class TestApi:
    def test_staff_read_a_page_of_the_notice_and_an_enterprise_only_its_own_part(
        self, login_as: Callable[[str], TestClient], world: World
    ) -> None:
        [notice] = login_as("leader").get("/api/land/notices?year=2024&size=5").json()
        assert notice["status"] == "closed" and notice["objections"] == {"accepted": 1, "rejected": 1}
        assert len(notice["items"]) == 5 and notice["total"] >= 40
        assert notice["period"].endswith("工作日") or notice["period"].endswith("天")
        [own] = login_as("enterprise_a").get("/api/land/notices?year=2024").json()
        assert [i["uscc"] for i in own["items"]] == [world.uscc_a] and own["objections"] == {}
