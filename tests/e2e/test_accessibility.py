"""axe-core on every page of every role: no serious or critical violation anywhere (issue 13 part 9).

The pages are taken from the application's route table (``PAGE_ROUTERS``), so a new page is walked without
touching this file. A page with path parameters (``/runs/{run_id}``) is opened at the addresses the role's
other pages link to; a page no link leads to must be named in :data:`REACHED_BY_ACTION` with the reason,
and a GET route that is not a page (a download, an htmx fragment) in :data:`NOT_PAGES`. Each role logs in
and walks its pages breadth-first; a refused page (403/404/409) is checked too, once per status, since the
error page is a page people see; the analyst also asks for a document (a read) to reach its job page. A viewport
screenshot of each page walked is kept as
``e2e-a11y-<role>-<nn>-<route>.jpg``. SQLite only: the markup does not depend on the database.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from e2e_browser import Browse
from e2e_pages import axe_violations, with_axe
from e2e_server import E2E_DATABASES
from fastapi.routing import APIRoute

from zonehero.edges.web.app import PAGE_ROUTERS

SQLITE = E2E_DATABASES[0]
pytestmark = [pytest.mark.e2e, pytest.mark.parametrize("demo_server", [SQLITE], indirect=True)]

ROLES = (
    "analyst",
    "leader",
    "enterprise",
    "projects",
    "unit",
    "tax-bureau",
    "zhaoshang",
    "sysadmin",
    "secadmin",
    "auditor",
)
"""Every demo account: one per role (demo/seed.py; tax-bureau is a 部门填报员, zhaoshang the 招商局)."""

NOT_PAGES: dict[str, str] = {
    "class_colours_css": "stylesheet",
    "admin_audit_export": "xlsx download",
    "enterprise_export": "csv/xlsx download",
    "objection_evidence": "the enterprise's evidence file",
    "confirmation_evidence": "a 企业确认 dispute's evidence file",
    "run_export": "xlsx download",
    "project_photo": "image",
    "cultivation_export": "xlsx download",
    "lift_partial": "htmx fragment of the enterprise page (checked there, after it loads)",
    "whatif_job_progress": "htmx fragment of the what-if job page",
    "robustness_job_progress": "htmx fragment of the robustness job page",
    "job_progress": "htmx fragment of the job page",
    "job_download": "a finished job's file",
    "document_annual_pdf": "pdf download",
    "document_annual_xlsx": "xlsx download",
    "document_notices_zip": "zip download",
    "document_notice": "pdf download",
    "document_public_list_pdf": "pdf download",
    "document_public_list_xlsx": "xlsx download",
    "document_briefing_pdf": "pdf download",
    "document_briefing_xlsx": "xlsx download",
    "document_investment_briefing_pdf": "pdf download",
    "document_investment_briefing_xlsx": "xlsx download",
    "scheme_download": "a scheme version's TOML download",
    "land_map_data": "the zone map's JSON",
    "land_lease_contract_download": "a lease's contract file",
    "investment_activity_file": "an attachment (附件) of a lead's visit or meeting",
}
"""GET routes that answer something other than a page, by route name."""

REACHED_BY_ACTION: dict[str, str] = {
    "whatif_job": "a what-if sent to the background: only in zones larger than the demo, which computes at once",
    "robustness_job": "a robustness check sent to the background: likewise only in zones larger than the demo",
    "objection_detail": "an objection's page: the fresh demo has none (axe runs on it in test_objection_figures.py)",
    "scheme_compare": "two versions compared: the fresh demo has one (axe runs on it in test_scheme_editing.py)",
    "land_import_preview": "a land upload's preview: reached by uploading the registers (shown at once after it)",
    "land_notice_own": "an enterprise's own 用地面积公示: linked from its page and to-do while the notice is open; the"
    " demo's is closed (axe runs on it in test_land_notice_cycle.py)",
}
"""Pages with parameters that no link of the freshly seeded demo leads to, with the reason (the job page of a
document is reached by asking for one, which the analyst's walk does). An entry whose page the walk reaches all the
same fails the test, so the list cannot hide a page."""

SAMPLES_PER_ROUTE = 2
"""Addresses walked per page with parameters, the last in order first (the newest run, a draft, and one before)."""
REFUSALS = (403, 404, 409)


@dataclass(frozen=True)
class PageRoute:
    name: str
    path: str
    pattern: re.Pattern[str]

    @property
    def has_parameters(self) -> bool:
        return "{" in self.path


def _walk_routes(routes: list[object], prefix: str = "") -> Iterator[tuple[str, APIRoute]]:
    for route in routes:
        included = getattr(route, "original_router", None)
        if included is not None:  # FastAPI >= 0.16x keeps an included router as one lazy entry
            context = getattr(route, "include_context", None)
            yield from _walk_routes(included.routes, prefix + getattr(context, "prefix", ""))
        elif isinstance(route, APIRoute):
            yield prefix + route.path, route


@functools.cache
def get_routes() -> tuple[PageRoute, ...]:
    """Every GET route of the application's page routers, in the order they declare them."""
    found: dict[str, PageRoute] = {}
    for router in PAGE_ROUTERS:
        for path, route in _walk_routes(list(router.routes)):
            if "GET" in route.methods:
                regex = re.sub(r"\\\{[^}]+\\\}", "[^/?#]+", re.escape(path))
                found.setdefault(route.name, PageRoute(route.name, path, re.compile(f"^{regex}$")))
    return tuple(found.values())


def page_routes() -> list[PageRoute]:
    """The GET routes that answer a page."""
    return [r for r in get_routes() if r.name not in NOT_PAGES]


def is_other_route(path: str, route: PageRoute) -> bool:
    """``/enterprises/export`` fits ``/enterprises/{uscc}`` but is a route of its own (a download): not a sample."""
    return any(
        other.name != route.name and (other.path == path or (other.name in NOT_PAGES and other.pattern.match(path)))
        for other in get_routes()
    )


@dataclass
class Walk:
    """One role's walk: what was opened, what axe found, which routes were reached."""

    tab: Browse
    role: str
    artifacts: Path
    routes: list[PageRoute]
    violations: dict[str, list[str]] = field(default_factory=dict)
    reached: set[str] = field(default_factory=set)
    refusals_checked: set[int] = field(default_factory=set)
    opened: set[str] = field(default_factory=set)

    def links(self) -> set[str]:
        hrefs = self.tab.page.eval_on_selector_all("a[href]", "els => els.map(a => a.getAttribute('href'))")
        return {urlsplit(h).path for h in hrefs if h and h.startswith("/")}

    def open(self, route: PageRoute, path: str) -> set[str]:
        """Open ``path``; check it with axe unless it is a refusal already checked; the links it shows."""
        self.opened.add(path)
        self.tab.guard.expected.add(self.tab.url(path))  # refusals are answers here, not failures
        response = self.tab.page.goto(self.tab.url(path))
        assert response is not None, path
        status = response.status
        if status in REFUSALS:
            if status in self.refusals_checked:
                return set()
            self.refusals_checked.add(status)
        else:
            assert status == 200, f"{self.role} {path}: HTTP {status}"
            self.reached.add(route.name)
        self.tab.settle()  # htmx fragments (the 升类路径) are part of the page
        self.tab.assert_clean()
        self.tab.wait_for_charts()
        found = axe_violations(self.tab.page)
        if found:
            self.violations[f"{path} (HTTP {status})"] = found
        number = len(self.opened)
        shot = self.artifacts / f"e2e-a11y-{self.role}-{number:02d}-{route.name}.jpg"
        self.tab.page.screenshot(path=str(shot), type="jpeg", quality=70)
        return self.links() if status == 200 else set()

    def run(self) -> None:
        """Fixed pages first, then each page with parameters at the addresses the walked pages link to."""
        links: set[str] = set()
        for route in self.routes:
            if not route.has_parameters and route.name != "login_form":
                links |= self.open(route, route.path)
        pending = [r for r in self.routes if r.has_parameters]
        progress = True
        while pending and progress:
            progress = False
            for route in list(pending):
                fitting = (p for p in links if route.pattern.match(p) and not is_other_route(p, route))
                samples = sorted((p for p in fitting if p not in self.opened), reverse=True)
                if not samples:
                    continue
                pending.remove(route)
                progress = True
                for path in samples[:SAMPLES_PER_ROUTE]:
                    links |= self.open(route, path)


def _open_a_job(walk: Walk, routes: list[PageRoute]) -> None:
    """Ask for a document on a run page walked (POST /jobs, a read) and check the job page it leads to."""
    run_pages = sorted(p for p in walk.opened if next(r for r in routes if r.name == "run_detail").pattern.match(p))
    page = walk.tab.page
    for path in run_pages:
        walk.tab.goto(path)
        button = page.locator("main form[action='/jobs'] button[type=submit]")
        if button.count():
            with page.expect_navigation():
                button.first.click()
            walk.open(next(r for r in routes if r.name == "job_detail"), walk.tab.path)
            return
    raise AssertionError(f"no run page with a document to ask for among {run_pages}")


def _report(violations: dict[str, dict[str, list[str]]]) -> str:
    lines = []
    for role, pages in violations.items():
        for page, found in pages.items():
            lines.append(f"{role} · {page}:")
            lines.extend(f"    {line}" for line in found)
    return "\n".join(lines)


def test_no_serious_violation_on_any_page_of_any_role(browse, artifacts_dir: Path) -> None:  # type: ignore[no-untyped-def]
    routes = page_routes()
    assert len(routes) >= 25, [r.path for r in routes]
    login = next(r for r in routes if r.name == "login_form")
    violations: dict[str, dict[str, list[str]]] = {}
    reached: set[str] = set()
    for role in ROLES:
        tab: Browse = browse(f"a11y-{role}-")
        with_axe(tab.page)
        walk = Walk(tab, role, artifacts_dir, routes)
        if role == ROLES[0]:
            walk.open(login, login.path)  # the one page a visitor sees
        tab.log_in(role)
        walk.run()
        if role == "analyst":
            _open_a_job(walk, routes)
        reached |= walk.reached
        if walk.violations:
            violations[role] = walk.violations
    report = artifacts_dir / "e2e-a11y-violations.txt"
    report.write_text(_report(violations) + "\n", encoding="utf-8")
    assert not violations, f"axe-core, serious or critical (also in {report}):\n" + _report(violations)
    unreached = sorted(r.path for r in routes if r.name not in reached and r.name not in REACHED_BY_ACTION)
    assert not unreached, (
        f"pages no role reached by a link: {unreached}; link them, or name them in REACHED_BY_ACTION with the reason"
    )
    stale = sorted(name for name in REACHED_BY_ACTION if name in reached)
    assert not stale, f"reached by a link after all, remove from REACHED_BY_ACTION: {stale}"


def test_the_walk_sees_what_axe_reports(browse) -> None:  # type: ignore[no-untyped-def]
    """A planted contrast failure on a real page is reported, so the walk cannot pass by checking nothing."""
    tab: Browse = browse("a11y-planted-")
    with_axe(tab.page)
    tab.goto("/login")
    assert axe_violations(tab.page) == []
    tab.page.evaluate(
        "() => { const p = document.createElement('p'); p.textContent = '看不清的字';"
        " p.style.color = '#bbbbbb'; p.style.background = '#ffffff'; document.querySelector('main').append(p); }"
    )
    found = axe_violations(tab.page)
    assert any("color-contrast" in line for line in found), found
