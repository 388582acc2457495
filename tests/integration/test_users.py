"""Accounts: who may manage them, passwords, log-in with lockout, and the audit of each."""

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
from zonehero.features.roles import Actor, Role
from zonehero.features.users import service as users
from zonehero.features.users.models import User


def _actions(db: Session, username: str) -> list[str]:
    rows = db.scalars(select(AuditEntry.action).where(AuditEntry.actor_name == username).order_by(AuditEntry.id))
    return list(rows)


class TestCreateUser:
    def test_admin_creates_an_enterprise_account_tied_to_its_uscc(self, db: Session, admin: Actor) -> None:
        user = users.create_user(db, admin, "qiye", PASSWORD, "enterprise", enterprise_uscc="91350100m000100y43")
        assert (user.role, user.enterprise_uscc, user.active) == ("enterprise", "91350100M000100Y43", True)
        entry = db.scalars(select(AuditEntry).where(AuditEntry.action == "user.create").order_by(AuditEntry.id)).all()[
            -1
        ]
        assert entry.actor_name == "admin"
        assert entry.after == {
            "username": "qiye",
            "role": "enterprise",
            "enterprise_uscc": "91350100M000100Y43",
            "active": True,
        }
        stored = db.scalar(select(User.password_hash).where(User.username == "qiye"))
        assert stored is not None and stored.startswith("$argon2id$") and PASSWORD not in stored

    @pytest.mark.parametrize("persona", ["analyst", "leader", "enterprise_a"])
    def test_only_an_admin_manages_accounts(self, db: Session, persona: str, request: pytest.FixtureRequest) -> None:
        actor: Actor = request.getfixturevalue(persona)
        with pytest.raises(PermissionDenied):
            users.create_user(db, actor, "someone", PASSWORD, "leader")
        with pytest.raises(PermissionDenied):
            users.list_users(db, actor)

    def test_it_reports_every_problem_at_once(self, db: Session, admin: Actor) -> None:
        with pytest.raises(InputError) as caught:
            users.create_user(db, admin, "x", "short", "enterprise", enterprise_uscc="123")
        columns = {p.column for p in caught.value.problems}
        assert columns == {"username", "enterprise_uscc", "password"}

    def test_staff_accounts_have_no_uscc(self, db: Session, admin: Actor) -> None:
        with pytest.raises(InputError):
            users.create_user(db, admin, "lingdao", PASSWORD, Role.LEADER, enterprise_uscc="91350100M000100Y43")

    def test_usernames_are_unique_ignoring_case(self, db: Session, admin: Actor, analyst: Actor) -> None:
        with pytest.raises(Conflict):
            users.create_user(db, admin, "ANALYST", PASSWORD, "analyst")

    def test_list_shows_every_account_to_the_admin(
        self, db: Session, admin: Actor, analyst: Actor, enterprise_a: Actor
    ) -> None:
        assert [u.username for u in users.list_users(db, admin)] == ["admin", "analyst", "enterprise_a"]


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

    def test_a_disabled_account_cannot_log_in(self, db: Session, admin: Actor, leader: Actor) -> None:
        users.set_active(db, admin, "leader", False)
        assert not users.authenticate(db, "leader", PASSWORD).ok
        assert users.get_actor(db, leader.id or 0) is None


class TestSetPassword:
    def test_everyone_may_change_their_own_password(self, db: Session, leader: Actor) -> None:
        users.set_password(db, leader, "leader", "A-new-long-passw0rd")
        assert users.authenticate(db, "leader", "A-new-long-passw0rd").ok
        assert not users.authenticate(db, "leader", PASSWORD).ok

    def test_only_an_admin_changes_another_password(self, db: Session, analyst: Actor, leader: Actor) -> None:
        with pytest.raises(PermissionDenied):
            users.set_password(db, analyst, "leader", "A-new-long-passw0rd")

    def test_the_admin_reset_unlocks_the_account(self, db: Session, admin: Actor, analyst: Actor) -> None:
        for _ in range(5):
            users.authenticate(db, "analyst", "wrong")
        users.set_password(db, admin, "analyst", "Reset-by-admin-1")
        assert users.authenticate(db, "analyst", "Reset-by-admin-1").ok
        entry = db.scalars(
            select(AuditEntry).where(AuditEntry.action == "user.set_password").order_by(AuditEntry.id)
        ).all()[-1]
        assert "password" not in str(entry.before) + str(entry.after)

    def test_unknown_user(self, db: Session, admin: Actor) -> None:
        with pytest.raises(NotFound):
            users.set_password(db, admin, "ghost", "Whatever-long-1")


class TestAuditLog:
    def test_staff_read_the_log_newest_first(self, db: Session, admin: Actor, leader: Actor) -> None:
        page = audit.list_entries(db, leader, entity="user")
        assert page.total == 2
        assert [e.action for e in page.items] == ["user.create", "user.create"]
        assert page.items[0].after["username"] == "leader"

    def test_an_enterprise_reads_no_log(self, db: Session, enterprise_a: Actor) -> None:
        with pytest.raises(PermissionDenied):
            audit.list_entries(db, enterprise_a)
