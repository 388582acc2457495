"""The 招商 figures of a year as of a date (``../shared/spec/investment.md`` §2–§4): the one place their rules live.

A lead list goes through three steps: :func:`leads_as_of` (what was known on the as-of date: a lead reported
later does not exist yet, a later date is absent), :func:`build_projects` (projects, signings and each signing's
counted investment) and :func:`year_figures` (the cohort of the year and every figure of §3). The store, the pages
and the briefing call these rather than counting again, so the 签约一批 list and the 招商 figures cannot disagree.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from zonehero.core.investment.credit import credited_ids
from zonehero.core.investment.leads import STAGE_LABELS, Lead, LeadStage
from zonehero.core.investment.normalise import natural_key
from zonehero.core.zone.profile import InvestmentThresholds
from zonehero.errors import InputError, InputProblem

FIGURE_KEYS: tuple[str, ...] = (
    "signed_projects",
    "signed_investment",
    "landing_rate",
    "start_rate",
    "production_rate",
    "funding_rate",
    "projects_over_1e8",
    "projects_over_1e9",
    "projects_over_5e9",
    "rule_5020_met",
    "leads_by_reporter",
    "stage_counts",
)
"""The keys of the figures, in the spec's order (the JSON's key order)."""

FIGURE_LABELS: dict[str, str] = {
    "signed_projects": "新签约项目数",
    "signed_investment": "新签约合同投资额",
    "landing_rate": "履约率（落地率）",
    "start_rate": "开工率",
    "production_rate": "投产率",
    "funding_rate": "资金到位率",
    "projects_over_1e8": "亿元以上项目",
    "projects_over_1e9": "十亿元以上项目",
    "projects_over_5e9": "五十亿元以上项目",
    "rule_5020_met": "“5020” 达标",
    "leads_by_reporter": "全员招商（按报送人）",
    "stage_counts": "各阶段线索数",
}

_DATES = ("signed_on", "landed_on", "started_on", "produced_on")


def leads_as_of(leads: Iterable[Lead], day: date) -> list[Lead]:
    """The leads as they stood on ``day``: one reported after it is left out, a date after it counts as absent
    (a signing dated later is not a signing yet, a later 开工 has not happened)."""
    seen = []
    for lead in leads:
        if lead.reported_on > day:
            continue
        late: dict[str, Any] = {
            key: None for key in _DATES if (value := getattr(lead, key)) is not None and value > day
        }
        seen.append(replace(lead, **late) if late else lead)
    return seen


def signing_order(lead: Lead) -> tuple[Any, ...]:
    """Earliest 签约日期 first; ties by the smallest 线索编号 (the spec's rule for the first signing)."""
    return (lead.signed_on, natural_key(lead.lead_id))


@dataclass(frozen=True)
class Signing:
    """A signed lead and what it adds to its project's investment."""

    lead: Lead
    counted_investment: float
    """万元: its contract investment less the largest of the project's earlier signings, never below 0 (the first
    signing counts in full, a 增资 only the increase)."""

    @property
    def signed_on(self) -> date:
        assert self.lead.signed_on is not None
        return self.lead.signed_on


@dataclass(frozen=True)
class LeadProject:
    """A project as the 招商 figures see it: a 项目编号, or a signed lead without one."""

    key: str
    """The project code, or 「线索:<lead_id>」 for a signed lead without one."""
    code: str | None
    signings: tuple[Signing, ...]
    """In signing order; never empty."""
    leads: tuple[Lead, ...]
    """Every lead of the project, signed or not."""

    @property
    def first_signing(self) -> Signing:
        return self.signings[0]

    @property
    def contract_investment(self) -> float:
        """万元: the largest contract investment among its signings."""
        return max(s.lead.contract_investment or 0.0 for s in self.signings)

    @property
    def chain(self) -> str | None:
        """The chain of its first signing (the leads of one project may name different chains)."""
        return self.first_signing.lead.chain

    @property
    def landed_on(self) -> date | None:
        return _earliest(lead.landed_on for lead in self.leads)

    @property
    def started_on(self) -> date | None:
        return _earliest(lead.started_on for lead in self.leads)

    @property
    def produced_on(self) -> date | None:
        return _earliest(lead.produced_on for lead in self.leads)

    @property
    def paid_in(self) -> float:
        """万元: the largest 累计到位资金 among its leads (an empty cell counts 0)."""
        return max(lead.paid_in or 0.0 for lead in self.leads)


def _earliest(dates: Iterable[date | None]) -> date | None:
    present = [d for d in dates if d is not None]
    return min(present) if present else None


def build_projects(leads: Sequence[Lead]) -> list[LeadProject]:
    """The projects of ``leads`` (already :func:`leads_as_of`): every project code with at least one signing, and
    every signed lead without a code; in the order of their first signing."""
    by_code: dict[str, list[Lead]] = defaultdict(list)
    own: list[Lead] = []
    for lead in leads:
        if lead.project_code:
            by_code[lead.project_code].append(lead)
        elif lead.signed_on is not None:
            own.append(lead)
    groups: list[tuple[str, str | None, list[Lead]]] = [(code, code, members) for code, members in by_code.items()]
    groups += [(f"线索:{lead.lead_id}", None, [lead]) for lead in own]
    projects = []
    for key, code, members in groups:
        signed = sorted((lead for lead in members if lead.signed_on is not None), key=signing_order)
        if not signed:
            continue
        signings = []
        largest: float | None = None
        for lead in signed:
            amount = lead.contract_investment or 0.0
            counted = amount if largest is None else max(amount - largest, 0.0)
            largest = amount if largest is None else max(largest, amount)
            signings.append(Signing(lead, counted))
        projects.append(LeadProject(key, code, tuple(signings), tuple(members)))
    return sorted(projects, key=lambda p: signing_order(p.first_signing.lead))


@dataclass(frozen=True)
class InvestmentFigures:
    """The figures of §3 for one year as of one date (money in 万元, rates as fractions or None)."""

    year: int
    as_of: date
    signed_projects: int
    signed_investment: float
    landing_rate: float | None
    start_rate: float | None
    production_rate: float | None
    funding_rate: float | None
    projects_over_1e8: int
    projects_over_1e9: int
    projects_over_5e9: int
    rule_5020_met: bool
    leads_by_reporter: dict[str, int]
    stage_counts: dict[str, int]
    cohort: tuple[LeadProject, ...] = ()
    """The projects whose first signing falls in the year (for pages and summaries; not in the JSON)."""
    funded: float = 0.0
    """万元: Σ 到位资金 of the cohort, the 资金到位率's numerator (for pages; not in the JSON)."""
    contracted: float = 0.0
    """万元: Σ contract investment of the cohort, the 资金到位率's denominator (not in the JSON)."""
    quarter: int | None = None

    @property
    def landed_projects(self) -> int:
        """履约率's numerator: cohort projects landed by the as-of date."""
        return sum(p.landed_on is not None for p in self.cohort)

    @property
    def started_projects(self) -> int:
        return sum(p.started_on is not None for p in self.cohort)

    @property
    def produced_projects(self) -> int:
        return sum(p.produced_on is not None for p in self.cohort)

    def to_dict(self) -> dict[str, Any]:
        """Exactly the keys of §3, in its order."""
        return {key: getattr(self, key) for key in FIGURE_KEYS}


def _rate(part: float, whole: float) -> float | None:
    return part / whole if whole else None


@dataclass(frozen=True)
class Period:
    """The days a selection counts: a year, or one quarter of it (both ends included)."""

    year: int
    quarter: int | None = None

    @property
    def start(self) -> date:
        return date(self.year, 1 if self.quarter is None else 3 * self.quarter - 2, 1)

    @property
    def end(self) -> date:
        if self.quarter is None or self.quarter == 4:
            return date(self.year, 12, 31)
        return date(self.year, 3 * self.quarter + 1, 1) - timedelta(days=1)

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end

    @property
    def label(self) -> str:
        return f"{self.year} 年" if self.quarter is None else f"{self.year} 年第 {self.quarter} 季度"


def period_of(year: int, quarter: int | None = None) -> Period:
    """The period of a year or one of its quarters (1–4); any other quarter is refused."""
    if quarter is not None and quarter not in (1, 2, 3, 4):
        raise InputError(InputProblem(f"季度应为 1–4，而不是 {quarter}", column="quarter"))
    return Period(year, quarter)


@dataclass(frozen=True)
class LeadFilter:
    """A chain and/or a unit to count alone (None: any). A lead matches on its own 产业链 and 报送单位 (an empty
    unit is ``""``); a project on its first signing's lead, as its chain is (:attr:`LeadProject.chain`)."""

    chain: str | None = None
    unit: str | None = None

    def matches(self, lead: Lead) -> bool:
        return (self.chain is None or lead.chain == self.chain) and (
            self.unit is None or (lead.unit or "") == self.unit
        )

    def matches_project(self, project: LeadProject) -> bool:
        return self.matches(project.first_signing.lead)


EVERY_LEAD = LeadFilter()


def reported_in(leads: Sequence[Lead], period: Period, where: LeadFilter = EVERY_LEAD) -> list[Lead]:
    """The leads (already :func:`leads_as_of`) reported in ``period`` that ``where`` selects: whom the 全员招商
    board counts and whose stages the funnel follows."""
    return [lead for lead in leads if lead.reported_on in period and where.matches(lead)]


def _check_as_of(period: Period, as_of: date) -> None:
    if as_of < period.start:
        whole = "年度" if period.quarter is None else "季度"
        raise InputError(
            InputProblem(
                f"截至日期 {as_of.isoformat()} 早于 {period.label}，无法统计该{whole}",
                column="as_of",
            )
        )


def year_figures(
    leads: Sequence[Lead],
    year: int,
    as_of: date,
    thresholds: InvestmentThresholds | None = None,
    *,
    quarter: int | None = None,
    where: LeadFilter = EVERY_LEAD,
) -> InvestmentFigures:
    """The figures of ``year`` as of ``as_of`` (within the year or after it) from every lead of the file.

    ``quarter`` narrows every figure dated by the period to that quarter: the cohort is the projects whose first
    signing falls in it, ``signed_investment`` the signings dated in it, the board the leads reported in it; the
    rates are still as of ``as_of``. ``where`` counts one chain or unit (projects by their first signing); the
    duplicates behind the credit are still found among all leads, so a lead of another chain can take a credit.
    """
    period = period_of(year, quarter)
    _check_as_of(period, as_of)
    tiers = thresholds or InvestmentThresholds()
    known = leads_as_of(leads, as_of)
    projects = build_projects(known)
    cohort = tuple(p for p in projects if p.first_signing.signed_on in period and where.matches_project(p))
    n = len(cohort)
    signed_investment = math.fsum(
        s.counted_investment for p in projects if where.matches_project(p) for s in p.signings if s.signed_on in period
    )
    contract = math.fsum(p.contract_investment for p in cohort)
    paid = math.fsum(p.paid_in for p in cohort)
    over_5e9 = sum(p.contract_investment >= tiers.over_5e9 for p in cohort)
    credited = credited_ids(known)
    of_year = reported_in(known, period, where)
    by_reporter = Counter({lead.reporter: 0 for lead in of_year})
    by_reporter.update(lead.reporter for lead in of_year if lead.lead_id in credited)
    stages = Counter(lead.stage for lead in known if where.matches(lead))
    return InvestmentFigures(
        year=year,
        as_of=as_of,
        signed_projects=n,
        signed_investment=signed_investment,
        landing_rate=_rate(sum(p.landed_on is not None for p in cohort), n),
        start_rate=_rate(sum(p.started_on is not None for p in cohort), n),
        production_rate=_rate(sum(p.produced_on is not None for p in cohort), n),
        funding_rate=_rate(paid, contract),
        projects_over_1e8=sum(p.contract_investment >= tiers.over_1e8 for p in cohort),
        projects_over_1e9=sum(p.contract_investment >= tiers.over_1e9 for p in cohort),
        projects_over_5e9=over_5e9,
        rule_5020_met=over_5e9 >= tiers.rule_5020_min_projects,
        leads_by_reporter=dict(sorted(by_reporter.items(), key=lambda item: (-item[1], item[0]))),
        stage_counts={STAGE_LABELS[stage]: stages[stage] for stage in LeadStage},
        cohort=cohort,
        funded=paid,
        contracted=contract,
        quarter=quarter,
    )
