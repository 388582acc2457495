"""审计日志: the page speaks Chinese, filters by person, action and date, pages, exports; the audit administrator
alone reads it (三员分立), and each read and export is itself audited; every download and log-out leaves an entry
with the client's address."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import openpyxl
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from web_client import doc
from web_personas import World

from zonehero import clock
from zonehero.features.audit import service as audit
from zonehero.features.audit.models import AuditEntry
from zonehero.features.roles import Actor, Role

ANNA = Actor(id=None, username="anna", role=Role.SYSTEM_ADMIN)
BORIS = Actor(id=None, username="boris", role=Role.ANALYST)


@pytest.fixture
def history(db: Session) -> Iterator[None]:
    """Four entries on two January days of 2025, by anna and boris."""
    previous = clock.current()
    try:
        for day, who, action, before, after in (
            (10, ANNA, "user.set_active", {"active": True}, {"active": False}),
            (10, BORIS, "run.publish", {"status": "draft"}, {"status": "notice"}),
            (20, ANNA, "user.create", None, {"username": "carl", "role": "leader"}),
            (20, BORIS, "logout", None, None),
        ):
            clock.use(clock.FixedClock(datetime(2025, 1, day, 2, 0, tzinfo=UTC)))
            audit.record(db, who, action, "user", 7, before=before, after=after)
        db.commit()
    finally:
        clock.use(previous)
    yield


def _rows(client: TestClient, query: str) -> list[tuple[str, str, str]]:
    """(person, action in words, changes) of each row of the page."""
    table = doc(client.get(f"/admin/audit?{query}")).find("table", id="audit-table")
    rows = [tr for tr in table.find("tbody").find_all("tr") if "data-entry" in tr.attrs]
    return [(tr.find_all("td")[1].text, tr.find_all("td")[3].text, tr.find_all("td")[5].text) for tr in rows]


class TestThePage:
    def test_actions_objects_and_changes_are_words(self, login_as: Callable[[str], TestClient], history: None) -> None:
        rows = _rows(login_as("auditor"), "actor_name=anna")
        assert ("anna", "启用/停用账户", "启用： 是 → 否") in rows
        created = next(r for r in rows if r[1] == "创建账户")
        assert "用户名： carl" in created[2] and "角色： 领导" in created[2]

    def test_it_filters_by_person(self, login_as: Callable[[str], TestClient], history: None) -> None:
        assert {r[0] for r in _rows(login_as("auditor"), "actor_name=boris")} == {"boris"}

    def test_it_filters_by_action(self, login_as: Callable[[str], TestClient], history: None) -> None:
        rows = _rows(login_as("auditor"), "action=run.publish&actor_name=boris")
        assert rows == [("boris", "发布公示", "状态： 草稿 → 公示中")]

    def test_it_filters_by_date_range(self, login_as: Callable[[str], TestClient], history: None) -> None:
        auditor = login_as("auditor")
        tenth = _rows(auditor, "date_from=2025-01-10&date_to=2025-01-10")
        assert sorted(r[1] for r in tenth) == ["发布公示", "启用/停用账户"]
        from_the_15th = _rows(auditor, "date_from=2025-01-15&date_to=2025-01-31")
        assert sorted(r[1] for r in from_the_15th) == ["创建账户", "退出登录"]

    def test_the_filters_offer_the_people_and_actions_in_words(
        self, login_as: Callable[[str], TestClient], history: None, client: TestClient
    ) -> None:
        client.post("/api/login", json={"username": "nobody-typed-this", "password": "x"})
        page = doc(login_as("auditor").get("/admin/audit"))
        people = [o.attrs["value"] for o in page.find("datalist", id="audit-people").find_all("option")]
        actions = {o.attrs["value"]: o.text for o in page.find("select", id="f-action").find_all("option")}
        assert {"anna", "boris"} <= set(people)
        assert "nobody-typed-this" not in people  # names typed at a failed log-in are not offered
        assert actions["run.publish"] == "发布公示"

    def test_a_bad_date_is_answered_in_chinese(self, login_as: Callable[[str], TestClient]) -> None:
        answer = login_as("auditor").get("/admin/audit?date_from=2025-13-40")
        assert answer.status_code == 422
        assert "应写作 YYYY-MM-DD" in answer.text

    def test_it_pages(self, login_as: Callable[[str], TestClient], history: None) -> None:
        auditor = login_as("auditor")
        first = _rows(auditor, "date_from=2025-01-01&date_to=2025-01-31&size=3")
        second = _rows(auditor, "date_from=2025-01-01&date_to=2025-01-31&size=3&page=2")
        assert len(first) == 3 and len(second) == 1
        page = doc(auditor.get("/admin/audit?date_from=2025-01-01&date_to=2025-01-31&size=3"))
        nav = page.find("nav", aria_label="分页")
        assert "共 4 条" in nav.text

    def test_the_export_button_downloads_the_filtered_log_and_is_audited(
        self, login_as: Callable[[str], TestClient], history: None, db: Session
    ) -> None:
        auditor = login_as("auditor")
        query = "actor_name=anna&date_from=2025-01-01&date_to=2025-01-31"
        button = doc(auditor.get(f"/admin/audit?{query}")).find("a", id="audit-export")
        download = auditor.get(button.attrs["href"])
        assert download.status_code == 200 and download.headers["content-disposition"].startswith("attachment")
        sheet = openpyxl.load_workbook(io.BytesIO(download.content)).active
        assert sheet is not None and sheet.max_row == 2 + 2
        assert {sheet.cell(row, 6).value for row in (3, 4)} == {"启用/停用账户", "创建账户"}
        exported = db.scalars(select(AuditEntry).where(AuditEntry.action == "audit.export")).one()
        assert exported.actor_name == "auditor" and exported.after["entries"] == 2
        assert exported.after["filters"] == {"actor_name": "anna"} and exported.origin == "testclient"

    def test_an_analyst_may_not_export(self, login_as: Callable[[str], TestClient]) -> None:
        assert login_as("analyst").get("/admin/audit/export.xlsx").status_code == 403


class TestOnlyTheAuditAdministrator:
    """三员分立: the log is the audit administrator's; the other two administrators and the leader are refused,
    and the audit administrator's own reading leaves a trace."""

    @pytest.mark.parametrize("persona", ["sysadmin", "secadmin", "leader", "analyst"])
    def test_others_may_neither_read_nor_export(self, login_as: Callable[[str], TestClient], persona: str) -> None:
        client = login_as(persona)
        assert client.get("/admin/audit").status_code == 403
        assert client.get("/admin/audit/export.xlsx").status_code == 403

    def test_reading_the_page_is_itself_recorded(
        self, login_as: Callable[[str], TestClient], history: None, db: Session
    ) -> None:
        auditor = login_as("auditor")
        assert auditor.get("/admin/audit?actor_name=anna&date_from=2025-01-01&size=3&page=1").status_code == 200
        read = db.scalars(select(AuditEntry).where(AuditEntry.action == "audit.read")).one()
        assert read.actor_name == "auditor" and read.origin == "testclient"
        assert read.after == {"filters": {"actor_name": "anna", "from": "2025-01-01"}, "page": 1, "entries": 2}
        # … and the next reader sees it, in words.
        rows = _rows(auditor, "action=audit.read")
        assert rows and rows[0][:2] == ("auditor", "查看审计日志")

    def test_the_export_is_in_the_log_the_auditor_reads_next(
        self, login_as: Callable[[str], TestClient], history: None
    ) -> None:
        auditor = login_as("auditor")
        assert auditor.get("/admin/audit/export.xlsx?actor_name=boris").status_code == 200
        assert [r[:2] for r in _rows(auditor, "action=audit.export")] == [("auditor", "导出审计日志")]


class TestFromWhere:
    def _last(self, db: Session, action: str) -> AuditEntry:
        entry = db.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id.desc())).first()
        assert entry is not None, action
        return entry

    def test_a_document_download_records_who_what_and_the_address(
        self, login_as: Callable[[str], TestClient], world: World, db: Session
    ) -> None:
        analyst = login_as("analyst")
        answer = analyst.get(f"/runs/{world.final_run}/public-list.xlsx", headers={"User-Agent": "Edge/120"})
        assert answer.status_code == 200
        entry = self._last(db, "document.download")
        assert (entry.actor_name, entry.origin, entry.user_agent) == ("analyst", "testclient", "Edge/120")
        assert entry.after["document"] == "public_list" and entry.after["year"] == 2023
        assert entry.after["enterprises"] > 0

    def test_an_export_records_the_number_of_enterprises(
        self, login_as: Callable[[str], TestClient], world: World, db: Session
    ) -> None:
        assert login_as("leader").get(f"/runs/{world.final_run}/export.xlsx").status_code == 200
        entry = self._last(db, "export.download")
        assert entry.after["export"] == "run_results" and entry.after["run_id"] == world.final_run
        assert entry.after["enterprises"] > 0 and entry.origin == "testclient"

    def test_an_api_page_of_results_is_recorded(
        self, login_as: Callable[[str], TestClient], world: World, db: Session
    ) -> None:
        answer = login_as("analyst").get(f"/api/runs/{world.final_run}/results?size=5")
        assert answer.status_code == 200
        entry = self._last(db, "api.read")
        assert entry.after["enterprises"] == 5 and entry.after["run_id"] == world.final_run

    def test_a_log_out_is_recorded(self, login_as: Callable[[str], TestClient], db: Session) -> None:
        leader = login_as("leader")
        assert leader.post("/logout").status_code == 303
        entry = self._last(db, "logout")
        assert entry.actor_name == "leader" and entry.origin == "testclient"
        api = login_as("analyst")
        assert api.post("/api/logout").status_code == 200
        assert self._last(db, "logout").actor_name == "analyst"

    def test_a_forwarded_address_is_ignored_unless_the_proxy_is_trusted(
        self, app_factory: Callable[..., TestClient], db: Session
    ) -> None:
        forged = {"X-Forwarded-For": "203.0.113.66"}
        app_factory().post("/api/login", json={"username": "nobody", "password": "x"}, headers=forged)
        assert self._last(db, "login.failed").origin == "testclient"
        behind_proxy = app_factory(trusted_proxies="testclient")
        behind_proxy.post("/api/login", json={"username": "nobody", "password": "x"}, headers=forged)
        assert self._last(db, "login.failed").origin == "203.0.113.66"
