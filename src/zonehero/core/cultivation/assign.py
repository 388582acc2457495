"""Tier per enterprise, candidates for the next tier, and movers since last year (vectorised Polars).

Input is a canonical enterprise frame of one year (columns of
``zonehero.core.domain.fields``: uscc, name, revenue 万元, rd_expense, employees,
high_tech, zjtx_level …) plus two optional columns the registry does not
carry: ``quality_tier`` (an explicit 质量梯度 such as 创新型中小企业 or
单项冠军) and ``invention_patents`` (发明专利数), and the flag
``champion_candidate`` (单项冠军申报标记). Absent columns make the
conditions that need them *unknown*, never met.

Scale tier (规模梯度): the highest tier whose revenue floor the enterprise
reaches; unknown without revenue. Candidate for the next scale tier:
revenue >= share × next floor AND growth vs previous-year revenue >= the
growth bar; with no previous-year revenue the growth is unknown and the
enterprise is not a candidate (status ``unknown``, said in the reasons).

Quality tier (质量梯度): the higher of the explicit ``quality_tier`` and the
tier its ``zjtx_level`` maps to; rank 0 (未入库) without either. Candidate
for the next quality tier when every condition of that tier is met; any
unknown condition makes the status ``unknown``; a tier marked ``review``
(单项冠军) yields status ``review`` (需人工核实) instead of ``candidate``.
"""

from __future__ import annotations

import polars as pl

from zonehero.core.cultivation.conditions import (
    METRICS,
    OUTCOME_LABELS,
    WORKING_COLUMNS,
    Condition,
    compare,
    number_text,
    outcome,
    reason,
    shown_value,
)
from zonehero.core.cultivation.tiers import TierDefinitions, default_tiers
from zonehero.errors import InputError, InputProblem

STATUS_LABELS: dict[str, str] = {
    "candidate": "候选",
    "review": "候选（需人工核实）",
    "unknown": "数据不全，无法判断",
    "not_met": "未达条件",
    "top": "已在最高档",
    "no_tier": "档位未知",
}
CANDIDATE_STATUSES: tuple[str, ...] = ("candidate", "review")
NO_QUALITY_TIER = ("none", "未入库")
"""Rank 0 of the quality ladder: no recognised quality tier yet."""


def _check_input(frame: pl.DataFrame, what: str) -> None:
    if "uscc" not in frame.columns:
        raise InputError(InputProblem(f"{what}缺少「统一社会信用代码」(uscc) 列", column="uscc"))
    duplicated = frame.filter(pl.col("uscc").is_duplicated())["uscc"].unique().sort().to_list()
    if duplicated:
        raise InputError(
            [InputProblem(f"{what}中统一社会信用代码 {code} 出现多次", column="uscc") for code in duplicated]
        )


def _working(frame: pl.DataFrame, previous: pl.DataFrame | None) -> pl.DataFrame:
    """uscc, name, the metric inputs with fixed dtypes (absent → null), zjtx_level, quality_tier, prev_revenue."""
    columns: list[pl.Expr] = [pl.col("uscc").cast(pl.String)]
    columns.append(pl.col("name").cast(pl.String) if "name" in frame.columns else pl.lit(None, pl.String).alias("name"))
    for key, dtype in WORKING_COLUMNS.items():
        if key == "prev_revenue":
            continue
        columns.append(pl.col(key).cast(dtype) if key in frame.columns else pl.lit(None, dtype).alias(key))
    for key in ("zjtx_level", "quality_tier"):
        columns.append(pl.col(key).cast(pl.String) if key in frame.columns else pl.lit(None, pl.String).alias(key))
    work = frame.select(columns)
    if previous is None or "revenue" not in previous.columns:
        return work.with_columns(pl.lit(None, pl.Float64).alias("prev_revenue"))
    prev = previous.select(pl.col("uscc").cast(pl.String), pl.col("revenue").cast(pl.Float64).alias("prev_revenue"))
    return work.join(prev, on="uscc", how="left")


def _quality_rank_from_column(work: pl.DataFrame, definitions: TierDefinitions) -> pl.Expr:
    """Rank stated in ``quality_tier``; InputError naming every value that is not a known tier."""
    accepted = definitions.quality_by_value()
    stated = pl.col("quality_tier").str.strip_chars()
    values = work.select(stated.alias("v")).filter(pl.col("v").is_not_null() & (pl.col("v") != ""))["v"]
    bad = sorted(set(values.to_list()) - set(accepted))
    if bad:
        names = "、".join(t.label for t in definitions.quality)
        raise InputError(
            [InputProblem(f"「{v}」不是已知的质量梯度；可用：{names}", column="quality_tier") for v in bad]
        )
    return stated.replace_strict(accepted, default=None, return_dtype=pl.Int32)


def _zjtx_rank(definitions: TierDefinitions) -> pl.Expr:
    ranks: dict[str, int] = {}
    for rank, tier in enumerate(definitions.quality, start=1):
        for level in tier.zjtx_levels:
            ranks[level] = max(rank, ranks.get(level, 0))
    return pl.col("zjtx_level").replace_strict(ranks, default=None, return_dtype=pl.Int32)


def _scale_columns(definitions: TierDefinitions) -> list[pl.Expr]:
    tiers = definitions.scale
    revenue = pl.col("revenue")
    reached = pl.sum_horizontal([compare(revenue, ">=", t.min_revenue).cast(pl.Int32) for t in tiers])
    rank = pl.when(revenue.is_null()).then(None).otherwise(pl.max_horizontal(reached - 1, pl.lit(0))).cast(pl.Int32)
    return [rank.alias("scale_rank")]


def _scale_candidacy(definitions: TierDefinitions) -> list[pl.Expr]:
    tiers = definitions.scale
    share, growth = definitions.candidate_revenue_share, definitions.candidate_growth
    rank = pl.col("scale_rank")
    # rank i -> the floor and label of tier i + 1; the top tier has no next one (null).
    next_floor = rank.replace_strict(
        {i: t.min_revenue for i, t in enumerate(tiers[1:])}, default=None, return_dtype=pl.Float64
    )
    next_label = rank.replace_strict(
        {i: t.label for i, t in enumerate(tiers[1:])}, default=None, return_dtype=pl.String
    )
    bar = next_floor * share
    revenue_ok = compare(pl.col("revenue"), ">=", bar)
    growth_value = METRICS["revenue_growth"].expr()
    growth_outcome = (
        pl.when(growth_value.is_null())
        .then(pl.lit("unknown"))
        .when(compare(growth_value, ">=", growth))
        .then(pl.lit("met"))
        .otherwise(pl.lit("not_met"))
    )
    status = (
        pl.when(rank.is_null())
        .then(pl.lit("no_tier"))
        .when(next_floor.is_null())
        .then(pl.lit("top"))
        .when(~revenue_ok | (growth_outcome == "not_met"))
        .then(pl.lit("not_met"))
        .when(growth_outcome == "unknown")
        .then(pl.lit("unknown"))
        .otherwise(pl.lit("candidate"))
    )
    revenue_reason = pl.concat_str(
        [
            pl.lit("营业收入 ≥ "),
            number_text(bar),
            pl.lit(" 万元（「"),
            next_label,
            pl.lit(f"」门槛的 {share * 100:g}%）："),
            pl.when(revenue_ok).then(pl.lit("满足")).otherwise(pl.lit("不满足")),
            pl.lit("（"),
            shown_value(METRICS["revenue"]),
            pl.lit("）"),
        ]
    )
    growth_reason = pl.concat_str(
        [
            pl.lit(f"营业收入增长率 ≥ {growth * 100:g}%："),
            growth_outcome.replace_strict(OUTCOME_LABELS, return_dtype=pl.String),
            pl.lit("（"),
            pl.when(pl.col("prev_revenue").is_null())
            .then(pl.lit("缺少上年营业收入，增长率未知"))
            .when(pl.col("prev_revenue") <= 0)
            .then(pl.lit("上年营业收入不为正，增长率无法计算"))
            .otherwise(shown_value(METRICS["revenue_growth"])),
            pl.lit("）"),
        ]
    )
    reasons = (
        pl.when(rank.is_null())
        .then(pl.lit("缺少营业收入，无法确定规模档位"))
        .when(next_floor.is_null())
        .then(pl.lit("已在最高档"))
        .otherwise(pl.concat_str([revenue_reason, growth_reason], separator="；"))
    )
    return [
        rank.replace_strict({i: t.key for i, t in enumerate(tiers[1:])}, default=None, return_dtype=pl.String).alias(
            "scale_next_tier"
        ),
        status.alias("scale_status"),
        reasons.alias("scale_reasons"),
    ]


def _tier_status(conditions: tuple[Condition, ...], review: bool) -> tuple[pl.Expr, pl.Expr]:
    outcomes = [outcome(c) for c in conditions]
    any_not_met = pl.any_horizontal([o == "not_met" for o in outcomes])
    any_unknown = pl.any_horizontal([o == "unknown" for o in outcomes])
    status = (
        pl.when(any_not_met)
        .then(pl.lit("not_met"))
        .when(any_unknown)
        .then(pl.lit("unknown"))
        .otherwise(pl.lit("review" if review else "candidate"))
    )
    reasons = pl.concat_str([reason(c, o) for c, o in zip(conditions, outcomes, strict=True)], separator="；")
    return status, reasons


def _quality_candidacy(definitions: TierDefinitions) -> list[pl.Expr]:
    tiers = definitions.quality
    nxt = pl.col("quality_rank") + 1
    status: pl.Expr = pl.lit("top")
    reasons: pl.Expr = pl.lit("已在最高档")
    # Folded from the top down so the expression reads "when next is tier k then its status".
    for rank in range(len(tiers), 0, -1):
        tier = tiers[rank - 1]
        s, r = _tier_status(tier.conditions, tier.review)
        status = pl.when(nxt == rank).then(s).otherwise(status)
        reasons = pl.when(nxt == rank).then(r).otherwise(reasons)
    next_key = nxt.replace_strict(
        {i: t.key for i, t in enumerate(tiers, start=1)}, default=None, return_dtype=pl.String
    )
    return [next_key.alias("quality_next_tier"), status.alias("quality_status"), reasons.alias("quality_reasons")]


def assign_tiers(
    frame: pl.DataFrame, definitions: TierDefinitions | None = None, *, previous: pl.DataFrame | None = None
) -> pl.DataFrame:
    """One row per enterprise of ``frame``: tiers, next tier, candidacy status and reasons.

    ``previous`` is the previous year's canonical frame (for revenue growth);
    without it every growth condition is unknown. Columns: uscc, name,
    revenue, prev_revenue, revenue_growth, rd_intensity, invention_patents,
    scale_rank, scale_tier, scale_tier_label, scale_next_tier, scale_status,
    scale_candidate, scale_reasons, quality_rank, quality_tier,
    quality_tier_label, quality_next_tier, quality_status, quality_candidate,
    quality_reasons. Raises InputError for a missing/duplicated uscc or an
    unknown ``quality_tier`` value.
    """
    definitions = definitions or default_tiers()
    _check_input(frame, "当年数据")
    if previous is not None:
        _check_input(previous, "上年数据")
    work = _working(frame, previous)
    explicit = _quality_rank_from_column(work, definitions)
    quality_rank = pl.max_horizontal(explicit, _zjtx_rank(definitions)).fill_null(0).cast(pl.Int32)
    scale_keys = {i: t.key for i, t in enumerate(definitions.scale)}
    scale_labels = {i: t.label for i, t in enumerate(definitions.scale)}
    quality_keys = {0: NO_QUALITY_TIER[0]} | {i: t.key for i, t in enumerate(definitions.quality, start=1)}
    quality_labels = {0: NO_QUALITY_TIER[1]} | {i: t.label for i, t in enumerate(definitions.quality, start=1)}
    out = (
        work.with_columns(*_scale_columns(definitions), quality_rank.alias("quality_rank"))
        .with_columns(*_scale_candidacy(definitions), *_quality_candidacy(definitions))
        .with_columns(
            pl.col("scale_rank").replace_strict(scale_keys, default=None, return_dtype=pl.String).alias("scale_tier"),
            pl.col("scale_rank")
            .replace_strict(scale_labels, default=None, return_dtype=pl.String)
            .alias("scale_tier_label"),
            pl.col("quality_rank").replace_strict(quality_keys, return_dtype=pl.String).alias("quality_tier"),
            pl.col("quality_rank").replace_strict(quality_labels, return_dtype=pl.String).alias("quality_tier_label"),
            pl.col("scale_status").is_in(CANDIDATE_STATUSES).alias("scale_candidate"),
            pl.col("quality_status").is_in(CANDIDATE_STATUSES).alias("quality_candidate"),
            METRICS["revenue_growth"].expr().alias("revenue_growth"),
            METRICS["rd_intensity"].expr().alias("rd_intensity"),
        )
    )
    return out.select(
        "uscc",
        "name",
        "revenue",
        "prev_revenue",
        "revenue_growth",
        "rd_intensity",
        "invention_patents",
        "scale_rank",
        "scale_tier",
        "scale_tier_label",
        "scale_next_tier",
        "scale_status",
        "scale_candidate",
        "scale_reasons",
        "quality_rank",
        "quality_tier",
        "quality_tier_label",
        "quality_next_tier",
        "quality_status",
        "quality_candidate",
        "quality_reasons",
    )
