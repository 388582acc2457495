"""Who is evaluated and in which group (spec §2), and energy/CO2 as used (spec §3).

Pure Polars expressions over the canonical frame; the engine adds them in
one ``with_columns`` so they run vectorised.
"""

from __future__ import annotations

import polars as pl

from zonehero.core.domain.energy import CoefficientTable, breakdown_expr
from zonehero.core.domain.fields import ENERGY_BREAKDOWN_KEYS
from zonehero.core.evaluation.scheme_model import GROUPS, Scope

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
"""Int8 group code (index in GROUPS: 0 above, 1 below; null out of scope): cheaper than text everywhere."""
STATUS_CODE = "_s"
"""UInt8 status code, the index in STATUSES (evaluated and vetoed, the scored ones, come first)."""
GROUP_DIVISION = "_gd"
"""Int32 group code × 100 + industry division (null without a division): the industry partition key."""
ENERGY_BREAKDOWN = "_energy_breakdown"
CO2_BREAKDOWN = "_co2_breakdown"


def division_expr() -> pl.Expr:
    """行业大类: the two digits after the section letter of industry_code (C3985 → "39"); null otherwise."""
    return pl.col("industry_code").str.strip_chars().str.extract(r"^[A-Za-z](\d{2})", 1)


def exempt_industry_expr(scope: Scope) -> pl.Expr:
    """Whether industry_code starts with one of the scope's exempt prefixes (after trimming, upper case)."""
    if not scope.exempt_industry_prefixes:
        return pl.lit(False)
    code = pl.col("industry_code").str.strip_chars().str.to_uppercase()
    return pl.any_horizontal([code.str.starts_with(p) for p in scope.exempt_industry_prefixes]).fill_null(False)


def industry_table(canonical: pl.DataFrame, scope: Scope, division: str) -> pl.DataFrame:
    """industry_code → division and exempt flag, computed once per distinct code (a zone has a few thousand).

    The string work (trim, regex, prefixes) on 500,000 rows costs about ten
    times a join of this small table back onto them.
    """
    return canonical.select(pl.col("industry_code").unique()).with_columns(
        division_expr().alias(division), exempt_industry_expr(scope).alias(EXEMPT_BY_INDUSTRY)
    )


def flag_columns(scope: Scope, year: int) -> list[pl.Expr]:
    """The boolean facts the status is decided from (kept for explanations); the industry one comes from
    :func:`industry_table`."""
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
    return [above.alias(ABOVE), vetoed.alias(VETOED), by_year.alias(EXEMPT_BY_YEAR)]


def labels(codes: str, names: tuple[str | None, ...]) -> pl.Expr:
    """Text column from a small integer code column: ``names[code]`` (null code → null).

    A gather from a tiny Series copies string views; a when/then chain of
    literals builds every string again (about 15× slower on 500,000 rows).
    """
    return pl.lit(pl.Series(names, dtype=pl.String)).gather(pl.col(codes))


def status_columns(scope: Scope) -> list[pl.Expr]:
    """Status code (first that applies: out_of_scope, vetoed, exempt, evaluated) and group code (null when out of
    scope); :func:`text_columns` turns them into the status and group text."""
    out_of_scope = ~pl.col(ABOVE) & (
        pl.col("land_area_mu").is_null() | (pl.col("land_area_mu") < scope.min_land_mu_below_scale)
    )
    status = (
        pl.when(out_of_scope)
        .then(pl.lit(STATUSES.index("out_of_scope"), dtype=pl.UInt8))
        .when(pl.col(VETOED))
        .then(pl.lit(STATUSES.index("vetoed"), dtype=pl.UInt8))
        .when(pl.col(EXEMPT_BY_YEAR) | pl.col(EXEMPT_BY_INDUSTRY))
        .then(pl.lit(STATUSES.index("exempt"), dtype=pl.UInt8))
        .otherwise(pl.lit(STATUSES.index("evaluated"), dtype=pl.UInt8))
    )
    group = (
        pl.when(pl.col(ABOVE))
        .then(pl.lit(GROUPS.index("above"), dtype=pl.Int8))
        .when(~out_of_scope)
        .then(pl.lit(GROUPS.index("below"), dtype=pl.Int8))
        .otherwise(pl.lit(None, dtype=pl.Int8))
    )
    return [status.alias(STATUS_CODE), group.alias(GROUP_CODE)]


def text_columns() -> list[pl.Expr]:
    """status and group as text (from their codes)."""
    return [labels(STATUS_CODE, STATUSES).alias("status"), labels(GROUP_CODE, GROUPS).alias("group")]


def group_code_columns(division: str) -> list[pl.Expr]:
    """The industry partition key: group code × 100 + industry division (null without a division)."""
    return [(pl.col(GROUP_CODE).cast(pl.Int32) * 100 + pl.col(division).cast(pl.Int32)).alias(GROUP_DIVISION)]


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
        (pl.col(STATUS_CODE) <= STATUSES.index("vetoed")).alias(SCORED),
        (pl.col(STATUS_CODE) == STATUSES.index("evaluated")).alias(EVALUATED),
    ]
