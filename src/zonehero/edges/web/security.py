"""Sessions, CSRF and security headers: the web's defences in one module.

* The session cookie is Starlette's signed cookie (``SessionMiddleware`` over
  itsdangerous): HttpOnly, SameSite=Lax, ``Secure`` in production or when asked.
  After log-in it carries only an opaque random token; the server's record of
  that token (:mod:`zonehero.features.users.sessions`) decides on every request
  whether the log-in stands, so log-out, a password change, disabling the
  account, an administrator's 结束会话, the idle timeout and the absolute
  expiry end it at once, also for a copy of the cookie.
* Every session carries one CSRF token (会话令牌). Every unsafe request
  (POST/PUT/PATCH/DELETE) must echo it in the ``X-CSRF-Token`` header or the
  ``csrf_token`` form field; the check runs as an application-wide dependency,
  so no route can forget it. ``POST /api/login`` is the one exemption: it only
  accepts a JSON body, which a cross-site form cannot send without CORS.
* Security headers on every response: a CSP without inline scripts, no
  framing, no sniffing, no referrer leaks, no powerful browser features; and
  ``Strict-Transport-Security`` when the request came over TLS (directly, or
  through a trusted proxy whose ``X-Forwarded-Proto`` said https).
"""

from __future__ import annotations

import hmac
import re
import secrets
from collections.abc import MutableMapping
from typing import Any

from fastapi import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from zonehero.edges.web.kinds import CsrfRejected

SESSION_COOKIE = "zonehero_session"
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
CSRF_EXEMPT_PATHS = frozenset({"/api/login"})
"""Paths whose unsafe requests need no token (JSON-only login; see the module docstring)."""
CSRF_EXEMPT_PATTERNS: tuple[re.Pattern[str], ...] = (re.compile(r"/api/collection/\d{1,4}/submissions"),)
"""Paths authenticated by a bearer token alone (a department's push, 数据归集): no cookie, so no CSRF."""

_TOKEN_KEY = "sid"
_CSRF_KEY = "csrf"

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
SECURITY_HEADERS: tuple[tuple[str, str], ...] = (
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Frame-Options", "DENY"),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "same-origin"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
)
NO_STORE = ("Cache-Control", "no-store")
"""On every answer outside ``/static/`` that sets no caching of its own: pages, API answers and downloads
carry confidential tax figures and must not stay in the browser cache of a shared office computer."""
CACHEABLE_PREFIX = "/static/"
HSTS = ("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
"""Only on answers to https requests: a browser then refuses plain http to this host for a year."""


Session = MutableMapping[str, Any]


def csrf_token(session: Session) -> str:
    """The session's CSRF token, created on first use (an anonymous visitor gets one for the login form)."""
    token = session.get(_CSRF_KEY)
    if not isinstance(token, str) or not token:
        token = secrets.token_urlsafe(32)
        session[_CSRF_KEY] = token
    return token


def start_session(session: Session, token: str) -> str:
    """Log in with the server-side session's ``token``: forget everything the cookie held (no fixation), new
    CSRF token. Returns the CSRF token."""
    session.clear()
    session[_TOKEN_KEY] = token
    return csrf_token(session)


def session_token(session: Session) -> str | None:
    """The opaque token of the server-side session the cookie names, if any."""
    token = session.get(_TOKEN_KEY)
    return token if isinstance(token, str) and token else None


def end_session(session: Session) -> None:
    """Forget the log-in: the middleware then clears the cookie (the server's record is ended by the caller)."""
    session.clear()


async def verify_csrf(request: Request) -> None:
    """Refuse an unsafe request whose CSRF token is missing or wrong (CsrfRejected → 403).

    Installed as an application-wide dependency. The form is parsed here only
    when the header is absent; Starlette caches it, so the endpoint's ``Form``
    parameters read the same data.
    """
    path = request.url.path
    if request.method in SAFE_METHODS or path in CSRF_EXEMPT_PATHS:
        return
    if any(p.fullmatch(path) for p in CSRF_EXEMPT_PATTERNS):
        return
    expected = request.session.get(_CSRF_KEY)
    given = request.headers.get(CSRF_HEADER)
    if given is None:
        content_type = request.headers.get("content-type", "")
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            form = await request.form()
            value = form.get(CSRF_FIELD)
            given = value if isinstance(value, str) else None
    if not isinstance(expected, str) or not given or not hmac.compare_digest(expected, given):
        raise CsrfRejected("请求缺少有效的安全令牌（CSRF），请刷新页面后重试")


class SecurityHeadersMiddleware:
    """Adds :data:`SECURITY_HEADERS` to every HTTP response (pure ASGI, so streaming responses keep streaming).

    Answers outside :data:`CACHEABLE_PREFIX` also get :data:`NO_STORE` unless
    they set their own ``Cache-Control`` (the generated class stylesheet does).
    """

    def __init__(self, app: ASGIApp, headers: tuple[tuple[str, str], ...] = SECURITY_HEADERS) -> None:
        self.app = app
        self.raw = [_raw(header) for header in headers]
        self.raw_no_store = [*self.raw, _raw(NO_STORE)]
        self.hsts = _raw(HSTS)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        wanted = self.raw if str(scope.get("path", "")).startswith(CACHEABLE_PREFIX) else self.raw_no_store
        if scope.get("scheme") == "https":
            wanted = [*wanted, self.hsts]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in wanted if k not in present]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _raw(header: tuple[str, str]) -> tuple[bytes, bytes]:
    return header[0].lower().encode("latin-1"), header[1].encode("latin-1")


def session_middleware_options(secret_key: str, max_age_seconds: int, *, secure: bool) -> dict[str, Any]:
    """Keyword arguments for Starlette's ``SessionMiddleware``: our cookie name, expiry and flags."""
    return {
        "secret_key": secret_key,
        "session_cookie": SESSION_COOKIE,
        "max_age": max_age_seconds,
        "same_site": "lax",
        "https_only": secure,
    }
