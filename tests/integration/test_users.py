"""Accounts: who may manage them (三员分立), passwords, roles, log-in with lockout, and the audit of each."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from zone_files import PASSWORD

from zonehero.clock import utcnow
from zonehero.errors import Conflict, InputError, NotFound, PermissionDenied, Unauthenticated
from zonehero.features.audit import service as audit
from zonehero.features.audit.models import AuditEntry
from zonehero.features.roles import ADMIN_ROLES, SYSTEM, Actor, Role
from zonehero.features.users import service as users
from zonehero.features.users.models import User


def _actions(db: Session, username: str) -> list[str]:
    rows = db.scalars(select(AuditEntry.action).where(AuditEntry.actor_name == username).order_by(AuditEntry.id))
    return list(rows)


class TestCreateUser:
    def test_the_system_administrator_creates_an_enterprise_account_tied_to_its_uscc(
        self, db: Session, sysadmin: Actor
    ) -> None:
        user = users.create_user(db, sysadmin, "qiye", PASSWORD, "enterprise", enterprise_uscc="91350100m000100y43")
        assert (user.role, user.enterprise_uscc, user.active) == ("enterprise", "91350100M000100Y43", True)
        entry = db.scalars(select(AuditEntry).where(AuditEntry.action == "user.create").order_by(AuditEntry.id)).all()[
            -1
        ]
        assert entry.actor_name == "sysadmin"
        assert entry.after == {
            "username": "qiye",
            "role": "enterprise",
            "enterprise_uscc": "91350100M000100Y43",
            "active": True,
        }
        stored = db.scalar(select(User.password_hash).where(User.username == "qiye"))
        assert stored is not None and stored.startswith("$argon2id$") and PASSWORD not in stored

    @pytest.mark.parametrize("persona", ["analyst", "leader", "enterprise_a", "secadmin", "auditor"])
    def test_only_the_system_administrator_creates_accounts(
        self, db: Session, persona: str, request: pytest.FixtureRequest
    ) -> None:
        actor: Actor = request.getfixturevalue(persona)
        with pytest.raises(PermissionDenied):
            users.create_user(db, actor, "someone", PASSWORD, "leader")

    @pytest.mark.parametrize("persona", ["analyst", "leader", "enterprise_a", "auditor"])
    def test_the_list_is_for_the_system_and_security_administrators(
        self, db: Session, persona: str, request: pytest.FixtureRequest, sysadmin: Actor, secadmin: Actor
    ) -> None:
        with pytest.raises(PermissionDenied):
            users.list_users(db, request.getfixturevalue(persona))
        assert len(users.list_users(db, sysadmin)) == len(users.list_users(db, secadmin))

    @pytest.mark.parametrize("role", sorted(ADMIN_ROLES))
    def test_the_system_administrator_creates_no_administrator(self, db: Session, sysadmin: Actor, role: Role) -> None:
        with pytest.raises(PermissionDenied):
            users.create_user(db, sysadmin, "boss", PASSWORD, role)
        assert users.create_user(db, SYSTEM, "boss", PASSWORD, role).role == role.value  # the operator may

    @pytest.mark.parametrize("creator", ["sysadmin", "operator"])
    def test_nobody_creates_an_operator_account(
        self, db: Session, creator: str, request: pytest.FixtureRequest
    ) -> None:
        actor = SYSTEM if creator == "operator" else request.getfixturevalue(creator)
        with pytest.raises(InputError, match="未知角色「operator」"):
            users.create_user(db, actor, "root", PASSWORD, "operator")

    def test_it_reports_every_problem_at_once(self, db: Session, sysadmin: Actor) -> None:
        with pytest.raises(InputError) as caught:
            users.create_user(db, sysadmin, "x", "short", "enterprise", enterprise_uscc="123")
        columns = {p.column for p in caught.value.problems}
        assert columns == {"username", "enterprise_uscc", "password"}

    def test_staff_accounts_have_no_uscc(self, db: Session, sysadmin: Actor) -> None:
        with pytest.raises(InputError):
            users.create_user(db, sysadmin, "lingdao", PASSWORD, Role.LEADER, enterprise_uscc="91350100M000100Y43")

    def test_usernames_are_unique_ignoring_case(self, db: Session, sysadmin: Actor, analyst: Actor) -> None:
        with pytest.raises(Conflict):
            users.create_user(db, sysadmin, "ANALYST", PASSWORD, "analyst")

    def test_list_shows_every_account_to_the_system_administrator(
        self, db: Session, sysadmin: Actor, analyst: Actor, enterprise_a: Actor
    ) -> None:
        assert [u.username for u in users.list_users(db, sysadmin)] == ["analyst", "enterprise_a", "sysadmin"]


class TestAuthenticate:
    def test_a_good_password_logs_in_and_is_audited(self, db: Session, analyst: Actor) -> None:
        result = users.authenticate(db, "analyst", PASSWORD)
        assert result.actor_or_raise() == analyst
        assert _actions(db, "analyst")[-1] == "login.success"
        assert db.scalar(select(User.last_login_at).where(User.username == "analyst")) is not None

    def test_a_wrong_password_is_refused_counted_and_audited(self, db: Session, analyst: Actor) -> None:
        result = users.authenticate(db, "analyst", "wrong password")
        assert not result.ok
        with pytest.raises(Unauthenticated, match="用户名或密码错误"):
            result.actor_or_raise()
        assert db.scalar(select(User.failed_logins).where(User.username == "analyst")) == 1
        entry = db.scalars(select(AuditEntry).where(AuditEntry.action == "login.failed").order_by(AuditEntry.id)).all()[
            -1
        ]
        assert entry.after == {"reason": "wrong_password", "failed_logins": 1}

    def test_an_unknown_user_gets_the_same_answer(self, db: Session) -> None:
        result = users.authenticate(db, "nobody", PASSWORD)
        assert (result.ok, result.message) == (False, "用户名或密码错误")
        assert _actions(db, "nobody") == ["login.failed"]

    def test_five_failures_lock_the_account_for_fifteen_minutes(self, db: Session, analyst: Actor) -> None:
        now = utcnow()
        for _ in range(4):
            assert users.authenticate(db, "analyst", "wrong", now=now).locked_until is None
        fifth = users.authenticate(db, "analyst", "wrong", now=now)
        assert fifth.locked_until == now + timedelta(minutes=15)
        # The right password does not help while locked …
        locked = users.authenticate(db, "analyst", PASSWORD, now=now + timedelta(minutes=14))
        assert not locked.ok and "锁定" in (locked.message or "")
        # … and works once the lock has expired.
        assert users.authenticate(db, "analyst", PASSWORD, now=now + timedelta(minutes=15, seconds=1)).ok
        assert db.scalar(select(User.failed_logins).where(User.username == "analyst")) == 0

    def test_a_success_resets_the_failure_count(self, db: Session, analyst: Actor) -> None:
        for _ in range(4):
            users.authenticate(db, "analyst", "wrong")
        assert users.authenticate(db, "analyst", PASSWORD).ok
        for _ in range(4):
            assert users.authenticate(db, "analyst", "wrong").locked_until is None

    def test_a_disabled_account_cannot_log_in(self, db: Session, sysadmin: Actor, leader: Actor) -> None:
        users.set_active(db, sysadmin, "leader", False)
        assert not users.authenticate(db, "leader", PASSWORD).ok
        assert users.get_actor(db, leader.id or 0) is None


class TestSetPassword:
    def test_everyone_may_change_their_own_password(self, db: Session, leader: Actor) -> None:
        users.set_password(db, leader, "leader", "A-new-long-passw0rd")
        assert users.authenticate(db, "leader", "A-new-long-passw0rd").ok
        assert not users.authenticate(db, "leader", PASSWORD).ok

    @pytest.mark.parametrize("persona", ["analyst", "secadmin", "auditor"])
    def test_only_the_system_administrator_changes_another_password(
        self, db: Session, persona: str, request: pytest.FixtureRequest, leader: Actor
    ) -> None:
        with pytest.raises(PermissionDenied):
            users.set_password(db, request.getfixturevalue(persona), "leader", "A-new-long-passw0rd")

    def test_the_system_administrators_reset_unlocks_the_account(
        self, db: Session, sysadmin: Actor, analyst: Actor
    ) -> None:
        for _ in range(5):
            users.authenticate(db, "analyst", "wrong")
        users.set_password(db, sysadmin, "analyst", "Reset-by-sysadmin-1")
        assert users.authenticate(db, "analyst", "Reset-by-sysadmin-1").ok
        entry = db.scalars(
            select(AuditEntry).where(AuditEntry.action == "user.set_password").order_by(AuditEntry.id)
        ).all()[-1]
        assert "password" not in str(entry.before) + str(entry.after)

    def test_unknown_user(self, db: Session, sysadmin: Actor) -> None:
        with pytest.raises(NotFound):
            users.set_password(db, sysadmin, "ghost", "Whatever-long-1")

    @pytest.mark.parametrize("target", ["secadmin", "auditor"])
    def test_no_administrator_takes_over_another_by_a_reset(
        self, db: Session, sysadmin: Actor, target: str, request: pytest.FixtureRequest
    ) -> None:
        request.getfixturevalue(target)
        with pytest.raises(PermissionDenied):
            users.set_password(db, sysadmin, target, "A-new-long-passw0rd")
        with pytest.raises(PermissionDenied):
            users.set_active(db, sysadmin, target, False)
        users.set_password(db, SYSTEM, target, "A-new-long-passw0rd")  # the operator, at the command line
        assert users.authenticate(db, target, "A-new-long-passw0rd").ok


class TestSetActive:
    def test_the_last_active_administrator_of_a_duty_stays(self, db: Session, auditor: Actor) -> None:
        with pytest.raises(Conflict, match="最后一个启用的审计管理员"):
            users.set_active(db, SYSTEM, "auditor", False)
        users.create_user(db, SYSTEM, "auditor-2", PASSWORD, Role.AUDIT_ADMIN)
        assert users.set_active(db, SYSTEM, "auditor", False).active is False


class TestSetRole:
    def test_the_security_administrator_changes_a_role_and_it_is_audited(
        self, db: Session, secadmin: Actor, leader: Actor
    ) -> None:
        assert users.set_role(db, secadmin, "leader", "analyst").role == "analyst"
        assert users.get_actor(db, leader.id or 0) == Actor(leader.id, "leader", Role.ANALYST)
        entry = db.scalars(select(AuditEntry).where(AuditEntry.action == "user.set_role")).one()
        assert entry.actor_name == "secadmin" and entry.before["role"] == "leader" and entry.after["role"] == "analyst"

    @pytest.mark.parametrize("persona", ["sysadmin", "auditor", "analyst", "leader"])
    def test_nobody_else_changes_roles(self, db: Session, persona: str, request: pytest.FixtureRequest) -> None:
        actor: Actor = request.getfixturevalue(persona)
        users.create_user(db, SYSTEM, "target", PASSWORD, Role.LEADER)
        with pytest.raises(PermissionDenied):
            users.set_role(db, actor, "target", "analyst")

    def test_an_account_holds_one_role_so_never_two_of_the_three(
        self, db: Session, secadmin: Actor, sysadmin: Actor
    ) -> None:
        users.create_user(db, SYSTEM, "sysadmin-2", PASSWORD, Role.SYSTEM_ADMIN)
        users.set_role(db, secadmin, "sysadmin", Role.AUDIT_ADMIN)
        now = users.get_actor(db, sysadmin.id or 0)
        assert now is not None and now.role == Role.AUDIT_ADMIN
        with pytest.raises(PermissionDenied):
            users.create_user(db, now, "someone", PASSWORD, "leader")  # no longer the system administrator

    def test_not_their_own_role(self, db: Session, secadmin: Actor) -> None:
        users.create_user(db, SYSTEM, "secadmin-2", PASSWORD, Role.SECURITY_ADMIN)
        with pytest.raises(Conflict, match="不能变更自己的角色"):
            users.set_role(db, secadmin, "secadmin", "system_admin")

    def test_never_the_operators_role(self, db: Session, secadmin: Actor, leader: Actor) -> None:
        with pytest.raises(InputError, match="未知角色"):
            users.set_role(db, secadmin, "leader", "operator")
        with pytest.raises(InputError, match="未知角色"):
            users.set_role(db, SYSTEM, "leader", "operator")

    def test_not_into_or_out_of_an_enterprise_account(
        self, db: Session, secadmin: Actor, leader: Actor, enterprise_a: Actor
    ) -> None:
        with pytest.raises(Conflict):
            users.set_role(db, secadmin, "enterprise_a", "analyst")
        with pytest.raises(Conflict):
            users.set_role(db, secadmin, "leader", "enterprise")

    def test_not_the_last_administrator_of_a_duty(self, db: Session, secadmin: Actor, auditor: Actor) -> None:
        with pytest.raises(Conflict, match="最后一个启用的审计管理员"):
            users.set_role(db, secadmin, "auditor", "leader")


class TestAuditLog:
    def test_the_audit_administrator_reads_the_log_newest_first(
        self, db: Session, auditor: Actor, leader: Actor
    ) -> None:
        page = audit.list_entries(db, auditor, entity="user")
        assert page.total == 2
        assert [e.action for e in page.items] == ["user.create", "user.create"]
        assert page.items[0].after["username"] == "leader"

    def test_the_reading_is_itself_recorded(self, db: Session, auditor: Actor) -> None:
        audit.list_entries(db, auditor, action="user.create")
        assert _actions(db, "auditor")[-1] == "audit.read"
        entry = db.scalars(select(AuditEntry).where(AuditEntry.action == "audit.read")).one()
        assert entry.after == {"filters": {"action": "user.create"}, "page": 1, "entries": 1}

    @pytest.mark.parametrize("persona", ["enterprise_a", "leader", "analyst", "sysadmin", "secadmin"])
    def test_nobody_else_reads_the_log(self, db: Session, persona: str, request: pytest.FixtureRequest) -> None:
        with pytest.raises(PermissionDenied):
            audit.list_entries(db, request.getfixturevalue(persona))
