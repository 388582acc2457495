"""What the 招商 figures page and the monthly 招商 briefing (招商月报) show, computed once from the core's rules.

:func:`figures_report` gathers a selection's figures (:func:`~.figures.year_figures`), the same per chain and
per unit, the 全员招商 board and the funnel; :func:`monthly_briefing` adds a month's new leads, moves and
signings and the leads late on their clocks. Nothing here counts anew: every number is one of those functions'.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from zonehero.core.investment.board import NO_UNIT, StaffBoard, staff_board
from zonehero.core.investment.figures import (
    EVERY_LEAD,
    InvestmentFigures,
    LeadFilter,
    Period,
    build_projects,
    leads_as_of,
    period_of,
    reported_in,
    year_figures,
)
from zonehero.core.investment.funnel import FunnelStage, LeadHistory, funnel
from zonehero.core.investment.leads import Lead, LeadStage
from zonehero.core.investment.normalise import natural_key
from zonehero.core.zone.profile import InvestmentThresholds
from zonehero.errors import InputError, InputProblem


@dataclass(frozen=True)
class FiguresReport:
    """A selection (a year or a quarter, perhaps one chain or unit) as of a date."""

    period: Period
    as_of: date
    where: LeadFilter
    thresholds: InvestmentThresholds
    figures: InvestmentFigures
    by_chain: tuple[tuple[str, InvestmentFigures], ...]
    """Per chain of the zone, within the selected unit."""
    by_unit: tuple[tuple[str, InvestmentFigures], ...]
    """Per 报送单位 of the leads (「未填单位」 for none), within the selected chain."""
    board: StaffBoard
    funnel: tuple[FunnelStage, ...]
    """The leads reported in the period that ``where`` selects."""


def units_of(leads: Sequence[Lead]) -> list[str]:
    """The units the leads name, sorted; ``""`` (no unit) last when some lead has none."""
    named = sorted({lead.unit for lead in leads if lead.unit})
    return [*named, ""] if any(not lead.unit for lead in leads) else named


def unit_label(unit: str) -> str:
    return unit or NO_UNIT


def figures_report(
    leads: Sequence[Lead],
    histories: Sequence[LeadHistory],
    year: int,
    as_of: date,
    *,
    quarter: int | None = None,
    where: LeadFilter = EVERY_LEAD,
    chains: Sequence[str] = (),
    thresholds: InvestmentThresholds | None = None,
) -> FiguresReport:
    """Everything the figures page shows for the selection; ``chains`` are the zone's (the rows of the chain
    table)."""
    tiers = thresholds or InvestmentThresholds()
    period = period_of(year, quarter)
    figures = year_figures(leads, year, as_of, tiers, quarter=quarter, where=where)
    by_chain = tuple(
        (chain, year_figures(leads, year, as_of, tiers, quarter=quarter, where=LeadFilter(chain, where.unit)))
        for chain in chains
    )
    known = leads_as_of(leads, as_of)
    by_unit = tuple(
        (
            unit_label(unit),
            year_figures(leads, year, as_of, tiers, quarter=quarter, where=LeadFilter(where.chain, unit)),
        )
        for unit in units_of(known)
    )
    chosen = {lead.lead_id for lead in reported_in(known, period, where)}
    return FiguresReport(
        period=period,
        as_of=as_of,
        where=where,
        thresholds=tiers,
        figures=figures,
        by_chain=by_chain,
        by_unit=by_unit,
        board=staff_board(leads, year, as_of, quarter=quarter, where=where),
        funnel=funnel([h for h in histories if h.lead_id in chosen], as_of),
    )


@dataclass(frozen=True)
class MonthMove:
    lead: Lead
    to_stage: LeadStage
    on: date


@dataclass(frozen=True)
class MonthSigning:
    lead: Lead
    project: str
    """The project code, or 「线索:<id>」 for a signing without one."""
    counted_investment: float

    @property
    def signed_on(self) -> date:
        assert self.lead.signed_on is not None
        return self.lead.signed_on


@dataclass(frozen=True)
class LateLead:
    """A lead late on a clock at the month's end (the store computes the clocks)."""

    lead_id: str
    investor: str
    stage: str
    clock: str
    due: date
    days_overdue: int
    escalated_to: str | None


@dataclass(frozen=True)
class InvestmentBriefing:
    """The 招商月报 of a month: its events, then the year to date."""

    year: int
    month: int
    as_of: date
    """The month's last day, or an earlier day for the month in progress."""
    new_leads: tuple[Lead, ...]
    moves: tuple[MonthMove, ...]
    signings: tuple[MonthSigning, ...]
    late: tuple[LateLead, ...]
    year_to_date: FiguresReport


def month_end(year: int, month: int) -> date:
    if not 1 <= month <= 12:
        raise InputError(InputProblem(f"月份应为 1–12，而不是 {month}", column="month"))
    return date(year, month, calendar.monthrange(year, month)[1])


def monthly_briefing(
    leads: Sequence[Lead],
    histories: Sequence[LeadHistory],
    year: int,
    month: int,
    as_of: date,
    *,
    late: Sequence[LateLead] = (),
    chains: Sequence[str] = (),
    thresholds: InvestmentThresholds | None = None,
) -> InvestmentBriefing:
    """The briefing of ``month`` as of ``as_of`` (within the month: its end, or today for the month in progress)."""
    start = date(year, month, 1)
    if not start <= as_of <= month_end(year, month):
        raise InputError(InputProblem(f"截至日期 {as_of.isoformat()} 不在 {year} 年 {month} 月内", column="as_of"))
    known = leads_as_of(leads, as_of)
    by_id = {lead.lead_id: lead for lead in known}
    moves = sorted(
        (
            MonthMove(by_id[h.lead_id], m.to_stage, m.on)
            for h in histories
            if h.lead_id in by_id
            for m in h.moves
            if start <= m.on <= as_of
        ),
        key=lambda m: (m.on, natural_key(m.lead.lead_id)),
    )
    signings = [
        MonthSigning(s.lead, project.code or project.key, s.counted_investment)
        for project in build_projects(known)
        for s in project.signings
        if start <= s.signed_on <= as_of
    ]
    return InvestmentBriefing(
        year=year,
        month=month,
        as_of=as_of,
        new_leads=tuple(
            sorted((x for x in known if x.reported_on >= start), key=lambda x: (x.reported_on, natural_key(x.lead_id)))
        ),
        moves=tuple(moves),
        signings=tuple(sorted(signings, key=lambda s: (s.signed_on, natural_key(s.lead.lead_id)))),
        late=tuple(late),
        year_to_date=figures_report(leads, histories, year, as_of, chains=chains, thresholds=thresholds),
    )
