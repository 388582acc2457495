"""Server-side sessions at the web edge: replay, force-log-out, two processes, temporary passwords, throttling,
the expiry warning, HSTS and Secure cookies."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from web_client import api_login, doc, page_csrf
from web_personas import PASSWORD

from zonehero.config import Settings
from zonehero.edges.web.app import create_app
from zonehero.edges.web.security import SESSION_COOKIE
from zonehero.features.audit.models import AuditEntry
from zonehero.features.users.models import UserSession


def _last(db: Session, action: str) -> AuditEntry:
    return db.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id.desc())).first()  # type: ignore[return-value]


class TestReplay:
    def test_a_copied_cookie_is_dead_after_the_logout_form(
        self, login_as: Callable[[str], TestClient], app_factory: Callable[..., TestClient]
    ) -> None:
        user = login_as("leader")
        copied = user.cookies.get(SESSION_COOKIE)
        token = page_csrf(user, "/")
        assert user.post("/logout", data={"csrf_token": token}).status_code == 303
        replay = app_factory()
        replay.cookies.set(SESSION_COOKIE, copied)
        assert replay.get("/api/me").status_code == 401
        assert replay.get("/").status_code == 303

    def test_a_session_works_across_two_processes_sharing_the_database(
        self, app_factory: Callable[..., TestClient]
    ) -> None:
        first, second = app_factory(), app_factory()
        api_login(first, "analyst")
        second.cookies.set(SESSION_COOKIE, first.cookies.get(SESSION_COOKIE))
        assert second.get("/api/me").json()["username"] == "analyst"
        assert first.post("/api/logout").status_code == 200
        assert second.get("/api/me").status_code == 401


class TestSecurityAdministratorEndsSessions:
    def test_the_page_lists_open_sessions_with_their_address(
        self, login_as: Callable[[str], TestClient], db: Session
    ) -> None:
        login_as("leader")
        page = doc(login_as("secadmin").get("/admin/sessions"))
        rows = {row.attrs["data-username"] for row in page.find_all("tr") if "data-username" in row.attrs}
        assert {"secadmin", "leader"} <= rows
        assert "testclient" in page.find(id="sessions-table").text

    def test_ending_one_session_logs_it_out_at_once(self, login_as: Callable[[str], TestClient], db: Session) -> None:
        victim, admin = login_as("leader"), login_as("secadmin")
        row = db.scalars(
            select(UserSession).where(UserSession.ended_at.is_(None)).order_by(UserSession.created_at)
        ).first()
        assert row is not None
        response = admin.post(f"/admin/sessions/{row.id}/end")
        assert response.status_code == 303, response.text
        assert victim.get("/api/me").status_code == 401
        assert admin.get("/api/me").status_code == 200
        entry = _last(db, "session.end")
        assert (entry.actor_name, entry.after["reason"], entry.after["username"]) == (
            "secadmin",
            "ended_by_admin",
            "leader",
        )

    def test_ending_all_of_a_users_sessions(self, login_as: Callable[[str], TestClient]) -> None:
        phone, desk, admin = login_as("analyst"), login_as("analyst"), login_as("secadmin")
        assert admin.post("/admin/sessions/users/analyst/end").status_code == 303
        assert phone.get("/api/me").status_code == 401 and desk.get("/api/me").status_code == 401
        assert "已结束「analyst」的 2 个会话" in doc(admin.get("/admin/sessions")).text

    def test_the_administrators_own_session_is_kept(self, login_as: Callable[[str], TestClient]) -> None:
        admin = login_as("secadmin")
        assert admin.post("/admin/sessions/users/secadmin/end").status_code == 303
        assert admin.get("/api/me").status_code == 200

    def test_disabling_an_account_ends_its_sessions(self, login_as: Callable[[str], TestClient], db: Session) -> None:
        victim, admin = login_as("leader"), login_as("sysadmin")
        assert admin.post("/admin/users/leader/active", data={"active": "false"}).status_code == 303
        assert victim.get("/api/me").status_code == 401
        assert _last(db, "session.end").after["reason"] == "disabled"

    def test_the_navigation_shows_it_to_the_security_administrator_only(
        self, login_as: Callable[[str], TestClient]
    ) -> None:
        assert doc(login_as("secadmin").get("/admin/users")).find("a", href="/admin/sessions") is not None
        assert doc(login_as("analyst").get("/")).find_all("a", href="/admin/sessions") == []


class TestTemporaryPassword:
    def _new_account(self, admin: TestClient) -> None:
        form = {"username": "neu", "role": "leader", "password": "Temporaer-Pass-1"}
        assert admin.post("/admin/users", data=form).status_code == 303

    def test_it_must_be_changed_before_anything_else(
        self, login_as: Callable[[str], TestClient], app_factory: Callable[..., TestClient]
    ) -> None:
        self._new_account(login_as("sysadmin"))
        client = app_factory()
        token = page_csrf(client)
        response = client.post("/login", data={"username": "neu", "password": "Temporaer-Pass-1", "csrf_token": token})
        assert response.headers["location"] == "/account/password"
        assert client.get("/").headers["location"] == "/account/password"
        page = doc(client.get("/account/password"))
        assert "临时密码" in page.find(id="password-required").text
        api = client.get("/api/enterprises")
        assert api.status_code == 403 and "临时密码" in api.json()["error"]["message"]
        assert client.get("/api/me").json()["must_change_password"] is True
        form = {
            "current_password": "Temporaer-Pass-1",
            "new_password": "Eigenes-Pass-22",
            "confirm_password": "Eigenes-Pass-22",
        }
        changed = client.post("/account/password", data={**form, "csrf_token": page_csrf(client, "/account/password")})
        assert changed.status_code == 303, changed.text
        assert client.get("/").status_code == 200
        assert client.get("/api/me").json()["must_change_password"] is False

    def test_the_api_log_in_says_so(
        self, login_as: Callable[[str], TestClient], app_factory: Callable[..., TestClient]
    ) -> None:
        admin = login_as("sysadmin")
        assert admin.post("/admin/users/leader/password", data={"new_password": "Temporaer-Pass-1"}).status_code == 303
        response = app_factory().post("/api/login", json={"username": "leader", "password": "Temporaer-Pass-1"})
        assert response.status_code == 200 and response.json()["must_change_password"] is True

    def test_an_admin_reset_refuses_a_weak_password_with_its_reasons(
        self, login_as: Callable[[str], TestClient]
    ) -> None:
        response = login_as("sysadmin").post("/admin/users/leader/password", data={"new_password": "12345678"})
        assert response.status_code == 422
        said = doc(response).find(id="reset-password-problems").text
        assert "常用密码" in said and "缺少：大写字母、小写字母、符号" in said

    def test_an_expired_password_must_be_changed(self, app_factory: Callable[..., TestClient], db: Session) -> None:
        from datetime import timedelta

        from zonehero.clock import utcnow
        from zonehero.features.users.models import User

        user = db.scalars(select(User).where(User.username == "analyst")).one()
        user.password_changed_at = utcnow() - timedelta(days=100)
        db.commit()
        client = app_factory(password_max_age_days=90)
        assert api_login(client, "analyst")
        assert client.get("/api/runs").status_code == 403
        assert (
            app_factory()
            .post("/api/login", json={"username": "analyst", "password": PASSWORD})
            .json()["must_change_password"]
            is False
        )


class TestThrottle:
    def test_an_address_that_keeps_failing_gets_429(self, app_factory: Callable[..., TestClient]) -> None:
        client = app_factory(login_address_failures=3)
        for _ in range(3):
            assert (
                client.post("/api/login", json={"username": "nobody", "password": "Wrong-Guess-1"}).status_code == 401
            )
        refused = client.post("/api/login", json={"username": "leader", "password": PASSWORD})
        assert refused.status_code == 429
        assert "此地址登录失败次数过多" in refused.json()["error"]["message"]
        assert int(refused.headers["retry-after"]) > 0
        token = page_csrf(client)
        page = client.post("/login", data={"username": "leader", "password": PASSWORD, "csrf_token": token})
        assert page.status_code == 429 and "此地址" in doc(page).find(cls="login-error").text

    def test_behind_a_trusted_proxy_each_client_counts_alone(self, app_factory: Callable[..., TestClient]) -> None:
        client = app_factory(login_address_failures=3, trusted_proxies="testclient")
        attacker = {"X-Forwarded-For": "198.51.100.7"}
        for _ in range(3):
            client.post("/api/login", json={"username": "sysadmin", "password": "Wrong-Guess-1"}, headers=attacker)
        assert (
            client.post("/api/login", json={"username": "sysadmin", "password": PASSWORD}, headers=attacker).status_code
            == 429
        )
        other = {"X-Forwarded-For": "203.0.113.9"}
        assert (
            client.post("/api/login", json={"username": "sysadmin", "password": PASSWORD}, headers=other).status_code
            == 200
        )


class TestExpiryWarning:
    def test_the_layout_carries_the_deadline_and_the_script(self, login_as: Callable[[str], TestClient]) -> None:
        page = doc(login_as("leader").get("/"))
        expires_in = int(page.find("meta", name="session-expires-in").attrs["content"])
        assert 29 * 60 < expires_in <= 30 * 60
        assert page.find("meta", name="session-warn-before").attrs["content"] == "300"
        assert page.find(id="session-keepalive").text.strip() == "继续"
        assert any("session-timeout.js" in s.attrs.get("src", "") for s in page.find_all("script"))

    def test_the_login_page_has_no_warning(self, client: TestClient) -> None:
        assert doc(client.get("/login")).find_all(id="session-warning") == []

    def test_keepalive_counts_the_idle_time_from_now(self, login_as: Callable[[str], TestClient]) -> None:
        client = login_as("leader")
        body = client.post("/api/session/keepalive").json()
        assert 29 * 60 < body["expires_in"] <= 30 * 60 and body["warn_before"] == 300
        del client.headers["X-CSRF-Token"]
        assert client.post("/api/session/keepalive").status_code == 403


class TestTransport:
    def test_hsts_only_over_tls(self, app_factory: Callable[..., TestClient]) -> None:
        client = app_factory()
        assert "strict-transport-security" not in client.get("/login").headers
        assert "max-age=" in client.get("https://testserver/login").headers["strict-transport-security"]

    def test_hsts_behind_a_trusted_tls_proxy(self, app_factory: Callable[..., TestClient]) -> None:
        proxied = app_factory(trusted_proxies="testclient")
        response = proxied.get("/login", headers={"X-Forwarded-Proto": "https"})
        assert "strict-transport-security" in response.headers
        forged = app_factory().get("/login", headers={"X-Forwarded-Proto": "https"})
        assert "strict-transport-security" not in forged.headers

    def test_cookies_are_secure_by_default_in_production(
        self, settings: Settings, sessions: sessionmaker[Session]
    ) -> None:
        production = settings.model_copy(update={"environment": "production"})
        with TestClient(create_app(production, sessions=sessions), base_url="https://testserver") as client:
            cookie = client.post("/api/login", json={"username": "leader", "password": PASSWORD}).headers["set-cookie"]
        assert "; secure" in cookie.lower()
        off = settings.model_copy(update={"environment": "production", "secure_cookies": False})
        with TestClient(create_app(off, sessions=sessions)) as client:
            cookie = client.post("/api/login", json={"username": "leader", "password": PASSWORD}).headers["set-cookie"]
        assert "; secure" not in cookie.lower()
