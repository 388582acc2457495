"""Who is evaluated and in which group (spec §2), and energy/CO2 as used (spec §3).

Pure Polars expressions over the canonical frame; the engine adds them in
one ``with_columns`` so they run vectorised.
"""

from __future__ import annotations

import polars as pl

from zonehero.domain.energy import CoefficientTable, breakdown_expr
from zonehero.domain.fields import ENERGY_BREAKDOWN_KEYS
from zonehero.evaluation.scheme_model import Scope

STATUSES: tuple[str, ...] = ("evaluated", "vetoed", "exempt", "out_of_scope")
SCORED_STATUSES: tuple[str, ...] = ("evaluated", "vetoed")

# Internal column names (dropped or renamed before the result leaves the engine).
ABOVE = "_above"
VETOED = "_vetoed"
EXEMPT_BY_YEAR = "_exempt_by_year"
EXEMPT_BY_INDUSTRY = "_exempt_by_industry"
SCORED = "_scored"
EVALUATED = "_evaluated"
GROUP_CODE = "_g"
"""Int8 group code (0 above, 1 below, null out of scope): window partitions on it are cheaper than on text."""
GROUP_DIVISION = "_gd"
"""Int32 group code × 100 + industry division (null without a division): the industry partition key."""
ENERGY_BREAKDOWN = "_energy_breakdown"
CO2_BREAKDOWN = "_co2_breakdown"


def division_expr() -> pl.Expr:
    """行业大类: the two digits after the section letter of industry_code (C3985 → "39"); null otherwise."""
    return pl.col("industry_code").str.strip_chars().str.extract(r"^[A-Za-z](\d{2})", 1)


def flag_columns(scope: Scope, year: int) -> list[pl.Expr]:
    """The boolean facts the status is decided from (kept for explanations)."""
    above = (
        pl.when(pl.col("above_scale").is_null())
        .then((pl.col("revenue") >= scope.above_scale_revenue).fill_null(False))
        .otherwise(pl.col("above_scale"))
    )
    if scope.veto_flags:
        vetoed = pl.any_horizontal([pl.col(f).fill_null(False) for f in scope.veto_flags])
    else:
        vetoed = pl.lit(False)
    first_exempt_year = year - (scope.exempt_years - 1)
    by_year = (pl.col("production_start_year") >= first_exempt_year).fill_null(False)
    if scope.exempt_industry_prefixes:
        code = pl.col("industry_code").str.strip_chars().str.to_uppercase()
        by_industry = pl.any_horizontal([code.str.starts_with(p) for p in scope.exempt_industry_prefixes]).fill_null(
            False
        )
    else:
        by_industry = pl.lit(False)
    return [
        above.alias(ABOVE),
        vetoed.alias(VETOED),
        by_year.alias(EXEMPT_BY_YEAR),
        by_industry.alias(EXEMPT_BY_INDUSTRY),
    ]


def status_columns(scope: Scope) -> list[pl.Expr]:
    """status (first that applies: out_of_scope, vetoed, exempt, evaluated) and group (null when out of scope)."""
    out_of_scope = ~pl.col(ABOVE) & (
        pl.col("land_area_mu").is_null() | (pl.col("land_area_mu") < scope.min_land_mu_below_scale)
    )
    status = (
        pl.when(out_of_scope)
        .then(pl.lit("out_of_scope"))
        .when(pl.col(VETOED))
        .then(pl.lit("vetoed"))
        .when(pl.col(EXEMPT_BY_YEAR) | pl.col(EXEMPT_BY_INDUSTRY))
        .then(pl.lit("exempt"))
        .otherwise(pl.lit("evaluated"))
    )
    group = (
        pl.when(pl.col(ABOVE))
        .then(pl.lit("above"))
        .when(~out_of_scope)
        .then(pl.lit("below"))
        .otherwise(pl.lit(None, dtype=pl.String))
    )
    return [status.alias("status"), group.alias("group")]


def group_code_columns(division: str) -> list[pl.Expr]:
    """Integer partition keys derived from group and the industry division column ``division``."""
    code = pl.col("group").replace_strict({"above": 0, "below": 1}, default=None, return_dtype=pl.Int8)
    return [
        code.alias(GROUP_CODE),
        (code.cast(pl.Int32) * 100 + pl.col(division).cast(pl.Int32)).alias(GROUP_DIVISION),
    ]


def energy_columns(table: CoefficientTable) -> list[pl.Expr]:
    """Breakdown figures; the used energy_tce/co2_t are coalesce(given, breakdown) (given wins)."""
    keys = list(ENERGY_BREAKDOWN_KEYS)
    return [
        breakdown_expr(keys, table, "tce").alias(ENERGY_BREAKDOWN),
        breakdown_expr(keys, table, "co2_t").alias(CO2_BREAKDOWN),
    ]


def energy_used_columns() -> list[pl.Expr]:
    """Replace energy_tce / co2_t by the values as used and record whether they were computed."""
    return [
        pl.coalesce("energy_tce", ENERGY_BREAKDOWN).alias("energy_tce"),
        pl.coalesce("co2_t", CO2_BREAKDOWN).alias("co2_t"),
        (pl.col("energy_tce").is_null() & pl.col(ENERGY_BREAKDOWN).is_not_null()).alias("_energy_computed"),
        (pl.col("co2_t").is_null() & pl.col(CO2_BREAKDOWN).is_not_null()).alias("_co2_computed"),
    ]


def scored_columns() -> list[pl.Expr]:
    """Masks used everywhere below: scored (evaluated or vetoed) and evaluated."""
    return [
        pl.col("status").is_in(SCORED_STATUSES).alias(SCORED),
        (pl.col("status") == "evaluated").alias(EVALUATED),
    ]
