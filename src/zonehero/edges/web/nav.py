"""The navigation bar as data: each entry names the roles that may use it, so the layout shows only those.

The feature pages register their routes under these paths; the bar marks the
entry whose path prefixes the current URL as active.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from zonehero.features.audit import service as audit
from zonehero.features.chains import service as chains
from zonehero.features.investment import access as investment
from zonehero.features.lowland import service as lowland
from zonehero.features.projects import access as projects
from zonehero.features.roles import (
    ACCOUNT_ADMIN_ROLES,
    EDITOR_ROLES,
    SECURITY_ADMIN_ROLES,
    STAFF_ROLES,
    Actor,
    Role,
)
from zonehero.features.todo import service as todo
from zonehero.features.users import sessions


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
    NavItem("总览", "/", STAFF_ROLES),
    NavItem("企业", "/enterprises", STAFF_ROLES),
    NavItem("数据导入", "/imports", EDITOR_ROLES),
    NavItem("数据归集", "/collection", STAFF_ROLES),
    NavItem("部门报送", "/collection/submit", frozenset({Role.DEPARTMENT})),
    NavItem("企业确认", "/confirmations", STAFF_ROLES),
    NavItem("用地", "/land", STAFF_ROLES),
    NavItem("评价", "/runs", STAFF_ROLES),
    NavItem("评价方案", "/schemes", STAFF_ROLES),
    NavItem("梯度培育", "/cultivation", STAFF_ROLES),
    NavItem("目标", "/targets", STAFF_ROLES),
    NavItem("产业链", "/chains", chains.CHAIN_READERS),
    NavItem("项目调度", "/projects", projects.READERS),
    NavItem("低效用地", "/lowland", lowland.REGISTER_READERS),
    NavItem("招商", "/investment", investment.REPORTERS),
    NavItem("后台任务", "/jobs", STAFF_ROLES),
    # 三员分立: each administrator sees only the pages of their duty.
    NavItem("用户", "/admin/users", ACCOUNT_ADMIN_ROLES | SECURITY_ADMIN_ROLES),
    NavItem("园区概况", "/admin/zone", ACCOUNT_ADMIN_ROLES),
    NavItem("安全策略", "/admin/security", SECURITY_ADMIN_ROLES),
    NavItem("会话", "/admin/sessions", sessions.MANAGER_ROLES),
    NavItem("审计日志", "/admin/audit", audit.READER_ROLES),
)


def nav_for(actor: Actor | None) -> list[NavItem]:
    """The entries ``actor`` may use (none for a visitor; an enterprise account gets its own page instead)."""
    if actor is None:
        return []
    return [item for item in NAV_ITEMS if actor.role in item.roles]


def home_path(actor: Actor) -> str:
    """Where a user lands after logging in: the dashboard, an enterprise account's own page, the project pages,
    a department's 部门报送, or an administrator's first page of duty (accounts; the audit log)."""
    if actor.role == Role.ENTERPRISE and actor.enterprise_uscc:
        return f"/enterprises/{actor.enterprise_uscc}"
    if actor.role in (Role.PROJECT_OFFICE, Role.UNIT):
        return "/projects"
    if actor.role == Role.DEPARTMENT:
        return "/collection/submit"
    if actor.role == Role.INVESTMENT:
        return "/investment"
    if actor.role in (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN):
        return "/admin/users"
    if actor.role == Role.AUDIT_ADMIN:
        return "/admin/audit"
    return "/"


TODO_ROLES: frozenset[Role] = frozenset(todo.SOURCES)
"""The roles that have a to-do list (待办) and its badge: not the security and audit administrators."""


def todo_badge(session: Session | None, actor: Actor | None) -> int | None:
    """The count beside 待办 in the bar: None when the bar shows no 待办 (nobody logged in, a role without
    to-dos, or a page rendered outside a unit of work, such as an error page)."""
    if session is None or actor is None or actor.role not in TODO_ROLES:
        return None
    return todo.todo_count(session, actor)
