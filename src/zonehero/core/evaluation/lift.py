"""Explanations an enterprise can act on (升类路径): the smallest change in one figure that lifts it a class.

For an evaluated enterprise below A, and for each single figure — 实缴税金,
工业增加值 and 研发经费支出 (a rise), 综合能耗 (a cut; when the energy is
computed from the fuel breakdown, the cut is in 用电量, which moves both the
energy and, when it too is computed, the CO2), 用地面积 (land given back) —
the smallest change that alone lifts it to the next class up, everyone
else's figures unchanged.

"Everyone else unchanged" does not mean everyone else's scores unchanged:
benchmarks are aggregate ratios that include the enterprise, so its change
moves the benchmark of every indicator that uses the figure, and with it the
others' scores; in quota mode it must then pass the total of whoever holds
the boundary rank (ties share a rank). The ratio cap bounds what a figure can
add, and a rise in a numerator also raises the benchmark, so some classes
are "not reachable by this figure alone"; we say so.

Exactness: changes are searched on the display grid (0.01 of the figure's
unit) by exponential search and bisection with the fast group re-scorer
(:mod:`zonehero.core.evaluation.rescoring`), so the answer is the smallest
displayable change. Every reachable answer is then verified by re-running
:func:`evaluate` on the changed figures: if the engine disagrees, the change
is stepped until it agrees (up until the class is reached, then down while
one step less still reaches it). A figure whose change cannot be verified is
reported as not reachable.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, Literal

import numpy as np
import polars as pl

from zonehero.core.domain.classes import STATUS_LABELS
from zonehero.core.domain.energy import CoefficientTable, load_coefficients
from zonehero.core.domain.fields import FIELDS_BY_KEY
from zonehero.core.evaluation.engine import evaluate
from zonehero.core.evaluation.rescoring import CLASS_RANK, GroupRescorer
from zonehero.core.evaluation.result import EvaluationResult
from zonehero.core.evaluation.scheme_model import CLASS_KEYS, Scheme
from zonehero.errors import NotFound

STEP = 0.01
"""Display resolution of every figure (0.01 万元, 0.01 吨标准煤, 0.01 万千瓦时, 0.01 亩)."""
SEARCH_LIMIT_FACTOR = 1000.0
"""A rise is searched up to this many times the group's total of the figure (or the figure itself)."""
MAX_VERIFY_STEPS = 200
"""Grid steps the engine check may move an answer before giving up (never reached in practice)."""

Direction = Literal["rise", "cut"]


@dataclass(frozen=True)
class LiftOption:
    """One figure's answer: the change that alone lifts the enterprise to ``target_class``.

    ``figure`` is the input field changed (e.g. ``tax`` or ``electricity_10k_kwh``);
    ``change`` is signed (positive for a rise, negative for a cut) and exact
    on the 0.01 grid; ``required`` = ``current`` + ``change``. When
    ``reachable`` is False, ``required``/``change`` are None and ``message``
    says why. ``verified`` is True when the engine re-run confirmed the class.
    """

    figure: str
    label: str
    direction: Direction
    unit: str
    current: float | None
    required: float | None
    change: float | None
    change_pct: float | None
    reachable: bool
    target_class: str
    reached_class: str | None
    new_total: float | None
    new_rank: int | None
    verified: bool
    message: str


@dataclass(frozen=True)
class LiftExplanation:
    """Where the enterprise stands and what would lift it; ``options`` is empty when no figure can."""

    uscc: str
    name: str | None
    group: str | None
    status: str
    current_class: str | None
    target_class: str | None
    summary: str
    options: list[LiftOption] = field(default_factory=list)


def lift_to_next_class(
    frame: pl.DataFrame,
    scheme: Scheme,
    *,
    year: int,
    uscc: str,
    history: pl.DataFrame | None = None,
    coefficients: CoefficientTable | None = None,
) -> list[LiftOption]:
    """Per figure, the smallest change that alone lifts ``uscc`` to the next class (empty for A, vetoed, …).

    See :func:`explain_lift` for the reason when the list is empty.
    """
    return explain_lift(frame, scheme, year=year, uscc=uscc, history=history, coefficients=coefficients).options


def explain_lift(
    frame: pl.DataFrame,
    scheme: Scheme,
    *,
    year: int,
    uscc: str,
    history: pl.DataFrame | None = None,
    coefficients: CoefficientTable | None = None,
    result: EvaluationResult | None = None,
) -> LiftExplanation:
    """The enterprise's position and its lift options; ``result`` may pass an existing run of ``frame``.

    NotFound when ``uscc`` is not in the frame.
    """
    table = coefficients if coefficients is not None else load_coefficients()
    base = result if result is not None else evaluate(frame, scheme, year=year, coefficients=table, history=history)
    row = base.enterprise(uscc)
    if row is None:
        raise NotFound(f"没有统一社会信用代码为 {uscc} 的企业")
    fixed = explain_without_options(row)
    if fixed is not None:
        return fixed
    cls, group = row["class"], row["group"]
    head = {"uscc": uscc, "name": row["name"], "group": group, "status": row["status"], "current_class": cls}
    target = next_class(cls)
    rescorer = GroupRescorer(base, group)
    check = EngineCheck(frame, scheme, year=year, coefficients=table, history=history)
    options = [check.search(rescorer, uscc, target, spec) for spec in _figures(base, uscc, group, table)]
    return LiftExplanation(**head, target_class=target, summary=lift_summary(cls, target, options), options=options)


def explain_without_options(row: dict[str, Any]) -> LiftExplanation | None:
    """The explanation of an enterprise no figure can lift (A, vetoed, exempt, out of scope); None for the others.

    ``row`` is its row of ``result.enterprises``.
    """
    status, cls = row["status"], row["class"]
    head = {"uscc": row["uscc"], "name": row["name"], "group": row["group"], "status": status, "current_class": cls}
    if status != "evaluated":
        return LiftExplanation(**head, target_class=None, summary=_not_by_figures(status, cls))
    if cls == CLASS_KEYS[0]:
        return LiftExplanation(**head, target_class=None, summary=f"该企业已是 {cls} 类（最高类别），无更高类别可升。")
    return None


def next_class(cls: str) -> str:
    """The class one up from ``cls`` (B for C)."""
    return CLASS_KEYS[CLASS_RANK[cls] - 1]


def lift_summary(cls: str, target: str, options: list[LiftOption]) -> str:
    """The sentence above the options."""
    if any(o.reachable for o in options):
        return f"该企业现为 {cls} 类；以下任一项单独达到即可升为 {target} 类（其他企业数据不变）。"
    return f"该企业现为 {cls} 类；单靠任何一项数据的变化都不能升为 {target} 类。"


def _not_by_figures(status: str, cls: str | None) -> str:
    label = STATUS_LABELS.get(status, status)
    if status == "vetoed":
        return (
            f"该企业因一票否决事项（较大及以上安全生产事故或重大环境违法行为）评为 {cls} 类，"
            "改善经营数据不能改变其类别；须消除否决事项。"
        )
    if status == "exempt":
        return f"该企业本年度{label}（投产未满规定年限或所属行业不参评），没有类别，不能通过经营数据升类。"
    return f"该企业{label}（规下且用地面积不足规定亩数），没有类别，不能通过经营数据升类。"


@dataclass(frozen=True)
class Figure:
    """One figure to vary: the input field, how a new value maps to the fields the indicators use."""

    key: str
    label: str
    unit: str
    direction: Direction
    current: float | None
    used: Callable[[float], dict[str, float]]
    """New input value → {indicator field: new value as used} (energy_tce/co2_t may follow electricity)."""
    minimum: float
    """Smallest allowed value of a cut (stays valid and in scope)."""
    note: str = ""
    problem: str = ""
    """Why this figure cannot be varied at all (missing, unused by the group …); empty when it can."""


def _figures(base: EvaluationResult, uscc: str, group: str, table: CoefficientTable) -> list[Figure]:
    inputs = base.inputs.filter(pl.col("uscc") == uscc).row(0, named=True)
    return figures_of(inputs, base.enterprise(uscc) or {}, base.scheme, group, table)


def figures_of(
    inputs: dict[str, Any], used: dict[str, Any], scheme: Scheme, group: str, table: CoefficientTable
) -> list[Figure]:
    """The five figures to vary for one enterprise: its input row and its result row (the figures as used)."""
    group_fields = {f for i in scheme.groups[group].indicators for f in (i.numerator, i.denominator)}
    figures: list[Figure] = []
    for key in ("tax", "value_added", "rd_expense"):
        figures.append(_simple(key, "rise", inputs[key], group_fields, STEP))
    figures.append(_energy(inputs, used, group_fields, table))
    land_min = scheme.scope.min_land_mu_below_scale if group == "below" else STEP
    land = _simple("land_area_mu", "cut", inputs["land_area_mu"], group_fields, max(land_min, STEP))
    if group == "below" and not land.problem:
        land = replace(land, note=f"规下企业用地不少于 {land_min:g} 亩方纳入评价")
    figures.append(land)
    return figures


def _simple(key: str, direction: Direction, current: float | None, group_fields: set[str], minimum: float) -> Figure:
    f = FIELDS_BY_KEY[key]
    problem = ""
    if key not in group_fields:
        problem = f"本组评价指标不使用「{f.label}」"
    elif current is None:
        problem = f"缺少「{f.label}」数据，无法测算"
    elif direction == "cut" and current <= minimum:
        problem = f"「{f.label}」已不能再减少"
    return Figure(key, f.label, f.unit or "", direction, current, _setter(key), minimum, problem=problem)


def _setter(key: str) -> Callable[[float], dict[str, float]]:
    def used(x: float) -> dict[str, float]:
        return {key: x}

    return used


def _energy(inputs: dict[str, Any], used: dict[str, Any], group_fields: set[str], table: CoefficientTable) -> Figure:
    """综合能耗 when given directly; else 用电量 when the energy comes from the breakdown and has electricity."""
    energy = FIELDS_BY_KEY["energy_tce"]
    uses_energy = bool({"energy_tce", "co2_t"} & group_fields)
    if inputs["energy_tce"] is not None or not uses_energy:
        figure = _simple("energy_tce", "cut", inputs["energy_tce"], group_fields, STEP)
        if not uses_energy:
            figure = replace(figure, problem="本组评价指标不使用能耗数据")
        return figure
    elec = FIELDS_BY_KEY["electricity_10k_kwh"]
    current = inputs["electricity_10k_kwh"]
    if used.get("energy_tce") is None or current is None or current <= STEP:
        return Figure(
            "energy_tce",
            energy.label,
            energy.unit or "",
            "cut",
            None,
            _setter("energy_tce"),
            STEP,
            problem="缺少综合能耗与用电量数据",
        )
    coefficient = table.fuels["electricity_10k_kwh"]
    energy0 = float(used["energy_tce"])
    co2_given = used.get("co2_t")
    co2_computed = inputs["co2_t"] is None and co2_given is not None
    co2_0 = float(co2_given) if co2_given is not None else 0.0

    def as_used(x: float) -> dict[str, float]:
        out = {"energy_tce": energy0 + (x - current) * coefficient.tce}
        if co2_computed:
            out["co2_t"] = co2_0 + (x - current) * coefficient.co2_t
        return out

    note = "综合能耗由分品种能源消费量折算，按减少用电量测算"
    return Figure("electricity_10k_kwh", elec.label, elec.unit or "", "cut", current, as_used, STEP, note=note)


@dataclass(frozen=True)
class EngineCheck:
    """Re-runs of the whole engine on ``frame`` with one enterprise's figures changed: the arbiter of every answer."""

    frame: pl.DataFrame
    scheme: Scheme
    year: int
    coefficients: CoefficientTable
    history: pl.DataFrame | None = None

    def outcome(self, uscc: str, changes: dict[str, float]) -> tuple[str | None, float | None, int | None]:
        """The enterprise's class, total score and rank with ``changes`` applied."""
        changed = _apply(self.frame, uscc, changes)
        rerun = evaluate(
            changed, self.scheme, year=self.year, coefficients=self.coefficients, history=self.history
        ).enterprise(uscc)
        assert rerun is not None
        return rerun["class"], rerun["total_score"], rerun["rank"]

    def search(self, rescorer: GroupRescorer, uscc: str, target: str, fig: Figure) -> LiftOption:
        """One figure's answer: grid search with the re-scorer, every step of the answer checked by the engine."""
        return _Search(rescorer, rescorer.position[uscc], target, lambda c: self.outcome(uscc, c)).run(fig)

    def settle(self, rescorer: GroupRescorer, uscc: str, target: str, fig: Figure, k: int) -> LiftOption:
        """The answer found at ``k`` steps, checked by the engine there and one step less (moved until it agrees)."""
        assert fig.current is not None
        sign = 1.0 if fig.direction == "rise" else -1.0

        def value(step: int) -> float:
            return fig.current + sign * step * STEP  # type: ignore[operator]

        search = _Search(rescorer, rescorer.position[uscc], target, lambda c: self.outcome(uscc, c))
        return search._verify(fig, k, search_limit(fig, group_total(rescorer, fig.key)), value)


class _Search:
    """Grid search for one figure, then the engine check."""

    def __init__(
        self,
        rescorer: GroupRescorer,
        index: int,
        target: str,
        engine_check: Callable[[dict[str, float]], tuple[str | None, float | None, int | None]],
    ) -> None:
        self.rescorer = rescorer
        self.index = index
        self.target = target
        self.engine_check = engine_check

    def run(self, fig: Figure) -> LiftOption:
        if fig.problem:
            return unreachable_option(fig, self.target, fig.problem)
        if self.rescorer.scheme.classes.mode == "quota" and self.rescorer.cutoff_rank(self.target) == 0:
            return unreachable_option(fig, self.target, too_few_places(self.target))
        assert fig.current is not None
        sign = 1.0 if fig.direction == "rise" else -1.0

        def value(k: int) -> float:
            return fig.current + sign * k * STEP  # type: ignore[operator]

        def reaches(k: int) -> bool:
            totals = self.rescorer.totals(self.index, fig.used(value(k)))
            return CLASS_RANK[self.rescorer.class_of(self.index, totals)] <= CLASS_RANK[self.target]

        k_max = search_limit(fig, group_total(self.rescorer, fig.key))
        if k_max < 1:
            return unreachable_option(fig, self.target, cannot_cut(fig))
        k = self._smallest(reaches, k_max)
        if k is None:
            return unreachable_option(fig, self.target, why_not(fig))
        return self._verify(fig, k, k_max, value)

    @staticmethod
    def _smallest(reaches: Callable[[int], bool], k_max: int) -> int | None:
        """Smallest k in [1, k_max] with reaches(k), assuming monotone; None when even k_max does not."""
        hi = 1
        while not reaches(hi):
            if hi >= k_max:
                return None
            hi = min(hi * 2, k_max)
        lo = hi // 2  # reaches(lo) is False (or lo == 0, the current value, which is below target)
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if reaches(mid):
                hi = mid
            else:
                lo = mid
        return hi

    def _verify(self, fig: Figure, k: int, k_max: int, value: Callable[[int], float]) -> LiftOption:
        def check(step: int) -> tuple[bool, str | None, float | None, int | None]:
            changes = {fig.key: value(step)}
            cls, total, rank = self.engine_check(changes)
            ok = cls is not None and CLASS_RANK[cls] <= CLASS_RANK[self.target]
            return ok, cls, total, rank

        ok, cls, total, rank = check(k)
        moves = 0
        while not ok and moves < MAX_VERIFY_STEPS and k < k_max:
            k += 1
            moves += 1
            ok, cls, total, rank = check(k)
        if not ok:
            return unreachable_option(fig, self.target, "经重新评价核验未能达到目标类别")
        while k > 1 and moves < MAX_VERIFY_STEPS:
            lower = check(k - 1)
            if not lower[0]:
                break
            k -= 1
            moves += 1
            ok, cls, total, rank = lower
        return reached_option(fig, self.target, k, value(k), cls, total, rank)


def reached_option(
    fig: Figure, target: str, k: int, required: float, cls: str | None, total: float | None, rank: int | None
) -> LiftOption:
    """The answer for ``fig``: ``k`` display steps reach ``target`` (``cls``, ``total``, ``rank`` once changed)."""
    assert fig.current is not None
    change = round(k * STEP, 2) * (1 if fig.direction == "rise" else -1)
    pct = change / abs(fig.current) * 100 if fig.current > 0 else None
    verb = "增加" if fig.direction == "rise" else ("退还" if fig.key == "land_area_mu" else "减少")
    shown = f"{verb} {abs(change):.2f} {fig.unit}"
    if pct is not None:
        shown += f"（{pct:+.1f}%）"
    message = f"{fig.label}{shown}即可升为 {target} 类"
    if fig.note:
        message += f"（{fig.note}）"
    return LiftOption(
        figure=fig.key,
        label=fig.label,
        direction=fig.direction,
        unit=fig.unit,
        current=fig.current,
        required=required,
        change=change,
        change_pct=pct,
        reachable=True,
        target_class=target,
        reached_class=cls,
        new_total=total,
        new_rank=rank,
        verified=True,
        message=message,
    )


def unreachable_option(fig: Figure, target: str, reason: str) -> LiftOption:
    """The answer for ``fig`` when it alone cannot reach ``target``, with the reason."""
    verb = "增加" if fig.direction == "rise" else "减少"
    return LiftOption(
        figure=fig.key,
        label=fig.label,
        direction=fig.direction,
        unit=fig.unit,
        current=fig.current,
        required=None,
        change=None,
        change_pct=None,
        reachable=False,
        target_class=target,
        reached_class=None,
        new_total=None,
        new_rank=None,
        verified=False,
        message=f"仅靠{verb}{fig.label}无法升为 {target} 类：{reason}",
    )


def why_not(fig: Figure) -> str:
    """Why even the largest change searched does not reach the class."""
    if fig.direction == "rise":
        return "相关指标得分受比值上限限制，且基准值随该企业数据同步上升，单项再增加也不足以升类"
    if fig.key == "land_area_mu" and fig.minimum > STEP:
        return f"用地面积减至 {fig.minimum:g} 亩（纳入评价的下限）仍不足以升类"
    return "减至最低仍不足以升类（相关指标得分受比值上限限制）"


def group_total(rescorer: GroupRescorer, key: str) -> float:
    """The group's total of a figure's size (0 for a figure the group's indicators do not read): the rise's scale."""
    column = rescorer.fields.get(key)
    return 0.0 if column is None else float(np.nansum(np.abs(column)))


def search_limit(fig: Figure, group_total: float) -> int:
    """The largest number of display steps searched: a rise up to 1000× the group's total, a cut to the minimum."""
    assert fig.current is not None
    if fig.direction == "rise":
        scale = max(abs(fig.current), group_total, 1.0)
        return math.ceil(scale * SEARCH_LIMIT_FACTOR / STEP)
    return math.floor((fig.current - fig.minimum) / STEP + 1e-9)


def too_few_places(target: str) -> str:
    """Why nothing reaches ``target`` when its quota gives the group no place."""
    return f"本组企业数太少，{target} 类名额为 0"


def cannot_cut(fig: Figure) -> str:
    """Why a figure already at its minimum cannot be cut."""
    return f"「{fig.label}」已不能再减少"


def _apply(frame: pl.DataFrame, uscc: str, changes: dict[str, float]) -> pl.DataFrame:
    """``frame`` with the enterprise's input fields set to new values (columns made Float64)."""
    return frame.with_columns(
        [
            pl.when(pl.col("uscc") == uscc)
            .then(pl.lit(value, dtype=pl.Float64))
            .otherwise(pl.col(key).cast(pl.Float64))
            .alias(key)
            for key, value in changes.items()
        ]
    )
