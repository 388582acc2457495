"""Objections that point at a figure (issue 13, part 7): the 公示 banner, the figure picker with evidence of a
checked type, the analyst's page with the company, the figure's source, the proposed value and the exact effect,
and the corrected draft compared with the run in 公示."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from web_client import doc
from web_personas import PASSWORD, World

from zonehero.errors import Conflict
from zonehero.features.decision import service as decision
from zonehero.features.objections import service as objections
from zonehero.features.roles import SYSTEM, Role
from zonehero.features.runs import service as runs
from zonehero.features.users import service as users

PDF = b"%PDF-1.4\n% evidence\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16
LAND = "land_area_mu"


def _publish(client: TestClient, run_id: int) -> None:
    response = client.post(f"/runs/{run_id}/publish", data={"period_days": "5"})
    assert response.status_code == 303, response.text


def _land(db: Session, world: World, uscc: str) -> float:
    frame, _ = runs.inputs_of(db, SYSTEM, world.draft_run)
    value = frame.filter(frame["uscc"] == uscc)[LAND].item()
    assert isinstance(value, float) and value > 3
    return value


def _form(run_id: int, text: str, figures: list[tuple[str, str, bool]]) -> dict[str, object]:
    """The objection form as the browser sends it: every row's field and value, the ticked rows' ``dispute``."""
    return {
        "run_id": str(run_id),
        "text": text,
        "row_field": [f for f, _, _ in figures],
        "proposed": [v for _, v, _ in figures],
        "dispute": [f for f, _, ticked in figures if ticked],
    }


def _file_land(client: TestClient, world: World, uscc: str, proposed: str) -> int:
    response = client.post(
        f"/enterprises/{uscc}/objections",
        data=_form(world.draft_run, "部分用地已交还园区", [(LAND, proposed, True), ("tax", "", False)]),
        files=[("files", ("土地证.pdf", PDF, "application/pdf"))],
    )
    assert response.status_code == 303, response.text
    page = doc(client.get(f"/enterprises/{uscc}?run_id={world.draft_run}"))
    return int(page.find("div", cls="objection").attrs["data-objection"])


@pytest.fixture
def scored(db: Session, world: World, login_as: Callable[[str], TestClient]) -> tuple[TestClient, str]:
    """An account (``enterprise_c``) of an evaluated enterprise of the draft with more than 3 亩, and its USCC."""
    frame, _ = runs.inputs_of(db, SYSTEM, world.draft_run)
    results = runs.list_results(db, SYSTEM, world.draft_run, status="evaluated", order="uscc", limit=100).items
    land = dict(zip(frame["uscc"].to_list(), frame[LAND].to_list(), strict=True))
    uscc = next(r.uscc for r in results if (land.get(r.uscc) or 0) > 3 and r.uscc not in (world.uscc_a, world.uscc_b))
    users.create_user(db, SYSTEM, "enterprise_c", PASSWORD, Role.ENTERPRISE, enterprise_uscc=uscc)
    return login_as("enterprise_c"), uscc


@pytest.fixture
def in_notice(login_as: Callable[[str], TestClient], world: World) -> TestClient:
    """The analyst, after publishing the world's draft for 公示."""
    analyst = login_as("analyst")
    _publish(analyst, world.draft_run)
    return analyst


class TestEnterpriseSide:
    def test_the_banner_leads_to_the_form_with_the_run_figures_and_a_filtered_picker(
        self, in_notice: TestClient, login_as: Callable[[str], TestClient], world: World, db: Session
    ) -> None:
        enterprise = login_as("enterprise_a")
        page = doc(enterprise.get(f"/enterprises/{world.uscc_a}"))
        banner = page.find("div", id="notice-banner")
        run = runs.get_run(db, SYSTEM, world.draft_run)
        assert str(run.notice_end) in banner.text and "正在公示" in banner.text
        assert banner.find("a", id="notice-banner-link").attrs["href"].endswith("#objection-form")
        form = page.find("form", id="objection-form")
        rows = form.find("table", id="dispute-table").find_all("tr", data_field=LAND)
        assert len(rows) == 1 and "亩" in rows[0].text
        first = form.find("table", id="dispute-table").find("tbody").find_all("tr")[0]
        assert first.attrs["data-field"] == LAND  # the most disputed figure first
        assert rows[0].find_all("td")[3].text not in ("", "—")  # its source as the run kept it
        picker = form.find("input", id="o-files")
        assert set(picker.attrs["accept"].split(",")) == {
            ".pdf",
            ".png",
            ".jpg",
            ".jpeg",
            "application/pdf",
            "image/png",
            "image/jpeg",
        }

    def test_a_disputed_figure_is_kept_with_its_current_and_proposed_value(
        self, in_notice: TestClient, scored: tuple[TestClient, str], world: World, db: Session
    ) -> None:
        enterprise, uscc = scored
        current = _land(db, world, uscc)
        objection_id = _file_land(enterprise, world, uscc, "2")
        filed = objections.get_objection(db, SYSTEM, objection_id)
        assert filed.disputed is not None
        assert [(d.field, d.current, d.proposed) for d in filed.disputed] == [(LAND, current, 2.0)]
        page = doc(enterprise.get(f"/enterprises/{uscc}"))
        listed = page.find("div", data_objection=str(objection_id)).find("li", data_field=LAND)
        assert "用地面积" in listed.text and "2.00 亩" in listed.text
        banner = page.find("div", id="notice-banner")
        assert "等待答复" in banner.text and not page.find_all("form", id="objection-form")

    def test_a_ticked_figure_needs_a_value_and_an_unknown_one_is_refused(
        self, in_notice: TestClient, login_as: Callable[[str], TestClient], world: World, db: Session
    ) -> None:
        enterprise = login_as("enterprise_a")
        for figures, message in (
            ([(LAND, "", True)], "用地面积"),
            ([("no_such_figure", "3", True)], "no_such_figure"),
            ([(LAND, "很多", True)], "用地面积"),
        ):
            response = enterprise.post(
                f"/enterprises/{world.uscc_a}/objections", data=_form(world.draft_run, "有误", figures)
            )
            assert response.status_code == 422 and message in response.text, response.text
        assert objections.list_objections(db, SYSTEM, run_id=world.draft_run) == []

    @pytest.mark.parametrize(
        ("name", "data"),
        [
            ("说明.docx", b"PK\x03\x04 a word file"),
            ("土地证.pdf", b"PK\x03\x04 a zip renamed"),
            ("照片.png", b"MZ\x90\x00 an executable"),
            ("照片.jpg", PNG),
        ],
    )
    def test_evidence_other_than_pdf_jpeg_png_is_refused_by_its_content(
        self,
        in_notice: TestClient,
        login_as: Callable[[str], TestClient],
        world: World,
        db: Session,
        name: str,
        data: bytes,
    ) -> None:
        enterprise = login_as("enterprise_a")
        response = enterprise.post(
            f"/enterprises/{world.uscc_a}/objections",
            data=_form(world.draft_run, "有误", [(LAND, "2", True)]),
            files=[("files", (name, data, "application/pdf"))],
        )
        assert response.status_code == 422 and name in response.text
        assert "PDF、JPEG 或 PNG" in response.text
        assert objections.list_objections(db, SYSTEM, run_id=world.draft_run) == []

    def test_a_png_photo_is_accepted(
        self, in_notice: TestClient, login_as: Callable[[str], TestClient], world: World, db: Session
    ) -> None:
        enterprise = login_as("enterprise_a")
        response = enterprise.post(
            f"/enterprises/{world.uscc_a}/objections",
            data=_form(world.draft_run, "有误", [(LAND, "2", True)]),
            files=[("files", ("照片.png", PNG, "image/png"))],
        )
        assert response.status_code == 303, response.text
        [filed] = objections.list_objections(db, SYSTEM, run_id=world.draft_run)
        assert [f.content_type for f in filed.files] == ["image/png"]

    def test_an_enterprise_sees_only_its_own(
        self, in_notice: TestClient, login_as: Callable[[str], TestClient], world: World
    ) -> None:
        objection_id = _file_land(login_as("enterprise_a"), world, world.uscc_a, "2")
        other = login_as("enterprise_b")
        assert other.get(f"/runs/{world.draft_run}/objections/{objection_id}").status_code == 404
        page = doc(other.get(f"/enterprises/{world.uscc_b}"))
        assert not page.find_all("div", data_objection=str(objection_id))
        assert other.get(f"/enterprises/{world.uscc_a}").status_code == 404
        response = other.post(
            f"/enterprises/{world.uscc_a}/objections", data=_form(world.draft_run, "有误", [(LAND, "2", True)])
        )
        assert response.status_code == 404
        # And its own figure list is its own enterprise's.
        form = page.find("form", id="objection-form")
        assert form.attrs["action"] == f"/enterprises/{world.uscc_b}/objections"

    def test_no_banner_outside_the_notice(self, login_as: Callable[[str], TestClient], world: World) -> None:
        page = doc(login_as("enterprise_a").get(f"/enterprises/{world.uscc_a}"))
        assert not page.find_all("div", id="notice-banner")


class TestAnalystSide:
    def test_the_page_shows_company_figure_source_proposal_and_exact_effect(
        self, in_notice: TestClient, scored: tuple[TestClient, str], world: World, db: Session
    ) -> None:
        enterprise, uscc = scored
        objection_id = _file_land(enterprise, world, uscc, "2")
        run_page = doc(in_notice.get(f"/runs/{world.draft_run}"))
        box = run_page.find("div", data_objection=str(objection_id))
        name = runs.get_result(db, SYSTEM, world.draft_run, uscc).name
        assert name and name in box.text
        link = box.find("a", cls="objection-link").attrs["href"]
        assert link == f"/runs/{world.draft_run}/objections/{objection_id}"

        page = doc(in_notice.get(link))
        assert name in page.find("h1").text
        disputed = page.find("table", id="disputed-table").find("tr", data_field=LAND)
        assert "2.00 亩" in disputed.find("td", cls="disputed-proposed").text
        source = disputed.find("td", cls="disputed-source").text
        # file, row and column kept with the run; or, for land derived from parcels (the demo's draft year), the
        # registers and the derivation the run kept
        assert ("第" in source and "行" in source) or ("宗地与租赁登记" in source and "用地面积认定" in source)
        effect = page.find("p", id="effect-summary")
        before = runs.get_result(db, SYSTEM, world.draft_run, uscc)
        assert effect.attrs["data-class-before"] == (before.class_ or "")
        assert float(effect.attrs["data-total-before"]) == before.total_score
        predicted = (effect.attrs["data-class-after"], float(effect.attrs["data-total-after"]))
        assert predicted[1] > (before.total_score or 0)  # less land, more 亩均
        # The accept form is prefilled with the proposed value and shows the current one.
        accept = page.find("form", id="accept-form")
        row = accept.find("tr", data_field=LAND)
        assert row.find("input", name="value").attrs["value"] == "2"
        assert "亩" in row.find("td", cls="accept-current").text

        response = in_notice.post(
            f"/runs/{world.draft_run}/objections/{objection_id}/accept",
            data={"answer": "经核实予以更正", "field": [LAND], "value": ["2"]},
        )
        assert response.status_code == 303
        corrected = int(response.headers["location"].rsplit("/", 1)[1])
        after = runs.get_result(db, SYSTEM, corrected, uscc)
        assert (after.class_ or "", after.total_score) == predicted  # the effect shown was exact

        draft = doc(in_notice.get(f"/runs/{corrected}"))
        comparison = draft.find("div", id="correction-comparison")
        assert comparison.attrs["data-base-run"] == str(world.draft_run)
        own = comparison.find("tr", data_uscc=uscc)
        assert own is not None and name in own.text
        origin = comparison.find("p", cls="correction-origin")
        assert origin.attrs["data-uscc"] == uscc and origin.attrs["data-objection"] == str(objection_id)
        assert float(origin.attrs["data-total-after"]) == predicted[1] and "用地面积" in origin.text
        assert int(draft.find("strong", id="correction-score-changed").text.replace(",", "")) >= 1

    def test_other_values_can_be_tried_before_deciding(
        self, in_notice: TestClient, scored: tuple[TestClient, str], world: World, db: Session
    ) -> None:
        enterprise, uscc = scored
        objection_id = _file_land(enterprise, world, uscc, "2")
        current = _land(db, world, uscc)
        page = doc(
            in_notice.get(
                f"/runs/{world.draft_run}/objections/{objection_id}", params={"field": [LAND], "value": ["3"]}
            )
        )
        accept = page.find("form", id="accept-form")
        assert accept.find("tr", data_field=LAND).find("input", name="value").attrs["value"] == "3"
        assert float(page.find("p", id="effect-summary").attrs["data-total-after"]) > 0
        same = doc(
            in_notice.get(
                f"/runs/{world.draft_run}/objections/{objection_id}",
                params={"field": [LAND], "value": [repr(current)]},
            )
        )
        summary = same.find("p", id="effect-summary")
        assert summary.attrs["data-total-after"] == summary.attrs["data-total-before"]
        bad = doc(
            in_notice.get(
                f"/runs/{world.draft_run}/objections/{objection_id}", params={"field": [LAND], "value": ["-1"]}
            )
        )
        assert bad.find("div", id="effect-problem") and not bad.find_all("form", id="accept-form")

    def test_a_free_text_objection_is_answered_after_a_trial(
        self, in_notice: TestClient, login_as: Callable[[str], TestClient], world: World
    ) -> None:
        enterprise = login_as("enterprise_a")
        response = enterprise.post(
            f"/enterprises/{world.uscc_a}/objections", data={"run_id": str(world.draft_run), "text": "用地面积有误"}
        )
        assert response.status_code == 303
        objection_id = int(
            doc(enterprise.get(f"/enterprises/{world.uscc_a}")).find("div", cls="objection").attrs["data-objection"]
        )
        page = doc(in_notice.get(f"/runs/{world.draft_run}/objections/{objection_id}"))
        assert page.find("p", id="free-text-note") and page.find("p", id="effect-none")
        assert not page.find_all("form", id="accept-form") and page.find("form", id="reject-form")

    def test_a_leader_reads_the_effect_but_answers_nothing(
        self, in_notice: TestClient, login_as: Callable[[str], TestClient], world: World
    ) -> None:
        objection_id = _file_land(login_as("enterprise_a"), world, world.uscc_a, "2")
        page = doc(login_as("leader").get(f"/runs/{world.draft_run}/objections/{objection_id}"))
        assert page.find("p", id="effect-summary")
        assert not page.find_all("div", id="answer-forms")

    def test_an_objection_of_another_run_is_not_found(
        self, in_notice: TestClient, login_as: Callable[[str], TestClient], world: World
    ) -> None:
        objection_id = _file_land(login_as("enterprise_a"), world, world.uscc_a, "2")
        assert in_notice.get(f"/runs/{world.final_run}/objections/{objection_id}").status_code == 404

    def test_a_run_that_cannot_be_reproduced_can_still_be_answered(
        self,
        in_notice: TestClient,
        scored: tuple[TestClient, str],
        world: World,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        """A run kept before its inputs were (migration 0004), its year's figures changed since: no effect, said so."""
        enterprise, uscc = scored
        objection_id = _file_land(enterprise, world, uscc, "2")

        def unreproducible(*_args: object, **_kwargs: object) -> None:
            raise Conflict("评价批次生成后企业数据已有更正，无法按原数据重现")

        monkeypatch.setattr(decision, "correction_effect", unreproducible)
        page = doc(in_notice.get(f"/runs/{world.draft_run}/objections/{objection_id}"))
        assert "无法按原数据重现" in page.find("div", id="effect-problem").text
        accept = page.find("form", id="accept-form")
        assert accept.find("tr", data_field=LAND).find("input", name="value").attrs["value"] == "2"
