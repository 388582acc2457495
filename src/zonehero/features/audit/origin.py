"""Where an action comes from (来源): a client address, the command line, a background job.

The edges know it and the services do not, so the edge sets it once per request, command or job with
:func:`origin_scope` (or :func:`set_origin` for a whole process) and :func:`zonehero.features.audit.service.record`
reads it from a context variable. No service passes it by hand, and a log-in that fails before any account is
known is still recorded with its address. A context variable follows the request into the worker thread that
runs a synchronous endpoint (Starlette copies the context), and stays apart between concurrent requests.
"""

from __future__ import annotations

import getpass
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
from dataclasses import dataclass

ADDRESS_MAX = 64
"""Longest origin kept (an IPv6 address with a zone index fits)."""
USER_AGENT_MAX = 200
"""A browser's User-Agent is cut to this many characters: enough to tell browsers apart, no room for a payload."""


@dataclass(frozen=True)
class Origin:
    """``address``: a client IP, ``cli:<OS user>`` or ``job #<id>``; ``user_agent``: the browser, if any."""

    address: str
    user_agent: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "address", _clean(self.address, ADDRESS_MAX) or "?")
        object.__setattr__(self, "user_agent", _clean(self.user_agent, USER_AGENT_MAX))

    @classmethod
    def command_line(cls, os_user: str | None = None) -> Origin:
        """The server's command line, run by ``os_user`` (default: the user running this process)."""
        if os_user is None:
            try:
                os_user = getpass.getuser()
            except (KeyError, OSError):  # no passwd entry (a container with a bare uid)
                os_user = "?"
        return cls(f"cli:{os_user}")

    @classmethod
    def job(cls, job_id: int | str) -> Origin:
        """A background job (its id names the job's own row, where who asked for it is kept)."""
        return cls(f"job #{job_id}")


def _clean(text: str | None, limit: int) -> str | None:
    if text is None:
        return None
    # Control characters would let a crafted header forge a line in an export or a terminal.
    printable = "".join(ch if ch.isprintable() else " " for ch in text).strip()
    return printable[:limit] or None


_current: ContextVar[Origin | None] = ContextVar("zonehero_audit_origin", default=None)


def current_origin() -> Origin | None:
    """The origin the edge set for what is running now; None when no edge set one (a test calling a service)."""
    return _current.get()


def set_origin(origin: Origin | None) -> Token[Origin | None]:
    """Set the origin for the rest of this context (the CLI does it once per command); returns the reset token."""
    return _current.set(origin)


def reset_origin(token: Token[Origin | None]) -> None:
    """Put back the origin :func:`set_origin` replaced."""
    _current.reset(token)


@contextmanager
def origin_scope(origin: Origin | None) -> Iterator[Origin | None]:
    """Everything audited inside the block comes from ``origin`` (a request, a job)."""
    token = _current.set(origin)
    try:
        yield origin
    finally:
        _current.reset(token)
