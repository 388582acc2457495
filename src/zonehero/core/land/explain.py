"""The derivation as a reader sees it (用地面积认定明细): per enterprise, the parcels and leases and the sum.

Every figure is kept at full float precision (m² and 亩, 1 亩 = 10000/15 m²); rounding is for the page, the
notice and the console, never for the record. :meth:`LandAreas.to_dict` is the JSON the command writes and a later
store keeps with the run.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from zonehero.core.land.model import LandRules, ParcelStatus, square_metres_to_mu


@dataclass(frozen=True)
class ParcelLine:
    """A parcel the enterprise holds and what of it counts."""

    number: str
    area_m2: float
    status: ParcelStatus
    counted_m2: float
    note: str = ""
    """Why the counted area differs from the area (在建 excluded), empty otherwise."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "parcel_no": self.number,
            "area_m2": self.area_m2,
            "status": self.status.value,
            "status_label": self.status.label,
            "counted_m2": self.counted_m2,
            "note": self.note,
        }


@dataclass(frozen=True)
class LeaseLine:
    """A lease the enterprise is a party of, seen from its side: ``out`` it lets, ``in`` it rents."""

    parcel_no: str
    contract_no: str | None
    counterparty: str
    direction: Literal["in", "out"]
    area_m2: float
    days_covered: int
    """Days of the year the lease covers (both dates inclusive)."""
    days_in_year: int
    counted_m2: float
    """Signed: + rented in, − let out."""
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "parcel_no": self.parcel_no,
            "contract_no": self.contract_no,
            "counterparty": self.counterparty,
            "direction": self.direction,
            "area_m2": self.area_m2,
            "days_covered": self.days_covered,
            "days_in_year": self.days_in_year,
            "counted_m2": self.counted_m2,
            "note": self.note,
        }


@dataclass(frozen=True)
class MergedUnit:
    """合并评价: the holder and the tenants of shared parcels evaluated as one unit."""

    usccs: tuple[str, ...]
    parcels: tuple[str, ...]
    land_area_m2: float
    below_minimum: bool

    @property
    def land_area_mu(self) -> float:
        return square_metres_to_mu(self.land_area_m2)

    def to_dict(self) -> dict[str, Any]:
        return {
            "usccs": list(self.usccs),
            "parcels": list(self.parcels),
            "land_area_m2": self.land_area_m2,
            "land_area_mu": self.land_area_mu,
            "below_minimum": self.below_minimum,
        }


@dataclass(frozen=True)
class EnterpriseLand:
    """One enterprise's land in the year: the lines it came from and their sum."""

    uscc: str
    parcels: tuple[ParcelLine, ...]
    leases: tuple[LeaseLine, ...]
    below_minimum: bool
    """The area is under the rules' ``minimum_mu``: the figure stays as derived, the flag says so."""
    unit: MergedUnit | None = None

    @property
    def land_area_m2(self) -> float:
        """Σ counted parcels + Σ counted leases (signed)."""
        return sum(p.counted_m2 for p in self.parcels) + sum(lease.counted_m2 for lease in self.leases)

    @property
    def land_area_mu(self) -> float:
        return square_metres_to_mu(self.land_area_m2)

    def to_dict(self) -> dict[str, Any]:
        return {
            "uscc": self.uscc,
            "land_area_mu": self.land_area_mu,
            "land_area_m2": self.land_area_m2,
            "below_minimum": self.below_minimum,
            "unit": self.unit.to_dict() if self.unit is not None else None,
            "parcels": [p.to_dict() for p in self.parcels],
            "leases": [lease.to_dict() for lease in self.leases],
        }


@dataclass(frozen=True)
class LandAreas:
    """Every enterprise's land in ``year`` under ``rules``, sorted by USCC."""

    year: int
    rules: LandRules
    enterprises: tuple[EnterpriseLand, ...]
    units: tuple[MergedUnit, ...] = ()

    def by_uscc(self) -> dict[str, EnterpriseLand]:
        return {e.uscc: e for e in self.enterprises}

    def to_dict(self) -> dict[str, Any]:
        r = self.rules
        return {
            "year": self.year,
            "rules": {
                "lessor_keeps": r.lessor_keeps,
                "shared_parcels": r.shared_parcels,
                "exclude_under_construction": r.exclude_under_construction,
                "minimum_mu": r.minimum_mu,
                "pro_rata": r.pro_rata,
            },
            "enterprises": [e.to_dict() for e in self.enterprises],
            "units": [u.to_dict() for u in self.units],
        }
