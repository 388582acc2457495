"""What-if on a draft run, robustness of a run's classes, and an enterprise's lift to the next class.

Every answer starts from the run as it was computed: the input figures and
D-streak history kept with the run, and the scheme text it kept, evaluated
again and checked against the run's input hash. Corrections after the run
(an accepted objection, a re-import) do not touch what the run kept. Only a
run made before inputs were kept (migration 0004) falls back to the year's
stored figures; when those changed the run can no longer be reproduced and
the services say so (Conflict) instead of answering about other data.

The effect of a correction (an 异议's proposed figures) is the run under 公示
evaluated again with one enterprise's figures changed: what the corrected
draft will show, before anyone accepts it.

Who may do what: what-if and saving a variant are for the analyst
(on drafts); robustness is read by staff; the lift of an enterprise is read
by staff, and by the enterprise's own account on a published run (any other
USCC, or a draft, answers NotFound).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import polars as pl
from sqlalchemy.orm import Session

from zonehero.core.evaluation import evaluate
from zonehero.core.evaluation.lift_batch import lift_all
from zonehero.core.evaluation.lift_book import LiftBook, to_bytes
from zonehero.core.evaluation.result import EvaluationResult
from zonehero.core.evaluation.robustness import (
    DEFAULT_DRAWS,
    DEFAULT_SPREAD,
    DEFAULT_THRESHOLD,
    stability_of_result,
)
from zonehero.core.evaluation.scheme_model import CLASS_KEYS, GROUPS, WEIGHT_TOTAL, Scheme
from zonehero.core.evaluation.whatif import (
    WhatIfResult,
    compare_results,
    correction_reasons,
    vary_scheme,
    weight_total_problems,
    with_figures,
)
from zonehero.errors import Conflict, InputError, InputProblem, NotFound
from zonehero.features.decision.schemas import (
    ClassChange,
    CorrectionEffectRead,
    EffectRow,
    FigureCorrection,
    LiftOptionRead,
    LiftRead,
    RobustnessRead,
    StabilityRow,
    VariantRequest,
    WhatIfRead,
)
from zonehero.features.enterprises import service as enterprises
from zonehero.features.enterprises.values import Value, parse_value
from zonehero.features.roles import Actor, require_editor, require_staff
from zonehero.features.runs import service as runs
from zonehero.features.runs.schemas import RunRead
from zonehero.features.schemes import service as schemes
from zonehero.features.schemes.schemas import SchemeVersionRead

MAX_DRAWS = 10_000
ROBUSTNESS_CACHE_SIZE = 16
LIFT_BOOKS_KEPT = 2
EFFECTS_KEPT = 32
"""Correction effects a process keeps (an analyst reloads the objection page while deciding)."""
"""Runs whose 升类路径 a process keeps decoded (a province's run is tens of megabytes decoded)."""

T = TypeVar("T")
Step = Callable[[int, int, str], None]
"""``step(done, total, stage)``: where a long answer is (a job shows it as a progress bar; it may raise to stop)."""


@dataclass(frozen=True)
class RunInputs:
    """A run reproduced: its record, the parsed scheme, the year's frame and history, and the engine's result."""

    run: RunRead
    scheme: Scheme
    frame: pl.DataFrame
    history: pl.DataFrame
    result: EvaluationResult


def reproduce_run(session: Session, actor: Actor, run_id: int) -> RunInputs:
    """The run evaluated again from the inputs it kept (:func:`runs.inputs_of`); Conflict when they do not hash
    to the run's input hash (a run made before inputs were kept, whose year's figures changed since)."""
    run = runs.get_run(session, actor, run_id)
    scheme = schemes.validate_text(runs.scheme_text_of(session, actor, run_id), source=f"评价批次 #{run_id} 所用方案")
    frame, history = runs.inputs_of(session, actor, run_id)
    result = evaluate(frame, scheme, year=run.year, history=history)
    if result.input_hash != run.input_hash:
        raise Conflict(f"评价批次 #{run_id} 生成后 {run.year} 年度的企业数据已有更正，无法按原数据重现，请重新生成草稿")
    return RunInputs(run=run, scheme=scheme, frame=frame, history=history, result=result)


# --- what-if -----------------------------------------------------------------------------------------


def variant_of(scheme: Scheme, request: VariantRequest) -> Scheme:
    """The validated variant of ``scheme`` that ``request`` describes (SchemeError naming the bad key)."""
    weights: dict[tuple[str, str], float] = {}
    problems: list[InputProblem] = []
    for path, weight in request.weights.items():
        group, dot, indicator = path.partition(".")
        if not dot or not group or not indicator:
            problems.append(InputProblem(f"权重项「{path}」应写作「分组.指标」", column="weights"))
            continue
        weights[(group, indicator)] = weight
    problems += weight_total_problems(scheme, weights)
    if problems:
        raise InputError(problems)
    return vary_scheme(
        scheme,
        weights=weights or None,
        cap=request.cap,
        quotas=request.quotas,
        thresholds=request.thresholds,
        class_mode=request.class_mode,
        benchmark_mode=request.benchmark_mode,
        bonus=request.bonus or None,
    )


def check_variant(scheme: Scheme, request: VariantRequest) -> None:
    """InputError listing every problem of ``request`` against ``scheme`` (a weight total that is not the group's
    total among them): the edges call it before a what-if is computed or queued, so no work starts on a bad form."""
    variant_of(scheme, request)


@dataclass(frozen=True)
class WhatIf:
    """A what-if answer: the run, the variant scheme and the side-by-side comparison."""

    run: RunRead
    variant: Scheme
    comparison: WhatIfResult

    def read(self) -> WhatIfRead:
        """The JSON answer (every class change with its reasons, and the class matrix per group)."""
        changes = [
            ClassChange(
                uscc=row["uscc"],
                name=row["name"],
                group=row["group"],
                move=row["move"],
                class_before=row["class_before"],
                class_after=row["class_after"],
                rank_before=row["rank_before"],
                rank_after=row["rank_after"],
                total_before=row["total_score_before"],
                total_after=row["total_score_after"],
                reasons=list(row["reasons"]),
            )
            for row in self.comparison.changes.iter_rows(named=True)
        ]
        return WhatIfRead(
            run_id=self.run.id,
            year=self.run.year,
            scheme_changes=self.comparison.scheme_changes,
            compared=self.comparison.enterprises.height,
            changed=len(changes),
            changes=changes,
            matrices={g: self.comparison.matrix_table(g).to_dicts() for g in GROUPS},
            counts_before=_class_counts(self.comparison.base.counts),
            counts_after=_class_counts(self.comparison.variant.counts),
        )


def _class_counts(counts: pl.DataFrame) -> dict[str, dict[str, int]]:
    table = {g: dict.fromkeys(CLASS_KEYS, 0) for g in GROUPS}
    for row in counts.iter_rows(named=True):
        if row["group"] in table and row["class"] in table[row["group"]]:
            table[row["group"]][row["class"]] = int(row["count"])
    return table


def draft_scheme(session: Session, actor: Actor, run_id: int) -> tuple[RunRead, Scheme]:
    """A draft run and its scheme, for the what-if form (staff: a what-if only reads; Conflict for a published run)."""
    require_staff(actor)
    run = runs.get_run(session, actor, run_id)
    if run.status != "draft":
        raise Conflict("方案调整试算只能在评价草稿上进行（已发布的批次不能再调整）")
    return run, schemes.validate_text(
        runs.scheme_text_of(session, actor, run_id), source=f"评价批次 #{run_id} 所用方案"
    )


def _draft_inputs(session: Session, actor: Actor, run_id: int) -> RunInputs:
    require_staff(actor)
    inputs = reproduce_run(session, actor, run_id)
    if inputs.run.status != "draft":
        raise Conflict("方案调整试算只能在评价草稿上进行（已发布的批次不能再调整）")
    return inputs


def what_if(
    session: Session, actor: Actor, run_id: int, request: VariantRequest, *, step: Step | None = None
) -> WhatIf:
    """The draft ``run_id`` and the variant ``request`` side by side: who changes class and why.

    ``step`` hears of each of the three stages (a province's what-if runs as a job that shows them).
    """
    report = step or (lambda done, total, stage: None)
    _, scheme = draft_scheme(session, actor, run_id)
    check_variant(scheme, request)  # a mistyped form is answered before the zone is evaluated twice
    report(0, 3, "正在按原数据重现评价草稿")
    inputs = _draft_inputs(session, actor, run_id)
    variant = variant_of(inputs.scheme, request)
    report(1, 3, "正在按调整后的方案重新评价")
    after = evaluate(inputs.frame, variant, year=inputs.run.year, history=inputs.history)
    report(2, 3, "正在比较分类变化及原因")
    outcome = WhatIf(run=inputs.run, variant=variant, comparison=compare_results(inputs.result, after))
    report(3, 3, "试算完成")
    return outcome


def save_variant(
    session: Session, actor: Actor, run_id: int, request: VariantRequest, *, note: str | None = None
) -> SchemeVersionRead:
    """Save the variant as the next version of the draft's scheme (through the schemes service, audited there),
    under the same rule as the scheme pages: each group's weights add up to 100.

    Trying a variant only reads, so any staff member may; saving one changes the schemes, so only an editor may.
    """
    require_editor(actor)
    if request.is_empty():
        raise InputError(InputProblem("没有任何调整，无需保存新版本", column="variant"))
    check_variant(draft_scheme(session, actor, run_id)[1], request)
    inputs = _draft_inputs(session, actor, run_id)
    variant = variant_of(inputs.scheme, request)
    version = schemes.get_version(session, actor, inputs.run.scheme_version_id)
    text = note or f"由评价草稿 #{run_id} 的方案调整试算保存"
    # A saved variant is a scheme version like any other: held to the scheme pages' rule of 100 per group.
    return schemes.save_version(
        session, actor, version.scheme_id, variant.text, note=text[:500], weight_total=WEIGHT_TOTAL
    )


# --- robustness --------------------------------------------------------------------------------------


class _Kept(Generic[T]):
    """The newest answers computed in this process, by key (least recently used dropped), safe across threads.

    Keys hold the run's input hash and scheme digest, so a deleted draft whose id comes back with other data never
    hits an old entry.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self.items: OrderedDict[tuple[Any, ...], T] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: tuple[Any, ...], compute: Callable[[], T]) -> T:
        """The answer for ``key``, computed (outside the lock) and kept when absent."""
        with self.lock:
            if key in self.items:
                self.items.move_to_end(key)
                return self.items[key]
        value = compute()
        with self.lock:
            self.items[key] = value
            while len(self.items) > self.size:
                self.items.popitem(last=False)
        return value

    def clear(self) -> None:
        with self.lock:
            self.items.clear()


_stability = _Kept[pl.DataFrame](ROBUSTNESS_CACHE_SIZE)
_lift_books = _Kept[LiftBook](LIFT_BOOKS_KEPT)


def clear_robustness_cache() -> None:
    """Forget every cached stability answer (tests; an operator after changing the engine)."""
    _stability.clear()


def robustness(
    session: Session,
    actor: Actor,
    run_id: int,
    *,
    draws: int = DEFAULT_DRAWS,
    seed: int = 0,
    spread: float = DEFAULT_SPREAD,
    threshold: float = DEFAULT_THRESHOLD,
    progress: Callable[[int, int], None] | None = None,
) -> RobustnessRead:
    """Per classed enterprise of the run, the share of weight draws (±``spread``) in which it keeps its class.

    Reproducible for a ``seed``; the answer is cached per run, seed, draws,
    spread and threshold. Fragile: kept in fewer than ``threshold`` of draws. ``progress(done, total)`` counts
    the draws (over the groups) as they are made.
    """
    require_staff(actor)
    if not 1 <= draws <= MAX_DRAWS:
        raise InputError(InputProblem(f"抽样次数应在 1 至 {MAX_DRAWS} 之间", column="draws"))
    if not 0 <= seed < 2**32:
        raise InputError(InputProblem("随机种子应为 0 至 4294967295 之间的整数", column="seed"))
    if not 0 <= spread < 1:
        raise InputError(InputProblem("扰动幅度应在 0 至 1 之间（0.2 即 ±20%）", column="spread"))
    if not 0 < threshold <= 1:
        raise InputError(InputProblem("稳定性阈值应在 0 至 1 之间", column="threshold"))
    run = runs.get_run(session, actor, run_id)
    key = (run.id, run.input_hash, run.scheme_digest, draws, seed, spread, threshold)

    def compute() -> pl.DataFrame:
        result = reproduce_run(session, actor, run_id).result
        return stability_of_result(
            result, draws=draws, spread=spread, seed=seed, threshold=threshold, progress=progress
        )

    table = _stability.get(key, compute).sort(["share_same_class", "uscc"])
    if progress is not None:  # all draws done (also when the answer was kept from an earlier check)
        progress(draws * table["group"].n_unique(), draws * table["group"].n_unique())
    items = [
        StabilityRow(
            uscc=r["uscc"],
            name=r["name"],
            group=r["group"],
            status=r["status"],
            class_=r["class"],
            share_same_class=r["share_same_class"],
            most_frequent_other_class=r["most_frequent_other_class"],
            share_most_frequent_other=r["share_most_frequent_other"],
            fragile=r["fragile"],
        )
        for r in table.iter_rows(named=True)
    ]
    return RobustnessRead(
        run_id=run.id,
        draws=draws,
        seed=seed,
        spread=spread,
        threshold=threshold,
        classed=len(items),
        fragile=sum(1 for i in items if i.fragile),
        items=items,
    )


# --- lift --------------------------------------------------------------------------------------------


def run_lifts(session: Session, actor: Actor, run_id: int) -> LiftBook:
    """Every enterprise's 升类路径 of a run, computed once for the whole run and kept with it.

    Internal: callers check who may see which enterprise. Computing it reproduces the run (Conflict when it cannot
    be) and searches every enterprise at once (:func:`lift_all`); a notice or a page then reads one enterprise's
    answer. The decoded table is kept in the process for the newest runs asked, keyed by the store, the run's input
    hash and scheme digest so a deleted draft whose id comes back never hits an old entry.
    """
    run = runs.get_run(session, actor, run_id)
    key = (str(session.get_bind().engine.url), run.id, run.input_hash, run.scheme_digest)

    def compute() -> bytes:
        inputs = reproduce_run(session, actor, run.id)
        return to_bytes(lift_all(inputs.result, frame=inputs.frame, history=inputs.history))

    return _lift_books.get(key, lambda: LiftBook(runs.kept_lifts(session, actor, run.id, compute)))


def enterprise_lift(session: Session, actor: Actor, uscc: str, run_id: int) -> LiftRead:
    """For the next class up, the smallest change in each single figure that alone lifts ``uscc`` there.

    NotFound for another enterprise's USCC, for a draft asked by an
    enterprise account, and when the enterprise is not in the run.
    """
    enterprises.ensure_can_see(actor, uscc)
    run = runs.get_run(session, actor, run_id)  # a draft is NotFound for an enterprise account
    runs.get_result(session, actor, run.id, uscc)  # NotFound when the enterprise is not in the run
    explained = run_lifts(session, actor, run.id).get(uscc)
    if explained is None:
        raise NotFound(f"评价批次 #{run.id} 中没有统一社会信用代码为 {uscc} 的企业")
    return LiftRead(
        run_id=run.id,
        year=run.year,
        uscc=explained.uscc,
        name=explained.name,
        group=explained.group,
        status=explained.status,
        current_class=explained.current_class,
        target_class=explained.target_class,
        summary=explained.summary,
        options=[
            LiftOptionRead(
                figure=o.figure,
                label=o.label,
                direction=o.direction,
                unit=o.unit,
                current=o.current,
                required=o.required,
                change=o.change,
                change_pct=o.change_pct,
                reachable=o.reachable,
                target_class=o.target_class,
                reached_class=o.reached_class,
                verified=o.verified,
                message=o.message,
            )
            for o in explained.options
        ],
    )


# --- the effect of a correction (异议) ----------------------------------------------------------------

_effects = _Kept[CorrectionEffectRead](EFFECTS_KEPT)


def _cell(value: object) -> Value:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if value == value else None
    return str(value)


def _effect_row(row: dict[str, Any]) -> EffectRow:
    return EffectRow(
        uscc=row["uscc"],
        name=row["name"],
        group=row["group"],
        status_before=row["status_before"],
        status_after=row["status_after"],
        class_before=row["class_before"],
        class_after=row["class_after"],
        rank_before=row["rank_before"],
        rank_after=row["rank_after"],
        total_before=row["total_score_before"],
        total_after=row["total_score_after"],
    )


def correction_effect(
    session: Session, actor: Actor, run_id: int, uscc: str, changes: Mapping[str, Value]
) -> CorrectionEffectRead:
    """Run ``run_id`` evaluated again, exactly, with ``uscc``'s figures set to ``changes`` (typed in as in a
    department's file): the enterprise's score, rank and class before and after, and every other enterprise
    whose class would change. Staff only; InputError naming a figure that is not one or a value that does not
    read. What the corrected draft of an accepted 异议 shows when nothing else changed in between.
    """
    require_staff(actor)
    runs.get_result(session, actor, run_id, uscc)  # NotFound when the enterprise is not in the run
    problems: list[InputProblem] = []
    parsed: dict[str, Value] = {}
    for field, raw in changes.items():
        try:
            value = parse_value(field, raw)
        except InputError as exc:
            problems += exc.problems
            continue
        if value is None:
            problems.append(InputProblem("请填写更正后的数值", column=field))
        else:
            parsed[field] = value
    if problems:
        raise InputError(problems)
    if not parsed:
        raise InputError(InputProblem("请填写要试算的更正数值", column="corrections"))
    run = runs.get_run(session, actor, run_id)
    key = (
        str(session.get_bind().engine.url),
        run.id,
        run.input_hash,
        run.scheme_digest,
        uscc,
        tuple(sorted((k, type(v).__name__, repr(v)) for k, v in parsed.items())),
    )

    def compute() -> CorrectionEffectRead:
        inputs = reproduce_run(session, actor, run.id)
        own = inputs.frame.filter(pl.col("uscc") == uscc).to_dicts()
        current = own[0] if own else {}
        after = evaluate(with_figures(inputs.frame, uscc, parsed), inputs.scheme, year=run.year, history=inputs.history)
        comparison = compare_results(inputs.result, after)
        rows = {r["uscc"]: r for r in comparison.enterprises.iter_rows(named=True)}
        others = [r for u, r in rows.items() if u != uscc]
        return CorrectionEffectRead(
            run_id=run.id,
            year=run.year,
            uscc=uscc,
            changes=[FigureCorrection(field=k, before=_cell(current.get(k)), after=v) for k, v in parsed.items()],
            enterprise=_effect_row(rows[uscc]),
            reasons=correction_reasons(comparison, uscc),
            class_changes=[_effect_row(r) for r in others if r["changed"]],
            score_changes=sum(1 for r in others if r["total_score_before"] != r["total_score_after"]),
        )

    return _effects.get(key, compute)
