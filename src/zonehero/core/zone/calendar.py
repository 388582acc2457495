"""The working-day calendar (工作日): weekends, official holidays and 调休 working weekends, as data.

Deadlines the bureaus publish (公示期 "5 个工作日", an objection's answer) count working days, so the date a
period ends depends on the State Council's yearly holiday notice. The notice is data
(``zonehero/data/cn_calendar.toml``); a year it does not cover counts weekends only, and
:meth:`WorkCalendar.covers` lets callers say so.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from importlib import resources
from typing import Any

from zonehero.errors import InputError, InputProblem

CALENDAR_RESOURCE = "cn_calendar.toml"


@dataclass(frozen=True)
class WorkCalendar:
    """Which days are working days: Monday to Friday, less ``holidays``, plus the 调休 ``workdays``."""

    holidays: frozenset[date] = field(default_factory=frozenset)
    workdays: frozenset[date] = field(default_factory=frozenset)
    years: frozenset[int] = field(default_factory=frozenset)
    """Years whose holiday notice is in the data (other years: weekends only)."""

    def covers(self, year: int) -> bool:
        return year in self.years

    def is_working_day(self, day: date) -> bool:
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5

    def add_working_days(self, start: date, days: int) -> date:
        """The last day of a period of ``days`` working days that begins on ``start`` (counted if it is one).

        A 公示 from Monday 2025-09-29 for 5 working days ends on 2025-10-11: 9-29, 9-30, (国庆 10-1…10-8),
        the 调休 Saturday 10-11 … the fifth working day.
        """
        if days < 1:
            raise ValueError("a period has at least one day")
        day = start
        counted = 1 if self.is_working_day(day) else 0
        while counted < days:
            day += timedelta(days=1)
            if self.is_working_day(day):
                counted += 1
        return day

    def working_days_between(self, first: date, last: date) -> int:
        """How many working days from ``first`` to ``last``, both included (0 when ``last`` is before ``first``)."""
        count = 0
        day = first
        while day <= last:
            count += self.is_working_day(day)
            day += timedelta(days=1)
        return count


def _dates(values: Any, where: str, source: str) -> frozenset[date]:
    if not isinstance(values, list):
        raise InputError([InputProblem(f"{where} 应为日期列表", file=source)])
    out = set()
    for value in values:
        try:
            out.add(value if isinstance(value, date) else date.fromisoformat(str(value)))
        except ValueError:
            raise InputError([InputProblem(f"{where} 中的「{value}」不是日期（YYYY-MM-DD）", file=source)]) from None
    return frozenset(out)


def parse_calendar(text: str, *, source: str) -> WorkCalendar:
    """A calendar from TOML text (``[years.<YYYY>] holidays = [...] workdays = [...]``); InputError on a bad date."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError([InputProblem(f"日历文件格式错误：{exc}", file=source)]) from None
    years: Mapping[str, Any] = data.get("years", {})
    holidays: set[date] = set()
    workdays: set[date] = set()
    covered: set[int] = set()
    for key, entry in years.items():
        if not str(key).isdigit() or not isinstance(entry, Mapping):
            raise InputError([InputProblem(f"years.{key} 应为年份表", file=source)])
        covered.add(int(key))
        holidays |= _dates(entry.get("holidays", []), f"years.{key}.holidays", source)
        workdays |= _dates(entry.get("workdays", []), f"years.{key}.workdays", source)
    return WorkCalendar(frozenset(holidays), frozenset(workdays), frozenset(covered))


def default_calendar_text() -> str:
    return resources.files("zonehero.data").joinpath(CALENDAR_RESOURCE).read_text(encoding="utf-8")


def default_calendar() -> WorkCalendar:
    """China's official holidays and 调休 of the years shipped with zonehero."""
    return parse_calendar(default_calendar_text(), source=f"zonehero/data/{CALENDAR_RESOURCE}")


def merge_calendars(calendars: Iterable[WorkCalendar]) -> WorkCalendar:
    """One calendar from several (a zone's own days on top of the national ones)."""
    holidays: frozenset[date] = frozenset()
    workdays: frozenset[date] = frozenset()
    years: frozenset[int] = frozenset()
    for c in calendars:
        holidays |= c.holidays
        workdays |= c.workdays
        years |= c.years
    return WorkCalendar(holidays - workdays, workdays, years)
