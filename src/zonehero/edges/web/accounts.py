"""Logging in and out at the web edge, on top of ``zonehero.features.users.service``.

A failed log-in changes the store (failure count, lock, audit entry), so it
runs in its own unit of work that commits *before* the failure is raised;
the request's ``SessionDep`` would roll it back.
"""

from __future__ import annotations

from fastapi import Request
from sqlalchemy.orm import Session

from zonehero.clock import utcnow
from zonehero.config import Settings
from zonehero.db.session import unit_of_work
from zonehero.edges.web.kinds import AccountLocked
from zonehero.edges.web.security import end_session, start_session
from zonehero.errors import Unauthenticated
from zonehero.features.audit import service as audit
from zonehero.features.roles import Actor
from zonehero.features.users import service as users


def log_in(request: Request, username: str, password: str) -> tuple[Actor, str]:
    """Check the credentials and start the session; returns the actor and the new CSRF token.

    Raises Unauthenticated (401) for a wrong name or password and
    AccountLocked (423) while the account is locked.
    """
    settings: Settings = request.app.state.settings
    policy = users.LockoutPolicy(failures=settings.lockout_failures, minutes=settings.lockout_minutes)
    with unit_of_work(request.app.state.session_factory) as session:
        result = users.authenticate(session, username, password, policy=policy)
        stamp = users.password_stamp(session, result.actor.id) if result.actor and result.actor.id else None
    if not result.ok and result.locked_until is not None and result.locked_until > utcnow():
        raise AccountLocked(result.message or "账户已锁定", result.locked_until)
    actor = result.actor_or_raise()
    assert actor.id is not None and stamp is not None
    return actor, start_session(request.session, actor.id, stamp)


def keep_session_after_password_change(request: Request, session: Session, actor: Actor) -> None:
    """Re-open the acting user's own session on the new password (a new password ends every older session).

    Call after ``users.set_password`` changed ``actor``'s own password; the
    CSRF token is renewed with it.
    """
    assert actor.id is not None
    stamp = users.password_stamp(session, actor.id)
    if stamp is not None:
        start_session(request.session, actor.id, stamp)


def log_out(request: Request, session: Session, actor: Actor | None) -> None:
    """End the session (the cookie is cleared); a logged-in user's log-out is audited in the request's unit of
    work."""
    if actor is not None:
        audit.record(session, actor, "logout", "user", actor.id)
    end_session(request.session)


def verify_own_password(request: Request, actor: Actor, password: str) -> None:
    """Re-check the logged-in user's current password (before changing it).

    Goes through the same log-in check, so wrong guesses count towards the
    lockout and are audited; raises like :func:`log_in`.
    """
    settings: Settings = request.app.state.settings
    policy = users.LockoutPolicy(failures=settings.lockout_failures, minutes=settings.lockout_minutes)
    with unit_of_work(request.app.state.session_factory) as session:
        result = users.authenticate(session, actor.username, password, policy=policy)
    if not result.ok and result.locked_until is not None and result.locked_until > utcnow():
        raise AccountLocked(result.message or "账户已锁定", result.locked_until)
    if result.actor is None or result.actor.id != actor.id:
        raise Unauthenticated("当前密码不正确")


def safe_next(target: str | None) -> str | None:
    """``target`` when it is a path on this site (no open redirect to another host), else None."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    return target
