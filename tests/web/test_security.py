"""CSRF on every unsafe request, security headers on every response, cookie flags, nothing loaded from outside."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from web_client import doc, page_csrf
from web_html import parse
from web_personas import PASSWORD

from zonehero.edges.web.app import STATIC_DIR
from zonehero.edges.web.rendering import TEMPLATES_DIR

EXPECTED_HEADERS = {
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
}


class TestSecurityHeaders:
    @pytest.mark.parametrize(
        "path", ["/login", "/healthz", "/api/me", "/static/css/app.css", "/no-such-page", "/assets/classes.css"]
    )
    def test_every_response_carries_them(self, client: TestClient, path: str) -> None:
        response = client.get(path)
        for name, value in EXPECTED_HEADERS.items():
            assert response.headers[name] == value
        csp = response.headers["content-security-policy"]
        assert "default-src 'self'" in csp and "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert "camera=()" in response.headers["permissions-policy"]

    def test_an_unexpected_error_page_carries_them(self, client: TestClient) -> None:
        def boom() -> None:
            raise RuntimeError("secret detail")

        client.app.add_api_route("/boom", boom)  # type: ignore[attr-defined]
        response = client.get("/boom")
        assert response.status_code == 500
        assert response.headers["x-frame-options"] == "DENY"


class TestSessionCookie:
    def test_it_is_httponly_and_samesite_lax(self, client: TestClient) -> None:
        cookie = client.post("/api/login", json={"username": "sysadmin", "password": PASSWORD}).headers["set-cookie"]
        assert "httponly" in cookie.lower() and "samesite=lax" in cookie.lower()
        assert "secure" not in cookie.lower().replace("samesite", "")
        assert "Max-Age=28800" in cookie

    def test_it_is_secure_when_asked(self, settings: object, sessions: object) -> None:
        from zonehero.edges.web.app import create_app

        app = create_app(settings, sessions=sessions, secure_cookies=True)  # type: ignore[arg-type]
        with TestClient(app, base_url="https://testserver") as client:
            cookie = client.post("/api/login", json={"username": "sysadmin", "password": PASSWORD}).headers[
                "set-cookie"
            ]
        assert "; secure" in cookie.lower()


class TestCsrf:
    def test_a_form_without_the_token_is_refused(self, login_as: Callable[[str], TestClient]) -> None:
        client = login_as("sysadmin")
        del client.headers["X-CSRF-Token"]
        response = client.post("/admin/users", data={"username": "x1", "role": "leader", "password": "Passwort-123"})
        assert response.status_code == 403
        assert "CSRF" in doc(response).find(cls="error-message").text
        assert not doc(client.get("/admin/users")).find_all("tr", data_username="x1")  # the account was not created

    def test_a_form_with_a_wrong_token_is_refused(self, login_as: Callable[[str], TestClient]) -> None:
        client = login_as("sysadmin")
        del client.headers["X-CSRF-Token"]
        form = {"username": "x2", "role": "leader", "password": "Passwort-123", "csrf_token": "forged"}
        assert client.post("/admin/users", data=form).status_code == 403

    def test_a_form_with_the_token_passes(self, login_as: Callable[[str], TestClient]) -> None:
        client = login_as("sysadmin")
        del client.headers["X-CSRF-Token"]
        token = page_csrf(client, "/admin/users")
        form = {"username": "x3", "role": "leader", "password": "Passwort-123", "csrf_token": token}
        assert client.post("/admin/users", data=form).status_code == 303

    def test_an_htmx_request_may_send_the_header(self, login_as: Callable[[str], TestClient]) -> None:
        client = login_as("sysadmin")
        token = client.headers.pop("X-CSRF-Token")
        form = {"username": "x4", "role": "leader", "password": "Passwort-123"}
        response = client.post("/admin/users", data=form, headers={"HX-Request": "true", "X-CSRF-Token": token})
        assert response.status_code == 303

    def test_the_login_form_needs_it_too(self, client: TestClient) -> None:
        response = client.post("/login", data={"username": "sysadmin", "password": PASSWORD})
        assert response.status_code == 403
        assert client.get("/api/me").status_code == 401

    def test_another_sessions_token_does_not_pass(self, login_as: Callable[[str], TestClient]) -> None:
        mallory = login_as("leader")
        victim = login_as("sysadmin")
        victim.headers["X-CSRF-Token"] = mallory.headers["X-CSRF-Token"]
        assert victim.post("/api/logout").status_code == 403

    def test_the_token_changes_at_login(self, client: TestClient) -> None:
        before = page_csrf(client)
        response = client.post("/api/login", json={"username": "sysadmin", "password": PASSWORD})
        assert response.json()["csrf_token"] != before


def _templates() -> list[Path]:
    return sorted(TEMPLATES_DIR.rglob("*.html"))


class TestNothingFromOutside:
    def test_there_are_templates(self) -> None:
        assert len(_templates()) >= 5

    @pytest.mark.parametrize("template", _templates(), ids=lambda p: str(p.relative_to(TEMPLATES_DIR)))
    def test_no_template_references_another_host(self, template: Path) -> None:
        text = template.read_text("utf-8")
        assert not re.search(r"https?://|//[a-z0-9.-]+\.[a-z]{2,}/", text, re.IGNORECASE)

    @pytest.mark.parametrize("template", _templates(), ids=lambda p: str(p.relative_to(TEMPLATES_DIR)))
    def test_no_template_has_inline_script_or_style(self, template: Path) -> None:
        tree = parse(template.read_text("utf-8"))
        for script in tree.find_all("script"):
            assert "src" in script.attrs or script.attrs.get("type") == "application/json", script.attrs
        for element in tree.iter():
            assert "style" not in element.attrs, element.tag
            assert not any(name.startswith("on") for name in element.attrs), element.attrs
        assert not tree.find_all("style")

    def test_the_vendored_files_are_served_locally(self, client: TestClient) -> None:
        page = doc(client.get("/login"))
        urls = [s.attrs["src"] for s in page.find_all("script")] + [
            link.attrs["href"] for link in page.find_all("link", rel="stylesheet")
        ]
        assert len(urls) >= 6
        for url in urls:
            assert url.startswith("/"), url
            assert client.get(url).status_code == 200, url

    def test_the_api_docs_use_local_swagger(self, client: TestClient) -> None:
        page = doc(client.get("/api/docs"))
        sources = [s.attrs["src"] for s in page.find_all("script")]
        assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in sources
        for url in sources:
            assert client.get(url).status_code == 200
        assert client.get("/api/openapi.json").json()["paths"]["/api/login"]
        assert client.get("/docs").status_code == 404 and client.get("/redoc").status_code == 404

    def test_the_static_js_modules_make_no_outside_requests(self) -> None:
        for script in (STATIC_DIR / "js").glob("*.js"):
            assert not re.search(r"https?://", script.read_text("utf-8")), script.name
