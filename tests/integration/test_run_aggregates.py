"""A run's dashboard figures are kept beside it, and the results list's orders are served by an index.

Issue 11 part 5: a page's cost must not grow with the zone. The dashboard read every result row of a run on
each view (for two top-10 lists and one histogram); now the figures are computed when the run is made and
kept. (The list's orders and their indexes are tested in test_results_keyset.py.)
"""

from __future__ import annotations

import math

import pytest
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from zonehero.core.evaluation.distribution import Bin, tax_per_mu_bins
from zonehero.errors import PermissionDenied
from zonehero.features.roles import Actor
from zonehero.features.runs import aggregates, repository
from zonehero.features.runs import service as runs
from zonehero.features.runs.models import RunAggregate
from zonehero.features.runs.schemas import RunRead


def _the_long_way(db: Session, actor: Actor, run_id: int) -> tuple[list[str], list[str], list[float]]:
    """What the dashboard computed on every view before: every result row, sorted in Python."""
    rows = runs.list_results(db, actor, run_id, limit=None).items
    scored = sorted(
        (r for r in rows if r.status == "evaluated" and r.total_score is not None),
        key=lambda r: (-(r.total_score or 0.0), r.uscc),
    )
    values = [
        float(v)
        for r in rows
        if r.status in ("evaluated", "vetoed")
        and isinstance(v := (r.record.get("indicators") or {}).get("tax_per_mu", {}).get("value"), int | float)
    ]
    return [r.uscc for r in scored[:10]], [r.uscc for r in reversed(scored[-10:])], values


def test_the_kept_figures_equal_the_figures_of_every_row(db: Session, analyst: Actor, draft: RunRead) -> None:
    kept = db.scalars(select(RunAggregate.name).where(RunAggregate.run_id == draft.id)).all()
    assert aggregates.DASHBOARD in kept, "the figures are kept when the run is made"
    figures, top, bottom = runs.dashboard_figures(db, analyst, draft.id)
    want_top, want_bottom, values = _the_long_way(db, analyst, draft.id)
    assert [r.uscc for r in top] == figures.top == want_top
    assert [r.uscc for r in bottom] == figures.bottom == want_bottom
    assert figures.histogram == tax_per_mu_bins(values) and figures.histogram_count == len(values) > 0


def test_a_run_without_kept_figures_gets_them_once(db: Session, analyst: Actor, draft: RunRead) -> None:
    db.execute(delete(RunAggregate).where(RunAggregate.run_id == draft.id))
    first, _, _ = runs.dashboard_figures(db, analyst, draft.id)
    assert repository.aggregate(db, draft.id, aggregates.DASHBOARD) == first.to_json()
    again, _, _ = runs.dashboard_figures(db, analyst, draft.id)
    assert again == first


def test_keeping_twice_leaves_the_first(db: Session, draft: RunRead) -> None:
    before = repository.aggregate(db, draft.id, aggregates.DASHBOARD)
    repository.keep_aggregate(db, draft.id, aggregates.DASHBOARD, {"top": [], "bottom": [], "histogram": []})
    assert repository.aggregate(db, draft.id, aggregates.DASHBOARD) == before


def test_deleting_a_draft_deletes_its_figures(db: Session, analyst: Actor, draft: RunRead) -> None:
    runs.delete_draft(db, analyst, draft.id)
    db.flush()
    assert db.scalar(select(RunAggregate).where(RunAggregate.run_id == draft.id)) is None


def test_the_figures_are_staff_only(db: Session, enterprise_a: Actor, draft: RunRead) -> None:
    with pytest.raises(PermissionDenied):
        runs.dashboard_figures(db, enterprise_a, draft.id)


def test_an_unbounded_bin_survives_json() -> None:
    figures = aggregates.DashboardFigures(
        top=["a"],
        bottom=["b"],
        histogram=[Bin(0.0, 10.0, 3), Bin(10.0, math.inf, 2, open_ended=True)],
        histogram_count=5,
    )
    assert aggregates.DashboardFigures.from_json(figures.to_json()) == figures


def test_the_evaluated_count_of_a_group_is_kept(db: Session, analyst: Actor, draft: RunRead) -> None:
    for group in ("above", "below"):
        want = runs.list_results(db, analyst, draft.id, group=group, status="evaluated", limit=1).total
        assert runs.evaluated_in_group(db, analyst, draft.id, group) == want
    above = runs.evaluated_in_group(db, analyst, draft.id, "above")
    assert above > 0
    db.execute(
        delete(RunAggregate).where(RunAggregate.run_id == draft.id, RunAggregate.name == aggregates.STATUS_COUNTS)
    )
    assert runs.evaluated_in_group(db, analyst, draft.id, "above") == above, "counted by the database when not kept"
    assert repository.aggregate(db, draft.id, aggregates.STATUS_COUNTS) == aggregates.status_counts(
        r.record for r in runs.list_results(db, analyst, draft.id, limit=None).items
    )
