"""Figures of a whole run kept beside it (运行汇总), so a page's cost does not grow with the zone.

A run's result rows are written once, when the run is made, and never change (a draft is thrown away or replaced
by a new run, never edited), so a figure computed from them stays true for the run's life. The cockpit's top
and bottom lists, its 亩均税收 histogram, the counts per status and the zone's sums (land, tax, value added, per
industry division) are computed from the result in hand when a run is made and kept in ``run_aggregates``; a run
made before one of them was kept gets it on the first request that needs it, once. A cockpit view then reads a
few small rows and twenty result rows, whatever the zone's size.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any, cast

import polars as pl

from zonehero.core.evaluation.distribution import Bin, tax_per_mu_bins
from zonehero.reports.annual_figures import EvaluationLike, zone_figures

DASHBOARD = "dashboard.v2"
"""The aggregate's name; a change to what it holds gets a new name, so kept values of the old shape are ignored."""
STATUS_COUNTS = "status_counts.v1"
"""Enterprises per group and status (``{"above": {"evaluated": 212, "vetoed": 3}, ...}``; no group is "")."""
ZONE_FIGURES = "zone_figures.v1"
"""The zone's sums over the scored enterprises (land, tax, value added) and per industry division (领导驾驶舱)."""
MAP_FIGURES = "map_figures.v1"
"""Per enterprise what the zone map (亩均一张图) colours and shows: name, class, status, 亩均税收, score."""
HISTOGRAM_INDICATOR = "tax_per_mu"
LIST_LENGTH = 10
HISTOGRAM_STATUSES = ("evaluated", "vetoed")


@dataclass(frozen=True)
class DashboardFigures:
    """The top and bottom enterprises by total score (USCCs, best first / worst first) and the histogram."""

    top: list[str]
    bottom: list[str]
    histogram: list[Bin]
    histogram_count: int

    def to_json(self) -> dict[str, Any]:
        return {
            "top": self.top,
            "bottom": self.bottom,
            "histogram": [_bin_json(b) for b in self.histogram],
            "histogram_count": self.histogram_count,
        }

    @classmethod
    def from_json(cls, value: Mapping[str, Any]) -> DashboardFigures:
        return cls(
            top=list(value["top"]),
            bottom=list(value["bottom"]),
            histogram=[_bin_of(b) for b in value["histogram"]],
            histogram_count=int(value["histogram_count"]),
        )


def _bin_json(b: Bin) -> dict[str, Any]:
    # JSON has no infinity (PostgreSQL refuses it): an unbounded edge is kept as null.
    return {k: (None if isinstance(v, float) and not math.isfinite(v) else v) for k, v in asdict(b).items()}


def _bin_of(value: Mapping[str, Any]) -> Bin:
    return Bin(
        low=-math.inf if value["low"] is None else value["low"],
        high=math.inf if value["high"] is None else value["high"],
        count=value["count"],
        open_ended=value.get("open_ended", False),
    )


def dashboard_figures(records: Iterable[Mapping[str, Any]]) -> DashboardFigures:
    """The figures from a run's records (``uscc``, ``status``, ``total_score``, ``indicators``).

    Ends: evaluated enterprises with a score, by score (ties by USCC); the bottom list starts at the lowest.
    The histogram counts the evaluated and vetoed enterprises that have a 亩均税收.
    """
    scored: list[tuple[float, str]] = []
    values: list[float] = []
    for r in records:
        score = r.get("total_score")
        if r.get("status") == "evaluated" and isinstance(score, int | float):
            scored.append((-float(score), str(r["uscc"])))
        if r.get("status") in HISTOGRAM_STATUSES:
            value = ((r.get("indicators") or {}).get(HISTOGRAM_INDICATOR) or {}).get("value")
            if isinstance(value, int | float) and not isinstance(value, bool):
                values.append(float(value))
    scored.sort()
    top = [uscc for _, uscc in scored[:LIST_LENGTH]]
    bottom = [uscc for _, uscc in reversed(scored[-LIST_LENGTH:])]
    return DashboardFigures(top=top, bottom=bottom, histogram=tax_per_mu_bins(values), histogram_count=len(values))


def narrow_records(records: pl.DataFrame, extra: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """The part of each §8 record the figures above read (uscc, group, status, total score, the histogram's
    indicator), as the records they take: a whole record per enterprise as a Python dict cost seconds at 100,000."""
    indicators = (
        pl.struct(pl.col("indicators").struct.field(HISTOGRAM_INDICATOR)).alias("indicators")
        if HISTOGRAM_INDICATOR in [f.name for f in cast(pl.Struct, records.schema["indicators"]).fields]
        else pl.lit(None).alias("indicators")
    )
    return records.select("uscc", "group", "status", "total_score", *extra, indicators).to_dicts()


def map_figures(records: pl.DataFrame | Iterable[Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """``{uscc: {"name", "class", "status", "tax_per_mu", "score"}}`` from a run's records (a frame when the run
    is made, the stored records once for a run made before it was kept)."""
    if isinstance(records, pl.DataFrame):
        records = narrow_records(records, extra=("name", "class"))
    out: dict[str, dict[str, Any]] = {}
    for r in records:
        value = ((r.get("indicators") or {}).get(HISTOGRAM_INDICATOR) or {}).get("value")
        score = r.get("total_score")
        out[str(r["uscc"])] = {
            "name": r.get("name"),
            "class": r.get("class"),
            "status": r.get("status"),
            "tax_per_mu": value if isinstance(value, int | float) and math.isfinite(value) else None,
            "score": score if isinstance(score, int | float) and math.isfinite(score) else None,
        }
    return out


def status_counts(records: Iterable[Mapping[str, Any]]) -> dict[str, dict[str, int]]:
    """Enterprises per group and status, from a run's records (the "53 / 212" of a rank needs the 212)."""
    counts: dict[str, dict[str, int]] = {}
    for r in records:
        per_group = counts.setdefault(str(r.get("group") or ""), {})
        status = str(r.get("status"))
        per_group[status] = per_group.get(status, 0) + 1
    return counts


def zone_figures_json(result: EvaluationLike) -> dict[str, Any]:
    """The zone's totals and industry divisions of a run's result (the annual report's rule), as kept JSON.

    They need the run's inputs (land, tax, value added are not in the result records), so they are computed from
    the result in hand when the run is made, not from the stored rows.
    """
    totals, divisions = zone_figures(result)
    return {
        "totals": {
            "enterprises": totals.enterprises,
            "land_mu": _finite(totals.land_mu),
            "tax": _finite(totals.tax),
            "value_added": _finite(totals.value_added),
            "tax_per_mu": _finite(totals.tax_per_mu),
            "value_added_per_mu": _finite(totals.value_added_per_mu),
        },
        "divisions": [
            {"division": d.division, "name": d.name, "scored": d.scored, "tax_per_mu": _finite(d.tax_per_mu)}
            for d in divisions
        ],
    }


def _finite(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) else None
