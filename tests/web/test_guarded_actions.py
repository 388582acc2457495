"""Issue 13 part 5: irreversible actions ask first, refused ones are disabled with the reason, refusals say what to do.

The confirm dialog itself (that it blocks until confirmed) is driven in Chromium by
tests/e2e/test_confirm_dialog.py; here the server side: which buttons carry a dialog, the 发布公示 gate the
service decides and the page shows, and the refusal pages.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from web_client import doc
from web_html import Element
from web_personas import World

from zonehero.errors import Conflict, NotFound, PermissionDenied
from zonehero.features.publication import service as publication
from zonehero.features.roles import SYSTEM
from zonehero.features.runs import service as runs

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "zonehero" / "edges" / "web" / "templates"
IRREVERSIBLE = ("删除", "发布公示", "定稿", "放弃", "停用", "结束", "关账", "采纳")
"""Words of a button label that make an action irreversible: such a button must go through ``confirm_button``."""
STATUS_CODE = re.compile(r"(?<![\d#.])(400|401|403|404|405|409|413|422|423|429|500)(?![\d.])")


def _new_draft(client: TestClient, year: int = 2024) -> int:
    version = doc(client.get("/runs")).find("select", id="r-scheme").find_all("option")[0].attrs["value"]
    response = client.post("/runs", data={"year": str(year), "scheme_version_id": version})
    assert response.status_code == 303, response.text
    return int(response.headers["location"].rsplit("/", 1)[1])


def _publish(client: TestClient, run_id: int) -> None:
    response = client.post(f"/runs/{run_id}/publish", data={"period_days": "5"})
    assert response.status_code == 303, response.text


def _dialog_of(page: Element, label: str) -> Element:
    """The confirm dialog of the one submit button labelled ``label`` (which must have one)."""
    buttons = [b for b in page.find_all("button") if b.text == label and b.attrs.get("type") == "submit"]
    assert len(buttons) == 1, f"{label}: {len(buttons)} submit buttons"
    assert "data-confirm" in buttons[0].attrs, f"{label} posts without asking first"
    return page.find("dialog", id=buttons[0].attrs["data-confirm"])


def _visible_text(page: Element) -> str:
    """What a reader sees: the body's text without scripts (the title bar included)."""
    title = page.find("title").text
    return title + " " + page.find("main").text


class TestConfirmDialogs:
    def test_no_template_posts_an_irreversible_action_without_the_confirm_macro(self) -> None:
        """One place for the rule: a plain submit button with an irreversible label is a missing confirmation."""
        plain = re.compile(r"<button[^>]*type=\"submit\"[^>]*>([^<{]*)</button>")
        offenders = []
        for template in TEMPLATES.rglob("*.html"):
            for label in plain.findall(template.read_text(encoding="utf-8")):
                if any(word in label for word in IRREVERSIBLE):
                    offenders.append(f"{template.relative_to(TEMPLATES)}: {label.strip()}")
        assert offenders == []

    def test_the_draft_actions_name_what_happens_and_what_cannot_be_undone(
        self, login_as: Callable[[str], TestClient], world: World
    ) -> None:
        page = doc(login_as("analyst").get(f"/runs/{world.draft_run}"))
        delete = _dialog_of(page, "删除草稿")
        assert f"#{world.draft_run}" in delete.text and "不可撤销" in delete.text and "无法恢复" in delete.text
        assert delete.find("button", data_confirm_cancel="").text == "取消"
        assert delete.find("button", data_confirm_accept="").text == "确认删除草稿"
        publish = _dialog_of(page, "发布公示")
        assert "冻结" in publish.text and "不可撤销" in publish.text
        # The dialogs sit inside their forms: without JS the button still posts the form it belongs to.
        assert page.find("form", id="delete-form").find("dialog", id=delete.attrs["id"])

    def test_finalize_and_answers_to_objections_ask_first(
        self, login_as: Callable[[str], TestClient], world: World
    ) -> None:
        analyst = login_as("analyst")
        _publish(analyst, world.draft_run)
        enterprise = login_as("enterprise_a")
        response = enterprise.post(
            f"/enterprises/{world.uscc_a}/objections", data={"run_id": str(world.draft_run), "text": "用地面积有误"}
        )
        assert response.status_code == 303
        box = doc(analyst.get(f"/runs/{world.draft_run}")).find("div", cls="objection")
        answer = box.find("a", cls="objection-answer-link").attrs["href"]
        assert not box.find_all("form")  # answered on the objection's own page, after seeing the effect
        page = doc(analyst.get(answer))
        assert "不能重新打开" in _dialog_of(page, "不予采纳").text
        # A free-text objection: 采纳 is offered once a correction has been tried (its effect shown).
        refused = page.find("div", id="answer-forms").find("span", cls="refused-action")
        assert "试算" in refused.text and not page.find_all("form", id="accept-form")
        tried = doc(analyst.get(answer, params={"field": ["land_area_mu"], "value": ["8"]}))
        assert "新的评价草稿" in _dialog_of(tried.find("form", id="accept-form"), "采纳").text

    def test_the_admin_pages_ask_before_deactivating_an_account(self, login_as: Callable[[str], TestClient]) -> None:
        page = doc(login_as("sysadmin").get("/admin/users"))
        dialogs = [d for d in page.find_all("dialog") if d.attrs["id"].startswith("confirm-deactivate-")]
        assert dialogs and all("不能再登录" in d.text for d in dialogs)


class TestPublishGate:
    """发布公示 while another run of the year is under 公示: disabled with what to do, and refused the same way."""

    def test_a_second_draft_of_the_year_waits_for_the_run_in_notice(
        self, login_as: Callable[[str], TestClient], world: World, db: Session
    ) -> None:
        analyst = login_as("analyst")
        second = _new_draft(analyst)
        _publish(analyst, world.draft_run)

        gate = publication.publish_gate(db, SYSTEM, second)
        assert gate is not None and not gate.ready and gate.current_run_id == world.draft_run
        page = doc(analyst.get(f"/runs/{second}"))
        assert not page.find_all("form", id="publish-form")
        refused = page.find("div", id="publish-refused")
        button = refused.find("button")
        assert "disabled" in button.attrs and button.text == "发布公示"
        reason = refused.find(id=button.attrs["aria-describedby"]).text
        assert reason == gate.reason
        assert f"#{world.draft_run}" in reason and "定稿后再发布" in reason and "更正草稿" in reason
        assert page.find("form", id="delete-form")  # a waiting draft can still be thrown away

        # The service refuses with the same words, on a page that says what to do next and links back.
        refusal = analyst.post(
            f"/runs/{second}/publish",
            data={"period_days": "5"},
            headers={"referer": f"http://testserver/runs/{second}"},
        )
        assert refusal.status_code == 409
        card = doc(refusal).find(cls="error-card")
        assert card.find(cls="error-message").text == reason
        assert "刷新" in card.find(cls="error-advice").text
        assert card.find("a", cls="error-back").attrs["href"] == f"/runs/{second}"
        assert runs.get_run(db, SYSTEM, second).status == "draft"

    def test_a_correction_waits_for_the_other_objections(
        self, login_as: Callable[[str], TestClient], world: World
    ) -> None:
        analyst = login_as("analyst")
        _publish(analyst, world.draft_run)
        ids = []
        for persona, uscc in (("enterprise_a", world.uscc_a), ("enterprise_b", world.uscc_b)):
            client = login_as(persona)
            response = client.post(
                f"/enterprises/{uscc}/objections", data={"run_id": str(world.draft_run), "text": "数据有误"}
            )
            assert response.status_code == 303
            box = doc(client.get(f"/enterprises/{uscc}?run_id={world.draft_run}")).find("div", cls="objection")
            ids.append(int(box.attrs["data-objection"]))
        accepted = analyst.post(
            f"/runs/{world.draft_run}/objections/{ids[0]}/accept",
            data={"answer": "予以更正", "field": ["land_area_mu"], "value": ["20"]},
        )
        assert accepted.status_code == 303
        correction = int(accepted.headers["location"].rsplit("/", 1)[1])

        refused = doc(analyst.get(f"/runs/{correction}")).find("div", id="publish-refused")
        assert "还有 1 件异议未处理" in refused.text and f"#{world.draft_run}" in refused.text

        rejected = analyst.post(f"/runs/{world.draft_run}/objections/{ids[1]}/reject", data={"answer": "不予采纳"})
        assert rejected.status_code == 303
        page = doc(analyst.get(f"/runs/{correction}"))
        assert not page.find_all("div", id="publish-refused")
        assert page.find("form", id="publish-form")
        _publish(analyst, correction)


class TestRefusalPages:
    def _raising(self, client: TestClient, path: str, exc: Exception) -> None:
        def endpoint() -> None:
            raise exc

        client.app.add_api_route(path, endpoint)  # type: ignore[attr-defined]
        client.app.add_api_route("/api" + path, endpoint)  # type: ignore[attr-defined]

    def test_each_refusal_says_what_to_do_without_a_bare_status_code(
        self, login_as: Callable[[str], TestClient]
    ) -> None:
        client = login_as("analyst")
        cases = {
            "/conflict": (Conflict("该批次已定稿"), 409, "刷新"),
            "/denied": (PermissionDenied("只有分析员可以发布"), 403, "管理员"),
            "/missing": (NotFound("评价批次不存在"), 404, "导航"),
        }
        for path, (exc, status, advice) in cases.items():
            self._raising(client, path, exc)
            response = client.get(path, headers={"referer": "http://testserver/runs?year=2024"})
            assert response.status_code == status
            page = doc(response)
            card = page.find(cls="error-card")
            assert card.attrs["data-status"] == str(status)
            assert advice in card.find(cls="error-advice").text
            assert card.find("a", cls="error-back").attrs["href"] == "/runs?year=2024"
            assert not STATUS_CODE.search(_visible_text(page)), _visible_text(page)

    def test_invalid_input_says_what_to_do(self, login_as: Callable[[str], TestClient], world: World) -> None:
        response = login_as("analyst").post(f"/runs/{world.draft_run}/publish", data={"period_days": "0"})
        assert response.status_code == 422
        page = doc(response)
        assert "修改后重新提交" in page.find(cls="error-advice").text
        assert not STATUS_CODE.search(_visible_text(page))

    def test_an_unknown_page_and_an_outside_referer(self, login_as: Callable[[str], TestClient]) -> None:
        response = login_as("analyst").get("/no-such-page", headers={"referer": "https://elsewhere.example/x"})
        assert response.status_code == 404
        card = doc(response).find(cls="error-card")
        assert not card.find_all("a", cls="error-back")  # never a link off the site
        assert "导航" in card.find(cls="error-advice").text

    def test_htmx_gets_a_toast_with_the_advice_and_the_api_keeps_json(
        self, login_as: Callable[[str], TestClient]
    ) -> None:
        client = login_as("analyst")
        self._raising(client, "/conflict", Conflict("该批次已定稿"))
        toast = client.get("/conflict", headers={"HX-Request": "true"})
        assert toast.status_code == 409 and toast.headers["HX-Retarget"] == "#toasts"
        assert "刷新" in doc(toast).find(cls="toast-advice").text
        api = client.get("/api/conflict")
        assert api.json() == {"error": {"status": 409, "title": "操作冲突", "message": "该批次已定稿"}}

    def test_a_leader_refused_an_action_is_told_whom_to_ask(
        self, login_as: Callable[[str], TestClient], world: World
    ) -> None:
        response = login_as("leader").post(f"/runs/{world.draft_run}/publish", data={"period_days": "5"})
        assert response.status_code == 403
        assert "管理员" in doc(response).find(cls="error-advice").text
