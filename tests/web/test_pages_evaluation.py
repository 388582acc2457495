"""评价: draft against last year, publish for 公示, objections answered, finalise, export."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from python_calamine import CalamineWorkbook
from sqlalchemy.orm import Session
from web_client import doc
from web_personas import World

from zonehero.clock import today
from zonehero.features.enterprises import service as enterprises
from zonehero.features.publication import service as publication
from zonehero.features.roles import SYSTEM
from zonehero.features.runs import service as runs

PDF = b"%PDF-1.4\n% evidence\n"


def _publish(client: TestClient, run_id: int, days: int = 5) -> None:
    response = client.post(f"/runs/{run_id}/publish", data={"period_days": str(days)})
    assert response.status_code == 303, response.text


def _file_objection(client: TestClient, uscc: str, run_id: int, text: str = "用地面积应为 20 亩") -> int:
    response = client.post(
        f"/enterprises/{uscc}/objections",
        data={"run_id": str(run_id), "text": text},
        files=[("files", ("土地证.pdf", PDF, "application/pdf"))],
    )
    assert response.status_code == 303, response.text
    page = doc(client.get(f"/enterprises/{uscc}?run_id={run_id}"))
    return int(page.find("div", cls="objection").attrs["data-objection"])


class TestRunList:
    def test_an_analyst_runs_a_draft_from_the_page(self, login_as: Callable[[str], TestClient], db: Session) -> None:
        client = login_as("analyst")
        page = doc(client.get("/runs"))
        version = page.find("select", id="r-scheme").find_all("option")[0].attrs["value"]
        response = client.post("/runs", data={"year": "2024", "scheme_version_id": version, "note": "复核"})
        assert response.status_code == 303
        run_id = int(response.headers["location"].rsplit("/", 1)[1])
        run = runs.get_run(db, SYSTEM, run_id)
        assert (run.status, run.year, run.note) == ("draft", 2024, "复核")
        listed = doc(client.get("/runs")).find("table", id="run-table").find("tr", data_run=str(run_id))
        assert listed.attrs["data-status"] == "draft"

    def test_a_leader_reads_but_gets_no_forms(self, login_as: Callable[[str], TestClient], world: World) -> None:
        client = login_as("leader")
        assert not doc(client.get("/runs")).find_all("form", id="create-run-form")
        page = doc(client.get(f"/runs/{world.draft_run}"))
        posting = [f.attrs["action"] for f in page.find_all("form") if f.attrs.get("method") == "post"]
        # The documents made in the background (/jobs) change nothing in the run: a reader may ask for them.
        assert [action for action in posting if action != "/jobs"] == ["/logout"]
        assert page.find("form", id="result-filters")


class TestDraftReview:
    def test_the_draft_is_compared_with_last_years_final_run(
        self, login_as: Callable[[str], TestClient], world: World, db: Session
    ) -> None:
        page = doc(login_as("analyst").get(f"/runs/{world.draft_run}"))
        comparison = runs_compare(db, world.draft_run)
        assert int(page.find("strong", id="moved-up").text) == comparison.up
        assert int(page.find("strong", id="moved-down").text) == comparison.down
        moved = [
            tr.attrs["data-uscc"]
            for tr in page.find("table", id="move-table").find_all("tr")
            if "data-uscc" in tr.attrs
        ]
        assert moved == [m.uscc for m in comparison.moved][: len(moved)]
        if comparison.moved:
            first = page.find("table", id="move-table").find("tr", data_uscc=comparison.moved[0].uscc)
            assert comparison.moved[0].reasons[0] in first.text

    def test_the_comparison_is_kept_and_read_back_the_same(
        self, login_as: Callable[[str], TestClient], world: World, db: Session
    ) -> None:
        from zonehero.features.runs import compare

        client = login_as("leader")
        first = client.get(f"/runs/{world.draft_run}").text
        db.expire_all()
        kept = compare.previous_year_summary(db, SYSTEM, world.draft_run, shown=200)
        full = runs_compare(db, world.draft_run)
        assert (kept.up, kept.down, kept.unchanged, kept.moved) == (
            full.up,
            full.down,
            full.unchanged,
            len(full.moved),
        )
        assert (kept.entered, kept.left) == (len(full.entered), len(full.left))
        assert [m.uscc for m in kept.moves] == [m.uscc for m in full.moved][:200]
        again = doc(client.get(f"/runs/{world.draft_run}"))
        assert again.find("table", id="move-table").text == doc_of(first).find("table", id="move-table").text

    def test_results_are_filtered_and_paged_on_the_server(
        self, login_as: Callable[[str], TestClient], world: World
    ) -> None:
        page = doc(login_as("leader").get(f"/runs/{world.final_run}?group=above&order=score&size=3"))
        rows = [tr for tr in page.find("table", id="result-table").find_all("tr") if "data-uscc" in tr.attrs]
        assert len(rows) == 3
        assert all(tr.find_all("td")[2].text == "规上" for tr in rows)

    def test_the_export_is_the_bureaus_workbook(
        self, login_as: Callable[[str], TestClient], world: World, db: Session
    ) -> None:
        response = login_as("leader").get(f"/runs/{world.final_run}/export.xlsx")
        assert response.status_code == 200
        book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
        assert book.sheet_names[:2] == ["评价结果", "汇总"]
        rows = book.get_sheet_by_name("评价结果").to_python()
        assert rows[0][:2] == ["统一社会信用代码", "企业名称"]
        assert len(rows) - 1 == runs.get_run(db, SYSTEM, world.final_run).result_count


def doc_of(markup: str):  # type: ignore[no-untyped-def]
    from web_html import parse

    return parse(markup)


def runs_compare(db: Session, run_id: int):  # type: ignore[no-untyped-def]
    from zonehero.features.runs import compare

    return compare.compare_with_previous_year(db, SYSTEM, run_id)


class TestPublishFlow:
    def test_publish_object_reject_and_finalise(
        self, login_as: Callable[[str], TestClient], world: World, db: Session, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        analyst, enterprise = login_as("analyst"), login_as("enterprise_a")
        assert enterprise.get(f"/enterprises/{world.uscc_a}?run_id={world.draft_run}").status_code == 404
        _publish(analyst, world.draft_run, days=5)
        run = runs.get_run(db, SYSTEM, world.draft_run)
        assert run.status == "notice" and run.notice_end == today() + timedelta(days=4)  # 5 days, both ends

        page = doc(enterprise.get(f"/enterprises/{world.uscc_a}"))
        assert page.find("div", id="result-card")
        assert page.find("form", id="objection-form")
        objection_id = _file_objection(enterprise, world.uscc_a, world.draft_run)

        run_page = doc(analyst.get(f"/runs/{world.draft_run}"))
        box = run_page.find("div", data_objection=str(objection_id))
        assert "用地面积应为 20 亩" in box.text and "土地证.pdf" in box.text
        assert "待处理" in box.text and "open" not in box.text  # the registry's label, not the code
        evidence = next(a for a in box.find_all("a") if "/evidence/" in a.attrs["href"])
        assert analyst.get(evidence.attrs["href"]).content == PDF
        assert login_as("enterprise_b").get(evidence.attrs["href"]).status_code == 404

        assert analyst.post(f"/runs/{world.draft_run}/finalize").status_code == 409  # objection open, period running
        reply = analyst.post(
            f"/runs/{world.draft_run}/objections/{objection_id}/reject", data={"answer": "用地面积以不动产登记为准"}
        )
        assert reply.status_code == 303
        answer = doc(enterprise.get(f"/enterprises/{world.uscc_a}")).find("div", data_objection=str(objection_id))
        assert answer.attrs["data-status"] == "rejected" and "以不动产登记为准" in answer.text
        assert "未采纳" in answer.text and "rejected" not in answer.text

        assert analyst.post(f"/runs/{world.draft_run}/finalize").status_code == 409  # period not over yet
        monkeypatch.setattr(publication, "today", lambda: today() + timedelta(days=6))
        assert analyst.post(f"/runs/{world.draft_run}/finalize").status_code == 303
        assert runs.get_run(db, SYSTEM, world.draft_run).status == "final"
        assert not doc(enterprise.get(f"/enterprises/{world.uscc_a}")).find_all("form", id="objection-form")

    def test_an_accepted_objection_makes_a_traced_draft(
        self, login_as: Callable[[str], TestClient], world: World, db: Session
    ) -> None:
        analyst, enterprise = login_as("analyst"), login_as("enterprise_a")
        _publish(analyst, world.draft_run)
        objection_id = _file_objection(enterprise, world.uscc_a, world.draft_run)
        response = analyst.post(
            f"/runs/{world.draft_run}/objections/{objection_id}/accept",
            data={"answer": "经核实予以更正", "field": ["land_area_mu", ""], "value": ["20", ""]},
        )
        assert response.status_code == 303
        new_run = int(response.headers["location"].rsplit("/", 1)[1])
        assert runs.get_run(db, SYSTEM, new_run).source_run_id == world.draft_run
        land = next(
            f for f in enterprises.enterprise_figures(db, SYSTEM, world.uscc_a, year=2024) if f.field == "land_area_mu"
        )
        assert land.value == 20.0 and land.objection_id == objection_id
        page = doc(enterprise.get(f"/enterprises/{world.uscc_a}"))
        row = page.find("table", data_year="2024").find("tr", data_field="land_area_mu")
        assert f"异议 #{objection_id}" in row.text
        assert f"#{new_run}" in page.find("div", data_objection=str(objection_id)).text
        answered = doc(analyst.get(f"/runs/{world.draft_run}")).find("div", data_objection=str(objection_id)).text
        assert "用地面积" in answered and "→ 20.00 亩" in answered and "land_area_mu" not in answered

    def test_a_leader_cannot_publish_and_an_enterprise_cannot_object_to_a_draft(
        self, login_as: Callable[[str], TestClient], world: World, db: Session
    ) -> None:
        assert login_as("leader").post(f"/runs/{world.draft_run}/publish", data={"period_days": "5"}).status_code == 403
        enterprise = login_as("enterprise_a")
        response = enterprise.post(
            f"/enterprises/{world.uscc_a}/objections", data={"run_id": str(world.draft_run), "text": "异议"}
        )
        assert response.status_code == 404
        assert runs.get_run(db, SYSTEM, world.draft_run).status == "draft"


class TestFinalizeButton:
    """定稿 is offered only when the service would accept it: the period over and every objection answered."""

    def _later(self, monkeypatch: pytest.MonkeyPatch, days: int) -> None:
        """Move the publication service's calendar ``days`` ahead (the page shows its gate)."""
        monkeypatch.setattr(publication, "today", lambda: today() + timedelta(days=days))

    def test_it_waits_for_the_end_of_the_notice_period(
        self, login_as: Callable[[str], TestClient], world: World, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        analyst = login_as("analyst")
        _publish(analyst, world.draft_run, days=5)
        page = doc(analyst.get(f"/runs/{world.draft_run}"))
        assert not page.find_all("form", id="finalize-form")
        waiting = page.find("div", id="finalize-waiting")
        opens_on = (today() + timedelta(days=5)).isoformat()
        assert waiting.attrs["data-opens-on"] == opens_on
        assert f"{opens_on} 起可定稿" in waiting.text
        assert "disabled" in waiting.find("button").attrs
        assert analyst.post(f"/runs/{world.draft_run}/finalize").status_code == 409  # the service refuses too

        self._later(monkeypatch, 4)  # the last (fifth) day of 公示: still not
        assert not doc(analyst.get(f"/runs/{world.draft_run}")).find_all("form", id="finalize-form")
        assert analyst.post(f"/runs/{world.draft_run}/finalize").status_code == 409

        self._later(monkeypatch, 6)
        page = doc(analyst.get(f"/runs/{world.draft_run}"))
        assert not page.find_all("div", id="finalize-waiting")
        assert page.find("form", id="finalize-form").attrs["action"] == f"/runs/{world.draft_run}/finalize"
        assert analyst.post(f"/runs/{world.draft_run}/finalize").status_code == 303

    def test_an_open_objection_keeps_it_disabled_after_the_period(
        self, login_as: Callable[[str], TestClient], world: World, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        analyst = login_as("analyst")
        _publish(analyst, world.draft_run, days=5)
        _file_objection(login_as("enterprise_a"), world.uscc_a, world.draft_run)
        self._later(monkeypatch, 6)
        page = doc(analyst.get(f"/runs/{world.draft_run}"))
        assert not page.find_all("form", id="finalize-form")
        waiting = page.find("div", id="finalize-waiting")
        assert "还有 1 件异议未处理" in waiting.text and "起可定稿" not in waiting.text
        assert analyst.post(f"/runs/{world.draft_run}/finalize").status_code == 409
