"""Benchmarks (评价基准值, spec §5): the aggregate ratio of a group, per industry division, or fixed.

B = Σ numerator / Σ denominator × multiplier × benchmark_factor over the
group's evaluated and vetoed enterprises whose value is present (numerator and
denominator present, denominator > 0). This is 区域平均, not the mean of the
enterprises' ratios. Mode ``industry`` uses the same sum within the
enterprise's industry division when that division has at least
``industry_min_count`` such enterprises in the group, else the zone figure.
Mode ``fixed`` takes the scheme's values (no factor).

Choice where the spec is silent: in industry mode a degenerate benchmark
(missing or <= 0) zeroes the indicator for the enterprises that use that
benchmark (its division, or the zone fallback), each with a warning.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl

from zonehero.domain.classes import GROUP_LABELS
from zonehero.evaluation.indicators import IndicatorColumns
from zonehero.evaluation.lazy import collect_all
from zonehero.evaluation.scheme_model import GROUPS, Indicator, Scheme
from zonehero.evaluation.status import EVALUATED, GROUP_CODE, GROUP_DIVISION, SCORED

DIVISION = "industry_division"

BENCHMARK_SCHEMA: dict[str, pl.DataType] = {
    "group": pl.String(),
    "indicator": pl.String(),
    "label": pl.String(),
    "industry_division": pl.String(),
    "mode": pl.String(),
    "benchmark": pl.Float64(),
    "numerator_sum": pl.Float64(),
    "denominator_sum": pl.Float64(),
    "n": pl.Int64(),
    "degenerate": pl.Boolean(),
    "n_scored": pl.Int64(),
}
"""One row per benchmark figure; ``n`` counts the enterprises in the sums, ``n_scored``
the scored (evaluated or vetoed) enterprises that use this figure."""


@dataclass(frozen=True)
class Benchmarks:
    """The benchmark table and the Polars expressions that attach each row's benchmark."""

    table: pl.DataFrame
    expressions: list[pl.Expr]
    warnings: list[str]


def _sums(frame: pl.DataFrame, keys: list[str], by: list[str]) -> pl.LazyFrame:
    """One pass over the scored enterprises: per ``by`` and indicator, Σ numerator, Σ denominator and n
    over the rows with a value (columns ``<i>_num``, ``<i>_den``, ``<i>_n`` for the i-th key)."""
    aggs = []
    for i, key in enumerate(keys):
        c = IndicatorColumns(key)
        has = pl.col(c.has_value)
        aggs += [
            pl.col(c.numerator).filter(has).sum().alias(f"{i}_num"),
            pl.col(c.denominator).filter(has).sum().alias(f"{i}_den"),
            has.sum().cast(pl.Int64).alias(f"{i}_n"),
        ]
    return frame.lazy().filter(pl.col(SCORED)).group_by(by).agg(aggs)


def _per_key(sums: pl.DataFrame, keys: list[str], by: list[str]) -> dict[str, pl.DataFrame]:
    """The one-pass sums split per indicator key: ``by``, numerator_sum, denominator_sum, n (n > 0 only)."""
    return {
        key: sums.select(
            *by,
            pl.col(f"{i}_num").alias("numerator_sum"),
            pl.col(f"{i}_den").alias("denominator_sum"),
            pl.col(f"{i}_n").alias("n"),
        ).filter(pl.col("n") > 0)
        for i, key in enumerate(keys)
    }


def _aggregate(value: float, ind: Indicator, factor: float, denominator_sum: float) -> float | None:
    if denominator_sum <= 0:
        return None
    return value / denominator_sum * ind.multiplier * factor


def compute_benchmarks(frame: pl.DataFrame, scheme: Scheme, defs: dict[str, dict[str, Indicator]]) -> Benchmarks:
    """Sum the frame (status, group, division and indicator columns present) into benchmarks."""
    keys = list(defs)
    mode = scheme.scoring.benchmark_mode
    factor = scheme.scoring.benchmark_factor
    min_count = scheme.scoring.industry_min_count
    zone_query = _sums(frame, keys, ["group"])
    div_queries = [_sums(frame, keys, ["group", DIVISION])] if mode == "industry" else []
    scored_counts_q = (
        frame.lazy()
        .filter(pl.col(SCORED))
        .group_by(["group", DIVISION])
        .agg(pl.len().cast(pl.Int64).alias("n"), pl.col(EVALUATED).sum().cast(pl.Int64).alias("n_evaluated"))
    )
    zone_all, *div_all, scored_counts = collect_all([zone_query, *div_queries, scored_counts_q])
    zone_sums = _per_key(zone_all, keys, ["group"])
    div_sums = _per_key(div_all[0], keys, ["group", DIVISION]) if div_all else {}
    scored_in: dict[tuple[str, str | None], int] = {
        (g, d): n for g, d, n, _ in scored_counts.iter_rows() if g is not None
    }

    rows: list[dict[str, object]] = []
    expressions: list[pl.Expr] = []
    warnings: list[str] = []
    for key, per_group in defs.items():
        c = IndicatorColumns(key)
        zone_by_group: dict[str, float | None] = {}
        division_map: dict[int, float] = {}
        zone_table = {g: (num, den, n) for g, num, den, n in zone_sums[key].iter_rows()}
        for group in GROUPS:
            ind = per_group.get(group)
            if ind is None:
                continue
            num, den, n = zone_table.get(group, (0.0, 0.0, 0))
            qualifying: list[tuple[str, float, float, int]] = []
            if mode == "industry":
                qualifying = [
                    (d, dn, dd, dcount)
                    for g, d, dn, dd, dcount in div_sums[key].sort(DIVISION).iter_rows()
                    if g == group and d is not None and dcount >= min_count
                ]
            group_scored = sum(v for (g, _), v in scored_in.items() if g == group)
            zone_users = group_scored - sum(scored_in.get((group, d), 0) for d, *_ in qualifying)
            if mode == "fixed":
                zone_value: float | None = scheme.fixed_benchmarks[group][key]
            else:
                zone_value = _aggregate(num, ind, factor, den) if n else None
            zone_by_group[group] = zone_value
            rows.append(
                _row(group, ind, None, mode if mode != "industry" else "zone", zone_value, num, den, n, zone_users)
            )
            if _degenerate(zone_value) and zone_users:
                warnings.append(_warning(group, ind, None, zone_value, zone_users))
            for division, dnum, dden, dcount in qualifying:
                value = _aggregate(dnum, ind, factor, dden)
                users = scored_in.get((group, division), 0)
                rows.append(_row(group, ind, division, "industry", value, dnum, dden, dcount, users))
                if value is not None:
                    division_map[GROUPS.index(group) * 100 + int(division)] = value
                if _degenerate(value) and users:
                    warnings.append(_warning(group, ind, division, value, users))
        zone_expr = _group_literal(zone_by_group)
        if division_map:
            division_expr = pl.col(GROUP_DIVISION).replace_strict(division_map, default=None, return_dtype=pl.Float64)
            expr = pl.coalesce(division_expr, zone_expr)
        else:
            expr = zone_expr
        expressions.append(pl.when(pl.col(SCORED) & pl.col(c.applies)).then(expr).alias(c.benchmark))
    table = pl.DataFrame(rows, schema=BENCHMARK_SCHEMA) if rows else pl.DataFrame(schema=BENCHMARK_SCHEMA)
    return Benchmarks(table=table, expressions=expressions, warnings=warnings)


def _degenerate(value: float | None) -> bool:
    return value is None or value <= 0


def _group_literal(values: dict[str, float | None]) -> pl.Expr:
    items = list(values.items())
    chain: Any = pl.when(pl.col(GROUP_CODE) == GROUPS.index(items[0][0])).then(pl.lit(items[0][1], dtype=pl.Float64))
    for group, value in items[1:]:
        chain = chain.when(pl.col(GROUP_CODE) == GROUPS.index(group)).then(pl.lit(value, dtype=pl.Float64))
    return chain.otherwise(pl.lit(None, dtype=pl.Float64))


def _row(
    group: str,
    ind: Indicator,
    division: str | None,
    mode: str,
    value: float | None,
    num: float,
    den: float,
    n: int,
    users: int,
) -> dict[str, object]:
    return {
        "group": group,
        "indicator": ind.key,
        "label": ind.label,
        "industry_division": division,
        "mode": mode,
        "benchmark": value,
        "numerator_sum": num,
        "denominator_sum": den,
        "n": n,
        "degenerate": _degenerate(value),
        "n_scored": users,
    }


def _warning(group: str, ind: Indicator, division: str | None, value: float | None, users: int) -> str:
    where = f"{GROUP_LABELS[group]}企业" + (f"行业大类 {division}" if division else "")
    shown = "缺失（没有可用数据）" if value is None else f"为 {value:.4g}，不大于 0"
    return f"{where}「{ind.label}」基准值{shown}：{users} 家企业该指标均得 0 分。"
