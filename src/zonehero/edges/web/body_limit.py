"""One size limit for every request body (请求大小上限), before any route reads it.

Per-file checks (``upload_max_bytes``, ``evidence_max_bytes``,
``photo_max_bytes``) name the file that is too large, but only once the form
parser has already taken the whole body onto the server's disk. This
middleware stops a request whose body is larger than
``Settings.request_max_bytes`` first: at once when its ``Content-Length``
says so, otherwise (a chunked body) as soon as the bytes received pass the
limit. Either way the answer is 413 with a Chinese message, rendered like
every other error (JSON under ``/api``, a toast for htmx, else the error page).

It is installed inside the session middleware (the error page needs the
session) and inside :class:`~zonehero.edges.web.errors.UnexpectedErrorMiddleware`
(a cut-off body is the client's doing, not a bug to log).
"""

from __future__ import annotations

from fastapi import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from zonehero.edges.web.errors import HTTP_TITLES, error_response

STATUS = 413


class _BodyTooLarge(Exception):
    """Raised into the application when it reads past the limit; never leaves the middleware."""


def too_large_message(max_bytes: int) -> str:
    """The message a refused request gets: the limit in MB, and what to do."""
    limit = f"{max_bytes / (1024 * 1024):g} MB" if max_bytes >= 1024 * 1024 else f"{max_bytes} 字节"
    return f"请求内容过大（上限 {limit}），请压缩文件或分批上传"


def declared_length(scope: Scope) -> int | None:
    """The request's ``Content-Length`` (None when absent or not a number)."""
    for key, value in scope.get("headers", []):
        if key == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


class BodySizeLimitMiddleware:
    """Answers 413 to any HTTP request whose body is larger than ``max_bytes`` (pure ASGI)."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = declared_length(scope)
        if declared is not None and declared > self.max_bytes:
            await self._refuse(scope, receive, send)
            return

        received = 0
        cut_off = False
        answered = False

        async def limited_receive() -> Message:
            nonlocal received, cut_off
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    cut_off = True
                    raise _BodyTooLarge
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal answered
            if cut_off and not answered:
                return  # whatever the application made of a cut-off body (400, 500 …) is replaced by the 413
            if message["type"] == "http.response.start":
                answered = True
            await send(message)

        try:
            await self.app(scope, limited_receive, guarded_send)
        except Exception:
            # The body parser may wrap the cut-off in its own error; any error after it is the cut-off's doing.
            if not cut_off or answered:
                raise
        if cut_off and not answered:
            await self._refuse(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        response = error_response(request, STATUS, HTTP_TITLES[STATUS], too_large_message(self.max_bytes))
        response.headers["Connection"] = "close"  # the rest of the body is not read
        await response(scope, receive, send)
