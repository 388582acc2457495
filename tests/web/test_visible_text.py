"""No page shows a user a registry key (``rd_intensity``, ``under_review``, ``draft``) or a bare status code (``409``).

Every page row of the role matrix (tests/web/role_matrix.py, which lists every route) is rendered for every persona
in the seeded test world, refusals included (the error page, and the toast an htmx request gets); the text a person
reads is scanned: text nodes and the ``placeholder``/``title``/``aria-label``/``alt`` attributes, leaving out
``<script>``, ``<style>`` and the technical ``<code>``/``<pre>``/``<textarea>`` (the scheme's TOML view, an error
number). A registry key there means a template printed a stored code instead of its label; a status number alone
in a heading, an alert or a toast means a refusal reached the user as a code. The template-level check of the same
rule is test_template_labels.py; this one sees what the templates are given too.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from types import ModuleType

import pytest
from fastapi.testclient import TestClient
from role_matrix import OFFICE_UNIT_ELSEWHERE, ROLE_MATRIX, Row
from web_client import api_login
from web_personas import ROLES, World
from web_projects import PROJECT_ROLES

from zonehero.core.cultivation import assign, conditions, result
from zonehero.core.domain import classes, fields, labels
from zonehero.core.evaluation.indicators import definitions
from zonehero.core.evaluation.scheme import default_scheme
from zonehero.core.schedule import lists, model, warnings
from zonehero.core.targets import progress
from zonehero.demo.seed import ENTERPRISE_ACCOUNT, STAFF_ACCOUNTS
from zonehero.features import roles
from zonehero.features.audit import labels as audit_labels
from zonehero.features.jobs import schemas as job_schemas
from zonehero.features.jobs.models import JOB_STATUSES

LABEL_MODULES: tuple[ModuleType, ...] = (
    labels,
    classes,
    conditions,
    result,
    assign,
    progress,
    lists,
    job_schemas,
    audit_labels,
)
"""Modules whose ``*_LABELS`` maps turn stored codes into Chinese: their keys are the codes no page may show."""
CODE_ENUMS: tuple[type[enum.Enum], ...] = (
    model.MilestoneKind,
    model.DifficultyStatus,
    warnings.Light,
    roles.Role,
)

SNAKE_CASE = re.compile(r"(?<![\w.@/-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w@/-])")
"""An identifier such as ``rd_intensity`` or ``under_review``: never Chinese text, always a key leaking through."""
WORD = re.compile(r"(?<![\w.@/-])[a-z]+(?![\w@/-])")
STATUS_ALONE = re.compile(r"^(?:HTTP\s*)?[1-5]\d\d(?:\s+[A-Za-z][A-Za-z ]*)?$|^[\u4e00-\u9fff（）]+\s*[1-5]\d\d$")
"""A heading, alert or toast that is a status number (``409``, ``HTTP 403``, ``操作冲突 409``, ``404 Not Found``)."""
REASON_PHRASES = re.compile(
    r"\b(?:Forbidden|Not Found|Conflict|Unprocessable (?:Entity|Content)|Internal Server Error|Bad Request|"
    r"Method Not Allowed|Unauthorized|Too Many Requests|Payload Too Large|Content Too Large)\b"
)
"""HTTP reason phrases: a framework's default error body, never the platform's own words."""
TECHNICAL = frozenset({"script", "style", "code", "pre", "textarea", "template", "kbd", "samp"})
SHOWN_ATTRIBUTES = ("placeholder", "title", "aria-label", "alt")
MESSAGE_TAGS = frozenset({"title", "h1", "h2", "h3", "h4", "h5", "h6"})
MESSAGE_CLASSES = frozenset({"alert", "toast", "toast-body", "error-card", "error-message", "invalid-feedback"})
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"})
DATA_NAMES = frozenset({*ROLES, *PROJECT_ROLES, ENTERPRISE_ACCOUNT, *(name for name, _ in STAFF_ACCOUNTS)})
"""The test world's user names: data a person typed, shown as typed (the account list, the audit log's 操作人).
Some equal a role's code (``analyst``, ``unit``); a role printed as its code is caught by test_template_labels.py."""
NOT_PAGES = ("/api/", "/healthz", "/assets/")
DOWNLOAD = re.compile(r"\.(?:pdf|xlsx|zip|csv)(?:\?|$)|/export|/download|/photos/|/evidence/")


def registry_codes() -> frozenset[str]:
    """Every stored code with a Chinese label: the label maps' keys, the coded enums, the field and indicator keys."""
    codes: set[str] = {str(s) for s in JOB_STATUSES}
    for module in LABEL_MODULES:
        for name, value in vars(module).items():
            if name.endswith("_LABELS") and isinstance(value, dict):
                codes.update(str(getattr(k, "value", k)) for k in value)
    for kind in CODE_ENUMS:
        codes.update(str(member.value) for member in kind)
    codes.update(f.key for f in fields.FIELDS)
    codes.update(definitions(default_scheme()))  # indicator key → its groups
    return frozenset(c for c in codes if re.fullmatch(r"[a-z][a-z0-9_]*", c))


CODES = registry_codes()


class _Reader(HTMLParser):
    """Collects what a person reads, and the messages (headings, alerts, toasts) as whole texts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []
        """(tag, is a message element) of the open elements."""
        self.texts: list[str] = []
        self.messages: list[list[str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if not self._technical():
            self.texts.extend(v for k in SHOWN_ATTRIBUTES if (v := found.get(k)))
        if tag in VOID:
            return
        classes_ = set((found.get("class") or "").split())
        message = tag in MESSAGE_TAGS or bool(classes_ & MESSAGE_CLASSES) or found.get("role") == "alert"
        self.stack.append((tag, message))
        if message:
            self.messages.append([])

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            open_tag, message = self.stack.pop()
            if message:
                text = " ".join("".join(self.messages.pop()).split())
                if text:
                    self.texts.append(f"\x00{text}")  # a message's whole text, marked for the status check
            if open_tag == tag:
                return

    def handle_data(self, data: str) -> None:
        if self._technical() or not data.strip():
            return
        self.texts.append(data)
        if self.messages:
            self.messages[-1].append(data)

    def _technical(self) -> bool:
        return any(tag in TECHNICAL for tag, _ in self.stack)


def leaks(html: str) -> list[str]:
    """What a person would read on ``html`` that is a registry key, a bare status code or an HTTP reason phrase."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    found: list[str] = []
    for text in reader.texts:
        if text.startswith("\x00"):
            if STATUS_ALONE.match(text[1:]):
                found.append(f"status code as the message: {text[1:]!r}")
            continue
        keys = {m.group(0) for m in SNAKE_CASE.finditer(text)}
        keys |= {m.group(0) for m in WORD.finditer(text) if m.group(0) in CODES}
        keys -= DATA_NAMES
        found.extend(f"registry key {key!r} in {' '.join(text.split())[:80]!r}" for key in sorted(keys))
        found.extend(f"HTTP reason phrase {m.group(0)!r}" for m in REASON_PHRASES.finditer(text))
    return found


def _expected(row: Row, persona: str) -> int | None:
    if persona in ROLES:
        return row.statuses[ROLES.index(persona)]
    office_unit = row.office_unit or OFFICE_UNIT_ELSEWHERE.get((row.method, row.path))
    return office_unit[PROJECT_ROLES.index(persona)] if office_unit else None


def _page_rows() -> Iterator[Row]:
    for row in ROLE_MATRIX:
        if row.method == "GET" and not row.path.startswith(NOT_PAGES) and not DOWNLOAD.search(row.path):
            yield row


PERSONAS = (*ROLES, *PROJECT_ROLES)


@pytest.mark.parametrize("persona", PERSONAS)
def test_no_page_shows_a_registry_key_or_a_status_code(
    persona: str, app_factory: Callable[..., TestClient], world: World
) -> None:
    client = app_factory()
    if persona != "anonymous":
        api_login(client, persona)
    found: list[str] = []
    pages = 0
    for row in _page_rows():
        status = _expected(row, persona)
        if status is None or status in (301, 302, 303, 307):
            continue
        path = row.path.format(**world.placeholders())
        answers = [client.get(path)]
        if status >= 400:  # a refusal of an htmx request is a toast, not a page: read that too
            answers.append(client.get(path, headers={"HX-Request": "true"}))
        for answer in answers:
            if "text/html" not in answer.headers.get("content-type", ""):
                continue
            pages += 1
            found.extend(f"{row.path} (HTTP {answer.status_code}): {leak}" for leak in leaks(answer.text))
    assert pages >= (1 if persona == "anonymous" else 3), f"{persona}: too few pages read ({pages})"
    assert not found, f"{persona}:\n" + "\n".join(found)


def test_the_scan_finds_what_it_guards() -> None:
    """Planted leaks are all reported, and the same words where they belong are not (it can fail, and is fair)."""
    planted = (
        "<html><head><title>操作冲突 409</title></head><body>"
        '<nav><a href="/x" title="under_review">公示</a></nav>'
        "<h1>409</h1><div class='alert alert-danger'>HTTP 403</div>"
        "<table><tr><td>rd_intensity</td><td>draft</td><td>研发投入 1.2</td></tr></table>"
        '<div class="toast"><div class="toast-body">404 Not Found</div></div>'
        '<input placeholder="land_area_mu"></body></html>'
    )
    found = leaks(planted)
    expected = [
        "status code as the message: '操作冲突 409'",
        "registry key 'under_review'",
        "status code as the message: '409'",
        "status code as the message: 'HTTP 403'",
        "registry key 'rd_intensity'",
        "registry key 'draft'",
        "status code as the message: '404 Not Found'",
        "HTTP reason phrase 'Not Found'",
        "registry key 'land_area_mu'",
    ]
    for leak in expected:
        assert any(f.startswith(leak) for f in found), (leak, found)
    fair = (
        "<html><body><h1>企业（共 409 家）</h1><p>错误编号：<code>req_4f2a</code></p>"
        '<pre>[scoring]\nmissing_policy = "zero"</pre><textarea>key = "rd_intensity"</textarea>'
        '<a href="/runs?status=draft" data-status="draft">草稿</a><td>enterprise_a</td>'
        "<p>税务局_2024年度纳税情况.xlsx · ops@example.cn</p></body></html>"
    )
    assert leaks(fair) == []
    assert {"draft", "notice", "rd_intensity", "red", "land_area_mu", "vetoed", "above"} <= CODES
