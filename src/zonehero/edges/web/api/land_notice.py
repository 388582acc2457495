"""``/api/land/notices``: the year's land-area 公示 (用地面积公示) as JSON — its period, status, objection counts and a
page of the published 用地面积 with their derivations (the page's data). Staff read every enterprise; an enterprise
account reads only its own part of the notices it is in."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel

from zonehero.edges.web.api.schemas import ErrorBody
from zonehero.edges.web.deps import CurrentUser, SessionDep
from zonehero.edges.web.paging import PageParams, page_params
from zonehero.features.objections import service as objections
from zonehero.features.publication import service as publication

router = APIRouter(tags=["land"])

ERRORS: dict[int | str, dict[str, Any]] = {401: {"model": ErrorBody}, 403: {"model": ErrorBody}}


class LandNoticeEntry(BaseModel):
    """One enterprise's published 用地面积: its derivation record (parcels, leases, the sum), or None when it kept
    its reported figure (未登记宗地)."""

    uscc: str
    name: str
    land_area_mu: float | None
    derivation: dict[str, Any] | None


class LandNoticeOut(BaseModel):
    id: int
    year: int
    status: str
    notice_start: date
    notice_end: date
    period: str
    """The zone's rule in words: 「5 个工作日」."""
    published_at: datetime
    closed_at: datetime | None
    objections: dict[str, int]
    """status → count (open, accepted, rejected)."""
    total: int
    page: int
    size: int
    items: list[LandNoticeEntry]


@router.get("/api/land/notices", response_model=list[LandNoticeOut], responses=ERRORS)
def land_notices(
    session: SessionDep,
    actor: CurrentUser,
    paging: Annotated[PageParams, Depends(page_params)],
    year: Annotated[int, Query(ge=2000, le=2100, description="年度")],
) -> list[LandNoticeOut]:
    """The year's land notices, newest first, each with a page of its enterprises (by USCC)."""
    out = []
    for listed in publication.land_notices(session, actor, year=year):
        notice = publication.get_land_notice(session, actor, listed.id)
        derived = notice.derivation.get("enterprises") or {}
        usccs = sorted([*derived, *(notice.derivation.get("given") or [])])
        shown = usccs[paging.offset : paging.offset + paging.size]
        counts = objections.counts_of_notice(session, notice.id) if actor.is_staff else {}
        out.append(
            LandNoticeOut(
                id=notice.id,
                year=notice.year,
                status=notice.status,
                notice_start=notice.notice_start,
                notice_end=notice.notice_end,
                period=publication.land_notice_period(session, notice).phrase,
                published_at=notice.published_at,
                closed_at=notice.closed_at,
                objections=counts,
                total=len(usccs),
                page=paging.number,
                size=paging.size,
                items=[
                    LandNoticeEntry(
                        uscc=u,
                        name=notice.name_of(u),
                        land_area_mu=(derived.get(u) or {}).get("land_area_mu"),
                        derivation=derived.get(u),
                    )
                    for u in shown
                ],
            )
        )
    return out
