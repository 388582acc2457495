"""A guarded browser tab for the end-to-end runs: every request, console message and response is checked.

:class:`Guard` watches a Playwright context: any request to a host other than
127.0.0.1/localhost is aborted and recorded (the office intranet has no
internet, and no page may load anything from outside the server); console
errors, uncaught page errors, static assets answering >= 400 and any other
response >= 400 that the test did not announce with ``expect_status`` are
recorded too. :class:`Browse` drives one tab like a person (log in, follow
links, submit forms) and keeps a full-page screenshot of every page it shows,
named ``e2e-<db>-<nn>-<page>.png``; each screenshot first checks the guard,
so a broken page fails at the page it happened on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from e2e_server import DEMO_PASSWORD, DemoServer
from playwright.sync_api import BrowserContext, ConsoleMessage, Page, Request, Response, Route, expect

LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost"})
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--lang=zh-CN",
)
"""Debian's Chromium as root, with nothing phoning home (see shared/notes/machine.md)."""
FAILED_LOAD = "Failed to load resource"

CHROMIUM_ENV = {"LANGUAGE": "zh_CN", "LANG": "C.UTF-8"}
"""A Chinese browser, as a bureau's is: Chromium takes its interface language (date fields read 年/月/日) from
``LANGUAGE`` (Debian's chromium-l10n brings the zh-CN strings), not from the page's ``lang``. ``LANG`` stays a locale
the machine has (only C.UTF-8 here): with an ungenerated zh_CN.UTF-8, file names in Chinese could not be chosen."""


@dataclass
class Guard:
    """What went wrong while the tab was open; ``problems()`` is empty when all was well."""

    outside: list[str] = field(default_factory=list)
    """Requests to other hosts (aborted)."""
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    static_failures: list[str] = field(default_factory=list)
    bad_responses: list[str] = field(default_factory=list)
    expected: set[str] = field(default_factory=set)
    """Full URLs whose 4xx answer the test asked for (a 404 for another enterprise's page)."""

    def attach(self, context: BrowserContext) -> None:
        """Route every request of ``context`` (all its pages, downloads included) through the host check."""
        context.route("**/*", self._route)

    def watch(self, page: Page) -> None:
        """Listen to ``page``'s console, uncaught errors and responses."""
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.page_errors.append(f"{page.url}: {error}"))
        page.on("response", self._response)

    def _route(self, route: Route, request: Request) -> None:
        host = urlsplit(request.url).hostname or ""
        if host in LOCAL_HOSTS:
            route.continue_()
        else:
            self.outside.append(request.url)
            route.abort("blockedbyclient")

    def _console(self, message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        where = message.location.get("url", "") if message.location else ""
        if message.text.startswith(FAILED_LOAD) and where in self.expected:
            return
        self.console_errors.append(f"{where}: {message.text}")

    def _response(self, response: Response) -> None:
        if response.status < 400 or response.url in self.expected:
            return
        entry = f"{response.status} {response.request.method} {response.url}"
        if urlsplit(response.url).path.startswith("/static/"):
            self.static_failures.append(entry)
        else:
            self.bad_responses.append(entry)

    def problems(self) -> dict[str, list[str]]:
        found = {
            "requests leaving localhost": self.outside,
            "console errors": self.console_errors,
            "uncaught page errors": self.page_errors,
            "static assets failing": self.static_failures,
            "unexpected error responses": self.bad_responses,
        }
        return {k: v for k, v in found.items() if v}


class Browse:
    """One tab on the demo server, driven as a user drives it, with a screenshot of every page shown."""

    def __init__(self, page: Page, guard: Guard, server: DemoServer, artifacts: Path, prefix: str = "") -> None:
        self.page, self.guard, self.server, self.artifacts = page, guard, server, artifacts
        self.prefix = prefix
        self.shots: list[Path] = []

    def url(self, path: str) -> str:
        return self.server.base_url + path

    @property
    def path(self) -> str:
        """The current page's path with its query."""
        parts = urlsplit(self.page.url)
        return parts.path + (f"?{parts.query}" if parts.query else "")

    def goto(self, path: str, *, status: int = 200) -> Response:
        """Type ``path`` in the address bar; the answer must have ``status`` (a 4xx is then not a problem)."""
        if status >= 400:
            self.guard.expected.add(self.url(path))
        response = self.page.goto(self.url(path))
        assert response is not None, path
        assert response.status == status, f"{path}: HTTP {response.status}, expected {status}"
        return response

    def click_nav(self, label: str) -> None:
        """Follow an entry of the navigation bar."""
        self.page.locator("#main-nav .navbar-nav.me-auto").get_by_role("link", name=label, exact=True).click()
        self.page.wait_for_load_state()

    def nav_labels(self) -> list[str]:
        return [t.strip() for t in self.page.locator("#main-nav .navbar-nav.me-auto .nav-link").all_inner_texts()]

    def settle(self) -> None:
        """Wait until the page and the fragments it loads by itself (htmx ``hx-trigger="load"``, e.g. the 升类路径)
        are in, without Playwright's "networkidle" (at least half a second of silence on every page: minutes over
        the hundreds of pages the accessibility walk opens)."""
        self.page.wait_for_load_state("load")
        self.page.wait_for_function("() => !document.querySelector('[hx-trigger=\"load\"], .htmx-request')")

    def wait_for_charts(self) -> int:
        """Wait until every ``[data-chart]`` is drawn (an ECharts canvas, ``data-chart-rendered``); their number.

        The context asks for reduced motion, so charts draw without animation and are final once rendered.
        """
        charts = self.page.locator("[data-chart]")
        count = charts.count()
        for i in range(count):
            expect(charts.nth(i).locator("canvas")).to_have_count(1)
            expect(charts.nth(i)).not_to_have_class(re.compile(r"\btext-danger\b"))
            expect(charts.nth(i)).to_have_attribute("data-chart-rendered", "1")
        return count

    def shot(self, name: str) -> Path:
        """Check the guard, then keep a full-page screenshot of the current page."""
        self.assert_clean()
        self.wait_for_charts()
        number = len(self.shots) + 1
        path = self.artifacts / f"e2e-{self.server.db}-{number:02d}-{self.prefix}{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        self.shots.append(path)
        return path

    def log_in(self, username: str, *, shot: bool = False) -> None:
        """Open the log-in page, type the demo credentials, land on the account's home page."""
        self.goto("/login")
        self.page.fill("#username", username)
        self.page.fill("#password", DEMO_PASSWORD)
        if shot:
            self.shot("login")
        with self.page.expect_navigation():
            self.page.locator("#login-form button[type=submit]").click()
        assert not self.path.startswith("/login"), f"log-in as {username} failed: {self.page.url}"
        expect(self.page.locator("#user-menu")).to_contain_text(username)

    def log_out(self) -> None:
        """User menu → 退出登录; back on the log-in page with the notice."""
        self.page.click("#user-menu")
        with self.page.expect_navigation():
            self.page.get_by_role("button", name="退出登录").click()
        assert self.path.startswith("/login"), self.page.url
        expect(self.page.locator(".alert-info")).to_contain_text("已退出登录")

    def assert_clean(self) -> None:
        """No request left localhost, no console or page error, no unexpected failed response so far."""
        problems = self.guard.problems()
        assert not problems, f"on {self.page.url}: {problems}"
