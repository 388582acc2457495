"""梯度培育 (cultivation tiers): pools per tier, candidate lists with their reasons, movers, Excel export.

Staff read it (leaders too); an enterprise account is answered 404.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

import polars as pl
from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from zonehero.core.cultivation import STATUS_LABELS, CultivationResult
from zonehero.core.cultivation.result import DIMENSION_LABELS, DIRECTION_LABELS
from zonehero.edges.web.deps import SessionDep, StaffUser
from zonehero.edges.web.exports import XLSX_MEDIA_TYPE
from zonehero.edges.web.rendering import render
from zonehero.features.audit import service as audit
from zonehero.features.decision import cultivation
from zonehero.reports.cultivation_export import write_cultivation

router = APIRouter(prefix="/cultivation", include_in_schema=False)

Year = Annotated[int | None, Query(ge=2000, le=2100)]
SHOWN_CANDIDATES = 100
"""Candidates listed per tier on the page (the export holds all of them)."""


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


def page_context(result: CultivationResult) -> dict[str, Any]:
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
            for m in result.movers.to_dicts()
        ]
        if result.movers is not None
        else None
    )
    return {"dimensions": dimensions, "movers": movers, "total": result.enterprises.height}


@router.get("", name="cultivation_page")
def cultivation_page(request: Request, session: SessionDep, actor: StaffUser, year: Year = None) -> Response:
    """The year's pools, candidates and movers (the newest year with figures when none is named)."""
    years = cultivation.cultivation_years(session, actor)
    chosen = year if year is not None else (years[0] if years else None)
    context: dict[str, Any] = {"years": years, "year": chosen, "shown": SHOWN_CANDIDATES}
    if chosen is not None:
        context.update(page_context(cultivation.year_cultivation(session, actor, chosen)))
    return render(request, "cultivation/index.html", context)


@router.get("/export.xlsx", name="cultivation_export")
def cultivation_export(
    session: SessionDep, actor: StaffUser, year: Annotated[int, Query(ge=2000, le=2100)]
) -> Response:
    """The year's cultivation workbook: pool sizes, every enterprise's tiers, one sheet per candidate pool, movers."""
    result = cultivation.year_cultivation(session, actor, year)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "cultivation.xlsx"
        write_cultivation(result, path)
        body = path.read_bytes()
    audit.record_read(
        session,
        actor,
        "export.download",
        "cultivation",
        year,
        export="cultivation",
        format="xlsx",
        year=year,
        enterprises=result.enterprises.height,
    )
    name = quote(f"{year}年度梯度培育.xlsx")
    return Response(
        body, media_type=XLSX_MEDIA_TYPE, headers={"Content-Disposition": f"attachment; filename*=UTF-8''{name}"}
    )
