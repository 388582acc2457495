"""产业链图谱 in Chromium: a chain page of the demo draws its chart (a canvas), lists the same gaps (补链) as the
chains service computes from the server's own database, and logs no console error. Read only: the shared demo
server is not changed."""

from __future__ import annotations

import pytest
from e2e_browser import Browse
from playwright.sync_api import expect
from sqlalchemy.orm import Session

from zonehero.db.session import make_engine
from zonehero.features.chains import service as chains
from zonehero.features.roles import SYSTEM

pytestmark = pytest.mark.e2e


def _service_gaps(url: str, chain: str) -> tuple[int, list[str]]:
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            chain_id = next(c.id for c in chains.list_chains(session, SYSTEM) if c.name == chain)
            assert chain_id is not None
            return chain_id, [g.name for g in chains.chain_view(session, SYSTEM, chain_id).gaps]
    finally:
        engine.dispose()


def test_a_chain_page_draws_the_chain_and_lists_the_gaps(browse) -> None:  # type: ignore[no-untyped-def]
    tab: Browse = browse("chains-")
    page = tab.page
    tab.log_in("leader")
    chain_id, gaps = _service_gaps(tab.server.database_url, "新能源")
    assert {"负极材料", "储能系统"} <= set(gaps)

    tab.goto("/chains")
    expect(page.locator("#chain-table")).to_contain_text("新能源")
    tab.goto(f"/chains/{chain_id}")
    expect(page.locator("h1")).to_contain_text("新能源")
    assert tab.wait_for_charts() >= 1
    expect(page.locator("#chain-chart canvas")).to_have_count(1)
    listed = page.locator("#gaps li[data-gap]").evaluate_all("items => items.map(li => li.dataset.gap)")
    assert listed == gaps
    tab.assert_clean()
    tab.shot("chain-page")
