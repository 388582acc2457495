"""An enterprise's history: figures per year with their sources, and its class over the runs.

Lives beside the enterprises service but reads results through the runs
service (runs depend on enterprises, not the other way round).
"""

from __future__ import annotations

from pydantic import BaseModel
from sqlalchemy.orm import Session

from zonehero.core.domain.fields import FIELDS
from zonehero.features.enterprises import service as enterprises
from zonehero.features.enterprises.schemas import EnterpriseRead, FigureRead
from zonehero.features.roles import Actor
from zonehero.features.runs import service as runs
from zonehero.features.runs.schemas import EnterpriseResult


class YearFigures(BaseModel):
    year: int
    figures: list[FigureRead]
    """In registry order; each with its source (land area's source is what enterprises dispute most)."""


class EnterpriseHistory(BaseModel):
    enterprise: EnterpriseRead
    years: list[YearFigures]
    """Newest year first."""
    results: list[EnterpriseResult]
    """Newest first; an enterprise account sees published runs only."""


def enterprise_history(session: Session, actor: Actor, uscc: str) -> EnterpriseHistory:
    """Everything stored about one enterprise that ``actor`` may see (NotFound for another enterprise)."""
    enterprise = enterprises.get_enterprise(session, actor, uscc)
    order = {f.key: i for i, f in enumerate(FIELDS)}
    by_year: dict[int, list[FigureRead]] = {}
    for fig in enterprises.enterprise_figures(session, actor, uscc):
        by_year.setdefault(fig.year, []).append(fig)
    years = [
        YearFigures(year=y, figures=sorted(figs, key=lambda f: order.get(f.field, len(order))))
        for y, figs in sorted(by_year.items(), reverse=True)
    ]
    return EnterpriseHistory(enterprise=enterprise, years=years, results=runs.enterprise_results(session, actor, uscc))
