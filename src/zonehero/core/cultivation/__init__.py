"""梯度培育 (cultivation tiers): scale and quality ladders, candidates for the next tier, movers.

A pure core: canonical enterprise frames in, frames out; no database, web or
CLI imports. Tier definitions are data (``zonehero/data/cultivation.toml``).
"""

from __future__ import annotations

from zonehero.core.cultivation.assign import CANDIDATE_STATUSES, STATUS_LABELS, assign_tiers
from zonehero.core.cultivation.conditions import METRICS, Condition, Metric
from zonehero.core.cultivation.result import CultivationResult, cultivate, movers, pool_sizes
from zonehero.core.cultivation.tiers import (
    QualityTier,
    ScaleTier,
    TierDefinitions,
    default_tiers,
    default_tiers_text,
    load_tiers,
    parse_tiers,
)

__all__ = [
    "CANDIDATE_STATUSES",
    "METRICS",
    "STATUS_LABELS",
    "Condition",
    "CultivationResult",
    "Metric",
    "QualityTier",
    "ScaleTier",
    "TierDefinitions",
    "assign_tiers",
    "cultivate",
    "default_tiers",
    "default_tiers_text",
    "load_tiers",
    "movers",
    "parse_tiers",
    "pool_sizes",
]
