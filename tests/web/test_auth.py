"""Logging in and out, lockout, session expiry, changing one's own password."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from web_client import api_login, doc, page_csrf
from web_personas import PASSWORD

from zonehero import clock
from zonehero.clock import utcnow
from zonehero.edges.web.security import SESSION_COOKIE
from zonehero.features.users.models import User


@pytest.fixture
def frozen() -> Iterator[Callable[[timedelta], None]]:
    """Stop the project's clock now; calling the fixture moves it to that long after the start."""
    before = clock.current()
    start = datetime.now(UTC)
    clock.use(clock.FixedClock(start, before.timezone))
    yield lambda delta: clock.use(clock.FixedClock(start + delta, before.timezone))
    clock.use(before)


class TestLoginPage:
    def test_it_logs_in_and_lands_on_home(self, client: TestClient) -> None:
        token = page_csrf(client)
        response = client.post(
            "/login", data={"username": "analyst", "password": PASSWORD, "csrf_token": token, "next": ""}
        )
        assert response.status_code == 303
        assert response.headers["location"] == "/"
        assert client.get("/api/me").json()["username"] == "analyst"

    def test_an_enterprise_lands_on_its_own_page(self, client: TestClient) -> None:
        token = page_csrf(client)
        response = client.post("/login", data={"username": "enterprise_a", "password": PASSWORD, "csrf_token": token})
        assert response.headers["location"].startswith("/enterprises/")

    def test_it_follows_next_but_never_off_site(self, client: TestClient) -> None:
        token = page_csrf(client)
        form = {"username": "leader", "password": PASSWORD, "csrf_token": token, "next": "//evil.example/x"}
        assert client.post("/login", data=form).headers["location"] == "/"
        client.cookies.clear()
        token = page_csrf(client)
        form = {**form, "csrf_token": token, "next": "/admin/audit?page=2"}
        assert client.post("/login", data=form).headers["location"] == "/admin/audit?page=2"

    def test_a_wrong_password_shows_the_form_again(self, client: TestClient) -> None:
        token = page_csrf(client)
        response = client.post("/login", data={"username": "analyst", "password": "wrong-pass", "csrf_token": token})
        assert response.status_code == 401
        page = doc(response)
        assert "用户名或密码错误" in page.find(cls="login-error").text
        assert page.find("input", name="username").attrs["value"] == "analyst"
        assert client.get("/api/me").status_code == 401

    def test_a_page_without_login_redirects_to_login_with_next(self, client: TestClient) -> None:
        response = client.get("/admin/users?x=1")
        assert response.status_code == 303
        assert response.headers["location"] == "/login?next=%2Fadmin%2Fusers%3Fx%3D1"

    def test_logout_ends_the_session(self, login_as: Callable[[str], TestClient]) -> None:
        client = login_as("sysadmin")
        token = page_csrf(client, "/admin/users")
        response = client.post("/logout", data={"csrf_token": token})
        assert response.status_code == 303
        assert response.headers["location"] == "/login"
        assert client.get("/api/me").status_code == 401
        assert "已退出登录" in doc(client.get("/login")).text


class TestApiLogin:
    def test_it_answers_200_with_a_session_cookie(self, client: TestClient) -> None:
        response = client.post("/api/login", json={"username": "leader", "password": PASSWORD})
        assert response.status_code == 200
        body = response.json()
        assert body["username"] == "leader" and body["role"] == "leader" and body["csrf_token"]
        cookie = response.headers["set-cookie"]
        assert cookie.startswith(f"{SESSION_COOKIE}=")
        assert "httponly" in cookie.lower() and "samesite=lax" in cookie.lower()
        assert client.get("/api/me").json()["username"] == "leader"

    def test_a_wrong_password_is_401_without_a_session(self, client: TestClient) -> None:
        response = client.post("/api/login", json={"username": "leader", "password": "nope-nope"})
        assert response.status_code == 401
        assert response.json()["error"]["message"] == "用户名或密码错误"
        assert client.get("/api/me").status_code == 401

    def test_an_unknown_user_gets_the_same_answer(self, client: TestClient) -> None:
        response = client.post("/api/login", json={"username": "nobody", "password": "nope-nope"})
        assert response.status_code == 401
        assert response.json()["error"]["message"] == "用户名或密码错误"

    def test_a_form_body_is_not_a_login(self, client: TestClient) -> None:
        # The CSRF exemption of /api/login relies on it accepting JSON only.
        response = client.post("/api/login", data={"username": "leader", "password": PASSWORD})
        assert response.status_code == 422

    def test_logout_needs_the_csrf_header(self, client: TestClient) -> None:
        token = api_login(client, "analyst")
        del client.headers["X-CSRF-Token"]
        assert client.post("/api/logout").status_code == 403
        assert client.post("/api/logout", headers={"X-CSRF-Token": token}).status_code == 200
        assert client.get("/api/me").status_code == 401

    def test_a_disabled_account_loses_its_session(self, login_as: Callable[[str], TestClient], db: Session) -> None:
        client = login_as("analyst")
        user = db.scalars(select(User).where(User.username == "analyst")).one()
        user.active = False
        db.commit()
        assert client.get("/api/me").status_code == 401


class TestLockout:
    def test_five_failures_lock_the_account_for_15_minutes(self, client: TestClient, db: Session) -> None:
        for _ in range(4):
            assert client.post("/api/login", json={"username": "analyst", "password": "bad-pass"}).status_code == 401
        fifth = client.post("/api/login", json={"username": "analyst", "password": "bad-pass"})
        assert fifth.status_code == 423
        assert "锁定" in fifth.json()["error"]["message"]
        # Even the right password is refused while locked.
        assert client.post("/api/login", json={"username": "analyst", "password": PASSWORD}).status_code == 423
        user = db.scalars(select(User).where(User.username == "analyst")).one()
        assert user.locked_until is not None
        assert timedelta(minutes=14) < user.locked_until - utcnow() <= timedelta(minutes=15)

    def test_the_lock_lifts_after_its_time(self, client: TestClient, db: Session) -> None:
        for _ in range(5):
            client.post("/api/login", json={"username": "leader", "password": "bad-pass"})
        user = db.scalars(select(User).where(User.username == "leader")).one()
        user.locked_until = utcnow() - timedelta(seconds=1)
        db.commit()
        assert client.post("/api/login", json={"username": "leader", "password": PASSWORD}).status_code == 200

    def test_the_login_page_says_locked(self, client: TestClient) -> None:
        for _ in range(5):
            token = page_csrf(client)
            response = client.post("/login", data={"username": "sysadmin", "password": "bad-pass", "csrf_token": token})
        assert response.status_code == 423
        assert "锁定" in doc(response).find(cls="login-error").text


class TestSessionExpiry:
    """The absolute end (8 hours after log-in, however active) and the idle timeout (30 minutes without a request),
    both on the server's record, read with the project's clock."""

    def test_a_session_older_than_the_limit_is_refused(
        self, app_factory: Callable[..., TestClient], frozen: Callable[[timedelta], None]
    ) -> None:
        client = app_factory(session_idle_minutes=24 * 60)  # only the absolute end can strike
        api_login(client, "leader")
        assert client.get("/api/me").status_code == 200
        frozen(timedelta(hours=8, seconds=5))
        assert client.get("/api/me").status_code == 401
        page = client.get("/admin/audit")
        assert page.status_code == 303 and page.headers["location"].startswith("/login")

    def test_a_session_within_the_limit_is_kept(
        self, app_factory: Callable[..., TestClient], frozen: Callable[[timedelta], None]
    ) -> None:
        client = app_factory(session_idle_minutes=24 * 60)
        api_login(client, "leader")
        frozen(timedelta(hours=8, seconds=-60))
        assert client.get("/api/me").status_code == 200

    def test_an_idle_session_is_refused(
        self, login_as: Callable[[str], TestClient], frozen: Callable[[timedelta], None]
    ) -> None:
        client = login_as("leader")
        frozen(timedelta(minutes=30, seconds=5))
        assert client.get("/api/me").status_code == 401

    def test_activity_keeps_a_session_beyond_the_idle_time(
        self, login_as: Callable[[str], TestClient], frozen: Callable[[timedelta], None]
    ) -> None:
        client = login_as("leader")
        for minutes in (25, 50, 75):
            frozen(timedelta(minutes=minutes))
            assert client.get("/api/me").status_code == 200, minutes

    def test_a_tampered_cookie_is_ignored(self, login_as: Callable[[str], TestClient]) -> None:
        client = login_as("leader")
        value = client.cookies[SESSION_COOKIE]
        client.cookies.set(SESSION_COOKIE, value[:-2] + ("AA" if not value.endswith("AA") else "BB"))
        assert client.get("/api/me").status_code == 401


class TestChangeOwnPassword:
    def _change(self, client: TestClient, current: str, new: str, confirm: str | None = None) -> object:
        token = page_csrf(client, "/account/password")
        form = {"current_password": current, "new_password": new, "confirm_password": confirm or new}
        return client.post("/account/password", data={**form, "csrf_token": token})

    def test_it_changes_the_password(
        self, login_as: Callable[[str], TestClient], app_factory: Callable[..., TestClient]
    ) -> None:
        client = login_as("leader")
        response = self._change(client, PASSWORD, "Neues-Passwort-7")
        assert response.status_code == 303  # type: ignore[attr-defined]
        fresh = app_factory()
        assert fresh.post("/api/login", json={"username": "leader", "password": PASSWORD}).status_code == 401
        assert fresh.post("/api/login", json={"username": "leader", "password": "Neues-Passwort-7"}).status_code == 200

    def test_it_needs_the_current_password(self, login_as: Callable[[str], TestClient]) -> None:
        client = login_as("analyst")
        response = self._change(client, "not-my-password", "Neues-Passwort-7")
        assert response.status_code == 401  # type: ignore[attr-defined]
        assert "当前密码不正确" in doc(response).text

    def test_it_reports_a_short_password(self, login_as: Callable[[str], TestClient]) -> None:
        client = login_as("analyst")
        response = self._change(client, PASSWORD, "short")
        assert response.status_code == 422  # type: ignore[attr-defined]
        assert "至少需要 8 个字符" in doc(response).text

    @pytest.mark.parametrize(
        ("weak", "reason"),
        [
            ("12345678", "缺少：大写字母、小写字母、符号"),
            ("password", "常用密码"),
            ("aaaaaaaa", "缺少：大写字母、数字、符号"),
            ("Analyst-2024", "不能包含用户名"),
            (PASSWORD, "最近 5 次"),
        ],
    )
    def test_it_refuses_a_weak_password_with_its_reason(
        self, login_as: Callable[[str], TestClient], weak: str, reason: str
    ) -> None:
        client = login_as("analyst")
        response = self._change(client, PASSWORD, weak)
        assert response.status_code == 422  # type: ignore[attr-defined]
        assert reason in doc(response).text

    def test_it_reports_a_mismatched_confirmation(self, login_as: Callable[[str], TestClient]) -> None:
        client = login_as("analyst")
        response = self._change(client, PASSWORD, "Neues-Passwort-7", "Neues-Passwort-8")
        assert response.status_code == 422  # type: ignore[attr-defined]
        assert "不一致" in doc(response).text
