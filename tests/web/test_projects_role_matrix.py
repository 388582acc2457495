"""The project roles (project_office ``projects``, unit ``unit``) against every route of the role matrix.

Project rows carry their expected answers in ``Row.office_unit``; every other
row has them in ``OFFICE_UNIT_ELSEWHERE``. A row with neither fails here.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from matrix_runner import mismatches
from role_matrix import OFFICE_UNIT_ELSEWHERE, Row
from web_personas import World
from web_projects import PROJECT_ROLES


def expected(row: Row, column: int) -> int | None:
    statuses = row.office_unit or OFFICE_UNIT_ELSEWHERE.get((row.method, row.path))
    return statuses[column] if statuses else None


@pytest.mark.parametrize("persona", PROJECT_ROLES)
def test_the_project_roles_get_the_expected_answer_everywhere(
    persona: str, app_factory: Callable[..., TestClient], world: World
) -> None:
    column = PROJECT_ROLES.index(persona)
    found = mismatches(persona, app_factory, world, lambda row: expected(row, column))
    assert not found, f"{persona}:\n" + "\n".join(found)
