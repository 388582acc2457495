"""The 招商 funnel (漏斗): how many leads reached each stage, the conversion from the stage before, and the median
days between stages, from the leads' dated stage moves.

A lead reaches 线索 on its report and each later stage on the date of the first move that took it there or past
it: a lead moved from 接洽 straight to 洽谈 (or imported at 洽谈) counts as reaching 考察 too, on the date of that
move, since a lead cannot sign without having been looked at. Moving back does not un-reach a stage; 终止 reaches
nothing. A lead whose current stage is beyond what its moves reached (a lead imported from a spreadsheet has no
moves) counts as reaching those stages on an unknown date: counted, but in no median.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from zonehero.core.investment.leads import STAGE_LABELS, LeadStage

FUNNEL: tuple[LeadStage, ...] = (
    LeadStage.LEAD,
    LeadStage.CONTACT,
    LeadStage.VISIT,
    LeadStage.NEGOTIATION,
    LeadStage.SIGNED,
    LeadStage.LANDED,
)
"""The funnel's stages in order (终止 stands outside it)."""


@dataclass(frozen=True)
class StageMove:
    to_stage: LeadStage
    on: date


@dataclass(frozen=True)
class LeadHistory:
    """What the funnel needs of one lead: its report, its current stage and its dated moves (in the order made)."""

    lead_id: str
    reported_on: date
    stage: LeadStage
    moves: tuple[StageMove, ...] = ()


@dataclass(frozen=True)
class FunnelStage:
    stage: LeadStage
    reached: int
    conversion: float | None
    """reached ÷ the previous stage's reached (None for 线索, or when the previous stage has none)."""
    median_days: float | None
    """Median calendar days from reaching the previous stage to reaching this one, over the leads with both
    dates known (None when there is none)."""
    intervals: int
    """How many leads the median is taken over."""

    @property
    def label(self) -> str:
        return STAGE_LABELS[self.stage]


def reached_on(history: LeadHistory, as_of: date) -> dict[LeadStage, date | None]:
    """The stages ``history`` reached by ``as_of`` with the day it reached each (None: a day not known)."""
    if history.reported_on > as_of:
        return {}
    reached: dict[LeadStage, date | None] = {LeadStage.LEAD: history.reported_on}
    top = 0
    cut = False
    for move in sorted(history.moves, key=lambda m: m.on):
        if move.on > as_of:
            cut = True
            continue
        if move.to_stage in FUNNEL and (rank := FUNNEL.index(move.to_stage)) > top:
            for stage in FUNNEL[top + 1 : rank + 1]:
                reached[stage] = move.on
            top = rank
    if not cut and history.stage in FUNNEL and (rank := FUNNEL.index(history.stage)) > top:
        for stage in FUNNEL[top + 1 : rank + 1]:
            reached[stage] = None
    return reached


def funnel(histories: Sequence[LeadHistory], as_of: date) -> tuple[FunnelStage, ...]:
    """The funnel of ``histories`` as of ``as_of`` (a lead reported later counts nowhere, a later move not yet)."""
    reached = [reached_on(h, as_of) for h in histories]
    rows = []
    previous: int | None = None
    for i, stage in enumerate(FUNNEL):
        count = sum(stage in r for r in reached)
        days: list[int] = []
        if i:
            before = FUNNEL[i - 1]
            for r in reached:
                start, end = r.get(before), r.get(stage)
                if start is not None and end is not None:
                    days.append((end - start).days)
        rows.append(
            FunnelStage(
                stage=stage,
                reached=count,
                conversion=count / previous if previous else None,
                median_days=float(statistics.median(days)) if days else None,
                intervals=len(days),
            )
        )
        previous = count
    return tuple(rows)
