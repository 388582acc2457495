"""评价方案: view a version, edit with validation (problems named by key), version history with a diff."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from web_client import doc

from zonehero.features.roles import SYSTEM
from zonehero.features.schemes import service as schemes


def _latest(db: Session) -> tuple[int, int, str]:
    scheme = schemes.list_schemes(db, SYSTEM)[0]
    version = schemes.get_version(db, SYSTEM, scheme.versions[-1].id)
    return scheme.id, version.id, version.text


class TestSchemePages:
    def test_a_version_shows_its_weights_and_full_text(
        self, login_as: Callable[[str], TestClient], db: Session
    ) -> None:
        _, version_id, text = _latest(db)
        page = doc(login_as("leader").get(f"/schemes/versions/{version_id}"))
        above = page.find("table", data_group="above")
        assert "亩均税收" in above.text
        assert page.find("pre", id="scheme-text").text.split() == text.split()
        assert not [a for a in page.find_all("a") if "/edit" in a.attrs.get("href", "")]

    def test_an_invalid_scheme_is_refused_with_every_problem_by_key(
        self, login_as: Callable[[str], TestClient], db: Session
    ) -> None:
        scheme_id, _, text = _latest(db)
        before = len(schemes.list_schemes(db, SYSTEM)[0].versions)
        broken = text.replace("cap = 2.0", 'cap = "two"', 1)
        assert broken != text
        response = login_as("analyst").post(f"/schemes/{scheme_id}/versions", data={"text": broken, "note": "坏的"})
        assert response.status_code == 422
        page = doc(response)
        keys = [code.text for code in page.find("div", id="scheme-problems").find_all("code", cls="problem-key")]
        assert "scoring.cap" in keys
        assert page.find("textarea", id="s-text").text.split() == broken.split()
        assert len(schemes.list_schemes(db, SYSTEM)[0].versions) == before

    def test_saving_makes_a_new_version_with_a_diff(self, login_as: Callable[[str], TestClient], db: Session) -> None:
        scheme_id, old_id, text = _latest(db)
        changed = text.replace("cap = 2.0", "cap = 1.5", 1)
        client = login_as("analyst")
        response = client.post(f"/schemes/{scheme_id}/versions", data={"text": changed, "note": "封顶改为 1.5"})
        assert response.status_code == 303
        new_id = int(response.headers["location"].rsplit("/", 1)[1])
        assert schemes.get_version(db, SYSTEM, new_id).text == changed
        diff = doc(client.get(f"/schemes/versions/{new_id}?against={old_id}")).find("pre", id="scheme-diff")
        added = [s.text for s in diff.find_all("span", cls="diff-add")]
        removed = [s.text for s in diff.find_all("span", cls="diff-del")]
        assert any("cap = 1.5" in line for line in added) and any("cap = 2.0" in line for line in removed)
        listing = doc(client.get("/schemes"))
        assert listing.find("tr", data_version=str(new_id))
        assert client.post(f"/schemes/{scheme_id}/versions", data={"text": changed}).status_code == 409

    def test_the_editor_is_for_the_analyst(self, login_as: Callable[[str], TestClient], db: Session) -> None:
        scheme_id, _, text = _latest(db)
        page = doc(login_as("analyst").get(f"/schemes/{scheme_id}/edit?view=toml"))
        assert page.find("textarea", id="s-text").text.split() == text.split()
        assert doc(login_as("analyst").get(f"/schemes/{scheme_id}/edit")).find("form", id="scheme-form")
        assert login_as("leader").get(f"/schemes/{scheme_id}/edit").status_code == 403
