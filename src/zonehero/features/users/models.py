"""The ``users`` table, and what log-in security keeps beside it.

``user_sessions`` are the server-side sessions (会话): the browser holds only a random token, the row is keyed by
the token's SHA-256, so a stolen copy of the table opens no session. ``password_history`` keeps the hashes of an
account's last passwords (no reuse), ``login_throttle`` counts failed log-ins per client address across every web
process (added by migration 0010).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, Integer, String, false
from sqlalchemy.orm import Mapped, mapped_column

from zonehero.clock import utcnow
from zonehero.db.base import Base, UTCDateTime

ROLE_VALUES = (
    "system_admin",
    "security_admin",
    "audit_admin",
    "analyst",
    "leader",
    "enterprise",
    "project_office",
    "unit",
    "department",
    "investment",
)
"""The roles an account may hold (:data:`zonehero.features.roles.ACCOUNT_ROLES`; never ``operator``)."""


class User(Base):
    """An account. Enterprise accounts are tied to exactly one USCC, unit accounts to one unit name, department
    accounts to one department."""

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(f"role IN ({', '.join(repr(r) for r in ROLE_VALUES)})", name="role_known"),
        CheckConstraint(
            "(role = 'enterprise' AND enterprise_uscc IS NOT NULL) "
            "OR (role <> 'enterprise' AND enterprise_uscc IS NULL)",
            name="enterprise_uscc_iff_enterprise",
        ),
        CheckConstraint("failed_logins >= 0", name="failed_logins_nonnegative"),
        CheckConstraint(
            "(role = 'unit' AND unit_name IS NOT NULL) OR (role <> 'unit' AND unit_name IS NULL)",
            name="unit_name_iff_unit",
        ),
        CheckConstraint(
            "(role = 'department' AND department IS NOT NULL) OR (role <> 'department' AND department IS NULL)",
            name="department_iff_department",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))
    enterprise_uscc: Mapped[str | None] = mapped_column(String(18), index=True)
    unit_name: Mapped[str | None] = mapped_column(String(64))
    """责任单位: the unit a ``unit`` account speaks for (added by migration 0002)."""
    department: Mapped[str | None] = mapped_column(String(32))
    """报送部门: the department a ``department`` account submits for (数据归集, added by migration 0016)."""
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    """The password was set by an administrator (临时密码) or has expired: nothing but changing it is allowed."""
    password_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    """When the password was last set (None: before migration 0010, then ``created_at`` counts)."""


class UserSession(Base):
    """One log-in (会话). Ended rows stay, with why, until the account is deleted."""

    __tablename__ = "user_sessions"
    __table_args__ = (Index("ix_user_sessions_active", "ended_at", "user_id"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    """SHA-256 (hex) of the token in the cookie; never the token itself."""
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
    """Written at most once a minute (see ``zonehero.features.users.sessions.TOUCH_SECONDS``)."""
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    """The absolute end: log-in time plus ``session_max_age_seconds``."""
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    end_reason: Mapped[str | None] = mapped_column(String(32))
    origin: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(200))


class PasswordHistory(Base):
    """A password an account had (its argon2 hash); only the newest few per account are kept."""

    __tablename__ = "password_history"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    set_at: Mapped[datetime] = mapped_column(UTCDateTime)


class LoginThrottle(Base):
    """Failed log-ins from one client address (登录限制): counted in a window, then the address waits."""

    __tablename__ = "login_throttle"
    __table_args__ = (
        CheckConstraint("failures >= 0", name="failures_nonnegative"),
        CheckConstraint("blocks >= 0", name="blocks_nonnegative"),
    )

    address: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    window_started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    blocked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    blocks: Mapped[int] = mapped_column(Integer, default=0)
    """Blocks in a row (each doubles the wait); back to 0 after a quiet day."""
