"""The department account (部门填报员, persona ``tax-bureau`` of the demo) against every route of the role matrix.

Rows of 数据归集 carry its answer in ``Row.department``; elsewhere it is answered like the unit account (both are
business accounts tied to a name that see no enterprise or evaluation data), except the rows of
``DEPARTMENT_ELSEWHERE``. A row with no expectation at all fails here.
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from matrix_runner import mismatches
from role_matrix import DEPARTMENT_ELSEWHERE, OFFICE_UNIT_ELSEWHERE, ROLE_MATRIX, Row
from web_personas import World

DEPARTMENT_PERSONA = "tax-bureau"


NOT_ITS_BUSINESS = ("/investment", "/api/investment")
"""招商: the unit account may report a lead (every zone staff member may); a department's clerk is not zone staff."""


def expected(row: Row) -> int | None:
    if row.department is not None:
        return row.department
    if row.path.startswith(NOT_ITS_BUSINESS):
        return 403
    if (row.method, row.path) in DEPARTMENT_ELSEWHERE:
        return DEPARTMENT_ELSEWHERE[(row.method, row.path)]
    unit = row.office_unit or OFFICE_UNIT_ELSEWHERE.get((row.method, row.path))
    return unit[1] if unit else None


def test_every_row_has_an_answer_for_the_department_account() -> None:
    missing = [f"{r.method} {r.path}" for r in ROLE_MATRIX if expected(r) is None]
    assert not missing, missing


def test_the_department_account_gets_the_expected_answer_everywhere(
    app_factory: Callable[..., TestClient], world: World
) -> None:
    found = mismatches(DEPARTMENT_PERSONA, app_factory, world, expected)
    assert not found, f"{DEPARTMENT_PERSONA}:\n" + "\n".join(found)
