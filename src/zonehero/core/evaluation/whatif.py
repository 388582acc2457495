"""What-if before publishing (方案调整试算): run a draft scheme and a variant side by side.

``vary_scheme`` builds a validated variant (weights, cap, quotas, thresholds,
benchmark mode, bonus points …) through :func:`scheme_variants.with_changes`, which
re-serialises and re-parses it, so ``variant.text`` can be saved as a new
scheme version. ``compare_schemes`` evaluates both with the real engine (so a
what-if is, by construction, exactly a full re-run with the variant) and lines
the two results up per enterprise: class, rank and total before and after,
and for those whose class changes, why, in Chinese sentences built from the
score deltas per indicator, benchmark and weight changes, the bonus change and
the quota position.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

import polars as pl

from zonehero.core.domain.classes import GROUP_LABELS, STATUS_LABELS
from zonehero.core.domain.energy import CoefficientTable
from zonehero.core.evaluation.engine import evaluate
from zonehero.core.evaluation.result import EvaluationResult
from zonehero.core.evaluation.scheme_diff import diff_schemes
from zonehero.core.evaluation.scheme_model import CLASS_KEYS, GROUPS, Classes, Indicator, Scheme
from zonehero.core.evaluation.scheme_variants import with_changes
from zonehero.errors import InputProblem, SchemeError

SCORE_EPSILON = 0.005
"""Score deltas smaller than this (they show as 0.00) are left out of the reasons."""

CLASS_ORDER: dict[str, int] = {c: i for i, c in enumerate(CLASS_KEYS)}


def vary_scheme(
    scheme: Scheme,
    *,
    weights: Mapping[tuple[str, str], float] | None = None,
    cap: float | None = None,
    quotas: tuple[int, int, int] | None = None,
    thresholds: tuple[float, float, float] | None = None,
    class_mode: Literal["quota", "threshold"] | None = None,
    benchmark_mode: Literal["zone", "industry", "fixed"] | None = None,
    benchmark_factor: float | None = None,
    missing_policy: Literal["zero", "group_mean"] | None = None,
    fixed_benchmarks: Mapping[str, Mapping[str, float]] | None = None,
    vetoed_class: Literal["C", "D"] | None = None,
    bonus: Mapping[str, float] | None = None,
    bonus_max_total: float | None = None,
    name: str | None = None,
    version: str | None = None,
) -> Scheme:
    """A validated variant of ``scheme`` with only the given parts changed.

    ``weights`` maps ``(group, indicator key)`` to the new weight. ``bonus``
    maps a bonus item to its new points, merged into the scheme's: a boolean
    flag field (``"high_tech"``) or a 专精特新 level written ``"zjtx_level:national"``.
    Anything invalid (unknown group or indicator, a weight <= 0, quotas out of
    order …) raises SchemeError naming the scheme key, like a bad scheme file.
    """
    nested: dict[str, dict[str, float]] = {}
    problems: list[InputProblem] = []
    for (group_key, indicator_key), weight in (weights or {}).items():
        path = f"groups.{group_key}.indicators.{indicator_key}.weight"
        group = scheme.groups.get(group_key)
        if group is None:
            problems.append(InputProblem(f"方案中没有分组「{group_key}」", column=path))
            continue
        if indicator_key not in {i.key for i in group.indicators}:
            problems.append(
                InputProblem(f"{GROUP_LABELS.get(group_key, group_key)}分组没有指标「{indicator_key}」", column=path)
            )
            continue
        if not isinstance(weight, int | float) or isinstance(weight, bool) or not math.isfinite(weight):
            problems.append(InputProblem("权重应为有限数值", column=path))
            continue
        nested.setdefault(group_key, {})[indicator_key] = float(weight)
    flags: dict[str, float] | None = None
    levels: dict[str, float] | None = None
    for item, points in (bonus or {}).items():
        if item.startswith("zjtx_level:"):
            levels = dict(scheme.bonus.zjtx_level) if levels is None else levels
            levels[item.partition(":")[2]] = float(points)
        else:
            flags = dict(scheme.bonus.flags) if flags is None else flags
            flags[item] = float(points)
    if problems:
        raise SchemeError(problems)
    return with_changes(
        scheme,
        cap=cap,
        benchmark_mode=benchmark_mode,
        benchmark_factor=benchmark_factor,
        missing_policy=missing_policy,
        class_mode=class_mode,
        quotas=quotas,
        thresholds=thresholds,
        vetoed_class=vetoed_class,
        weights=nested or None,
        fixed_benchmarks=fixed_benchmarks,
        bonus_max_total=bonus_max_total,
        bonus_flags=flags,
        bonus_zjtx_level=levels,
        name=name,
        version=version,
    )


WEIGHT_TOTAL_TOLERANCE = 1e-6
"""Weights typed as decimals (33.3 + 33.3 + 33.4) still sum to their total."""


def weight_total_column(group_key: str) -> str:
    """Where a problem with a group's weight total points (the form shows it beside that group's weights)."""
    return f"groups.{group_key}.weights"


def weight_total_problems(scheme: Scheme, weights: Mapping[tuple[str, str], float]) -> list[InputProblem]:
    """One problem per group whose changed weights no longer sum to the group's total (100 in a standard scheme).

    A what-if moves weight between indicators; a total of 110 would silently inflate every score of the group and
    make the comparison with the draft meaningless, so it is refused before any evaluation starts.
    """
    problems = []
    for group_key, group in scheme.groups.items():
        changed = {ind: w for (g, ind), w in weights.items() if g == group_key}
        if not changed:
            continue
        total = sum(changed.get(i.key, i.weight) for i in group.indicators)
        wanted = group.total_weight
        if math.isfinite(total) and abs(total - wanted) > WEIGHT_TOTAL_TOLERANCE:
            label = GROUP_LABELS.get(group_key, group_key)
            problems.append(
                InputProblem(
                    f"{label}企业各指标权重合计应为 {_n(round(wanted, 6))}，现为 {_n(round(total, 6))}",
                    column=weight_total_column(group_key),
                )
            )
    return problems


def describe_scheme_changes(base: Scheme, variant: Scheme) -> list[str]:
    """What differs between two schemes, one Chinese line per changed rule: the version comparison's entries
    (:func:`~zonehero.core.evaluation.scheme_diff.diff_schemes`), so the what-if page and the comparison of two
    versions name a change with the same words."""
    return [
        f"{c.section} · {c.label}：{c.old or '（无）'} → {c.new or '（无）'}"
        for c in diff_schemes(base, variant)
        if c.changed
    ]


@dataclass(frozen=True)
class WhatIfResult:
    """A draft and a variant run side by side.

    ``enterprises``: one row per enterprise (uscc, name, group, status,
    class/rank/total/bonus ``_before``/``_after``, ``total_delta``,
    ``<key>__score_before|_after|_delta`` and ``<key>__benchmark_before|_after``,
    ``changed``, ``move`` = "up" / "down" / "same" / "gained" / "lost").
    ``changes``: the rows whose class changes, with ``reasons`` (Chinese
    sentences, most important first). ``matrix``: per group, the number of
    enterprises per (class_before, class_after), every A-D pair included.
    ``benchmark_changes``: benchmarks that differ between the runs.
    """

    base: EvaluationResult
    variant: EvaluationResult
    enterprises: pl.DataFrame
    changes: pl.DataFrame
    matrix: pl.DataFrame
    benchmark_changes: pl.DataFrame
    scheme_changes: list[str]

    def matrix_table(self, group: str) -> pl.DataFrame:
        """The class-before × class-after count matrix of one group: rows class_before, columns A-D."""
        sub = self.matrix.filter((pl.col("group") == group) & pl.col("class_before").is_not_null())
        rows = []
        for before in CLASS_KEYS:
            row: dict[str, Any] = {"class_before": before}
            for after in CLASS_KEYS:
                hit = sub.filter((pl.col("class_before") == before) & (pl.col("class_after") == after))
                row[after] = int(hit["count"].sum()) if hit.height else 0
            rows.append(row)
        return pl.DataFrame(rows, schema={"class_before": pl.String, **dict.fromkeys(CLASS_KEYS, pl.Int64)})


def compare_schemes(
    frame: pl.DataFrame,
    base: Scheme,
    variant: Scheme,
    *,
    year: int,
    history: pl.DataFrame | None = None,
    coefficients: CoefficientTable | None = None,
) -> WhatIfResult:
    """Evaluate ``frame`` under ``base`` and ``variant`` and explain every class change."""
    before = evaluate(frame, base, year=year, coefficients=coefficients, history=history)
    after = evaluate(frame, variant, year=year, coefficients=coefficients, history=history)
    return compare_results(before, after)


def compare_results(before: EvaluationResult, after: EvaluationResult) -> WhatIfResult:
    """Line up two finished runs of the same enterprises (e.g. a stored draft and a fresh variant run)."""
    keys = list(dict.fromkeys([*before.scheme.indicator_keys, *after.scheme.indicator_keys]))
    side = {"before": before.enterprises, "after": after.enterprises}
    parts: dict[str, pl.DataFrame] = {}
    for suffix, frame in side.items():
        cols = [pl.col("uscc")]
        if suffix == "before":
            cols.append(pl.col("name"))
        for col in ("group", "status", "class", "rank", "total_score", "bonus"):
            cols.append(pl.col(col).alias(f"{col}_{suffix}"))
        for key in keys:
            for part in ("score", "benchmark"):
                name = f"{key}__{part}"
                expr = pl.col(name) if name in frame.columns else pl.lit(None, dtype=pl.Float64)
                cols.append(expr.alias(f"{name}_{suffix}"))
        parts[suffix] = frame.select(cols)
    joined = parts["before"].join(parts["after"], on="uscc", how="full", coalesce=True)
    order_before = pl.col("class_before").replace_strict(CLASS_ORDER, default=None, return_dtype=pl.Int64)
    order_after = pl.col("class_after").replace_strict(CLASS_ORDER, default=None, return_dtype=pl.Int64)
    move = (
        pl.when(pl.col("class_before").eq_missing(pl.col("class_after")))
        .then(pl.lit("same"))
        .when(pl.col("class_before").is_null())
        .then(pl.lit("gained"))
        .when(pl.col("class_after").is_null())
        .then(pl.lit("lost"))
        .when(order_after < order_before)
        .then(pl.lit("up"))
        .otherwise(pl.lit("down"))
    )
    enterprises = joined.with_columns(
        pl.coalesce("group_before", "group_after").alias("group"),
        (pl.col("total_score_after") - pl.col("total_score_before")).alias("total_delta"),
        *[(pl.col(f"{k}__score_after") - pl.col(f"{k}__score_before")).alias(f"{k}__score_delta") for k in keys],
        move.alias("move"),
        pl.col("class_before").ne_missing(pl.col("class_after")).alias("changed"),
    )
    lead = ["uscc", "name", "group", "changed", "move", "class_before", "class_after", "rank_before", "rank_after"]
    rest = [c for c in enterprises.columns if c not in lead]
    enterprises = enterprises.select(lead + rest).sort(["group", "rank_before", "uscc"], nulls_last=True)
    changed = enterprises.filter(pl.col("changed"))
    explainer = _Explainer(before, after)
    reasons = [explainer.reasons(row) for row in changed.iter_rows(named=True)]
    changes = changed.with_columns(pl.Series("reasons", reasons, dtype=pl.List(pl.String)))
    return WhatIfResult(
        base=before,
        variant=after,
        enterprises=enterprises,
        changes=changes,
        matrix=_matrix(enterprises),
        benchmark_changes=_benchmark_changes(before.benchmarks, after.benchmarks),
        scheme_changes=describe_scheme_changes(before.scheme, after.scheme),
    )


def _matrix(enterprises: pl.DataFrame) -> pl.DataFrame:
    """Counts per (group, class_before, class_after): the full A-D grid of each group, plus unclassed pairs seen."""
    grid = pl.DataFrame(
        {
            "group": [g for g in GROUPS for _ in CLASS_KEYS for _ in CLASS_KEYS],
            "class_before": [b for _ in GROUPS for b in CLASS_KEYS for _ in CLASS_KEYS],
            "class_after": [a for _ in GROUPS for _ in CLASS_KEYS for a in CLASS_KEYS],
        }
    )
    found = (
        enterprises.filter(pl.col("class_before").is_not_null() | pl.col("class_after").is_not_null())
        .group_by(["group", "class_before", "class_after"])
        .agg(pl.len().cast(pl.Int64).alias("count"))
    )
    full = grid.join(found, on=["group", "class_before", "class_after"], how="full", coalesce=True, nulls_equal=True)
    group_order = pl.col("group").replace_strict({g: i for i, g in enumerate(GROUPS)}, default=len(GROUPS))
    return (
        full.with_columns(pl.col("count").fill_null(0))
        .with_columns(group_order.alias("_g"))
        .sort(["_g", "class_before", "class_after"], nulls_last=True)
        .drop("_g")
    )


def _benchmark_changes(before: pl.DataFrame, after: pl.DataFrame) -> pl.DataFrame:
    """Benchmark rows (group, indicator, division) whose value differs, with both values."""
    on = ["group", "indicator", "industry_division"]
    b = before.select([*on, "label", pl.col("benchmark").alias("benchmark_before")])
    a = after.select([*on, pl.col("label").alias("label_after"), pl.col("benchmark").alias("benchmark_after")])
    joined = b.join(a, on=on, how="full", coalesce=True, nulls_equal=True)
    return (
        joined.with_columns(pl.coalesce("label", "label_after").alias("label"))
        .drop("label_after")
        .filter(pl.col("benchmark_before").ne_missing(pl.col("benchmark_after")))
    )


class _Explainer:
    """Builds the Chinese reasons of one class change from the two runs."""

    def __init__(self, before: EvaluationResult, after: EvaluationResult) -> None:
        self.before = before
        self.after = after
        self.n_before = _evaluated_counts(before.enterprises)
        self.n_after = _evaluated_counts(after.enterprises)

    def reasons(self, row: dict[str, Any]) -> list[str]:
        out = [self._headline(row)]
        if row["status_before"] != row["status_after"]:
            out.append(
                f"评价状态由「{STATUS_LABELS.get(row['status_before'], '无')}」变为"
                f"「{STATUS_LABELS.get(row['status_after'], '无')}」"
            )
        tb, ta = row["total_score_before"], row["total_score_after"]
        if tb is not None and ta is not None:
            out.append(f"总分 {tb:.2f} → {ta:.2f}（{ta - tb:+.2f}）")
        out += self._indicator_reasons(row)
        cap_b, cap_a = self.before.scheme.scoring.cap, self.after.scheme.scoring.cap
        if cap_b != cap_a:
            out.append(f"得分比值上限 {_n(cap_b)} → {_n(cap_a)}")
        bb, ba = row["bonus_before"], row["bonus_after"]
        if bb is not None and ba is not None and abs(ba - bb) >= SCORE_EPSILON:
            out.append(f"加分 {bb:.2f} → {ba:.2f}（{ba - bb:+.2f}）")
        out += self._position(row)
        return out

    def _headline(self, row: dict[str, Any]) -> str:
        cb, ca = row["class_before"], row["class_after"]
        if cb is None:
            return f"变体方案下新评为 {ca} 类"
        if ca is None:
            return f"变体方案下不再评类（原 {cb} 类）"
        verb = "升为" if CLASS_ORDER[ca] < CLASS_ORDER[cb] else "降为"
        return f"由 {cb} 类{verb} {ca} 类"

    def _indicator_reasons(self, row: dict[str, Any]) -> list[str]:
        group = row["group"]
        items: list[tuple[float, str]] = []
        for key in dict.fromkeys([*self.before.scheme.indicator_keys, *self.after.scheme.indicator_keys]):
            sb, sa = row.get(f"{key}__score_before"), row.get(f"{key}__score_after")
            delta = (sa or 0.0) - (sb or 0.0)
            if (sb is None and sa is None) or abs(delta) < SCORE_EPSILON:
                continue
            ind_b = _indicator(self.before.scheme, group, key)
            ind_a = _indicator(self.after.scheme, group, key)
            ind = ind_a or ind_b
            label = ind.label if ind else key
            text = f"「{label}」得分 {_score(sb)} → {_score(sa)}（{delta:+.2f}）"
            notes = []
            if ind_b and ind_a and ind_b.weight != ind_a.weight:
                notes.append(f"权重 {_n(ind_b.weight)} → {_n(ind_a.weight)}")
            bb, ba = row.get(f"{key}__benchmark_before"), row.get(f"{key}__benchmark_after")
            if bb != ba:
                unit = ind.unit if ind else ""
                notes.append(f"基准值 {_bench(bb)} → {_bench(ba)}{(' ' + unit) if unit else ''}")
            if notes:
                text += "：" + "，".join(notes)
            items.append((abs(delta), text))
        return [text for _, text in sorted(items, key=lambda t: -t[0])]

    def _position(self, row: dict[str, Any]) -> list[str]:
        group = row["group"]
        if group is None or row["class_after"] is None:
            return []
        out = []
        rb, ra = row["rank_before"], row["rank_after"]
        nb, na = self.n_before.get(group, 0), self.n_after.get(group, 0)
        if rb is not None and ra is not None:
            out.append(f"{GROUP_LABELS.get(group, group)}组内排名 {rb}/{nb} → {ra}/{na}")
        classes = self.after.scheme.classes
        cls = row["class_after"]
        if row["status_after"] == "vetoed":
            out.append(f"一票否决企业按方案评为 {cls} 类")
            return out
        if classes.mode == "quota":
            moved_from = row["class_before"]
            if moved_from is not None and CLASS_ORDER[cls] > CLASS_ORDER[moved_from]:
                limit = _cutoff(classes, moved_from, na)
                out.append(f"变体方案下 {moved_from} 类须排在前 {limit} 名（{_quota(classes, moved_from)}% × {na} 家）")
            else:
                limit = _cutoff(classes, cls, na)
                out.append(f"变体方案下 {cls} 类为前 {limit} 名（{_quota(classes, cls)}% × {na} 家）")
        else:
            moved_from = row["class_before"]
            if moved_from is not None and moved_from != "D" and CLASS_ORDER[cls] > CLASS_ORDER[moved_from]:
                out.append(f"变体方案下 {moved_from} 类分数线为 {_n(_threshold(classes, moved_from))} 分")
            elif cls != "D":
                out.append(f"变体方案下 {cls} 类分数线为 {_n(_threshold(classes, cls))} 分")
        return out


def _evaluated_counts(enterprises: pl.DataFrame) -> dict[str, int]:
    counts = enterprises.filter(pl.col("status") == "evaluated").group_by("group").len()
    return {g: int(n) for g, n in counts.iter_rows()}


def _indicator(scheme: Scheme, group: str | None, key: str) -> Indicator | None:
    g = scheme.groups.get(group) if group else None
    if g is None:
        return None
    try:
        return g.indicator(key)
    except KeyError:
        return None


def _quota(classes: Classes, cls: str) -> int:
    return {"A": classes.quota_a, "B": classes.quota_b, "C": classes.quota_c, "D": 100}[cls]


def _cutoff(classes: Classes, cls: str, n: int) -> int:
    """The last rank that still gets ``cls`` among ``n`` (rank × 100 <= quota × n)."""
    return _quota(classes, cls) * n // 100


def _threshold(classes: Classes, cls: str) -> float:
    return {"A": classes.threshold_a, "B": classes.threshold_b, "C": classes.threshold_c}[cls]


def _n(value: Any) -> str:
    """A scheme number as written (30, 2.5), a text value unchanged."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _score(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def _bench(value: float | None) -> str:
    return "—" if value is None else f"{value:.4g}"


def with_figures(frame: pl.DataFrame, uscc: str, changes: Mapping[str, Any]) -> pl.DataFrame:
    """``frame`` with one enterprise's figures set to ``changes``, each column keeping its dtype.

    What a correction does to the run's inputs (an accepted 异议): evaluating the result with the real engine
    answers exactly what the corrected draft will show, all else being as the run had it.
    """
    columns = []
    for key, value in changes.items():
        if key in frame.columns:
            dtype = frame.schema[key]
            base = pl.col(key)
        else:
            dtype = _dtype_of(value)
            base = pl.lit(None, dtype=dtype)
        columns.append(pl.when(pl.col("uscc") == uscc).then(pl.lit(value, dtype=dtype)).otherwise(base).alias(key))
    return frame.with_columns(columns)


def _dtype_of(value: Any) -> pl.DataType:
    if isinstance(value, bool):
        return pl.Boolean()
    if isinstance(value, int):
        return pl.Int64()
    if isinstance(value, float):
        return pl.Float64()
    return pl.String()


def correction_reasons(comparison: WhatIfResult, uscc: str) -> list[str]:
    """Why one enterprise's total and rank move when its figures are corrected under the same scheme.

    The indicator lines say which scores moved (and the benchmark, when the enterprise's own figure moves its
    group's benchmark); the last line is the rank in its group before and after.
    """
    rows = comparison.enterprises.filter(pl.col("uscc") == uscc)
    if not rows.height:
        return []
    row = rows.row(0, named=True)
    explainer = _Explainer(comparison.base, comparison.variant)
    out: list[str] = []
    if row["status_before"] != row["status_after"]:
        out.append(
            f"评价状态由「{STATUS_LABELS.get(row['status_before'], '无')}」变为"
            f"「{STATUS_LABELS.get(row['status_after'], '无')}」"
        )
    tb, ta = row["total_score_before"], row["total_score_after"]
    if tb is not None and ta is not None:
        out.append(f"总分 {tb:.2f} → {ta:.2f}（{ta - tb:+.2f}）")
    out += explainer._indicator_reasons(row)
    group, rb, ra = row["group"], row["rank_before"], row["rank_after"]
    if group is not None and rb is not None and ra is not None:
        nb, na = explainer.n_before.get(group, 0), explainer.n_after.get(group, 0)
        out.append(f"{GROUP_LABELS.get(group, group)}组内排名 {rb}/{nb} → {ra}/{na}")
    return out
