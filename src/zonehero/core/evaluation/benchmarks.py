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

from zonehero.core.domain.classes import GROUP_LABELS
from zonehero.core.evaluation.indicators import IndicatorColumns
from zonehero.core.evaluation.lazy import collect_all
from zonehero.core.evaluation.scheme_model import GROUPS, Indicator, Scheme
from zonehero.core.evaluation.status import GROUP_CODE, GROUP_DIVISION, SCORED

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


def _key_sums(keys: list[str], mask: pl.Expr, prefix: str = "") -> list[pl.Expr]:
    """Per indicator over the rows under ``mask`` with a value: Σ numerator, Σ denominator and n
    (columns ``<prefix><i>_num``, ``<prefix><i>_den``, ``<prefix><i>_n`` for the i-th key)."""
    exprs = []
    for i, key in enumerate(keys):
        c = IndicatorColumns(key)
        has = mask & pl.col(c.has_value)
        exprs += [
            pl.col(c.numerator).filter(has).sum().alias(f"{prefix}{i}_num"),
            pl.col(c.denominator).filter(has).sum().alias(f"{prefix}{i}_den"),
            has.sum().cast(pl.Int64).alias(f"{prefix}{i}_n"),
        ]
    return exprs


def _zone_sums_query(frame: pl.DataFrame, keys: list[str]) -> pl.LazyFrame:
    """One select of masked sums per group and indicator (one row, columns ``<group code>:<i>_…``).

    With two groups, masked column sums run about four times faster than a
    group_by on the group text (17 against 82 ms on 500,000 enterprises), and
    a plain sum over rows in uscc order is as reproducible.
    """
    exprs = []
    for code in range(len(GROUPS)):
        exprs += _key_sums(keys, pl.col(SCORED) & (pl.col(GROUP_CODE) == code), prefix=f"{code}:")
    return frame.lazy().select(exprs)


def _zone_rows(one_row: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
    """The one-row zone sums as one row per group (``group`` text, ``<i>_num|den|n``)."""
    values = one_row.row(0, named=True)
    suffixes = [f"{i}_{part}" for i in range(len(keys)) for part in ("num", "den", "n")]
    rows = [{"group": group, **{s: values[f"{code}:{s}"] for s in suffixes}} for code, group in enumerate(GROUPS)]
    schema: dict[str, pl.DataType] = {"group": pl.String()}
    schema.update({s: pl.Int64() if s.endswith("_n") else pl.Float64() for s in suffixes})
    return pl.DataFrame(rows, schema=schema)


def _decoded(frame: pl.DataFrame) -> pl.DataFrame:
    """Integer partition keys back to ``group`` and division text (GROUP_DIVISION = code × 100 + division)."""
    return frame.with_columns(
        pl.lit(pl.Series(GROUPS, dtype=pl.String)).gather(pl.col(GROUP_CODE)).alias("group"),
        (pl.col(GROUP_DIVISION) % 100).cast(pl.String).str.zfill(2).alias(DIVISION),
    )


def _division_sums_query(frame: pl.DataFrame, keys: list[str]) -> pl.LazyFrame:
    """Per (group, division) sums, grouped on the integer partition keys (a third of the time of text keys)."""
    return (
        frame.lazy()
        .filter(pl.col(SCORED) & pl.col(GROUP_DIVISION).is_not_null())
        .group_by(GROUP_CODE, GROUP_DIVISION)
        .agg(_key_sums(keys, pl.lit(True)))
    )


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
    zone_query = _zone_sums_query(frame, keys)
    div_queries = [_division_sums_query(frame, keys)] if mode == "industry" else []
    scored_counts_q = (
        frame.lazy().filter(pl.col(SCORED)).group_by(GROUP_CODE, GROUP_DIVISION).agg(pl.len().cast(pl.Int64).alias("n"))
    )
    zone_one, *div_all, scored_counts = collect_all([zone_query, *div_queries, scored_counts_q])
    zone_sums = _per_key(_zone_rows(zone_one, keys), keys, ["group"])
    div_sums = _per_key(_decoded(div_all[0]), keys, ["group", DIVISION]) if div_all else {}
    scored_in: dict[tuple[str, str | None], int] = {
        (g, d if gd is not None else None): n
        for g, gd, d, n in _decoded(scored_counts).select("group", GROUP_DIVISION, DIVISION, "n").iter_rows()
        if g is not None
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
