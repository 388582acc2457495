"""Administration pages: accounts (用户, admin only) and the audit log (审计日志, admin; leader read-only)."""

from __future__ import annotations

import json
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import RedirectResponse, Response

from zonehero.edges.web.accounts import keep_session_after_password_change
from zonehero.edges.web.deps import AdminUser, AuditReader, SessionDep
from zonehero.edges.web.errors import kind_of
from zonehero.edges.web.paging import PageDep
from zonehero.edges.web.rendering import flash, render
from zonehero.errors import Conflict, InputError
from zonehero.features.audit import service as audit
from zonehero.features.roles import ROLE_LABELS, Role
from zonehero.features.users import service as users

router = APIRouter(prefix="/admin", include_in_schema=False)

Username = Annotated[str, Path(max_length=64)]


def _users_page(request: Request, session: SessionDep, actor: AdminUser, **extra: Any) -> dict[str, Any]:
    return {
        "users": users.list_users(session, actor),
        "roles": [(role.value, label) for role, label in ROLE_LABELS.items()],
        "form": {"username": "", "role": Role.ANALYST.value, "enterprise_uscc": ""},
        "problems": [],
        **extra,
    }


@router.get("/users", name="admin_users")
def list_users(request: Request, session: SessionDep, actor: AdminUser) -> Response:
    return render(request, "admin/users.html", _users_page(request, session, actor))


@router.post("/users", name="admin_add_user")
def add_user(
    request: Request,
    session: SessionDep,
    actor: AdminUser,
    username: Annotated[str, Form(max_length=64)],
    role: Annotated[str, Form(max_length=16)],
    password: Annotated[str, Form(max_length=256)],
    enterprise_uscc: Annotated[str, Form(max_length=32)] = "",
) -> Response:
    """Create an account; input problems come back on the same page (422), a taken name as 409."""
    try:
        users.create_user(session, actor, username, password, role, enterprise_uscc=enterprise_uscc.strip() or None)
    except (InputError, Conflict) as exc:
        problems = [str(p) for p in exc.problems] if isinstance(exc, InputError) else [exc.message]
        form = {"username": username, "role": role, "enterprise_uscc": enterprise_uscc}
        context = _users_page(request, session, actor, form=form, problems=problems)
        return render(request, "admin/users.html", context, status_code=kind_of(exc).status)
    flash(request, f"已创建账户「{username.strip()}」")
    return RedirectResponse("/admin/users", status_code=303)


@router.post("/users/{username}/active", name="admin_set_active")
def set_active(
    request: Request,
    session: SessionDep,
    actor: AdminUser,
    username: Username,
    active: Annotated[bool, Form()],
) -> Response:
    """Disable or re-enable an account (a disabled account's sessions end at its next request)."""
    users.set_active(session, actor, username, active)
    flash(request, f"已{'启用' if active else '停用'}账户「{username}」")
    return RedirectResponse("/admin/users", status_code=303)


@router.post("/users/{username}/password", name="admin_reset_password")
def reset_password(
    request: Request,
    session: SessionDep,
    actor: AdminUser,
    username: Username,
    new_password: Annotated[str, Form(max_length=256)],
) -> Response:
    """Set a new password for an account (also lifts a lock)."""
    users.set_password(session, actor, username, new_password)
    if username.strip().lower() == actor.username.lower():
        keep_session_after_password_change(request, session, actor)
    flash(request, f"已重置账户「{username}」的密码")
    return RedirectResponse("/admin/users", status_code=303)


def _json(value: Any) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False, indent=1, default=str)


@router.get("/audit", name="admin_audit")
def audit_log(
    request: Request,
    session: SessionDep,
    actor: AuditReader,
    page: PageDep,
    action: Annotated[str, Query(max_length=64)] = "",
    entity: Annotated[str, Query(max_length=64)] = "",
    entity_id: Annotated[str, Query(max_length=64)] = "",
    actor_name: Annotated[str, Query(max_length=64)] = "",
) -> Response:
    """The audit log, newest first, filtered by action, entity, entity id and who acted."""
    filters = {"action": action, "entity": entity, "entity_id": entity_id, "actor_name": actor_name}
    result = audit.list_entries(
        session,
        actor,
        **{key: value.strip() or None for key, value in filters.items()},
        limit=page.size,
        offset=page.offset,
    )
    query = urlencode({key: value for key, value in filters.items() if value})
    context = {
        "entries": result.items,
        "page": page.of(result.total),
        "filters": filters,
        "query_without_page": query,
        "as_json": _json,
    }
    return render(request, "admin/audit.html", context)
