"""Error kinds that only the web edge raises (log-in and CSRF); their statuses are in ``errors.ERROR_TABLE``."""

from __future__ import annotations

from datetime import datetime

from zonehero.errors import PermissionDenied, Unauthenticated


class LoginRequired(Unauthenticated):
    """Nobody is logged in (or the session expired): pages redirect to /login, the API answers 401."""

    def __init__(self, message: str = "请先登录") -> None:
        super().__init__(message)


class AccountLocked(Unauthenticated):
    """Too many failed log-ins: the account is locked until ``locked_until`` (423)."""

    def __init__(self, message: str, locked_until: datetime | None = None) -> None:
        super().__init__(message)
        self.locked_until = locked_until


class CsrfRejected(PermissionDenied):
    """The unsafe request lacked the session's CSRF token (always 403, whoever asks)."""


class LoginThrottled(Unauthenticated):
    """Too many failed log-ins from this client address: it may try again at ``until`` (429)."""

    def __init__(self, message: str, until: datetime | None = None) -> None:
        super().__init__(message)
        self.until = until


class PasswordChangeRequired(PermissionDenied):
    """The account's password is temporary or expired: pages send it to 修改密码, the API answers 403."""
