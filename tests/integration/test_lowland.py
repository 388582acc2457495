"""低效用地台账 and 一企一方案 on SQLite and PostgreSQL: built from a run in 公示, the potential checked by hand against
the zone's own files, measures and plans with the projects' escalation on an injected clock, every change audited,
each role seeing what it may.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from projects_world import account
from sqlalchemy.orm import Session
from zone_files import ALL_USCCS, _land, _tax, uploads, write_zone

from zonehero import clock
from zonehero.config import Settings
from zonehero.core.land.model import Parcel, ParcelStatus
from zonehero.errors import Conflict, InputError, NotFound, PermissionDenied
from zonehero.features.audit import service as audit
from zonehero.features.imports import service as imports
from zonehero.features.lowland import service as lowland
from zonehero.features.publication import service as publication
from zonehero.features.roles import Actor, Role
from zonehero.features.runs import service as runs
from zonehero.features.runs.schemas import RunRead
from zonehero.features.schemes.schemas import SchemeVersionRead
from zonehero.features.todo import service as todo
from zonehero.features.todo.schemas import TodoItem, TodoKind

UNIT = "自然资源分局"
DEADLINE = date(2025, 6, 30)


@pytest.fixture
def frozen() -> Iterator[None]:
    """The zone's clock stopped on 2025-04-01 (what ``today()`` answers in the services)."""
    before = clock.current()
    clock.use(clock.FixedClock(datetime(2025, 4, 1, 4, 0, tzinfo=UTC), before.timezone))
    yield
    clock.use(before)


def at(day: date) -> None:
    clock.use(clock.FixedClock(datetime(day.year, day.month, day.day, 4, 0, tzinfo=UTC), clock.current().timezone))


@pytest.fixture
def built(db: Session, analyst: Actor, notice: RunRead, frozen: None) -> RunRead:
    lowland.build_register(db, analyst, notice.id, owner_unit=UNIT)
    return notice


class TestBuild:
    def test_the_potential_by_hand_from_the_zone_files(self, db: Session, analyst: Actor, built: RunRead) -> None:
        reg = lowland.register(db, analyst, built.year, as_of=date(2025, 4, 1))
        assert reg.cases > 0 and reg.run_id == built.id
        bench = {
            b["group"]: b["benchmark"]
            for b in built.benchmarks
            if b["indicator"] == "tax_per_mu" and not b.get("industry_division")
        }
        total = 0.0
        for case in reg.items:
            i = ALL_USCCS.index(case.uscc)
            land, tax = _land(i), _tax(i)  # the files the zone sent: 亩 and 万元
            # potential = land × benchmark − tax, floored at 0
            expected = max(0.0, land * bench[case.group] - tax)
            assert case.potential == pytest.approx(expected)
            assert case.land_mu == pytest.approx(land) and case.tax == pytest.approx(tax)
            total += expected
        assert reg.total_potential == pytest.approx(total)
        # By hand: the zone benchmark of 规上 is Σtax / Σland over the twenty enterprises (zone mode, factor 1):
        #   tax_i = 40 + 37 × (7i mod 20) and land_i = 20 + 3 × (11i mod 20); both moduli run over 0..19 once, so
        #   Σtax = 20 × 40 + 37 × 190 = 7830 万元, Σland = 20 × 20 + 3 × 190 = 970 亩, benchmark = 8.0722 万元/亩.
        # The biggest case is enterprise 9: land 20 + 3 × 19 = 77 亩, tax 40 + 37 × 3 = 151 万元 (1.96 < 0.5 × 8.07);
        #   potential = 77 × 7830 / 970 − 151 = 621.56 − 151 = 470.56 万元.
        assert bench["above"] == pytest.approx(7830 / 970)
        top = reg.items[0]
        assert ALL_USCCS.index(top.uscc) == 9 and top.potential == pytest.approx(77 * 7830 / 970 - 151)
        # Sorted by potential (nothing is overdue yet), the biggest first.
        assert [c.potential for c in reg.items] == sorted((c.potential for c in reg.items), reverse=True)

    def test_reasons_follow_the_rules(self, db: Session, analyst: Actor, built: RunRead) -> None:
        results = runs.list_results(db, analyst, built.id, limit=None).items
        d_class = {r.uscc for r in results if r.class_ == "D"}
        reg = lowland.register(db, analyst, built.year)
        marked_d = {c.uscc for c in reg.items if "d_class" in c.reasons}
        assert marked_d == d_class and d_class
        for c in reg.items:
            if "low_tax_per_mu" in c.reasons:
                assert c.tax_per_mu is not None and c.benchmark is not None
                assert c.tax_per_mu < 0.5 * c.benchmark

    def test_every_d_class_enterprise_gets_a_plan(self, db: Session, analyst: Actor, built: RunRead) -> None:
        results = runs.list_results(db, analyst, built.id, limit=None).items
        plans = lowland.plans(db, analyst, built.year)
        assert {p.uscc for p in plans.items} == {r.uscc for r in results if r.class_ == "D"}
        assert all(p.owner_unit == UNIT and p.deadline == date(2025, 12, 31) for p in plans.items)
        assert all(p.outcome == "no_result" and p.outcome_label == "尚无下一年度结果" for p in plans.items)

    def test_parcels_through_the_argument(self, db: Session, analyst: Actor, notice: RunRead, frozen: None) -> None:
        idle = Parcel("ZD-IDLE", "91330100MA0000001X", 10000.0, ParcelStatus.IDLE)
        lowland.build_register(db, analyst, notice.id, owner_unit=UNIT, parcels=lambda year: [idle])
        reg = lowland.register(db, analyst, notice.year, reason="idle")
        [case] = reg.items
        assert case.parcels == ["ZD-IDLE"] and case.land_mu == pytest.approx(15.0)  # 10000 m² = 15 亩

    def test_built_again_keeps_measures(self, db: Session, analyst: Actor, built: RunRead) -> None:
        first = lowland.register(db, analyst, built.year).items[0]
        lowland.add_measure(
            db, analyst, first.id, kind="upgrade", description="技改", owner_unit=UNIT, deadline=DEADLINE
        )
        again = lowland.build_register(db, analyst, built.id, owner_unit=UNIT)
        assert again.added == 0 and again.plans_added == 0
        assert lowland.get_case(db, analyst, first.id).measure_count == 1

    def test_a_draft_is_refused(self, db: Session, analyst: Actor, draft: RunRead) -> None:
        with pytest.raises(Conflict):
            lowland.build_register(db, analyst, draft.id, owner_unit=UNIT)

    def test_only_the_analyst_builds(self, db: Session, leader: Actor, notice: RunRead) -> None:
        with pytest.raises(PermissionDenied):
            lowland.build_register(db, leader, notice.id, owner_unit=UNIT)

    def test_audited(self, db: Session, analyst: Actor, auditor: Actor, built: RunRead) -> None:
        case = lowland.register(db, analyst, built.year).items[0]
        mid = lowland.add_measure(
            db, analyst, case.id, kind="upgrade", description="技改", owner_unit=UNIT, deadline=DEADLINE
        )
        lowland.update_measure(db, analyst, mid, status="in_progress")
        plan = lowland.plans(db, analyst, built.year).items[0]
        lowland.update_plan(db, analyst, plan.id, status="done", resolution="已完成技改")
        actions = [e.action for e in audit.list_entries(db, auditor, limit=20).items]
        for action in ("lowland.build", "lowland_measure.create", "lowland_measure.update", "lowland_plan.update"):
            assert action in actions
        [update] = audit.list_entries(db, auditor, action="lowland_measure.update").items
        assert (update.before["status"], update.after["status"]) == ("open", "in_progress")


class TestMeasuresEscalate:
    def test_overdue_then_leader_then_director(self, db: Session, analyst: Actor, built: RunRead) -> None:
        case = lowland.register(db, analyst, built.year).items[0]
        mid = lowland.add_measure(
            db, analyst, case.id, kind="takeback", description="腾退收储", owner_unit=UNIT, deadline=DEADLINE
        )
        on = lambda day: lowland.get_case(db, analyst, case.id, as_of=day).measures[0]  # noqa: E731
        assert on(DEADLINE).days_overdue == 0
        # 1 day late: still the unit's; 31 days: 包挂领导; 61 days: 管委会主任 (the projects' rule)
        assert (on(DEADLINE + timedelta(days=1)).level, on(DEADLINE + timedelta(days=1)).escalated_to) == (
            "owner_unit",
            UNIT,
        )
        assert on(DEADLINE + timedelta(days=31)).level == "leader"
        late = on(DEADLINE + timedelta(days=61))
        assert (late.level, late.escalated_to) == ("director", "管委会主任")
        # Overdue cases come first on the register, and the to-do source sees it.
        at(DEADLINE + timedelta(days=40))
        reg = lowland.register(db, analyst, built.year)
        assert reg.items[0].id == case.id and reg.overdue == 1
        [work] = [w for w in lowland.overdue_work(db, analyst, DEADLINE + timedelta(days=40)) if w.kind == "measure"]
        assert work.escalation.level == "leader" and work.url == f"/lowland/cases/{case.id}"
        # Done: no longer overdue, the case is done.
        lowland.update_measure(db, analyst, mid, status="done", resolution="已收储", done_on=DEADLINE)
        done = lowland.get_case(db, analyst, case.id)
        assert done.status == "done" and done.days_overdue == 0

    def test_bad_measure_refused(self, db: Session, analyst: Actor, built: RunRead) -> None:
        case = lowland.register(db, analyst, built.year).items[0]
        with pytest.raises(InputError):
            lowland.add_measure(db, analyst, case.id, kind="sell", description="x", owner_unit=UNIT, deadline=DEADLINE)
        with pytest.raises(InputError):
            lowland.add_measure(
                db, analyst, case.id, kind="upgrade", description="", owner_unit="", deadline=date(2020, 1, 1)
            )


class TestWhoSeesWhat:
    def test_a_unit_sees_and_updates_its_own(self, db: Session, analyst: Actor, built: RunRead) -> None:
        mine, other = lowland.register(db, analyst, built.year).items[:2]
        unit = account(db, "unit_nr", Role.UNIT, UNIT)
        someone = account(db, "unit_js", Role.UNIT, "建设局")
        m1 = lowland.add_measure(
            db, analyst, mine.id, kind="upgrade", description="技改", owner_unit=UNIT, deadline=DEADLINE
        )
        m2 = lowland.add_measure(
            db, analyst, other.id, kind="merger", description="兼并", owner_unit="建设局", deadline=DEADLINE
        )
        seen = lowland.register(db, unit, built.year)
        assert [c.id for c in seen.items] == [mine.id]
        lowland.update_measure(db, unit, m1, status="in_progress")
        assert lowland.get_case(db, unit, mine.id).status == "in_progress"
        with pytest.raises(NotFound):
            lowland.update_measure(db, unit, m2, status="done")
        with pytest.raises(NotFound):
            lowland.get_case(db, unit, other.id)
        with pytest.raises(PermissionDenied):
            lowland.add_measure(db, unit, mine.id, kind="upgrade", description="x", owner_unit=UNIT, deadline=DEADLINE)
        # The unit's plans: all of them here (every plan went to UNIT); the other unit has none.
        assert lowland.plans(db, unit, built.year).total == lowland.plans(db, analyst, built.year).total
        assert lowland.plans(db, someone, built.year).total == 0

    def test_an_enterprise_sees_only_its_own_plan(self, db: Session, analyst: Actor, built: RunRead) -> None:
        plan = lowland.plans(db, analyst, built.year).items[0]
        owner = Actor(id=None, username="ent", role=Role.ENTERPRISE, enterprise_uscc=plan.uscc)
        stranger = Actor(id=None, username="ent2", role=Role.ENTERPRISE, enterprise_uscc="91330100MA0000001X")
        [own] = lowland.plans(db, owner, built.year).items
        assert own.id == plan.id and not own.can_update
        assert lowland.plans(db, stranger, built.year).items == []
        with pytest.raises(NotFound):
            lowland.register(db, owner, built.year)
        with pytest.raises(NotFound):
            lowland.update_plan(db, owner, plan.id, status="done")

    def test_leader_reads_but_does_not_edit(self, db: Session, leader: Actor, analyst: Actor, built: RunRead) -> None:
        reg = lowland.register(db, leader, built.year)
        assert reg.cases and not reg.can_edit
        with pytest.raises(PermissionDenied):
            lowland.update_plan(db, leader, lowland.plans(db, analyst, built.year).items[0].id, status="done")


class TestPlans:
    def test_plan_escalates_and_is_updated(self, db: Session, analyst: Actor, built: RunRead) -> None:
        plan = lowland.plans(db, analyst, built.year).items[0]
        late = lowland.plans(db, analyst, built.year, as_of=date(2026, 3, 2)).items[0]  # 61 days after 2025-12-31
        assert late.days_overdue == 61 and late.level == "director"
        lowland.update_plan(db, analyst, plan.id, status="in_progress", measures="技改扩能；盘活闲置厂房")
        again = lowland.plans(db, analyst, built.year).items[0]
        assert again.status_label == "办理中" and again.measures == "技改扩能；盘活闲置厂房"

    def test_a_plan_on_its_own_only_for_d_class(self, db: Session, analyst: Actor, built: RunRead) -> None:
        results = runs.list_results(db, analyst, built.id, limit=None).items
        not_d = next(r for r in results if r.class_ in ("A", "B"))
        with pytest.raises(Conflict):
            lowland.add_plan(
                db, analyst, built.id, not_d.uscc, problem="x", measures="y", owner_unit=UNIT, deadline=DEADLINE
            )
        d = next(r for r in results if r.class_ == "D")
        with pytest.raises(Conflict):  # the register made it already
            lowland.add_plan(
                db, analyst, built.id, d.uscc, problem="x", measures="y", owner_unit=UNIT, deadline=DEADLINE
            )


def test_a_plan_on_its_own_before_the_register(db: Session, analyst: Actor, notice: RunRead, frozen: None) -> None:
    results = runs.list_results(db, analyst, notice.id, limit=None).items
    d_firms = [r.uscc for r in results if r.class_ == "D"]
    plan_id = lowland.add_plan(
        db,
        analyst,
        notice.id,
        d_firms[0],
        problem="亩均税收偏低",
        measures="技改扩能",
        owner_unit="招商局",
        deadline=DEADLINE,
    )
    [plan] = [p for p in lowland.plans(db, analyst, notice.year).items if p.id == plan_id]
    assert (plan.owner_unit, plan.measures, plan.class_) == ("招商局", "技改扩能", "D")
    built = lowland.build_register(db, analyst, notice.id, owner_unit=UNIT)
    assert built.plans_added == len(d_firms) - 1  # the register leaves the existing plan as it is


def test_next_years_final_run_shows_whether_a_plan_worked(
    db: Session, analyst: Actor, built: RunRead, settings: Settings, tmp_path: Path, default_version: SchemeVersionRead
) -> None:
    # The zone's 2025 files (every tax 5 万元 higher), evaluated, published and made final.
    preview = imports.preview_import(db, analyst, uploads(write_zone(tmp_path / "in2025", 2025)), settings=settings)
    imports.confirm_import(db, analyst, preview.batch_id, year=2025, settings=settings)
    draft = runs.create_draft_run(db, analyst, year=2025, scheme_version_id=default_version.id)
    published = publication.publish_run(db, analyst, draft.id, on=date(2026, 3, 1))
    assert published.notice_end is not None
    final = publication.finalize_run(db, analyst, draft.id, on=published.notice_end + timedelta(days=1))
    plans = lowland.plans(db, analyst, built.year).items
    assert plans
    for plan in plans:
        after = runs.get_result(db, analyst, final.id, plan.uscc)
        assert plan.next_class == after.class_
        assert plan.next_tax_per_mu == pytest.approx(after.record["indicators"]["tax_per_mu"]["value"])
        improved = after.class_ in ("A", "B", "C")
        assert plan.outcome == ("improved" if improved else "not_improved")
        assert plan.outcome_label == ("已提升" if improved else "未提升")


def test_overdue_work_reaches_each_roles_todo(db: Session, analyst: Actor, leader: Actor, built: RunRead) -> None:
    case = lowland.register(db, analyst, built.year).items[0]
    lowland.add_measure(db, analyst, case.id, kind="upgrade", description="技改", owner_unit=UNIT, deadline=DEADLINE)
    unit = account(db, "unit_nr", Role.UNIT, UNIT)
    other = account(db, "unit_js", Role.UNIT, "建设局")

    def lowland_items(actor: Actor, day: date) -> list[TodoItem]:
        return [i for i in todo.todo_list(db, actor, on=day).items if i.kind is TodoKind.LOWLAND]

    assert lowland_items(analyst, DEADLINE) == []  # not late yet
    [item] = lowland_items(analyst, DEADLINE + timedelta(days=10))
    assert item.urgent and UNIT in item.title and "督办至 自然资源分局" in (item.detail or "")
    assert item.url == f"/lowland/cases/{case.id}"
    assert lowland_items(unit, DEADLINE + timedelta(days=10)) and not lowland_items(
        other, DEADLINE + timedelta(days=10)
    )
    # The leader hears of it once it is escalated to a 包挂领导 (31 days late).
    assert lowland_items(leader, DEADLINE + timedelta(days=30)) == []
    [escalated] = lowland_items(leader, DEADLINE + timedelta(days=31))
    assert "包挂领导" in (escalated.detail or "")
