"""Every role against every route of :data:`role_matrix.ROLE_MATRIX` (the expected answers are written there)."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from matrix_runner import mismatches
from role_matrix import ROLE_MATRIX
from web_personas import ROLES, World


def _shape(path: str) -> str:
    """``/api/runs/{run_id}`` and ``/api/runs/{final_run}`` have the same shape; so do fixed example names."""
    path = path.split("?")[0]
    path = re.sub(r"\{[^}]+\}", "{}", path)
    return path.replace("/admin/users/leader/", "/admin/users/{}/")


def _routes(app: FastAPI) -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    for route in app.routes:
        routes = getattr(getattr(route, "original_router", None), "routes", [route])
        for sub in routes:
            path, methods = getattr(sub, "path", None), getattr(sub, "methods", None) or set()
            if path and not path.startswith("/static"):
                found.update((method, _shape(path)) for method in methods - {"HEAD"})
    return found


def test_the_matrix_covers_every_route(app_factory: Callable[..., TestClient]) -> None:
    """A route added without a row in the matrix fails here."""
    routes = _routes(app_factory().app)  # type: ignore[arg-type]
    assert len(routes) >= 15
    listed = {(row.method, _shape(row.path)) for row in ROLE_MATRIX}
    missing = sorted(routes - listed)
    assert not missing, f"routes without a row in tests/web/role_matrix.py: {missing}"


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_the_expected_answer_everywhere(
    role: str, app_factory: Callable[..., TestClient], world: World
) -> None:
    column = ROLES.index(role)
    found = mismatches(role, app_factory, world, lambda row: row.statuses[column])
    assert not found, f"{role}:\n" + "\n".join(found)
