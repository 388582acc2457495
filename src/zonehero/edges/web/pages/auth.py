"""Log in, log out, change one's own password (登录 / 退出 / 修改密码)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from zonehero.edges.web.accounts import (
    keep_session_after_password_change,
    log_in,
    log_out,
    safe_next,
    verify_own_password,
)
from zonehero.edges.web.deps import CurrentLogin, OptionalUser, SessionDep
from zonehero.edges.web.errors import PASSWORD_PATH, kind_of
from zonehero.edges.web.nav import home_path
from zonehero.edges.web.rendering import flash, render
from zonehero.errors import InputError, Unauthenticated
from zonehero.features.users import service as users
from zonehero.features.users.sessions import LoginSession

router = APIRouter(include_in_schema=False)


@router.get("/login", name="login_form")
def login_form(request: Request, actor: OptionalUser, next: Annotated[str | None, Query()] = None) -> Response:
    """The log-in form; a logged-in user goes straight home."""
    if actor is not None:
        return RedirectResponse(safe_next(next) or home_path(actor), status_code=303)
    return render(request, "auth/login.html", {"next": safe_next(next) or "", "username": ""})


@router.post("/login", name="login")
def login(
    request: Request,
    username: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=256)],
    next: Annotated[str, Form()] = "",
) -> Response:
    """Check the credentials; on success redirect to ``next`` or home (to 修改密码 first when the password is
    temporary or expired), else show the form again (401/423/429)."""
    try:
        login, _ = log_in(request, username, password)
    except Unauthenticated as exc:
        context = {"next": safe_next(next) or "", "username": username, "error": exc.message}
        return render(request, "auth/login.html", context, status_code=kind_of(exc).status)
    if login.must_change_password:
        flash(request, login.password_change_message or "请先修改密码", "warning")
        return RedirectResponse(PASSWORD_PATH, status_code=303)
    return RedirectResponse(safe_next(next) or home_path(login.actor), status_code=303)


@router.post("/logout", name="logout")
def logout(request: Request, session: SessionDep, actor: OptionalUser) -> Response:
    log_out(request, session, actor)
    flash(request, "已退出登录", "info")
    return RedirectResponse("/login", status_code=303)


def _password_page(request: Request, login: LoginSession, problems: list[str], status_code: int = 200) -> Response:
    context = {"problems": problems, "required": login.password_change_message}
    return render(request, "auth/password.html", context, status_code=status_code)


@router.get("/account/password", name="password_form")
def password_form(request: Request, login: CurrentLogin) -> Response:
    return _password_page(request, login, [])


@router.post("/account/password", name="change_password")
def change_password(
    request: Request,
    login: CurrentLogin,
    session: SessionDep,
    current_password: Annotated[str, Form(max_length=256)],
    new_password: Annotated[str, Form(max_length=256)],
    confirm_password: Annotated[str, Form(max_length=256)],
) -> Response:
    """Change one's own password after re-entering the current one; every other session of the account ends."""
    actor = login.actor
    if new_password != confirm_password:
        return _password_page(request, login, ["两次输入的新密码不一致"], status_code=422)
    try:
        verify_own_password(request, actor, current_password)
        users.set_password(session, actor, actor.username, new_password, keep_session=login.id)
    except (Unauthenticated, InputError) as exc:
        problems = [str(p.message) for p in exc.problems] if isinstance(exc, InputError) else [exc.message]
        return _password_page(request, login, problems, status_code=kind_of(exc).status)
    keep_session_after_password_change(request)
    flash(request, "密码已修改")
    return RedirectResponse(home_path(actor), status_code=303)
