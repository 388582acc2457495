"""The records of 四个一批 scheduling: projects, milestones, monthly progress, difficulties.

Plain frozen dataclasses with no I/O: the importer builds them from
spreadsheets, the database layer from rows, the demo generator from a seed.
Everything that the lists, lights and reports compute is derived from these.
Money is in 万元 (10k yuan), land in 亩, dates are ``datetime.date``.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from zonehero.core.zone import default_zone

DEFAULT_INDUSTRY_CHAINS: tuple[str, ...] = default_zone().industry_chains
"""产业链 of the built-in zone profile (``zonehero/data/zone.toml``); a zone lists its own in its profile."""


class MilestoneKind(enum.StrEnum):
    """A milestone that has a planned and an actual date, in the order they are reached."""

    SIGNING = "signing"
    CONSTRUCTION = "construction"
    PRODUCTION = "production"

    @property
    def label(self) -> str:
        """Chinese name: 签约, 开工, 投产."""
        return _MILESTONE_LABELS[self]

    @property
    def order(self) -> int:
        """0 for signing, 1 for construction, 2 for production."""
        return MILESTONE_ORDER.index(self)


_MILESTONE_LABELS = {
    MilestoneKind.SIGNING: "签约",
    MilestoneKind.CONSTRUCTION: "开工",
    MilestoneKind.PRODUCTION: "投产",
}

MILESTONE_ORDER: tuple[MilestoneKind, ...] = (
    MilestoneKind.SIGNING,
    MilestoneKind.CONSTRUCTION,
    MilestoneKind.PRODUCTION,
)


class Stage(enum.StrEnum):
    """Where a project stands: 谋划 → 签约 → 开工 → 投产 (the last milestone reached)."""

    PLANNING = "planning"
    SIGNING = "signing"
    CONSTRUCTION = "construction"
    PRODUCTION = "production"

    @property
    def label(self) -> str:
        """Chinese name: 谋划, 签约, 开工, 投产."""
        return _STAGE_LABELS[self]

    @property
    def rank(self) -> int:
        """0 for planning up to 3 for production; a lower rank after a change is a move backwards."""
        return list(Stage).index(self)


_STAGE_LABELS = {
    Stage.PLANNING: "谋划",
    Stage.SIGNING: "签约",
    Stage.CONSTRUCTION: "开工",
    Stage.PRODUCTION: "投产",
}


@dataclass(frozen=True)
class Milestone:
    """One milestone of a project: when it was planned and when (if ever) it was reached."""

    kind: MilestoneKind
    planned: date | None = None
    actual: date | None = None

    def reached_by(self, day: date) -> bool:
        """Whether the milestone has an actual date on or before ``day``."""
        return self.actual is not None and self.actual <= day


@dataclass(frozen=True)
class Project:
    """An investment project in the zone's library (项目库).

    ``year_plan_investment`` is 年度计划投资 (万元) for the year being scheduled;
    the database layer keeps one per year and hands the core the one it needs.
    ``stage`` is not stored: it is the last milestone with an actual date.
    """

    code: str
    name: str
    investor: str | None = None
    investor_uscc: str | None = None
    industry_chain: str | None = None
    total_investment: float | None = None
    land_mu: float | None = None
    leader: str | None = None
    """包挂领导: the zone leader responsible for the project."""
    unit: str | None = None
    """责任单位: the unit responsible for moving the project forward."""
    contact: str | None = None
    added_date: date | None = None
    """入库日期: when the project entered the library (谋划)."""
    signing: Milestone = field(default_factory=lambda: Milestone(MilestoneKind.SIGNING))
    construction: Milestone = field(default_factory=lambda: Milestone(MilestoneKind.CONSTRUCTION))
    production: Milestone = field(default_factory=lambda: Milestone(MilestoneKind.PRODUCTION))
    year_plan_investment: float | None = None
    counted_in_statistics: bool = False
    """纳统: counted in fixed-asset investment statistics."""

    def milestone(self, kind: MilestoneKind) -> Milestone:
        """The milestone of the given kind."""
        return getattr(self, kind.value)  # type: ignore[no-any-return]

    def with_milestone(self, milestone: Milestone) -> Project:
        """A copy with ``milestone`` in place of the one of its kind."""
        changes: dict[str, Any] = {milestone.kind.value: milestone}
        return replace(self, **changes)

    def milestones(self) -> Iterator[Milestone]:
        """Signing, construction and production in order."""
        for kind in MILESTONE_ORDER:
            yield self.milestone(kind)

    @property
    def stage(self) -> Stage:
        """The last milestone with an actual date, or planning when none has one."""
        return self.stage_on(None)

    def stage_on(self, day: date | None) -> Stage:
        """The stage as of ``day`` (only actual dates on or before it count); None means all dates."""
        stage = Stage.PLANNING
        for m in self.milestones():
            if m.actual is not None and (day is None or m.actual <= day):
                stage = Stage(m.kind.value)
        return stage

    @property
    def investment(self) -> float:
        """Total investment for sums; a missing figure counts as zero."""
        return self.total_investment or 0.0


@dataclass(frozen=True)
class ProgressReport:
    """Monthly progress of one project (月度进展): investment done that month and 形象进度."""

    code: str
    year: int
    month: int
    investment_month: float = 0.0
    """Investment completed in the month, 万元."""
    percent_done: float | None = None
    """Percent of construction done, 0-100."""
    progress_text: str = ""

    @property
    def period(self) -> str:
        """The month as ``YYYY-MM``."""
        return f"{self.year:04d}-{self.month:02d}"


class DifficultyCategory(enum.StrEnum):
    """What kind of help a difficulty needs."""

    LAND = "land"
    ENERGY = "energy"
    FUNDING = "funding"
    APPROVALS = "approvals"
    LABOUR = "labour"
    OTHER = "other"

    @property
    def label(self) -> str:
        """Chinese name: 用地, 能耗, 资金, 审批, 用工, 其他."""
        return _CATEGORY_LABELS[self]


_CATEGORY_LABELS = {
    DifficultyCategory.LAND: "用地",
    DifficultyCategory.ENERGY: "能耗",
    DifficultyCategory.FUNDING: "资金",
    DifficultyCategory.APPROVALS: "审批",
    DifficultyCategory.LABOUR: "用工",
    DifficultyCategory.OTHER: "其他",
}


class DifficultyStatus(enum.StrEnum):
    """Open, in progress or resolved."""

    OPEN = "open"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"

    @property
    def label(self) -> str:
        """Chinese name: 待办, 办理中, 已办结."""
        return {"open": "待办", "in_progress": "办理中", "resolved": "已办结"}[self.value]


@dataclass(frozen=True)
class Difficulty:
    """A problem a project needs solved (问题清单), assigned to an owner unit with a deadline."""

    id: str
    project_code: str
    description: str
    category: DifficultyCategory
    raised_on: date
    owner_unit: str
    deadline: date
    status: DifficultyStatus = DifficultyStatus.OPEN
    resolution: str | None = None
    resolved_on: date | None = None

    def resolved_by(self, day: date) -> bool:
        """Whether it was resolved on or before ``day`` (a later resolution does not count yet).

        A resolution without a date (old records) counts as resolved whenever we look.
        """
        if self.status is not DifficultyStatus.RESOLVED:
            return False
        return self.resolved_on is None or self.resolved_on <= day
