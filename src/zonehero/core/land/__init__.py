"""Land per enterprise (宗地与租赁 → 用地面积): parcels and leases in, each enterprise's land in 亩 out.

``model`` holds the records and the land rules (the ``[land]`` table of a scheme), ``registry`` reads the parcel and
lease registers through the shared spreadsheet reader, ``derive`` is the one place the land rule lives, ``explain``
is its result with the lines each figure came from. Pure like every core: imports only other cores and
``zonehero.errors``; it does not import the evaluation (the evaluation's scheme imports the rules from here).
"""

from zonehero.core.land.derive import check_land, derive_land
from zonehero.core.land.explain import EnterpriseLand, LandAreas, LeaseLine, MergedUnit, ParcelLine
from zonehero.core.land.model import (
    DEFAULT_LAND_RULES,
    SHARED_PARCEL_MODES,
    LandRules,
    Lease,
    Origin,
    Parcel,
    ParcelStatus,
    square_metres_to_mu,
)
from zonehero.core.land.registry import LEASE_REGISTRY, PARCEL_REGISTRY, read_leases, read_parcels

__all__ = [
    "DEFAULT_LAND_RULES",
    "LEASE_REGISTRY",
    "PARCEL_REGISTRY",
    "SHARED_PARCEL_MODES",
    "EnterpriseLand",
    "LandAreas",
    "LandRules",
    "Lease",
    "LeaseLine",
    "MergedUnit",
    "Origin",
    "Parcel",
    "ParcelLine",
    "ParcelStatus",
    "check_land",
    "derive_land",
    "read_leases",
    "read_parcels",
    "square_metres_to_mu",
]
