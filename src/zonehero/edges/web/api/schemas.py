"""Request and response bodies of the JSON API that are the web edge's own (log-in, the current user)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from zonehero.features.users.sessions import LoginSession


class LoginRequest(BaseModel):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)


class Me(BaseModel):
    """The logged-in account and the CSRF token to send as ``X-CSRF-Token`` on unsafe requests."""

    id: int
    username: str
    role: str
    enterprise_uscc: str | None
    csrf_token: str
    must_change_password: bool = False
    """True while the password is temporary or expired: every other call answers 403 until it is changed."""
    session_expires_at: datetime | None = None
    """When the session ends unless used again (the idle timeout, or the absolute end if sooner)."""

    @classmethod
    def of(cls, login: LoginSession, csrf_token: str) -> Me:
        actor = login.actor
        assert actor.id is not None
        return cls(
            id=actor.id,
            username=actor.username,
            role=actor.role.value,
            enterprise_uscc=actor.enterprise_uscc,
            csrf_token=csrf_token,
            must_change_password=login.must_change_password,
            session_expires_at=login.ends_at,
        )


class KeepAlive(BaseModel):
    """「继续」: the session's new end, and the seconds until the page should warn again."""

    expires_at: datetime
    expires_in: int
    warn_before: int


class Health(BaseModel):
    status: str


class Done(BaseModel):
    status: str = "ok"


class ErrorBody(BaseModel):
    """Every error answer: ``{"error": {status, title, message, problems?, id?}}``."""

    error: dict[str, object]
