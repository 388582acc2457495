"""Logging in and out at the web edge, on top of ``zonehero.features.users`` (accounts and server-side sessions).

A failed log-in changes the store (failure counts of the account and of the client address, lock, audit entry),
so it runs in its own unit of work that commits *before* the failure is raised; the request's ``SessionDep`` would
roll it back. Checking a request's session also runs in its own unit of work (:func:`resolve_login`): ending an
idle session must stick even though the request is then answered 401.
"""

from __future__ import annotations

from fastapi import Request
from sqlalchemy.orm import Session

from zonehero.clock import utcnow
from zonehero.config import Settings
from zonehero.db.session import unit_of_work
from zonehero.edges.web.kinds import AccountLocked, LoginThrottled
from zonehero.edges.web.security import end_session, session_token, start_session
from zonehero.errors import Unauthenticated
from zonehero.features.audit.origin import current_origin
from zonehero.features.roles import Actor
from zonehero.features.users import service as users
from zonehero.features.users import sessions
from zonehero.features.users.schemas import LoginResult
from zonehero.features.users.sessions import LoginSession, SessionPolicy
from zonehero.features.users.throttle import ThrottlePolicy

_LOGIN_STATE = "login"


def session_policy(request: Request) -> SessionPolicy:
    settings: Settings = request.app.state.settings
    return SessionPolicy.of(settings)


def _authenticate(request: Request, session: Session, username: str, password: str) -> LoginResult:
    settings: Settings = request.app.state.settings
    origin = current_origin()
    return users.authenticate(
        session,
        username,
        password,
        policy=users.LockoutPolicy(failures=settings.lockout_failures, minutes=settings.lockout_minutes),
        address=origin.address if origin else None,
        throttling=ThrottlePolicy.of(settings),
    )


def _raise_refusal(result: LoginResult) -> None:
    now = utcnow()
    if result.throttled_until is not None and result.throttled_until > now:
        raise LoginThrottled(result.message or "登录过于频繁，请稍后再试", result.throttled_until)
    if result.locked_until is not None and result.locked_until > now:
        raise AccountLocked(result.message or "账户已锁定", result.locked_until)


def log_in(request: Request, username: str, password: str) -> tuple[LoginSession, str]:
    """Check the credentials and open a server-side session; returns it and the new CSRF token.

    Raises Unauthenticated (401) for a wrong name or password, AccountLocked (423) while the account is
    locked and LoginThrottled (429) while the client address is refused.
    """
    policy = session_policy(request)
    with unit_of_work(request.app.state.session_factory) as session:
        result = _authenticate(request, session, username, password)
        login: LoginSession | None = None
        if result.actor is not None and result.actor.id is not None:
            token = sessions.start(session, result.actor.id, policy)
            login = sessions.resolve(session, token, policy)
    if login is None:
        _raise_refusal(result)
        result.actor_or_raise()
        raise Unauthenticated("用户名或密码错误")  # pragma: no cover - an account vanished mid-log-in
    request.state.login = login
    request.state.actor = login.actor
    return login, start_session(request.session, token)


def resolve_login(request: Request) -> LoginSession | None:
    """The request's standing session (kept on ``request.state``), or None; an ended one clears the cookie."""
    if hasattr(request.state, _LOGIN_STATE):
        found: LoginSession | None = getattr(request.state, _LOGIN_STATE)
        return found
    token = session_token(request.session)
    login = None
    if token is not None:
        with unit_of_work(request.app.state.session_factory) as session:
            login = sessions.resolve(session, token, session_policy(request))
        if login is None:
            end_session(request.session)
    request.state.login = login
    if login is not None:
        request.state.actor = login.actor
    return login


def current_login(request: Request) -> LoginSession | None:
    """The session :func:`resolve_login` found for this request (None when not resolved or none)."""
    found = getattr(request.state, _LOGIN_STATE, None)
    return found if isinstance(found, LoginSession) else None


def keep_session_after_password_change(request: Request) -> None:
    """The user changed their own password: their other sessions have ended, this one goes on with a new CSRF
    token (and without the 临时密码 restriction from the next request on)."""
    token = session_token(request.session)
    if token is not None:
        start_session(request.session, token)


def log_out(request: Request, session: Session, actor: Actor | None) -> None:
    """End the server-side session and clear the cookie; a logged-in user's log-out is audited (``logout``)."""
    login = current_login(request)
    if actor is not None and login is not None:
        sessions.log_out(session, login.id, actor)
    end_session(request.session)


def verify_own_password(request: Request, actor: Actor, password: str) -> None:
    """Re-check the logged-in user's current password (before changing it).

    Goes through the same log-in check, so wrong guesses count towards the
    lockout and the address throttle and are audited; raises like :func:`log_in`.
    """
    with unit_of_work(request.app.state.session_factory) as session:
        result = _authenticate(request, session, actor.username, password)
    _raise_refusal(result)
    if result.actor is None or result.actor.id != actor.id:
        raise Unauthenticated("当前密码不正确")


def safe_next(target: str | None) -> str | None:
    """``target`` when it is a path on this site (no open redirect to another host), else None."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    return target
