"""招商 (investment attraction): leads, first-reporter protection and the figures leaders ask for, pure.

:mod:`.leads` reads a lead list, :mod:`.normalise` holds the keys duplicates are matched by, :mod:`.credit` the
first-reporter rule and :mod:`.figures` the figures of ``../shared/spec/investment.md``; ``docs/investment.md``
writes down what the spec leaves open.
"""

from zonehero.core.investment.credit import credited_ids, duplicate_groups
from zonehero.core.investment.figures import InvestmentFigures, LeadProject, Signing, build_projects, year_figures
from zonehero.core.investment.leads import LEADS_REGISTRY, Lead, LeadStage, parse_leads, read_leads

__all__ = [
    "LEADS_REGISTRY",
    "InvestmentFigures",
    "Lead",
    "LeadProject",
    "LeadStage",
    "Signing",
    "build_projects",
    "credited_ids",
    "duplicate_groups",
    "parse_leads",
    "read_leads",
    "year_figures",
]
