"""Carbon efficiency grade (碳效等级, spec §7a).

L = co2_t / value_added (t per 万元) where co2_t is present and value_added > 0.
L_ind = Σ co2_t / Σ value_added over the group's evaluated and vetoed
enterprises of the same industry division that have both; the group-wide
figure when the division has fewer than ``industry_min_count`` (or the
enterprise has no division). K = L / L_ind; grade i+1 when K <= bounds[i],
len(bounds)+1 above the last. Only evaluated and vetoed enterprises get a
grade, none where L is missing or L_ind is missing or not above 0. An
enterprise with co2_t = 0 has K = 0, grade 1 (the spec's rule, literally).
"""

from __future__ import annotations

from typing import Any

import polars as pl

from zonehero.core.evaluation.lazy import collect_all
from zonehero.core.evaluation.scheme_model import GROUPS, CarbonGrade
from zonehero.core.evaluation.status import GROUP_CODE, GROUP_DIVISION, SCORED

CARBON_VALID = "_carbon_valid"
CARBON_REFERENCE = "_carbon_l_ind"


def _valid() -> pl.Expr:
    return (pl.col(SCORED) & pl.col("co2_t").is_not_null() & (pl.col("value_added") > 0)).fill_null(False)


def _sums(frame: pl.DataFrame, by: str) -> pl.LazyFrame:
    co2 = pl.when(_valid()).then(pl.col("co2_t"))
    va = pl.when(_valid()).then(pl.col("value_added"))
    return (
        frame.lazy()
        .group_by(by)
        .agg(_valid().sum().alias("n"), co2.sum().alias("co2"), va.sum().alias("va"))
        .filter(pl.col(by).is_not_null())
    )


def _group_sums(frame: pl.DataFrame) -> pl.LazyFrame:
    """n, Σ co2, Σ value added per group as one row of masked sums (cheaper than a group_by for two groups)."""
    exprs = []
    for code in range(len(GROUPS)):
        mask = _valid() & (pl.col(GROUP_CODE) == code)
        exprs += [
            mask.sum().alias(f"{code}_n"),
            pl.col("co2_t").filter(mask).sum().alias(f"{code}_co2"),
            pl.col("value_added").filter(mask).sum().alias(f"{code}_va"),
        ]
    return frame.lazy().select(exprs)


def _ratio(co2: float, va: float) -> float:
    """co2 / va as Polars divides floats (IEEE: x/0 is ±inf, 0/0 NaN), for identical figures."""
    if va != 0:
        return co2 / va
    if co2 == 0 or co2 != co2:
        return float("nan")
    return float("inf") if co2 > 0 else float("-inf")


def carbon_reference(frame: pl.DataFrame, rules: CarbonGrade) -> pl.Expr:
    """L_ind per row: Σ co2_t / Σ value_added of its division (with at least ``industry_min_count`` valid
    enterprises), else of its group; null when the group has none.

    The sums run once per division and per group over ``frame`` (in uscc order, so the sums are the
    same whatever the input order) and come back as literals keyed on the integer partition keys:
    cheaper than six window expressions over 500,000 rows.
    """
    by_division, by_group = collect_all([_sums(frame, GROUP_DIVISION), _group_sums(frame)])
    totals = by_group.row(0, named=True)
    group_l: dict[int, float] = {
        code: _ratio(totals[f"{code}_co2"], totals[f"{code}_va"])
        for code in range(len(GROUPS))
        if totals[f"{code}_n"] > 0
    }
    division_l = {key: _ratio(co2, va) for key, n, co2, va in by_division.iter_rows() if n >= rules.industry_min_count}
    chain: Any = pl.lit(None, dtype=pl.Float64)
    for code in range(len(GROUPS)):
        if code in group_l:
            chain = pl.when(pl.col(GROUP_CODE) == code).then(pl.lit(group_l[code], dtype=pl.Float64)).otherwise(chain)
    if not division_l:
        return chain
    return pl.coalesce(pl.col(GROUP_DIVISION).replace_strict(division_l, default=None, return_dtype=pl.Float64), chain)


def carbon_columns(rules: CarbonGrade, reference: pl.Expr) -> list[list[pl.Expr]]:
    """Three stages: validity, L and L_ind (``reference``, from :func:`carbon_reference`); K; the grade."""
    first = [
        _valid().alias(CARBON_VALID),
        pl.when(_valid()).then(pl.col("co2_t") / pl.col("value_added")).alias("carbon_intensity"),
        reference.alias(CARBON_REFERENCE),
    ]
    l_ind = pl.col(CARBON_REFERENCE)
    k = pl.when(pl.col(CARBON_VALID) & (l_ind > 0)).then(pl.col("carbon_intensity") / l_ind)
    grade = pl.lit(len(rules.bounds) + 1, dtype=pl.Int64)
    for i in range(len(rules.bounds) - 1, -1, -1):
        grade = pl.when(pl.col("carbon_k") <= rules.bounds[i]).then(pl.lit(i + 1, dtype=pl.Int64)).otherwise(grade)
    second = [k.alias("carbon_k")]
    third = [pl.when(pl.col("carbon_k").is_not_null()).then(grade).alias("carbon_grade")]
    return [first, second, third]
