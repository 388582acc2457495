"""The one clock (时钟): "now" in UTC for stored times, "today" and local dates in the zone's time zone.

Stored times are UTC; the dates people read (公示 from, deadlines, 填报日期) are the zone's calendar days, so a
row written at 2025-03-01 01:00 Beijing time is dated 3 月 1 日, not 2 月 28 日. The edges install the clock of
the zone at start-up (``create_app``, the CLI callback, a job worker) with :func:`use`; services and
documents ask :func:`today`, :func:`now` and :func:`local_date`. Tests install a :class:`FixedClock`. The
pure cores never read a clock: they are given dates.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

DEFAULT_TIMEZONE = "Asia/Shanghai"


@dataclass(frozen=True)
class ZoneClock:
    """The real time, read in the zone's time zone."""

    timezone: str = DEFAULT_TIMEZONE

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def now(self) -> datetime:
        return datetime.now(UTC)


@dataclass(frozen=True)
class FixedClock:
    """A clock that reads a given instant (tests, reproducible documents)."""

    instant: datetime
    timezone: str = DEFAULT_TIMEZONE

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def now(self) -> datetime:
        return self.instant.astimezone(UTC)

    def shifted(self, delta: timedelta) -> FixedClock:
        return FixedClock(self.instant + delta, self.timezone)


Clock = ZoneClock | FixedClock

_current: list[Clock] = [ZoneClock()]


def use(clock: Clock) -> None:
    """Install ``clock`` for this process (the edges do this once, from the zone profile)."""
    _current[0] = clock


def current() -> Clock:
    return _current[0]


def use_timezone(timezone: str) -> None:
    """Read the installed clock in ``timezone`` (the zone profile's), keeping its source of time.

    The edges call this once they know their zone (the store's profile, a ``--zone`` file), so a test that
    installed a :class:`FixedClock` keeps its instant and only the zone's calendar changes.
    """
    _current[0] = replace(_current[0], timezone=timezone)


def now() -> datetime:
    """Now, timezone-aware UTC (what is stored)."""
    return _current[0].now()


utcnow = now
"""The name the services and models use for :func:`now` (a column default: ``default=utcnow``)."""


def today() -> date:
    """Today's date in the zone (what 公示, deadlines and reports count from)."""
    clock = _current[0]
    return clock.now().astimezone(clock.tz).date()


def local_date(moment: datetime | None) -> date | None:
    """The zone's calendar date of a stored moment (a naive one is taken as UTC)."""
    if moment is None:
        return None
    clock = _current[0]
    aware = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
    return aware.astimezone(clock.tz).date()


def local_time(moment: datetime | None) -> datetime | None:
    """A stored moment in the zone's time zone (for display)."""
    if moment is None:
        return None
    clock = _current[0]
    aware = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
    return aware.astimezone(clock.tz)
