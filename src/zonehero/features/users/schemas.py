"""Accounts as the edges see them (never the password hash)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pydantic import BaseModel, ConfigDict

from zonehero.errors import Unauthenticated
from zonehero.features.roles import Actor


class UserRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    username: str
    role: str
    enterprise_uscc: str | None
    unit_name: str | None = None
    department: str | None = None
    active: bool
    failed_logins: int
    locked_until: datetime | None
    last_login_at: datetime | None
    created_at: datetime
    must_change_password: bool = False
    password_changed_at: datetime | None = None


class SessionRead(BaseModel):
    """An open session as the security administrator sees it (``id`` is the token's hash, not the token)."""

    id: str
    username: str
    role: str
    created_at: datetime
    last_seen_at: datetime
    origin: str | None
    user_agent: str | None


class AccountRow(BaseModel):
    """One account on the accounts page with what the viewer may do to it (decided by the users service)."""

    user: UserRead
    manage: bool
    """Reset the password, disable, enable (系统管理员: business accounts)."""
    change_role: bool
    """Change the role (安全管理员)."""


class AccountsView(BaseModel):
    """The accounts page: every account, the roles a new account may get, the roles a change may give."""

    rows: list[AccountRow]
    create_roles: list[str]
    assign_roles: list[str]


@dataclass(frozen=True)
class LoginResult:
    """The outcome of a log-in attempt.

    A failed attempt still changes the store (failure count, lock, audit
    entry), so the service returns instead of raising: the edge commits its
    unit of work and then calls :meth:`actor_or_raise`.
    """

    actor: Actor | None
    message: str | None = None
    locked_until: datetime | None = None
    throttled_until: datetime | None = None
    """Set when the client address is refused for a while (too many failures from it)."""

    @property
    def ok(self) -> bool:
        return self.actor is not None

    def actor_or_raise(self) -> Actor:
        """The logged-in actor, or Unauthenticated with the message for the user."""
        if self.actor is None:
            raise Unauthenticated(self.message or "用户名或密码错误")
        return self.actor
