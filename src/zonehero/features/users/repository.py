"""Queries of the users table and of what log-in security keeps beside it (sessions, password history, throttle)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from zonehero.features.users.models import LoginThrottle, PasswordHistory, User, UserSession


def by_username(session: Session, username: str) -> User | None:
    return session.scalar(select(User).where(func.lower(User.username) == username.lower()))


def by_id(session: Session, user_id: int) -> User | None:
    return session.get(User, user_id)


def all_users(session: Session) -> Sequence[User]:
    return session.scalars(select(User).order_by(User.username)).all()


def active_with_role(session: Session, role: str) -> int:
    """How many active accounts hold ``role``."""
    return session.scalar(select(func.count()).select_from(User).where(User.role == role, User.active)) or 0


def add(session: Session, user: User) -> User:
    session.add(user)
    session.flush()
    return user


# --- sessions (会话)


def add_session(session: Session, row: UserSession) -> UserSession:
    session.add(row)
    session.flush()
    return row


def session_and_user(session: Session, session_id: str) -> tuple[UserSession, User] | None:
    """One session with its account, in one query (every request asks this)."""
    row = session.execute(
        select(UserSession, User).join(User, User.id == UserSession.user_id).where(UserSession.id == session_id)
    ).first()
    return None if row is None else (row[0], row[1])


def open_sessions(session: Session, now: datetime, idle_since: datetime) -> Sequence[tuple[UserSession, User]]:
    """Sessions not ended, not past their absolute end and seen since ``idle_since``, newest activity first."""
    rows = session.execute(
        select(UserSession, User)
        .join(User, User.id == UserSession.user_id)
        .where(
            UserSession.ended_at.is_(None),
            UserSession.expires_at > now,
            UserSession.last_seen_at >= idle_since,
        )
        .order_by(UserSession.last_seen_at.desc(), UserSession.id)
    ).all()
    return [(r[0], r[1]) for r in rows]


def unended_sessions_of(session: Session, user_id: int) -> Sequence[UserSession]:
    """Every session of the account not yet marked ended (also idle or expired ones: ending them records why)."""
    return session.scalars(
        select(UserSession)
        .where(UserSession.user_id == user_id, UserSession.ended_at.is_(None))
        .order_by(UserSession.created_at)
    ).all()


def touch_session(session: Session, session_id: str, now: datetime) -> None:
    session.execute(update(UserSession).where(UserSession.id == session_id).values(last_seen_at=now))


# --- password history


def recent_password_hashes(session: Session, user_id: int, limit: int) -> list[str]:
    return list(
        session.scalars(
            select(PasswordHistory.password_hash)
            .where(PasswordHistory.user_id == user_id)
            .order_by(PasswordHistory.set_at.desc(), PasswordHistory.id.desc())
            .limit(limit)
        )
    )


def add_password_history(session: Session, user_id: int, password_hash: str, now: datetime, keep: int) -> None:
    """Remember a password and forget all but the newest ``keep`` (an old hash is a liability, not a safeguard)."""
    session.add(PasswordHistory(user_id=user_id, password_hash=password_hash, set_at=now))
    session.flush()
    kept = (
        select(PasswordHistory.id)
        .where(PasswordHistory.user_id == user_id)
        .order_by(PasswordHistory.set_at.desc(), PasswordHistory.id.desc())
        .limit(keep)
    )
    session.execute(
        delete(PasswordHistory).where(
            PasswordHistory.user_id == user_id, PasswordHistory.id.not_in(kept.scalar_subquery())
        )
    )


# --- log-in throttle per client address


def locked_throttle(session: Session, address: str, now: datetime) -> LoginThrottle:
    """The address's row, created when missing, locked until the unit of work ends (one writer per address).

    ``INSERT … ON CONFLICT DO NOTHING`` first, so two processes meeting a new address both go on to the same row.
    """
    values = {"address": address, "failures": 0, "window_started_at": now, "blocks": 0}
    if session.get_bind().dialect.name == "postgresql":
        session.execute(pg_insert(LoginThrottle).values(**values).on_conflict_do_nothing(index_elements=["address"]))
    else:
        session.execute(
            sqlite_insert(LoginThrottle).values(**values).on_conflict_do_nothing(index_elements=["address"])
        )
    row = session.scalars(
        select(LoginThrottle)
        .where(LoginThrottle.address == address)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()
    return row


def throttle_of(session: Session, address: str) -> LoginThrottle | None:
    return session.get(LoginThrottle, address)
