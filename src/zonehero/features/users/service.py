"""Accounts: create, change password, list, enable/disable, change role, log in with lockout and throttling.

Permissions (三员分立): the system administrator (系统管理员) creates business
accounts and resets, disables and enables them; the security administrator
(安全管理员) changes roles, the only way besides the server's command line to
make an account one of the three administrators; the operator at the command
line may do all of it. Anyone may change their own password. Log-ins are
audited whether they succeed or fail, and so is every change here.

A password set by someone else (an administrator's reset, ``zonehero user
add/passwd``) is temporary: the account must change it at its next log-in.
Changing a password, resetting it, disabling an account and changing its role
end the account's sessions (:mod:`zonehero.features.users.sessions`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from zonehero.clock import utcnow
from zonehero.core.domain.uscc import normalise_uscc, uscc_problem
from zonehero.errors import Conflict, InputError, InputProblem, NotFound, PermissionDenied
from zonehero.features.audit import service as audit
from zonehero.features.roles import (
    ACCOUNT_ROLES,
    ADMIN_ROLES,
    BUSINESS_ROLES,
    ROLE_LABELS,
    SECURITY_ADMIN_ROLES,
    Actor,
    Role,
    require_account_admin,
    require_security_admin,
)
from zonehero.features.users import repository, sessions, throttle
from zonehero.features.users.actors import actor_of
from zonehero.features.users.models import User
from zonehero.features.users.passwords import (
    DUMMY_HASH,
    HISTORY_SIZE,
    REUSED_MESSAGE,
    check_password_policy,
    hash_password,
    needs_rehash,
    reused,
    verify_password,
)
from zonehero.features.users.schemas import AccountRow, AccountsView, LoginResult, UserRead
from zonehero.features.users.throttle import ThrottlePolicy

__all__ = ["BAD_CREDENTIALS", "LockoutPolicy", "actor_of", "authenticate", "create_user", "get_actor"]

USERNAME_PATTERN = re.compile(r"^[A-Za-z0-9_.\-@]{2,64}$")

BAD_CREDENTIALS = "用户名或密码错误"

BOUND_ROLES: frozenset[Role] = frozenset({Role.ENTERPRISE, Role.UNIT, Role.DEPARTMENT})
"""Roles tied to an enterprise, a unit or a department: an account never moves into or out of them (make a new
account)."""
ADMIN_ACCOUNTS_ELSEWHERE = "管理员账户只能由服务器操作员在命令行中维护（zonehero user passwd/disable/enable）"


@dataclass(frozen=True)
class LockoutPolicy:
    """After ``failures`` wrong passwords in a row the account is locked for ``minutes``."""

    failures: int = 5
    minutes: int = 15


def _snapshot(user: User) -> dict[str, object]:
    snapshot: dict[str, object] = {
        "username": user.username,
        "role": user.role,
        "enterprise_uscc": user.enterprise_uscc,
        "active": user.active,
    }
    if user.unit_name is not None:
        snapshot["unit_name"] = user.unit_name
    if user.department is not None:
        snapshot["department"] = user.department
    return snapshot


def create_user(
    session: Session,
    actor: Actor,
    username: str,
    password: str,
    role: Role | str,
    *,
    enterprise_uscc: str | None = None,
    unit_name: str | None = None,
    department: str | None = None,
    temporary: bool = False,
) -> UserRead:
    """A new account; an enterprise account names the USCC it may see, a unit account its unit name, a department
    account (部门填报员) its department (报送部门, as the collection rounds name it).

    Other roles name neither. The system administrator creates business accounts only; an administrator's
    account (三员) is made by the operator at the command line, or by the security administrator changing a
    role (:func:`set_role`). Nobody creates an operator account: that role belongs to the command line.
    ``temporary``: the password was chosen by the administrator (the web form, ``zonehero user add``), so the
    account must change it at its first log-in; the demo's and the tests' accounts pass False.
    """
    require_account_admin(actor)
    username = username.strip()
    problems: list[InputProblem] = []
    if not USERNAME_PATTERN.match(username):
        problems.append(InputProblem("用户名须为 2-64 位字母、数字或 _ . - @", column="username"))
    try:
        role = _account_role(role)
    except InputError as exc:
        problems += exc.problems
        role = Role.LEADER
    if role not in creatable_roles(actor):
        raise PermissionDenied(
            "系统管理员只能创建业务账户；管理员账户由服务器操作员在命令行中创建，或由安全管理员变更角色"
        )
    if role == Role.ENTERPRISE:
        if not enterprise_uscc:
            problems.append(InputProblem("企业账户必须指定统一社会信用代码", column="enterprise_uscc"))
        else:
            enterprise_uscc = normalise_uscc(enterprise_uscc)
            problem = uscc_problem(enterprise_uscc)
            if problem:
                problems.append(InputProblem(problem, column="enterprise_uscc"))
    elif enterprise_uscc:
        problems.append(InputProblem("只有企业账户可以关联统一社会信用代码", column="enterprise_uscc"))
    unit_name = unit_name.strip() if unit_name else None
    if role == Role.UNIT and not unit_name:
        problems.append(InputProblem("责任单位账户必须指定单位名称", column="unit_name"))
    elif role != Role.UNIT and unit_name:
        problems.append(InputProblem("只有责任单位账户可以关联单位名称", column="unit_name"))
    elif unit_name and len(unit_name) > 64:
        problems.append(InputProblem("单位名称不能超过 64 个字符", column="unit_name"))
    department = department.strip() if department else None
    if role == Role.DEPARTMENT and not department:
        problems.append(InputProblem("部门填报员账户必须指定所属部门", column="department"))
    elif role != Role.DEPARTMENT and department:
        problems.append(InputProblem("只有部门填报员账户可以关联部门", column="department"))
    elif department and len(department) > 32:
        problems.append(InputProblem("部门名称不能超过 32 个字符", column="department"))
    try:
        check_password_policy(password, username)
    except InputError as exc:
        problems += exc.problems
    if problems:
        raise InputError(problems)
    if repository.by_username(session, username) is not None:
        raise Conflict(f"用户名「{username}」已存在")
    now = utcnow()
    password_hash = hash_password(password)
    user = repository.add(
        session,
        User(
            username=username,
            password_hash=password_hash,
            role=role.value,
            enterprise_uscc=enterprise_uscc if role == Role.ENTERPRISE else None,
            unit_name=unit_name if role == Role.UNIT else None,
            department=department if role == Role.DEPARTMENT else None,
            active=True,
            failed_logins=0,
            created_at=now,
            must_change_password=temporary,
            password_changed_at=now,
        ),
    )
    repository.add_password_history(session, user.id, password_hash, now, HISTORY_SIZE)
    after = _snapshot(user) | ({"temporary": True} if temporary else {})
    audit.record(session, actor, "user.create", "user", user.id, after=after)
    return UserRead.model_validate(user)


def _get(session: Session, username: str) -> User:
    user = repository.by_username(session, username)
    if user is None:
        raise NotFound(f"用户「{username}」不存在")
    return user


def set_password(
    session: Session, actor: Actor, username: str, new_password: str, *, keep_session: str | None = None
) -> None:
    """Change a password: everyone their own; the system administrator a business account's, the operator
    anyone's (:func:`may_manage`). Unlocks the account.

    A password set for someone else is temporary (the account must change it at its next log-in) and ends all
    of that account's sessions; changing one's own ends every other session of the account but
    ``keep_session`` (the one the change was made in). The new password must pass the policy and be none of
    the account's last :data:`~zonehero.features.users.passwords.HISTORY_SIZE`.
    """
    user = repository.by_username(session, username)
    own = user is not None and user.id == actor.id
    if not own:
        require_account_admin(actor)
        if user is None:
            raise NotFound(f"用户「{username}」不存在")
        if not may_manage(actor, user):
            raise PermissionDenied(ADMIN_ACCOUNTS_ELSEWHERE)
    assert user is not None
    check_password_policy(new_password, user.username)
    # The history holds the current password too; the current hash is added for accounts older than it.
    previous = {user.password_hash, *repository.recent_password_hashes(session, user.id, HISTORY_SIZE)}
    if reused(new_password, previous):
        raise InputError(InputProblem(REUSED_MESSAGE, column="password"))
    now = utcnow()
    user.password_hash = hash_password(new_password)
    user.failed_logins = 0
    user.locked_until = None
    user.must_change_password = not own
    user.password_changed_at = now
    session.flush()
    repository.add_password_history(session, user.id, user.password_hash, now, HISTORY_SIZE)
    # The hash is not audited (not even before/after): only the fact.
    after: dict[str, object] = {"username": user.username} | ({} if own else {"temporary": True})
    audit.record(session, actor, "user.set_password", "user", user.id, after=after)
    reason = "password_change" if own else "password_reset"
    sessions.end_user_sessions(session, user.id, reason, by=actor, keep=keep_session if own else None, now=now)


def set_active(session: Session, actor: Actor, username: str, active: bool) -> UserRead:
    """Disable or re-enable an account (:func:`may_manage`; never one's own, nor the last active account of an
    administrator role, so each of the three duties always has someone)."""
    require_account_admin(actor)
    user = _get(session, username)
    if user.id == actor.id and not active:
        raise Conflict("不能停用自己的账户")
    if not may_manage(actor, user):
        raise PermissionDenied(ADMIN_ACCOUNTS_ELSEWHERE)
    if not active:
        _keep_one_administrator(session, user)
    before = _snapshot(user)
    user.active = active
    if active:
        user.failed_logins = 0
        user.locked_until = None
    session.flush()
    audit.record(session, actor, "user.set_active", "user", user.id, before=before, after=_snapshot(user))
    if not active:
        sessions.end_user_sessions(session, user.id, "disabled", by=actor)
    return UserRead.model_validate(user)


def list_users(session: Session, actor: Actor) -> list[UserRead]:
    """Every account, by name; for the system administrator (accounts) and the security administrator (roles)."""
    if actor.role not in SECURITY_ADMIN_ROLES:
        require_account_admin(actor)
    return [UserRead.model_validate(u) for u in repository.all_users(session)]


def _account_role(value: Role | str) -> Role:
    """``value`` as a role an account may hold (InputError naming the choices otherwise; never the operator's)."""
    try:
        role = Role(value)
    except ValueError:
        role = None
    if role is None or role not in ACCOUNT_ROLES:
        choices = "/".join(r.value for r in ROLE_LABELS if r in ACCOUNT_ROLES)
        raise InputError(InputProblem(f"未知角色「{value}」，可选 {choices}", column="role"))
    return role


def creatable_roles(actor: Actor) -> list[Role]:
    """The roles ``actor`` may give a new account: every account role for the operator, the business roles
    for the system administrator, none for anyone else."""
    if actor.role == Role.OPERATOR:
        return [r for r in ROLE_LABELS if r in ACCOUNT_ROLES]
    if actor.role == Role.SYSTEM_ADMIN:
        return [r for r in ROLE_LABELS if r in BUSINESS_ROLES]
    return []


def assignable_roles(actor: Actor) -> list[Role]:
    """The roles the security administrator (or the operator) may change an account to: any account role not
    tied to an enterprise or a unit, the three administrators' included."""
    if actor.role not in SECURITY_ADMIN_ROLES:
        return []
    return [r for r in ROLE_LABELS if r in ACCOUNT_ROLES - BOUND_ROLES]


def may_manage(actor: Actor, user: User | UserRead) -> bool:
    """Whether ``actor`` may reset the password of, disable or enable ``user``: the system administrator a
    business account (so no administrator can take over another's account), the operator every account."""
    if actor.role == Role.OPERATOR:
        return True
    return actor.role == Role.SYSTEM_ADMIN and user.role in BUSINESS_ROLES


def may_change_role(actor: Actor, user: User | UserRead) -> bool:
    """Whether ``actor`` may change ``user``'s role: the security administrator, never their own, never an
    enterprise or unit account's (see :data:`BOUND_ROLES`)."""
    return actor.role in SECURITY_ADMIN_ROLES and user.id != actor.id and user.role not in BOUND_ROLES


def _keep_one_administrator(session: Session, user: User) -> None:
    """Conflict when ``user`` is the last active account of an administrator role (三员 must stay staffed)."""
    role = Role(user.role)
    if role in ADMIN_ROLES and user.active and repository.active_with_role(session, role.value) <= 1:
        raise Conflict(f"「{user.username}」是最后一个启用的{ROLE_LABELS[role]}账户，请先设立另一个")


def set_role(session: Session, actor: Actor, username: str, role: Role | str) -> UserRead:
    """Change an account's role (安全管理员; the operator too). The one role an account holds is replaced, so
    nobody ever holds two of the three administrators' roles; one's own role stays, and an administrator
    role keeps at least one active account."""
    require_security_admin(actor)
    user = _get(session, username)
    new_role = _account_role(role)
    if user.id == actor.id:
        raise Conflict("不能变更自己的角色")
    if user.role in BOUND_ROLES or new_role in BOUND_ROLES:
        raise Conflict("企业、责任单位和部门填报员账户关联了企业、单位或部门，不能变更角色；请另建账户")
    if new_role.value == user.role:
        return UserRead.model_validate(user)
    _keep_one_administrator(session, user)
    before = _snapshot(user)
    user.role = new_role.value
    session.flush()
    audit.record(session, actor, "user.set_role", "user", user.id, before=before, after=_snapshot(user))
    sessions.end_user_sessions(session, user.id, "role_change", by=actor)  # what the account may do has changed
    return UserRead.model_validate(user)


def accounts_view(session: Session, actor: Actor) -> AccountsView:
    """The accounts page as ``actor`` may use it: every account with what may be done to it, and the roles
    offered for a new account and for a role change (the page only shows this)."""
    rows = [
        AccountRow(user=u, manage=may_manage(actor, u), change_role=may_change_role(actor, u))
        for u in list_users(session, actor)
    ]
    return AccountsView(
        rows=rows,
        create_roles=[r.value for r in creatable_roles(actor)],
        assign_roles=[r.value for r in assignable_roles(actor)],
    )


def get_actor(session: Session, user_id: int) -> Actor | None:
    """The actor of an account id (a background job's submitter), None when the account is gone or disabled."""
    user = repository.by_id(session, user_id)
    if user is None or not user.active:
        return None
    return actor_of(user)


def authenticate(
    session: Session,
    username: str,
    password: str,
    *,
    policy: LockoutPolicy | None = None,
    address: str | None = None,
    throttling: ThrottlePolicy | None = None,
    now: datetime | None = None,
) -> LoginResult:
    """Check a log-in. Returns (never raises for bad credentials): see :class:`LoginResult`.

    An ``address`` (the client's) refused by :mod:`~zonehero.features.users.throttle` is turned away before any
    account is looked at; every other failure counts against the address too. Wrong passwords count up; at
    ``policy.failures`` the account is locked for ``policy.minutes`` and attempts during the lock are refused
    without checking the password. A success resets the account's count (not the address's: an attacker's own
    account must not wipe the count of their guesses).
    """
    now = now or utcnow()
    throttling = throttling or ThrottlePolicy()
    if address is not None:
        until = throttle.blocked_until(session, address, now)
        if until is not None:
            anonymous = Actor(id=None, username=username.strip()[:64] or "?", role=Role.LEADER)
            audit.record(session, anonymous, "login.failed", "user", None, after={"reason": "throttled"})
            return LoginResult(None, throttle.wait_message(until, now), throttled_until=until)
    result = _check_credentials(session, username, password, policy or LockoutPolicy(), now)
    if result.ok or address is None:
        return result
    until = throttle.record_failure(session, address, throttling, now)
    if until is None:
        return result
    audit.record(
        session,
        Actor(id=None, username=username.strip()[:64] or "?", role=Role.LEADER),
        "login.throttled",
        "user",
        None,
        after={"address": address, "blocked_until": until.isoformat()},
    )
    return result


def _check_credentials(
    session: Session, username: str, password: str, policy: LockoutPolicy, now: datetime
) -> LoginResult:
    user = repository.by_username(session, username.strip())
    anonymous = Actor(id=None, username=username.strip()[:64] or "?", role=Role.LEADER)
    if user is None:
        verify_password(DUMMY_HASH, password)  # same time as a real check
        audit.record(session, anonymous, "login.failed", "user", None, after={"reason": "unknown_user"})
        return LoginResult(None, BAD_CREDENTIALS)
    who = actor_of(user)
    if not user.active:
        verify_password(user.password_hash, password)  # same time as an active account's refusal
        audit.record(session, who, "login.failed", "user", user.id, after={"reason": "inactive"})
        return LoginResult(None, BAD_CREDENTIALS)
    if user.locked_until is not None and user.locked_until > now:
        audit.record(session, who, "login.failed", "user", user.id, after={"reason": "locked"})
        minutes = max(1, int((user.locked_until - now).total_seconds() // 60) + 1)
        return LoginResult(None, f"登录失败次数过多，账户已锁定，请约 {minutes} 分钟后再试", user.locked_until)
    if not verify_password(user.password_hash, password):
        user.failed_logins += 1
        after: dict[str, object] = {"reason": "wrong_password", "failed_logins": user.failed_logins}
        if user.failed_logins >= policy.failures:
            user.locked_until = now + timedelta(minutes=policy.minutes)
            user.failed_logins = 0
            after["locked_until"] = user.locked_until.isoformat()
        session.flush()
        audit.record(session, who, "login.failed", "user", user.id, after=after)
        if "locked_until" in after:
            lock = {"locked_until": after["locked_until"], "failed_logins": policy.failures}
            audit.record(session, who, "user.locked", "user", user.id, after=lock)
        if user.locked_until is not None and user.locked_until > now:
            return LoginResult(
                None, f"登录失败次数过多，账户已锁定 {policy.minutes} 分钟", locked_until=user.locked_until
            )
        return LoginResult(None, BAD_CREDENTIALS)
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    session.flush()
    audit.record(session, who, "login.success", "user", user.id)
    return LoginResult(who)
