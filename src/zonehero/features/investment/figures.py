"""The 招商 figures page and the monthly 招商 briefing from the store: load every lead, hand it to the core.

Leaders and the 招商局 read the zone's figures (:data:`access.READ_ALL`); a reporter who sees only its own leads
has no figures of the zone to read, and is refused. The numbers are :mod:`zonehero.core.investment.report`'s.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from zonehero.core.domain.names import header_key
from zonehero.core.investment.board import NO_UNIT
from zonehero.core.investment.figures import LeadFilter
from zonehero.core.investment.report import (
    FiguresReport,
    InvestmentBriefing,
    LateLead,
    figures_report,
    month_end,
    monthly_briefing,
)
from zonehero.core.zone.profile import unknown_chain_message
from zonehero.errors import InputError, InputProblem, NotFound
from zonehero.features.investment import access, service
from zonehero.features.roles import Actor
from zonehero.features.zone import service as zone


def _chain(chains: list[str], chain: str | None) -> str | None:
    if not chain or not chain.strip():
        return None
    by_key = {header_key(c): c for c in chains}
    if header_key(chain) not in by_key:
        raise InputError(InputProblem(unknown_chain_message(chain, chains), column="chain"))
    return by_key[header_key(chain)]


def figures(
    session: Session,
    actor: Actor,
    *,
    year: int,
    as_of: date,
    quarter: int | None = None,
    chain: str | None = None,
    unit: str | None = None,
) -> FiguresReport:
    """The figures of a year or quarter as of ``as_of``, perhaps of one chain (of the zone) or one unit."""
    access.require_read_all(actor)
    profile = zone.get_profile(session)
    chains = list(profile.industry_chains)
    picked = unit.strip() if unit is not None else None
    where = LeadFilter(chain=_chain(chains, chain), unit="" if picked == NO_UNIT else picked)
    leads, histories = service.figure_inputs(session, actor, as_of)
    return figures_report(
        leads,
        histories,
        year,
        as_of,
        quarter=quarter,
        where=where,
        chains=chains,
        thresholds=profile.investment,
    )


def briefing(session: Session, actor: Actor, year: int, month: int, today: date) -> InvestmentBriefing:
    """The 招商月报 of ``month``: as of its last day, or ``today`` for the month in progress; a month that has not
    begun does not exist yet."""
    access.require_read_all(actor)
    end = month_end(year, month)
    if date(year, month, 1) > today:
        raise NotFound(f"{year}年{month}月尚未开始，没有招商月报")
    as_of = min(end, today)
    profile = zone.get_profile(session)
    leads, histories = service.figure_inputs(session, actor, as_of)
    late = [
        LateLead(
            lead_id=str(item.id),
            investor=item.investor,
            stage=item.stage_label,
            clock=item.overdue.label,
            due=item.overdue.due,
            days_overdue=item.overdue.days_overdue,
            escalated_to=item.overdue.escalated_to,
        )
        for item in service.late_leads(session, actor, as_of)
        if item.overdue is not None
    ]
    return monthly_briefing(
        leads,
        histories,
        year,
        month,
        as_of,
        late=late,
        chains=list(profile.industry_chains),
        thresholds=profile.investment,
    )
