"""The project roles (project_office ``projects``, unit ``unit``) against every route of the role matrix.

Project rows carry their expected answers in ``Row.office_unit``; every other
row has them in ``OFFICE_UNIT_ELSEWHERE``. A row with neither fails here.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from role_matrix import OFFICE_UNIT_ELSEWHERE, ROLE_MATRIX, Row
from web_client import api_login
from web_personas import World
from web_projects import PROJECT_ROLES


def expected(row: Row, column: int) -> int | None:
    statuses = row.office_unit or OFFICE_UNIT_ELSEWHERE.get((row.method, row.path))
    return statuses[column] if statuses else None


def _send(client: TestClient, token: str, row: Row, world: World) -> int:
    path = row.path.format(**world.placeholders())
    if row.method == "GET":
        return client.get(path).status_code
    headers = {"X-CSRF-Token": token}
    if row.json is not None:
        return client.post(path, json=row.json, headers=headers).status_code
    return client.post(path, data=row.form, headers=headers).status_code


@pytest.mark.parametrize("persona", PROJECT_ROLES)
def test_the_project_roles_get_the_expected_answer_everywhere(
    persona: str, app_factory: Callable[..., TestClient], world: World
) -> None:
    column = PROJECT_ROLES.index(persona)
    mismatches = []
    for row in ROLE_MATRIX:
        client = app_factory()
        token = api_login(client, persona)
        del client.headers["X-CSRF-Token"]
        got = _send(client, token, row, world)
        want = expected(row, column)
        if got != want:
            mismatches.append(f"{row.method} {row.path}: expected {want}, got {got}")
    assert not mismatches, f"{persona}:\n" + "\n".join(mismatches)
