"""Log-in throttling per client address (登录限制), beside the per-account lock-out.

The account lock-out stops guessing one account's password from many machines, but alone it lets one machine
keep an account (the administrator's) locked for ever by failing every 15 minutes. So failures are also counted
per client address, in the database (every web process sees the same count): more than ``failures`` within
``window_minutes`` and the address is refused for ``block_minutes``, doubled for each further block in a row
(up to a day), before any account is looked at. A refused attempt changes no account, so an address that keeps
failing soon cannot touch the account at all, while everyone else still logs in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from zonehero.config import Settings
from zonehero.features.users import repository

MAX_BLOCK = timedelta(days=1)
QUIET_RESET = timedelta(days=1)
"""After this long without a failure an address starts afresh (its doubling forgotten)."""


@dataclass(frozen=True)
class ThrottlePolicy:
    failures: int = 10
    window_minutes: int = 15
    block_minutes: int = 30

    @classmethod
    def of(cls, settings: Settings) -> ThrottlePolicy:
        return cls(
            failures=settings.login_address_failures,
            window_minutes=settings.login_address_window_minutes,
            block_minutes=settings.login_address_block_minutes,
        )


def blocked_until(session: Session, address: str, now: datetime) -> datetime | None:
    """When the address may try again, or None when it may now (a read: no lock, no write)."""
    row = repository.throttle_of(session, address)
    if row is None or row.blocked_until is None or row.blocked_until <= now:
        return None
    return row.blocked_until


def record_failure(session: Session, address: str, policy: ThrottlePolicy, now: datetime) -> datetime | None:
    """Count one failed log-in from ``address``; returns the end of the block it starts, if it starts one."""
    row = repository.locked_throttle(session, address, now)
    if now - row.window_started_at > QUIET_RESET:
        row.blocks = 0
    if now - row.window_started_at > timedelta(minutes=policy.window_minutes):
        row.window_started_at = now
        row.failures = 0
    row.failures += 1
    if row.failures < policy.failures:
        session.flush()
        return None
    block = min(timedelta(minutes=policy.block_minutes) * (2**row.blocks), MAX_BLOCK)
    row.blocked_until = now + block
    row.blocks += 1
    row.failures = 0
    row.window_started_at = now
    session.flush()
    return row.blocked_until


def wait_message(until: datetime, now: datetime) -> str:
    minutes = max(1, int((until - now).total_seconds() // 60) + 1)
    return f"此地址登录失败次数过多，已暂停登录，请约 {minutes} 分钟后再试"
