"""What-if and robustness of a large zone as jobs, and the what-if's changed enterprises paged.

A zone counts as large above ``sync_decision_max_enterprises``; the tests set it to 0 so the demo world is one.
The job is run in this process (``run_job``, as a worker would) inside the test's transaction; the pages are
then checked to show the same answer the services give in the request.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker
from web_client import api_login, doc
from web_html import Element
from web_personas import World

from zonehero.config import Settings
from zonehero.features.decision import service as decision
from zonehero.features.decision.schemas import VariantRequest
from zonehero.features.jobs import service as jobs
from zonehero.features.jobs.runner import run_job
from zonehero.features.roles import SYSTEM

VARIANT = VariantRequest(
    cap=1.5, quotas=(15, 60, 90), weights={"above.tax_per_mu": 40.0, "above.value_added_per_mu": 5.0}
)
FORM = {
    "cap": "1.5",
    "quota_a": "15",
    "quota_b": "60",
    "quota_c": "90",
    "w:above:tax_per_mu": "40",
    "w:above:value_added_per_mu": "5",
}


def usccs(page: Element, table_id: str) -> list[str]:
    return [tr.attrs["data-uscc"] for tr in page.find("table", id=table_id).find_all("tr") if "data-uscc" in tr.attrs]


@pytest.fixture
def large(app_factory: Callable[..., TestClient]) -> Callable[[str], TestClient]:
    """A client logged in on an app for which every zone is large (what-if and robustness go to jobs)."""

    def make(persona: str) -> TestClient:
        client = app_factory(sync_decision_max_enterprises=0)
        api_login(client, persona)
        return client

    return make


def run(settings: Settings, sessions: sessionmaker[Session], job_id: int) -> None:
    """Run the job here, as a worker would (no heartbeat thread: it is quick)."""
    assert run_job(settings.model_copy(update={"job_heartbeat_seconds": 3600}), sessions, job_id) == "done"


def job_of(response: object, prefix: str) -> int:
    location = response.headers["location"]  # type: ignore[attr-defined]
    assert response.status_code == 303 and location.startswith(prefix), location  # type: ignore[attr-defined]
    return int(location.removeprefix(prefix).split("?")[0])


class TestWhatIfPaged:
    def test_the_changed_enterprises_come_a_page_at_a_time(
        self, login_as: Callable[[str], TestClient], db: Session, world: World
    ) -> None:
        expected = [c.uscc for c in decision.what_if(db, SYSTEM, world.draft_run, VARIANT).read().changes]
        assert len(expected) > 2
        client = login_as("analyst")
        first = doc(client.post(f"/runs/{world.draft_run}/whatif?size=2", data=FORM))
        assert usccs(first, "change-table") == expected[:2]
        assert first.find(id="changed-count").text == str(len(expected))  # the count is of every change
        pager = first.find("nav", id="change-pages")
        assert (
            pager.find("button", data_page="2").attrs["formaction"] == f"/runs/{world.draft_run}/whatif?page=2&size=2"
        )
        second = doc(client.post(f"/runs/{world.draft_run}/whatif?page=2&size=2", data=FORM))
        assert usccs(second, "change-table") == expected[2:4]

    @pytest.mark.parametrize("query", ["page=0", "page=abc", "page=99999999999999999999", "size=0", "size=100000"])
    def test_a_nonsense_page_is_refused(self, login_as: Callable[[str], TestClient], world: World, query: str) -> None:
        assert login_as("analyst").post(f"/runs/{world.draft_run}/whatif?{query}", data=FORM).status_code == 422


class TestWhatIfAsAJob:
    def test_the_page_follows_the_job_then_shows_the_same_result(
        self,
        large: Callable[[str], TestClient],
        db: Session,
        world: World,
        settings: Settings,
        sessions: sessionmaker[Session],
    ) -> None:
        client = large("analyst")
        prefix = f"/runs/{world.draft_run}/whatif/jobs/"
        job_id = job_of(client.post(f"/runs/{world.draft_run}/whatif", data=FORM), prefix)
        body = client.get(f"/api/jobs/{job_id}").json()
        assert body["kind"] == "whatif" and body["status"] == "queued"
        assert VariantRequest.model_validate(body["parameters"]["variant"]) == VARIANT
        waiting = doc(client.get(f"{prefix}{job_id}"))
        panel = waiting.find(id="job-progress")
        assert panel.attrs["hx-get"] == f"{prefix}{job_id}/progress"
        assert waiting.find_all(id="whatif-result") == []
        assert waiting.find("input", name="cap").attrs["value"] == "1.5"  # the form as it was submitted
        assert "HX-Refresh" not in client.get(f"{prefix}{job_id}/progress").headers

        run(settings, sessions, job_id)
        assert client.get(f"{prefix}{job_id}/progress").headers["HX-Refresh"] == "true"  # the page reloads
        expected = decision.what_if(db, SYSTEM, world.draft_run, VARIANT).read()
        shown = doc(client.get(f"{prefix}{job_id}?size=2"))
        assert shown.find_all(id="job-progress") == []
        assert usccs(shown, "change-table") == [c.uscc for c in expected.changes[:2]]
        assert shown.find(id="changed-count").text == str(expected.changed)
        assert "得分封顶倍数：2 倍 → 1.5 倍" in shown.find("ul", id="scheme-changes").text
        draft_row = shown.find("table", cls="side-by-side", data_group="above").find("tr", data_side="draft")
        assert [int(td.text) for td in draft_row.find_all("td")[1:]] == list(expected.counts_before["above"].values())
        later = doc(client.get(f"{prefix}{job_id}?page=2&size=2"))
        assert usccs(later, "change-table") == [c.uscc for c in expected.changes[2:4]]
        assert later.find("a", rel="next").attrs["href"].startswith("?page=3&size=2")
        assert client.get(f"{prefix}{job_id}?page=0").status_code == 422
        summary = doc(client.get(f"/jobs/{job_id}")).find(id="job-view")
        assert summary.attrs["href"] == f"{prefix}{job_id}"

    def test_a_small_zone_keeps_the_answer_in_the_request(
        self, login_as: Callable[[str], TestClient], world: World
    ) -> None:
        response = login_as("analyst").post(f"/runs/{world.draft_run}/whatif", data=FORM)
        assert response.status_code == 200 and doc(response).find(id="whatif-result") is not None

    def test_staff_submit_and_read_it_the_enterprise_does_not(
        self, large: Callable[[str], TestClient], world: World, settings: Settings, sessions: sessionmaker[Session]
    ) -> None:
        prefix = f"/runs/{world.draft_run}/whatif/jobs/"
        mine = job_of(large("leader").post(f"/runs/{world.draft_run}/whatif", data=FORM), prefix)
        assert large("leader").get(f"{prefix}{mine}").status_code == 200  # a what-if reads only: a leader may try one
        job_id = job_of(large("analyst").post(f"/runs/{world.draft_run}/whatif", data=FORM), prefix)
        assert large("leader").get(f"{prefix}{job_id}").status_code == 200
        assert large("enterprise_a").get(f"{prefix}{job_id}").status_code == 404

    def test_a_wrong_weight_total_queues_nothing(
        self, large: Callable[[str], TestClient], world: World, db: Session
    ) -> None:
        client = large("analyst")
        before = jobs.list_jobs(db, SYSTEM).total
        response = client.post(f"/runs/{world.draft_run}/whatif", data={**FORM, "w:above:value_added_per_mu": "15"})
        assert response.status_code == 422
        assert "规上企业各指标权重合计应为 100，现为 110" in response.text
        db.expire_all()
        assert jobs.list_jobs(db, SYSTEM).total == before

    def test_a_job_of_another_run_or_kind_is_not_found(self, large: Callable[[str], TestClient], world: World) -> None:
        client = large("analyst")
        job_id = job_of(
            client.post(f"/runs/{world.draft_run}/whatif", data=FORM), f"/runs/{world.draft_run}/whatif/jobs/"
        )
        assert client.get(f"/runs/{world.final_run}/whatif/jobs/{job_id}").status_code == 404
        assert client.get(f"/runs/{world.draft_run}/robustness/jobs/{job_id}").status_code == 404


class TestRobustnessAsAJob:
    def test_the_form_submits_a_job_whose_page_shows_the_same_answer(
        self,
        large: Callable[[str], TestClient],
        db: Session,
        world: World,
        settings: Settings,
        sessions: sessionmaker[Session],
    ) -> None:
        client = large("leader")  # robustness: any staff
        start = doc(client.get(f"/runs/{world.final_run}/robustness?draws=300&seed=3"))
        form = start.find("form", id="robustness-form")
        assert form.attrs["method"] == "post" and start.find_all(id="stability-table") == []
        prefix = f"/runs/{world.final_run}/robustness/jobs/"
        response = client.post(f"/runs/{world.final_run}/robustness", data={"draws": "300", "seed": "3", "show": "all"})
        job_id = job_of(response, prefix)
        assert response.headers["location"].endswith("?show=all")
        assert client.get(f"/api/jobs/{job_id}").json()["parameters"] == {
            "run_id": world.final_run,
            "draws": 300,
            "seed": 3,
        }
        assert (
            doc(client.get(f"{prefix}{job_id}")).find(id="job-progress").attrs["hx-get"] == f"{prefix}{job_id}/progress"
        )

        decision.clear_robustness_cache()  # the job draws, rather than finding an earlier test's answer
        run(settings, sessions, job_id)
        job = client.get(f"/api/jobs/{job_id}").json()
        groups = len({i.group for i in decision.robustness(db, SYSTEM, world.final_run, draws=300, seed=3).items})
        assert (job["done"], job["total"]) == (300 * groups, 300 * groups)  # progress counted in draws
        answer = decision.robustness(db, SYSTEM, world.final_run, draws=300, seed=3)
        fragile = doc(client.get(f"{prefix}{job_id}?size=200"))
        assert usccs(fragile, "stability-table") == [i.uscc for i in answer.items if i.fragile]
        assert fragile.find("strong", id="fragile-count").text == str(answer.fragile)
        every = doc(client.get(f"{prefix}{job_id}?show=all&size=5"))
        assert usccs(every, "stability-table") == [i.uscc for i in answer.items[:5]]
        assert client.get(f"{prefix}{job_id}?show=some").status_code == 422

    def test_a_small_zone_answers_in_the_request(self, login_as: Callable[[str], TestClient], world: World) -> None:
        client = login_as("leader")
        response = client.post(f"/runs/{world.final_run}/robustness", data={"draws": "50", "seed": "1"})
        assert response.status_code == 303
        assert response.headers["location"] == f"/runs/{world.final_run}/robustness?draws=50&seed=1&show=fragile"
        assert doc(client.get(response.headers["location"])).find(id="stability-table") is not None

    @pytest.mark.parametrize("draws", ["0", "10001", "many"])
    def test_draws_are_bounded(self, large: Callable[[str], TestClient], world: World, draws: str) -> None:
        response = large("analyst").post(f"/runs/{world.final_run}/robustness", data={"draws": draws})
        assert response.status_code == 422
