"""Server-side sessions (会话): the record decides whether a log-in still stands, not the cookie.

The browser keeps a random token; the ``user_sessions`` row is keyed by the token's SHA-256, so neither the
table nor the audit log holds anything that opens a session. Every request :func:`resolve`\\ s its token: a
session ends when it is logged out, when its account is disabled, its password changed or reset, its role
changed, when a security administrator ends it (结束会话), when it was idle longer than
``session_idle_minutes`` and at ``session_max_age_seconds`` after log-in whatever happens. Each ending is
audited (``session.end`` with the reason; a log-out as ``logout``). ``last_seen_at`` is written at most once every
:data:`TOUCH_SECONDS`, so a page's many reads do not each write.

A password set by someone else (临时密码) or older than ``password_max_age_days`` still logs in, but the
session says so (:attr:`LoginSession.password_change`): the edges then allow nothing but changing it.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from zonehero.clock import utcnow
from zonehero.config import Settings
from zonehero.errors import NotFound, PermissionDenied
from zonehero.features.audit import service as audit
from zonehero.features.audit.origin import current_origin
from zonehero.features.roles import Actor, Role, require_security_admin
from zonehero.features.users import repository
from zonehero.features.users.actors import actor_of
from zonehero.features.users.models import User, UserSession
from zonehero.features.users.schemas import SessionRead

TOUCH_SECONDS = 60
"""``last_seen_at`` is written again only when it is at least this old."""
WARN_SECONDS = 5 * 60
"""The page warns this long before the idle timeout (or half the idle time when that is shorter)."""

END_REASONS: frozenset[str] = frozenset(
    {"logout", "idle", "expired", "disabled", "password_change", "password_reset", "role_change", "ended_by_admin"}
)
"""Why a session ends; the words are the audit log's (``zonehero.features.audit.labels.REASON_LABELS``)."""

PASSWORD_CHANGE_REASONS: dict[str, str] = {
    "temporary": "您正在使用管理员设置的临时密码，请先修改密码",
    "expired": "您的密码已超过有效期，请先修改密码",
}


@dataclass(frozen=True)
class SessionPolicy:
    """How long a log-in lasts: ``max_age_seconds`` after it at most, ``idle_minutes`` without a request;
    passwords older than ``password_max_age_days`` must be changed (None: they never expire)."""

    max_age_seconds: int = 8 * 3600
    idle_minutes: int = 30
    password_max_age_days: int | None = None

    @classmethod
    def of(cls, settings: Settings) -> SessionPolicy:
        return cls(
            max_age_seconds=settings.session_max_age_seconds,
            idle_minutes=settings.session_idle_minutes,
            password_max_age_days=settings.password_max_age_days or None,
        )

    @property
    def idle(self) -> timedelta:
        return timedelta(minutes=self.idle_minutes)

    @property
    def warn_seconds(self) -> int:
        return min(WARN_SECONDS, self.idle_minutes * 30)


@dataclass(frozen=True)
class LoginSession:
    """A session that stands, as one request sees it."""

    id: str
    actor: Actor
    ends_at: datetime
    """The sooner of the idle timeout (counted from this request) and the absolute end."""
    password_change: str | None = None
    """``temporary`` or ``expired`` when the password must be changed before anything else; None otherwise."""

    @property
    def must_change_password(self) -> bool:
        return self.password_change is not None

    @property
    def password_change_message(self) -> str | None:
        return None if self.password_change is None else PASSWORD_CHANGE_REASONS[self.password_change]


def session_id_of(token: str) -> str:
    """The row id of a cookie's token: its SHA-256 in hex."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def password_change_due(user: User, policy: SessionPolicy, now: datetime) -> str | None:
    """``temporary``, ``expired`` or None: whether (and why) the account must change its password first."""
    if user.must_change_password:
        return "temporary"
    if policy.password_max_age_days:
        changed = user.password_changed_at or user.created_at
        if changed is not None and now - changed > timedelta(days=policy.password_max_age_days):
            return "expired"
    return None


def start(session: Session, user_id: int, policy: SessionPolicy, *, now: datetime | None = None) -> str:
    """Open a session for the account (after a successful log-in); returns the token for the cookie.

    The origin (client address, browser) comes from the edge's :mod:`zonehero.features.audit.origin`.
    """
    now = now or utcnow()
    token = secrets.token_urlsafe(32)
    origin = current_origin()
    repository.add_session(
        session,
        UserSession(
            id=session_id_of(token),
            user_id=user_id,
            created_at=now,
            last_seen_at=now,
            expires_at=now + timedelta(seconds=policy.max_age_seconds),
            origin=origin.address if origin else None,
            user_agent=origin.user_agent if origin else None,
        ),
    )
    return token


def _ending_reason(row: UserSession, user: User, policy: SessionPolicy, now: datetime) -> str | None:
    if not user.active:
        return "disabled"
    if now >= row.expires_at:
        return "expired"
    if now - row.last_seen_at > policy.idle:
        return "idle"
    return None


def _end(session: Session, row: UserSession, user: User, reason: str, by: Actor | None, now: datetime) -> None:
    row.ended_at = now
    row.end_reason = reason
    session.flush()
    who = by or actor_of(user)
    after = {"username": user.username, "reason": reason, "since": row.created_at.isoformat(), "origin": row.origin}
    audit.record(session, who, "session.end", "session", row.id[:16], after=after)


def resolve(session: Session, token: str, policy: SessionPolicy, *, now: datetime | None = None) -> LoginSession | None:
    """The session behind a cookie's token, or None when there is none or it has ended.

    A session found past its idle or absolute end, or whose account was disabled, is ended here (and audited),
    so the administrators' list never shows it again. Call in a unit of work that commits even when the request
    then fails (the web edge opens its own).
    """
    now = now or utcnow()
    found = repository.session_and_user(session, session_id_of(token))
    if found is None:
        return None
    row, user = found
    if row.ended_at is not None:
        return None
    reason = _ending_reason(row, user, policy, now)
    if reason is not None:
        _end(session, row, user, reason, None, now)
        return None
    last_seen = row.last_seen_at
    if (now - last_seen).total_seconds() >= TOUCH_SECONDS:
        repository.touch_session(session, row.id, now)
        last_seen = now
    return LoginSession(
        id=row.id,
        actor=actor_of(user),
        ends_at=min(last_seen + policy.idle, row.expires_at),
        password_change=password_change_due(user, policy, now),
    )


def keep_alive(session: Session, session_id: str, policy: SessionPolicy, *, now: datetime | None = None) -> datetime:
    """「继续」: count the idle time from now (whatever :data:`TOUCH_SECONDS` says); returns the new end."""
    now = now or utcnow()
    repository.touch_session(session, session_id, now)
    found = repository.session_and_user(session, session_id)
    expires_at = found[0].expires_at if found else now
    return min(now + policy.idle, expires_at)


def log_out(session: Session, session_id: str, actor: Actor, *, now: datetime | None = None) -> None:
    """End the session at the user's request; audited as ``logout`` (not as ``session.end``)."""
    now = now or utcnow()
    found = repository.session_and_user(session, session_id)
    if found is not None and found[0].ended_at is None:
        found[0].ended_at = now
        found[0].end_reason = "logout"
        session.flush()
    audit.record(session, actor, "logout", "user", actor.id, after={"session": session_id[:16]})


def end_user_sessions(
    session: Session,
    user_id: int,
    reason: str,
    *,
    by: Actor | None = None,
    keep: str | None = None,
    now: datetime | None = None,
) -> int:
    """End every session of the account but ``keep`` (the one the user is changing their password in), with
    ``reason`` (one of :data:`END_REASONS`). Returns how many were ended.

    The services that change an account call this: a password change or reset, disabling, a role change.
    """
    if reason not in END_REASONS:
        raise ValueError(f"unknown session end reason {reason!r}")
    now = now or utcnow()
    user = repository.by_id(session, user_id)
    if user is None:
        return 0
    ended = 0
    for row in repository.unended_sessions_of(session, user_id):
        if row.id != keep:
            _end(session, row, user, reason, by, now)
            ended += 1
    return ended


def may_manage(actor: Actor) -> bool:
    """Whether ``actor`` may see and end other people's sessions (安全管理员; the navigation asks this)."""
    try:
        require_security_admin(actor)
    except PermissionDenied:
        return False
    return True


MANAGER_ROLES: frozenset[Role] = frozenset(r for r in Role if may_manage(Actor(id=None, username="?", role=r)))
"""The roles :func:`may_manage` admits, for the navigation bar."""


def list_open(
    session: Session, actor: Actor, policy: SessionPolicy, *, now: datetime | None = None
) -> list[SessionRead]:
    """Every session that stands now (not ended, not idle, not expired), most recently active first."""
    require_security_admin(actor)
    now = now or utcnow()
    rows = repository.open_sessions(session, now, now - policy.idle)
    return [
        SessionRead(
            id=row.id,
            username=user.username,
            role=user.role,
            created_at=row.created_at,
            last_seen_at=row.last_seen_at,
            origin=row.origin,
            user_agent=row.user_agent,
        )
        for row, user in rows
    ]


def end_session(
    session: Session, actor: Actor, session_id: str, *, current: str | None = None, now: datetime | None = None
) -> str:
    """结束会话: a security administrator ends one session (NotFound when it is not open); returns the user name.

    ``current`` is the administrator's own session, which this refuses to end (use 退出登录 for that).
    """
    require_security_admin(actor)
    now = now or utcnow()
    found = repository.session_and_user(session, session_id)
    if found is None or found[0].ended_at is not None:
        raise NotFound("会话不存在或已结束")
    if session_id == current:
        raise PermissionDenied("不能结束自己当前的会话，请使用「退出登录」")
    row, user = found
    _end(session, row, user, "ended_by_admin", actor, now)
    return user.username


def end_sessions_of(
    session: Session, actor: Actor, username: str, *, current: str | None = None, now: datetime | None = None
) -> int:
    """结束该用户全部会话: a security administrator ends every session of an account (not their own current one)."""
    require_security_admin(actor)
    user = repository.by_username(session, username.strip())
    if user is None:
        raise NotFound(f"用户「{username}」不存在")
    return end_user_sessions(session, user.id, "ended_by_admin", by=actor, keep=current, now=now)
