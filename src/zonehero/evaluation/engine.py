"""The evaluation engine: canonical enterprise frame + scheme → :class:`EvaluationResult`.

Vectorised Polars throughout: loops run over indicators and groups, never over
enterprises. Two materialisations: after the per-row facts (status, energy,
indicator values), because the benchmarks are sums over them; and the final
frame. Every rule lives in its own module (status, indicators, benchmarks,
scores, classes, policies, carbon); this module only puts them in order.
"""

from __future__ import annotations

from functools import lru_cache

import polars as pl

from zonehero.domain.energy import CoefficientTable, load_coefficients
from zonehero.evaluation.benchmarks import DIVISION, compute_benchmarks
from zonehero.evaluation.carbon import carbon_columns
from zonehero.evaluation.classes import class_expr, rank_columns
from zonehero.evaluation.indicators import IndicatorColumns, definitions, value_columns
from zonehero.evaluation.inputs import canonical_frame, input_hash
from zonehero.evaluation.policies import PRIOR_D, consecutive_d_expr, policy_columns, prepare_history
from zonehero.evaluation.result import EvaluationResult
from zonehero.evaluation.scheme import default_scheme
from zonehero.evaluation.scheme_model import CLASS_KEYS, GROUPS, Scheme
from zonehero.evaluation.scores import bonus_expr, degenerate_column, ratio_columns, score_columns, total_expr
from zonehero.evaluation.status import (
    SCORED,
    division_expr,
    energy_columns,
    energy_used_columns,
    flag_columns,
    scored_columns,
    status_columns,
)

GROUP_ORDER = "_group_order"


@lru_cache(maxsize=1)
def _default_coefficients() -> CoefficientTable:
    return load_coefficients()


def evaluate(
    frame: pl.DataFrame,
    scheme: Scheme | None = None,
    *,
    year: int,
    coefficients: CoefficientTable | None = None,
    history: pl.DataFrame | None = None,
) -> EvaluationResult:
    """Evaluate one year's enterprises under ``scheme`` (the packaged default when None).

    ``frame`` has canonical columns of the field registry (absent optional
    ones count as all null / false); ``history`` is ``uscc, prior_consecutive_d``
    for the D-class surcharge. InputError for a missing uscc column, empty
    or duplicate USCCs, or a bad history frame.
    """
    scheme = scheme if scheme is not None else default_scheme()
    table = coefficients if coefficients is not None else _default_coefficients()
    canonical = canonical_frame(frame)
    prior = prepare_history(history)
    defs = definitions(scheme)
    keys = list(defs)
    stage_values = value_columns(defs)

    facts = (
        canonical.lazy()
        .with_columns(division_expr().alias(DIVISION), *flag_columns(scheme.scope, year), *energy_columns(table))
        .with_columns(*status_columns(scheme.scope), *energy_used_columns())
        .with_columns(*scored_columns())
        .with_columns(*stage_values[0])
        .with_columns(*stage_values[1])
        .collect()
    )
    benchmarks = compute_benchmarks(facts, scheme, defs)

    lf = (
        facts.lazy()
        .with_columns(*benchmarks.expressions)
        .with_columns(*ratio_columns(defs))
        .with_columns(*score_columns(defs, scheme))
        .with_columns(bonus_expr(scheme))
        .with_columns(total_expr(keys))
        .with_columns(*rank_columns())
        .with_columns(class_expr(scheme.classes))
    )
    if prior is not None:
        lf = lf.join(prior.lazy(), on="uscc", how="left")
    else:
        lf = lf.with_columns(pl.lit(None, dtype=pl.Int64).alias(PRIOR_D))
    lf = lf.with_columns(consecutive_d_expr()).with_columns(*policy_columns(scheme))
    for stage in carbon_columns(scheme.carbon_grade):
        lf = lf.with_columns(*stage)
    lf = lf.with_columns(_flags_expr(keys), _group_order())
    enterprises = lf.sort([GROUP_ORDER, "rank", "uscc"], nulls_last=True).select(_output_columns(keys)).collect()
    return EvaluationResult(
        enterprises=enterprises,
        benchmarks=benchmarks.table,
        counts=_counts(enterprises),
        warnings=benchmarks.warnings,
        scheme=scheme,
        year=year,
        input_hash=input_hash(canonical),
        inputs=canonical,
    )


def _flags_expr(keys: list[str]) -> pl.Expr:
    """Data-quality flags: energy_computed, co2_computed, missing:<key>, degenerate_benchmark:<key>."""
    parts = [
        pl.when(pl.col("_energy_computed")).then(pl.lit("energy_computed")),
        pl.when(pl.col("_co2_computed")).then(pl.lit("co2_computed")),
    ]
    for key in keys:
        c = IndicatorColumns(key)
        parts += [
            pl.when(pl.col(SCORED) & pl.col(c.applies) & ~pl.col(c.has_value)).then(pl.lit(f"missing:{key}")),
            pl.when(pl.col(degenerate_column(key))).then(pl.lit(f"degenerate_benchmark:{key}")),
        ]
    return pl.concat_list(parts).list.drop_nulls().alias("flags")


def _group_order() -> pl.Expr:
    order = {g: i for i, g in enumerate(GROUPS)}
    return pl.col("group").replace_strict(order, default=len(order), return_dtype=pl.Int64).alias(GROUP_ORDER)


def _output_columns(keys: list[str]) -> list[str]:
    columns = ["uscc", "name", "industry_code", DIVISION, "group", "status", "energy_tce", "co2_t"]
    for key in keys:
        c = IndicatorColumns(key)
        columns += [c.value, c.benchmark, c.ratio, c.score]
    columns += [
        "bonus",
        "total_score",
        "rank",
        "class",
        "carbon_intensity",
        "carbon_k",
        "carbon_grade",
        "policy_name",
        "electricity_surcharge",
        "land_energy_quota",
        "land_energy_quota_label",
        "policy_other",
        "consecutive_d_year",
        "flags",
    ]
    return columns


def _counts(enterprises: pl.DataFrame) -> pl.DataFrame:
    """Number of enterprises per group and class (zeros included), vetoed ones counted in their class."""
    grid = pl.DataFrame(
        {"group": [g for g in GROUPS for _ in CLASS_KEYS], "class": [c for _ in GROUPS for c in CLASS_KEYS]}
    )
    found = (
        enterprises.filter(pl.col("class").is_not_null())
        .group_by(["group", "class"])
        .agg(pl.len().cast(pl.Int64).alias("count"))
    )
    return grid.join(found, on=["group", "class"], how="left", maintain_order="left").with_columns(
        pl.col("count").fill_null(0)
    )
