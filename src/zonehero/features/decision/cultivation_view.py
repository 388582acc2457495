"""What the 梯度培育 page shows of a year (pools, the first candidates of each tier, movers), kept once made.

Cultivating a province's year means pivoting two years of figures and ranking every enterprise: seconds. What
the page shows depends only on those two years' figures, so it is kept under their data versions (raised by
every import and correction) and read back in milliseconds until either year's figures change.
"""

from __future__ import annotations

from typing import Any

import polars as pl
from sqlalchemy.orm import Session

from zonehero.core.cultivation import STATUS_LABELS, CultivationResult
from zonehero.core.cultivation.result import DIMENSION_LABELS, DIRECTION_LABELS
from zonehero.features.decision import repository
from zonehero.features.decision.cultivation import year_cultivation
from zonehero.features.enterprises import service as enterprises
from zonehero.features.roles import Actor, require_staff
from zonehero.features.runs.service import json_safe

VIEW_SHAPE = "v2"
"""Part of every key: a change to what a view holds gets a new shape, so views of the old one are not read."""

SHOWN_CANDIDATES = 100
"""Candidates listed per tier on the page (the export holds all of them)."""
SHOWN_MOVERS = 200
"""Movers listed on the page (the export holds all of them): a province has thousands."""


def _candidate_rows(result: CultivationResult, dimension: str, tier: str) -> list[dict[str, Any]]:
    frame = result.candidates(dimension, tier).head(SHOWN_CANDIDATES)  # type: ignore[arg-type]
    return [
        {
            "uscc": r["uscc"],
            "name": r["name"],
            "revenue": r["revenue"],
            "revenue_growth": r["revenue_growth"],
            "rd_intensity": r["rd_intensity"],
            "tier_label": r[f"{dimension}_tier_label"],
            "status": r[f"{dimension}_status"],
            "status_label": STATUS_LABELS.get(r[f"{dimension}_status"], r[f"{dimension}_status"]),
            "reasons": r[f"{dimension}_reasons"],
        }
        for r in frame.iter_rows(named=True)
    ]


def view_of(result: CultivationResult) -> dict[str, Any]:
    """Pools per dimension, candidate lists of every tier that has candidates, movers."""
    dimensions = []
    for dimension in ("scale", "quality"):
        pools = result.pools.filter(pl.col("dimension") == dimension).sort("rank").to_dicts()
        lists = [
            {
                "tier": p["tier"],
                "label": p["label"],
                "count": p["candidates"],
                "rows": _candidate_rows(result, dimension, p["tier"]),
            }
            for p in pools
            if p["candidates"]
        ]
        dimensions.append({"key": dimension, "label": DIMENSION_LABELS[dimension], "pools": pools, "candidates": lists})
    movers = (
        [
            {
                **m,
                "dimension_label": DIMENSION_LABELS[m["dimension"]],
                "direction_label": DIRECTION_LABELS[m["direction"]],
            }
            for m in result.movers.head(SHOWN_MOVERS).to_dicts()
        ]
        if result.movers is not None
        else None
    )
    movers_total = result.movers.height if result.movers is not None else 0
    return {
        "dimensions": dimensions,
        "movers": movers,
        "movers_total": movers_total,
        "total": result.enterprises.height,
    }


def year_view(session: Session, actor: Actor, year: int) -> dict[str, Any]:
    """The page's figures of ``year`` (staff only), from the kept view of the two years' data versions."""
    require_staff(actor)
    versions = (enterprises.data_version(session, year), enterprises.data_version(session, year - 1))
    key = f"{VIEW_SHAPE}:{SHOWN_CANDIDATES}:{versions[0]}:{versions[1]}"
    kept = repository.kept_view(session, year, key) if versions[0] else None
    if isinstance(kept, dict):
        return kept
    view: dict[str, Any] = json_safe(view_of(year_cultivation(session, actor, year)))
    if versions[0]:
        repository.keep_view(session, year, key, view)
    return view
