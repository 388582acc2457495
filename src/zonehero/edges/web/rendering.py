"""Rendering pages: the Jinja2 environment, the context every page gets, flash messages.

The templates object is built in :func:`zonehero.edges.web.app.create_app` and kept
on ``app.state``; pages call :func:`render`. Every template can use
``current_user`` (an Actor or None), ``csrf_token``, ``nav``, ``flashes``,
``static_url(path)`` and ``route_path(name, **params)`` (site-relative URLs),
``role_label``, ``escalation_label``, ``class_colours`` and the filters ``number``/``datetime`` plus the
number rules of :mod:`zonehero.core.domain.numbers` (``quantity``, ``rank``, ``industry``, ...).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from zonehero.clock import local_time, utcnow
from zonehero.core.domain import numbers
from zonehero.core.domain.classes import CLASS_COLOURS, CLASS_TEXT_COLOURS, GROUP_LABELS, STATUS_LABELS
from zonehero.core.domain.labels import import_status_label, objection_status_label, run_status_label
from zonehero.core.land import square_metres_to_mu
from zonehero.core.schedule.model import MilestoneKind
from zonehero.core.schedule.warnings import Light
from zonehero.edges.web.nav import nav_for, todo_badge
from zonehero.edges.web.security import csrf_token
from zonehero.features.projects import access as project_access
from zonehero.features.roles import ROLE_LABELS, Actor, Role
from zonehero.features.users.sessions import LoginSession, SessionPolicy
from zonehero.reports.land_text import land_sentence

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
FlashCategory = Literal["success", "info", "warning", "danger"]
_FLASH_KEY = "flash"


def flash(request: Request, message: str, category: FlashCategory = "success") -> None:
    """Keep ``message`` in the session until the next page renders it (post → redirect → get)."""
    messages = list(request.session.get(_FLASH_KEY, []))
    messages.append({"category": category, "message": message})
    request.session[_FLASH_KEY] = messages


def _pop_flashes(request: Request) -> list[dict[str, str]]:
    if _FLASH_KEY not in request.session:
        return []
    return list(request.session.pop(_FLASH_KEY))


def current_actor(request: Request) -> Actor | None:
    """The actor the auth dependency put on the request, if any."""
    actor = getattr(request.state, "actor", None)
    return actor if isinstance(actor, Actor) else None


def _session_expiry(request: Request) -> dict[str, int] | None:
    """Seconds until the request's session ends unless used, and how long before that the page warns."""
    login = getattr(request.state, "login", None)
    if not isinstance(login, LoginSession):
        return None
    warn = SessionPolicy.of(request.app.state.settings).warn_seconds
    return {"expires_in": max(0, int((login.ends_at - utcnow()).total_seconds())), "warn_before": warn}


def _base_context(request: Request) -> dict[str, Any]:
    actor = current_actor(request)
    return {
        "session_expiry": _session_expiry(request) if actor is not None else None,
        "current_user": actor,
        "csrf_token": csrf_token(request.session),
        "nav": nav_for(actor),
        "todo_count": lambda: todo_badge(getattr(request.state, "db", None), actor),
        "project_permissions": project_access.permissions_of(actor),
        "flashes": _pop_flashes(request),
        "current_path": request.url.path,
        "static_url": lambda path: str(request.app.url_path_for("static", path=path)),
        "route_path": lambda name, **params: str(request.app.url_path_for(name, **params)),
    }


def format_number(value: float | int | None, decimals: int = 2) -> str:
    """Thousands separators and fixed decimals (an int as a count); ``—`` for a missing value."""
    if isinstance(value, int) and not isinstance(value, bool):
        return numbers.count(value)
    return numbers.fixed(value, decimals)


def format_datetime(value: datetime | None) -> str:
    """A UTC timestamp shown in the zone's local time (the one clock's time zone)."""
    local = local_time(value)
    return "—" if local is None else local.strftime("%Y-%m-%d %H:%M")


def escalation_label(level_label: str | None, escalated_to: str | None) -> str:
    """督办 of an overdue difficulty, each part once: ``责任单位（招商局）``, ``包挂领导（王副主任）``, ``管委会主任``.

    The escalation names who must act; at the director's level (and for a
    project without a named 包挂领导) that name is the level's own label, which
    is then shown alone. ``—`` when the difficulty is not escalated.
    """
    if not level_label:
        return escalated_to or "—"
    if not escalated_to or escalated_to == level_label:
        return level_label
    return f"{level_label}（{escalated_to}）"


def build_templates() -> Jinja2Templates:
    """The Jinja2 environment with autoescape, our filters and the per-request base context."""
    templates = Jinja2Templates(directory=str(TEMPLATES_DIR), context_processors=[_base_context])
    env = templates.env
    env.filters["number"] = format_number
    env.filters["datetime"] = format_datetime
    # One rule per unit (zonehero.core.domain.numbers): pages print numbers only through these.
    env.filters["count"] = numbers.count
    env.filters["quantity"] = numbers.quantity
    env.filters["with_unit"] = numbers.with_unit
    env.filters["money_total"] = numbers.money_total
    env.filters["percent"] = numbers.percent
    env.filters["signed"] = numbers.signed
    env.filters["rank"] = numbers.rank
    env.filters["industry"] = numbers.industry
    env.filters["carbon_grade"] = numbers.carbon_grade
    env.filters["figure"] = numbers.figure
    env.globals["land_sentence"] = land_sentence  # one enterprise's 用地面积认定 in words (the notice's sentence)
    env.filters["mu"] = square_metres_to_mu  # m² of a parcel or lease → 亩, then shown through ``quantity``
    env.globals["field_figure"] = numbers.field_figure
    env.globals["field_label"] = numbers.field_label
    env.globals["carbon_grade_note"] = numbers.CARBON_GRADE_NOTE
    env.globals["role_label"] = lambda role: ROLE_LABELS.get(Role(role), str(role))
    env.globals["escalation_label"] = escalation_label
    env.globals["run_status_label"] = run_status_label
    env.globals["objection_status_label"] = objection_status_label
    env.globals["import_status_label"] = import_status_label
    env.globals["light_label"] = lambda light: Light(light).label
    env.globals["milestone_label"] = lambda kind: MilestoneKind(kind).label
    env.globals["class_colours"] = CLASS_COLOURS
    env.globals["class_text_colours"] = CLASS_TEXT_COLOURS
    env.globals["status_labels"] = STATUS_LABELS
    env.globals["group_labels"] = GROUP_LABELS
    return templates


def render(request: Request, name: str, context: dict[str, Any] | None = None, status_code: int = 200) -> HTMLResponse:
    """Render template ``name`` with ``context`` plus the base context."""
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(request, name, context or {}, status_code=status_code)
