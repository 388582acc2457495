"""The one clock: stored times are UTC, the dates people read are the zone's (one rule for pages and documents)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest

from zonehero import clock
from zonehero.edges.web.rendering import format_datetime


@pytest.fixture
def late_evening_utc() -> Iterator[clock.FixedClock]:
    """2025-02-28 17:30 UTC is already 1 March, 01:30, in Beijing."""
    fixed = clock.FixedClock(datetime(2025, 2, 28, 17, 30, tzinfo=UTC))
    before = clock.current()
    clock.use(fixed)
    yield fixed
    clock.use(before)


def test_today_is_the_zones_date(late_evening_utc: clock.FixedClock) -> None:
    assert clock.today() == date(2025, 3, 1)
    assert clock.now() == datetime(2025, 2, 28, 17, 30, tzinfo=UTC)


def test_a_stored_moment_is_dated_in_the_zone_everywhere(late_evening_utc: clock.FixedClock) -> None:
    moment = clock.now()
    assert clock.local_date(moment) == date(2025, 3, 1)
    assert clock.local_date(moment.replace(tzinfo=None)) == date(2025, 3, 1)  # naive means UTC
    assert format_datetime(moment).startswith("2025-03-01")  # the page shows the same day


def test_another_zone_reads_its_own_date() -> None:
    before = clock.current()
    clock.use(clock.FixedClock(datetime(2025, 2, 28, 17, 30, tzinfo=UTC), timezone="Asia/Urumqi"))
    try:
        assert clock.today() == date(2025, 2, 28)  # UTC+6: 23:30 on the 28th
    finally:
        clock.use(before)


def test_the_zones_time_zone_keeps_an_injected_instant(late_evening_utc: clock.FixedClock) -> None:
    """The edges install the zone's time zone (store, --zone file); a test's fixed instant stays."""
    clock.use_timezone("Asia/Urumqi")
    assert clock.now() == late_evening_utc.instant
    assert clock.today() == date(2025, 2, 28)
    clock.use_timezone("Asia/Shanghai")
    assert clock.today() == date(2025, 3, 1)
