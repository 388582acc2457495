"""A zone's yearly goals (目标) and the actual figures reported against them (实际完成).

Plain immutable values; no storage. A goal says which way is good
(``direction``) and how to pro-rate it to a part of the year (``kind``):

- ``cumulative`` (累计量): a flow summed over the year, e.g. total tax or
  investment completed. Expected by the end of month m: value × m / 12.
- ``level`` (水平值): a rate, growth or share, e.g. growth of 8% or a 4%
  share of the province. Compared directly, whatever the month.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Direction = Literal["higher", "lower"]
GoalKind = Literal["cumulative", "level"]

DIRECTIONS: tuple[str, ...] = ("higher", "lower")
GOAL_KINDS: tuple[str, ...] = ("cumulative", "level")


@dataclass(frozen=True)
class Goal:
    """One yearly goal, e.g. total tax 12,000 万元 (higher, cumulative) or growth 8% (higher, level)."""

    key: str
    """Indicator key, e.g. ``total_tax``; the key of a formula when the actual can be computed."""
    label: str
    value: float
    unit: str
    year: int
    direction: Direction = "higher"
    kind: GoalKind = "cumulative"

    def __post_init__(self) -> None:
        if self.direction not in DIRECTIONS:
            raise ValueError(f"direction must be one of {DIRECTIONS}, not {self.direction!r}")
        if self.kind not in GOAL_KINDS:
            raise ValueError(f"kind must be one of {GOAL_KINDS}, not {self.kind!r}")


@dataclass(frozen=True, order=True)
class Period:
    """A reporting period of a year, identified by its last month (quarter 1 = month 3)."""

    year: int
    month: int
    """Last month covered, 1..12."""

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise ValueError(f"month must be 1..12, not {self.month}")

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        """The period ending with ``quarter`` (1..4)."""
        if not 1 <= quarter <= 4:
            raise ValueError(f"quarter must be 1..4, not {quarter}")
        return cls(year, quarter * 3)

    @property
    def months_elapsed(self) -> int:
        """Months of the year covered by a year-to-date figure of this period."""
        return self.month

    @property
    def label(self) -> str:
        """``2025年1-3月`` as shown in reports."""
        return f"{self.year}年1-{self.month}月" if self.month > 1 else f"{self.year}年1月"


@dataclass(frozen=True)
class Actual:
    """A year-to-date actual figure of one indicator at the end of ``period``, in the goal's unit."""

    key: str
    period: Period
    value: float
    source: str = "manual"
    """``manual`` (entered by hand) or the formula that computed it."""
