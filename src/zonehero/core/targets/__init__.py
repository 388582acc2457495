"""Zone targets (目标管理): yearly goals, actuals per month or quarter, progress and warnings.

A pure core: values in, values out; no database, web or CLI imports.
"""

from __future__ import annotations

from zonehero.core.targets.formulas import FORMULAS, Computed, FormulaInfo, compute_figures, computed_actuals
from zonehero.core.targets.model import Actual, Direction, Goal, GoalKind, Period
from zonehero.core.targets.progress import (
    DEFAULT_THRESHOLDS,
    STATUS_LABELS,
    Progress,
    Thresholds,
    assess,
    expected_at,
    off_course,
    progress,
    shortfall,
)

__all__ = [
    "DEFAULT_THRESHOLDS",
    "FORMULAS",
    "STATUS_LABELS",
    "Actual",
    "Computed",
    "Direction",
    "FormulaInfo",
    "Goal",
    "GoalKind",
    "Period",
    "Progress",
    "Thresholds",
    "assess",
    "compute_figures",
    "computed_actuals",
    "expected_at",
    "off_course",
    "progress",
    "shortfall",
]
