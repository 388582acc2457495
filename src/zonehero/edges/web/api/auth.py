"""``/healthz`` and the API's log-in, log-out, current user and session keep-alive."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy import text

from zonehero.clock import utcnow
from zonehero.edges.web.accounts import log_in, log_out, session_policy
from zonehero.edges.web.api.schemas import Done, ErrorBody, Health, KeepAlive, LoginRequest, Me
from zonehero.edges.web.deps import CurrentLogin, CurrentUser, SessionDep
from zonehero.edges.web.security import csrf_token
from zonehero.features.users import sessions

router = APIRouter()

ERRORS: dict[int | str, dict[str, Any]] = {401: {"model": ErrorBody, "description": "未登录或用户名/密码错误"}}


@router.get("/healthz", response_model=Health, tags=["health"])
def healthz(session: SessionDep) -> Health:
    """200 when the server answers and the database is reachable (no log-in needed)."""
    session.execute(text("SELECT 1"))
    return Health(status="ok")


@router.post(
    "/api/login",
    response_model=Me,
    tags=["auth"],
    responses={
        **ERRORS,
        423: {"model": ErrorBody, "description": "登录失败次数过多，账户已锁定"},
        429: {"model": ErrorBody, "description": "此地址登录失败次数过多，暂停登录（见 Retry-After）"},
    },
)
def api_login(request: Request, body: LoginRequest) -> Me:
    """Log in with JSON ``{"username", "password"}``: sets the session cookie, returns the user and CSRF token.

    ``must_change_password`` true: the password is temporary or expired; change it on the 修改密码 page first
    (every other call answers 403 until then).
    """
    login, token = log_in(request, body.username, body.password)
    return Me.of(login, token)


@router.post("/api/logout", response_model=Done, tags=["auth"], responses=ERRORS)
def api_logout(request: Request, session: SessionDep, actor: CurrentUser) -> Done:
    """End the session on the server (a copy of the cookie stops working too); needs ``X-CSRF-Token``."""
    log_out(request, session, actor)
    return Done()


@router.get("/api/me", response_model=Me, tags=["auth"], responses=ERRORS)
def api_me(request: Request, login: CurrentLogin) -> Me:
    """The logged-in account, its CSRF token and when its session ends unless used."""
    return Me.of(login, csrf_token(request.session))


@router.post("/api/session/keepalive", response_model=KeepAlive, tags=["auth"], responses=ERRORS)
def api_keepalive(request: Request, session: SessionDep, login: CurrentLogin) -> KeepAlive:
    """「继续」: count the idle timeout from now (the page's expiry warning calls this)."""
    policy = session_policy(request)
    ends = sessions.keep_alive(session, login.id, policy)
    remaining = max(0, int((ends - utcnow()).total_seconds()))
    return KeepAlive(expires_at=ends, expires_in=remaining, warn_before=policy.warn_seconds)
