"""What the land pages and the run read: stored parcels and leases, an import's preview and its outcome."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from zonehero.core.land import ParcelStatus
from zonehero.errors import InputProblem


@dataclass(frozen=True)
class ParcelRead:
    """A stored parcel as the pages show it (area in m²; the template shows 亩 through the numbers filters)."""

    number: str
    certificate_no: str | None
    location: str | None
    area_m2: float
    use: str | None
    holder_uscc: str
    holder_name: str | None
    acquired: date | None
    status: ParcelStatus
    has_polygon: bool

    @property
    def status_label(self) -> str:
        return self.status.label


@dataclass(frozen=True)
class LeaseRead:
    """A stored lease."""

    id: int
    parcel_no: str
    lessor_uscc: str
    lessee_uscc: str
    area_m2: float | None
    share_percent: float | None
    start: date
    end: date | None
    contract_no: str | None
    has_contract_file: bool


@dataclass(frozen=True)
class LandChange:
    """One change an import makes to the store: 新增 / 修改 / 删除 of a parcel, a lease or a polygon."""

    kind: str
    """"create" | "update" | "delete"."""
    what: str
    """"parcel" | "lease" | "polygon"."""
    key: str
    detail: str = ""

    @property
    def kind_label(self) -> str:
        return {"create": "新增", "update": "修改", "delete": "删除"}[self.kind]

    @property
    def what_label(self) -> str:
        return {"parcel": "宗地", "lease": "租赁", "polygon": "宗地图形"}[self.what]


@dataclass(frozen=True)
class LandPreview:
    """An uploaded parcel register, lease register and (optionally) polygons, read and compared with the store."""

    upload_id: str
    files: dict[str, str]
    """"parcels" / "leases" / "geojson" → the file name as uploaded."""
    parcels: int
    leases: int
    polygons: int
    problems: list[InputProblem]
    changes: list[LandChange] = field(default_factory=list)

    def count(self, kind: str, what: str) -> int:
        return sum(1 for c in self.changes if c.kind == kind and c.what == what)


@dataclass(frozen=True)
class LandImportSummary:
    """What a confirmed import wrote."""

    parcels_new: int = 0
    parcels_updated: int = 0
    parcels_deleted: int = 0
    leases_new: int = 0
    leases_deleted: int = 0
    polygons_set: int = 0

    def sentence(self) -> str:
        return (
            f"宗地新增 {self.parcels_new} 宗、修改 {self.parcels_updated} 宗、删除 {self.parcels_deleted} 宗；"
            f"租赁新增 {self.leases_new} 份、删除 {self.leases_deleted} 份；宗地图形 {self.polygons_set} 个"
        )


@dataclass(frozen=True)
class MapParcel:
    """One parcel on the zone map: its polygon, status and who uses it (the holder and the lessees in ``year``)."""

    number: str
    geometry: dict[str, Any]
    area_m2: float
    status: ParcelStatus
    holder_uscc: str
    holder_name: str | None
    tenants: tuple[str, ...]
