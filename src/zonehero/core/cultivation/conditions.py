"""Metrics a tier condition may test, and the vectorised test itself (条件判定).

A condition's outcome is one of three words, never a guess:
``met`` (满足), ``not_met`` (不满足) or ``unknown`` (未知: the figure is
missing, so the condition is reported as unknown and never assumed true).

Comparisons allow a relative tolerance of 1e-9 so that a figure exactly on a
threshold (8,000 against 80% of 10,000; 10% growth computed as 11/10 − 1)
counts as reaching it despite binary floating point.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import polars as pl

MetricKind = Literal["number", "bool"]
Outcome = Literal["met", "not_met", "unknown"]

OUTCOME_LABELS: dict[str, str] = {"met": "满足", "not_met": "不满足", "unknown": "未知"}
OPERATORS: tuple[str, ...] = (">=", ">", "<=", "<", "==")
RELATIVE_TOLERANCE = 1e-9

SME_MAX_EMPLOYEES = 1000
SME_MAX_REVENUE = 40000.0
"""工业企业中小微型划型上限（《中小企业划型标准规定》工信部联企业〔2011〕300号）：
从业人员 1000 人以下或营业收入 40000 万元以下。"""

WORKING_COLUMNS: dict[str, pl.DataType] = {
    "revenue": pl.Float64(),
    "prev_revenue": pl.Float64(),
    "rd_expense": pl.Float64(),
    "employees": pl.Float64(),
    "invention_patents": pl.Float64(),
    "high_tech": pl.Boolean(),
    "champion_candidate": pl.Boolean(),
}
"""Input columns the metrics read; absent ones are added as all-null (so their conditions are unknown)."""


@dataclass(frozen=True)
class Metric:
    """A figure a condition can test: label and unit for the reasons, and how to compute it."""

    key: str
    label: str
    kind: MetricKind
    unit: str = ""
    percent: bool = False
    """Shown as a percentage (the value is a fraction, 0.03 = 3%)."""

    def expr(self) -> pl.Expr:
        """The metric per enterprise over a frame with :data:`WORKING_COLUMNS`; null when unknown."""
        return _EXPRESSIONS[self.key]()


def _rd_intensity() -> pl.Expr:
    revenue = pl.col("revenue")
    return pl.when(revenue > 0).then(pl.col("rd_expense") / revenue)


def _revenue_growth() -> pl.Expr:
    previous = pl.col("prev_revenue")
    return pl.when(previous > 0).then(pl.col("revenue") / previous - 1.0)


def _sme() -> pl.Expr:
    # Either figure below its limit makes it an SME; both known and both above makes it not one;
    # otherwise (one missing, the other above) we cannot tell.
    small_staff = pl.col("employees") < SME_MAX_EMPLOYEES
    small_revenue = pl.col("revenue") < SME_MAX_REVENUE
    return (
        pl.when(small_staff.fill_null(False) | small_revenue.fill_null(False))
        .then(pl.lit(True))
        .when(small_staff.is_not_null() & small_revenue.is_not_null())
        .then(pl.lit(False))
    )


_EXPRESSIONS = {
    "revenue": lambda: pl.col("revenue"),
    "rd_expense": lambda: pl.col("rd_expense"),
    "rd_intensity": _rd_intensity,
    "revenue_growth": _revenue_growth,
    "employees": lambda: pl.col("employees"),
    "invention_patents": lambda: pl.col("invention_patents"),
    "high_tech": lambda: pl.col("high_tech"),
    "sme": _sme,
    "champion_candidate": lambda: pl.col("champion_candidate"),
}

METRICS: dict[str, Metric] = {
    m.key: m
    for m in (
        Metric("revenue", "营业收入", "number", "万元"),
        Metric("rd_expense", "研发经费支出", "number", "万元"),
        Metric("rd_intensity", "研发投入强度", "number", percent=True),
        Metric("revenue_growth", "营业收入增长率", "number", percent=True),
        Metric("employees", "年平均职工人数", "number", "人"),
        Metric("invention_patents", "发明专利数", "number", "件"),
        Metric("high_tech", "高新技术企业", "bool"),
        Metric("sme", "中小企业（工业划型）", "bool"),
        Metric("champion_candidate", "单项冠军申报标记", "bool"),
    )
}


@dataclass(frozen=True)
class Condition:
    """One published (or approximated) condition: ``metric op value``, with the note that says which."""

    metric: str
    op: str
    value: float | bool
    note: str = ""

    @property
    def text(self) -> str:
        """The condition as a reader sees it, e.g. ``研发投入强度 ≥ 3%``."""
        m = METRICS[self.metric]
        if m.kind == "bool":
            return m.label if self.value else f"非{m.label}"
        symbol = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "==": "="}[self.op]
        return f"{m.label} {symbol} {format_value(float(self.value), m)}"


def format_value(value: float, metric: Metric) -> str:
    """A threshold as written in a reason: 3%, 1,000 万元, 2 件."""
    if metric.percent:
        return f"{value * 100:g}%"
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{text} {metric.unit}".strip()


def compare(value: pl.Expr, op: str, threshold: float | pl.Expr) -> pl.Expr:
    """``value op threshold`` with a relative tolerance for the equality edge (see module doc)."""
    if isinstance(threshold, pl.Expr):
        slack: float | pl.Expr = threshold.abs() * RELATIVE_TOLERANCE
    else:
        slack = abs(threshold) * RELATIVE_TOLERANCE
    if op == ">=":
        return value >= threshold - slack
    if op == ">":
        return value > threshold + slack
    if op == "<=":
        return value <= threshold + slack
    if op == "<":
        return value < threshold - slack
    if op == "==":
        return (value - threshold).abs() <= slack
    raise ValueError(f"unknown operator {op!r}")


def outcome(condition: Condition) -> pl.Expr:
    """``met`` / ``not_met`` / ``unknown`` per enterprise for one condition."""
    metric = METRICS[condition.metric]
    value = metric.expr()
    if metric.kind == "bool":
        test = value == pl.lit(bool(condition.value))
    else:
        test = compare(value, condition.op, float(condition.value))
    return pl.when(value.is_null()).then(pl.lit("unknown")).when(test).then(pl.lit("met")).otherwise(pl.lit("not_met"))


def number_text(value: pl.Expr) -> pl.Expr:
    """A figure as text, rounded to two decimals without a trailing ``.0`` (8000, 3.33)."""
    return value.round(2).cast(pl.String).str.replace(r"\.0$", "")


def shown_value(metric: Metric) -> pl.Expr:
    """The enterprise's figure as text for a reason; ``缺少数据`` when missing."""
    value = metric.expr()
    if metric.kind == "bool":
        text = pl.when(value).then(pl.lit("是")).otherwise(pl.lit("否"))
    elif metric.percent:
        text = number_text(value * 100) + pl.lit("%")
    else:
        text = number_text(value) + pl.lit(f" {metric.unit}".rstrip())
    return pl.when(value.is_null()).then(pl.lit("缺少数据")).otherwise(text)


def reason(condition: Condition, result: pl.Expr) -> pl.Expr:
    """``研发投入强度 ≥ 3%：满足（3.5%）`` per enterprise, from an outcome column."""
    label = pl.lit(f"{condition.text}：")
    word = result.replace_strict(OUTCOME_LABELS, return_dtype=pl.String)
    return pl.concat_str([label, word, pl.lit("（"), shown_value(METRICS[condition.metric]), pl.lit("）")])
