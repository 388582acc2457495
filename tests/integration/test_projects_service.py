"""Projects in the store: import, milestones, yearly plans, who sees and edits what, and the audit of each change.

Runs on SQLite and PostgreSQL (the ``db`` fixture is parametrised).
"""

from __future__ import annotations

from datetime import date

import pytest
from projects_world import AS_OF, UNIT_A, UNIT_B, account, library
from sqlalchemy import select
from sqlalchemy.orm import Session

from zonehero.core.schedule.lists import year_lists
from zonehero.core.schedule.model import DifficultyCategory, DifficultyStatus, MilestoneKind, Stage
from zonehero.errors import InputError, NotFound, PermissionDenied
from zonehero.features.audit.models import AuditEntry
from zonehero.features.projects import detail, difficulties, service
from zonehero.features.roles import Actor, Role


@pytest.fixture
def office(db: Session) -> Actor:
    return account(db, "projects", Role.PROJECT_OFFICE)


@pytest.fixture
def unit_a(db: Session) -> Actor:
    return account(db, "unit_a", Role.UNIT, UNIT_A)


@pytest.fixture
def unit_b(db: Session) -> Actor:
    return account(db, "unit_b", Role.UNIT, UNIT_B)


@pytest.fixture
def stored(db: Session, office: Actor) -> None:
    service.import_projects(db, office, library(), year=2025)


def _audit(db: Session, action: str) -> list[AuditEntry]:
    return list(db.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)))


class TestImport:
    def test_it_stores_every_field_and_the_year_plan_and_audits_each_project(
        self, db: Session, office: Actor, stored: None
    ) -> None:
        data = service.load(db, office, 2025)
        assert [p for p in data.projects] == library()
        created = _audit(db, "project.create")
        assert [e.entity_id for e in created] == ["P1", "P2", "P3", "P4", "P5"]
        assert created[0].actor_name == "projects"
        assert created[0].after["actual_start_date"] == "2025-01-20"
        assert created[0].after["year_plan"] == {"year": 2025, "plan": 1200.0}

    def test_a_second_import_changes_only_what_differs_and_audits_before_and_after(
        self, db: Session, office: Actor, stored: None
    ) -> None:
        changed = [p if p.code != "P3" else p.__class__(**{**p.__dict__, "name": "新名称"}) for p in library()]
        done = service.import_projects(db, office, changed, year=2025)
        assert (done.projects_new, done.projects_updated, done.projects_unchanged) == (0, 1, 4)
        (entry,) = _audit(db, "project.update")
        assert (entry.entity_id, entry.before, entry.after) == ("P3", {"name": "测试项目P3"}, {"name": "新名称"})

    def test_an_import_cannot_move_a_project_back_a_stage_and_writes_nothing(
        self, db: Session, office: Actor, stored: None
    ) -> None:
        back = [
            p
            if p.code != "P4"
            else p.with_milestone(p.production.__class__(MilestoneKind.PRODUCTION, p.production.planned, None))
            for p in library()
        ]
        with pytest.raises(InputError) as caught:
            service.import_projects(db, office, back, year=2025, file="projects.xlsx")
        (problem,) = caught.value.problems
        assert problem.file == "projects.xlsx" and "P4" in problem.message and "退回" in problem.message
        assert service.load(db, office, 2025).rows["P4"].actual_production_date == date(2025, 3, 15)

    @pytest.mark.parametrize("persona", ["leader", "analyst", "enterprise_a", "sysadmin"])
    def test_only_the_project_office_imports(self, db: Session, persona: str, request: pytest.FixtureRequest) -> None:
        with pytest.raises(PermissionDenied):
            service.import_projects(db, request.getfixturevalue(persona), library(), year=2025)


class TestMilestones:
    def test_reaching_a_milestone_moves_the_stage_and_is_audited(
        self, db: Session, office: Actor, stored: None
    ) -> None:
        change = service.update_milestone(
            db, office, "P3", MilestoneKind.SIGNING, planned=date(2025, 2, 28), actual=date(2025, 7, 2)
        )
        assert (change.stage_before, change.stage_after) == (Stage.PLANNING, Stage.SIGNING)
        (entry,) = _audit(db, "project.milestone")
        assert entry.before == {"planned": "2025-02-28", "actual": None, "stage": "planning"}
        assert entry.after["actual"] == "2025-07-02" and entry.after["stage"] == "signing"

    def test_a_milestone_out_of_order_is_refused(self, db: Session, office: Actor, stored: None) -> None:
        with pytest.raises(InputError) as caught:
            service.update_milestone(
                db, office, "P3", MilestoneKind.CONSTRUCTION, planned=None, actual=date(2025, 5, 1)
            )
        assert "节点须依次达成" in caught.value.problems[0].message
        assert _audit(db, "project.milestone") == []

    def test_moving_back_needs_a_reason(self, db: Session, office: Actor, stored: None) -> None:
        planned = date(2026, 6, 1)
        with pytest.raises(InputError):
            service.update_milestone(db, office, "P4", MilestoneKind.PRODUCTION, planned=planned, actual=None)
        change = service.update_milestone(
            db, office, "P4", MilestoneKind.PRODUCTION, planned=planned, actual=None, reason="试生产未通过验收"
        )
        assert change.backwards and change.stage_after is Stage.CONSTRUCTION
        assert _audit(db, "project.milestone")[-1].after["reason"] == "试生产未通过验收"

    def test_a_leader_reads_but_does_not_edit(self, db: Session, leader: Actor, stored: None) -> None:
        assert service.list_projects(db, leader, as_of=AS_OF).total == 5
        with pytest.raises(PermissionDenied):
            service.update_milestone(db, leader, "P3", MilestoneKind.SIGNING, planned=None, actual=date(2025, 5, 1))

    def test_the_year_plan_is_kept_per_year_and_audited(self, db: Session, office: Actor, stored: None) -> None:
        service.set_year_plan(db, office, "P1", 2026, 3000.0)
        assert service.load(db, office, 2026).projects[0].year_plan_investment == 3000.0
        assert service.load(db, office, 2025).projects[0].year_plan_investment == 1200.0
        assert _audit(db, "project.year_plan")[-1].after == {"year": 2026, "plan": 3000.0}


class TestWhoSeesWhat:
    def test_a_unit_sees_its_own_projects_only(self, db: Session, unit_a: Actor, stored: None) -> None:
        assert [p.code for p in service.list_projects(db, unit_a, as_of=AS_OF).items] == ["P1", "P2", "P5"]
        assert detail.project_detail(db, unit_a, "P1", AS_OF).summary.code == "P1"
        with pytest.raises(NotFound):
            detail.project_detail(db, unit_a, "P3", AS_OF)

    def test_a_unit_that_owns_a_difficulty_sees_that_project(
        self, db: Session, office: Actor, unit_a: Actor, stored: None
    ) -> None:
        difficulties.add_difficulty(
            db,
            office,
            "P3",
            description="用地报批未完成",
            category=DifficultyCategory.LAND,
            raised_on=date(2025, 3, 1),
            owner_unit=UNIT_A,
            deadline=date(2025, 4, 1),
        )
        assert "P3" in [p.code for p in service.list_projects(db, unit_a, as_of=AS_OF).items]

    def test_an_enterprise_account_sees_no_project(self, db: Session, enterprise_a: Actor, stored: None) -> None:
        with pytest.raises(PermissionDenied):
            service.list_projects(db, enterprise_a, as_of=AS_OF)
        with pytest.raises(PermissionDenied):
            detail.project_detail(db, enterprise_a, "P1", AS_OF)

    def test_filters_by_stage_unit_light_and_search(self, db: Session, office: Actor, stored: None) -> None:
        def codes(**kw: object) -> list[str]:
            return [p.code for p in service.list_projects(db, office, as_of=AS_OF, **kw).items]  # type: ignore[arg-type]

        assert codes(stage=Stage.CONSTRUCTION) == ["P1", "P2"]
        assert codes(unit=UNIT_B) == ["P3", "P4"]
        assert codes(query="p4投资") == ["P4"]
        from zonehero.core.schedule.warnings import Light

        assert "P3" in codes(light=Light.RED)  # signing planned 2025-02-28, 122 days late on 2025-06-30


class TestDifficulties:
    @pytest.fixture
    def raised(self, db: Session, office: Actor, stored: None) -> int:
        return difficulties.add_difficulty(
            db,
            office,
            "P1",
            description="施工许可证办理中",
            category=DifficultyCategory.APPROVALS,
            raised_on=date(2025, 1, 10),
            owner_unit=UNIT_A,
            deadline=date(2025, 2, 10),
        )

    def test_it_escalates_one_level_per_thirty_days_overdue(self, db: Session, office: Actor, raised: int) -> None:
        def level(day: date) -> tuple[int, str | None, str | None]:
            (board,) = difficulties.difficulty_board(db, office, day)
            (item,) = board.items
            return item.days_overdue, item.level, item.escalated_to

        assert level(date(2025, 2, 10)) == (0, None, None)
        assert level(date(2025, 3, 12)) == (30, "owner_unit", UNIT_A)
        assert level(date(2025, 3, 13)) == (31, "leader", "王建国")
        assert level(date(2025, 4, 12)) == (61, "director", "管委会主任")

    def test_the_owner_unit_resolves_its_own_and_it_is_audited(
        self, db: Session, unit_a: Actor, unit_b: Actor, raised: int
    ) -> None:
        with pytest.raises(NotFound):
            difficulties.update_difficulty(
                db, unit_b, raised, status=DifficultyStatus.RESOLVED, resolution="x", resolved_on=date(2025, 3, 1)
            )
        with pytest.raises(InputError):
            difficulties.update_difficulty(
                db, unit_a, raised, status=DifficultyStatus.RESOLVED, resolution="", resolved_on=None
            )
        difficulties.update_difficulty(
            db, unit_a, raised, status=DifficultyStatus.RESOLVED, resolution="已办结", resolved_on=date(2025, 2, 20)
        )
        (entry,) = _audit(db, "difficulty.update")
        assert (entry.actor_name, entry.before["status"], entry.after["status"]) == ("unit_a", "open", "resolved")
        (board,) = difficulties.difficulty_board(db, unit_a, AS_OF)
        assert board.stats.resolved == 1 and board.overdue == 0

    def test_a_unit_may_not_update_a_difficulty_owned_by_another(
        self, db: Session, office: Actor, unit_a: Actor, stored: None
    ) -> None:
        other = difficulties.add_difficulty(
            db,
            office,
            "P1",
            description="供电线路未接入",
            category=DifficultyCategory.ENERGY,
            raised_on=date(2025, 1, 10),
            owner_unit="供电服务中心",
            deadline=date(2025, 2, 10),
        )
        with pytest.raises(PermissionDenied):
            difficulties.update_difficulty(
                db, unit_a, other, status=DifficultyStatus.IN_PROGRESS, resolution=None, resolved_on=None
            )


def test_the_lists_from_the_store_are_the_cores_lists(db: Session, office: Actor, stored: None) -> None:
    result = service.schedule_object(db, office, 2025, AS_OF)
    assert {k: v for k, v in result.items() if k != "lights"} == year_lists(library(), 2025, AS_OF).to_dict()
    assert result["construction"]["carried_over"] == ["P1"]
    assert result["construction"]["ahead"] == ["P2"]
    assert result["signing"]["late"] == ["P3"]
    assert result["lights"]["P3"] == "red"
