"""The 招商局 (persona ``zhaoshang``, the demo's investment account) against the role matrix.

招商 rows carry its expected answer in ``Row.investment``; a few other rows (its account, to-do list, the project
library it feeds, the enterprise data it may not see) in ``INVESTMENT_ELSEWHERE``. Every 招商 route has a row
with every role's answer (the ``office_unit`` columns included): a new 招商 row without one fails here.
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from matrix_runner import mismatches
from role_matrix import INVESTMENT_ELSEWHERE, ROLE_MATRIX, Row
from web_personas import World

CHAIN_PATHS = ("/chains", "/api/chains")
"""产业链 and 目标企业库: the 招商局 reads and edits them as the analyst does (it owns the target library)."""
ANALYST = 4
"""The analyst's column in a row's statuses."""


def expected(row: Row) -> int | None:
    if row.investment is not None:
        return row.investment
    if row.path.startswith(CHAIN_PATHS):
        return row.statuses[ANALYST]
    return INVESTMENT_ELSEWHERE.get((row.method, row.path))


def test_every_investment_row_names_every_role() -> None:
    rows = [row for row in ROLE_MATRIX if row.path.startswith("/investment")]
    assert len(rows) >= 10
    assert all(row.investment is not None and row.office_unit is not None for row in rows)


def test_the_investment_bureau_gets_the_expected_answer_everywhere(
    app_factory: Callable[..., TestClient], world: World
) -> None:
    found = mismatches("zhaoshang", app_factory, world, expected)
    assert not found, "zhaoshang:\n" + "\n".join(found)
