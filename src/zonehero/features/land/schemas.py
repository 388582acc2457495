"""What the land pages and the run read: stored parcels and leases, an import's preview and its outcome."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
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


@dataclass(frozen=True)
class LandNoticeRead:
    """A year's land-area 公示 (用地面积公示): its period, status and the derivation frozen as published."""

    id: int
    year: int
    status: str
    """"notice" 公示中 | "closed" 已结束."""
    notice_start: date
    notice_end: date
    scheme_version_id: int
    enterprise_count: int
    published_by: int | None
    published_at: datetime
    closed_by: int | None
    closed_at: datetime | None
    derivation: dict[str, Any] = field(repr=False, default_factory=dict)
    """{year, rules, enterprises: {uscc: record}, given: [uscc], names: {uscc: name}}: what enterprises saw."""

    @property
    def status_label(self) -> str:
        return {"notice": "公示中", "closed": "已结束"}.get(self.status, self.status)

    def record(self, uscc: str) -> dict[str, Any] | None:
        """The enterprise's published derivation (None: it kept its given 用地面积 or is not in the notice)."""
        found = (self.derivation.get("enterprises") or {}).get(uscc)
        return found if isinstance(found, dict) else None

    def includes(self, uscc: str) -> bool:
        return self.record(uscc) is not None or uscc in (self.derivation.get("given") or [])

    def name_of(self, uscc: str) -> str:
        return str((self.derivation.get("names") or {}).get(uscc) or uscc)


@dataclass(frozen=True)
class LandCorrectionRead:
    """One field of a parcel or lease an accepted 用地公示异议 changed: the lineage shown beside the derivation."""

    id: int
    objection_id: int
    what: str
    """"parcel" | "lease"."""
    parcel_no: str
    lease_id: int | None
    field: str
    before: Any
    after: Any
    corrected_by: int | None
    corrected_at: datetime

    @property
    def lineage(self) -> str:
        """「用地公示异议 #3」: how pages, notices and the audit name where the change came from."""
        return f"用地公示异议 #{self.objection_id}"

    @property
    def sentence(self) -> str:
        """「租赁 ZD-003 #12 租赁面积（平方米） 4000 → 3000（用地公示异议 #3）」."""
        what = f"宗地 {self.parcel_no}" if self.what == "parcel" else f"租赁 {self.parcel_no} #{self.lease_id or '—'}"
        label = CORRECTABLE_LABELS.get(self.field, self.field)
        return f"{what} {label} {_shown(self.before)} → {_shown(self.after)}（{self.lineage}）"

    def to_dict(self) -> dict[str, Any]:
        return {
            "objection_id": self.objection_id,
            "what": self.what,
            "parcel_no": self.parcel_no,
            "lease_id": self.lease_id,
            "field": self.field,
            "before": self.before,
            "after": self.after,
            "corrected_at": self.corrected_at.isoformat(),
            "lineage": self.lineage,
            "sentence": self.sentence,
        }


CORRECTABLE_LABELS = {
    "area_m2": "面积（平方米）",
    "share_percent": "租赁份额（%）",
    "start_date": "起始日期",
    "end_date": "终止日期",
}
"""The fields of a parcel (area_m2) and of a lease (all four) an accepted 用地公示异议 may correct."""
PARCEL_FIELDS = ("area_m2",)
LEASE_FIELDS = ("area_m2", "share_percent", "start_date", "end_date")


def _shown(value: Any) -> str:
    return "空" if value is None else str(value)
