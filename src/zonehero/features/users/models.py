"""The ``users`` table."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, Integer, String
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
)
"""The roles an account may hold (:data:`zonehero.features.roles.ACCOUNT_ROLES`; never ``operator``)."""


class User(Base):
    """An account. Enterprise accounts are tied to exactly one USCC, unit accounts to one unit name."""

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
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))
    enterprise_uscc: Mapped[str | None] = mapped_column(String(18), index=True)
    unit_name: Mapped[str | None] = mapped_column(String(64))
    """责任单位: the unit a ``unit`` account speaks for (added by migration 0002)."""
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
