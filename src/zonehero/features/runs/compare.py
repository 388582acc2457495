"""Compare two runs (or a run with the previous year's final run): who moved class, and why.

"Why" is read from the §8 records: the indicators whose scores changed
most, the bonus, and a change of status (veto, exemption) or group.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from zonehero.core.domain.classes import GROUP_LABELS, STATUS_LABELS
from zonehero.core.evaluation.scheme import parse_scheme
from zonehero.errors import NotFound
from zonehero.features.roles import Actor, require_staff
from zonehero.features.runs import repository
from zonehero.features.runs.models import RunResult
from zonehero.features.runs.schemas import (
    ClassMove,
    ComparisonSummary,
    CorrectionSummary,
    IndicatorChange,
    RunComparison,
    ScoreMove,
)

CLASS_ORDER = {"A": 4, "B": 3, "C": 2, "D": 1}
MAX_REASONS = 3


def _num(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _indicator_changes(before: dict[str, Any], after: dict[str, Any]) -> list[IndicatorChange]:
    ib, ia = before.get("indicators") or {}, after.get("indicators") or {}
    changes: list[IndicatorChange] = []
    for key in list(dict.fromkeys([*ib, *ia])):
        b, a = ib.get(key) or {}, ia.get(key) or {}
        sb, sa = _num(b.get("score")), _num(a.get("score"))
        changes.append(
            IndicatorChange(
                key=key,
                value_before=_num(b.get("value")),
                value_after=_num(a.get("value")),
                benchmark_before=_num(b.get("benchmark")),
                benchmark_after=_num(a.get("benchmark")),
                score_before=sb,
                score_after=sa,
                score_delta=None if sb is None or sa is None else sa - sb,
            )
        )
    changes.sort(key=lambda c: -abs(c.score_delta or 0.0))
    return changes


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def indicator_labels(*scheme_texts: str) -> dict[str, str]:
    """Chinese label of every indicator key in the runs' own schemes (later texts win)."""
    labels: dict[str, str] = {}
    for text in scheme_texts:
        labels.update(parse_scheme(text).indicator_labels)
    return labels


def _reasons(
    before: RunResult, after: RunResult, indicators: list[IndicatorChange], labels: dict[str, str]
) -> list[str]:
    reasons: list[str] = []
    if before.status != after.status:
        reasons.append(
            f"评价状态由「{STATUS_LABELS.get(before.status, before.status)}」变为"
            f"「{STATUS_LABELS.get(after.status, after.status)}」"
        )
    if before.group != after.group:
        gb = GROUP_LABELS.get(before.group or "", "—")
        ga = GROUP_LABELS.get(after.group or "", "—")
        reasons.append(f"分组由「{gb}」变为「{ga}」")
    for c in indicators[:MAX_REASONS]:
        if not c.score_delta:
            continue
        why = ""
        if c.value_before != c.value_after and c.benchmark_before == c.benchmark_after:
            why = f"（指标值 {_fmt(c.value_before)} → {_fmt(c.value_after)}）"
        elif c.value_before == c.value_after and c.benchmark_before != c.benchmark_after:
            why = f"（基准值 {_fmt(c.benchmark_before)} → {_fmt(c.benchmark_after)}）"
        elif c.value_before != c.value_after:
            why = (
                f"（指标值 {_fmt(c.value_before)} → {_fmt(c.value_after)}，"
                f"基准值 {_fmt(c.benchmark_before)} → {_fmt(c.benchmark_after)}）"
            )
        reasons.append(f"「{labels.get(c.key, c.key)}」得分 {_fmt(c.score_before)} → {_fmt(c.score_after)}{why}")
    bb, ba = _num(before.record.get("bonus")), _num(after.record.get("bonus"))
    if (bb or 0.0) != (ba or 0.0):
        reasons.append(f"加分 {_fmt(bb)} → {_fmt(ba)}")
    if not reasons and before.total_score != after.total_score:
        reasons.append(f"总分 {_fmt(before.total_score)} → {_fmt(after.total_score)}，组内排名变化")
    return reasons


def compare_runs(session: Session, actor: Actor, base_run_id: int, other_run_id: int) -> RunComparison:
    """Every enterprise whose class or status differs from ``base`` to ``other``, with indicator score changes."""
    return _compare(session, actor, base_run_id, other_run_id, shown=None)[0]


def _compare(
    session: Session, actor: Actor, base_run_id: int, other_run_id: int, *, shown: int | None
) -> tuple[RunComparison, int]:
    """The comparison with the first ``shown`` moves in full (None: all), and the number of moves.

    Classes and statuses of both runs decide who moved and the counts; only the records of the moves shown are
    loaded (two whole runs of 100,000 results as ORM rows took 18 s on the first view of a run page).
    """
    require_staff(actor)
    base, other = repository.get_run(session, base_run_id), repository.get_run(session, other_run_id)
    if base is None or other is None:
        raise NotFound("评价批次不存在")
    labels = indicator_labels(base.scheme_text, other.scheme_text)
    up = down = unchanged = 0
    matrix: dict[str, dict[str, int]] = {}
    movers: list[str] = []
    for uscc, class_b, class_a, status_b, status_a in sorted(repository.class_pairs(session, base.id, other.id)):
        cb, ca = class_b or "-", class_a or "-"
        matrix.setdefault(cb, {}).setdefault(ca, 0)
        matrix[cb][ca] += 1
        if class_b == class_a:
            unchanged += 1  # class-wise; a change of status alone is still listed below
            if status_b == status_a:
                continue
        delta = CLASS_ORDER.get(class_a or "", 0) - CLASS_ORDER.get(class_b or "", 0)
        up += delta > 0
        down += delta < 0
        movers.append(uscc)
    listed = movers if shown is None else movers[:shown]
    rb, ro = repository.results_of(session, base.id, listed), repository.results_of(session, other.id, listed)
    moved: list[ClassMove] = []
    for uscc in listed:
        b, a = rb[uscc], ro[uscc]
        indicators = _indicator_changes(b.record, a.record)
        moved.append(
            ClassMove(
                uscc=uscc,
                name=a.name or b.name,
                group_before=b.group,
                group_after=a.group,
                status_before=b.status,
                status_after=a.status,
                class_before=b.class_,
                class_after=a.class_,
                total_before=b.total_score,
                total_after=a.total_score,
                bonus_before=_num(b.record.get("bonus")),
                bonus_after=_num(a.record.get("bonus")),
                indicators=indicators,
                reasons=_reasons(b, a, indicators, labels),
            )
        )
    comparison = RunComparison(
        base_run_id=base.id,
        other_run_id=other.id,
        base_year=base.year,
        other_year=other.year,
        moved=moved,
        up=up,
        down=down,
        unchanged=unchanged,
        entered=sorted(repository.usccs_only_in(session, other.id, base.id)),
        left=sorted(repository.usccs_only_in(session, base.id, other.id)),
        class_matrix=matrix,
    )
    return comparison, len(movers)


def compare_with_previous_year(session: Session, actor: Actor, run_id: int) -> RunComparison:
    """Compare a run (typically a draft) with the newest final run of the year before."""
    require_staff(actor)
    run = repository.get_run(session, run_id)
    if run is None:
        raise NotFound("评价批次不存在")
    previous = repository.latest_final(session, run.year - 1)
    if previous is None:
        raise NotFound(f"{run.year - 1} 年度没有已定稿的评价批次可供比较")
    return compare_runs(session, actor, previous.id, run.id)


def previous_year_summary(session: Session, actor: Actor, run_id: int, *, shown: int) -> ComparisonSummary:
    """The counts and the first ``shown`` moves of :func:`compare_with_previous_year`, kept once computed.

    Both runs' results never change (a draft is replaced, never edited; a final run is final), so the summary
    of a pair stays true; it is kept under the pair's name, and a newer final run of the year before makes a new
    pair. The run page then reads one row instead of comparing two whole runs on every view.
    """
    require_staff(actor)
    run = repository.get_run(session, run_id)
    if run is None:
        raise NotFound("评价批次不存在")
    previous = repository.latest_final(session, run.year - 1)
    if previous is None:
        raise NotFound(f"{run.year - 1} 年度没有已定稿的评价批次可供比较")
    name = f"compare.v1:{previous.id}:{shown}"
    kept = repository.aggregate(session, run.id, name)
    if isinstance(kept, dict):
        return ComparisonSummary.model_validate(kept)
    full, moved = _compare(session, actor, previous.id, run.id, shown=shown)
    summary = ComparisonSummary(
        base_run_id=full.base_run_id,
        base_year=full.base_year,
        up=full.up,
        down=full.down,
        unchanged=full.unchanged,
        entered=len(full.entered),
        left=len(full.left),
        moved=moved,
        moves=full.moved,
    )
    repository.keep_aggregate(session, run.id, name, summary.model_dump(mode="json"))
    return summary


def correction_summary(session: Session, actor: Actor, run_id: int, *, shown: int) -> CorrectionSummary | None:
    """A corrected draft (made from an accepted 异议) against the run in 公示 it corrects; None for another run.

    Every enterprise whose class or total score differs is counted: one enterprise's corrected figure moves its
    group's benchmarks, so others' scores move too. Class changes come first, then the largest score changes.
    Both runs' results never change, so the summary is kept with the draft once computed.
    """
    require_staff(actor)
    run = repository.get_run(session, run_id)
    if run is None:
        raise NotFound("评价批次不存在")
    if run.source_run_id is None:
        return None
    name = f"correction.v1:{run.source_run_id}:{shown}"
    kept = repository.aggregate(session, run.id, name)
    if isinstance(kept, dict):
        return CorrectionSummary.model_validate(kept)
    rb, ro = repository.results_by_uscc(session, run.source_run_id), repository.results_by_uscc(session, run.id)
    moves: list[ScoreMove] = []
    for uscc in sorted(set(rb) & set(ro)):
        b, a = rb[uscc], ro[uscc]
        if b.class_ == a.class_ and b.total_score == a.total_score and b.status == a.status:
            continue
        moves.append(
            ScoreMove(
                uscc=uscc,
                name=a.name or b.name,
                group=a.group or b.group,
                class_before=b.class_,
                class_after=a.class_,
                total_before=b.total_score,
                total_after=a.total_score,
                rank_before=b.rank,
                rank_after=a.rank,
            )
        )
    moves.sort(key=lambda m: (not m.class_changed, -abs(m.total_delta or 0.0), m.uscc))
    common = len(set(rb) & set(ro))
    summary = CorrectionSummary(
        base_run_id=run.source_run_id,
        class_changed=sum(1 for m in moves if m.class_changed),
        score_changed=sum(1 for m in moves if m.total_before != m.total_after),
        unchanged=common - len(moves),
        entered=len(set(ro) - set(rb)),
        left=len(set(rb) - set(ro)),
        moves=moves[:shown],
    )
    repository.keep_aggregate(session, run.id, name, summary.model_dump(mode="json"))
    return summary
