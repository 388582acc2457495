"""The four lists on hand-made cases, checked against the spec's definitions."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from schedule_factory import project

from zonehero.core.schedule.lists import milestone_list, planning_list, year_lists
from zonehero.core.schedule.model import MilestoneKind
from zonehero.errors import InputError

C = MilestoneKind.CONSTRUCTION


def codes(projects: tuple) -> list[str]:
    return [p.code for p in projects]


class TestPlannedInDecemberStartedInJanuary:
    p = project("A", start=(date(2025, 12, 15), date(2026, 1, 10)), total=5000)

    def test_it_is_late_on_the_2025_list_at_year_end(self) -> None:
        result = milestone_list([self.p], C, 2025, date(2025, 12, 31))
        assert codes(result.list) == ["A"]
        assert codes(result.late) == ["A"]
        assert result.achieved == ()
        assert result.rate == 0.0

    def test_it_is_carried_over_to_2026_and_achieved_there(self) -> None:
        result = milestone_list([self.p], C, 2026, date(2026, 1, 31))
        assert codes(result.list) == ["A"]
        assert codes(result.carried_over) == ["A"]
        assert codes(result.achieved) == ["A"]
        assert codes(result.achieved_on_list) == ["A"]
        assert result.ahead == ()
        assert result.late == ()
        assert result.rate == 1.0

    def test_before_it_started_in_january_it_is_carried_over_and_late(self) -> None:
        result = milestone_list([self.p], C, 2026, date(2026, 1, 5))
        assert codes(result.carried_over) == ["A"]
        assert codes(result.late) == ["A"]
        assert result.achieved == ()


class TestCarriedOverTwice:
    p = project("B", start=(date(2024, 6, 1), date(2026, 3, 1)))

    @pytest.mark.parametrize("year", [2025, 2026])
    def test_it_is_carried_over_in_both_later_years(self, year: int) -> None:
        result = milestone_list([self.p], C, year, date(year, 2, 1))
        assert codes(result.carried_over) == ["B"]
        assert codes(result.late) == ["B"]

    def test_it_leaves_the_list_once_reached_before_the_year(self) -> None:
        result = milestone_list([self.p], C, 2027, date(2027, 6, 30))
        assert result.list == ()
        assert result.carried_over == ()
        assert result.rate is None


class TestStartedBeforeItWasPlanned:
    def test_same_year_early_start_is_achieved_on_the_list(self) -> None:
        p = project("C", start=(date(2025, 9, 1), date(2025, 4, 1)))
        result = milestone_list([p], C, 2025, date(2025, 5, 31))
        assert codes(result.list) == ["C"]
        assert codes(result.achieved_on_list) == ["C"]
        assert result.ahead == ()
        assert result.late == ()
        assert result.rate == 1.0

    def test_start_a_year_early_is_ahead_then_on_next_years_list_not_achieved_not_late(self) -> None:
        p = project("D", start=(date(2026, 3, 1), date(2025, 11, 20)))
        in_2025 = milestone_list([p], C, 2025, date(2025, 12, 31))
        assert in_2025.list == ()
        assert codes(in_2025.ahead) == ["D"]
        assert codes(in_2025.achieved) == ["D"]
        assert in_2025.rate is None
        in_2026 = milestone_list([p], C, 2026, date(2026, 6, 30))
        assert codes(in_2026.list) == ["D"]
        assert in_2026.achieved == ()
        assert in_2026.late == ()
        assert in_2026.rate == 0.0

    def test_unplanned_achievement_is_ahead(self) -> None:
        p = project("E", start=(None, date(2025, 2, 1)))
        result = milestone_list([p], C, 2025, date(2025, 3, 1))
        assert codes(result.ahead) == ["E"]


def test_an_actual_date_after_the_as_of_date_does_not_count() -> None:
    p = project("F", start=(date(2025, 3, 1), date(2025, 8, 1)))
    result = milestone_list([p], C, 2025, date(2025, 6, 30))
    assert result.achieved == ()
    assert codes(result.late) == ["F"]


def test_late_needs_the_planned_date_strictly_before_the_as_of_date() -> None:
    p = project("G", start=(date(2025, 6, 30), None))
    assert milestone_list([p], C, 2025, date(2025, 6, 30)).late == ()
    assert codes(milestone_list([p], C, 2025, date(2025, 7, 1)).late) == ["G"]


def test_counts_and_investment_sums() -> None:
    projects = [
        project("P1", start=(date(2025, 3, 1), date(2025, 3, 5)), total=1000),
        project("P2", start=(date(2025, 4, 1), None), total=2500.5),
        project("P3", start=(date(2024, 10, 1), None), total=None),
        project("P4", start=(None, date(2025, 2, 1)), total=700),
        project("P5", start=(date(2025, 11, 1), None), total=300),
    ]
    d = milestone_list(projects, C, 2025, date(2025, 6, 30)).to_dict()
    assert d["list"] == ["P1", "P2", "P3", "P5"]
    assert d["carried_over"] == ["P3"]
    assert d["achieved"] == ["P1", "P4"]
    assert d["ahead"] == ["P4"]
    assert d["late"] == ["P2", "P3"]
    assert d["rate"] == pytest.approx(1 / 4)
    assert d["list_count"] == 4 and d["achieved_count"] == 2 and d["late_count"] == 2
    assert d["list_investment"] == pytest.approx(3800.5)
    assert d["achieved_investment"] == pytest.approx(1700)
    assert d["ahead_investment"] == pytest.approx(700)
    assert d["late_investment"] == pytest.approx(2500.5)
    assert d["carried_over_investment"] == 0


def test_planning_list() -> None:
    projects = [
        project("N1", added=date(2024, 5, 1)),
        project("N2", added=date(2025, 2, 1), sign=(date(2025, 5, 1), date(2025, 5, 2))),
        project("N3", added=date(2025, 3, 1), sign=(date(2025, 9, 1), date(2025, 9, 3))),
        project("N4", added=date(2025, 7, 1)),
        project("N5", added=None),
    ]
    result = planning_list(projects, 2025, date(2025, 6, 30))
    assert codes(result.list) == ["N1", "N3", "N5"]
    assert codes(result.added_in_year) == ["N3"]
    assert codes(result.new_in_year) == ["N2", "N3"]
    d = result.to_dict()
    assert d["added_in_year"] == 1
    assert d["list_investment"] == 3000


def test_as_of_outside_the_year_is_refused() -> None:
    with pytest.raises(InputError, match="不在 2025 年内"):
        year_lists([], 2025, date(2026, 1, 1))


def test_year_lists_has_the_four_lists() -> None:
    d = year_lists([project("A", sign=(date(2025, 1, 2), None))], 2025, date(2025, 3, 1)).to_dict()
    assert set(d) == {"signing", "construction", "production", "planning"}
    assert d["signing"]["late"] == ["A"]


dates = st.one_of(st.none(), st.dates(min_value=date(2023, 1, 1), max_value=date(2027, 12, 31)))


@given(st.lists(st.tuples(dates, dates), min_size=0, max_size=12), st.dates(date(2025, 1, 1), date(2025, 12, 31)))
def test_list_invariants(pairs: list, as_of: date) -> None:
    projects = [project(f"X{i:02d}", start=pair) for i, pair in enumerate(pairs)]
    result = milestone_list(projects, C, 2025, as_of)
    members = set(codes(result.list))
    assert set(codes(result.carried_over)) <= members
    assert set(codes(result.late)) <= members
    assert set(codes(result.achieved_on_list)) == members & set(codes(result.achieved))
    assert not set(codes(result.ahead)) & members
    assert not set(codes(result.late)) & set(codes(result.achieved))
    if members:
        assert result.rate is not None and 0 <= result.rate <= 1
    else:
        assert result.rate is None
