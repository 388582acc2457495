"""后台任务 pages: submitting from the run page, following a job, who sees it, large work sent to a job.

The jobs are queued on the app's real queue (a SQLite file in the test's data folder); no worker runs here,
so the jobs stay queued: running them is tests/integration/test_jobs_worker.py.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from web_client import doc
from web_personas import World

from zonehero.features.jobs import service as jobs
from zonehero.features.roles import SYSTEM
from zonehero.features.runs import service as runs

LoginAs = Callable[[str], TestClient]


def submit(client: TestClient, **form: str) -> int:
    response = client.post("/jobs", data=form)
    assert response.status_code == 303, response.text
    location = response.headers["location"]
    assert location.startswith("/jobs/")
    return int(location.rsplit("/", 1)[1])


class TestSubmitting:
    def test_the_notices_button_queues_a_job_and_its_page_polls_for_progress(
        self, login_as: LoginAs, world: World
    ) -> None:
        client = login_as("analyst")
        job_id = submit(client, kind="notices_zip", run_id=str(world.final_run))
        page = doc(client.get(f"/jobs/{job_id}"))
        panel = page.find(id="job-progress")
        assert panel.attrs["data-status"] == "queued"
        assert panel.attrs["hx-get"] == f"/jobs/{job_id}/progress"
        assert "every" in panel.attrs["hx-trigger"]
        assert page.find(id="job-bar").attrs["data-percent"] == "0"
        assert client.get(f"/jobs/{job_id}/progress").status_code == 200
        listed = doc(client.get("/jobs")).find(id="job-table")
        assert [row.attrs["data-status"] for row in listed.find_all("tr", data_job=str(job_id))] == ["queued"]

    def test_the_api_gives_the_state_as_json(self, login_as: LoginAs, world: World) -> None:
        client = login_as("analyst")
        job_id = submit(client, kind="annual_report", run_id=str(world.final_run), format="xlsx")
        body = client.get(f"/api/jobs/{job_id}").json()
        assert body["status"] == "queued" and body["kind"] == "annual_report"
        assert body["parameters"] == {"run_id": world.final_run, "format": "xlsx"}
        assert body["can_cancel"] is True

    def test_the_notices_job_takes_a_limit(self, login_as: LoginAs, world: World) -> None:
        client = login_as("analyst")
        job_id = submit(client, kind="notices_zip", run_id=str(world.final_run), limit="5")
        assert client.get(f"/api/jobs/{job_id}").json()["parameters"] == {
            "run_id": world.final_run,
            "lift": True,
            "limit": 5,
        }
        for nonsense in ("0", "-1", "many", "99999999999"):
            form = {"kind": "notices_zip", "run_id": str(world.final_run), "limit": nonsense}
            assert client.post("/jobs", data=form).status_code == 422, nonsense

    def test_decision_jobs_are_checked_like_their_pages(self, login_as: LoginAs, world: World) -> None:
        leader = login_as("leader")
        job_id = submit(leader, kind="robustness", run_id=str(world.final_run))
        body = leader.get(f"/api/jobs/{job_id}").json()
        assert body["parameters"] == {"run_id": world.final_run, "draws": 1000, "seed": 0}
        # A what-if reads only (the leader may try one); saving it as a scheme version stays the analyst's.
        assert leader.post("/jobs", data={"kind": "whatif", "run_id": str(world.draft_run)}).status_code == 303
        assert leader.post("/jobs", data={"kind": "run_create", "run_id": str(world.draft_run)}).status_code == 403
        assert login_as("analyst").post("/jobs", data={"kind": "notices_part", "run_id": "1"}).status_code == 403

    def test_cancelling_a_queued_job_stops_the_polling(self, login_as: LoginAs, world: World) -> None:
        client = login_as("analyst")
        job_id = submit(client, kind="notices_zip", run_id=str(world.final_run))
        assert client.post(f"/jobs/{job_id}/cancel").status_code == 303
        panel = doc(client.get(f"/jobs/{job_id}/progress")).find(id="job-progress")
        assert panel.attrs["data-status"] == "cancelled"
        assert "hx-get" not in panel.attrs
        assert client.post(f"/jobs/{job_id}/cancel").status_code == 409
        assert client.post(f"/jobs/{job_id}/retry").status_code == 303
        assert client.get(f"/api/jobs/{job_id}").json()["status"] == "queued"


class TestWhoSeesAJob:
    def test_staff_follow_each_others_jobs_and_enterprises_see_none(self, login_as: LoginAs, world: World) -> None:
        job_id = submit(login_as("analyst"), kind="notices_zip", run_id=str(world.final_run))
        assert login_as("leader").get(f"/jobs/{job_id}").status_code == 200
        assert login_as("enterprise_a").get(f"/jobs/{job_id}").status_code == 404
        assert login_as("enterprise_a").get(f"/api/jobs/{job_id}").status_code == 404

    def test_only_the_submitter_or_the_analyst_may_cancel(self, login_as: LoginAs, world: World) -> None:
        analysts = submit(login_as("analyst"), kind="notices_zip", run_id=str(world.final_run))
        assert login_as("leader").post(f"/jobs/{analysts}/cancel").status_code == 403
        leaders = submit(login_as("leader"), kind="notices_zip", run_id=str(world.final_run))
        assert login_as("analyst").post(f"/jobs/{leaders}/cancel").status_code == 303

    @pytest.mark.parametrize("persona", ["sysadmin", "secadmin", "auditor"])
    def test_the_administrators_see_no_jobs(self, login_as: LoginAs, world: World, persona: str) -> None:
        job_id = submit(login_as("analyst"), kind="notices_zip", run_id=str(world.final_run))
        admin = login_as(persona)
        assert admin.get("/jobs").status_code == 403
        assert admin.get(f"/jobs/{job_id}").status_code == 403
        assert admin.get(f"/api/jobs/{job_id}").status_code == 403

    def test_a_leader_may_not_create_a_run_by_job(self, login_as: LoginAs) -> None:
        response = login_as("leader").post(
            "/jobs", data={"kind": "run_create", "year": "2024", "scheme_version_id": "1"}
        )
        assert response.status_code == 403


class TestLargeWorkGoesToAJob:
    def test_a_run_of_a_large_zone_is_created_by_a_job(
        self, login_as: LoginAs, world: World, db: Session, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(jobs, "BACKGROUND_FROM", 1)  # the demo zone counts as large
        version = runs.get_run(db, SYSTEM, world.draft_run).scheme_version_id
        client = login_as("analyst")
        response = client.post("/runs", data={"year": "2024", "scheme_version_id": str(version)})
        assert response.status_code == 303
        assert response.headers["location"].startswith("/jobs/")
        job = client.get(f"/api/jobs/{response.headers['location'].rsplit('/', 1)[1]}").json()
        assert job["kind"] == "run_create"
        assert job["parameters"] == {"year": 2024, "scheme_version_id": version, "note": None}

    def test_a_small_zone_keeps_the_direct_path(self, login_as: LoginAs, world: World, db: Session) -> None:
        version = runs.get_run(db, SYSTEM, world.draft_run).scheme_version_id
        response = login_as("analyst").post("/runs", data={"year": "2024", "scheme_version_id": str(version)})
        assert response.status_code == 303
        assert response.headers["location"].startswith("/runs/")
