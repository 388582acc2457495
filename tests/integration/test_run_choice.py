"""Which run a page shows (runs.choice.pick_run) and which runs have documents (RunRead.is_published)."""

from __future__ import annotations

from run_reads import run_read

from zonehero.features.runs.choice import pick_run, run_years
from zonehero.features.runs.models import RUN_STATUSES, EvaluationRun
from zonehero.features.runs.schemas import PUBLISHED_STATUSES, RunRead


def _run(run_id: int, year: int, status: str, superseded_by: int | None = None) -> RunRead:
    return run_read(run_id, year, status, superseded_by_id=superseded_by)


RUNS = [
    _run(1, 2023, "final"),
    _run(2, 2024, "draft"),
    _run(3, 2024, "notice", superseded_by=5),
    _run(4, 2024, "draft"),
    _run(5, 2024, "notice"),
    _run(6, 2025, "draft"),
]


def test_a_final_list_is_the_years_answer_then_notice_then_the_newest_draft() -> None:
    assert run_years(RUNS) == [2025, 2024, 2023]
    assert pick_run(RUNS).id == 1  # type: ignore[union-attr]  # no year: the newest year with a final run
    assert pick_run(RUNS, year=2024).id == 5  # type: ignore[union-attr]  # 公示 before draft; superseded last
    assert pick_run(RUNS, year=2025).id == 6  # type: ignore[union-attr]
    assert pick_run(RUNS, year=2022) is None
    assert pick_run(RUNS, run_id=3).id == 3  # type: ignore[union-attr]  # named: exactly that one
    assert pick_run(RUNS[1:]).id == 6  # type: ignore[union-attr]  # no final anywhere: the newest year


def test_only_published_runs_have_documents_in_every_view() -> None:
    assert set(PUBLISHED_STATUSES) < set(RUN_STATUSES)
    for status in RUN_STATUSES:
        published = status in ("notice", "final")
        assert _run(1, 2024, status).is_published is published
        assert EvaluationRun(status=status).is_published is published
