"""The monthly report on a small hand-made month."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import pytest
from schedule_factory import project

from zonehero.core.schedule.model import Difficulty, DifficultyCategory, MilestoneKind, ProgressReport
from zonehero.core.schedule.report import build_monthly_report


def test_monthly_report() -> None:
    started = replace(
        project("A", sign=(date(2025, 1, 10), date(2025, 1, 12)), start=(date(2025, 5, 1), date(2025, 5, 20))),
        industry_chain="新能源",
        year_plan_investment=1200,
    )
    late = replace(project("B", sign=(date(2025, 2, 1), None)), industry_chain="新材料")
    progress = [ProgressReport("A", 2025, m, 60) for m in range(1, 6)]
    difficulty = Difficulty(
        "D1", "B", "环评批复尚未取得", DifficultyCategory.APPROVALS, date(2025, 3, 1), "生态环境分局", date(2025, 4, 16)
    )
    report = build_monthly_report([started, late], progress, [difficulty], 2025, 5)
    assert report.as_of == date(2025, 5, 31)
    assert [(m.code, m.milestone) for m in report.stage_moves] == [("A", MilestoneKind.CONSTRUCTION)]
    # A: 300 done against 500 due (60%) is yellow; B: signing 119 days late is red.
    assert [(f.code, f.light.value) for f in report.flagged] == [("B", "red"), ("A", "yellow")]
    assert report.lists.signing.rate == pytest.approx(0.5)
    [escalation] = report.overdue
    assert escalation.days_overdue == 45 and escalation.escalated_to == "王建国"
    assert report.difficulties_by_unit["生态环境分局"].overdue == 1
    [chain] = report.investment_by_chain
    assert (chain.chain, chain.year_plan, chain.prorated_plan, chain.year_to_date) == ("新能源", 1200, 500, 300)
    snapshot = json.loads(json.dumps(report.to_dict(), ensure_ascii=False))
    assert snapshot["flagged"][0]["reasons"][0].startswith("计划签约日期 2025-02-01")
    assert snapshot["overdue"][0]["level"] == "leader"
