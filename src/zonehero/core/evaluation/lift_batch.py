"""升类路径 of every enterprise of a run in one pass: the answers of :func:`lift.explain_lift`, for all at once.

Why a second search: :func:`lift.explain_lift` answers one enterprise, re-scoring its whole group for
each probe and re-running the engine on the whole zone to check; at 100,000 enterprises one notice cost
seconds and all notices hours (issue 11). Here one search runs for all enterprises of a group at once, as
numpy arrays over the candidates, and a probe does not re-score the group:

* one enterprise's change moves each benchmark that uses the figure by a factor ``a`` (a sum with its
  figure replaced), so every other enterprise's total moves by at most
  ``D = Σ weight × cap × (1 − min(a, 1/a))`` (plus its share of the group mean in the group-mean policy);
* the others above the changed total are counted on the sorted base totals at ``own ± D``; when the
  class boundary falls inside that window, just the enterprises inside it are re-scored exactly.

So every probe is decided exactly as the re-scorer (:mod:`rescoring`) decides it. The engine stays the
arbiter: an answer whose total lies within 1e-9 of a rival's total or of a class threshold (where the
engine's floating-point sums could order them otherwise), and the cases the shortcut does not model (a
benchmark or an industry division that becomes degenerate or usable, the own row entering or leaving
the scored set), are answered by the engine-checked search of :mod:`lift`. A test compares both searches
on every enterprise of seeded zones under every scheme variant.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl

from zonehero.core.domain.energy import CoefficientTable, load_coefficients
from zonehero.core.evaluation.lift import (
    STEP,
    EngineCheck,
    Figure,
    LiftExplanation,
    LiftOption,
    cannot_cut,
    explain_without_options,
    figures_of,
    group_total,
    lift_summary,
    next_class,
    reached_option,
    search_limit,
    too_few_places,
    unreachable_option,
    why_not,
)
from zonehero.core.evaluation.rescoring import GroupRescorer
from zonehero.core.evaluation.result import EvaluationResult
from zonehero.core.evaluation.scheme_model import Indicator

GRID_RATIO = 1.02
"""Grid states of the benchmarks lie this factor apart in the number of steps changed."""
WINDOW_CHUNK = 1_000_000
"""Window rows re-scored at once (memory: some tens of bytes each)."""
GRID_STATES_KEPT = 256
"""Grid states kept at once (least recently used dropped): memory stays bounded on a province's groups."""
GRID_MIN_WINDOW = 256
"""A candidate whose window holds more enterprises than this is decided against a grid state (less to re-score)."""
TIE_FLOOR = 1e-13
"""Relative distance under which two totals (or a total and a threshold) always count as tied: the engine decides."""
TIE_SAFETY = 100.0
"""The tie distance is also this many times the largest gap between the re-scorer's and the engine's base totals."""

Changes = dict[str, np.ndarray]


def lift_all(
    result: EvaluationResult,
    *,
    frame: pl.DataFrame | None = None,
    history: pl.DataFrame | None = None,
    coefficients: CoefficientTable | None = None,
) -> dict[str, LiftExplanation]:
    """Every enterprise's lift explanation (uscc → explanation), equal to :func:`lift.explain_lift` for each.

    ``frame`` is the run's input frame for the engine's checks (``result.inputs`` when None), ``history``
    the frame the run was evaluated with.
    """
    table = coefficients if coefficients is not None else load_coefficients()
    check = EngineCheck(
        frame if frame is not None else result.inputs,
        result.scheme,
        year=result.year,
        coefficients=table,
        history=history,
    )
    inputs = {r["uscc"]: r for r in result.inputs.iter_rows(named=True)}
    out: dict[str, LiftExplanation] = {}
    pending: dict[str, list[dict[str, Any]]] = {}
    for row in result.enterprises.iter_rows(named=True):
        fixed = explain_without_options(row)
        if fixed is not None:
            out[row["uscc"]] = fixed
        else:
            pending.setdefault(row["group"], []).append(row)
    for group, rows in pending.items():
        answers = _GroupSearch(result, group, check).answer(rows, inputs, table)
        for row in rows:
            cls = row["class"]
            target = next_class(cls)
            options = answers[row["uscc"]]
            out[row["uscc"]] = LiftExplanation(
                uscc=row["uscc"],
                name=row["name"],
                group=group,
                status=row["status"],
                current_class=cls,
                target_class=target,
                summary=lift_summary(cls, target, options),
                options=options,
            )
    return out


@dataclass
class _Indicator:
    """One indicator of the group as scored: the arrays the re-scorer computes, kept for incremental probes."""

    spec: Indicator
    num: np.ndarray
    den: np.ndarray
    has: np.ndarray
    value: np.ndarray
    bench: np.ndarray
    scores: np.ndarray
    fill: float
    zone_num: float
    zone_den: float
    zone_count: int
    div_num: np.ndarray
    div_den: np.ndarray
    div_count: np.ndarray


@dataclass(frozen=True)
class _Base:
    """The group's totals with the benchmarks in one state (as scored, or as if someone's figure moved by a step)."""

    totals: np.ndarray
    sorted_totals: np.ndarray
    sorted_rows: np.ndarray
    zones: dict[str, float]
    """The zone benchmark of each indicator the state moved (empty: as scored)."""


@dataclass
class _Probe:
    """Candidates' totals with their figures changed, and the bound on everyone else's move."""

    own: np.ndarray
    bound: np.ndarray
    odd: np.ndarray
    """The shortcut does not model this candidate's change: the engine-checked search answers it."""
    exact: np.ndarray
    """Every part of the candidate's total is a multiple of 2**-10: the sum has no rounding, in any order."""
    zone: dict[str, np.ndarray]
    division: dict[str, np.ndarray]


class _GroupSearch:
    """The grid search of every candidate of one group, figure by figure."""

    def __init__(self, result: EvaluationResult, group: str, check: EngineCheck) -> None:
        self.rescorer = GroupRescorer(result, group)
        self.check = check
        self.scheme = result.scheme
        r = self.rescorer
        self.evaluated = r.evaluated
        self.totals = r.totals()
        self.indicators = [self._indicator(i) for i in r.indicators]
        self.base = self.state(self.totals, {})
        self.sorted_rows = self.base.sorted_rows
        self.sorted_totals = self.base.sorted_totals
        self.n_evaluated = len(self.sorted_rows)
        self.pool = {i.spec.key: int((self.evaluated & i.has).sum()) for i in self.indicators}
        engine = result.enterprises.filter(
            (pl.col("group") == group) & pl.col("status").is_in(["evaluated", "vetoed"])
        )["total_score"].to_numpy()
        gap = np.abs(self.totals - engine.astype(np.float64))
        self.tie = max(TIE_FLOOR, TIE_SAFETY * float(np.nanmax(gap, initial=0.0)))
        """Absolute tie distance: how far apart two floating-point computations of the same total may land."""

    def state(self, totals: np.ndarray, zones: dict[str, float]) -> _Base:
        """A benchmark state: everyone's totals, and the evaluated ones sorted."""
        eval_rows = np.flatnonzero(self.evaluated)
        order = np.argsort(totals[eval_rows], kind="stable")
        rows = eval_rows[order]
        return _Base(totals, totals[rows], rows, zones)

    def moved(self, zones: dict[str, float]) -> _Base:
        """The state with the zone benchmarks of some indicators moved (nobody's figures changed)."""
        total = np.zeros(len(self.totals))
        for ind in self.indicators:
            if ind.spec.key in zones:
                bench = np.full(len(total), zones[ind.spec.key])
                total = total + self._score(ind.spec, ind.value, bench, ind.has, ind.fill)
            else:
                total = total + ind.scores
        return self.state(total + self.rescorer.bonus, zones)

    def tie_at(self, total: np.ndarray) -> np.ndarray:
        """The tie distance around each total."""
        return np.maximum(self.tie, TIE_FLOOR * np.abs(total))

    # --- the group as scored -------------------------------------------------------------------

    def _indicator(self, ind: Indicator) -> _Indicator:
        r = self.rescorer
        num, den = r.fields[ind.numerator], r.fields[ind.denominator]
        has = ~np.isnan(num) & ~np.isnan(den) & (den > 0)
        with np.errstate(divide="ignore", invalid="ignore"):
            value = np.where(has, num / den * ind.multiplier, np.nan)
        bench = r._benchmarks(ind, num, den, has)
        scores = r._scores(ind, num, den, self.scheme.scoring.cap)
        fill = 0.0
        if self.scheme.scoring.missing_policy == "group_mean":
            observed = np.where(np.isnan(bench) | (bench <= 0), 0.0, self._weighted(ind, value, bench))
            pool = self.evaluated & has
            fill = float(observed[pool].mean()) if pool.any() else 0.0
        members = has & (r.division >= 0)
        size = r.n_divisions
        return _Indicator(
            spec=ind,
            num=num,
            den=den,
            has=has,
            value=value,
            bench=bench,
            scores=scores,
            fill=fill,
            zone_num=float(num[has].sum()),
            zone_den=float(den[has].sum()),
            zone_count=int(has.sum()),
            div_num=np.bincount(r.division[members], weights=num[members], minlength=size),
            div_den=np.bincount(r.division[members], weights=den[members], minlength=size),
            div_count=np.bincount(r.division[members], minlength=size),
        )

    def _weighted(self, ind: Indicator, value: np.ndarray, bench: np.ndarray) -> np.ndarray:
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = value / bench if ind.direction == "higher" else bench / value
            return ind.weight * np.clip(ratio, 0.0, self.scheme.scoring.cap)

    def _score(self, ind: Indicator, value: np.ndarray, bench: np.ndarray, has: np.ndarray, fill: Any) -> np.ndarray:
        degenerate = np.isnan(bench) | (bench <= 0)
        return np.where(degenerate, 0.0, np.where(has, self._weighted(ind, value, bench), fill))

    def _zone(self, ind: _Indicator, s_num: np.ndarray, s_den: np.ndarray, count: np.ndarray) -> np.ndarray:
        scoring = self.scheme.scoring
        with np.errstate(divide="ignore", invalid="ignore"):
            zone = s_num / s_den * ind.spec.multiplier * scoring.benchmark_factor
        return np.where((count > 0) & (s_den > 0), zone, np.nan)

    def _usable(self, count: np.ndarray, den: np.ndarray) -> np.ndarray:
        return (count >= self.scheme.scoring.industry_min_count) & (den > 0)

    # --- one probe for many candidates ---------------------------------------------------------

    def probe(self, rows: np.ndarray, changes: Changes) -> _Probe:
        """Each candidate's total with its changes, the bound on the others' move, and what the shortcut skips."""
        scoring = self.scheme.scoring
        mode = scoring.benchmark_mode
        c = len(rows)
        own = np.zeros(c)
        exact = _dyadic(self.rescorer.bonus[rows])
        bound = np.zeros(c)
        odd = np.zeros(c, dtype=bool)
        zones: dict[str, np.ndarray] = {}
        divisions: dict[str, np.ndarray] = {}
        division = self.rescorer.division[rows]
        for ind in self.indicators:
            spec = ind.spec
            key = spec.key
            if spec.numerator not in changes and spec.denominator not in changes:
                own = own + ind.scores[rows]
                exact &= _dyadic(ind.scores[rows])
                continue
            num_o, den_o = ind.num[rows], ind.den[rows]
            num_n = changes.get(spec.numerator, num_o)
            den_n = changes.get(spec.denominator, den_o)
            has_o = ind.has[rows]
            has_n = ~np.isnan(num_n) & ~np.isnan(den_n) & (den_n > 0)
            odd |= has_o != has_n
            d_num = np.where(has_n, num_n, 0.0) - np.where(has_o, num_o, 0.0)
            d_den = np.where(has_n, den_n, 0.0) - np.where(has_o, den_o, 0.0)
            d_count = has_n.astype(np.int64) - has_o.astype(np.int64)
            zone_o = self._zone(ind, np.full(c, ind.zone_num), np.full(c, ind.zone_den), np.full(c, ind.zone_count))
            zone_n = self._zone(ind, ind.zone_num + d_num, ind.zone_den + d_den, ind.zone_count + d_count)
            if mode == "fixed":
                bench_n = np.full(c, float(self.scheme.fixed_benchmarks[self.rescorer.group][key]))
                move = np.zeros(c)
            else:
                odd |= _valid(zone_o) != _valid(zone_n)
                move = self._move(spec, zone_o, zone_n)
                bench_n = zone_n
                if mode == "industry":
                    known = division >= 0
                    d = np.where(known, division, 0)
                    div_o = self._division(ind, ind.div_num[d], ind.div_den[d])
                    div_n = self._division(ind, ind.div_num[d] + d_num, ind.div_den[d] + d_den)
                    usable_o = known & self._usable(ind.div_count[d], ind.div_den[d])
                    usable_n = known & self._usable(ind.div_count[d] + d_count, ind.div_den[d] + d_den)
                    odd |= (usable_o != usable_n) | (usable_n & (_valid(div_o) != _valid(div_n)))
                    move = np.maximum(move, np.where(usable_n, self._move(spec, div_o, div_n), 0.0))
                    bench_n = np.where(usable_n, div_n, zone_n)
                    divisions[key] = div_n
            zones[key] = zone_n
            with np.errstate(divide="ignore", invalid="ignore"):
                value_n = np.where(has_n, num_n / den_n * spec.multiplier, np.nan)
            fill_o = ind.fill
            if scoring.missing_policy == "group_mean":
                pool = max(self.pool[key], 1)
                observed_o = np.where(
                    _valid(ind.bench[rows]), self._weighted(spec, ind.value[rows], ind.bench[rows]), 0
                )
                observed_n = np.where(_valid(bench_n), self._weighted(spec, value_n, bench_n), 0.0)
                share = np.where(has_o, np.abs(observed_n - observed_o) / pool, 0.0)
                move = move + share
            score = self._score(spec, value_n, bench_n, has_n, fill_o)
            own = own + score
            exact &= _dyadic(score)
            bound = bound + move
        own = own + self.rescorer.bonus[rows]
        return _Probe(own, bound, odd, exact, zones, divisions)

    def _division(self, ind: _Indicator, s_num: np.ndarray, s_den: np.ndarray) -> np.ndarray:
        with np.errstate(divide="ignore", invalid="ignore"):
            return s_num / s_den * ind.spec.multiplier * self.scheme.scoring.benchmark_factor

    def _move(self, spec: Indicator, before: np.ndarray, after: np.ndarray) -> np.ndarray:
        """The most a score weight × clip(ratio, 0, cap) moves when its benchmark goes from ``before`` to ``after``."""
        with np.errstate(divide="ignore", invalid="ignore"):
            a = after / before
        a = np.where(_valid(before) & _valid(after), a, 1.0)
        return spec.weight * self.scheme.scoring.cap * (1.0 - np.minimum(a, 1.0 / a))

    # --- counting the others above a changed total ---------------------------------------------

    def _above(self, x: np.ndarray, rows: np.ndarray, base: _Base | None = None) -> np.ndarray:
        """Evaluated enterprises other than ``rows`` whose total in ``base`` (as scored) is above ``x``."""
        b = base or self.base
        above = len(b.sorted_totals) - np.searchsorted(b.sorted_totals, x, side="right")
        return above - (b.totals[rows] > x)

    def windows_above(
        self,
        rows: np.ndarray,
        probe: _Probe,
        which: np.ndarray,
        changes: Changes,
        segments: list[tuple[np.ndarray, _Base, np.ndarray]] | None = None,
        *,
        ties: bool = True,
    ) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`exact_above` for the candidates ``which`` of the probe at once (their windows re-scored together).

        ``segments`` split ``which`` (by positions into it) among the states their windows are taken in, each with
        how far the probe's totals can lie from it; by default all in the group as scored with the probe's bound.
        ``ties=False`` skips finding ties (a search step needs only the count).
        """
        if self.scheme.scoring.missing_policy == "group_mean":
            pairs = [self.exact_above(rows, probe, int(i), changes) for i in which]
            return np.array([a for a, _ in pairs], dtype=np.int64), np.array([t for _, t in pairs], dtype=bool)
        n = len(which)
        own = probe.own[which]
        eps = self.tie_at(own)
        if segments is None:
            segments = [(np.arange(n), self.base, probe.bound[which])]
        above = np.zeros(n, dtype=np.int64)
        tied = np.zeros(n, dtype=bool)
        for part, b, bound in segments:
            reach = bound + eps[part]
            lo = np.searchsorted(b.sorted_totals, own[part] - reach, side="right")
            hi = np.searchsorted(b.sorted_totals, own[part] + reach, side="right")
            above[part] = len(b.sorted_totals) - hi - (b.totals[rows[which[part]]] > own[part] + reach)
            # Re-scored in slices of at most WINDOW_CHUNK rows: a province's wide windows would not fit at once.
            ends = np.cumsum(hi - lo)
            first = 0
            while first < len(part):
                base_count = ends[first - 1] if first else 0
                last = max(first + 1, int(np.searchsorted(ends, base_count + WINDOW_CHUNK, side="right")))
                chunk = slice(first, last)
                self._rescore_windows(rows, probe, which, part[chunk], b, lo[chunk], hi[chunk], above, tied, ties)
                first = last
        return above, tied

    def _rescore_windows(
        self,
        rows: np.ndarray,
        probe: _Probe,
        which: np.ndarray,
        part: np.ndarray,
        b: _Base,
        lo: np.ndarray,
        hi: np.ndarray,
        above: np.ndarray,
        tied: np.ndarray,
        ties: bool,
    ) -> None:
        """Add to ``above`` (and ``tied``) the window rows of candidates ``part`` above their changed totals."""
        own = probe.own[which]
        sizes = hi - lo
        starts = np.repeat(lo - np.cumsum(sizes) + sizes, sizes)
        window = b.sorted_rows[starts + np.arange(int(sizes.sum()))]
        owner = np.repeat(part, sizes)
        keep = window != rows[which][owner]
        window, owner = window[keep], owner[keep]
        totals = np.zeros(len(window))
        exact = _dyadic(self.rescorer.bonus[window]) if ties else None
        for ind in self.indicators:
            key = ind.spec.key
            if key not in probe.zone:
                score = ind.scores[window]
            else:
                bench = self._window_bench(ind, window, rows[which][owner], probe, which[owner])
                score = self._score(ind.spec, ind.value[window], bench, ind.has[window], ind.fill)
            totals = totals + score
            if exact is not None:
                exact &= _dyadic(score)
        totals = totals + self.rescorer.bonus[window]
        above += np.bincount(owner[totals > own[owner]], minlength=len(above))
        if exact is None:
            return
        # Equal sums of parts that are all multiples of 2**-10 are equal for the engine too: not a tie to check.
        settled = (totals == own[owner]) & exact & probe.exact[which][owner]
        close = (np.abs(totals - own[owner]) <= self.tie_at(own)[owner]) & ~settled
        tied |= np.bincount(owner[close], minlength=len(tied)) > 0

    def _window_bench(
        self, ind: _Indicator, window: np.ndarray, owner_rows: np.ndarray, probe: _Probe, owner: np.ndarray
    ) -> np.ndarray:
        """Each window row's benchmark when its owner candidate (group row ``owner_rows``) has changed."""
        mode = self.scheme.scoring.benchmark_mode
        key = ind.spec.key
        if mode == "fixed":
            return ind.bench[window]
        zone = probe.zone[key][owner]
        if mode == "zone":
            return zone
        division = self.rescorer.division
        known = division[window] >= 0
        d = np.where(known, division[window], 0)
        usable = known & self._usable(ind.div_count[d], ind.div_den[d])
        bench = np.where(usable, ind.bench[window], zone)
        own_division = division[owner_rows]
        od = np.where(own_division >= 0, own_division, 0)
        own_usable = (own_division >= 0) & self._usable(ind.div_count[od], ind.div_den[od])
        own_bench = np.where(own_usable, probe.division[key][owner], zone)
        same = (own_division >= 0) & (division[window] == own_division)
        return np.where(same, own_bench, bench)

    def exact_above(self, rows: np.ndarray, probe: _Probe, i: int, changes: Changes) -> tuple[int, bool]:
        """Candidate ``i`` of the probe: how many others are above its changed total, and whether one is tied."""
        own, bound = float(probe.own[i]), float(probe.bound[i])
        eps = float(self.tie_at(np.array([own]))[0])
        lo = np.searchsorted(self.sorted_totals, own - bound - eps, side="right")
        hi = np.searchsorted(self.sorted_totals, own + bound + eps, side="right")
        window = self.sorted_rows[lo:hi]
        window = window[window != rows[i]]
        certain = len(self.sorted_totals) - hi - int(self.totals[rows[i]] > own + bound + eps)
        if not len(window):
            return int(certain), False
        totals = self._rescored(window, int(rows[i]), probe, i, changes)
        return int(certain) + int((totals > own).sum()), bool((np.abs(totals - own) <= eps).any())

    def _rescored(self, window: np.ndarray, row: int, probe: _Probe, i: int, changes: Changes) -> np.ndarray:
        """The totals of the ``window`` rows when candidate ``i`` (group row ``row``) has its figures changed."""
        total = np.zeros(len(window))
        for ind in self.indicators:
            key = ind.spec.key
            if key not in probe.zone:
                total = total + ind.scores[window]
                continue
            bench = self._candidate_bench(ind, window, row, probe, i)
            fill: Any = ind.fill
            if self.scheme.scoring.missing_policy == "group_mean":
                fill = self._group_mean(ind, row, probe, i, changes)
            total = total + self._score(ind.spec, ind.value[window], bench, ind.has[window], fill)
        return total + self.rescorer.bonus[window]

    def _candidate_bench(self, ind: _Indicator, where: np.ndarray, row: int, probe: _Probe, i: int) -> np.ndarray:
        """:meth:`_window_bench` of the rows ``where`` for the one candidate ``i`` (group row ``row``)."""
        owners = np.full(len(where), i)
        return self._window_bench(ind, where, np.full(len(where), row), probe, owners)

    def _group_mean(self, ind: _Indicator, row: int, probe: _Probe, i: int, changes: Changes) -> float:
        """The group-mean fill with the candidate's change: the mean observed score over the scored pool, again."""
        spec = ind.spec
        pool = np.flatnonzero(self.evaluated & ind.has)
        if not len(pool):
            return 0.0
        bench = self._candidate_bench(ind, pool, row, probe, i)
        value = ind.value[pool].copy()
        at = np.flatnonzero(pool == row)
        if len(at):
            num = changes[spec.numerator][[i]] if spec.numerator in changes else ind.num[[row]]
            den = changes[spec.denominator][[i]] if spec.denominator in changes else ind.den[[row]]
            value[at] = num / den * spec.multiplier
        observed = np.where(_valid(bench), self._weighted(spec, value, bench), 0.0)
        return float(observed.mean())

    # --- the search ----------------------------------------------------------------------------

    def answer(
        self, rows: list[dict[str, Any]], inputs: dict[str, dict[str, Any]], table: CoefficientTable
    ) -> dict[str, list[LiftOption]]:
        """Each candidate's five options, in the order of :func:`lift.figures_of`."""
        figures = {
            row["uscc"]: figures_of(inputs[row["uscc"]], row, self.scheme, self.rescorer.group, table) for row in rows
        }
        targets = {row["uscc"]: next_class(row["class"]) for row in rows}
        out: dict[str, list[LiftOption]] = {u: [] for u in figures}
        for slot in range(len(next(iter(figures.values())))):
            batch: dict[str, list[tuple[str, Figure]]] = {}
            for uscc, figs in figures.items():
                fig = figs[slot]
                target = targets[uscc]
                answered = self._early(fig, target)
                if answered is not None:
                    out[uscc].append(answered)
                else:
                    batch.setdefault(fig.key, []).append((uscc, fig))
            for members in batch.values():
                for uscc, option in self._search(members, targets).items():
                    out[uscc].append(option)
        return out

    def _early(self, fig: Figure, target: str) -> LiftOption | None:
        if fig.problem:
            return unreachable_option(fig, target, fig.problem)
        if self.scheme.classes.mode == "quota" and self.rescorer.cutoff_rank(target) == 0:
            return unreachable_option(fig, target, too_few_places(target))
        return None

    def _search(self, members: list[tuple[str, Figure]], target_of: dict[str, str]) -> dict[str, LiftOption]:
        """The options of one figure for ``members`` (all the same figure key), searched together."""
        key = members[0][1].key
        usccs = [u for u, _ in members]
        figs = [f for _, f in members]
        index = np.array([self.rescorer.position[u] for u in usccs], dtype=np.int64)
        targets = [target_of[u] for u in usccs]
        current = np.array([f.current for f in figs], dtype=np.float64)
        sign = 1.0 if figs[0].direction == "rise" else -1.0
        total = group_total(self.rescorer, key)
        k_max = np.array([search_limit(f, total) for f in figs], dtype=np.int64)
        changes_of = self._changes_of(figs, index, current, sign)
        need = self._need(targets)
        decide = _Decider(self, index, changes_of, need)

        state = np.where(k_max < 1, _CUT, _OPEN)
        state[(state == _OPEN) & self._out_of_reach(index, changes_of, need)] = _NONE
        # Where the answer can lie: the others all falling by the bound (optimistic) or all rising by it
        # (pessimistic) need only the sorted totals; the exact count then runs on that short interval.
        floor = _smallest(decide, "optimistic", state, np.ones_like(k_max), k_max)
        state[(state == _OPEN) & (floor < 0)] = _NONE
        ceiling = _smallest(decide, "pessimistic", state.copy(), np.maximum(floor, 1), k_max, bisect=False)
        checked = np.flatnonzero((state == _OPEN) & (ceiling >= 0))
        if checked.size:
            reached, odd = decide.ask("exact", checked, ceiling[checked])
            state[checked[odd]] = _ODD
            ceiling[checked[~reached]] = -1
        climb = (state == _OPEN) & (ceiling < 0)
        if climb.any():
            parked = (state == _OPEN) & ~climb
            state[parked] = _DONE
            above = _smallest(decide, "exact", state, np.maximum(floor, 1), k_max, bisect=False)
            state[climb & (above < 0) & (state == _OPEN)] = _NONE
            state[parked] = _OPEN
            ceiling = np.where(climb, above, ceiling)
        lo, hi = floor - 1, ceiling
        searching = np.flatnonzero(state == _OPEN)
        while (open_ := searching[hi[searching] - lo[searching] > 1]).size:
            mid = (lo[open_] + hi[open_]) // 2
            reached, odd = decide.ask("exact", open_, mid)
            state[open_[odd]] = _ODD
            hi[open_[reached & ~odd]] = mid[reached & ~odd]
            lo[open_[~reached & ~odd]] = mid[~reached & ~odd]
            searching = np.flatnonzero(state == _OPEN)
        state[state == _OPEN] = _FOUND

        settled = np.flatnonzero(state == _FOUND)
        own, rank, unsure = self._settle(decide, settled, hi[settled])
        state[settled[unsure]] = _TIED
        slot = {int(j): n for n, j in enumerate(settled)}
        out: dict[str, LiftOption] = {}
        for j, (uscc, fig) in enumerate(members):
            target = targets[j]
            if state[j] == _CUT:
                out[uscc] = unreachable_option(fig, target, cannot_cut(fig))
            elif state[j] == _NONE:
                out[uscc] = unreachable_option(fig, target, why_not(fig))
            elif state[j] == _FOUND:
                n, k = slot[j], int(hi[j])
                total, place = float(own[n]), int(rank[n])
                required = float(current[j] + sign * k * STEP)
                out[uscc] = reached_option(fig, target, k, required, self._class(place, total), total, place)
            elif state[j] == _TIED:
                out[uscc] = self.check.settle(self.rescorer, uscc, target, fig, int(hi[j]))
            else:
                out[uscc] = self.check.search(self.rescorer, uscc, target, fig)
        return out

    def _settle(self, decide: _Decider, at: np.ndarray, k: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """At ``k`` steps: each candidate's total and rank, and whether a tie leaves it to the engine."""
        above, tied, own = decide.exact(at, k)
        unsure = tied | decide.odd | decide.near_threshold(own)
        less = np.flatnonzero(k > 1)
        if less.size:
            _, tied_less, own_less = decide.exact(at[less], k[less] - 1)
            unsure[less] |= tied_less | decide.odd | decide.near_threshold(own_less)
        return own, 1 + above, unsure

    def _out_of_reach(
        self, index: np.ndarray, changes_of: Callable[[np.ndarray, np.ndarray], Changes], need: np.ndarray
    ) -> np.ndarray:
        """Candidates no change of the figure can lift: even with every score it moves at the cap, they stay below.

        The others' totals cannot fall below their totals without the scores the figure moves (L); the
        candidate's cannot rise above its other scores plus weight × cap for each score moved (U).
        """
        moved = set(changes_of(np.arange(1), np.ones(1, dtype=np.int64)))
        affected = [i for i in self.indicators if {i.spec.numerator, i.spec.denominator} & moved]
        cap = self.scheme.scoring.cap
        top = self.totals[index] - sum((i.scores[index] for i in affected), np.zeros(len(index)))
        top = top + sum(i.spec.weight * cap for i in affected)
        top = top + self.tie_at(top)
        if self.scheme.classes.mode == "threshold":
            return top < need
        floor = self.totals - sum((i.scores for i in affected), np.zeros(len(self.totals)))
        rows = self.sorted_rows
        floors = np.sort(floor[rows])
        above = len(floors) - np.searchsorted(floors, top, side="right")
        above = above - (floor[index] > top)
        return above >= need

    def _class(self, rank: int, total: float) -> str:
        classes = self.scheme.classes
        if classes.mode == "threshold":
            for cls, bound in zip("ABC", (classes.threshold_a, classes.threshold_b, classes.threshold_c), strict=True):
                if total >= bound:
                    return cls
            return "D"
        for cls, quota in zip("ABC", (classes.quota_a, classes.quota_b, classes.quota_c), strict=True):
            if rank * 100 <= quota * self.n_evaluated:
                return cls
        return "D"

    def _need(self, targets: list[str]) -> np.ndarray:
        """Quota: the last rank of each target class; threshold: each target's threshold."""
        classes = self.scheme.classes
        if classes.mode == "threshold":
            bounds = {"A": classes.threshold_a, "B": classes.threshold_b, "C": classes.threshold_c}
            return np.array([bounds[t] for t in targets], dtype=np.float64)
        return np.array([self.rescorer.cutoff_rank(t) for t in targets], dtype=np.float64)

    def _changes_of(
        self, figs: list[Figure], index: np.ndarray, current: np.ndarray, sign: float
    ) -> Callable[[np.ndarray, np.ndarray], Changes]:
        """Candidates ``at`` with ``k`` steps → the fields as the indicators use them, as arrays."""
        key = figs[0].key
        if key != "electricity_10k_kwh":

            def simple(at: np.ndarray, k: np.ndarray) -> Changes:
                return {key: current[at] + sign * k * STEP}

            return simple
        # 用电量 moves the energy (and the CO2 when it too is computed) by the fuel coefficients, as Figure.used does.
        coefficient = self.check.coefficients.fuels["electricity_10k_kwh"]
        now = [f.used(float(f.current)) for f in figs]  # type: ignore[arg-type]
        energy0 = np.array([u["energy_tce"] for u in now], dtype=np.float64)
        has_co2 = np.array(["co2_t" in u for u in now])
        co2_0 = np.array([u.get("co2_t", np.nan) for u in now], dtype=np.float64)
        co2_now = self.rescorer.fields["co2_t"][index]

        def electricity(at: np.ndarray, k: np.ndarray) -> Changes:
            delta = (current[at] + sign * k * STEP) - current[at]
            out = {"energy_tce": energy0[at] + delta * coefficient.tce}
            out["co2_t"] = np.where(has_co2[at], co2_0[at] + delta * coefficient.co2_t, co2_now[at])
            return out

        return electricity


_OPEN, _FOUND, _NONE, _CUT, _ODD, _DONE, _TIED = range(7)


def _smallest(
    decide: _Decider, how: str, state: np.ndarray, start: np.ndarray, k_max: np.ndarray, *, bisect: bool = True
) -> np.ndarray:
    """For the open candidates, the smallest k in [start, k_max] that reaches (-1 when none), assuming monotone.

    Doubling from ``start`` then bisection, as :meth:`lift._Search._smallest` does from 1; without ``bisect``
    the first k found doubling. ``how``: "exact", "optimistic" or "pessimistic" (:meth:`_Decider.bounded`).
    Candidates the decider finds odd are closed in ``state``.
    """
    found = np.full(len(state), -1, dtype=np.int64)
    hi = np.minimum(start, k_max)
    lo = start - 1
    live = state == _OPEN
    while (open_ := np.flatnonzero(live)).size:
        reached, odd = decide.ask(how, open_, hi[open_])
        state[open_[odd]] = _ODD
        live[open_[odd]] = False
        open_, reached = open_[~odd], reached[~odd]
        done = open_[reached]
        found[done] = hi[done]
        live[done] = False
        failed = open_[~reached]
        lo[failed] = hi[failed]
        live[failed[hi[failed] >= k_max[failed]]] = False
        grow = failed[hi[failed] < k_max[failed]]
        hi[grow] = np.minimum(hi[grow] * 2, k_max[grow])
    if not bisect:
        return found
    hi = found.copy()
    searching = np.flatnonzero((found >= 0) & (state == _OPEN))
    while (open_ := searching[hi[searching] - lo[searching] > 1]).size:
        mid = (lo[open_] + hi[open_]) // 2
        reached, odd = decide.ask(how, open_, mid)
        state[open_[odd]] = _ODD
        hi[open_[reached & ~odd]] = mid[reached & ~odd]
        lo[open_[~reached & ~odd]] = mid[~reached & ~odd]
        searching = np.flatnonzero((found >= 0) & (state == _OPEN))
    return np.where(state == _OPEN, hi, -1)


class _Decider:
    """reaches(k) for many candidates of one figure: the bound first, the window re-scored when it straddles."""

    def __init__(
        self,
        search: _GroupSearch,
        index: np.ndarray,
        changes_of: Callable[[np.ndarray, np.ndarray], Changes],
        need: np.ndarray,
    ) -> None:
        self.search = search
        self.index = index
        self.changes_of = changes_of
        self.need = need
        self.quota = search.scheme.classes.mode == "quota"
        self.odd = np.zeros(0, dtype=bool)
        scoring = search.scheme.scoring
        self.gridded = scoring.benchmark_mode == "zone" and scoring.missing_policy == "zero"
        """Grid states help where every row shares the zone benchmark and a missing value scores 0."""
        self.grid: OrderedDict[int, _Base] = OrderedDict()

    def __call__(self, at: np.ndarray, k: np.ndarray) -> np.ndarray:
        rows = self.index[at]
        changes = self.changes_of(at, k)
        probe = self.search.probe(rows, changes)
        self.odd = probe.odd
        if not self.quota:
            return probe.own >= self.need[at]
        last = self.need[at]
        sure = self.search._above(probe.own + probe.bound, rows) >= last
        maybe = self.search._above(probe.own - probe.bound, rows) <= last - 1
        reached = maybe.copy()
        unsure = np.flatnonzero(~sure & ~maybe & ~probe.odd)
        if unsure.size and self.gridded:
            own, bound = probe.own[unsure], probe.bound[unsure]
            ranks = self.search.sorted_totals
            width = np.searchsorted(ranks, own + bound, side="right") - np.searchsorted(
                ranks, own - bound, side="right"
            )
            wide = width > GRID_MIN_WINDOW
            if wide.any():
                self._near_step(at, k, rows, probe, changes, unsure[wide], reached)
                unsure = unsure[~wide]
        if unsure.size:
            above, _ = self.search.windows_above(rows, probe, unsure, changes, ties=False)
            reached[unsure] = above <= last[unsure] - 1
        return reached

    def _near_step(
        self,
        at: np.ndarray,
        k: np.ndarray,
        rows: np.ndarray,
        probe: _Probe,
        changes: Changes,
        unsure: np.ndarray,
        reached: np.ndarray,
    ) -> None:
        """Decide the unsure candidates against the nearest grid state below their change (GRID_RATIO apart), where
        the others' totals lie much closer to theirs than to the group as scored."""
        step = np.floor(np.log(np.maximum(k[unsure], 1)) / np.log(GRID_RATIO)).astype(np.int64)
        last = self.need[at][unsure]
        own = probe.own[unsure]
        steps, slot = np.unique(step, return_inverse=True)
        bases = [self._grid(int(g), int(at[unsure[np.argmax(slot == n)]])) for n, g in enumerate(steps)]
        bound = np.zeros(len(unsure))
        for ind in self.search.indicators:
            key = ind.spec.key
            if key in probe.zone:
                zones = np.array([b.zones.get(key, np.nan) for b in bases])[slot]
                before = np.where(np.isnan(zones), ind.bench[rows[unsure]], zones)
                bound = bound + self.search._move(ind.spec, before, probe.zone[key][unsure])
        sure = np.zeros(len(unsure), dtype=bool)
        maybe = np.zeros(len(unsure), dtype=bool)
        for n, base in enumerate(bases):
            part = np.flatnonzero(slot == n)
            r = rows[unsure[part]]
            sure[part] = self.search._above(own[part] + bound[part], r, base) >= last[part]
            maybe[part] = self.search._above(own[part] - bound[part], r, base) <= last[part] - 1
        reached[unsure] = maybe
        open_ = np.flatnonzero(~sure & ~maybe)
        if open_.size:
            which = unsure[open_]
            segments = []
            for n, base in enumerate(bases):
                part = np.flatnonzero(slot[open_] == n)
                if part.size:
                    segments.append((part, base, bound[open_[part]]))
            above, _ = self.search.windows_above(rows, probe, which, changes, segments, ties=False)
            reached[which] = above <= last[open_] - 1

    def _grid(self, g: int, representative: int) -> _Base:
        """The group as if one enterprise's figure had moved GRID_RATIO ** g steps (cached per batch)."""
        found = self.grid.get(g)
        if found is None:
            k = np.array([max(1, int(GRID_RATIO**g))], dtype=np.int64)
            at = np.array([representative])
            probe = self.search.probe(self.index[at], self.changes_of(at, k))
            found = self.search.moved({key: float(zone[0]) for key, zone in probe.zone.items()})
            self.grid[g] = found
            if len(self.grid) > GRID_STATES_KEPT:  # a province's group: about 1 MB a state
                self.grid.popitem(last=False)
        else:
            self.grid.move_to_end(g)
        return found

    def ask(self, how: str, at: np.ndarray, k: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """reaches(k) of candidates ``at`` and which of them are odd (exact), or the bounded guess."""
        if how == "exact":
            reached = self(at, k)
            return reached, self.odd
        return self.bounded(at, k, optimistic=how == "optimistic"), np.zeros(len(at), dtype=bool)

    def bounded(self, at: np.ndarray, k: np.ndarray, *, optimistic: bool) -> np.ndarray:
        """reaches(k) if every other total fell (``optimistic``) or rose by the bound: brackets the exact answer."""
        rows = self.index[at]
        probe = self.search.probe(rows, self.changes_of(at, k))
        if not self.quota:
            return probe.own >= self.need[at]
        shifted = probe.own + probe.bound if optimistic else probe.own - probe.bound
        return self.search._above(shifted, rows) <= self.need[at] - 1

    def exact(self, at: np.ndarray, k: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Candidates ``at`` with ``k`` steps: the others above each, whether one is tied, each total."""
        rows = self.index[at]
        changes = self.changes_of(at, k)
        probe = self.search.probe(rows, changes)
        self.odd = probe.odd
        search = self.search
        eps = search.tie_at(probe.own)
        lo = np.searchsorted(search.sorted_totals, probe.own - probe.bound - eps, side="right")
        hi = np.searchsorted(search.sorted_totals, probe.own + probe.bound + eps, side="right")
        own_base = search.totals[rows]
        inside = (own_base > probe.own - probe.bound - eps) & (own_base <= probe.own + probe.bound + eps)
        above = len(search.sorted_totals) - hi - (own_base > probe.own + probe.bound + eps)
        tied = np.zeros(len(rows), dtype=bool)
        crowded = np.flatnonzero(hi - lo - inside > 0)
        if crowded.size:
            above[crowded], tied[crowded] = search.windows_above(rows, probe, crowded, changes)
        return above, tied, probe.own

    def near_threshold(self, own: np.ndarray) -> np.ndarray:
        """Threshold mode: the total lies within the tie distance of a class threshold."""
        if self.quota:
            return np.zeros(len(own), dtype=bool)
        classes = self.search.scheme.classes
        eps = self.search.tie_at(own)
        return np.any(
            [np.abs(own - b) <= eps for b in (classes.threshold_a, classes.threshold_b, classes.threshold_c)], axis=0
        )


def _dyadic(values: np.ndarray) -> np.ndarray:
    """Multiples of 2**-10 (a weight × cap like 60.0 or 22.5, or 0): sums of them round nowhere."""
    scaled = values * 1024.0
    return np.isfinite(scaled) & (scaled == np.round(scaled)) & (np.abs(values) < 2.0**40)


def _valid(bench: np.ndarray) -> np.ndarray:
    return ~np.isnan(bench) & (bench > 0)
