"""Sends every row of the role matrix as one persona, logged in once (again only after a row that ends the session)."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from role_matrix import ROLE_MATRIX, Row
from web_client import api_login, page_csrf
from web_personas import World

SESSION_CHANGING = {("POST", "/api/logout"), ("POST", "/logout"), ("POST", "/api/login"), ("POST", "/login")}
"""Rows that end or replace the session: the persona logs in again after them; every other row reuses one log-in."""


def _client_for(persona: str, app_factory: Callable[..., TestClient]) -> tuple[TestClient, str]:
    client = app_factory()
    if persona == "anonymous":
        return client, page_csrf(client)
    token = api_login(client, persona)
    del client.headers["X-CSRF-Token"]
    return client, token


def _send(client: TestClient, token: str, row: Row, world: World) -> int:
    path = row.path.format(**world.placeholders())
    if row.method == "GET":
        return client.get(path).status_code
    headers = {"X-CSRF-Token": token}
    if row.json is not None:
        return client.post(path, json=row.json, headers=headers).status_code
    return client.post(path, data=row.form, headers=headers).status_code


def mismatches(
    persona: str,
    app_factory: Callable[..., TestClient],
    world: World,
    expected: Callable[[Row], int | None],
) -> list[str]:
    """Every row whose answer for ``persona`` differs from ``expected(row)`` (None: the row has no expectation)."""
    found = []
    client, token = _client_for(persona, app_factory)
    for row in ROLE_MATRIX:
        want = expected(row)
        if want is None:  # no expectation written for this persona: not sent
            continue
        got = _send(client, token, row, world)
        if got != want:
            found.append(f"{row.method} {row.path}: expected {want}, got {got}")
        if (row.method, row.path) in SESSION_CHANGING:
            client, token = _client_for(persona, app_factory)
    return found
