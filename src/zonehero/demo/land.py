"""The demo zone's parcels and leases (宗地与租赁) with polygons laid out like a real zone.

Blocks of parcels along a grid of roads near 115.90°E 28.70°N (a made-up 经开区, nothing from any real register).
Each enterprise holds one parcel as large as the land it reports, so the derivation gives the figures the
department files give; a few large holders let part of their parcel to a neighbour that reports exactly that
area (shared parcels, two users), one parcel is under construction (在建), a few are idle (闲置), and a few small
firms have no parcel at all (their reported 用地面积 stays, and the page says so). Seeded before the last demo year
is evaluated, so the published years keep the land they were made with and the draft year derives its own.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from zonehero.core.domain.units import SQUARE_METRES_PER_MU
from zonehero.core.land import Lease, Parcel, ParcelStatus
from zonehero.features.enterprises import service as enterprises
from zonehero.features.land import service as land
from zonehero.features.land.schemas import LandImportSummary
from zonehero.features.roles import Actor

ORIGIN = (115.90, 28.70)
"""The zone's south-west corner (longitude, latitude)."""
METRES_PER_DEGREE_LAT = 110_574.0
BLOCK_DEPTH_M = 180.0
"""Parcels face the road; each row of blocks is this deep (a large parcel spans several rows' depth)."""
ROW_SHAPE = 1.3
"""A row of blocks is this many times the side of a square holding the zone's land: the zone comes out about as
wide as it is deep (roads included)."""
ROAD_M = 30.0
GAP_M = 8.0
SHARED_PAIRS = 4
IDLE = 4
UNREGISTERED = 3
USES = ("工业用地", "工业用地", "工业用地", "仓储用地")


@dataclass(frozen=True)
class DemoLand:
    parcels: list[Parcel]
    leases: list[Lease]
    polygons: dict[str, dict[str, Any]]


def _rectangle(x: float, y: float, width: float, depth: float) -> dict[str, Any]:
    lon0, lat0 = ORIGIN
    per_lon = METRES_PER_DEGREE_LAT * math.cos(math.radians(lat0))

    def point(mx: float, my: float) -> list[float]:
        return [round(lon0 + mx / per_lon, 7), round(lat0 + my / METRES_PER_DEGREE_LAT, 7)]

    ring = [point(x, y), point(x + width, y), point(x + width, y + depth), point(x, y + depth), point(x, y)]
    return {"type": "Polygon", "coordinates": [ring]}


def demo_land(rows: list[tuple[str, str | None, float]], *, seed: int = 1) -> DemoLand:
    """Parcels, leases and polygons for enterprises given as (uscc, name, land in 亩), deterministic in ``seed``."""
    rng = random.Random(seed * 7919 + 14)
    ordered = sorted((r for r in rows if r[2] and r[2] > 0), key=lambda r: r[0])
    unregistered = {u for u, _n, _a in rng.sample(ordered, min(UNREGISTERED, len(ordered) // 10))}
    registered = [r for r in ordered if r[0] not in unregistered]
    by_size = sorted(registered, key=lambda r: -r[2])
    holders = [r[0] for r in by_size[: SHARED_PAIRS * 3 : 3]]
    small = [r[0] for r in reversed(by_size) if r[0] not in holders]
    tenant_of = dict(zip(holders, small[:SHARED_PAIRS], strict=False))
    tenants = set(tenant_of.values())
    area = {u: a * SQUARE_METRES_PER_MU for u, _n, a in registered}
    names = {u: n for u, n, _a in registered}
    candidates = [u for u in area if u not in tenants and u not in holders]
    idle = set(rng.sample(candidates, min(IDLE, len(candidates))))
    building = next((u for u in candidates if u not in idle), None)
    parcels: list[Parcel] = []
    leases: list[Lease] = []
    polygons: dict[str, dict[str, Any]] = {}
    row_length = max(math.sqrt(sum(area.values())) * ROW_SHAPE, 4 * BLOCK_DEPTH_M)
    x = y = row_depth = 0.0
    for index, (uscc, _name, _area) in enumerate(r for r in registered if r[0] not in tenants):
        number = f"赣DEMO-{index + 1:04d}"
        total = area[uscc] + (area[tenant_of[uscc]] if uscc in tenant_of else 0.0)
        depth = BLOCK_DEPTH_M if total <= BLOCK_DEPTH_M * row_length / 4 else BLOCK_DEPTH_M * 2 + ROAD_M
        width = total / depth
        if x > 0 and x + width > row_length:  # the next block across the road
            x, y, row_depth = 0.0, y + row_depth + ROAD_M, 0.0
        row_depth = max(row_depth, depth)
        status = (
            ParcelStatus.IDLE
            if uscc in idle
            else ParcelStatus.UNDER_CONSTRUCTION
            if uscc == building
            else ParcelStatus.IN_USE
        )
        parcels.append(
            Parcel(
                number=number,
                holder_uscc=uscc,
                area_m2=round(total, 2),
                status=status,
                certificate_no=f"赣(20{15 + index % 9})经开区不动产权第{100000 + index * 37}号",
                location=f"经开区{'一二三四五六七八九十'[int(y // 210) % 10]}路{int(x // 10) + 1}号",
                use=USES[index % len(USES)],
                holder_name=names.get(uscc),
                acquired=date(2010 + index % 14, 1 + index % 12, 1 + index % 28),
            )
        )
        polygons[number] = _rectangle(x, y, max(width - GAP_M, 1.0), depth - GAP_M)
        if uscc in tenant_of:
            tenant = tenant_of[uscc]
            leases.append(
                Lease(
                    parcel_no=number,
                    lessor_uscc=uscc,
                    lessee_uscc=tenant,
                    start=date(2019, 1, 1),
                    end=None,
                    area_m2=round(area[tenant], 2),
                    contract_no=f"ZL-{index + 1:04d}",
                )
            )
        x += width
    return DemoLand(parcels, leases, polygons)


def seed_demo_land(session: Session, analyst: Actor, year: int, *, seed: int = 1) -> LandImportSummary:
    """Register the demo zone's parcels and leases from the enterprises of ``year`` (through the land service)."""
    frame = enterprises.year_frame(session, year)
    names = frame["name"].to_list() if "name" in frame.columns else [None] * frame.height
    rows = list(zip(frame["uscc"].to_list(), names, frame["land_area_mu"].to_list(), strict=True))
    made = demo_land(rows, seed=seed)
    return land.import_records(session, analyst, made.parcels, made.leases, made.polygons, files={"demo": "演示数据"})
