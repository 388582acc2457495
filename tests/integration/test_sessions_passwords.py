"""Server-side sessions, the password policy's memory and the per-address throttle, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from zone_files import PASSWORD

from zonehero.clock import utcnow
from zonehero.errors import InputError, NotFound, PermissionDenied
from zonehero.features.audit.models import AuditEntry
from zonehero.features.roles import SYSTEM, Actor
from zonehero.features.users import service as users
from zonehero.features.users import sessions
from zonehero.features.users.models import PasswordHistory, User, UserSession
from zonehero.features.users.sessions import SessionPolicy
from zonehero.features.users.throttle import ThrottlePolicy

POLICY = SessionPolicy(max_age_seconds=8 * 3600, idle_minutes=30)


def _reasons(db: Session) -> list[str]:
    entries = db.scalars(select(AuditEntry).where(AuditEntry.action == "session.end").order_by(AuditEntry.id))
    return [e.after["reason"] for e in entries]


def _problems(caught: pytest.ExceptionInfo[InputError]) -> str:
    return " ".join(p.message for p in caught.value.problems)


class TestSessionRecord:
    def test_the_table_keeps_the_tokens_hash_not_the_token(self, db: Session, analyst: Actor) -> None:
        assert analyst.id is not None
        token = sessions.start(db, analyst.id, POLICY)
        [row] = db.scalars(select(UserSession)).all()
        assert row.id == sessions.session_id_of(token) and token not in row.id
        assert row.expires_at - row.created_at == timedelta(hours=8)

    def test_a_standing_session_gives_its_actor(self, db: Session, analyst: Actor) -> None:
        assert analyst.id is not None
        login = sessions.resolve(db, sessions.start(db, analyst.id, POLICY), POLICY)
        assert login is not None and login.actor == analyst and not login.must_change_password
        assert sessions.resolve(db, "not-a-token", POLICY) is None

    def test_an_idle_session_ends_and_says_why(self, db: Session, analyst: Actor) -> None:
        assert analyst.id is not None
        now = utcnow()
        token = sessions.start(db, analyst.id, POLICY, now=now)
        assert sessions.resolve(db, token, POLICY, now=now + timedelta(minutes=29)) is not None
        assert sessions.resolve(db, token, POLICY, now=now + timedelta(minutes=60)) is None
        assert _reasons(db) == ["idle"]
        # Ended for good: coming back within the idle time of the last use does not revive it.
        assert sessions.resolve(db, token, POLICY, now=now + timedelta(minutes=30)) is None

    def test_last_seen_is_written_at_most_once_a_minute(self, db: Session, analyst: Actor) -> None:
        assert analyst.id is not None
        now = utcnow()
        token = sessions.start(db, analyst.id, POLICY, now=now)
        sessions.resolve(db, token, POLICY, now=now + timedelta(seconds=30))
        row = db.scalars(select(UserSession)).one()
        db.refresh(row)
        assert row.last_seen_at == now
        sessions.resolve(db, token, POLICY, now=now + timedelta(seconds=90))
        db.refresh(row)
        assert row.last_seen_at == now + timedelta(seconds=90)

    def test_the_absolute_end_holds_however_active(self, db: Session, analyst: Actor) -> None:
        assert analyst.id is not None
        now = utcnow()
        token = sessions.start(db, analyst.id, POLICY, now=now)
        for minutes in range(20, 8 * 60, 20):
            assert sessions.resolve(db, token, POLICY, now=now + timedelta(minutes=minutes)) is not None
        assert sessions.resolve(db, token, POLICY, now=now + timedelta(hours=8)) is None
        assert _reasons(db) == ["expired"]


class TestEndingSessions:
    def test_a_password_change_ends_the_other_sessions_only(self, db: Session, analyst: Actor) -> None:
        assert analyst.id is not None
        here, elsewhere = sessions.start(db, analyst.id, POLICY), sessions.start(db, analyst.id, POLICY)
        users.set_password(db, analyst, "analyst", "Neues-Pferd-43", keep_session=sessions.session_id_of(here))
        assert sessions.resolve(db, here, POLICY) is not None
        assert sessions.resolve(db, elsewhere, POLICY) is None
        assert _reasons(db) == ["password_change"]

    def test_an_administrators_reset_ends_them_all(self, db: Session, sysadmin: Actor, analyst: Actor) -> None:
        assert analyst.id is not None
        token = sessions.start(db, analyst.id, POLICY)
        users.set_password(db, sysadmin, "analyst", "Neues-Pferd-43")
        assert sessions.resolve(db, token, POLICY) is None
        entry = db.scalars(select(AuditEntry).where(AuditEntry.action == "session.end")).one()
        assert (entry.actor_name, entry.after["reason"], entry.after["username"]) == (
            "sysadmin",
            "password_reset",
            "analyst",
        )

    def test_disabling_an_account_ends_its_sessions(self, db: Session, sysadmin: Actor, leader: Actor) -> None:
        assert leader.id is not None
        token = sessions.start(db, leader.id, POLICY)
        users.set_active(db, sysadmin, "leader", False)
        assert sessions.resolve(db, token, POLICY) is None
        assert _reasons(db) == ["disabled"]

    def test_a_role_change_hook_ends_them(self, db: Session, leader: Actor) -> None:
        assert leader.id is not None
        token = sessions.start(db, leader.id, POLICY)
        assert sessions.end_user_sessions(db, leader.id, "role_change") == 1
        assert sessions.resolve(db, token, POLICY) is None
        with pytest.raises(ValueError):
            sessions.end_user_sessions(db, leader.id, "because")

    def test_the_security_administrator_lists_and_ends_sessions(
        self, db: Session, secadmin: Actor, analyst: Actor, leader: Actor
    ) -> None:
        assert secadmin.id is not None and analyst.id is not None and leader.id is not None
        own = sessions.session_id_of(sessions.start(db, secadmin.id, POLICY))
        first, second = sessions.start(db, analyst.id, POLICY), sessions.start(db, analyst.id, POLICY)
        sessions.start(db, leader.id, POLICY)
        listed = sessions.list_open(db, secadmin, POLICY)
        assert sorted(s.username for s in listed) == ["analyst", "analyst", "leader", "secadmin"]
        assert sessions.end_session(db, secadmin, sessions.session_id_of(first)) == "analyst"
        assert sessions.resolve(db, first, POLICY) is None and sessions.resolve(db, second, POLICY) is not None
        with pytest.raises(NotFound):
            sessions.end_session(db, secadmin, sessions.session_id_of(first))
        with pytest.raises(PermissionDenied):
            sessions.end_session(db, secadmin, own, current=own)
        assert sessions.end_sessions_of(db, secadmin, "analyst") == 1
        assert sorted(s.username for s in sessions.list_open(db, secadmin, POLICY)) == ["leader", "secadmin"]
        assert _reasons(db) == ["ended_by_admin", "ended_by_admin"]

    @pytest.mark.parametrize("persona", ["analyst", "leader", "enterprise_a"])
    def test_only_the_security_administrator_sees_sessions(
        self, db: Session, persona: str, request: pytest.FixtureRequest
    ) -> None:
        actor: Actor = request.getfixturevalue(persona)
        with pytest.raises(PermissionDenied):
            sessions.list_open(db, actor, POLICY)
        with pytest.raises(PermissionDenied):
            sessions.end_sessions_of(db, actor, persona)


class TestPasswordPolicy:
    @pytest.mark.parametrize(
        ("weak", "reason"),
        [
            ("12345678", "缺少：大写字母、小写字母、符号"),
            ("password", "常用密码"),
            ("aaaaaaaa", "缺少：大写字母、数字、符号"),
            ("Neu-Leader-2024", "不能包含用户名"),
        ],
    )
    def test_the_admin_reset_and_the_user_refuse_a_weak_password(
        self, db: Session, sysadmin: Actor, leader: Actor, weak: str, reason: str
    ) -> None:
        for actor in (sysadmin, leader):
            with pytest.raises(InputError) as caught:
                users.set_password(db, actor, "leader", weak)
            assert reason in _problems(caught)

    @pytest.mark.parametrize(
        ("weak", "reason"),
        [("12345678", "常用密码"), ("aaaaaaaa", "缺少：大写字母、数字、符号"), ("Wang-Wei-2024", "不能包含用户名")],
    )
    def test_a_new_account_refuses_a_weak_password(self, db: Session, sysadmin: Actor, weak: str, reason: str) -> None:
        with pytest.raises(InputError) as caught:
            users.create_user(db, sysadmin, "wang-wei", weak, "leader")
        assert reason in _problems(caught)

    def test_none_of_the_last_five_may_be_reused(self, db: Session, leader: Actor) -> None:
        history = [f"Passwort-Nummer-{n}" for n in range(1, 6)]
        for password in history:
            users.set_password(db, leader, "leader", password)
        for password in history:
            with pytest.raises(InputError) as caught:
                users.set_password(db, leader, "leader", password)
            assert "最近 5 次" in _problems(caught)
        # The first password (set at creation) is the sixth newest now: allowed again.
        users.set_password(db, leader, "leader", PASSWORD)
        assert db.scalar(select(PasswordHistory.id).where(PasswordHistory.user_id == leader.id).limit(1)) is not None
        kept = db.scalars(select(PasswordHistory).where(PasswordHistory.user_id == leader.id)).all()
        assert len(kept) == 5

    def test_a_password_set_by_someone_else_is_temporary(self, db: Session, sysadmin: Actor, leader: Actor) -> None:
        assert leader.id is not None
        users.set_password(db, sysadmin, "leader", "Temporaer-Pass-1")
        login = sessions.resolve(db, sessions.start(db, leader.id, POLICY), POLICY)
        assert login is not None and login.password_change == "temporary"
        assert login.password_change_message and "临时密码" in login.password_change_message
        users.set_password(db, leader, "leader", "Eigenes-Pass-2")
        login = sessions.resolve(db, sessions.start(db, leader.id, POLICY), POLICY)
        assert login is not None and not login.must_change_password

    def test_accounts_added_by_the_operator_are_temporary(self, db: Session) -> None:
        made = users.create_user(db, SYSTEM, "zhangsan", "Kaifaqu-2024!", "leader", temporary=True)
        assert made.must_change_password
        users.set_password(db, SYSTEM, "zhangsan", "Kaifaqu-2025!")
        assert db.scalar(select(User.must_change_password).where(User.username == "zhangsan")) is True

    def test_an_old_password_must_be_changed_when_expiry_is_on(self, db: Session, leader: Actor) -> None:
        assert leader.id is not None
        user = db.get(User, leader.id)
        assert user is not None
        user.password_changed_at = utcnow() - timedelta(days=91)
        db.flush()
        expiring = SessionPolicy(password_max_age_days=90)
        login = sessions.resolve(db, sessions.start(db, leader.id, expiring), expiring)
        assert login is not None and login.password_change == "expired"
        never = sessions.resolve(db, sessions.start(db, leader.id, POLICY), POLICY)
        assert never is not None and not never.must_change_password


class TestThrottle:
    THROTTLE = ThrottlePolicy(failures=3, window_minutes=15, block_minutes=30)

    def _try(self, db: Session, username: str, password: str, address: str, now: object) -> users.LoginResult:
        return users.authenticate(db, username, password, address=address, throttling=self.THROTTLE, now=now)  # type: ignore[arg-type]

    def test_an_address_that_keeps_failing_is_refused_before_any_account(
        self, db: Session, sysadmin: Actor, analyst: Actor
    ) -> None:
        now = utcnow()
        for _ in range(3):
            assert not self._try(db, "sysadmin", "wrong-Guess-1", "198.51.100.7", now).ok
        refused = self._try(db, "analyst", PASSWORD, "198.51.100.7", now)
        assert not refused.ok and refused.throttled_until == now + timedelta(minutes=30)
        assert refused.message and "此地址登录失败次数过多" in refused.message
        # Another machine is not affected, and the administrator was never locked (3 < 5 failures).
        assert self._try(db, "sysadmin", PASSWORD, "203.0.113.9", now).ok
        # After the block the address may try again; a second block lasts twice as long.
        later = now + timedelta(minutes=31)
        assert self._try(db, "analyst", PASSWORD, "198.51.100.7", later).ok
        for _ in range(3):
            self._try(db, "sysadmin", "wrong-Guess-1", "198.51.100.7", later)
        assert self._try(db, "sysadmin", PASSWORD, "198.51.100.7", later).throttled_until == later + timedelta(hours=1)

    def test_one_machine_cannot_keep_the_administrator_locked(self, db: Session, sysadmin: Actor) -> None:
        now = utcnow()
        throttle = ThrottlePolicy(failures=10, window_minutes=15, block_minutes=30)
        attacker = "198.51.100.66"
        for _ in range(10):
            users.authenticate(db, "sysadmin", "wrong-Guess-1", address=attacker, throttling=throttle, now=now)
        user = db.scalars(select(User).where(User.username == "sysadmin")).one()
        assert user.locked_until == now + timedelta(minutes=15)
        # The lock ends after 15 minutes; the attacker's address is still refused, so it cannot lock it again.
        after_lock = now + timedelta(minutes=16)
        for _ in range(10):
            result = users.authenticate(
                db, "sysadmin", "wrong-Guess-1", address=attacker, throttling=throttle, now=after_lock
            )
            assert result.throttled_until is not None
        assert users.authenticate(db, "sysadmin", PASSWORD, address="10.0.0.2", throttling=throttle, now=after_lock).ok
