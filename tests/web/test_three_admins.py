"""三员分立 in the browser: each administrator sees and lands on the pages of their duty only; the system
administrator manages business accounts, the security administrator changes roles, and neither can reach into
the other's duty or the audit administrator's. (The role matrix checks every route; these are the stories.)"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from web_client import doc, page_csrf
from web_html import Element
from web_personas import PASSWORD

from zonehero.features.audit.models import AuditEntry
from zonehero.features.roles import BUSINESS_ROLES, SYSTEM, Role
from zonehero.features.users import service as users
from zonehero.features.users.models import User

LoginAs = Callable[[str], TestClient]


def _nav(client: TestClient) -> list[str]:
    page = doc(client.get("/account/password"))
    return [a.text.strip() for a in page.find("ul", cls="me-auto").find_all("a", cls="nav-link")]


def _row(page: Element, username: str) -> Element:
    return page.find("table", id="users-table").find("tr", data_username=username)


def _role(db: Session, username: str) -> str:
    db.expire_all()
    user = db.scalars(select(User).where(User.username == username)).one()
    return user.role


class TestEachSeesTheirOwnPages:
    @pytest.mark.parametrize(
        ("persona", "entries"),
        [
            ("sysadmin", ["用户", "园区概况"]),
            ("secadmin", ["用户", "安全策略", "会话"]),
            ("auditor", ["审计日志"]),
        ],
    )
    def test_the_navigation_shows_only_the_duty(self, login_as: LoginAs, persona: str, entries: list[str]) -> None:
        assert _nav(login_as(persona)) == entries

    def test_the_leader_no_longer_sees_the_audit_log(self, login_as: LoginAs) -> None:
        entries = _nav(login_as("leader"))
        assert "总览" in entries and "审计日志" not in entries and "用户" not in entries

    @pytest.mark.parametrize(
        ("persona", "home"), [("sysadmin", "/admin/users"), ("secadmin", "/admin/users"), ("auditor", "/admin/audit")]
    )
    def test_they_land_on_their_first_page_and_the_dashboard_sends_them_there(
        self, client: TestClient, login_as: LoginAs, persona: str, home: str
    ) -> None:
        form = {"username": persona, "password": PASSWORD, "csrf_token": page_csrf(client)}
        assert client.post("/login", data=form).headers["location"] == home
        dashboard = login_as(persona).get("/")
        assert dashboard.status_code == 303 and dashboard.headers["location"] == home


class TestTheSystemAdministrator:
    def test_new_accounts_may_only_have_a_business_role(self, login_as: LoginAs) -> None:
        page = doc(login_as("sysadmin").get("/admin/users"))
        offered = {o.attrs["value"] for o in page.find("select", id="new-role").find_all("option")}
        assert offered == {r.value for r in BUSINESS_ROLES}
        assert not page.find_all("form", cls="role-form")  # role changes are not theirs

    @pytest.mark.parametrize("role", ["system_admin", "security_admin", "audit_admin", "operator"])
    def test_an_administrators_account_cannot_be_created_here(self, login_as: LoginAs, db: Session, role: str) -> None:
        client = login_as("sysadmin")
        form = {"username": "mallory", "role": role, "password": "Richtig-Pferd-99"}
        assert client.post("/admin/users", data=form).status_code in (403, 422)
        assert db.scalars(select(User).where(User.username == "mallory")).first() is None

    def test_business_accounts_are_managed_and_the_administrators_left_alone(self, login_as: LoginAs) -> None:
        client = login_as("sysadmin")
        page = doc(client.get("/admin/users"))
        assert _row(page, "leader").find_all("form", action="/admin/users/leader/password")
        for other in ("secadmin", "auditor", "sysadmin"):
            assert not _row(page, other).find_all("form"), other
        # Taking over the audit administrator's account by a reset, or silencing it, is refused.
        assert (
            client.post("/admin/users/auditor/password", data={"new_password": "Richtig-Pferd-99"}).status_code == 403
        )
        assert client.post("/admin/users/auditor/active", data={"active": "false"}).status_code == 403
        assert client.post("/admin/users/leader/role", data={"role": "analyst"}).status_code == 403

    def test_a_business_account_is_created(self, login_as: LoginAs, db: Session) -> None:
        form = {"username": "new-analyst", "role": "analyst", "password": "Richtig-Pferd-99"}
        assert login_as("sysadmin").post("/admin/users", data=form).status_code == 303
        assert _role(db, "new-analyst") == "analyst"


class TestTheSecurityAdministrator:
    def test_the_page_lists_accounts_with_role_changes_but_no_account_tools(self, login_as: LoginAs) -> None:
        page = doc(login_as("secadmin").get("/admin/users"))
        assert not page.find_all("form", id="add-user-form")
        assert _row(page, "leader").find_all("form", cls="role-form")
        assert not _row(page, "leader").find_all("form", action="/admin/users/leader/password")
        assert not _row(page, "secadmin").find_all("form")  # not their own role
        assert not _row(page, "enterprise_a").find_all("form")  # tied to its enterprise
        offered = {o.attrs["value"] for o in _row(page, "leader").find("select").find_all("option")}
        assert {"system_admin", "security_admin", "audit_admin", "analyst"} <= offered
        assert not offered & {"operator", "enterprise", "unit"}

    def test_a_role_change_takes_effect_at_once_and_is_audited(self, login_as: LoginAs, db: Session) -> None:
        leader = login_as("leader")
        assert leader.get("/imports").status_code == 403
        assert login_as("secadmin").post("/admin/users/leader/role", data={"role": "analyst"}).status_code == 303
        # The account's sessions end with the change: it logs in again, under its new role.
        assert leader.get("/imports").headers["location"].startswith("/login")
        assert login_as("leader").get("/imports").status_code == 200
        entry = db.scalars(select(AuditEntry).where(AuditEntry.action == "user.set_role")).one()
        assert entry.actor_name == "secadmin"
        assert (entry.before["role"], entry.after["role"]) == ("leader", "analyst")

    def test_making_someone_the_audit_administrator_takes_their_business_away(self, login_as: LoginAs) -> None:
        assert login_as("secadmin").post("/admin/users/leader/role", data={"role": "audit_admin"}).status_code == 303
        leader = login_as("leader")
        assert leader.get("/admin/audit").status_code == 200
        assert leader.get("/enterprises").status_code == 403
        assert leader.get("/").headers["location"] == "/admin/audit"

    @pytest.mark.parametrize(
        ("username", "role", "status"),
        [
            ("secadmin", "analyst", 409),  # their own role
            ("leader", "operator", 422),  # the command line's role is no account's
            ("leader", "enterprise", 409),  # an enterprise account is made new, with its USCC
            ("enterprise_a", "analyst", 409),
            ("auditor", "analyst", 409),  # the last audit administrator
        ],
    )
    def test_refused_changes(self, login_as: LoginAs, db: Session, username: str, role: str, status: int) -> None:
        before = _role(db, username)
        answer = login_as("secadmin").post(f"/admin/users/{username}/role", data={"role": role})
        assert answer.status_code == status
        assert _role(db, username) == before

    def test_the_last_audit_administrator_may_go_once_there_is_another(self, login_as: LoginAs, db: Session) -> None:
        users.create_user(db, SYSTEM, "auditor-2", "Richtig-Pferd-99", Role.AUDIT_ADMIN)
        db.commit()
        assert login_as("secadmin").post("/admin/users/auditor/role", data={"role": "leader"}).status_code == 303
        assert _role(db, "auditor") == "leader"

    def test_accounts_cannot_be_created_reset_or_disabled(self, login_as: LoginAs) -> None:
        client = login_as("secadmin")
        form = {"username": "x9", "role": "leader", "password": "Richtig-Pferd-99"}
        assert client.post("/admin/users", data=form).status_code == 403
        assert client.post("/admin/users/leader/password", data={"new_password": "Richtig-Pferd-99"}).status_code == 403
        assert client.post("/admin/users/leader/active", data={"active": "false"}).status_code == 403

    def test_the_security_policy_page_states_the_rules_in_force(self, app_factory: Callable[..., TestClient]) -> None:
        client = app_factory(lockout_failures=3, lockout_minutes=30, session_max_age_seconds=4 * 3600)
        client.post("/api/login", json={"username": "secadmin", "password": PASSWORD})
        page = doc(client.get("/admin/security"))
        rules = {tr.find_all("td")[0].text: tr.find_all("td")[1].text for tr in page.find("tbody").find_all("tr")}
        assert rules["登录失败锁定"] == "连续 3 次失败后锁定 30 分钟"
        assert rules["会话有效期"] == "登录后 4 小时"
        assert rules["审计日志保存期"] == "180 天"
        assert "系统管理员" in page.find("dl", id="three-admins").text
