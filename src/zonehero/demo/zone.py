"""A synthetic but realistic development zone as canonical frames, one per year.

The demo must look like a real zone to the people who run one: skewed land
and revenue (a few big plants, a long tail of small ones, about a fifth
below scale), taxes that follow revenue at an industry's rate with refunds
here and there, energy that follows industry intensity, a couple of vetoes,
new plants that are still exempt, firms that grow, shrink, arrive and leave.
Every figure is quantised to what a department writes (tax in 元 with
fen, land in 平方米 with two decimals, electricity in whole kWh) and
converted to the canonical unit with the same factor the importer uses, so
the department files written by ``zonehero.demo.writers`` read back to
exactly these frames.

Deterministic for a seed: ``random.Random(seed)`` drives everything (its
streams are stable across Python versions, unlike some array libraries').
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from zonehero.core.domain.energy import CoefficientTable, load_coefficients
from zonehero.core.domain.fields import FIELDS, FIELDS_BY_KEY
from zonehero.core.domain.units import unit_factor
from zonehero.core.domain.uscc import USCC_ALPHABET, make_uscc
from zonehero.demo.industries import INDUSTRIES, Industry
from zonehero.demo.names import make_name

ABOVE_SCALE_REVENUE = 2000.0
"""规上 threshold, 万元 of revenue (the statistics bureau's rule for industry)."""

REGION_CODES: tuple[tuple[str, float], ...] = (("360121", 0.6), ("360100", 0.2), ("360111", 0.1), ("360104", 0.1))
"""Registration regions (南昌县, 南昌市, 青山湖区, 青云谱区) with their shares: the zone is 小蓝经开区-like."""

REPORTED_UNITS: dict[str, tuple[str, int]] = {
    "land_area_mu": ("平方米", 2),
    "revenue": ("万元", 2),
    "tax": ("元", 2),
    "value_added": ("万元", 2),
    "rd_expense": ("万元", 2),
    "employees": ("人", 0),
    "energy_tce": ("吨标准煤", 2),
    "co2_t": ("吨", 2),
    "electricity_10k_kwh": ("千瓦时", 0),
    "natural_gas_10k_m3": ("立方米", 0),
    "raw_coal_t": ("吨", 2),
    "diesel_t": ("吨", 2),
    "heat_gj": ("吉焦", 1),
}
"""The unit and decimals each figure is written in by its department; the writers use the same table."""

FUELS: tuple[str, ...] = ("electricity_10k_kwh", "natural_gas_10k_m3", "raw_coal_t", "diesel_t", "heat_gj")
"""The fuels of ``Industry.fuel_mix``, in its order."""

MISSING_CANDIDATES: tuple[str, ...] = (
    "revenue",
    "tax",
    "value_added",
    "employees",
    "land_area_mu",
    "electricity_10k_kwh",
)
"""Figures a department sometimes fails to report."""

_DTYPES: dict[str, pl.DataType] = {
    "uscc": pl.String(),
    "text": pl.String(),
    "industry_code": pl.String(),
    "number": pl.Float64(),
    "integer": pl.Int64(),
    "bool": pl.Boolean(),
    "zjtx": pl.String(),
    "year": pl.Int64(),
}


def canonical_schema() -> dict[str, pl.DataType]:
    """Column name -> dtype of a canonical frame, in field-registry order."""
    return {f.key: _DTYPES[f.type] for f in FIELDS}


def reported_factor(key: str) -> float:
    """Factor from the unit ``key`` is reported in (``REPORTED_UNITS``) to its canonical unit."""
    unit, _ = REPORTED_UNITS[key]
    dimension = FIELDS_BY_KEY[key].dimension
    factor = unit_factor(dimension, unit) if dimension else None
    if factor is None:  # a programming error in REPORTED_UNITS, not user input
        raise ValueError(f"unit {unit!r} is not known for field {key!r}")
    return factor


def quantise(key: str, value: float) -> float:
    """``value`` (canonical unit) rounded to what the department writes, back in the canonical unit."""
    _, decimals = REPORTED_UNITS[key]
    factor = reported_factor(key)
    return round(value / factor, decimals) * factor


@dataclass
class _Firm:
    """One enterprise's lasting traits; yearly figures are drawn from them."""

    uscc: str
    name: str
    industry: Industry
    start_year: int
    land_mu: float
    efficiency: float
    trend: float
    tax_factor: float
    va_factor: float
    energy_factor: float
    employee_factor: float
    fuel_mix: tuple[float, ...]
    rd_mode: str
    rd_intensity: float
    reports_energy: bool
    refund_prone: bool
    high_tech: bool
    zjtx_level: str | None
    listed: bool
    level: float = 1.0


class _ZoneBuilder:
    """Draws firms and their yearly figures from one random stream."""

    def __init__(self, seed: int, coefficients: CoefficientTable) -> None:
        self.rng = random.Random(seed)
        self.coefficients = coefficients
        self.usccs: set[str] = set()
        self.names: set[str] = set()
        self.weights = [i.weight for i in INDUSTRIES]

    # -- firms -------------------------------------------------------------------------------------

    def new_uscc(self, start_year: int) -> str:
        """A valid, unique USCC; firms registered since 2016 get an MA… organisation part like real ones."""
        rng = self.rng
        regions, shares = zip(*REGION_CODES, strict=True)
        while True:
            region = rng.choices(regions, shares)[0]
            if start_year >= 2016:
                body = "MA" + rng.choice("3456789") + "".join(rng.choice(USCC_ALPHABET[:-1]) for _ in range(5))
            else:
                body = "".join(rng.choice("0123456789") for _ in range(8))
            code = make_uscc("91" + region + body)
            if code not in self.usccs:
                self.usccs.add(code)
                return code

    def new_firm(self, start_year: int) -> _Firm:
        rng = self.rng
        industry = rng.choices(INDUSTRIES, self.weights)[0]
        if rng.random() < 0.07:
            land_mu = rng.uniform(1.0, 4.9)  # workshops below the 5 亩 line: out of scope unless above scale
        else:
            land_mu = _bounded_lognormal(rng, math.log(28.0), 0.85, 5.0, 300.0)
        efficiency = rng.lognormvariate(math.log(0.65), 0.75)
        potential = land_mu * industry.revenue_per_mu * efficiency
        tech = industry.tech
        high_tech = rng.random() < 0.16 * tech + (0.04 if potential > 20000 else 0.0)
        roll = rng.random()
        if potential > 3000 and roll < 0.02 + 0.05 * tech:
            zjtx = "national" if roll < 0.005 + 0.012 * tech else "province"
        else:
            zjtx = None
        listed = potential > 60000 and rng.random() < 0.35
        r = rng.random()
        rd_high = 0.35 * tech + (0.3 if high_tech else 0.0)
        if high_tech or r < rd_high:
            rd_mode, rd_intensity = "high", rng.uniform(0.03, 0.07)
        elif r < rd_high + 0.25:
            rd_mode, rd_intensity = "some", rng.uniform(0.003, 0.025)
        elif r < rd_high + 0.25 + 0.12:
            rd_mode, rd_intensity = "missing", 0.0
        else:
            rd_mode, rd_intensity = "zero", 0.0
        mix = [share * rng.uniform(0.7, 1.3) if share > 0 else 0.0 for share in industry.fuel_mix]
        if mix[1] > 0 and mix[0] > 0 and rng.random() < 0.3:
            mix[1] = 0.0  # not every plant of a gas-using industry has a gas connection
        total = sum(mix)
        firm = _Firm(
            uscc=self.new_uscc(start_year),
            name=make_name(rng, industry.words, joint_stock=listed or rng.random() < 0.06, taken=self.names),
            industry=industry,
            start_year=start_year,
            land_mu=land_mu,
            efficiency=efficiency,
            trend=rng.gauss(0.04, 0.06),
            tax_factor=rng.lognormvariate(0.0, 0.35),
            va_factor=rng.lognormvariate(0.0, 0.15),
            energy_factor=rng.lognormvariate(0.0, 0.4),
            employee_factor=rng.lognormvariate(0.0, 0.3),
            fuel_mix=tuple(m / total for m in mix),
            rd_mode=rd_mode,
            rd_intensity=rd_intensity,
            reports_energy=rng.random() < 0.45,
            refund_prone=rng.random() < 0.04,
            high_tech=high_tech,
            zjtx_level=zjtx,
            listed=listed,
        )
        return firm

    def first_start_year(self, year: int) -> int:
        """Production start of a firm present in the first year: ~7% in its first three years (exempt)."""
        rng = self.rng
        if rng.random() < 0.07:
            return year - rng.randrange(3)
        return max(1995, year - 3 - int(rng.expovariate(1 / 8.0)))

    # -- one year ----------------------------------------------------------------------------------

    def advance(self, firm: _Firm) -> None:
        """A year passes: growth or decline, sometimes more land, certificates gained or lost."""
        rng = self.rng
        firm.level *= math.exp(firm.trend + rng.gauss(0.0, 0.07))
        if rng.random() < 0.04:
            firm.land_mu = min(firm.land_mu * rng.uniform(1.2, 1.6), 400.0)
        if not firm.high_tech and rng.random() < 0.04 * firm.industry.tech:
            firm.high_tech = True
        elif firm.high_tech and rng.random() < 0.04:
            firm.high_tech = False  # certificate lapsed (valid for three years)
        if firm.zjtx_level == "province" and rng.random() < 0.1:
            firm.zjtx_level = "national"

    def row(self, firm: _Firm, year: int) -> dict[str, object]:
        """The canonical figures of ``firm`` in ``year`` (units of the field registry)."""
        rng = self.rng
        ind = firm.industry
        age = year - firm.start_year
        ramp = 0.35 if age <= 0 else 0.7 if age == 1 else 1.0
        revenue_raw = firm.land_mu * ind.revenue_per_mu * firm.efficiency * firm.level * ramp
        revenue = quantise("revenue", max(revenue_raw * rng.gauss(1.0, 0.05), 20.0))
        above = revenue >= ABOVE_SCALE_REVENUE

        if (firm.refund_prone or age <= 0) and rng.random() < 0.5:
            tax_raw = -revenue * rng.uniform(0.005, 0.03)  # VAT credit refunds (留抵退税) after big purchases
        else:
            tax_raw = revenue * ind.tax_rate * firm.tax_factor * max(rng.gauss(1.0, 0.12), 0.3)
        tax = quantise("tax", tax_raw)

        value_added: float | None = None
        if above:
            if rng.random() < 0.015:
                value_added = quantise("value_added", -revenue * rng.uniform(0.01, 0.05))
            else:
                share = min(ind.va_share * firm.va_factor * rng.gauss(1.0, 0.05), 0.6)
                value_added = quantise("value_added", revenue * share)

        rd: float | None
        if firm.rd_mode == "missing" or (not above and firm.rd_mode == "zero" and rng.random() < 0.5):
            rd = None
        elif firm.rd_mode == "zero":
            rd = 0.0
        else:
            rd = quantise("rd_expense", revenue * firm.rd_intensity * rng.uniform(0.85, 1.15))

        employees = float(max(8, round(revenue / ind.revenue_per_employee * firm.employee_factor)))

        energy_raw = revenue * ind.energy_intensity * firm.energy_factor * rng.uniform(0.92, 1.08)
        fuels: dict[str, float | None] = {}
        for key, share in zip(FUELS, firm.fuel_mix, strict=True):
            # Below-scale firms report no energy survey: only the power company knows their use.
            if share <= 0 or (not above and key != "electricity_10k_kwh"):
                fuels[key] = None
                continue
            quantity = energy_raw * (share if above else 1.0) / self.coefficients.fuels[key].tce
            minimum = 0.1 if key == "electricity_10k_kwh" else 0.0  # every plant has lights and offices
            fuels[key] = quantise(key, max(quantity, minimum))
        breakdown_tce = sum(q * self.coefficients.fuels[k].tce for k, q in fuels.items() if q is not None)
        breakdown_co2 = sum(q * self.coefficients.fuels[k].co2_t for k, q in fuels.items() if q is not None)
        energy_tce: float | None = None
        co2_t: float | None = None
        if above and (firm.reports_energy or fuels["raw_coal_t"] is not None):
            # The statistics energy report also counts fuels outside the breakdown (lubricants, etc.).
            energy_tce = quantise("energy_tce", breakdown_tce * rng.uniform(1.0, 1.04))
            if energy_tce >= 5000:
                co2_t = quantise("co2_t", breakdown_co2 * rng.uniform(0.98, 1.02))

        safety = rng.random() < 0.011
        env = rng.random() < 0.009
        row: dict[str, object] = {
            "uscc": firm.uscc,
            "name": firm.name,
            "industry_code": ind.code,
            "above_scale": above,
            "land_area_mu": quantise("land_area_mu", firm.land_mu),
            "revenue": revenue,
            "tax": tax,
            "value_added": value_added,
            "rd_expense": rd,
            "employees": employees,
            "energy_tce": energy_tce,
            "co2_t": co2_t,
            **fuels,
            "high_tech": firm.high_tech,
            "zjtx_level": firm.zjtx_level if above else None,
            "listed": firm.listed,
            "major_safety_accident": safety,
            "major_env_violation": env,
            "production_start_year": firm.start_year,
        }
        if rng.random() < 0.03:
            row[rng.choice(MISSING_CANDIDATES)] = None  # a department left a figure out
        return row


def _bounded_lognormal(rng: random.Random, mu: float, sigma: float, low: float, high: float) -> float:
    """A log-normal draw inside [low, high] by rejection, so the bounds get no spikes."""
    while True:
        value = rng.lognormvariate(mu, sigma)
        if low <= value <= high:
            return value


def generate_zone(enterprises: int = 300, *, seed: int = 1, years: Sequence[int] = (2025,)) -> dict[int, pl.DataFrame]:
    """The demo zone as one canonical frame per year (columns of the field registry, canonical units).

    ``enterprises`` firms report in the first year; each later year about 3%
    leave (weak ones more often) and about 4% new plants arrive (production
    start that year, so exempt). The same firm keeps its USCC, name, industry
    and traits across years, and its figures grow or shrink with its trend.
    Rows are sorted by USCC. The same arguments always give the same frames.
    """
    if enterprises < 1:
        raise ValueError("enterprises must be at least 1")
    ordered = sorted(set(years))
    if not ordered:
        raise ValueError("years must not be empty")
    builder = _ZoneBuilder(seed, load_coefficients())
    active = [builder.new_firm(builder.first_start_year(ordered[0])) for _ in range(enterprises)]
    frames: dict[int, pl.DataFrame] = {}
    previous: int | None = None
    for year in ordered:
        if previous is not None:
            for _ in range(year - previous):
                for firm in active:
                    builder.advance(firm)
            leaving = 0.03 * (year - previous)
            active = [f for f in active if builder.rng.random() >= leaving * (2.0 if f.efficiency < 0.5 else 0.7)]
            arrivals = max(1, round(enterprises * 0.04 * (year - previous)))
            active += [builder.new_firm(year) for _ in range(arrivals)]
        rows = [builder.row(firm, year) for firm in active if firm.start_year <= year]
        frame = pl.DataFrame(rows, schema=canonical_schema())
        frames[year] = frame.sort("uscc")
        previous = year
    return frames
