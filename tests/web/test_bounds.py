"""Numbers in paths and query strings are bounded: a huge page or id is a 422 the user can read, never a 500."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from web_personas import World

from zonehero.edges.web.paging import MAX_PAGE_NUMBER

HUGE = 2**63

PAGES = [
    "/enterprises?page={huge}",
    "/enterprises?size={huge}",
    "/api/enterprises?page={huge}",
    "/runs/{draft_run}?page={huge}",
]
IDS = [
    "/runs/{huge}",
    "/api/runs/{huge}",
    "/imports/{huge}",
    "/schemes/versions/{huge}",
    "/?run_id={huge}",
]


@pytest.mark.parametrize("path", PAGES + IDS)
def test_a_huge_number_is_refused_with_422(path: str, login_as: Callable[[str], TestClient], world: World) -> None:
    analyst = login_as("analyst")
    answer = analyst.get(path.format(huge=HUGE, **world.placeholders()))
    assert answer.status_code == 422, answer.text[:300]


def test_the_largest_page_number_still_answers(login_as: Callable[[str], TestClient]) -> None:
    answer = login_as("analyst").get(f"/enterprises?page={MAX_PAGE_NUMBER}")
    assert answer.status_code == 200
