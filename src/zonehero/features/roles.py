"""Roles and the acting user (操作人) as the services see them.

A service receives an :class:`Actor`, a plain snapshot of the logged-in
account, so it needs no web or ORM object to check permissions.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from zonehero.errors import PermissionDenied


class Role(StrEnum):
    """admin 管理员 · analyst 分析员 (import, evaluate, publish) · leader 领导 (read only) · enterprise 企业.

    project_office 项目办 edits the 四个一批 project records; unit 责任单位 is a
    responsible unit's account (tied to a unit name) that sees its projects.
    """

    ADMIN = "admin"
    ANALYST = "analyst"
    LEADER = "leader"
    ENTERPRISE = "enterprise"
    PROJECT_OFFICE = "project_office"
    UNIT = "unit"


ROLE_LABELS: dict[Role, str] = {
    Role.ADMIN: "管理员",
    Role.ANALYST: "分析员",
    Role.LEADER: "领导",
    Role.ENTERPRISE: "企业",
    Role.PROJECT_OFFICE: "项目办",
    Role.UNIT: "责任单位",
}

STAFF_ROLES: frozenset[Role] = frozenset({Role.ADMIN, Role.ANALYST, Role.LEADER})
"""May read everything."""

EDITOR_ROLES: frozenset[Role] = frozenset({Role.ADMIN, Role.ANALYST})
"""May import, evaluate, publish and answer objections."""


@dataclass(frozen=True)
class Actor:
    """Who is acting: an account, or the command line run by the server's operator (``id`` None)."""

    id: int | None
    username: str
    role: Role
    enterprise_uscc: str | None = None
    unit_name: str | None = None
    """The unit a ``unit`` account speaks for (责任单位名称); None for other roles."""

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def can_edit(self) -> bool:
        return self.role in EDITOR_ROLES


SYSTEM = Actor(id=None, username="system", role=Role.ADMIN)
"""The operator at the server's command line (``zonehero user add`` …)."""


def require_staff(actor: Actor) -> None:
    """Staff may read everything; an enterprise account may not."""
    if not actor.is_staff:
        raise PermissionDenied("没有权限查看此内容")


def require_editor(actor: Actor) -> None:
    """Only admin and analyst change data; a leader reads, an enterprise reads its own."""
    if not actor.can_edit:
        raise PermissionDenied("没有权限执行此操作（需要管理员或分析员角色）")


def require_admin(actor: Actor) -> None:
    """User management is for administrators only."""
    if actor.role != Role.ADMIN:
        raise PermissionDenied("只有管理员可以管理账户")


def require_account_admin(actor: Actor) -> None:
    """Creating, disabling and resetting accounts, and the zone's settings (系统管理员 under 三员分立)."""
    require_admin(actor)


def require_security_admin(actor: Actor) -> None:
    """Roles, security policies and sessions (安全管理员 under 三员分立)."""
    require_admin(actor)
