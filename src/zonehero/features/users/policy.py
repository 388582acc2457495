"""The security policy in force (安全策略), as the security administrator reads it.

The figures come from the settings and the password rules, so the page can never disagree with what the log-in,
the password change and the audit purge actually enforce. Read-only: the policy is changed in the server's
configuration (``ZONEHERO_*``), by the operator.
"""

from __future__ import annotations

from dataclasses import dataclass

from zonehero.config import Settings
from zonehero.features.roles import Actor, require_security_admin
from zonehero.features.users.passwords import MIN_PASSWORD_LENGTH


@dataclass(frozen=True)
class PolicyLine:
    """One rule: what it is, its value in words, and the setting that changes it (None: fixed)."""

    label: str
    value: str
    setting: str | None = None


def security_policy(actor: Actor, settings: Settings) -> list[PolicyLine]:
    """The password, log-in, session and audit-retention rules in force (security administrator only)."""
    require_security_admin(actor)
    age = settings.session_max_age_seconds
    session_age = f"{age // 3600} 小时" if age % 3600 == 0 else f"{age // 60} 分钟" if age % 60 == 0 else f"{age} 秒"
    return [
        PolicyLine("密码最短长度", f"{MIN_PASSWORD_LENGTH} 个字符"),
        PolicyLine(
            "登录失败锁定",
            f"连续 {settings.lockout_failures} 次失败后锁定 {settings.lockout_minutes} 分钟",
            "ZONEHERO_LOCKOUT_FAILURES / ZONEHERO_LOCKOUT_MINUTES",
        ),
        PolicyLine(
            "会话有效期",
            f"登录后 {session_age}",
            "ZONEHERO_SESSION_MAX_AGE_SECONDS",
        ),
        PolicyLine("审计日志保存期", f"{settings.audit_retention_days} 天", "ZONEHERO_AUDIT_RETENTION_DAYS"),
    ]
