"""Red/yellow/green lights: lateness thresholds, investment against 时序进度, missing reports."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from schedule_factory import project

from zonehero.core.schedule.model import ProgressReport
from zonehero.core.schedule.warnings import (
    Light,
    WarningConfig,
    WarningKind,
    assess_project,
    assess_projects,
    last_closed_month,
    prorated_plan,
)

AS_OF = date(2025, 6, 30)


@pytest.mark.parametrize(
    ("days", "light"),
    [(0, Light.GREEN), (1, Light.YELLOW), (90, Light.YELLOW), (91, Light.RED)],
)
def test_light_by_days_late(days: int, light: Light) -> None:
    p = project("A", sign=(AS_OF - timedelta(days=days), None))
    result = assess_project(p, AS_OF)
    assert result.light is light
    if days:
        [warning] = result.warnings
        assert warning.days_late == days
        assert f"滞后 {days} 天" in warning.reason
        assert "计划签约日期" in warning.reason


def test_a_milestone_reached_on_the_as_of_date_is_not_late() -> None:
    p = project("A", sign=(date(2025, 1, 1), AS_OF))
    assert assess_project(p, AS_OF).light is Light.GREEN


def test_the_light_is_the_worst_warning_and_every_reason_is_kept() -> None:
    p = project(
        "A",
        sign=(date(2025, 1, 1), date(2025, 1, 5)),
        start=(date(2025, 2, 1), None),
        prod=(date(2025, 6, 1), None),
    )
    result = assess_project(p, AS_OF)
    assert result.light is Light.RED
    assert [w.light for w in result.warnings] == [Light.RED, Light.YELLOW]
    assert "开工" in result.reasons[0] and "投产" in result.reasons[1]


def test_thresholds_are_configurable() -> None:
    p = project("A", sign=(AS_OF - timedelta(days=40), None))
    assert assess_project(p, AS_OF, config=WarningConfig(yellow_max_days_late=30)).light is Light.RED


@pytest.mark.parametrize(
    ("as_of", "closed"),
    [
        (date(2025, 6, 30), (2025, 6)),
        (date(2025, 6, 29), (2025, 5)),
        (date(2025, 1, 15), (2024, 12)),
        (date(2025, 2, 28), (2025, 2)),
    ],
)
def test_last_closed_month(as_of: date, closed: tuple[int, int]) -> None:
    assert last_closed_month(as_of) == closed


def test_prorated_plan() -> None:
    assert prorated_plan(1200, 5) == 500


def reports(code: str, amounts: dict[int, float], year: int = 2025) -> list[ProgressReport]:
    return [ProgressReport(code, year, m, amount) for m, amount in amounts.items()]


@pytest.mark.parametrize(
    ("done", "light"),
    [(480.0, Light.GREEN), (479.0, Light.YELLOW), (300.0, Light.YELLOW), (299.0, Light.RED)],
)
def test_investment_against_the_prorated_plan(done: float, light: Light) -> None:
    # On 15 June the last closed month is May: 1440 × 5/12 = 600 is due; 80% is 480 and 50% is 300.
    # The June report (10 000) is not counted yet.
    p = project("A", plan=1440)
    progress = reports("A", {1: done / 5, 2: done / 5, 3: done / 5, 4: done / 5, 5: done / 5, 6: 10_000})
    result = assess_project(p, date(2025, 6, 15), progress)
    investment = [w for w in result.warnings if w.kind is WarningKind.INVESTMENT_BEHIND]
    assert result.light is light
    if light is not Light.GREEN:
        assert investment[0].ratio == pytest.approx(done / 600)
        assert "时序进度" in investment[0].reason
    else:
        assert investment == []


def test_no_investment_warning_before_the_first_month_of_the_year_closes() -> None:
    p = project("A", plan=1200)
    result = assess_project(p, date(2025, 1, 20), reports("A", {12: 100}, year=2024))
    assert [w.kind for w in result.warnings] == []


def test_a_missing_report_for_the_last_closed_month_is_yellow() -> None:
    p = project("A", sign=(None, date(2025, 1, 1)), start=(None, date(2025, 2, 1)))
    result = assess_project(p, date(2025, 6, 10), reports("A", {2: 1, 3: 1, 4: 1}))
    [warning] = result.warnings
    assert warning.kind is WarningKind.PROGRESS_MISSING
    assert warning.light is Light.YELLOW
    assert "2025年5月" in warning.reason
    assert assess_project(p, date(2025, 6, 10), reports("A", {5: 1})).light is Light.GREEN


def test_projects_still_being_prepared_owe_no_report() -> None:
    p = project("A", sign=(date(2025, 9, 1), None))
    assert assess_project(p, date(2025, 6, 10), []).light is Light.GREEN


def test_projects_in_production_before_the_month_owe_no_report() -> None:
    p = project("A", sign=(None, date(2024, 1, 1)), start=(None, date(2024, 2, 1)), prod=(None, date(2025, 3, 1)))
    assert assess_project(p, date(2025, 6, 10), []).light is Light.GREEN


def test_without_progress_data_lights_come_from_lateness_alone() -> None:
    slow = project("A", sign=(None, date(2025, 1, 1)), start=(None, date(2025, 2, 1)), plan=12_000)
    late = project("B", sign=(date(2025, 5, 1), None))
    lights = assess_projects([late, slow], date(2025, 6, 10))
    assert list(lights) == ["A", "B"]
    assert lights["A"].light is Light.GREEN
    assert lights["B"].light is Light.YELLOW
    with_progress = assess_projects([late, slow], date(2025, 6, 10), [])
    assert with_progress["A"].light is Light.RED
