"""Roles and the acting user (操作人) as the services see them.

A service receives an :class:`Actor`, a plain snapshot of the logged-in
account, so it needs no web or ORM object to check permissions.

三员分立 (separation of the three administrators, 等保 2.0 level 3): the
system administrator (系统管理员) manages accounts and the zone's settings, the
security administrator (安全管理员) roles, policies and sessions, the audit
administrator (审计管理员) reads and exports the audit log. None of them sees
business data, and an account has exactly one role, so nobody holds two of
the three. The business roles do the zone's work and never administer.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from zonehero.errors import PermissionDenied


class Role(StrEnum):
    """The roles an account may hold, plus the server operator's (never stored on an account).

    * system_admin 系统管理员 · security_admin 安全管理员 · audit_admin 审计管理员 (三员分立);
    * analyst 分析员 (import, evaluate, publish) · leader 领导 (read only) · enterprise 企业 (its own data);
      project_office 项目办 edits the 四个一批 project records; unit 责任单位 is a responsible unit's account
      (tied to a unit name) that sees its projects; department 部门填报员 is a department's account (tied to a
      department name, 数据归集) that submits that department's files and sees only its own submissions;
      investment 招商局 owns the 招商 leads (reads, moves, signs);
    * operator 服务器操作员: the command line run by the server's operator (:data:`SYSTEM`), who already
      holds the machine and the database; it may do everything the CLI offers and is refused as an account role.
    """

    SYSTEM_ADMIN = "system_admin"
    SECURITY_ADMIN = "security_admin"
    AUDIT_ADMIN = "audit_admin"
    ANALYST = "analyst"
    LEADER = "leader"
    ENTERPRISE = "enterprise"
    PROJECT_OFFICE = "project_office"
    UNIT = "unit"
    DEPARTMENT = "department"
    INVESTMENT = "investment"
    OPERATOR = "operator"


ROLE_LABELS: dict[Role, str] = {
    Role.SYSTEM_ADMIN: "系统管理员",
    Role.SECURITY_ADMIN: "安全管理员",
    Role.AUDIT_ADMIN: "审计管理员",
    Role.ANALYST: "分析员",
    Role.LEADER: "领导",
    Role.ENTERPRISE: "企业",
    Role.PROJECT_OFFICE: "项目办",
    Role.UNIT: "责任单位",
    Role.DEPARTMENT: "部门填报员",
    Role.INVESTMENT: "招商局",
    Role.OPERATOR: "服务器操作员",
}

ADMIN_ROLES: frozenset[Role] = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})
"""The three administrators of 三员分立: they administer and never see business data."""

BUSINESS_ROLES: frozenset[Role] = frozenset(
    {Role.ANALYST, Role.LEADER, Role.ENTERPRISE, Role.PROJECT_OFFICE, Role.UNIT, Role.DEPARTMENT, Role.INVESTMENT}
)
"""The roles that do the zone's work; the system administrator creates only these."""

ACCOUNT_ROLES: frozenset[Role] = ADMIN_ROLES | BUSINESS_ROLES
"""Every role an account may hold (the users table's CHECK constraint lists the same): not the operator's."""

STAFF_ROLES: frozenset[Role] = frozenset({Role.ANALYST, Role.LEADER, Role.OPERATOR})
"""May read all business data."""

EDITOR_ROLES: frozenset[Role] = frozenset({Role.ANALYST, Role.OPERATOR})
"""May import, evaluate, publish and answer objections."""

ACCOUNT_ADMIN_ROLES: frozenset[Role] = frozenset({Role.SYSTEM_ADMIN, Role.OPERATOR})
"""Create, disable and reset accounts; the zone's settings (园区概况)."""

SECURITY_ADMIN_ROLES: frozenset[Role] = frozenset({Role.SECURITY_ADMIN, Role.OPERATOR})
"""Change roles; the security policies and sessions."""


@dataclass(frozen=True)
class Actor:
    """Who is acting: an account, or the command line run by the server's operator (``id`` None)."""

    id: int | None
    username: str
    role: Role
    enterprise_uscc: str | None = None
    unit_name: str | None = None
    """The unit a ``unit`` account speaks for (责任单位名称); None for other roles."""
    department: str | None = None
    """The department a ``department`` account (or a department's API token) speaks for (报送部门); None otherwise."""

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def can_edit(self) -> bool:
        return self.role in EDITOR_ROLES

    @property
    def is_administrator(self) -> bool:
        """One of the three administrators (三员): no business data for them."""
        return self.role in ADMIN_ROLES


SYSTEM = Actor(id=None, username="system", role=Role.OPERATOR)
"""The operator at the server's command line (``zonehero user add`` …)."""


def require_staff(actor: Actor) -> None:
    """Staff may read everything; an enterprise account may not."""
    if not actor.is_staff:
        raise PermissionDenied("没有权限查看此内容")


def require_editor(actor: Actor) -> None:
    """Only the analyst changes data; a leader reads, an enterprise reads its own."""
    if not actor.can_edit:
        raise PermissionDenied("没有权限执行此操作（需要分析员角色）")


def require_business(actor: Actor) -> None:
    """The three administrators do no business work (三员分立): their duties are accounts, security and audit."""
    if actor.is_administrator:
        raise PermissionDenied("管理员账户不处理业务数据")


def require_account_admin(actor: Actor) -> None:
    """Creating, disabling and resetting accounts, and the zone's settings (系统管理员 under 三员分立)."""
    if actor.role not in ACCOUNT_ADMIN_ROLES:
        raise PermissionDenied("只有系统管理员可以管理账户和园区设置")


def require_security_admin(actor: Actor) -> None:
    """Roles, security policies and sessions (安全管理员 under 三员分立)."""
    if actor.role not in SECURITY_ADMIN_ROLES:
        raise PermissionDenied("只有安全管理员可以管理角色、安全策略和会话")


def require_department(actor: Actor) -> str:
    """A department's account or token submits that department's files (数据归集); its department's name."""
    if actor.role != Role.DEPARTMENT or not actor.department:
        raise PermissionDenied("只有部门填报员可以报送部门数据")
    return actor.department
