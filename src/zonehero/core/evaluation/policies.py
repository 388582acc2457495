"""Differentiated policies by class (差别化政策, spec §7).

The D-class electricity surcharge rises with consecutive D years. ``history``
gives, per uscc, ``prior_consecutive_d``: how many consecutive years right
before this one the enterprise was published as D. Without history every D
is a first D year (what the CLI does with one year of data).
"""

from __future__ import annotations

import polars as pl

from zonehero.core.evaluation.classes import CLASS_CODE
from zonehero.core.evaluation.scheme_model import CLASS_KEYS, Scheme
from zonehero.core.evaluation.status import labels
from zonehero.errors import InputError, InputProblem

PRIOR_D = "_prior_consecutive_d"


def prepare_history(history: pl.DataFrame | None) -> pl.DataFrame | None:
    """Validate and normalise the history frame (uscc, prior_consecutive_d)."""
    if history is None:
        return None
    missing = [c for c in ("uscc", "prior_consecutive_d") if c not in history.columns]
    if missing:
        raise InputError(InputProblem(f"历史评价数据缺少列：{'、'.join(missing)}", column=missing[0]))
    frame = history.select(
        pl.col("uscc").cast(pl.String), pl.col("prior_consecutive_d").cast(pl.Int64).alias(PRIOR_D)
    ).filter(pl.col("uscc").is_not_null())
    dupes = frame.group_by("uscc").len().filter(pl.col("len") > 1)
    if dupes.height:
        first = dupes.sort("uscc")["uscc"][0]
        raise InputError(InputProblem(f"历史评价数据中统一社会信用代码 {first} 等重复出现", column="uscc"))
    if frame.filter(pl.col(PRIOR_D) < 0).height:
        raise InputError(InputProblem("历史评价数据中连续 D 类年数不能为负数", column="prior_consecutive_d"))
    return frame


def consecutive_d_expr() -> pl.Expr:
    """Which consecutive D year this is (1 = first), for class D only; needs the joined history column."""
    prior = pl.col(PRIOR_D).fill_null(0)
    d_class = pl.col(CLASS_CODE) == CLASS_KEYS.index("D")
    return pl.when(d_class).then(prior + 1).cast(pl.Int64).alias("consecutive_d_year")


def policy_columns(scheme: Scheme) -> list[pl.Expr]:
    """policy_name, electricity_surcharge, land_energy_quota(_label), policy_other from the class."""
    policies = {cls: scheme.policies[cls] for cls in CLASS_KEYS if cls in scheme.policies}

    def lookup(attr: str) -> pl.Expr:
        return labels(CLASS_CODE, tuple(getattr(policies[c], attr) if c in policies else None for c in CLASS_KEYS))

    surcharge = pl.lit(None, dtype=pl.Float64)
    for cls, policy in reversed(list(policies.items())):
        by_year = policy.electricity_surcharge_by_consecutive_year
        if by_year:
            year_expr = pl.lit(by_year[-1])
            for i in range(len(by_year) - 1, 0, -1):
                year_expr = pl.when(pl.col("consecutive_d_year") <= i).then(pl.lit(by_year[i - 1])).otherwise(year_expr)
            value = year_expr
        else:
            value = pl.lit(policy.electricity_surcharge)
        surcharge = pl.when(pl.col(CLASS_CODE) == CLASS_KEYS.index(cls)).then(value).otherwise(surcharge)
    return [
        lookup("name").alias("policy_name"),
        surcharge.cast(pl.Float64).alias("electricity_surcharge"),
        lookup("land_energy_quota").alias("land_energy_quota"),
        lookup("land_energy_quota_label").alias("land_energy_quota_label"),
        lookup("other").alias("policy_other"),
    ]
