"""Robustness of the classes under weight perturbation (权重扰动下的分类稳定性).

Question: which enterprises' classes depend on the arbitrary choice of
weights? Each draw multiplies every weight of every group independently by
``1 + u`` with ``u`` uniform in ``[-spread, +spread]``, rescales each group's
weights to the scheme's total, and re-classifies. An enterprise whose class
is the same in fewer than ``threshold`` of the draws is flagged fragile
(「类别取决于权重设定」).

Why it is fast (1,000 draws × 10,000 enterprises in well under a second):
the engine runs once. Weights enter every indicator score linearly (score =
weight × clipped ratio; a missing value scores 0 under policy ``zero`` and
weight × the group mean of clipped ratios under ``group_mean``), and the
benchmarks do not depend on weights, so a draw's score of indicator k is the
engine's score × (new weight / old weight). Totals for a chunk of draws are
one multiply-add per indicator on a (draws × enterprises) array. Classes need
no full ranking: with rank = 1 + the number strictly higher, rank <= R holds
exactly when the total is >= the R-th largest total of the group's evaluated
enterprises, which ``np.partition`` finds in linear time per draw. With
spread 0 every ratio new/old weight is exactly 1.0 and the sums run in the
engine's indicator order, so the engine's classes come back bit for bit.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import polars as pl

from zonehero.core.domain.energy import CoefficientTable
from zonehero.core.evaluation.engine import evaluate
from zonehero.core.evaluation.result import EvaluationResult
from zonehero.core.evaluation.scheme_model import CLASS_KEYS, Classes, Scheme
from zonehero.errors import InputError, InputProblem

DEFAULT_DRAWS = 1000
DEFAULT_SPREAD = 0.20
DEFAULT_THRESHOLD = 0.80
CHUNK_CELLS = 4_000_000
"""Upper bound on draws × enterprises held at once per group (about 32 MB of float64)."""

_CLASS_INDEX = {c: i for i, c in enumerate(CLASS_KEYS)}
_D = _CLASS_INDEX["D"]
_C = _CLASS_INDEX["C"]

STABILITY_SCHEMA: dict[str, pl.DataType] = {
    "uscc": pl.String(),
    "name": pl.String(),
    "group": pl.String(),
    "status": pl.String(),
    "class": pl.String(),
    "share_same_class": pl.Float64(),
    "most_frequent_other_class": pl.String(),
    "share_most_frequent_other": pl.Float64(),
    "share_a": pl.Float64(),
    "share_b": pl.Float64(),
    "share_c": pl.Float64(),
    "share_d": pl.Float64(),
    "fragile": pl.Boolean(),
}


def class_stability(
    frame: pl.DataFrame,
    scheme: Scheme,
    *,
    year: int,
    draws: int = DEFAULT_DRAWS,
    spread: float = DEFAULT_SPREAD,
    seed: int = 0,
    threshold: float = DEFAULT_THRESHOLD,
    coefficients: CoefficientTable | None = None,
) -> pl.DataFrame:
    """Per classed enterprise: the share of weight draws in which it keeps its class (see module doc).

    Columns: uscc, name, group, status, class, share_same_class,
    most_frequent_other_class (null when it never changes),
    share_most_frequent_other, share_a … share_d, fragile
    (share_same_class < ``threshold``). Reproducible for a ``seed``.
    """
    result = evaluate(frame, scheme, year=year, coefficients=coefficients)
    return stability_of_result(result, draws=draws, spread=spread, seed=seed, threshold=threshold)


def stability_of_result(
    result: EvaluationResult,
    *,
    draws: int = DEFAULT_DRAWS,
    spread: float = DEFAULT_SPREAD,
    seed: int = 0,
    threshold: float = DEFAULT_THRESHOLD,
    progress: Callable[[int, int], None] | None = None,
) -> pl.DataFrame:
    """:func:`class_stability` of an existing run (no re-evaluation: a stored draft can be checked as is).

    ``progress(done, total)`` counts draws over the groups (a zone of two groups has ``2 × draws`` to do) and is
    called after each chunk: a province's check takes minutes and runs as a job that shows it.
    """
    _check_arguments(draws, spread, threshold)
    scheme = result.scheme
    factors = weight_factors(scheme, draws=draws, spread=spread, seed=seed)
    classed = result.enterprises.filter(pl.col("class").is_not_null())
    groups = [(k, g, classed.filter(pl.col("group") == k)) for k, g in scheme.groups.items()]
    groups = [(k, g, rows) for k, g, rows in groups if rows.height]
    total = draws * len(groups)
    parts: list[pl.DataFrame] = []
    for number, (group_key, group, rows) in enumerate(groups):
        keys = [k for k in scheme.indicator_keys if k in {i.key for i in group.indicators}]
        scores = np.column_stack([rows[f"{k}__score"].fill_null(0.0).to_numpy().astype(np.float64) for k in keys])
        ratios = factors[group_key][:, [[i.key for i in group.indicators].index(k) for k in keys]]
        counts = _class_counts(
            scores=scores,
            bonus=rows["bonus"].fill_null(0.0).to_numpy().astype(np.float64),
            evaluated=(rows["status"] == "evaluated").to_numpy(),
            ratios=ratios,
            classes=scheme.classes,
            progress=_offset(progress, number * draws, total),
        )
        parts.append(_summarise(rows, counts, draws, threshold))
    if not parts:
        return pl.DataFrame(schema=STABILITY_SCHEMA)
    return pl.concat(parts).select(list(STABILITY_SCHEMA))


def _offset(progress: Callable[[int, int], None] | None, start: int, total: int) -> Callable[[int], None] | None:
    """One group's draws done, reported as the draws done over every group."""
    if progress is None:
        return None
    report = progress
    return lambda done: report(start + done, total)


def weight_factors(scheme: Scheme, *, draws: int, spread: float, seed: int) -> dict[str, np.ndarray]:
    """Per group, a (draws × indicators) array of new weight / scheme weight, in the group's indicator order.

    One generator draws every factor up front in scheme order (group, then
    indicator), so the result depends only on the seed, never on chunking.
    Each draw's weights are rescaled to the group's total weight.
    """
    rng = np.random.default_rng(seed)
    sizes = [len(g.indicators) for g in scheme.groups.values()]
    noise = rng.uniform(-spread, spread, size=(draws, sum(sizes))) if spread > 0 else np.zeros((draws, sum(sizes)))
    out: dict[str, np.ndarray] = {}
    start = 0
    for (group_key, group), size in zip(scheme.groups.items(), sizes, strict=True):
        weights = np.array([i.weight for i in group.indicators], dtype=np.float64)
        drawn = weights * (1.0 + noise[:, start : start + size])
        drawn *= weights.sum() / drawn.sum(axis=1, keepdims=True)
        out[group_key] = drawn / weights
        start += size
    return out


def _class_counts(
    *,
    scores: np.ndarray,
    bonus: np.ndarray,
    evaluated: np.ndarray,
    ratios: np.ndarray,
    classes: Classes,
    progress: Callable[[int], None] | None = None,
) -> np.ndarray:
    """(enterprises × 4) number of draws in which each enterprise gets A, B, C, D."""
    n, k = scores.shape
    draws = ratios.shape[0]
    counts = np.zeros((n, len(CLASS_KEYS)), dtype=np.int64)
    vetoed = ~evaluated
    n_evaluated = int(evaluated.sum())
    chunk = max(1, min(draws, CHUNK_CELLS // max(n, 1)))
    scores_t = np.ascontiguousarray(scores.T)
    for start in range(0, draws, chunk):
        r = ratios[start : start + chunk]
        totals = np.multiply(r[:, [0]], scores_t[0][None, :])
        buffer = np.empty_like(totals)
        for j in range(1, k):
            np.multiply(r[:, [j]], scores_t[j][None, :], out=buffer)
            totals += buffer
        totals += bonus[None, :]
        index = _classify(totals, evaluated, n_evaluated, classes)
        if vetoed.any():
            if classes.vetoed_class == "D":
                index[:, vetoed] = _D
            else:
                index[:, vetoed] = np.maximum(index[:, vetoed], _C)
        for c in range(len(CLASS_KEYS)):
            counts[:, c] += (index == c).sum(axis=0)
        if progress is not None:
            progress(min(draws, start + chunk))
    return counts


def _classify(totals: np.ndarray, evaluated: np.ndarray, n_evaluated: int, classes: Classes) -> np.ndarray:
    """Class index (0 = A … 3 = D) of each cell of a (draws × enterprises) totals array, all as if evaluated.

    Quota mode: class X needs rank <= R_X = quota_X × n // 100 (the engine's
    integer rule), i.e. a total >= the R_X-th largest evaluated total.
    """
    draws = totals.shape[0]
    if classes.mode == "threshold":
        bounds = np.array([classes.threshold_a, classes.threshold_b, classes.threshold_c])[None, :]
        cuts = np.broadcast_to(bounds, (draws, 3))
    else:
        limits = [q * n_evaluated // 100 for q in (classes.quota_a, classes.quota_b, classes.quota_c)]
        cuts = np.full((draws, 3), np.inf)
        valid = sorted({n_evaluated - r for r in limits if r >= 1})
        if valid:
            pool = totals[:, evaluated]
            parted = np.partition(pool, valid, axis=1)
            for i, r in enumerate(limits):
                if r >= 1:
                    cuts[:, i] = parted[:, n_evaluated - r]
    index = np.zeros(totals.shape, dtype=np.int8)
    for i in range(3):
        index += totals < cuts[:, [i]]
    return index


def _summarise(rows: pl.DataFrame, counts: np.ndarray, draws: int, threshold: float) -> pl.DataFrame:
    base = rows["class"].replace_strict(_CLASS_INDEX, return_dtype=pl.Int64).to_numpy()
    idx = np.arange(len(base))
    same = counts[idx, base] / draws
    others = counts.copy()
    others[idx, base] = -1
    best = others.argmax(axis=1)
    best_count = others[idx, best]
    labels = np.array(CLASS_KEYS)
    other_class = pl.Series(
        [labels[b] if c > 0 else None for b, c in zip(best, best_count, strict=True)], dtype=pl.String
    )
    shares = counts / draws
    return pl.DataFrame(
        {
            "uscc": rows["uscc"],
            "name": rows["name"],
            "group": rows["group"],
            "status": rows["status"],
            "class": rows["class"],
            "share_same_class": same,
            "most_frequent_other_class": other_class,
            "share_most_frequent_other": np.where(best_count > 0, best_count / draws, 0.0),
            "share_a": shares[:, 0],
            "share_b": shares[:, 1],
            "share_c": shares[:, 2],
            "share_d": shares[:, 3],
            "fragile": same < threshold,
        },
        schema=STABILITY_SCHEMA,
    )


def _check_arguments(draws: int, spread: float, threshold: float) -> None:
    problems = []
    if not isinstance(draws, int) or draws < 1:
        problems.append(InputProblem("抽样次数应为正整数", column="draws"))
    if not 0.0 <= spread < 1.0:
        problems.append(InputProblem("权重扰动幅度应在 0 与 1 之间（不含 1），例如 0.20 表示 ±20%", column="spread"))
    if not 0.0 <= threshold <= 1.0:
        problems.append(InputProblem("稳定性阈值应在 0 与 1 之间", column="threshold"))
    if problems:
        raise InputError(problems)
