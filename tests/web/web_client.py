"""Helpers for driving the app through the in-process client."""

from __future__ import annotations

from fastapi.testclient import TestClient
from web_html import Element, parse
from web_personas import PASSWORD


def page_csrf(client: TestClient, path: str = "/login") -> str:
    """The CSRF token from the page's ``<meta name="csrf-token">``."""
    response = client.get(path)
    return parse(response.text).find("meta", name="csrf-token").attrs["content"]


def api_login(client: TestClient, username: str, password: str = PASSWORD) -> str:
    """Log ``client`` in through the API; returns the CSRF token (also set as the client's default header)."""
    response = client.post("/api/login", json={"username": username, "password": password})
    assert response.status_code == 200, response.text
    token = response.json()["csrf_token"]
    client.headers["X-CSRF-Token"] = token
    return token


def doc(response: object) -> Element:
    """The parsed HTML of a response."""
    return parse(response.text)  # type: ignore[attr-defined]
