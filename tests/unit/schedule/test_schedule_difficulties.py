"""Difficulty escalation at the day boundaries, and closure rates per period and owner unit."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from schedule_factory import project

from zonehero.core.schedule.difficulties import (
    EscalationLevel,
    closure_by_unit,
    closure_stats,
    days_overdue,
    escalate,
    escalation_level,
)
from zonehero.core.schedule.model import Difficulty, DifficultyCategory, DifficultyStatus

DEADLINE = date(2025, 3, 31)


def difficulty(
    id: str = "D1",
    *,
    unit: str = "自然资源分局",
    raised: date = date(2025, 3, 1),
    deadline: date = DEADLINE,
    resolved_on: date | None = None,
) -> Difficulty:
    return Difficulty(
        id=id,
        project_code="A",
        description="用地报批未完成",
        category=DifficultyCategory.LAND,
        raised_on=raised,
        owner_unit=unit,
        deadline=deadline,
        status=DifficultyStatus.RESOLVED if resolved_on else DifficultyStatus.OPEN,
        resolved_on=resolved_on,
    )


@pytest.mark.parametrize(
    ("days", "level", "to"),
    [
        (0, None, None),
        (1, EscalationLevel.OWNER_UNIT, "自然资源分局"),
        (30, EscalationLevel.OWNER_UNIT, "自然资源分局"),
        (31, EscalationLevel.LEADER, "王建国"),
        (60, EscalationLevel.LEADER, "王建国"),
        (61, EscalationLevel.DIRECTOR, "管委会主任"),
        (400, EscalationLevel.DIRECTOR, "管委会主任"),
    ],
)
def test_escalation_levels(days: int, level: EscalationLevel | None, to: str | None) -> None:
    result = escalate(difficulty(), DEADLINE + timedelta(days=days), project("A"))
    assert result.days_overdue == days
    assert result.overdue is (days > 0)
    assert result.level is level
    assert result.escalated_to == to
    assert escalation_level(days) is level


def test_without_a_leader_the_level_label_stands_in() -> None:
    assert escalate(difficulty(), DEADLINE + timedelta(days=45)).escalated_to == "包挂领导"


def test_a_resolved_difficulty_is_not_overdue_but_a_later_resolution_does_not_count_yet() -> None:
    d = difficulty(resolved_on=date(2025, 5, 10))
    assert days_overdue(d, date(2025, 5, 10)) == 0
    assert days_overdue(d, date(2025, 5, 9)) == 39


def test_closure_stats_of_a_period() -> None:
    ds = [
        difficulty("old-resolved", raised=date(2025, 1, 5), deadline=date(2025, 2, 1), resolved_on=date(2025, 2, 20)),
        difficulty("old-open", raised=date(2025, 1, 10), deadline=date(2025, 2, 10)),
        difficulty("new-resolved", raised=date(2025, 3, 3), deadline=date(2025, 4, 3), resolved_on=date(2025, 3, 20)),
        difficulty("new-open", raised=date(2025, 3, 10), deadline=date(2025, 4, 30)),
        difficulty(
            "old-resolved-now", raised=date(2025, 2, 1), deadline=date(2025, 2, 15), resolved_on=date(2025, 3, 5)
        ),
        difficulty("future", raised=date(2025, 4, 2)),
    ]
    s = closure_stats(ds, date(2025, 3, 1), date(2025, 3, 31))
    assert (s.raised, s.in_play, s.resolved, s.overdue) == (2, 4, 2, 1)
    assert s.rate == 0.5


def test_closure_rate_is_none_when_nothing_is_in_play() -> None:
    assert closure_stats([], date(2025, 3, 1), date(2025, 3, 31)).rate is None


def test_closure_by_owner_unit() -> None:
    ds = [
        difficulty("a", unit="行政审批局", resolved_on=date(2025, 3, 10)),
        difficulty("b", unit="行政审批局"),
        difficulty("c", unit="财政金融局", resolved_on=date(2025, 3, 12)),
    ]
    by_unit = closure_by_unit(ds, date(2025, 3, 1), date(2025, 3, 31))
    assert list(by_unit) == ["行政审批局", "财政金融局"]
    assert by_unit["行政审批局"].rate == 0.5
    assert by_unit["财政金融局"].rate == 1.0
