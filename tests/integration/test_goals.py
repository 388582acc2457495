"""Zone goals in the store: who may set them, actuals by hand and from the stored figures, progress pro-rated.

Runs on SQLite and PostgreSQL (the ``db`` fixture is parametrised).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from zone_files import ALL_USCCS, uploads, write_zone

from zonehero.config import Settings
from zonehero.errors import Conflict, InputError, NotFound, PermissionDenied
from zonehero.features.audit.models import AuditEntry
from zonehero.features.goals import service as goals
from zonehero.features.goals.schemas import GoalWrite, parse_goal
from zonehero.features.imports import service as imports
from zonehero.features.roles import Actor

TAX_GOAL = GoalWrite(key="total_tax", label="税收总额", value=12_000.0, unit="万元")
GROWTH_GOAL = GoalWrite(key="value_added_growth", label="工业增加值增速", value=8.0, unit="%", kind="level")
SHARE_GOAL = GoalWrite(key="economy_share", label="经济总量占全省比重", value=4.0, unit="%", kind="level")


def _actions(db: Session, entity_id: int) -> list[str]:
    rows = db.scalars(
        select(AuditEntry.action)
        .where(AuditEntry.entity == "zone_goal", AuditEntry.entity_id == str(entity_id))
        .order_by(AuditEntry.id)
    )
    return list(rows)


class TestSettingGoals:
    def test_an_analyst_sets_a_goal_and_it_is_audited(self, db: Session, analyst: Actor) -> None:
        goal = goals.create_goal(db, analyst, 2025, TAX_GOAL)
        assert (goal.year, goal.key, goal.value, goal.kind, goal.direction) == (
            2025,
            "total_tax",
            12_000.0,
            "cumulative",
            "higher",
        )
        assert _actions(db, goal.id) == ["goal.create"]

    def test_a_year_has_one_goal_per_key(self, db: Session, analyst: Actor) -> None:
        goals.create_goal(db, analyst, 2025, TAX_GOAL)
        with pytest.raises(Conflict):
            goals.create_goal(db, analyst, 2025, TAX_GOAL)
        assert goals.create_goal(db, analyst, 2026, TAX_GOAL).year == 2026

    def test_updating_and_deleting_are_audited(self, db: Session, analyst: Actor) -> None:
        goal = goals.create_goal(db, analyst, 2025, TAX_GOAL)
        goals.record_actual(db, analyst, goal.id, month=3, value=2_500.0)
        changed = goals.update_goal(db, analyst, goal.id, TAX_GOAL.model_copy(update={"value": 15_000.0}))
        assert changed.value == 15_000.0
        goals.delete_goal(db, analyst, goal.id)
        assert goals.list_goals(db, analyst, 2025) == []
        assert _actions(db, goal.id) == ["goal.create", "goal.actual", "goal.update", "goal.delete"]

    @pytest.mark.parametrize("persona", ["leader", "enterprise_a", "sysadmin"])
    def test_only_the_analyst_changes_goals(
        self, db: Session, persona: str, request: pytest.FixtureRequest, analyst: Actor
    ) -> None:
        actor: Actor = request.getfixturevalue(persona)
        with pytest.raises(PermissionDenied):
            goals.create_goal(db, actor, 2025, TAX_GOAL)
        goal = goals.create_goal(db, analyst, 2025, TAX_GOAL)
        with pytest.raises(PermissionDenied):
            goals.record_actual(db, actor, goal.id, month=1, value=1.0)

    def test_a_leader_reads_but_an_enterprise_account_does_not(
        self, db: Session, analyst: Actor, leader: Actor, enterprise_a: Actor
    ) -> None:
        goals.create_goal(db, analyst, 2025, TAX_GOAL)
        assert [g.key for g in goals.list_goals(db, leader, 2025)] == ["total_tax"]
        with pytest.raises(PermissionDenied):
            goals.year_targets(db, enterprise_a, 2025)

    def test_bad_fields_are_named_in_chinese(self) -> None:
        with pytest.raises(InputError) as caught:
            parse_goal({"key": "Bad Key", "label": " ", "value": "x", "unit": "万元"})
        assert {p.column for p in caught.value.problems} == {"key", "label", "value"}

    def test_a_missing_goal_is_not_found(self, db: Session, analyst: Actor) -> None:
        with pytest.raises(NotFound):
            goals.record_actual(db, analyst, 999_999, month=1, value=1.0)


class TestActuals:
    def test_a_month_holds_one_actual_and_entering_again_replaces_it(self, db: Session, analyst: Actor) -> None:
        goal = goals.create_goal(db, analyst, 2025, TAX_GOAL)
        goals.record_actual(db, analyst, goal.id, month=3, value=2_000.0)
        goals.record_actual(db, analyst, goal.id, month=3, value=2_900.0, note="税务局更正")
        (actual,) = goals.list_goals(db, analyst, 2025)[0].actuals
        assert (actual.month, actual.value, actual.source, actual.note) == (3, 2_900.0, "manual", "税务局更正")

    @pytest.mark.parametrize("month", [0, 13])
    def test_months_outside_the_year_are_refused(self, db: Session, analyst: Actor, month: int) -> None:
        goal = goals.create_goal(db, analyst, 2025, TAX_GOAL)
        with pytest.raises(InputError):
            goals.record_actual(db, analyst, goal.id, month=month, value=1.0)

    def test_total_tax_is_computed_from_the_stored_figures(self, db: Session, analyst: Actor, zone_year: int) -> None:
        goal = goals.create_goal(db, analyst, zone_year, TAX_GOAL)
        goals.create_goal(db, analyst, zone_year, SHARE_GOAL)
        done = goals.compute_actuals(db, analyst, zone_year)
        expected = sum(40.0 + 37.0 * ((i * 7) % 20) for i in range(len(ALL_USCCS)))
        assert [(a.goal_id, a.month, a.source) for a in done.written] == [(goal.id, 12, "formula:total_tax")]
        assert done.written[0].value == pytest.approx(expected)
        assert done.skipped == {}  # economy_share has no formula: left alone, not "skipped"

    def test_growth_needs_the_year_before(
        self, db: Session, analyst: Actor, zone_year: int, settings: Settings, tmp_path: Path
    ) -> None:
        goals.create_goal(db, analyst, zone_year, GROWTH_GOAL)
        assert goals.compute_actuals(db, analyst, zone_year).skipped == {
            "value_added_growth": "缺少上一年度的企业数据，无法计算增速"
        }
        files = uploads(write_zone(tmp_path / "in2023", 2023))
        preview = imports.preview_import(db, analyst, files, settings=settings)
        imports.confirm_import(db, analyst, preview.batch_id, year=2023, settings=settings)
        done = goals.compute_actuals(db, analyst, zone_year)
        assert done.written[0].value == pytest.approx(0.0)  # the statistics are the same both years

    def test_investment_comes_from_the_project_progress_or_is_entered_by_hand(
        self, db: Session, analyst: Actor, zone_year: int, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        goal = goals.create_goal(
            db, analyst, zone_year, GoalWrite(key="investment_completed", label="投资", value=1, unit="万元")
        )
        monkeypatch.setattr(goals, "investment_completed", lambda _session, _actor, _year, _month: None)
        done = goals.compute_actuals(db, analyst, zone_year, month=9)
        assert done.written == [] and "investment_completed" in done.skipped
        monkeypatch.setattr(goals, "investment_completed", lambda _session, _actor, year, month: 100.0 * month)
        done = goals.compute_actuals(db, analyst, zone_year, month=9)
        assert [(a.goal_id, a.month, a.value) for a in done.written] == [(goal.id, 9, 900.0)]


class TestProgress:
    def test_a_cumulative_goal_is_pro_rated_to_the_month(self, db: Session, analyst: Actor) -> None:
        goal = goals.create_goal(db, analyst, 2025, TAX_GOAL)
        goals.record_actual(db, analyst, goal.id, month=3, value=2_850.0)  # 3,000 expected by March: 5% short
        goals.record_actual(db, analyst, goal.id, month=6, value=6_100.0)  # 6,000 expected by June: ahead
        at_march = goals.year_targets(db, analyst, 2025, month=3).items[0]
        assert (at_march.expected, at_march.actual, at_march.status) == (3_000.0, 2_850.0, "at_risk")
        assert at_march.attainment == pytest.approx(0.95)
        latest = goals.year_targets(db, analyst, 2025).items[0]
        assert (latest.month, latest.expected, latest.status) == (6, 6_000.0, "on_track")

    def test_a_level_goal_is_compared_directly_and_off_course_goals_are_listed(
        self, db: Session, analyst: Actor
    ) -> None:
        share = goals.create_goal(db, analyst, 2025, SHARE_GOAL)
        tax = goals.create_goal(db, analyst, 2025, TAX_GOAL)
        goals.record_actual(db, analyst, share.id, month=3, value=3.0)  # 25% short of 4%
        goals.record_actual(db, analyst, tax.id, month=3, value=3_100.0)
        targets = goals.year_targets(db, analyst, 2025, month=3)
        by_key = {i.goal.key: i for i in targets.items}
        assert (by_key["economy_share"].expected, by_key["economy_share"].status) == (4.0, "off_track")
        assert [i.goal.key for i in targets.off_course] == ["economy_share"]

    def test_a_goal_without_an_actual_at_the_period_has_no_data(self, db: Session, analyst: Actor) -> None:
        goal = goals.create_goal(db, analyst, 2025, TAX_GOAL)
        goals.record_actual(db, analyst, goal.id, month=3, value=3_000.0)
        item = goals.year_targets(db, analyst, 2025, month=4).items[0]
        assert (item.status, item.actual, item.expected) == ("no_data", None, 4_000.0)


class TestInvestmentFromProjects:
    def test_it_sums_the_monthly_investment_the_projects_reported(
        self, db: Session, analyst: Actor, settings: Settings
    ) -> None:
        from datetime import date

        from zonehero.demo.projects import seed_demo_projects
        from zonehero.features.projects import service as projects

        seed_demo_projects(db, settings, password="Richtig-Pferd-42", n=12, as_of=date(2025, 10, 15))
        reports = projects.load(db, analyst, 2025).progress
        by_june = sum(p.investment_month for p in reports if p.year == 2025 and p.month <= 6)
        assert by_june > 0
        assert goals.investment_completed(db, analyst, 2025, 6) == pytest.approx(by_june)
        assert goals.investment_completed(db, analyst, 2030, 6) is None
        goal = goals.create_goal(
            db, analyst, 2025, GoalWrite(key="investment_completed", label="投资", value=1, unit="万元")
        )
        done = goals.compute_actuals(db, analyst, 2025, month=6)
        assert [(a.goal_id, a.value, a.source) for a in done.written] == [
            (goal.id, pytest.approx(by_june), "formula:investment_completed")
        ]
