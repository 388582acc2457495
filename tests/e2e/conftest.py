"""End-to-end fixtures: Debian's Chromium driven by Playwright against the real ``zonehero serve --demo``.

One demo server per database per session (``demo_server``, parametrised over
SQLite and a throwaway PostgreSQL from tests/integration/pg_server.py); one
browser per session; a fresh guarded context and tab per test (``browse``).
Without /usr/bin/chromium the runs are skipped on a developer machine and
fail under CI (``make test`` installs it). Never ``playwright install``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from e2e_browser import CHROMIUM_ARGS, CHROMIUM_ENV, Browse, Guard
from e2e_server import E2E_DATABASES, DemoServer, running_demo
from playwright.sync_api import Browser, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
VIEWPORT = {"width": 1440, "height": 900}


@pytest.fixture(scope="session")
def chromium_executable() -> Path:
    """/usr/bin/chromium; skipped when missing on a developer machine, a failure under CI."""
    if CHROMIUM.is_file():
        return CHROMIUM
    message = f"{CHROMIUM} is missing (Debian's chromium; make test installs it)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser(chromium_executable: Path) -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(chromium_executable),
            headless=True,
            args=list(CHROMIUM_ARGS),
            env={**os.environ, **CHROMIUM_ENV},
        )
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture(scope="session", params=E2E_DATABASES)
def demo_server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, chromium_executable: Path
) -> Iterator[DemoServer]:
    """``zonehero serve --demo`` on a fresh database of each kind, shared by the tests of the session."""
    with running_demo(request, tmp_path_factory.mktemp(f"e2e-{request.param}")) as server:
        yield server


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[pytest.TestReport]:
    """Keep each phase's report on the item so ``browse`` can screenshot a failed test."""
    report = yield
    setattr(item, f"e2e_report_{report.when}", report)
    return report


@pytest.fixture
def browse(
    request: pytest.FixtureRequest, browser: Browser, demo_server: DemoServer, artifacts_dir: Path
) -> Iterator[Callable[[str], Browse]]:
    """A factory of guarded tabs (one fresh context each) named by a screenshot prefix."""
    contexts = []
    opened: list[Browse] = []

    def open_tab(prefix: str = "") -> Browse:
        context = browser.new_context(viewport=VIEWPORT, locale="zh-CN", accept_downloads=True, reduced_motion="reduce")
        contexts.append(context)
        guard = Guard()
        guard.attach(context)
        page = context.new_page()
        guard.watch(page)
        tab = Browse(page, guard, demo_server, artifacts_dir, prefix)
        opened.append(tab)
        return tab

    def failure_shot(tab: Browse) -> Path:
        return artifacts_dir / f"e2e-{demo_server.db}-failed-{tab.prefix}{request.node.originalname}.png"

    yield open_tab
    report = getattr(request.node, "e2e_report_call", None)
    for tab in opened:
        failure_shot(tab).unlink(missing_ok=True)  # a previous run's
        if report is not None and report.failed:
            try:
                tab.page.screenshot(path=str(failure_shot(tab)), full_page=True)
            except Exception as exc:  # the page may be gone; the test's own failure is what matters
                print(f"no failure screenshot: {exc}")
    if report is not None and report.failed:
        print(f"server log ({demo_server.db}):\n{demo_server.log_tail()}")
    for context in contexts:
        context.close()
