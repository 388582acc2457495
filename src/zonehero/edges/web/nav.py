"""The navigation bar as data: each entry names the roles that may use it, so the layout shows only those.

The feature pages register their routes under these paths; the bar marks the
entry whose path prefixes the current URL as active.
"""

from __future__ import annotations

from dataclasses import dataclass

from zonehero.features.audit import service as audit
from zonehero.features.roles import Actor, Role
from zonehero.features.users import sessions

ALL_STAFF = frozenset({Role.ADMIN, Role.ANALYST, Role.LEADER})
EDITORS = frozenset({Role.ADMIN, Role.ANALYST})


@dataclass(frozen=True)
class NavItem:
    """One entry of the bar: Chinese label, path, and the roles that see it."""

    label: str
    path: str
    roles: frozenset[Role]

    def is_active(self, current_path: str) -> bool:
        if self.path == "/":
            return current_path == "/"
        return current_path == self.path or current_path.startswith(self.path + "/")


NAV_ITEMS: tuple[NavItem, ...] = (
    NavItem("总览", "/", ALL_STAFF),
    NavItem("企业", "/enterprises", ALL_STAFF),
    NavItem("数据导入", "/imports", EDITORS),
    NavItem("评价", "/runs", ALL_STAFF),
    NavItem("评价方案", "/schemes", ALL_STAFF),
    NavItem("梯度培育", "/cultivation", ALL_STAFF),
    NavItem("目标", "/targets", ALL_STAFF),
    NavItem("项目调度", "/projects", ALL_STAFF | {Role.PROJECT_OFFICE, Role.UNIT}),
    NavItem("后台任务", "/jobs", ALL_STAFF),
    NavItem("用户", "/admin/users", frozenset({Role.ADMIN})),
    NavItem("园区概况", "/admin/zone", frozenset({Role.ADMIN})),
    NavItem("会话", "/admin/sessions", sessions.MANAGER_ROLES),
    NavItem("审计日志", "/admin/audit", audit.READER_ROLES),
)


def nav_for(actor: Actor | None) -> list[NavItem]:
    """The entries ``actor`` may use (none for a visitor; an enterprise account gets its own page instead)."""
    if actor is None:
        return []
    return [item for item in NAV_ITEMS if actor.role in item.roles]


def home_path(actor: Actor) -> str:
    """Where a user lands after logging in: the dashboard, or an enterprise account's own page."""
    if actor.role == Role.ENTERPRISE and actor.enterprise_uscc:
        return f"/enterprises/{actor.enterprise_uscc}"
    if actor.role in (Role.PROJECT_OFFICE, Role.UNIT):
        return "/projects"
    return "/"
