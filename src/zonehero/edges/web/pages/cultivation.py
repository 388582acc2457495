"""梯度培育 (cultivation tiers): pools per tier, candidate lists with their reasons, movers, Excel export.

Staff read it (leaders too); an enterprise account is answered 404.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from zonehero.edges.web.deps import SessionDep, StaffUser
from zonehero.edges.web.exports import XLSX_MEDIA_TYPE
from zonehero.edges.web.rendering import render
from zonehero.features.audit import service as audit
from zonehero.features.decision import cultivation, cultivation_view
from zonehero.reports.cultivation_export import write_cultivation

router = APIRouter(prefix="/cultivation", include_in_schema=False)

Year = Annotated[int | None, Query(ge=2000, le=2100)]
SHOWN_CANDIDATES = cultivation_view.SHOWN_CANDIDATES


@router.get("", name="cultivation_page")
def cultivation_page(request: Request, session: SessionDep, actor: StaffUser, year: Year = None) -> Response:
    """The year's pools, candidates and movers (the newest year with figures when none is named)."""
    years = cultivation.cultivation_years(session, actor)
    chosen = year if year is not None else (years[0] if years else None)
    context: dict[str, Any] = {"years": years, "year": chosen, "shown": SHOWN_CANDIDATES}
    if chosen is not None:
        context.update(cultivation_view.year_view(session, actor, chosen))
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
