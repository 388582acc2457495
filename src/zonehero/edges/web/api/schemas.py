"""Request and response bodies of the JSON API that are the web edge's own (log-in, the current user)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from zonehero.features.roles import Actor


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

    @classmethod
    def of(cls, actor: Actor, csrf_token: str) -> Me:
        assert actor.id is not None
        return cls(
            id=actor.id,
            username=actor.username,
            role=actor.role.value,
            enterprise_uscc=actor.enterprise_uscc,
            csrf_token=csrf_token,
        )


class Health(BaseModel):
    status: str


class Done(BaseModel):
    status: str = "ok"


class ErrorBody(BaseModel):
    """Every error answer: ``{"error": {status, title, message, problems?, id?}}``."""

    error: dict[str, object]
