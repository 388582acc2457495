"""Milestones are reached in order; moving backwards needs a reason and yields an audit record."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from schedule_factory import project

from zonehero.core.schedule.model import MilestoneKind, Stage
from zonehero.core.schedule.stages import change_milestone, order_problems
from zonehero.errors import InputError

S, C, P = MilestoneKind.SIGNING, MilestoneKind.CONSTRUCTION, MilestoneKind.PRODUCTION


def test_in_order_dates_have_no_problem() -> None:
    p = project("A", sign=(None, date(2025, 1, 1)), start=(None, date(2025, 1, 1)), prod=(None, date(2026, 1, 1)))
    assert order_problems(p) == []
    assert p.stage is Stage.PRODUCTION
    assert p.stage_on(date(2025, 6, 1)) is Stage.CONSTRUCTION


def test_an_actual_date_before_the_previous_milestones_is_a_problem() -> None:
    p = project("A", sign=(None, date(2025, 5, 1)), start=(None, date(2025, 4, 30)))
    [problem] = order_problems(p)
    assert problem.milestone is C
    assert "早于" in problem.message


def test_a_later_milestone_without_the_earlier_one_is_a_problem() -> None:
    p = project("A", start=(None, date(2025, 4, 30)))
    [problem] = order_problems(p)
    assert problem.milestone is C
    assert "没有实际签约日期" in problem.message


def test_reaching_a_milestone_out_of_order_is_refused() -> None:
    p = project("A", sign=(None, date(2025, 5, 1)))
    with pytest.raises(InputError) as err:
        change_milestone(p, P, date(2025, 9, 1))
    assert "没有实际开工日期" in str(err.value)
    with pytest.raises(InputError, match="早于"):
        change_milestone(p, C, date(2025, 4, 1))


def test_moving_forward_needs_no_reason_and_is_recorded() -> None:
    p = project("A", sign=(None, date(2025, 5, 1)))
    at = datetime(2025, 6, 2, 9, 0)
    changed, record = change_milestone(p, C, date(2025, 6, 1), actor="office", at=at)
    assert changed.construction.actual == date(2025, 6, 1)
    assert p.construction.actual is None  # the input is not mutated
    assert (record.stage_before, record.stage_after) == (Stage.SIGNING, Stage.CONSTRUCTION)
    assert (record.actual_before, record.actual_after) == (None, date(2025, 6, 1))
    assert record.actor == "office" and record.at == at and not record.backwards


def test_moving_backwards_without_a_reason_is_refused() -> None:
    p = project("A", sign=(None, date(2025, 5, 1)), start=(None, date(2025, 6, 1)))
    with pytest.raises(InputError, match="须填写退回原因"):
        change_milestone(p, C, None)
    with pytest.raises(InputError, match="须填写退回原因"):
        change_milestone(p, C, None, reason="  ")


def test_moving_backwards_with_a_reason_is_recorded() -> None:
    p = project("A", sign=(None, date(2025, 5, 1)), start=(None, date(2025, 6, 1)))
    changed, record = change_milestone(p, C, None, reason="误填开工日期，实际尚未开工")
    assert changed.stage is Stage.SIGNING
    assert record.backwards
    assert record.reason == "误填开工日期，实际尚未开工"
    assert record.actual_before == date(2025, 6, 1) and record.actual_after is None


def test_clearing_an_earlier_milestone_under_a_later_one_is_refused_even_with_a_reason() -> None:
    p = project("A", sign=(None, date(2025, 5, 1)), start=(None, date(2025, 6, 1)))
    with pytest.raises(InputError, match="没有实际签约日期"):
        change_milestone(p, S, None, reason="撤销")
