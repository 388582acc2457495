"""Where a request comes from, for the audit log: the client address and the browser.

:class:`OriginMiddleware` sets :mod:`zonehero.features.audit.origin` for the duration of each request, so every
entry a service records during it carries the address without any route passing it. Behind a reverse proxy the
address is the proxy's unless the proxy is trusted (``ZONEHERO_TRUSTED_PROXIES``): then uvicorn's
``ProxyHeadersMiddleware``, installed outside this one by :func:`install_origin`, has already replaced the client
with the right-most untrusted address of ``X-Forwarded-For``. A header from anyone else is ignored, so a client
cannot write a false address into the log.
"""

from __future__ import annotations

from fastapi import FastAPI
from starlette.types import ASGIApp, Receive, Scope, Send
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from zonehero.features.audit.origin import Origin, origin_scope


def request_origin(scope: Scope) -> Origin:
    """The origin of an HTTP request: its (possibly proxy-corrected) client host and its User-Agent."""
    client = scope.get("client")
    address = client[0] if client else "?"
    agent = None
    for name, value in scope.get("headers", []):
        if name == b"user-agent":
            agent = value.decode("latin-1")
            break
    return Origin(address, agent)


class OriginMiddleware:
    """Runs each HTTP request inside :func:`origin_scope` of its :func:`request_origin` (pure ASGI, so a
    streaming response keeps its origin to the end)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        with origin_scope(request_origin(scope)):
            await self.app(scope, receive, send)


def install_origin(app: FastAPI, trusted_proxies: str) -> None:
    """Add the origin middleware, and outside it the proxy-header rewrite when proxies are trusted.

    Call after every other ``add_middleware``: these two then run first.
    """
    app.add_middleware(OriginMiddleware)
    trusted = [host.strip() for host in trusted_proxies.split(",") if host.strip()]
    if trusted:
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=trusted)  # type: ignore[arg-type]
