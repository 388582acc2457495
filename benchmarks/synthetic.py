"""Synthetic zones built fast with numpy: N enterprises with realistic, skewed figures.

Why: the engine benchmark needs 500,000 enterprises in a second or two, and the
cross-check test needs many small seeded zones. Everything is vectorised (no
loop over rows), including valid 统一社会信用代码 with both check characters.

The figures are lognormal (a few large firms, many small ones), with what real
department files have: missing values, negative tax (refunds) and value added,
zero R&D, energy given directly or only as a fuel breakdown (or not at all),
vetoes, young (exempt) firms, utilities (exempt industries), below-scale firms
with too little land (out of scope), and a missing 规上 flag decided by revenue.

A zone is a ``Zone``: numpy columns plus null masks, convertible to Polars and
to pandas with the same nulls, so both implementations see identical input.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import polars as pl

from zonehero.core.domain.uscc import USCC_ALPHABET

FLOAT_KEYS = (
    "land_area_mu",
    "revenue",
    "tax",
    "value_added",
    "rd_expense",
    "employees",
    "energy_tce",
    "co2_t",
    "electricity_10k_kwh",
    "raw_coal_t",
    "natural_gas_10k_m3",
    "diesel_t",
    "gasoline_t",
    "fuel_oil_t",
    "lpg_t",
    "heat_gj",
)
BOOL_KEYS = ("high_tech", "listed", "major_safety_accident", "major_env_violation")

# Industry divisions (GB/T 4754-2017) with a skewed frequency: manufacturing dominates,
# a few utilities (D44-D46, exempt by default) and some others.
_DIVISIONS = np.array(
    [
        "C13",
        "C14",
        "C17",
        "C18",
        "C22",
        "C26",
        "C27",
        "C29",
        "C30",
        "C31",
        "C33",
        "C34",
        "C35",
        "C36",
        "C38",
        "C39",
        "C40",
        "C41",
        "C42",
        "D44",
        "D45",
        "D46",
        "E47",
        "F51",
        "I65",
        "M73",
        "B06",
        "C19",
        "C23",
        "C25",
    ]
)
_ORG_WEIGHTS = np.array([3, 7, 9, 10, 5, 8, 4, 2])
_USCC_WEIGHTS = np.array([pow(3, i, 31) for i in range(17)])
_CHAR_VALUE = np.full(128, -1, dtype=np.int64)
for _i, _c in enumerate(USCC_ALPHABET):
    _CHAR_VALUE[ord(_c)] = _i
_ALPHABET_BYTES = np.frombuffer(USCC_ALPHABET.encode("ascii"), dtype=np.uint8)


@dataclass
class Zone:
    """Columns of one synthetic zone-year; floats use NaN for missing, other columns a mask in ``nulls``."""

    columns: dict[str, np.ndarray]
    nulls: dict[str, np.ndarray] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.columns["uscc"])

    def to_polars(self) -> pl.DataFrame:
        """The zone as the importer would hand it to the engine (Float64, Boolean, String, Int64)."""
        series = []
        for key, values in self.columns.items():
            if values.dtype.kind == "f":
                s = pl.Series(key, values, dtype=pl.Float64, nan_to_null=True)
            elif values.dtype.kind in "US":
                s = pl.Series(key, values.astype("U"), dtype=pl.String)
            elif values.dtype.kind == "b":
                s = pl.Series(key, values, dtype=pl.Boolean)
            else:
                s = pl.Series(key, values, dtype=pl.Int64)
            series.append(s)
        frame = pl.DataFrame(series)
        masked = [
            pl.when(pl.Series(mask)).then(None).otherwise(pl.col(key)).alias(key) for key, mask in self.nulls.items()
        ]
        return frame.with_columns(masked) if masked else frame

    def to_pandas(self) -> pd.DataFrame:
        """The same zone as pandas (float64 NaN, nullable boolean/Int64, str with NA)."""
        data: dict[str, object] = {}
        for key, values in self.columns.items():
            mask = self.nulls.get(key)
            if values.dtype.kind == "f":
                data[key] = values
            elif values.dtype.kind == "b":
                data[key] = pd.arrays.BooleanArray(values, mask if mask is not None else np.zeros(len(values), bool))
            elif values.dtype.kind in "US":
                s = pd.Series(values.astype("U"), dtype="str")
                data[key] = s.mask(pd.Series(mask)) if mask is not None else s
            else:
                data[key] = pd.arrays.IntegerArray(
                    values.astype("int64"), mask if mask is not None else np.zeros(len(values), bool)
                )
        return pd.DataFrame(data)

    def take(self, index: np.ndarray) -> Zone:
        """Rows ``index`` (in that order) as a new zone; repeating an index makes exact duplicates."""
        return Zone(
            {k: v[index] for k, v in self.columns.items()},
            {k: m[index] for k, m in self.nulls.items()},
        )


def make_usccs(n: int, rng: np.random.Generator) -> np.ndarray:
    """N distinct valid USCCs (GB 32100-2015 and the embedded GB 11714 check), vectorised."""
    start = int(rng.integers(0, 10**8 - n))
    org = start + np.arange(n, dtype=np.int64)
    digits8 = (org[:, None] // 10 ** np.arange(7, -1, -1)) % 10
    org_check = 11 - (digits8 @ _ORG_WEIGHTS) % 11
    org_check_char = np.where(org_check == 10, ord("X"), np.where(org_check == 11, ord("0"), ord("0") + org_check))
    region = rng.choice(np.array([360100, 360102, 330100, 320500, 440300, 350100]), size=n)
    region_digits = (region[:, None] // 10 ** np.arange(5, -1, -1)) % 10
    chars = np.empty((n, 18), dtype=np.uint8)
    chars[:, 0] = ord("9")
    chars[:, 1] = ord("1")
    chars[:, 2:8] = ord("0") + region_digits
    chars[:, 8:16] = ord("0") + digits8
    chars[:, 16] = org_check_char
    total = _CHAR_VALUE[chars[:, :17]] @ _USCC_WEIGHTS
    chars[:, 17] = _ALPHABET_BYTES[(31 - total % 31) % 31]
    return chars.view("S18").ravel().astype("U18")


def _lognormal(rng: np.random.Generator, median: float, sigma: float, n: int) -> np.ndarray:
    return median * rng.lognormal(0.0, sigma, n)


def _blank(rng: np.random.Generator, values: np.ndarray, share: float) -> np.ndarray:
    """``values`` with a random ``share`` set to NaN (missing in the department file)."""
    return np.where(rng.random(len(values)) < share, np.nan, values)


def make_zone(n: int, seed: int = 0, year: int = 2025, *, names: bool = False) -> Zone:
    """A synthetic zone-year of ``n`` enterprises, reproducible from ``seed``.

    ``names`` adds a 企业名称 column (only the CLI benchmark needs it; it costs time).
    """
    rng = np.random.default_rng(seed)
    cols: dict[str, np.ndarray] = {"uscc": make_usccs(n, rng)}
    nulls: dict[str, np.ndarray] = {}
    if names:
        cols["name"] = np.char.add(np.char.add("合成企业", np.arange(n).astype("U7")), "有限公司")

    weights = 1.0 / np.arange(1, len(_DIVISIONS) + 1) ** 0.9
    division = rng.choice(_DIVISIONS, size=n, p=weights / weights.sum())
    cols["industry_code"] = np.char.add(division, np.char.zfill(rng.integers(0, 100, n).astype("U2"), 2))
    nulls["industry_code"] = rng.random(n) < 0.01

    # Size: about 40 % above scale; below-scale firms are small and sometimes have little land.
    big = rng.random(n) < 0.4
    revenue = np.where(big, _lognormal(rng, 15000, 1.1, n) + 2000, _lognormal(rng, 700, 0.9, n))
    cols["revenue"] = _blank(rng, revenue, 0.01)
    cols["above_scale"] = big
    nulls["above_scale"] = rng.random(n) < 0.1  # decided by revenue
    land = np.where(big, _lognormal(rng, 40, 0.9, n), _lognormal(rng, 9, 0.8, n))
    cols["land_area_mu"] = _blank(rng, np.round(land, 2), 0.02)

    tax_rate = _lognormal(rng, 0.03, 0.7, n) * np.where(rng.random(n) < 0.02, -0.3, 1.0)
    cols["tax"] = _blank(rng, revenue * tax_rate, 0.03)
    va_rate = _lognormal(rng, 0.22, 0.5, n) * np.where(rng.random(n) < 0.01, -0.2, 1.0)
    value_added = revenue * va_rate
    cols["value_added"] = _blank(rng, value_added, 0.03)
    rd = revenue * _lognormal(rng, 0.02, 0.9, n) * (rng.random(n) > 0.2)
    cols["rd_expense"] = _blank(rng, rd, 0.05)
    employees = np.floor(np.where(big, _lognormal(rng, 150, 1.0, n), _lognormal(rng, 25, 0.8, n)))
    employees[rng.random(n) < 0.003] = 0
    cols["employees"] = _blank(rng, employees, 0.02)

    # Energy: 60 % give 综合能耗 directly, 30 % only a fuel breakdown, 10 % nothing.
    how = rng.random(n)
    breakdown = how >= 0.6
    nothing = how >= 0.9
    intensity = _lognormal(rng, 0.15, 1.0, n)  # tce per 万元 revenue
    tce = revenue * intensity
    electricity = tce * 0.6 / 1.229
    fuels = {
        "electricity_10k_kwh": (electricity, 0.97),
        "natural_gas_10k_m3": (tce * 0.2 / 12.143, 0.4),
        "raw_coal_t": (tce * 0.3 / 0.7143, 0.1),
        "diesel_t": (tce * 0.03 / 1.4571, 0.3),
        "gasoline_t": (tce * 0.02 / 1.4714, 0.3),
        "fuel_oil_t": (tce * 0.05 / 1.4286, 0.05),
        "lpg_t": (tce * 0.02 / 1.7143, 0.1),
        "heat_gj": (tce * 0.1 / 0.03412, 0.15),
    }
    for key, (quantity, share) in fuels.items():
        present = breakdown & ~nothing & (rng.random(n) < share)
        cols[key] = np.where(present, np.round(quantity, 3), np.nan)
    direct = ~breakdown
    cols["energy_tce"] = np.where(direct, np.round(tce, 3), np.nan)
    cols["co2_t"] = np.where(direct & (rng.random(n) < 0.7), np.round(tce * _lognormal(rng, 2.3, 0.2, n), 3), np.nan)

    cols["high_tech"] = rng.random(n) < 0.15
    cols["listed"] = rng.random(n) < 0.02
    u = rng.random(n)
    cols["zjtx_level"] = np.where(u < 0.05, "province", np.where(u < 0.06, "national", ""))
    nulls["zjtx_level"] = u >= 0.06
    cols["major_safety_accident"] = rng.random(n) < 0.005
    cols["major_env_violation"] = rng.random(n) < 0.005
    start = np.where(rng.random(n) < 0.06, rng.integers(year - 3, year + 1, n), rng.integers(1985, year - 3, n))
    cols["production_start_year"] = start.astype(np.int64)
    nulls["production_start_year"] = rng.random(n) < 0.02
    return Zone(cols, nulls)
