"""The monthly scheduling report (调度报告) of one month, as a plain, serialisable model.

Built as of the month's last day: the four lists, stage moves in the month,
red and yellow projects with reasons, difficulties by owner unit, and
year-to-date investment against the pro-rated plan by industry chain. The
database layer stores :meth:`MonthlyReport.to_dict` as the snapshot when the
month is closed, so later data does not change a closed report.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from zonehero.core.schedule.difficulties import ClosureStats, Escalation, closure_by_unit, escalate
from zonehero.core.schedule.lists import YearLists, year_lists
from zonehero.core.schedule.model import Difficulty, MilestoneKind, ProgressReport, Project
from zonehero.core.schedule.warnings import (
    Light,
    ProjectLight,
    WarningConfig,
    assess_projects,
    month_end,
    prorated_plan,
    year_to_date_investment,
)

UNASSIGNED_CHAIN = "未分类"


@dataclass(frozen=True)
class StageMove:
    """A milestone reached in the month."""

    code: str
    name: str
    milestone: MilestoneKind
    on: date


@dataclass(frozen=True)
class ChainInvestment:
    """Year-to-date investment of one industry chain against its pro-rated plan (万元)."""

    chain: str
    projects: int
    year_plan: float
    prorated_plan: float
    year_to_date: float

    @property
    def ratio(self) -> float | None:
        """Year-to-date over the pro-rated plan; None without a plan."""
        return self.year_to_date / self.prorated_plan if self.prorated_plan > 0 else None


@dataclass(frozen=True)
class MonthlyReport:
    """Everything the month's scheduling meeting looks at."""

    year: int
    month: int
    as_of: date
    lists: YearLists
    stage_moves: tuple[StageMove, ...]
    flagged: tuple[ProjectLight, ...]
    """Red then yellow projects, each with its warnings."""
    difficulties_by_unit: dict[str, ClosureStats]
    overdue: tuple[Escalation, ...]
    investment_by_chain: tuple[ChainInvestment, ...]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable snapshot of the report."""
        return {
            "year": self.year,
            "month": self.month,
            "as_of": self.as_of.isoformat(),
            "lists": self.lists.to_dict(),
            "stage_moves": [
                {"code": m.code, "name": m.name, "milestone": m.milestone.value, "on": m.on.isoformat()}
                for m in self.stage_moves
            ],
            "flagged": [{"code": f.code, "light": f.light.value, "reasons": f.reasons} for f in self.flagged],
            "difficulties_by_unit": {
                unit: {
                    "raised": s.raised,
                    "in_play": s.in_play,
                    "resolved": s.resolved,
                    "overdue": s.overdue,
                    "rate": s.rate,
                }
                for unit, s in self.difficulties_by_unit.items()
            },
            "overdue": [
                {
                    "id": e.difficulty.id,
                    "project_code": e.difficulty.project_code,
                    "owner_unit": e.difficulty.owner_unit,
                    "days_overdue": e.days_overdue,
                    "level": e.level.name.lower() if e.level is not None else None,
                    "escalated_to": e.escalated_to,
                }
                for e in self.overdue
            ],
            "investment_by_chain": [
                {
                    "chain": c.chain,
                    "projects": c.projects,
                    "year_plan": c.year_plan,
                    "prorated_plan": c.prorated_plan,
                    "year_to_date": c.year_to_date,
                    "ratio": c.ratio,
                }
                for c in self.investment_by_chain
            ],
        }


def _investment_by_chain(
    projects: Sequence[Project], progress: Sequence[ProgressReport], year: int, month: int
) -> tuple[ChainInvestment, ...]:
    groups: dict[str, list[Project]] = defaultdict(list)
    for p in projects:
        if p.year_plan_investment or any(r.code == p.code and r.year == year for r in progress):
            groups[p.industry_chain or UNASSIGNED_CHAIN].append(p)
    out = []
    for chain in sorted(groups):
        members = groups[chain]
        plan = math.fsum(p.year_plan_investment or 0.0 for p in members)
        ytd = math.fsum(year_to_date_investment(p.code, progress, year, month) for p in members)
        out.append(ChainInvestment(chain, len(members), plan, prorated_plan(plan, month), ytd))
    return tuple(out)


def build_monthly_report(
    projects: Sequence[Project],
    progress: Sequence[ProgressReport],
    difficulties: Sequence[Difficulty],
    year: int,
    month: int,
    config: WarningConfig = WarningConfig(),
) -> MonthlyReport:
    """The report of ``month`` of ``year``, computed as of the month's last day."""
    as_of = month_end(year, month)
    start = date(year, month, 1)
    moves = [
        StageMove(p.code, p.name, m.kind, m.actual)
        for p in projects
        for m in p.milestones()
        if m.actual is not None and start <= m.actual <= as_of
    ]
    moves.sort(key=lambda m: (m.on, m.code, m.milestone.order))
    lights = assess_projects(projects, as_of, progress, config, closed_month=(year, month))
    flagged = sorted(
        (pl for pl in lights.values() if pl.light is not Light.GREEN), key=lambda pl: (-pl.light.severity, pl.code)
    )
    by_code = {p.code: p for p in projects}
    escalations = [escalate(d, as_of, by_code.get(d.project_code)) for d in difficulties]
    overdue = sorted(
        (e for e in escalations if e.overdue), key=lambda e: (-e.days_overdue, e.difficulty.owner_unit, e.difficulty.id)
    )
    return MonthlyReport(
        year=year,
        month=month,
        as_of=as_of,
        lists=year_lists(projects, year, as_of),
        stage_moves=tuple(moves),
        flagged=tuple(flagged),
        difficulties_by_unit=closure_by_unit(difficulties, start, as_of),
        overdue=tuple(overdue),
        investment_by_chain=_investment_by_chain(projects, progress, year, month),
    )
