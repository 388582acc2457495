"""The clocks of a 招商 lead (线索时限): answer, judge, tell the source, then follow up — in working days.

A reported lead is owed four things by the 招商局, each by a number of working days of the zone calendar counted
from the day after the event that starts it (:class:`~zonehero.core.zone.profile.LeadClocks`):

* 接洽答复 (respond): the lead is answered — moved out of 线索 or a contact logged — within ``respond_days`` of
  its report;
* 研判 (judge): a judgement on it is recorded (or it is ended) within ``judge_days`` of its report;
* 告知报送人 (tell the source): its reporter is told how it stands within ``tell_source_days`` of its report;
* 定期反馈 (follow up): after that, the reporter is told again within ``follow_up_days`` of the last time.

The clocks stop when the lead closes (签约, 落地 or 终止): what is late then is history, not work. A clock past
its day escalates as a difficulty does: :func:`zonehero.core.schedule.difficulties.escalation_level` on the
calendar days overdue, so a late lead and a late difficulty climb the same ladder.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from zonehero.core.schedule.difficulties import EscalationLevel, escalation_level
from zonehero.core.zone.calendar import WorkCalendar
from zonehero.core.zone.profile import LeadClocks


class ClockKind(StrEnum):
    """What a lead's clock asks for."""

    RESPOND = "respond"
    JUDGE = "judge"
    TELL_SOURCE = "tell_source"
    FOLLOW_UP = "follow_up"

    @property
    def label(self) -> str:
        return CLOCK_LABELS[self]


CLOCK_LABELS: dict[ClockKind, str] = {
    ClockKind.RESPOND: "接洽答复",
    ClockKind.JUDGE: "研判",
    ClockKind.TELL_SOURCE: "告知报送人",
    ClockKind.FOLLOW_UP: "定期反馈",
}


ACTIVITY_LABELS: dict[str, str] = {
    "visit": "走访/考察",
    "meeting": "会谈",
    "call": "电话",
    "judgement": "研判",
    "feedback": "告知报送人",
}
"""The contacts a lead's log holds: a visit, meeting or call answers it, a 研判 judges it, 告知报送人 tells the
source."""


@dataclass(frozen=True)
class LeadEvents:
    """What has happened to one lead, as the clocks need it (dates of the zone)."""

    reported_on: date
    responded_on: date | None = None
    """The first move out of 线索 or the first logged contact."""
    judged_on: date | None = None
    """The first 研判 recorded (or the day it was ended)."""
    told_source_on: Sequence[date] = ()
    """Every day the reporter was told how the lead stands."""
    closed_on: date | None = None
    """签约, 落地 or 终止: the clocks stop."""


@dataclass(frozen=True)
class LeadClock:
    """One clock of a lead as of a date: when it falls due, when (if) it was met, how late it is."""

    kind: ClockKind
    due: date
    met_on: date | None
    days_overdue: int
    """Calendar days past ``due`` while unmet (0 when met, not yet due or the lead closed)."""

    @property
    def overdue(self) -> bool:
        return self.days_overdue > 0

    @property
    def level(self) -> EscalationLevel | None:
        """Who must act (the difficulties' ladder): the 招商局, then the leader, then the zone's director."""
        return escalation_level(self.days_overdue)


def due_after(start: date, days: int, calendar: WorkCalendar) -> date:
    """The last day of ``days`` working days counted from the day after ``start``."""
    return calendar.add_working_days(start + timedelta(days=1), days)


def _clock(kind: ClockKind, due: date, met: date | None, events: LeadEvents, as_of: date) -> LeadClock:
    met_by_now = met if met is not None and met <= as_of else None
    closed = events.closed_on is not None and events.closed_on <= as_of
    late = 0 if met_by_now is not None or closed or as_of <= due else (as_of - due).days
    return LeadClock(kind, due, met_by_now, late)


def lead_clocks(events: LeadEvents, as_of: date, calendar: WorkCalendar, clocks: LeadClocks) -> list[LeadClock]:
    """The lead's clocks as of ``as_of``: respond, judge, tell the source and the follow-up now running (if any);
    none once the lead has closed."""
    if events.closed_on is not None and events.closed_on <= as_of:
        return []
    told = sorted(d for d in events.told_source_on if d <= as_of)
    start = events.reported_on
    found = [
        _clock(ClockKind.RESPOND, due_after(start, clocks.respond_days, calendar), events.responded_on, events, as_of),
        _clock(ClockKind.JUDGE, due_after(start, clocks.judge_days, calendar), events.judged_on, events, as_of),
        _clock(
            ClockKind.TELL_SOURCE,
            due_after(start, clocks.tell_source_days, calendar),
            told[0] if told else None,
            events,
            as_of,
        ),
    ]
    if told:
        found.append(
            _clock(ClockKind.FOLLOW_UP, due_after(told[-1], clocks.follow_up_days, calendar), None, events, as_of)
        )
    return found


def most_overdue(clocks: Sequence[LeadClock]) -> LeadClock | None:
    """The clock furthest past its day, or None when nothing is late."""
    late = [c for c in clocks if c.overdue]
    return max(late, key=lambda c: c.days_overdue) if late else None


def next_due(clocks: Sequence[LeadClock]) -> LeadClock | None:
    """The earliest clock still running (not met, not late), or None."""
    running = [c for c in clocks if c.met_on is None and not c.overdue]
    return min(running, key=lambda c: c.due) if running else None
