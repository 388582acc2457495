"""会话管理 (``/admin/sessions``): the security administrator sees every open session and ends any of them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import RedirectResponse, Response

from zonehero.edges.web.accounts import current_login, session_policy
from zonehero.edges.web.deps import SecurityAdmin, SessionDep
from zonehero.edges.web.rendering import flash, render
from zonehero.features.users import sessions

router = APIRouter(prefix="/admin/sessions", include_in_schema=False)

SessionId = Annotated[str, Path(max_length=64)]
Username = Annotated[str, Path(max_length=64)]


def _own(request: Request) -> str | None:
    login = current_login(request)
    return login.id if login else None


@router.get("", name="admin_sessions")
def list_sessions(request: Request, session: SessionDep, actor: SecurityAdmin) -> Response:
    """Open sessions (user, role, since, last seen, address, browser), most recently active first."""
    open_sessions = sessions.list_open(session, actor, session_policy(request))
    policy = session_policy(request)
    context = {
        "sessions": open_sessions,
        "own_session": _own(request),
        "idle_minutes": policy.idle_minutes,
        "max_age_hours": round(policy.max_age_seconds / 3600, 1),
    }
    return render(request, "admin/sessions.html", context)


@router.post("/{session_id}/end", name="admin_end_session")
def end_session(request: Request, session: SessionDep, actor: SecurityAdmin, session_id: SessionId) -> Response:
    """结束会话: the session stops working at once (its next request is answered as logged out)."""
    username = sessions.end_session(session, actor, session_id, current=_own(request))
    flash(request, f"已结束「{username}」的一个会话")
    return RedirectResponse("/admin/sessions", status_code=303)


@router.post("/users/{username}/end", name="admin_end_user_sessions")
def end_user_sessions(request: Request, session: SessionDep, actor: SecurityAdmin, username: Username) -> Response:
    """结束该用户全部会话 (the administrator's own current session is kept)."""
    count = sessions.end_sessions_of(session, actor, username, current=_own(request))
    flash(request, f"已结束「{username}」的 {count} 个会话")
    return RedirectResponse("/admin/sessions", status_code=303)
