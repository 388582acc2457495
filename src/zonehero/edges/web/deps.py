"""Dependencies every route uses, as ``Annotated`` aliases.

* ``SessionDep`` – the request's unit of work: one SQLAlchemy session,
  committed when the endpoint returns (before the response is sent), rolled
  back when it raises.
* ``SettingsDep`` – the application's :class:`~zonehero.config.Settings`.
* ``OptionalUser`` – the logged-in :class:`~zonehero.features.roles.Actor` or None
  (the server-side session decides: :func:`zonehero.edges.web.accounts.resolve_login`).
* ``CurrentUser`` – the logged-in Actor; nobody logged in raises LoginRequired
  (pages redirect to /login, the API answers 401). An account whose password
  is temporary or expired gets PasswordChangeRequired (pages redirect to
  修改密码, the API answers 403) everywhere but :data:`PASSWORD_CHANGE_PATHS`.
* ``CurrentLogin`` – the request's :class:`~zonehero.features.users.sessions.LoginSession`.
* ``require_role(*roles)`` – the Actor, when its role is one of ``roles``
  (PermissionDenied otherwise); ``StaffUser``, ``EditorUser``,
  ``AccountAdmin``, ``SecurityAdmin`` and ``AuditReader`` are the usual
  combinations. The three administrators (三员分立) pass only their own:
  ``AccountAdmin`` (系统管理员), ``SecurityAdmin`` (安全管理员), ``AuditReader``
  (审计管理员); the role sets themselves live in :mod:`zonehero.features.roles`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from zonehero.config import Settings
from zonehero.db.session import unit_of_work
from zonehero.edges.web.accounts import resolve_login
from zonehero.edges.web.kinds import LoginRequired, PasswordChangeRequired
from zonehero.errors import PermissionDenied
from zonehero.features.audit import service as audit
from zonehero.features.roles import (
    EDITOR_ROLES,
    STAFF_ROLES,
    Actor,
    Role,
    require_account_admin,
    require_security_admin,
)
from zonehero.features.users.sessions import LoginSession


def get_session(request: Request) -> Iterator[Session]:
    """One unit of work per request (see :func:`zonehero.db.session.unit_of_work`)."""
    with unit_of_work(request.app.state.session_factory) as session:
        request.state.db = session  # the navigation's 待办 count reads it while the page renders
        try:
            yield session
        finally:
            request.state.db = None


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


SessionDep = Annotated[Session, Depends(get_session, scope="function")]
SettingsDep = Annotated[Settings, Depends(get_settings)]


PASSWORD_CHANGE_PATHS = frozenset({"/account/password", "/api/me", "/api/logout", "/api/session/keepalive"})
"""What an account that must change its password may still use (log-out and the log-in form take no
``CurrentUser``)."""


def get_optional_user(request: Request) -> Actor | None:
    """The logged-in account as an Actor, or None; an ended, idle or expired session clears the cookie."""
    login = resolve_login(request)
    return None if login is None else login.actor


OptionalUser = Annotated[Actor | None, Depends(get_optional_user)]


def get_current_login(request: Request) -> LoginSession:
    login = resolve_login(request)
    if login is None:
        raise LoginRequired()
    if login.must_change_password and request.url.path not in PASSWORD_CHANGE_PATHS:
        raise PasswordChangeRequired(login.password_change_message or "请先修改密码")
    return login


CurrentLogin = Annotated[LoginSession, Depends(get_current_login)]


def get_current_user(login: CurrentLogin) -> Actor:
    return login.actor


CurrentUser = Annotated[Actor, Depends(get_current_user)]


def require_role(*roles: Role) -> Any:
    """A dependency giving the current Actor when its role is one of ``roles``.

    Use as ``actor: Annotated[Actor, require_role(Role.ANALYST)]`` or in a
    router's ``dependencies=[require_role(...)]``.
    """
    allowed = frozenset(roles)

    def check(actor: CurrentUser) -> Actor:
        if actor.role not in allowed:
            raise PermissionDenied("没有权限访问此页面")
        return actor

    return Depends(check)


StaffUser = Annotated[Actor, require_role(*STAFF_ROLES)]
"""Reads all business data (analyst, leader)."""
EditorUser = Annotated[Actor, require_role(*EDITOR_ROLES)]
"""Imports, evaluates, publishes (analyst)."""


def _account_admin(actor: CurrentUser) -> Actor:
    require_account_admin(actor)
    return actor


def _security_admin(actor: CurrentUser) -> Actor:
    require_security_admin(actor)
    return actor


AccountAdmin = Annotated[Actor, Depends(_account_admin)]
"""Manages accounts and the zone's settings (系统管理员): :func:`zonehero.features.roles.require_account_admin`."""
SecurityAdmin = Annotated[Actor, Depends(_security_admin)]
"""Roles, security policies, sessions (安全管理员): :func:`zonehero.features.roles.require_security_admin`."""


def _audit_reader(actor: CurrentUser) -> Actor:
    audit.require_reader(actor)
    return actor


AuditReader = Annotated[Actor, Depends(_audit_reader)]
"""Reads the audit log: who may is the audit service's rule (:func:`zonehero.features.audit.service.require_reader`)."""
EvaluationReader = Annotated[Actor, require_role(*STAFF_ROLES, Role.ENTERPRISE)]
"""Reads enterprises and evaluation results: staff everything, an enterprise account its own. The project
roles (项目办, 责任单位) are refused: enterprise tax figures are none of their business."""
