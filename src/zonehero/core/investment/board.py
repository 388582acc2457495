"""The 全员招商 board: credited leads and signings per reporter and per unit, for a year or a quarter.

Referrer rewards go to the first reporter only (§4), so the board counts credited leads, as ``leads_by_reporter``
does (the same rule: :func:`~zonehero.core.investment.credit.credited_ids` among all leads up to the as-of date),
and credits each signing to the reporter of the credited lead of the signed investor's group of duplicates: the
colleague who brought the investor in, not the one who reported it again later.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from zonehero.core.investment.credit import duplicate_groups
from zonehero.core.investment.figures import EVERY_LEAD, LeadFilter, build_projects, leads_as_of, period_of, reported_in
from zonehero.core.investment.leads import Lead


@dataclass(frozen=True)
class BoardRow:
    """One reporter's (or unit's) share of the period."""

    name: str
    """The 报送人 as written (trimmed), or the 报送单位 (「未填单位」 when empty)."""
    reported: int
    """Leads reported in the period."""
    credited: int
    """Of those, the credited ones (首报)."""
    signings: int
    """Signings dated in the period credited to them (first signings and 增资)."""
    signed_investment: float
    """万元: the counted investment of those signings (a 增资 only its increase)."""


@dataclass(frozen=True)
class StaffBoard:
    by_reporter: tuple[BoardRow, ...]
    by_unit: tuple[BoardRow, ...]


NO_UNIT = "未填单位"


def staff_board(
    leads: Sequence[Lead], year: int, as_of: date, *, quarter: int | None = None, where: LeadFilter = EVERY_LEAD
) -> StaffBoard:
    """The board of ``year`` (or its ``quarter``) as of ``as_of``; rows by credited leads, then signings, then name.

    A signing is credited to the credited lead of its investor's group (its reporter and that lead's unit);
    ``where`` selects projects by their first signing, as the figures do."""
    period = period_of(year, quarter)
    known = leads_as_of(leads, as_of)
    credit_of: dict[str, Lead] = {}
    for group in duplicate_groups(known):
        for member in group:
            credit_of[member.lead_id] = group[0]
    reporters: dict[str, list[float]] = defaultdict(lambda: [0, 0, 0, 0.0])
    units: dict[str, list[float]] = defaultdict(lambda: [0, 0, 0, 0.0])

    def add(lead: Lead, index: int, amount: float) -> None:
        for table, key in ((reporters, lead.reporter), (units, lead.unit or NO_UNIT)):
            table[key][index] += amount

    for lead in reported_in(known, period, where):
        add(lead, 0, 1)
        if credit_of[lead.lead_id] is lead:
            add(lead, 1, 1)
    for project in build_projects(known):
        if not where.matches_project(project):
            continue
        for signing in project.signings:
            if signing.signed_on in period:
                credited = credit_of[signing.lead.lead_id]
                add(credited, 2, 1)
                add(credited, 3, signing.counted_investment)
    return StaffBoard(_rows(reporters), _rows(units))


def _rows(table: dict[str, list[float]]) -> tuple[BoardRow, ...]:
    rows = [BoardRow(name, int(v[0]), int(v[1]), int(v[2]), math.fsum([v[3]])) for name, v in table.items()]
    return tuple(sorted(rows, key=lambda r: (-r.credited, -r.signings, -r.signed_investment, r.name)))
