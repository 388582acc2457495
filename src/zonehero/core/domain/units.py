"""Units found in department spreadsheets and their factor to the canonical unit.

Every quantity has one canonical unit (the one the engine computes in).
A header like 营业收入(元) or a units row saying 平方米 names a unit; it is
looked up here for the field's dimension. A unit not listed is an error,
never a guess: a revenue read in 元 as 万元 is ten thousand times wrong.
"""

from __future__ import annotations

from zonehero.core.domain.names import header_key

# dimension -> {normalised unit text: factor to the canonical unit}
UNITS: dict[str, dict[str, float]] = {
    "area_mu": {
        "亩": 1.0,
        "平方米": 15 / 10000,
        "㎡": 15 / 10000,
        "m2": 15 / 10000,
        "m²": 15 / 10000,
        "平米": 15 / 10000,
        "公顷": 15.0,
    },
    "area_m2": {
        "平方米": 1.0,
        "㎡": 1.0,
        "m2": 1.0,
        "m²": 1.0,
        "平米": 1.0,
        "亩": 10000 / 15,
        "公顷": 10000.0,
    },
    "money_10k_yuan": {"万元": 1.0, "元": 1e-4, "千元": 0.1, "亿元": 1e4, "万": 1.0},
    "tce": {"吨标准煤": 1.0, "吨标煤": 1.0, "tce": 1.0, "万吨标准煤": 1e4, "万吨标煤": 1e4, "千克标准煤": 1e-3},
    "tonne": {"吨": 1.0, "t": 1.0, "万吨": 1e4, "千克": 1e-3, "kg": 1e-3},
    "co2_tonne": {"吨": 1.0, "t": 1.0, "吨co2": 1.0, "tco2": 1.0, "万吨": 1e4, "万吨co2": 1e4},
    "electricity_10k_kwh": {
        "万千瓦时": 1.0,
        "万kwh": 1.0,
        "万度": 1.0,
        "千瓦时": 1e-4,
        "kwh": 1e-4,
        "度": 1e-4,
        "兆瓦时": 0.1,
        "mwh": 0.1,
    },
    "gas_10k_m3": {"万立方米": 1.0, "万m3": 1.0, "万m³": 1.0, "立方米": 1e-4, "m3": 1e-4, "m³": 1e-4},
    "heat_gj": {"吉焦": 1.0, "gj": 1.0, "百万千焦": 1.0},
    "persons": {"人": 1.0},
    "year": {"年": 1.0},
    "percent": {"%": 1.0},
}

CANONICAL_UNIT: dict[str, str] = {
    "area_mu": "亩",
    "area_m2": "平方米",
    "money_10k_yuan": "万元",
    "tce": "吨标准煤",
    "tonne": "吨",
    "co2_tonne": "吨",
    "electricity_10k_kwh": "万千瓦时",
    "gas_10k_m3": "万立方米",
    "heat_gj": "吉焦",
    "persons": "人",
    "year": "年",
    "percent": "%",
}

MU_PER_SQUARE_METRE = 15 / 10000
"""1 亩 = 10000/15 m²."""

SQUARE_METRES_PER_MU = 10000 / 15
"""The same fact the other way round: parcels and leases are registered in m² (area_m2) and counted in 亩."""


def unit_factor(dimension: str, unit_text: str) -> float | None:
    """Factor from ``unit_text`` to the canonical unit of ``dimension``; None if unknown."""
    table = UNITS.get(dimension)
    if table is None:
        return None
    key = header_key(unit_text).strip("()")
    return table.get(key)


def known_units(dimension: str) -> list[str]:
    """The unit spellings accepted for a dimension, for error messages."""
    return list(UNITS.get(dimension, {}))
