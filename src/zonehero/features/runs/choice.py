"""Which run a page shows when the user names only a year (or nothing), and the scheme a run used.

One rule for the dashboard, the enterprise pages and the lists, decided here so a page only shows its answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy.orm import Session

from zonehero.core.evaluation.scheme import Scheme, parse_scheme
from zonehero.features.roles import Actor
from zonehero.features.runs import service as runs
from zonehero.features.runs.schemas import RunRead
from zonehero.features.schemes import service as schemes

STATUS_PREFERENCE = {"final": 0, "notice": 1, "draft": 2}
"""A final list is the year's answer; a list under 公示 comes next, a draft last."""


def run_years(runs: Sequence[RunRead]) -> list[int]:
    """Years that have runs, newest first."""
    return sorted({r.year for r in runs}, reverse=True)


def pick_run(runs: Sequence[RunRead], *, year: int | None = None, run_id: int | None = None) -> RunRead | None:
    """The run asked for by id; else the best run of ``year`` (or of the newest year with a final run).

    Best means final before 公示 before draft, newest first within each;
    a superseded run (replaced after an objection) comes after the others.
    """
    if run_id is not None:
        return next((r for r in runs if r.id == run_id), None)
    if year is None:
        finals = [r.year for r in runs if r.status == "final"]
        years = run_years(runs)
        year = max(finals) if finals else (years[0] if years else None)
    candidates = [r for r in runs if r.year == year]
    if not candidates:
        return None
    return min(candidates, key=lambda r: (r.superseded_by_id is not None, STATUS_PREFERENCE.get(r.status, 3), -r.id))


@lru_cache(maxsize=16)
def _parsed(text: str) -> Scheme:
    return parse_scheme(text, source="评价批次所用方案")


def scheme_of_run(session: Session, actor: Actor, run_id: int) -> Scheme:
    """The scheme a run used, parsed from the text the run keeps (labels, units, weights, class rules)."""
    return _parsed(runs.scheme_text_of(session, actor, run_id))


@dataclass(frozen=True)
class DraftScheme:
    """The scheme version a new draft is made with when the user does not pick one, and how to name it."""

    version_id: int
    label: str


def draft_scheme_version(session: Session, actor: Actor) -> DraftScheme | None:
    """The newest version of the scheme the latest run used (the zone keeps its scheme from year to year), else the
    newest version of the first scheme; None when there is no scheme at all. The one-click 生成评价草稿 after an
    import uses it, so the draft is made as the zone's last run was."""
    listed = schemes.list_schemes(session, actor)
    if not listed:
        return None
    chosen = listed[0]
    latest_runs = runs.list_runs(session, actor)
    if latest_runs:
        used = schemes.get_version(session, actor, latest_runs[0].scheme_version_id).scheme_id
        chosen = next((s for s in listed if s.id == used), chosen)
    if not chosen.versions:
        return None
    return DraftScheme(version_id=chosen.latest.id, label=f"{chosen.name} · 第 {chosen.latest.version} 版")
