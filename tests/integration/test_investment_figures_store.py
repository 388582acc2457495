"""招商统计 and 招商月报 from the store: stored leads become the core's leads with their project's actual dates,
their moves become the funnel's histories, and only the readers of all leads get the figures.

Runs on SQLite and PostgreSQL (the ``db`` fixture is parametrised).
"""

from __future__ import annotations

from datetime import date

import pytest
from projects_world import account
from sqlalchemy.orm import Session

from zonehero.core.investment import LeadStage
from zonehero.core.schedule.model import MilestoneKind
from zonehero.errors import InputError, NotFound, PermissionDenied
from zonehero.features.investment import figures, service
from zonehero.features.investment.schemas import LeadForm, SigningForm
from zonehero.features.projects import service as projects
from zonehero.features.roles import Actor, Role


@pytest.fixture
def bureau(db: Session) -> Actor:
    return account(db, "zhaoshang", Role.INVESTMENT)


def _lead(db: Session, reporter: Actor, investor: str, on: date, chain: str = "电子信息") -> int:
    form = LeadForm.model_validate({"investor": investor, "project_name": "生产基地", "chain": chain, "unit": "招商局"})
    return service.report_lead(db, reporter, form, on=on).id


def _sign(db: Session, bureau: Actor, lead_id: int, contact: date, signed: date, amount: float) -> str:
    """接洽, 考察 and 洽谈 on ``contact``, then 签约 on ``signed``."""
    for stage in (LeadStage.CONTACT, LeadStage.VISIT, LeadStage.NEGOTIATION):
        service.move_lead(db, bureau, lead_id, stage, on=contact)
    form = SigningForm(signed_on=signed, contract_investment=amount)
    return service.sign_lead(db, bureau, lead_id, form)


class TestFigures:
    def test_the_stored_leads_give_the_cores_figures_with_the_projects_start(self, db: Session, bureau: Actor) -> None:
        staff = account(db, "staff_u", Role.UNIT, "建设局")
        a = _lead(db, staff, "甲科技有限公司", date(2025, 1, 6))
        b = _lead(db, staff, "乙材料有限公司", date(2025, 4, 7), chain="新材料")
        _lead(db, bureau, "甲科技 有限公司", date(2025, 5, 6))  # a duplicate: 甲 keeps the credit
        code_a = _sign(db, bureau, a, date(2025, 1, 8), date(2025, 2, 10), 600000.0)
        _sign(db, bureau, b, date(2025, 4, 9), date(2025, 5, 12), 20000.0)
        office = account(db, "office", Role.PROJECT_OFFICE)
        projects.update_milestone(db, office, code_a, MilestoneKind.CONSTRUCTION, planned=None, actual=date(2025, 6, 1))
        report = figures.figures(db, bureau, year=2025, as_of=date(2025, 12, 31))
        f = report.figures
        assert (f.signed_projects, f.signed_investment) == (2, 620000.0)
        assert f.start_rate == 0.5  # 甲's project started 2025-06-01 in the library; 乙's not yet
        assert (f.projects_over_5e9, f.rule_5020_met) == (1, True)
        assert f.leads_by_reporter == {"staff_u": 2, "zhaoshang": 0}
        q2 = figures.figures(db, bureau, year=2025, as_of=date(2025, 12, 31), quarter=2)
        assert (q2.figures.signed_projects, q2.figures.signed_investment) == (1, 20000.0)
        chain = figures.figures(db, bureau, year=2025, as_of=date(2025, 12, 31), chain="新材料")
        assert chain.figures.signed_projects == 1
        by_chain = dict(report.by_chain)
        assert by_chain["电子信息"].signed_projects == 1 and by_chain["新材料"].signed_projects == 1
        rows = {s.stage: s for s in report.funnel}
        assert rows[LeadStage.LEAD].reached == 3 and rows[LeadStage.SIGNED].reached == 2
        # 甲: reported 01-06, 接洽 01-08 (2 days); 乙: 04-07 → 04-09 (2 days).
        assert rows[LeadStage.CONTACT].median_days == 2
        board = {r.name: r for r in report.board.by_reporter}
        assert board["staff_u"].signings == 2 and board["zhaoshang"].credited == 0

    def test_an_unknown_chain_is_refused(self, db: Session, bureau: Actor) -> None:
        with pytest.raises(InputError):
            figures.figures(db, bureau, year=2025, as_of=date(2025, 12, 31), chain="无此链")

    @pytest.mark.parametrize("role", [Role.ANALYST, Role.UNIT, Role.PROJECT_OFFICE])
    def test_a_reader_of_its_own_leads_only_is_refused(self, db: Session, role: Role) -> None:
        actor = account(db, f"someone_{role.value}", role, "建设局" if role == Role.UNIT else None)
        with pytest.raises(PermissionDenied):
            figures.figures(db, actor, year=2025, as_of=date(2025, 12, 31))
        with pytest.raises(PermissionDenied):
            figures.briefing(db, actor, 2025, 6, date(2025, 12, 31))


class TestBriefing:
    def test_the_month_lists_its_leads_moves_and_signings(self, db: Session, bureau: Actor) -> None:
        a = _lead(db, bureau, "丙能源有限公司", date(2025, 5, 20))
        _lead(db, bureau, "丁电子有限公司", date(2025, 6, 3))
        _sign(db, bureau, a, date(2025, 6, 2), date(2025, 6, 16), 50000.0)
        b = figures.briefing(db, bureau, 2025, 6, date(2025, 12, 31))
        assert b.as_of == date(2025, 6, 30)
        assert [x.investor for x in b.new_leads] == ["丁电子有限公司"]
        assert [m.to_stage for m in b.moves] == [
            LeadStage.CONTACT,
            LeadStage.VISIT,
            LeadStage.NEGOTIATION,
            LeadStage.SIGNED,
        ]
        assert [(s.counted_investment, s.signed_on) for s in b.signings] == [(50000.0, date(2025, 6, 16))]
        assert b.year_to_date.figures.signed_projects == 1
        assert any(x.investor == "丁电子有限公司" for x in b.late)  # reported 06-03, never answered

    def test_the_month_in_progress_is_as_of_today_and_a_later_month_does_not_exist(
        self, db: Session, bureau: Actor
    ) -> None:
        assert figures.briefing(db, bureau, 2025, 6, date(2025, 6, 10)).as_of == date(2025, 6, 10)
        with pytest.raises(NotFound):
            figures.briefing(db, bureau, 2025, 7, date(2025, 6, 10))
