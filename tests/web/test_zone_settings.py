"""园区概况: the system administrator sets the zone's name, chains and 公示 rule; pages and documents follow it."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader
from sqlalchemy import select
from sqlalchemy.orm import Session
from web_client import doc
from web_personas import World

from zonehero import clock
from zonehero.core.zone import default_calendar
from zonehero.features.audit.models import AuditEntry
from zonehero.features.roles import SYSTEM
from zonehero.features.runs import service as runs
from zonehero.reports.pdf.styles import chinese_date

FORM = {
    "name": "赣江新区经济技术开发区",
    "timezone": "Asia/Shanghai",
    "industry_chains": "新能源\n低空经济\n新材料",
    "notice_period": "7",
    "notice_working_days": "true",
}


def pdf_text(data: bytes) -> str:
    """Extracted text without whitespace (wrapped lines would split phrases otherwise)."""
    return "".join("".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def year_without_calendar() -> Iterator[None]:
    """A day in 2031, a year whose holidays the shipped calendar does not have."""
    before = clock.current()
    clock.use(clock.FixedClock(datetime(2031, 3, 3, 2, 0, tzinfo=UTC)))
    yield
    clock.use(before)


class TestZoneSettings:
    def test_the_form_shows_the_built_in_profile_first(self, login_as: Callable[[str], TestClient]) -> None:
        page = doc(login_as("sysadmin").get("/admin/zone"))
        form = page.find("form", id="zone-form")
        assert form.find("input", id="z-name").attrs["value"] == "示范经济技术开发区"
        assert "新能源" in form.find("textarea", id="z-chains").text

    def test_a_save_changes_the_profile_and_is_audited(
        self, login_as: Callable[[str], TestClient], db: Session
    ) -> None:
        admin = login_as("sysadmin")
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
        admin = login_as("sysadmin")
        answer = admin.post("/admin/zone", data={**FORM, "timezone": "Mars/Olympus"})
        assert answer.status_code == 422
        assert "未知的时区「Mars/Olympus」" in doc(answer).find("div", id="zone-problems").text
        assert doc(admin.get("/admin/zone")).find("input", id="z-name").attrs["value"] == "示范经济技术开发区"

    def test_the_publish_form_states_the_zones_rule(self, login_as: Callable[[str], TestClient], world: object) -> None:
        login_as("sysadmin").post("/admin/zone", data=FORM)
        page = doc(login_as("analyst").get(f"/runs/{world.draft_run}"))  # type: ignore[attr-defined]
        form = page.find("form", id="publish-form")
        assert "公示期（个工作日）" in form.text
        assert form.find("input", id="p-days").attrs["value"] == "7"

    @pytest.mark.parametrize(
        ("field", "value", "message"),
        [
            ("notice_period", "0", "公示期应为 1–60 的整数"),
            ("notice_period", "七", "公示期应为 1–60 的整数"),
            ("notice_period", "61", "公示期应为 1–60 的整数"),
            ("name", "园" * 101, "园区名称应为 1–100 个字符"),
            ("name", "   ", "园区名称应为 1–100 个字符"),
            ("industry_chains", "链" * 65, "产业链名称不能超过 64 个字符"),
        ],
    )
    def test_each_bad_value_is_answered_in_chinese_beside_the_form(
        self, login_as: Callable[[str], TestClient], field: str, value: str, message: str
    ) -> None:
        answer = login_as("sysadmin").post("/admin/zone", data={**FORM, field: value})
        assert answer.status_code == 422
        page = doc(answer)
        assert message in page.find("div", id="zone-problems").text
        assert page.find("form", id="zone-form").find("input", id="z-tz").attrs["value"] == FORM["timezone"]

    def test_a_missing_calendar_year_is_pointed_out_where_the_rule_is_set_and_used(
        self, login_as: Callable[[str], TestClient], world: World, year_without_calendar: None
    ) -> None:
        admin = login_as("sysadmin")
        admin.post("/admin/zone", data=FORM)
        assert "2031" in doc(admin.get("/admin/zone")).find("div", id="calendar-warning").text
        on_run = doc(login_as("analyst").get(f"/runs/{world.draft_run}")).find("div", id="calendar-warning")
        assert "2031" in on_run.text
        admin.post("/admin/zone", data={**FORM, "notice_working_days": "false"})
        assert doc(admin.get("/admin/zone")).find_all("div", id="calendar-warning") == []


class TestOneNoticeRule:
    """Defect: the app said 「5 天」 while the PDFs counted Monday to Friday (「4 个工作日」)."""

    def test_the_run_page_the_notice_and_the_public_list_state_the_same_period(
        self, login_as: Callable[[str], TestClient], world: World, db: Session
    ) -> None:
        login_as("sysadmin").post("/admin/zone", data=FORM)  # 7 working days
        analyst = login_as("analyst")
        assert analyst.post(f"/runs/{world.draft_run}/publish", data={"period_days": "7"}).status_code == 303
        run = runs.get_run(db, SYSTEM, world.draft_run)
        assert run.notice_start is not None and run.notice_end is not None
        start, end = run.notice_start, run.notice_end
        calendar = default_calendar()
        assert calendar.working_days_between(start, end) == 7 and calendar.is_working_day(end)

        meta = " ".join(doc(analyst.get(f"/runs/{world.draft_run}")).find("p", id="run-meta").text.split())
        assert f"公示期 7 个工作日（{start.isoformat()} 至 {end.isoformat()}）" in meta
        notice = pdf_text(analyst.get(f"/runs/{world.draft_run}/notices/{world.uscc_a}.pdf").content)
        assert f"7个工作日内（即{chinese_date(end)}前）" in notice
        listed = pdf_text(analyst.get(f"/runs/{world.draft_run}/public-list.pdf").content)
        assert f"公示期为{chinese_date(start)}至{chinese_date(end)}（7个工作日）" in listed
