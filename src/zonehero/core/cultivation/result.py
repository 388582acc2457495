"""A year's cultivation picture: tiers per enterprise, pools per tier, movers since last year."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import polars as pl

from zonehero.core.cultivation.assign import NO_QUALITY_TIER, STATUS_LABELS, assign_tiers
from zonehero.core.cultivation.tiers import TierDefinitions, default_tiers

Dimension = Literal["scale", "quality"]
DIMENSION_LABELS: dict[str, str] = {"scale": "规模梯度", "quality": "质量梯度"}
DIRECTION_LABELS: dict[str, str] = {"up": "升档", "down": "降档"}

POOL_SCHEMA = pl.Schema(
    {
        "dimension": pl.String(),
        "rank": pl.Int32(),
        "tier": pl.String(),
        "label": pl.String(),
        "members": pl.UInt32(),
        "candidates": pl.UInt32(),
        "incomplete": pl.UInt32(),
    }
)
MOVER_SCHEMA = pl.Schema(
    {
        "uscc": pl.String(),
        "name": pl.String(),
        "dimension": pl.String(),
        "from_tier": pl.String(),
        "from_label": pl.String(),
        "to_tier": pl.String(),
        "to_label": pl.String(),
        "direction": pl.String(),
        "steps": pl.Int32(),
    }
)


@dataclass(frozen=True)
class CultivationResult:
    """Everything ``cultivate`` found for one year; frames are read-only by convention."""

    year: int
    definitions: TierDefinitions
    enterprises: pl.DataFrame
    """One row per enterprise (see ``assign_tiers``) plus prev_scale_tier / prev_quality_tier."""
    pools: pl.DataFrame
    """Per dimension and tier: members (now in it), candidates (for it) and incomplete (data missing to judge)."""
    movers: pl.DataFrame | None
    """Enterprises whose tier changed since the previous year; None when no previous year was given."""

    def candidates(self, dimension: Dimension, tier: str) -> pl.DataFrame:
        """The candidate pool (培育库) for ``tier``: enterprises one tier below that qualify for it."""
        return self.enterprises.filter(
            (pl.col(f"{dimension}_next_tier") == tier) & pl.col(f"{dimension}_candidate")
        ).sort("revenue", descending=True, nulls_last=True)

    def members(self, dimension: Dimension, tier: str) -> pl.DataFrame:
        """Enterprises currently in ``tier``."""
        return self.enterprises.filter(pl.col(f"{dimension}_tier") == tier).sort(
            "revenue", descending=True, nulls_last=True
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary: definitions, pools, enterprises and movers."""
        return {
            "year": self.year,
            "tiers": {"name": self.definitions.name, "version": self.definitions.version},
            "status_labels": STATUS_LABELS,
            "pools": self.pools.to_dicts(),
            "enterprises": self.enterprises.to_dicts(),
            "movers": self.movers.to_dicts() if self.movers is not None else None,
        }


def _tiers_of(definitions: TierDefinitions, dimension: Dimension) -> list[tuple[int, str, str]]:
    if dimension == "scale":
        return [(i, t.key, t.label) for i, t in enumerate(definitions.scale)]
    return [(0, *NO_QUALITY_TIER)] + [(i, t.key, t.label) for i, t in enumerate(definitions.quality, start=1)]


def pool_sizes(enterprises: pl.DataFrame, definitions: TierDefinitions) -> pl.DataFrame:
    """Counts per tier of both ladders, every tier listed even when empty (schema :data:`POOL_SCHEMA`)."""
    parts: list[pl.DataFrame] = []
    for dimension in ("scale", "quality"):
        tiers = pl.DataFrame(
            _tiers_of(definitions, dimension),
            schema={"rank": pl.Int32, "tier": pl.String, "label": pl.String},
            orient="row",
        )
        members = enterprises.group_by(pl.col(f"{dimension}_tier").alias("tier")).agg(pl.len().alias("members"))
        nexts = enterprises.group_by(pl.col(f"{dimension}_next_tier").alias("tier")).agg(
            pl.col(f"{dimension}_candidate").sum().cast(pl.UInt32).alias("candidates"),
            (pl.col(f"{dimension}_status") == "unknown").sum().cast(pl.UInt32).alias("incomplete"),
        )
        part = (
            tiers.join(members, on="tier", how="left")
            .join(nexts, on="tier", how="left")
            .with_columns(pl.lit(dimension).alias("dimension"))
        )
        parts.append(part)
    return (
        pl.concat(parts)
        .with_columns(pl.col("members", "candidates", "incomplete").fill_null(0).cast(pl.UInt32))
        .select(list(POOL_SCHEMA))
        .cast(POOL_SCHEMA)
    )


def movers(current: pl.DataFrame, previous: pl.DataFrame) -> pl.DataFrame:
    """Enterprises present in both years whose scale or quality tier changed (schema :data:`MOVER_SCHEMA`).

    Both frames are ``assign_tiers`` outputs. An enterprise with an unknown
    scale tier in either year is not a mover on that ladder (we cannot tell).
    """
    parts: list[pl.DataFrame] = []
    for dimension in ("scale", "quality"):
        rank, tier, label = f"{dimension}_rank", f"{dimension}_tier", f"{dimension}_tier_label"
        prev = previous.select(
            "uscc",
            pl.col(rank).alias("from_rank"),
            pl.col(tier).alias("from_tier"),
            pl.col(label).alias("from_label"),
        )
        joined = current.select(
            "uscc",
            "name",
            pl.col(rank).alias("to_rank"),
            pl.col(tier).alias("to_tier"),
            pl.col(label).alias("to_label"),
        ).join(prev, on="uscc", how="inner")
        changed = joined.filter(
            pl.col("from_rank").is_not_null()
            & pl.col("to_rank").is_not_null()
            & (pl.col("from_rank") != pl.col("to_rank"))
        ).with_columns(
            pl.lit(dimension).alias("dimension"),
            pl.when(pl.col("to_rank") > pl.col("from_rank"))
            .then(pl.lit("up"))
            .otherwise(pl.lit("down"))
            .alias("direction"),
            (pl.col("to_rank") - pl.col("from_rank")).cast(pl.Int32).alias("steps"),
        )
        parts.append(changed.select(list(MOVER_SCHEMA)).cast(MOVER_SCHEMA))
    return pl.concat(parts).sort("dimension", "direction", "steps", "uscc", descending=[True, True, True, False])


def cultivate(
    frame: pl.DataFrame,
    *,
    year: int,
    definitions: TierDefinitions | None = None,
    previous: pl.DataFrame | None = None,
) -> CultivationResult:
    """Tiers, pools and movers for ``year`` from its canonical frame.

    ``previous`` (the year before's canonical frame) gives revenue growth and
    the movers; tiers themselves need no history.
    """
    definitions = definitions or default_tiers()
    enterprises = assign_tiers(frame, definitions, previous=previous)
    moved: pl.DataFrame | None = None
    if previous is not None:
        last = assign_tiers(previous, definitions)
        moved = movers(enterprises, last)
        enterprises = enterprises.join(
            last.select(
                "uscc",
                pl.col("scale_tier").alias("prev_scale_tier"),
                pl.col("quality_tier").alias("prev_quality_tier"),
            ),
            on="uscc",
            how="left",
        )
    else:
        enterprises = enterprises.with_columns(
            pl.lit(None, pl.String).alias("prev_scale_tier"), pl.lit(None, pl.String).alias("prev_quality_tier")
        )
    return CultivationResult(
        year=year,
        definitions=definitions,
        enterprises=enterprises,
        pools=pool_sizes(enterprises, definitions),
        movers=moved,
    )
