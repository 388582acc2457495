"""The demo generator: deterministic, consistent with the rules, and readable back from its files."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

from zonehero.core.schedule.importer import read_progress, read_projects
from zonehero.core.schedule.lists import year_lists
from zonehero.core.schedule.stages import order_problems
from zonehero.core.schedule.warnings import assess_projects
from zonehero.demo.schedule import generate_demo, generate_projects, write_demo_files


def test_same_seed_same_data_other_seed_other_data() -> None:
    assert generate_projects(seed=3) == generate_projects(seed=3)
    assert generate_projects(seed=3) != generate_projects(seed=4)


def test_demo_data_follows_the_rules() -> None:
    data = generate_demo()
    assert len(data.projects) == 60
    assert len({p.code for p in data.projects}) == 60
    for p in data.projects:
        assert order_problems(p) == []
        assert all(m.actual is None or m.actual <= data.as_of for m in p.milestones())
        assert p.added_date is not None and p.added_date <= data.as_of
    codes = {p.code for p in data.projects}
    assert {r.code for r in data.progress} <= codes
    assert {d.project_code for d in data.difficulties} <= codes
    assert all(d.raised_on <= data.as_of for d in data.difficulties)


def test_demo_data_shows_every_colour_and_late_and_carried_over_projects() -> None:
    data = generate_demo()
    lights = Counter(pl.light.value for pl in assess_projects(data.projects, data.as_of, data.progress).values())
    assert lights["red"] and lights["yellow"] and lights["green"]
    lists = year_lists(data.projects, 2026, data.as_of)
    assert lists.construction.carried_over and lists.construction.late and lists.production.achieved
    assert data.difficulties and any(d.resolved_on for d in data.difficulties)


def test_demo_files_read_back_equal(tmp_path: Path) -> None:
    data = generate_demo(n=25, seed=7, as_of=date(2026, 6, 30))
    projects_path, progress_path = write_demo_files(data, tmp_path)
    assert read_projects(projects_path) == data.projects
    assert read_progress(progress_path, {p.code for p in data.projects}) == data.progress
