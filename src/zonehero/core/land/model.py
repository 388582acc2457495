"""Parcels (宗地), leases (租赁) and the land rules (用地认定规则): the values the land derivation reads.

A :class:`Parcel` and a :class:`Lease` are what the 自然资源局 registers say, in m² as registered; the derivation
(:mod:`zonehero.core.land.derive`) turns them into 亩 per enterprise. Each record may carry its :class:`Origin`
(file, sheet, spreadsheet row, the headers as written), so a problem the derivation finds across records (an
overlapping lease, a lease on an unknown parcel) still names the row and column a person has to fix; records built
from the store later carry none, and the messages name the parcel and the contract instead.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal

from zonehero.core.domain.units import SQUARE_METRES_PER_MU
from zonehero.errors import InputProblem

SharedParcels = Literal["separate", "merge", "share"]
SHARED_PARCEL_MODES: tuple[str, ...] = ("separate", "merge", "share")
"""separate: each user of a parcel counts its own part (default); merge: the holder and the tenants of a parcel form
one evaluated unit (合并评价); share: a parcel's area is split among its users by their leased share (分摊)."""


def square_metres_to_mu(area_m2: float) -> float:
    """亩 from m², 1 亩 = 10000/15 m² exactly; full float precision (round only where a person reads it)."""
    return area_m2 / SQUARE_METRES_PER_MU


class ParcelStatus(StrEnum):
    """状态 of a parcel: in use (在用), under construction (在建), idle (闲置)."""

    IN_USE = "in_use"
    UNDER_CONSTRUCTION = "under_construction"
    IDLE = "idle"

    @property
    def label(self) -> str:
        """The Chinese word the registers and the pages use."""
        return STATUS_LABELS[self]


STATUS_LABELS: dict[ParcelStatus, str] = {
    ParcelStatus.IN_USE: "在用",
    ParcelStatus.UNDER_CONSTRUCTION: "在建",
    ParcelStatus.IDLE: "闲置",
}

STATUS_WORDS: dict[str, ParcelStatus] = {
    "在用": ParcelStatus.IN_USE,
    "使用中": ParcelStatus.IN_USE,
    "已使用": ParcelStatus.IN_USE,
    "正常使用": ParcelStatus.IN_USE,
    "in_use": ParcelStatus.IN_USE,
    "inuse": ParcelStatus.IN_USE,
    "在建": ParcelStatus.UNDER_CONSTRUCTION,
    "建设中": ParcelStatus.UNDER_CONSTRUCTION,
    "在建中": ParcelStatus.UNDER_CONSTRUCTION,
    "under_construction": ParcelStatus.UNDER_CONSTRUCTION,
    "underconstruction": ParcelStatus.UNDER_CONSTRUCTION,
    "闲置": ParcelStatus.IDLE,
    "空闲": ParcelStatus.IDLE,
    "idle": ParcelStatus.IDLE,
}
"""Every accepted spelling of a status, compared after :func:`zonehero.core.domain.vocabulary.clean_word`
(half-width, no white space, lower-case). An empty 状态 reads as 在用: a register lists the exceptions."""


@dataclass(frozen=True)
class Origin:
    """Where a record was read: file, sheet, spreadsheet row (1-based) and each column's header as written."""

    file: str | None
    sheet: str | None
    row: int | None
    headers: Mapping[str, str] = field(default_factory=dict, compare=False, hash=False)
    """Column key -> the header as the file writes it (or the column's label when the file lacks it)."""

    def problem(self, message: str, key: str | None = None) -> InputProblem:
        """A problem at this record, in the column ``key`` (a registry key)."""
        column = self.headers.get(key, key) if key is not None else None
        return InputProblem(message, file=self.file, sheet=self.sheet, row=self.row, column=column)


@dataclass(frozen=True)
class Parcel:
    """宗地: one registered parcel and its right holder (权利人)."""

    number: str
    """宗地编号, unique in a register."""
    holder_uscc: str
    area_m2: float
    status: ParcelStatus = ParcelStatus.IN_USE
    certificate_no: str | None = None
    location: str | None = None
    use: str | None = None
    holder_name: str | None = None
    acquired: dt.date | None = None
    """取得日期: shown, not used by the rule (the register says who holds the parcel now)."""
    origin: Origin | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Lease:
    """租赁: part of a parcel let by ``lessor_uscc`` to ``lessee_uscc`` for a period (both dates inclusive).

    The area is given in m², or as a share of the parcel (``share_percent``, 0-100); when both are given the area
    is used. An open ``end`` runs on (to the end of any year evaluated).
    """

    parcel_no: str
    lessor_uscc: str
    lessee_uscc: str
    start: dt.date
    end: dt.date | None = None
    area_m2: float | None = None
    share_percent: float | None = None
    contract_no: str | None = None
    origin: Origin | None = field(default=None, compare=False)

    @property
    def name(self) -> str:
        """How messages name the lease: its contract number, else its parcel and parties."""
        if self.contract_no:
            return f"租赁合同「{self.contract_no}」"
        return f"宗地「{self.parcel_no}」上 {self.lessor_uscc} → {self.lessee_uscc} 的租赁"

    def area_on(self, parcel: Parcel) -> float:
        """The leased area in m²: as given, else the share of the parcel's area."""
        if self.area_m2 is not None:
            return self.area_m2
        return parcel.area_m2 * (self.share_percent or 0.0) / 100

    def covers(self, day: dt.date) -> bool:
        """Whether the lease runs on ``day`` (both ends inclusive)."""
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class LandRules:
    """用地认定规则: how parcels and leases become each enterprise's land; the defaults are the default rule.

    The ``[land]`` table of an evaluation scheme; a scheme without it uses these defaults.
    """

    lessor_keeps: bool = False
    """Leased land stays with the holder (出租方计): tenants get nothing from a lease, the lessor loses nothing."""
    shared_parcels: SharedParcels = "separate"
    exclude_under_construction: bool = False
    """在建 parcels count 0 (and so do the leases on them)."""
    minimum_mu: float = 0.0
    """An enterprise (or a merged unit) with less land than this (亩) is flagged ``below_minimum``; its figure is
    kept as derived, so the evaluation and the 公示 decide what the flag means."""
    pro_rata: bool = True
    """A lease counts by the days of the year it covers ÷ the days of the year; False: any day counts a whole
    year."""


DEFAULT_LAND_RULES = LandRules()

LAND_RULE_LABELS: dict[str, str] = {
    "lessor_keeps": "出租土地计入出租方",
    "shared_parcels": "共用宗地",
    "exclude_under_construction": "在建宗地不计",
    "minimum_mu": "最低用地面积（亩）",
    "pro_rata": "租赁按天折算",
}
"""The Chinese name of each key of ``[land]`` (the scheme's version diff, later the scheme pages)."""

SHARED_PARCEL_LABELS: dict[str, str] = {
    "separate": "各自计算",
    "merge": "合并评价",
    "share": "按租赁面积分摊",
}
