"""Administration pages under 三员分立: accounts (用户: the system administrator creates, resets, disables and
enables business accounts; the security administrator changes roles) and the audit log (审计日志: the audit
administrator alone). What each may do to which account is the users service's answer; the page shows it."""

from __future__ import annotations

import io
from datetime import date
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, Form, Path, Query, Request
from fastapi.responses import RedirectResponse, Response

from zonehero.edges.web.accounts import current_login, keep_session_after_password_change
from zonehero.edges.web.deps import AccountAdmin, AuditReader, CurrentUser, SecurityAdmin, SessionDep
from zonehero.edges.web.errors import kind_of
from zonehero.edges.web.paging import PageDep
from zonehero.edges.web.rendering import flash, render
from zonehero.errors import Conflict, InputError, InputProblem
from zonehero.features.audit import service as audit
from zonehero.features.audit.export import export_xlsx
from zonehero.features.audit.schemas import AuditList
from zonehero.features.collection import service as collection
from zonehero.features.documents.files import XLSX_MEDIA_TYPE
from zonehero.features.roles import ROLE_LABELS, Actor, Role
from zonehero.features.users import service as users

router = APIRouter(prefix="/admin", include_in_schema=False)

Username = Annotated[str, Path(max_length=64)]


def _users_page(session: SessionDep, actor: Actor, **extra: Any) -> dict[str, Any]:
    view = users.accounts_view(session, actor)
    return {
        "accounts": view,
        "form": {"username": "", "role": Role.ANALYST.value, "enterprise_uscc": "", "department": ""},
        "departments": collection.department_names(session),
        "problems": [],
        "reset_problems": [],
        **extra,
    }


@router.get("/users", name="admin_users")
def list_users(request: Request, session: SessionDep, actor: CurrentUser) -> Response:
    """Every account: the system administrator's tools, or the security administrator's role changes."""
    return render(request, "admin/users.html", _users_page(session, actor))


@router.post("/users", name="admin_add_user")
def add_user(
    request: Request,
    session: SessionDep,
    actor: AccountAdmin,
    username: Annotated[str, Form(max_length=64)],
    role: Annotated[str, Form(max_length=16)],
    password: Annotated[str, Form(max_length=256)],
    enterprise_uscc: Annotated[str, Form(max_length=32)] = "",
    department: Annotated[str, Form(max_length=32)] = "",
) -> Response:
    """Create an account with a temporary password (changed at its first log-in); input problems come back on the
    same page (422), a taken name as 409."""
    try:
        users.create_user(
            session,
            actor,
            username,
            password,
            role,
            enterprise_uscc=enterprise_uscc.strip() or None,
            department=department.strip() or None,
            temporary=True,
        )
    except (InputError, Conflict) as exc:
        problems = [str(p) for p in exc.problems] if isinstance(exc, InputError) else [exc.message]
        form = {"username": username, "role": role, "enterprise_uscc": enterprise_uscc, "department": department}
        context = _users_page(session, actor, form=form, problems=problems)
        return render(request, "admin/users.html", context, status_code=kind_of(exc).status)
    flash(request, f"已创建账户「{username.strip()}」，首次登录须修改初始密码")
    return RedirectResponse("/admin/users", status_code=303)


@router.post("/users/{username}/active", name="admin_set_active")
def set_active(
    request: Request,
    session: SessionDep,
    actor: AccountAdmin,
    username: Username,
    active: Annotated[bool, Form()],
) -> Response:
    """Disable or re-enable an account (disabling ends its sessions at once)."""
    users.set_active(session, actor, username, active)
    flash(request, f"已{'启用' if active else '停用'}账户「{username}」")
    return RedirectResponse("/admin/users", status_code=303)


@router.post("/users/{username}/password", name="admin_reset_password")
def reset_password(
    request: Request,
    session: SessionDep,
    actor: AccountAdmin,
    username: Username,
    new_password: Annotated[str, Form(max_length=256)],
) -> Response:
    """Set a temporary password for an account (also lifts a lock and ends its sessions); the account must change
    it at its next log-in. A weak password comes back on the users page with every reason (422)."""
    login = current_login(request)
    try:
        users.set_password(session, actor, username, new_password, keep_session=login.id if login else None)
    except InputError as exc:
        problems = [f"「{username}」：{p.message}" for p in exc.problems]
        context = _users_page(session, actor, reset_problems=problems)
        return render(request, "admin/users.html", context, status_code=422)
    own = username.strip().lower() == actor.username.lower()
    if own:
        keep_session_after_password_change(request)
    flash(request, f"已重置账户「{username}」的密码" + ("" if own else "（临时密码，下次登录须修改）"))
    return RedirectResponse("/admin/users", status_code=303)


@router.post("/users/{username}/role", name="admin_set_role")
def set_role(
    request: Request,
    session: SessionDep,
    actor: SecurityAdmin,
    username: Username,
    role: Annotated[str, Form(max_length=32)],
) -> Response:
    """Change an account's role (安全管理员): the account's sessions end at once, so it logs in under the new role."""
    changed = users.set_role(session, actor, username, role)
    flash(request, f"已将账户「{changed.username}」的角色改为「{ROLE_LABELS[Role(changed.role)]}」")
    return RedirectResponse("/admin/users", status_code=303)


class AuditQuery:
    """The audit page's filters from the query string; dates arrive as text (an empty date box sends "")."""

    def __init__(
        self,
        action: Annotated[str, Query(max_length=64)] = "",
        entity: Annotated[str, Query(max_length=64)] = "",
        entity_id: Annotated[str, Query(max_length=64)] = "",
        actor_name: Annotated[str, Query(max_length=64)] = "",
        date_from: Annotated[str, Query(max_length=10)] = "",
        date_to: Annotated[str, Query(max_length=10)] = "",
    ) -> None:
        self.values = {
            "action": action.strip(),
            "entity": entity.strip(),
            "entity_id": entity_id.strip(),
            "actor_name": actor_name.strip(),
            "date_from": date_from.strip(),
            "date_to": date_to.strip(),
        }

    def criteria(self) -> dict[str, Any]:
        """Keyword arguments of the audit service (InputError naming a date that is not YYYY-MM-DD)."""
        problems: list[InputProblem] = []
        days: dict[str, date | None] = {}
        for key in ("date_from", "date_to"):
            try:
                days[key] = date.fromisoformat(self.values[key]) if self.values[key] else None
            except ValueError:
                problems.append(InputProblem(f"日期「{self.values[key]}」应写作 YYYY-MM-DD", column=key))
        if problems:
            raise InputError(problems)
        text = {key: self.values[key] or None for key in ("action", "entity", "entity_id", "actor_name")}
        return {**text, **days}

    def query(self) -> str:
        return urlencode({key: value for key, value in self.values.items() if value})


AuditQueryDep = Annotated[AuditQuery, Depends()]


@router.get("/audit", name="admin_audit")
def audit_log(
    request: Request, session: SessionDep, actor: AuditReader, page: PageDep, filters: AuditQueryDep
) -> Response:
    """The audit log, newest first, filtered by person, action, date range (and object), in words."""
    problems: list[str] = []
    try:
        result = audit.list_entries(session, actor, **filters.criteria(), limit=page.size, offset=page.offset)
    except InputError as exc:
        problems = [p.message for p in exc.problems]
        result = AuditList(items=[], total=0)
    context = {
        "entries": result.items,
        "page": page.of(result.total),
        "filters": filters.values,
        "choices": audit.filter_choices(session, actor),
        "problems": problems,
        "query_without_page": filters.query(),
    }
    return render(request, "admin/audit.html", context, status_code=422 if problems else 200)


@router.get("/audit/export.xlsx", name="admin_audit_export")
def audit_export(session: SessionDep, actor: AuditReader, filters: AuditQueryDep) -> Response:
    """The filtered log as xlsx (every page, oldest first); the export is itself audited."""
    criteria = filters.criteria()
    buffer = io.BytesIO()
    export_xlsx(
        session,
        actor,
        buffer,
        date_from=criteria["date_from"],
        date_to=criteria["date_to"],
        action=criteria["action"],
        actor_name=criteria["actor_name"],
    )
    span = "_".join(d.isoformat() for d in (criteria["date_from"], criteria["date_to"]) if d) or "全部"
    name = quote(f"审计日志_{span}.xlsx")
    return Response(
        buffer.getvalue(),
        media_type=XLSX_MEDIA_TYPE,
        headers={"Content-Disposition": f"attachment; filename=\"audit-log.xlsx\"; filename*=UTF-8''{name}"},
    )
