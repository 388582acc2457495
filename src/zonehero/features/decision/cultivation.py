"""梯度培育 of a year from the stored figures: tiers, candidate pools, movers since the year before."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from zonehero.core.cultivation import CultivationResult, TierDefinitions, cultivate
from zonehero.errors import NotFound
from zonehero.features.enterprises import service as enterprises
from zonehero.features.roles import Actor, require_staff
from zonehero.features.runs.service import json_safe


def cultivation_years(session: Session, actor: Actor) -> list[int]:
    """Years with stored figures, newest first (staff)."""
    return sorted(enterprises.figure_years(session, actor), reverse=True)


def year_cultivation(
    session: Session, actor: Actor, year: int, *, definitions: TierDefinitions | None = None
) -> CultivationResult:
    """Tiers, pools and movers of ``year`` (movers when the year before has figures too); staff only."""
    require_staff(actor)
    frame = enterprises.year_frame(session, year)
    if frame.height == 0:
        raise NotFound(f"{year} 年度还没有导入企业数据")
    previous = enterprises.year_frame(session, year - 1)
    return cultivate(frame, year=year, definitions=definitions, previous=previous if previous.height else None)


def cultivation_json(result: CultivationResult) -> dict[str, Any]:
    """The result as JSON-ready data (non-finite numbers as None)."""
    safe: dict[str, Any] = json_safe(result.to_dict())
    return safe
