"""The one table from error kind to HTTP status, and the one place that renders an error.

A page gets an HTML error page, ``/api`` and ``/healthz`` get JSON, an htmx
request gets a toast swapped into ``#toasts``. A visitor who is not logged in
is redirected to ``/login`` (pages) or answered 401 (API). An enterprise
account is never told that something it may not see exists: its
``PermissionDenied`` is answered like ``NotFound``. An unexpected exception
is logged with an id and the user sees only that id, never ``str(exc)``.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from zonehero.clock import utcnow
from zonehero.edges.web.kinds import AccountLocked, CsrfRejected, LoginRequired, LoginThrottled, PasswordChangeRequired
from zonehero.edges.web.rendering import current_actor, render
from zonehero.errors import (
    Conflict,
    InputError,
    InputProblem,
    NotFound,
    PermissionDenied,
    Unauthenticated,
    ZoneheroError,
)
from zonehero.features.roles import Role

log = logging.getLogger("zonehero.edges.web")


@dataclass(frozen=True)
class ErrorKind:
    """How one kind of error is answered: status and the title shown above the message."""

    kind: type[Exception]
    status: int
    title: str
    advice: str
    """What the user can do next, shown under the message (a refusal never ends at a bare status)."""


ADVICE_RETRY = "请返回上一页检查后重试。"
ADVICE_INPUT = "请返回上一页，按上面的提示修改后重新提交。"
ADVICE_NOT_FOUND = "该内容可能已被删除或链接有误，请返回上一页，或从导航菜单重新进入。"
ADVICE_PERMISSION = "您的账户角色不能进行此操作；如确需办理，请联系本单位管理员调整权限，或请有权限的同事办理。"

ERROR_TABLE: tuple[ErrorKind, ...] = (
    ErrorKind(LoginRequired, 401, "需要登录", "请登录后继续。"),
    ErrorKind(AccountLocked, 423, "账户已锁定", "请稍后再试，或联系管理员解锁账户。"),
    ErrorKind(LoginThrottled, 429, "登录过于频繁", "请稍等片刻再登录。"),
    ErrorKind(Unauthenticated, 401, "登录失败", "请检查用户名和密码后重新登录。"),
    ErrorKind(CsrfRejected, 403, "请求被拒绝", "页面可能已过期：请返回上一页，刷新后重新提交。"),
    ErrorKind(PasswordChangeRequired, 403, "需要修改密码", "请先修改密码再继续。"),
    ErrorKind(NotFound, 404, "未找到", ADVICE_NOT_FOUND),
    ErrorKind(PermissionDenied, 403, "没有权限", ADVICE_PERMISSION),
    ErrorKind(Conflict, 409, "操作冲突", "数据的状态已变化或条件尚未满足：请返回上一页刷新，按上面的提示处理后再试。"),
    ErrorKind(InputError, 422, "输入有误", ADVICE_INPUT),
    ErrorKind(ZoneheroError, 400, "无法完成请求", ADVICE_RETRY),
)
"""Most specific kind first; the first entry the error is an instance of decides."""

NOT_FOUND_MESSAGE = "未找到该内容"
HTTP_TITLES = {404: "未找到", 405: "不支持的请求方法", 413: "上传内容过大", 401: "需要登录", 403: "没有权限"}
HTTP_ADVICE = {
    404: ADVICE_NOT_FOUND,
    405: "请从页面上的按钮或链接进入，不要直接在地址栏输入该地址。",
    413: "请压缩或拆分文件后重新上传。",
    401: "请登录后继续。",
    403: ADVICE_PERMISSION,
}
ADVICE_UNEXPECTED = "请稍后重试；如果问题持续，请联系管理员并提供下面的错误编号。"


def back_link(request: Request) -> str | None:
    """The page the user came from (same site only, never an outside address), for the 返回上一页 link."""
    referer = request.headers.get("referer")
    if not referer:
        return None
    parts = urlsplit(referer)
    if parts.netloc and parts.netloc != request.url.netloc:
        return None
    if not parts.path.startswith("/") or parts.path.startswith("//") or parts.path == request.url.path:
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def kind_of(exc: Exception) -> ErrorKind:
    """The table entry for ``exc`` (every ZoneheroError has one)."""
    for entry in ERROR_TABLE:
        if isinstance(exc, entry.kind):
            return entry
    raise LookupError(type(exc).__name__)


def is_api(request: Request) -> bool:
    """JSON is answered under ``/api`` and for ``/healthz``."""
    path = request.url.path
    return path == "/healthz" or path == "/api" or path.startswith("/api/")


def is_htmx(request: Request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _problems(exc: Exception) -> list[InputProblem]:
    return list(exc.problems) if isinstance(exc, InputError) else []


def error_response(
    request: Request,
    status: int,
    title: str,
    message: str,
    problems: list[InputProblem] | None = None,
    error_id: str | None = None,
    advice: str | None = None,
) -> Response:
    """Render an error as JSON, an htmx toast or an HTML page, whichever the request asked for."""
    problems = problems or []
    if is_api(request):
        body: dict[str, Any] = {"error": {"status": status, "title": title, "message": message}}
        if problems:
            body["error"]["problems"] = [
                {"message": p.message, "file": p.file, "sheet": p.sheet, "row": p.row, "column": p.column}
                for p in problems
            ]
        if error_id:
            body["error"]["id"] = error_id
        return JSONResponse(body, status_code=status)
    context = {
        "status": status,
        "title": title,
        "message": message,
        "problems": problems,
        "error_id": error_id,
        "advice": advice or ADVICE_RETRY,
        "back": back_link(request),
    }
    if is_htmx(request):
        response = render(request, "partials/toast.html", {**context, "category": "danger"}, status_code=status)
        response.headers["HX-Retarget"] = "#toasts"
        response.headers["HX-Reswap"] = "afterbegin"
        return response
    return render(request, "errors/error.html", context, status_code=status)


def _login_redirect(request: Request) -> Response:
    target = request.url.path
    if request.url.query:
        target += "?" + request.url.query
    location = "/login?next=" + quote(target, safe="")
    if is_htmx(request):
        return Response(status_code=401, headers={"HX-Redirect": location})
    return RedirectResponse(location, status_code=303)


PASSWORD_PATH = "/account/password"


def _password_redirect(request: Request) -> Response:
    """A page asked with a temporary or expired password: to 修改密码 (htmx: a full-page redirect)."""
    if is_htmx(request):
        return Response(status_code=403, headers={"HX-Redirect": PASSWORD_PATH})
    return RedirectResponse(PASSWORD_PATH, status_code=303)


async def handle_zonehero_error(request: Request, exc: Exception) -> Response:
    """Map a kind to its status through :data:`ERROR_TABLE` and render it."""
    assert isinstance(exc, ZoneheroError)
    entry = kind_of(exc)
    if isinstance(exc, LoginRequired) and not is_api(request):
        return _login_redirect(request)
    if isinstance(exc, PasswordChangeRequired) and not is_api(request):
        return _password_redirect(request)
    actor = current_actor(request)
    if entry.kind is PermissionDenied and actor is not None and actor.role == Role.ENTERPRISE:
        # An enterprise account must not learn that another enterprise's data exists.
        return error_response(request, 404, "未找到", NOT_FOUND_MESSAGE, advice=ADVICE_NOT_FOUND)
    response = error_response(request, entry.status, entry.title, exc.message, _problems(exc), advice=entry.advice)
    if isinstance(exc, Unauthenticated) and not isinstance(exc, AccountLocked | LoginThrottled) and is_api(request):
        response.headers["WWW-Authenticate"] = 'Cookie realm="zonehero"'
    if isinstance(exc, LoginThrottled) and exc.until is not None:
        response.headers["Retry-After"] = str(max(1, int((exc.until - utcnow()).total_seconds())))
    return response


VALIDATION_MESSAGES: dict[str, str] = {
    "missing": "必须填写",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "float_parsing": "应为数字",
    "decimal_parsing": "应为数字",
    "bool_parsing": "应为“是”或“否”",
    "date_parsing": "应为日期（年-月-日）",
    "date_from_datetime_parsing": "应为日期（年-月-日）",
    "greater_than_equal": "不能小于 {ge}",
    "greater_than": "应大于 {gt}",
    "less_than_equal": "不能大于 {le}",
    "less_than": "应小于 {lt}",
    "string_too_short": "至少 {min_length} 个字符",
    "string_too_long": "最多 {max_length} 个字符",
    "string_pattern_mismatch": "格式不对",
    "literal_error": "不是可选的值之一",
    "enum": "不是可选的值之一",
}
"""pydantic's error types in Chinese: its own messages are English and list the stored codes ('signing', …)."""


def validation_message(error: Mapping[str, Any]) -> str:
    """One request-parameter problem as a person reads it (a type not listed reads 无效的值)."""
    template = VALIDATION_MESSAGES.get(str(error.get("type", "")), "无效的值")
    try:
        return template.format(**(error.get("ctx") or {}))
    except (KeyError, IndexError):
        return "无效的值"


async def handle_validation_error(request: Request, exc: Exception) -> Response:
    """Request parameters that do not parse: 422 with every problem, named by the parameter."""
    assert isinstance(exc, RequestValidationError)
    problems = []
    for error in exc.errors():
        location = [str(part) for part in error.get("loc", ()) if part not in ("body", "query", "path", "form")]
        problems.append(InputProblem(validation_message(error), column=".".join(location) or None))
    return error_response(request, 422, "输入有误", "请求参数无效", problems, advice=ADVICE_INPUT)


async def handle_http_exception(request: Request, exc: Exception) -> Response:
    """Routing errors (unknown path, wrong method) in the same dress as ours."""
    assert isinstance(exc, StarletteHTTPException)
    title = HTTP_TITLES.get(exc.status_code, "请求失败")
    message = NOT_FOUND_MESSAGE if exc.status_code == 404 else title
    response = error_response(request, exc.status_code, title, message, advice=HTTP_ADVICE.get(exc.status_code))
    if exc.headers:
        for key, value in exc.headers.items():
            response.headers.setdefault(key, value)
    return response


async def handle_unexpected(request: Request, exc: Exception) -> Response:
    """A bug: log it with an id, show the user the id only."""
    error_id = secrets.token_hex(4)
    log.exception("unexpected error %s on %s %s", error_id, request.method, request.url.path, exc_info=exc)
    return error_response(
        request,
        500,
        "系统错误",
        f"服务器内部错误，请联系管理员并提供错误编号 {error_id}",
        error_id=error_id,
        advice=ADVICE_UNEXPECTED,
    )


class UnexpectedErrorMiddleware:
    """Turns an unexpected exception into the 500 page *inside* the session and header middlewares.

    Starlette's own ``Exception`` handler runs outermost, where the security
    headers would be missing; this middleware is installed innermost instead.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watch(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, watch)
        except Exception as exc:
            if started:
                raise
            response = await handle_unexpected(Request(scope), exc)
            await response(scope, receive, send)


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers above on ``app`` (the middleware is added by ``create_app``)."""
    app.add_exception_handler(ZoneheroError, handle_zonehero_error)
    app.add_exception_handler(RequestValidationError, handle_validation_error)
    app.add_exception_handler(StarletteHTTPException, handle_http_exception)
