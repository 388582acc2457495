"""``/healthz`` and the API's log-in, log-out and current user."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy import text

from zonehero.edges.web.accounts import log_in, log_out
from zonehero.edges.web.api.schemas import Done, ErrorBody, Health, LoginRequest, Me
from zonehero.edges.web.deps import CurrentUser, SessionDep
from zonehero.edges.web.security import csrf_token

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
    responses={**ERRORS, 423: {"model": ErrorBody, "description": "登录失败次数过多，账户已锁定"}},
)
def api_login(request: Request, body: LoginRequest) -> Me:
    """Log in with JSON ``{"username", "password"}``: sets the session cookie, returns the user and CSRF token."""
    actor, token = log_in(request, body.username, body.password)
    return Me.of(actor, token)


@router.post("/api/logout", response_model=Done, tags=["auth"], responses=ERRORS)
def api_logout(request: Request, session: SessionDep, actor: CurrentUser) -> Done:
    """End the session (needs the ``X-CSRF-Token`` header like every unsafe request)."""
    log_out(request, session, actor)
    return Done()


@router.get("/api/me", response_model=Me, tags=["auth"], responses=ERRORS)
def api_me(request: Request, actor: CurrentUser) -> Me:
    """The logged-in account and its CSRF token."""
    return Me.of(actor, csrf_token(request.session))
