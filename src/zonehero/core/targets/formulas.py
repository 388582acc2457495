"""Actual figures computed from a canonical enterprise frame where a formula exists (可自动计算的指标).

Each formula reads one year's canonical frame (``zonehero.core.domain.fields``
columns, money in 万元). Sums skip missing figures and report how many
enterprises were missing, so a user sees when a total is incomplete; a sum
over no figure at all is None, never 0.

- ``total_tax`` 税收总额 = Σ tax
- ``value_added`` 工业增加值 = Σ value_added
- ``value_added_growth`` 工业增加值增速 = Σ value_added / Σ previous-year
  value_added − 1, both sums over the enterprises reporting it in both years
  (a like-for-like set; nominal, no price deflator — the statistics bureau's
  comparable-price growth will differ)
- ``above_scale_count`` 规上工业企业数 = count of above_scale
- ``above_scale_revenue`` 规上企业营业收入 = Σ revenue where above_scale
- ``investment_completed`` 固定资产投资完成额: not derivable from enterprise
  figures; passed in as a number (the project module provides it).
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from zonehero.core.targets.model import Actual, Period


@dataclass(frozen=True)
class FormulaInfo:
    """What a formula computes: label, unit and the kind of goal it serves."""

    key: str
    label: str
    unit: str
    kind: str


FORMULAS: dict[str, FormulaInfo] = {
    f.key: f
    for f in (
        FormulaInfo("total_tax", "税收总额", "万元", "cumulative"),
        FormulaInfo("value_added", "工业增加值", "万元", "cumulative"),
        FormulaInfo("value_added_growth", "工业增加值增速", "%", "level"),
        FormulaInfo("above_scale_count", "规上工业企业数", "家", "level"),
        FormulaInfo("above_scale_revenue", "规上企业营业收入", "万元", "cumulative"),
        FormulaInfo("investment_completed", "固定资产投资完成额", "万元", "cumulative"),
    )
}


@dataclass(frozen=True)
class Computed:
    """One computed figure and how complete its inputs were."""

    key: str
    value: float | None
    counted: int
    """Enterprises whose figure entered the result."""
    missing: int
    """Enterprises in scope whose figure was missing."""

    @property
    def info(self) -> FormulaInfo:
        """Label and unit of the formula."""
        return FORMULAS[self.key]


def _sum(frame: pl.DataFrame, column: str, key: str, scope: pl.Expr | None = None) -> Computed:
    if column not in frame.columns:
        return Computed(key, None, 0, frame.height)
    part = frame.filter(scope) if scope is not None else frame
    values = part[column].cast(pl.Float64)
    counted = values.len() - values.null_count()
    return Computed(key, float(values.sum()) if counted else None, counted, values.null_count())


def _above(frame: pl.DataFrame) -> pl.Expr:
    return pl.col("above_scale").fill_null(False)


def value_added_growth(frame: pl.DataFrame, previous: pl.DataFrame) -> Computed:
    """Like-for-like nominal growth of Σ value_added, as a percentage (8.0 = 8%)."""
    if "value_added" not in frame.columns or "value_added" not in previous.columns:
        return Computed("value_added_growth", None, 0, frame.height)
    both = frame.select("uscc", pl.col("value_added").cast(pl.Float64).alias("now")).join(
        previous.select("uscc", pl.col("value_added").cast(pl.Float64).alias("before")), on="uscc", how="left"
    )
    paired = both.filter(pl.col("now").is_not_null() & pl.col("before").is_not_null())
    before = float(paired["before"].sum())
    value = (float(paired["now"].sum()) / before - 1) * 100 if paired.height and before > 0 else None
    return Computed("value_added_growth", value, paired.height, both.height - paired.height)


def compute_figures(
    frame: pl.DataFrame,
    *,
    previous: pl.DataFrame | None = None,
    investment_completed: float | None = None,
) -> dict[str, Computed]:
    """Every formula that the inputs allow, keyed by formula key (growth needs ``previous``)."""
    out = {
        "total_tax": _sum(frame, "tax", "total_tax"),
        "value_added": _sum(frame, "value_added", "value_added"),
    }
    if "above_scale" in frame.columns:
        out["above_scale_count"] = Computed(
            "above_scale_count", float(frame.filter(_above(frame)).height), frame.height, 0
        )
        out["above_scale_revenue"] = _sum(frame, "revenue", "above_scale_revenue", _above(frame))
    if previous is not None:
        out["value_added_growth"] = value_added_growth(frame, previous)
    if investment_completed is not None:
        out["investment_completed"] = Computed("investment_completed", float(investment_completed), 0, 0)
    return out


def computed_actuals(
    frame: pl.DataFrame,
    period: Period,
    *,
    previous: pl.DataFrame | None = None,
    investment_completed: float | None = None,
) -> list[Actual]:
    """The computable figures as actuals for ``period`` (the frame holds year-to-date figures of it).

    Figures that could not be computed (no input at all) are left out rather than reported as 0.
    """
    figures = compute_figures(frame, previous=previous, investment_completed=investment_completed)
    return [
        Actual(key, period, c.value, source="manual" if key == "investment_completed" else f"formula:{key}")
        for key, c in figures.items()
        if c.value is not None
    ]
