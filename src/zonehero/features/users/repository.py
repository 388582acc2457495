"""Queries of the users table."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from zonehero.features.users.models import User


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
