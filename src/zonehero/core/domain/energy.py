"""Energy (tce) and CO2 from the fuel breakdown (spec evaluation.md §3).

The coefficients are data (``zonehero/data/energy_coefficients.toml``), each
with its source, so a zone can audit or replace them. The computation is a
Polars expression so the engine stays vectorised.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import polars as pl

from zonehero.core.domain.fields import ENERGY_BREAKDOWN_KEYS


@dataclass(frozen=True)
class FuelCoefficient:
    """Per-unit factors of one fuel, with where they come from."""

    key: str
    label: str
    unit: str
    tce: float
    co2_t: float
    tce_source: str
    co2_source: str


@dataclass(frozen=True)
class CoefficientTable:
    """A versioned set of fuel coefficients."""

    version: str
    fuels: dict[str, FuelCoefficient]


def load_coefficients(path: Path | None = None) -> CoefficientTable:
    """Read a coefficient table; the packaged default when ``path`` is None."""
    if path is None:
        text = resources.files("zonehero.data").joinpath("energy_coefficients.toml").read_text("utf-8")
    else:
        text = path.read_text("utf-8")
    raw = tomllib.loads(text)
    fuels = {
        key: FuelCoefficient(
            key=key,
            label=str(v["label"]),
            unit=str(v["unit"]),
            tce=float(v["tce"]),
            co2_t=float(v["co2_t"]),
            tce_source=str(v.get("tce_source", "")),
            co2_source=str(v.get("co2_source", "")),
        )
        for key, v in raw["fuels"].items()
    }
    unknown = set(fuels) - set(ENERGY_BREAKDOWN_KEYS)
    if unknown:
        raise ValueError(f"unknown fuel keys in coefficient table: {sorted(unknown)}")
    return CoefficientTable(version=str(raw.get("version", "")), fuels=fuels)


def breakdown_expr(columns: list[str] | tuple[str, ...], table: CoefficientTable, target: str) -> pl.Expr:
    """Σ quantity × coefficient over the breakdown columns present in the frame.

    ``target`` is ``"tce"`` or ``"co2_t"``. Null quantities count 0, but when
    every breakdown column of a row is null the result is null (no data is
    not zero energy).
    """
    present = [c for c in ENERGY_BREAKDOWN_KEYS if c in columns and c in table.fuels]
    if not present:
        return pl.lit(None, dtype=pl.Float64)
    terms = [pl.col(c).cast(pl.Float64).fill_null(0.0) * getattr(table.fuels[c], target) for c in present]
    any_present = pl.any_horizontal([pl.col(c).is_not_null() for c in present])
    return pl.when(any_present).then(pl.sum_horizontal(terms)).otherwise(None)
