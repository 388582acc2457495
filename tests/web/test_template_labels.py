"""Templates print labels from the registries, never a stored code (draft, open, red, signing …) or a copy of a map.

Static checks over every template: they need no database, and fail the moment a template writes ``{{ run.status }}``
into the page text or carries its own ``{"open": "待处理", …}``.
"""

from __future__ import annotations

import re

import pytest

from zonehero.core.domain.labels import (
    IMPORT_STATUS_LABELS,
    OBJECTION_STATUS_LABELS,
    RUN_STATUS_LABELS,
    ZJTX_LEVEL_LABELS,
)
from zonehero.core.evaluation.scheme_parse import ZJTX_LEVELS
from zonehero.core.schedule.model import MilestoneKind
from zonehero.core.schedule.warnings import Light
from zonehero.edges.web.rendering import TEMPLATES_DIR, build_templates
from zonehero.features.imports.models import BATCH_STATUSES
from zonehero.features.objections.models import OBJECTION_STATUSES
from zonehero.features.runs.models import RUN_STATUSES

TEMPLATES = sorted(p.relative_to(TEMPLATES_DIR).as_posix() for p in TEMPLATES_DIR.rglob("*.html"))

CODED = frozenset({"status", "run_status", "zjtx_level", "level", "top_level", "kind", "light", "role", "milestone"})
"""Attributes of a record that hold a stored code; printed as page text they must pass through a label.

A bare name is not checked (``{{ status }}`` on the error page is the HTTP status number)."""

HAND_MAP = re.compile(r"""\{\s*['"][a-z_]+['"]\s*:\s*['"][^'"]*[\u4e00-\u9fff]""")
"""A dict literal from a code to Chinese: a copy of a registry."""

OPEN_ATTRIBUTE = re.compile(r"""[\w:-]+\s*=\s*"[^"<>]*$""")


def _bare_codes(source: str, name: str) -> list[str]:
    """``{{ x.status }}`` (or ``{{ x.level or '' }}``) written into the page text rather than into an attribute."""
    env = build_templates().env
    text = ""
    found: list[str] = []
    inside: list[tuple[str, str]] | None = None
    for lineno, kind, value in env.lex(source, name):
        if kind == "data":
            text += value
        elif kind == "variable_begin":
            inside = []
        elif kind == "variable_end" and inside is not None:
            expr = [(k, v) for k, v in inside if not (k == "name" and v == "or") and k != "string"]
            chain = all((k, v) == ("operator", ".") if i % 2 else k == "name" for i, (k, v) in enumerate(expr))
            if len(expr) >= 3 and chain and expr[-1][1] in CODED and not OPEN_ATTRIBUTE.search(text):
                found.append(f"{name}:{lineno}: {{{{ {''.join(v for _, v in inside)} }}}}")
            inside = None
        elif inside is not None and kind not in ("whitespace",):
            inside.append((kind, value))
    return found


@pytest.mark.parametrize("name", TEMPLATES)
def test_no_template_prints_a_stored_code(name: str) -> None:
    assert _bare_codes((TEMPLATES_DIR / name).read_text("utf-8"), name) == []


@pytest.mark.parametrize("name", TEMPLATES)
def test_no_template_keeps_its_own_label_map(name: str) -> None:
    source = (TEMPLATES_DIR / name).read_text("utf-8")
    assert [m.group(0) for m in HAND_MAP.finditer(source)] == []


def test_the_checks_catch_what_they_guard() -> None:
    """The two checks above flag the kinds of copy this suite removed (so they cannot pass vacuously)."""
    bad = (
        '<tr data-status="{{ run.status }}"><td>{{ run.status }}</td><td>{{ d.level or "" }}</td></tr>\n'
        '{{ {"open": "待处理", "accepted": "已采纳"}.get(o.status, o.status) }}'
    )
    assert len(_bare_codes(bad, "bad.html")) == 2
    assert len(HAND_MAP.findall(bad)) == 1


def test_every_stored_code_has_a_label() -> None:
    assert set(RUN_STATUS_LABELS) == set(RUN_STATUSES)
    assert set(OBJECTION_STATUS_LABELS) == set(OBJECTION_STATUSES)
    assert set(IMPORT_STATUS_LABELS) == set(BATCH_STATUSES)
    assert set(ZJTX_LEVEL_LABELS) == set(ZJTX_LEVELS)
    env = build_templates().env
    assert [env.globals["light_label"](light.value) for light in Light] == ["绿灯", "黄灯", "红灯"]
    assert [env.globals["milestone_label"](k.value) for k in MilestoneKind] == ["签约", "开工", "投产"]
