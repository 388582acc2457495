"""Progress against a goal pro-rated to the period, and the on-course status (进度与预警).

Pro-rating rule (stated once, used everywhere):

- a ``cumulative`` goal (tax, investment, value added: flows over the year)
  is expected to be value × months elapsed / 12 by the end of a period
  (a 12,000 万元 tax goal is 3,000 万元 by the end of March);
- a ``level`` goal (growth, a rate, a share) is compared directly.

Status from the relative shortfall against the expected figure (how far on
the wrong side, as a share of the expected figure; "wrong side" is below for
``higher`` goals, above for ``lower`` goals):
shortfall <= ``on_track`` → on_track; <= ``at_risk`` → at_risk; else
off_track. Defaults 0 and 10%. When the expected figure is 0 any step to
the wrong side is off track. A goal with no actual is ``no_data``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from zonehero.core.targets.model import Actual, Goal, Period

Status = Literal["on_track", "at_risk", "off_track", "no_data"]
STATUS_LABELS: dict[str, str] = {
    "on_track": "正常",
    "at_risk": "预警",
    "off_track": "滞后",
    "no_data": "无数据",
}


@dataclass(frozen=True)
class Thresholds:
    """Relative shortfalls that separate on_track / at_risk / off_track (0.10 = 10% short of expected)."""

    on_track: float = 0.0
    at_risk: float = 0.10

    def __post_init__(self) -> None:
        if not 0 <= self.on_track <= self.at_risk:
            raise ValueError("thresholds must satisfy 0 <= on_track <= at_risk")


DEFAULT_THRESHOLDS = Thresholds()


@dataclass(frozen=True)
class Progress:
    """One goal at one period: what was expected by then, what happened, and the status."""

    goal: Goal
    period: Period
    expected: float
    actual: float | None
    shortfall: float | None
    """Relative shortfall (> 0 = on the wrong side); None without an actual."""
    status: Status

    @property
    def attainment(self) -> float | None:
        """actual / expected (完成进度), None when either is missing or expected is 0."""
        if self.actual is None or self.expected == 0:
            return None
        return self.actual / self.expected

    @property
    def status_label(self) -> str:
        """Chinese word for the status."""
        return STATUS_LABELS[self.status]


def expected_at(goal: Goal, period: Period) -> float:
    """The goal pro-rated to ``period`` (see module doc); ValueError when the years differ."""
    if period.year != goal.year:
        raise ValueError(f"period {period.year} is not in the goal's year {goal.year}")
    if goal.kind == "cumulative":
        return goal.value * period.months_elapsed / 12
    return goal.value


def shortfall(goal: Goal, expected: float, actual: float) -> float:
    """Relative distance on the wrong side of ``expected`` (<= 0 when the goal is met)."""
    gap = expected - actual if goal.direction == "higher" else actual - expected
    if expected == 0:
        return 0.0 if gap <= 0 else math.inf
    return gap / abs(expected)


def progress(
    goal: Goal, actual: Actual | None, period: Period, thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> Progress:
    """Progress of ``goal`` at ``period`` given its actual (None when not reported)."""
    expected = expected_at(goal, period)
    if actual is None:
        return Progress(goal, period, expected, None, None, "no_data")
    if actual.key != goal.key or actual.period != period:
        raise ValueError(f"actual {actual.key}@{actual.period} does not belong to goal {goal.key}@{period}")
    short = shortfall(goal, expected, actual.value)
    status: Status
    if short <= thresholds.on_track:
        status = "on_track"
    elif short <= thresholds.at_risk:
        status = "at_risk"
    else:
        status = "off_track"
    return Progress(goal, period, expected, actual.value, short, status)


def assess(
    goals: Iterable[Goal],
    actuals: Iterable[Actual],
    *,
    period: Period | None = None,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> list[Progress]:
    """Progress of every goal, in the order given.

    With ``period`` each goal is judged at that period (``no_data`` when it
    has no actual there). Without it, at its latest reported period of the
    goal's year, or at December with ``no_data`` when none was reported.
    """
    by_goal: dict[tuple[str, int], list[Actual]] = {}
    for a in actuals:
        by_goal.setdefault((a.key, a.period.year), []).append(a)
    results: list[Progress] = []
    for goal in goals:
        reported = by_goal.get((goal.key, goal.year), [])
        if period is not None:
            at = period
            match = [a for a in reported if a.period == period]
        else:
            at = max((a.period for a in reported), default=Period(goal.year, 12))
            match = [a for a in reported if a.period == at]
        if len(match) > 1:
            raise ValueError(f"two actuals of {goal.key} for {at.label}")
        results.append(progress(goal, match[0] if match else None, at, thresholds))
    return results


def off_course(progresses: Iterable[Progress], *, include_at_risk: bool = False) -> list[Progress]:
    """Goals off track (and at risk, when asked), worst shortfall first."""
    wanted = {"off_track", "at_risk"} if include_at_risk else {"off_track"}
    chosen = [p for p in progresses if p.status in wanted]
    return sorted(chosen, key=lambda p: -(p.shortfall or 0.0))
