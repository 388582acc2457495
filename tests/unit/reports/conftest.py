"""Fixtures for the document tests: the demo zone evaluated for two years, a demo month of scheduling."""

from __future__ import annotations

import pytest

from zonehero.core.evaluation import EvaluationResult, evaluate
from zonehero.core.schedule.report import MonthlyReport, build_monthly_report
from zonehero.demo import generate_zone
from zonehero.demo.schedule import DemoData, generate_demo
from zonehero.reports.pdf.styles import Letterhead

ZONE = "赣江示范开发区"


@pytest.fixture(scope="session")
def zone_results() -> tuple[EvaluationResult, EvaluationResult]:
    """(2025 result, 2024 result) of the 300-enterprise demo zone."""
    frames = generate_zone(300, seed=1, years=(2024, 2025))
    return evaluate(frames[2025], year=2025), evaluate(frames[2024], year=2024)


@pytest.fixture(scope="session")
def result(zone_results: tuple[EvaluationResult, EvaluationResult]) -> EvaluationResult:
    return zone_results[0]


@pytest.fixture(scope="session")
def previous(zone_results: tuple[EvaluationResult, EvaluationResult]) -> EvaluationResult:
    return zone_results[1]


@pytest.fixture(scope="session")
def letterhead() -> Letterhead:
    from datetime import date

    return Letterhead(zone=ZONE, issuer=f"{ZONE}经济发展局", issued_on=date(2026, 3, 2))


@pytest.fixture(scope="session")
def schedule_demo() -> DemoData:
    return generate_demo()


@pytest.fixture(scope="session")
def monthly(schedule_demo: DemoData) -> MonthlyReport:
    return build_monthly_report(schedule_demo.projects, schedule_demo.progress, schedule_demo.difficulties, 2026, 8)
