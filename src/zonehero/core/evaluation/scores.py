"""Ratios, indicator scores, bonus and total (spec §5). Nothing is rounded here.

score = weight × min(max(r, 0), cap) with r = value / B ("higher") or
B / value ("lower"). A degenerate benchmark (missing or <= 0) gives 0 to
every scored enterprise that uses it. A missing value gives 0 (policy
``zero``) or the mean score of that indicator over the group's evaluated
enterprises that have a value (policy ``group_mean``; 0 when there are none).
Vetoed enterprises are scored with bonus 0; exempt and out of scope have no score.
"""

from __future__ import annotations

import polars as pl

from zonehero.core.evaluation.indicators import IndicatorColumns, by_group
from zonehero.core.evaluation.scheme_model import Indicator, Scheme
from zonehero.core.evaluation.status import EVALUATED, GROUP_CODE, SCORED


def degenerate_column(key: str) -> str:
    """Internal bool column: the row's benchmark for ``key`` is missing or <= 0."""
    return f"_degenerate__{key}"


def ratio_columns(defs: dict[str, dict[str, Indicator]]) -> list[pl.Expr]:
    """Degenerate-benchmark masks and ratios (null where there is no value or no usable benchmark)."""
    exprs: list[pl.Expr] = []
    for key, per_group in defs.items():
        c = IndicatorColumns(key)
        bench = pl.col(c.benchmark)
        degenerate = pl.col(SCORED) & pl.col(c.applies) & (bench.is_null() | (bench <= 0)).fill_null(True)
        value = pl.col(c.value)

        def ratio(ind: Indicator, value: pl.Expr = value, bench: pl.Expr = bench) -> pl.Expr:
            return value / bench if ind.direction == "higher" else bench / value

        usable = pl.col(SCORED) & pl.col(c.applies) & pl.col(c.has_value) & bench.is_not_null() & (bench > 0)
        exprs += [
            degenerate.alias(degenerate_column(key)),
            pl.when(usable).then(by_group(per_group, ratio)).alias(c.ratio),
        ]
    return exprs


def score_columns(defs: dict[str, dict[str, Indicator]], scheme: Scheme) -> list[pl.Expr]:
    """Indicator scores with the scheme's missing-value policy applied."""
    cap = scheme.scoring.cap
    exprs: list[pl.Expr] = []
    for key, per_group in defs.items():
        c = IndicatorColumns(key)
        in_scope = pl.col(SCORED) & pl.col(c.applies)

        def weighted_score(ind: Indicator, ratio: str = c.ratio) -> pl.Expr:
            return ind.weight * pl.col(ratio).clip(0.0, cap)

        weighted = by_group(per_group, weighted_score)
        missing = ~pl.col(c.has_value) & ~pl.col(degenerate_column(key))
        if scheme.scoring.missing_policy == "group_mean":
            # Scores of the group's evaluated enterprises with a value (degenerate ones count as their 0).
            observed = pl.when(pl.col(EVALUATED) & pl.col(c.applies) & pl.col(c.has_value)).then(
                pl.when(pl.col(degenerate_column(key))).then(0.0).otherwise(weighted)
            )
            fill = observed.mean().over(GROUP_CODE).fill_null(0.0)
        else:
            fill = pl.lit(0.0)
        score = (
            pl.when(in_scope & pl.col(degenerate_column(key)))
            .then(0.0)
            .when(in_scope & missing)
            .then(fill)
            .when(in_scope)
            .then(weighted)
            .otherwise(None)
        )
        exprs.append(score.cast(pl.Float64).alias(c.score))
    return exprs


def bonus_expr(scheme: Scheme) -> pl.Expr:
    """加分: evaluated only, flags plus the zjtx level's points, at most max_total; vetoed 0; others null."""
    b = scheme.bonus
    terms: list[pl.Expr] = [
        pl.when(pl.col(flag).fill_null(False)).then(points).otherwise(0.0) for flag, points in b.flags.items()
    ]
    if b.zjtx_level:
        terms.append(
            pl.col("zjtx_level").replace_strict(dict(b.zjtx_level), default=0.0, return_dtype=pl.Float64).fill_null(0.0)
        )
    points = pl.sum_horizontal(terms) if terms else pl.lit(0.0)
    capped = pl.min_horizontal(points, pl.lit(b.max_total))
    return (
        pl.when(pl.col(EVALUATED))
        .then(capped)
        .when(pl.col(SCORED))
        .then(0.0)
        .otherwise(None)
        .cast(pl.Float64)
        .alias("bonus")
    )


def total_expr(keys: list[str]) -> pl.Expr:
    """total_score = Σ indicator scores + bonus, for scored enterprises only."""
    scores = [pl.col(IndicatorColumns(k).score) for k in keys]
    return pl.when(pl.col(SCORED)).then(pl.sum_horizontal(scores) + pl.col("bonus")).alias("total_score")
