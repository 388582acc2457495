"""Difficulties (问题清单): overdue, escalation (督办) and closure rates.

A difficulty unresolved past its deadline is overdue. It stays with its owner
unit for the first 30 days overdue, then escalates one level each further 30
days: owner unit (1-30 days) → 包挂领导 (31-60) → the zone's director (61 and
more). Everything is computed as of a date, so a resolution dated after that
date does not count yet.
"""

from __future__ import annotations

import enum
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from zonehero.core.schedule.model import Difficulty, Project

ESCALATION_STEP_DAYS = 30


class EscalationLevel(enum.IntEnum):
    """Who must act on an overdue difficulty."""

    OWNER_UNIT = 0
    LEADER = 1
    DIRECTOR = 2

    @property
    def label(self) -> str:
        """Chinese name: 责任单位, 包挂领导, 管委会主任."""
        return ("责任单位", "包挂领导", "管委会主任")[self.value]


def days_overdue(difficulty: Difficulty, as_of: date) -> int:
    """Days past the deadline as of ``as_of``; 0 when resolved by then or not yet past the deadline."""
    if difficulty.resolved_by(as_of) or as_of <= difficulty.deadline:
        return 0
    return (as_of - difficulty.deadline).days


def escalation_level(overdue_days: int) -> EscalationLevel | None:
    """The level for a number of days overdue: None at 0, owner unit 1-30, leader 31-60, director 61+."""
    if overdue_days <= 0:
        return None
    return EscalationLevel(min((overdue_days - 1) // ESCALATION_STEP_DAYS, EscalationLevel.DIRECTOR.value))


@dataclass(frozen=True)
class Escalation:
    """Where one difficulty stands as of a date."""

    difficulty: Difficulty
    as_of: date
    days_overdue: int
    level: EscalationLevel | None
    escalated_to: str | None
    """The name of who must act: the owner unit, the project's 包挂领导, or 管委会主任."""

    @property
    def overdue(self) -> bool:
        """Unresolved past its deadline."""
        return self.days_overdue > 0


def escalate(
    difficulty: Difficulty,
    as_of: date,
    project: Project | None = None,
    director: str = "管委会主任",
) -> Escalation:
    """The escalation of ``difficulty`` as of ``as_of``; ``project`` supplies the 包挂领导's name."""
    overdue = days_overdue(difficulty, as_of)
    level = escalation_level(overdue)
    to: str | None = None
    if level is EscalationLevel.OWNER_UNIT:
        to = difficulty.owner_unit
    elif level is EscalationLevel.LEADER:
        to = (project.leader if project is not None else None) or EscalationLevel.LEADER.label
    elif level is EscalationLevel.DIRECTOR:
        to = director
    return Escalation(difficulty, as_of, overdue, level, to)


@dataclass(frozen=True)
class ClosureStats:
    """Difficulties of a period: raised, resolved, overdue at its end, and the closure rate.

    ``in_play`` are those raised on or before the period's end and not
    resolved before it began; ``resolved`` are those resolved within the
    period; ``rate`` = resolved / in play (None when nothing was in play).
    """

    start: date
    end: date
    raised: int
    in_play: int
    resolved: int
    overdue: int

    @property
    def rate(self) -> float | None:
        """办结率 of the period."""
        return self.resolved / self.in_play if self.in_play else None


def closure_stats(difficulties: Iterable[Difficulty], start: date, end: date) -> ClosureStats:
    """Closure figures of ``difficulties`` for the period from ``start`` to ``end`` inclusive."""
    raised = in_play = resolved = overdue = 0
    before_start = date.fromordinal(start.toordinal() - 1)
    for d in difficulties:
        if d.raised_on > end:
            continue
        if start <= d.raised_on:
            raised += 1
        if d.resolved_by(before_start) and d.resolved_on is not None:
            continue
        in_play += 1
        if d.resolved_by(end):
            resolved += 1
        elif days_overdue(d, end) > 0:
            overdue += 1
    return ClosureStats(start, end, raised, in_play, resolved, overdue)


def closure_by_unit(difficulties: Sequence[Difficulty], start: date, end: date) -> dict[str, ClosureStats]:
    """:func:`closure_stats` per owner unit, sorted by unit name."""
    groups: dict[str, list[Difficulty]] = defaultdict(list)
    for d in difficulties:
        groups[d.owner_unit].append(d)
    return {unit: closure_stats(groups[unit], start, end) for unit in sorted(groups)}
