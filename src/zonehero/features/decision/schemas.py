"""Requests and answers of the decision services, as the edges see them."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from zonehero.features.runs.schemas import ScoreMove


class VariantRequest(BaseModel):
    """A change to a run's scheme: only the parts given change (方案调整试算).

    ``weights`` maps ``"<group>.<indicator>"`` (e.g. ``"above.tax_per_mu"``)
    to the new weight; ``bonus`` maps a bonus item (a flag field such as
    ``high_tech``, or ``zjtx_level:national``) to its new points.
    """

    weights: dict[str, float] = Field(default_factory=dict, description="权重：分组.指标 → 新权重")
    cap: float | None = Field(default=None, description="得分比值上限")
    quotas: tuple[int, int, int] | None = Field(default=None, description="A/B/C 类累计比例（%）")
    thresholds: tuple[float, float, float] | None = Field(default=None, description="A/B/C 类分数线")
    class_mode: Literal["quota", "threshold"] | None = Field(default=None, description="分类方式")
    benchmark_mode: Literal["zone", "industry", "fixed"] | None = Field(default=None, description="基准值方式")
    bonus: dict[str, float] = Field(default_factory=dict, description="加分项 → 分值")

    def is_empty(self) -> bool:
        """True when nothing would change."""
        return (
            not any(
                (self.weights, self.cap is not None, self.quotas, self.thresholds, self.class_mode, self.benchmark_mode)
            )
            and not self.bonus
        )


class ClassChange(BaseModel):
    """One enterprise whose class differs between the draft and the variant, and why."""

    uscc: str
    name: str | None
    group: str | None
    move: str
    class_before: str | None
    class_after: str | None
    rank_before: int | None
    rank_after: int | None
    total_before: float | None
    total_after: float | None
    reasons: list[str]


class WhatIfRead(BaseModel):
    """A draft and its variant side by side."""

    run_id: int
    year: int
    scheme_changes: list[str]
    compared: int
    changed: int
    changes: list[ClassChange]
    matrices: dict[str, list[dict[str, Any]]]
    """Per group: rows ``{"class_before": "A", "A": n, "B": n, "C": n, "D": n}``."""
    counts_before: dict[str, dict[str, int]] = Field(default_factory=dict, description="草稿中各组各类企业数")
    counts_after: dict[str, dict[str, int]] = Field(default_factory=dict, description="试算中各组各类企业数")


class StabilityRow(BaseModel):
    uscc: str
    name: str | None
    group: str | None
    status: str
    class_: str | None = Field(serialization_alias="class")
    share_same_class: float
    most_frequent_other_class: str | None
    share_most_frequent_other: float | None
    fragile: bool


class RobustnessRead(BaseModel):
    """Share of weight draws in which each classed enterprise keeps its class (类别稳定性)."""

    run_id: int
    draws: int
    seed: int
    spread: float
    threshold: float
    classed: int
    fragile: int
    items: list[StabilityRow]


class LiftOptionRead(BaseModel):
    figure: str
    label: str
    direction: str
    unit: str
    current: float | None
    required: float | None
    change: float | None
    change_pct: float | None
    reachable: bool
    target_class: str
    reached_class: str | None
    verified: bool
    message: str


class LiftRead(BaseModel):
    """What alone would lift an enterprise to the next class in a run (升类路径)."""

    run_id: int
    year: int
    uscc: str
    name: str | None
    group: str | None
    status: str
    current_class: str | None
    target_class: str | None
    summary: str
    options: list[LiftOptionRead]


class EffectRow(ScoreMove):
    """One enterprise of a run before and after a correction of figures (same scheme, same everything else)."""

    status_before: str | None
    status_after: str | None


class FigureCorrection(BaseModel):
    """A figure as the run used it and as the correction would set it."""

    field: str
    before: float | bool | int | str | None
    after: float | bool | int | str | None


class CorrectionEffectRead(BaseModel):
    """What accepting a correction of one enterprise's figures does to a run: its score, rank and class, and who
    else moves (the enterprise's figures move its group's benchmarks). Computed by the real engine."""

    run_id: int
    year: int
    uscc: str
    changes: list[FigureCorrection]
    enterprise: EffectRow
    reasons: list[str]
    class_changes: list[EffectRow]
    """Other enterprises whose class would change."""
    score_changes: int
    """Other enterprises whose total score would change (their class need not)."""
