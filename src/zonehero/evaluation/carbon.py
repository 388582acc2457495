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

import polars as pl

from zonehero.evaluation.scheme_model import CarbonGrade
from zonehero.evaluation.status import GROUP_CODE, GROUP_DIVISION, SCORED

CARBON_VALID = "_carbon_valid"


def carbon_columns(rules: CarbonGrade) -> list[list[pl.Expr]]:
    """Two stages: validity and L; then L_ind, K and the grade."""
    valid = (pl.col(SCORED) & pl.col("co2_t").is_not_null() & (pl.col("value_added") > 0)).fill_null(False)
    first = [
        valid.alias(CARBON_VALID),
        pl.when(valid).then(pl.col("co2_t") / pl.col("value_added")).alias("carbon_intensity"),
    ]
    co2 = pl.when(pl.col(CARBON_VALID)).then(pl.col("co2_t"))
    va = pl.when(pl.col(CARBON_VALID)).then(pl.col("value_added"))
    by_division = GROUP_DIVISION
    n_division = pl.col(CARBON_VALID).sum().over(by_division)
    division_l = co2.sum().over(by_division) / va.sum().over(by_division)
    n_group = pl.col(CARBON_VALID).sum().over(GROUP_CODE)
    group_l = pl.when(n_group > 0).then(co2.sum().over(GROUP_CODE) / va.sum().over(GROUP_CODE))
    l_ind = (
        pl.when(pl.col(GROUP_DIVISION).is_not_null() & (n_division >= rules.industry_min_count))
        .then(division_l)
        .otherwise(group_l)
    )
    k = pl.when(pl.col(CARBON_VALID) & (l_ind > 0)).then(pl.col("carbon_intensity") / l_ind)
    grade = pl.lit(len(rules.bounds) + 1, dtype=pl.Int64)
    for i in range(len(rules.bounds) - 1, -1, -1):
        grade = pl.when(pl.col("carbon_k") <= rules.bounds[i]).then(pl.lit(i + 1, dtype=pl.Int64)).otherwise(grade)
    second = [k.alias("carbon_k")]
    third = [pl.when(pl.col("carbon_k").is_not_null()).then(grade).alias("carbon_grade")]
    return [first, second, third]
