"""The browser guard itself: what the cycles rely on to fail is shown to fail (on SQLite only, it needs no data).

A request to another host is aborted and recorded even when no page policy
stops it first; on a real page the server's policy and the guard together
turn an outside image into a reported problem; a console error is caught.
"""

from __future__ import annotations

import pytest
from e2e_browser import Browse
from e2e_server import E2E_DATABASES

SQLITE = E2E_DATABASES[0]
"""SQLite with its xdist group: the guard shares the worker and the demo server of the other SQLite browser runs."""
pytestmark = [pytest.mark.e2e, pytest.mark.parametrize("demo_server", [SQLITE], indirect=True)]

OUTSIDE = "http://192.0.2.7/pixel.png"
"""TEST-NET-1 (RFC 5737): never routed, so nothing could leave even if the guard failed."""


def test_outside_request_is_aborted_and_recorded(browse) -> None:  # type: ignore[no-untyped-def]
    tab: Browse = browse("guard-")
    # about:blank has no content policy: only the guard's route stands between the page and the host.
    tab.page.set_content(f'<img src="{OUTSIDE}" alt="">')
    tab.page.wait_for_load_state("load")
    assert tab.guard.outside == [OUTSIDE]
    assert "requests leaving localhost" in tab.guard.problems()
    with pytest.raises(AssertionError, match="leaving localhost"):
        tab.assert_clean()


def test_outside_image_on_a_server_page_is_a_problem(browse) -> None:  # type: ignore[no-untyped-def]
    tab: Browse = browse("guard-")
    tab.goto("/login")
    tab.assert_clean()
    tab.page.evaluate(
        "src => new Promise(done => { const img = new Image(); img.onload = img.onerror = done;"
        " img.src = src; document.body.append(img); })",
        OUTSIDE,
    )
    tab.page.wait_for_timeout(200)
    problems = tab.guard.problems()
    assert problems.get("requests leaving localhost") or problems.get("console errors"), problems


def test_console_error_is_a_problem(browse) -> None:  # type: ignore[no-untyped-def]
    tab: Browse = browse("guard-")
    tab.goto("/login")
    tab.page.evaluate("() => console.error('故意的错误')")
    tab.page.wait_for_timeout(100)
    assert any("故意的错误" in e for e in tab.guard.console_errors)


def test_missing_static_asset_is_a_problem(browse) -> None:  # type: ignore[no-untyped-def]
    tab: Browse = browse("guard-")
    tab.goto("/login")
    tab.page.evaluate(
        "() => new Promise(done => { const s = document.createElement('script');"
        " s.src = '/static/js/no-such-file.js'; s.onload = s.onerror = done; document.head.append(s); })"
    )
    assert any("/static/js/no-such-file.js" in f for f in tab.guard.static_failures), tab.guard.static_failures
