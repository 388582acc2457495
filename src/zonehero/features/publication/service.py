"""Publish a draft for 公示 and make a run in 公示 final, with the one 定稿 gate."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.orm import Session

from zonehero.clock import today
from zonehero.core.zone import NoticePeriod
from zonehero.errors import Conflict
from zonehero.features.objections import service as objections
from zonehero.features.publication.schemas import FinalizeGate, PublishGate
from zonehero.features.roles import Actor, require_editor
from zonehero.features.runs import service as runs
from zonehero.features.runs.schemas import RunRead
from zonehero.features.zone import service as zone


def finalize_opens_on(notice_end: date) -> date:
    """The first day a run in 公示 may become final: the day after its notice period ends."""
    return notice_end + timedelta(days=1)


def gate_of(run: RunRead, open_objections: int, day: date) -> FinalizeGate | None:
    """The 定稿 gate of a run already read (None unless it is in 公示 and not superseded)."""
    if run.status != "notice" or run.superseded_by_id is not None or run.notice_end is None:
        return None
    opens_on = finalize_opens_on(run.notice_end)
    return FinalizeGate(run_id=run.id, opens_on=opens_on, period_over=day >= opens_on, open_objections=open_objections)


def finalize_gate(session: Session, actor: Actor, run_id: int, *, on: date | None = None) -> FinalizeGate | None:
    """The gate the run page shows and :func:`finalize_run` enforces."""
    run = runs.get_run(session, actor, run_id)
    return gate_of(run, objections.open_count(session, run.id), on or today())


def publish_gate(session: Session, actor: Actor, run_id: int) -> PublishGate | None:
    """The 发布公示 gate the run page shows and :func:`publish_run` enforces (None unless the run is a draft)."""
    run = runs.get_run(session, actor, run_id)
    if run.status != "draft":
        return None
    current = runs.active_notice(session, actor, run.year)
    if current is None:
        return PublishGate(run_id=run.id, year=run.year)
    is_correction = run.source_run_id == current.id
    return PublishGate(
        run_id=run.id,
        year=run.year,
        current_run_id=current.id,
        is_correction=is_correction,
        open_objections=objections.open_count(session, current.id) if is_correction else 0,
    )


def notice_of(session: Session, run: RunRead) -> NoticePeriod | None:
    """A published run's 公示 as the zone's rule states it (「5 个工作日，至 …」); None for a draft."""
    if run.notice_start is None or run.notice_end is None:
        return None
    return zone.get_profile(session).period_of(run.notice_start, run.notice_end)


def publish_run(
    session: Session, actor: Actor, run_id: int, *, period_days: int | None = None, on: date | None = None
) -> RunRead:
    """Start 公示 of a draft from ``on`` (default today); the run is frozen from now on.

    The period is the zone profile's rule (``notice_period`` days, working or calendar days); ``period_days``
    overrides its length for this publication. A year has one run in 公示 at a time; a corrected run (made from
    an accepted objection on the run in 公示) replaces it, once every other objection on that run has been
    answered.
    """
    require_editor(actor)
    gate = publish_gate(session, actor, run_id)
    if gate is not None and not gate.ready:
        raise Conflict(gate.reason or "不能发布公示")
    period = zone.get_profile(session).notice(on or today(), period_days)
    return runs.start_notice(session, actor, run_id, start=period.start, end=period.end)


def finalize_run(session: Session, actor: Actor, run_id: int, *, on: date | None = None) -> RunRead:
    """公示 → final, once the notice period is over and no objection is open."""
    require_editor(actor)
    run = runs.get_run(session, actor, run_id)
    if run.status == "notice" and run.superseded_by_id is None:
        gate = gate_of(run, objections.open_count(session, run.id), on or today())
        if gate is not None and not gate.ready:
            raise Conflict(gate.reason or "不能定稿")
    return runs.mark_final(session, actor, run_id)


def notice_gates(session: Session, actor: Actor, *, on: date | None = None) -> list[tuple[RunRead, FinalizeGate]]:
    """Every run now in 公示 with its 定稿 gate on ``on`` (default today): the same gate the run page shows."""
    day = on or today()
    out = []
    for run in runs.runs_in_notice(session, actor):
        gate = gate_of(run, objections.open_count(session, run.id), day)
        if gate is not None:
            out.append((run, gate))
    return out
