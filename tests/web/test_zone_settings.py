"""园区概况: the administrator sets the zone's name, chains and 公示 rule; pages and documents follow it."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from web_client import doc

from zonehero.features.audit.models import AuditEntry

FORM = {
    "name": "赣江新区经济技术开发区",
    "timezone": "Asia/Shanghai",
    "industry_chains": "新能源\n低空经济\n新材料",
    "notice_period": "7",
    "notice_working_days": "true",
}


class TestZoneSettings:
    def test_the_form_shows_the_built_in_profile_first(self, login_as: Callable[[str], TestClient]) -> None:
        page = doc(login_as("admin").get("/admin/zone"))
        form = page.find("form", id="zone-form")
        assert form.find("input", id="z-name").attrs["value"] == "示范经济技术开发区"
        assert "新能源" in form.find("textarea", id="z-chains").text

    def test_a_save_changes_the_profile_and_is_audited(
        self, login_as: Callable[[str], TestClient], db: Session
    ) -> None:
        admin = login_as("admin")
        assert admin.post("/admin/zone", data=FORM).status_code == 303
        page = doc(admin.get("/admin/zone"))
        assert page.find("input", id="z-name").attrs["value"] == FORM["name"]
        assert page.find("textarea", id="z-chains").text.split() == ["新能源", "低空经济", "新材料"]
        assert "checked" in page.find("input", id="z-working").attrs
        entry = db.scalars(select(AuditEntry).where(AuditEntry.action == "zone.update")).one()
        assert entry.after["notice_period"] == 7 and entry.before["notice_period"] == 5

    def test_bad_values_come_back_beside_the_form_and_nothing_is_saved(
        self, login_as: Callable[[str], TestClient]
    ) -> None:
        admin = login_as("admin")
        answer = admin.post("/admin/zone", data={**FORM, "timezone": "Mars/Olympus"})
        assert answer.status_code == 422
        assert "未知的时区「Mars/Olympus」" in doc(answer).find("div", id="zone-problems").text
        assert doc(admin.get("/admin/zone")).find("input", id="z-name").attrs["value"] == "示范经济技术开发区"

    def test_the_publish_form_states_the_zones_rule(self, login_as: Callable[[str], TestClient], world: object) -> None:
        admin = login_as("admin")
        admin.post("/admin/zone", data=FORM)
        page = doc(admin.get(f"/runs/{world.draft_run}"))  # type: ignore[attr-defined]
        form = page.find("form", id="publish-form")
        assert "公示期（个工作日）" in form.text
        assert form.find("input", id="p-days").attrs["value"] == "7"
