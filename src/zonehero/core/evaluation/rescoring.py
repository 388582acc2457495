"""Fast re-scoring of one group when one enterprise's figures change (for lift explanations).

A lift search asks "which class would enterprise X get if its tax were t?"
dozens of times. Re-running the whole engine each time would do, but costs
tens of milliseconds per question; this module answers in about a millisecond
with numpy over the group's scored enterprises, reproducing spec §5-6 as the
engine does: benchmarks are aggregate ratios over the group's scored
enterprises that have a value (so X's change moves them), per industry
division in ``industry`` mode, fixed in ``fixed`` mode; scores
weight × clip(ratio, 0, cap); missing values per the scheme's policy; ranks
among evaluated enterprises with ties sharing a rank; the integer quota rule
or thresholds. Every answer the lift module reports is then checked with the
real engine, so a rounding difference here can never reach a user.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import polars as pl

from zonehero.core.evaluation.result import EvaluationResult
from zonehero.core.evaluation.scheme_model import CLASS_KEYS, Indicator, Scheme

USED_FIELDS = ("energy_tce", "co2_t")
"""Fields whose value "as used" (given, else from the breakdown) comes from the result, not the inputs."""


class GroupRescorer:
    """The scored enterprises of one group, ready to be re-scored with one enterprise's figures changed."""

    def __init__(self, result: EvaluationResult, group: str) -> None:
        scheme = result.scheme
        self.scheme: Scheme = scheme
        self.group = group
        rows = result.enterprises.filter((pl.col("group") == group) & pl.col("status").is_in(["evaluated", "vetoed"]))
        indicators = scheme.groups[group].indicators
        order = [k for k in scheme.indicator_keys if k in {i.key for i in indicators}]
        self.indicators: list[Indicator] = [scheme.groups[group].indicator(k) for k in order]
        needed = {f for i in self.indicators for f in (i.numerator, i.denominator)} - set(USED_FIELDS)
        inputs = result.inputs.select(["uscc", *sorted(needed)])
        joined = rows.select(["uscc", "status", "industry_division", "bonus", *USED_FIELDS]).join(
            inputs, on="uscc", how="left", maintain_order="left"
        )
        self.uscc: list[str] = joined["uscc"].to_list()
        self.position: dict[str, int] = {u: i for i, u in enumerate(self.uscc)}
        self.fields: dict[str, np.ndarray] = {
            f: joined[f].cast(pl.Float64).to_numpy().astype(np.float64) for f in needed | set(USED_FIELDS)
        }
        self.evaluated = (joined["status"] == "evaluated").to_numpy()
        self.bonus = joined["bonus"].fill_null(0.0).to_numpy().astype(np.float64)
        division = joined["industry_division"].fill_null("").to_numpy().astype(str)
        names, codes = np.unique(division, return_inverse=True)
        self.division = np.where(division == "", -1, codes).astype(np.int64)
        """Industry division as an integer code per row, -1 where unknown."""
        self.n_divisions = len(names)

    def uses(self, field: str) -> bool:
        """Whether any indicator of the group has ``field`` as numerator or denominator."""
        return any(field in (i.numerator, i.denominator) for i in self.indicators)

    def totals(self, row: int | None = None, changes: Mapping[str, float] | None = None) -> np.ndarray:
        """Total scores of the group's scored enterprises with row ``row``'s fields set to ``changes``."""
        fields = self.fields
        if row is not None and changes:
            fields = dict(fields)
            for key, value in changes.items():
                column = fields[key].copy()
                column[row] = value
                fields[key] = column
        scoring = self.scheme.scoring
        total = np.zeros(len(self.uscc))
        for ind in self.indicators:
            total = total + self._scores(ind, fields[ind.numerator], fields[ind.denominator], scoring.cap)
        return total + self.bonus

    def _scores(self, ind: Indicator, num: np.ndarray, den: np.ndarray, cap: float) -> np.ndarray:
        has = ~np.isnan(num) & ~np.isnan(den) & (den > 0)
        with np.errstate(divide="ignore", invalid="ignore"):
            value = np.where(has, num / den * ind.multiplier, np.nan)
        bench = self._benchmarks(ind, num, den, has)
        degenerate = np.isnan(bench) | (bench <= 0)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = value / bench if ind.direction == "higher" else bench / value
            weighted = ind.weight * np.clip(ratio, 0.0, cap)
        observed = np.where(degenerate, 0.0, weighted)
        if self.scheme.scoring.missing_policy == "group_mean":
            pool = self.evaluated & has
            fill = float(observed[pool].mean()) if pool.any() else 0.0
        else:
            fill = 0.0
        return np.where(degenerate, 0.0, np.where(has, weighted, fill))

    def _benchmarks(self, ind: Indicator, num: np.ndarray, den: np.ndarray, has: np.ndarray) -> np.ndarray:
        """Each row's benchmark (NaN where missing), as in evaluation.benchmarks."""
        scoring = self.scheme.scoring
        n = len(num)
        if scoring.benchmark_mode == "fixed":
            return np.full(n, self.scheme.fixed_benchmarks[self.group][ind.key])
        zone = _aggregate(num[has], den[has], ind.multiplier, scoring.benchmark_factor)
        bench = np.full(n, np.nan if zone is None else zone)
        if scoring.benchmark_mode == "industry":
            members = has & (self.division >= 0)
            code = self.division[members]
            size = self.n_divisions
            count = np.bincount(code, minlength=size)
            num_sum = np.bincount(code, weights=num[members], minlength=size)
            den_sum = np.bincount(code, weights=den[members], minlength=size)
            with np.errstate(divide="ignore", invalid="ignore"):
                value = num_sum / den_sum * ind.multiplier * scoring.benchmark_factor
            # A division with too few enterprises, or no positive denominator sum, uses the zone figure.
            usable = (count >= scoring.industry_min_count) & (den_sum > 0)
            known = self.division >= 0
            rows = known.copy()
            rows[known] = usable[self.division[known]]
            bench[rows] = value[self.division[rows]]
        return bench

    def class_of(self, row: int, totals: np.ndarray) -> str:
        """The class of evaluated row ``row`` given everyone's totals (spec §6)."""
        classes = self.scheme.classes
        own = totals[row]
        if classes.mode == "threshold":
            for cls, bound in zip("ABC", (classes.threshold_a, classes.threshold_b, classes.threshold_c), strict=True):
                if own >= bound:
                    return cls
            return "D"
        n = int(self.evaluated.sum())
        rank = 1 + int((totals[self.evaluated] > own).sum())
        for cls, quota in zip("ABC", (classes.quota_a, classes.quota_b, classes.quota_c), strict=True):
            if rank * 100 <= quota * n:
                return cls
        return "D"

    def cutoff_rank(self, cls: str) -> int:
        """Quota mode: the last rank that gets ``cls`` or better (0 when the class has no places)."""
        classes = self.scheme.classes
        quota = {"A": classes.quota_a, "B": classes.quota_b, "C": classes.quota_c, "D": 100}[cls]
        return quota * int(self.evaluated.sum()) // 100


def _aggregate(num: np.ndarray, den: np.ndarray, multiplier: float, factor: float) -> float | None:
    if len(num) == 0:
        return None
    den_sum = float(den.sum())
    if den_sum <= 0:
        return None
    return float(num.sum()) / den_sum * multiplier * factor


CLASS_RANK: dict[str, int] = {c: i for i, c in enumerate(CLASS_KEYS)}
