"""到位资金 of signed leads from the store: dated payments, summed up to the as-of date of the figures, so the
资金到位率 is Σ paid in ÷ Σ contract investment of the year's signings; refusals name the field.

Runs on SQLite and PostgreSQL (the ``db`` fixture is parametrised).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from projects_world import account
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from zonehero import clock
from zonehero.core.investment import LeadStage
from zonehero.errors import Conflict, InputError, PermissionDenied
from zonehero.features.audit.models import AuditEntry
from zonehero.features.investment import figures, service
from zonehero.features.investment.schemas import LeadForm, SigningForm
from zonehero.features.roles import Actor, Role


@pytest.fixture(autouse=True)
def stopped_clock() -> Iterator[None]:
    """Today is 2026-03-01 for the services (a payment may not be dated later)."""
    before = clock.current()
    clock.use(clock.FixedClock(datetime(2026, 3, 1, 4, 0, tzinfo=UTC), before.timezone))
    yield
    clock.use(before)


@pytest.fixture
def bureau(db: Session) -> Actor:
    return account(db, "zhaoshang", Role.INVESTMENT)


def _signed(db: Session, bureau: Actor, investor: str, signed: date, amount: float) -> int:
    form = LeadForm.model_validate({"investor": investor, "project_name": "生产基地", "chain": "电子信息"})
    lead_id = service.report_lead(db, bureau, form, on=date(2025, 1, 6)).id
    for stage in (LeadStage.CONTACT, LeadStage.VISIT, LeadStage.NEGOTIATION):
        service.move_lead(db, bureau, lead_id, stage, on=date(2025, 1, 8))
    service.sign_lead(db, bureau, lead_id, SigningForm(signed_on=signed, contract_investment=amount))
    return lead_id


class TestPaidIn:
    def test_payments_count_up_to_the_as_of_date_and_give_the_funding_rate(self, db: Session, bureau: Actor) -> None:
        a = _signed(db, bureau, "甲科技有限公司", date(2025, 2, 10), 60000.0)
        b = _signed(db, bureau, "乙材料有限公司", date(2025, 5, 12), 20000.0)
        assert service.record_payment(db, bureau, a, paid_on=date(2025, 3, 1), amount=10000.0) == 10000.0
        assert service.record_payment(db, bureau, a, paid_on=date(2025, 9, 30), amount=5000.0, note="二期") == 15000.0
        service.record_payment(db, bureau, b, paid_on=date(2025, 6, 30), amount=20000.0)
        service.record_payment(db, bureau, a, paid_on=date(2026, 2, 1), amount=45000.0)  # next year: not counted
        year = figures.figures(db, bureau, year=2025, as_of=date(2025, 12, 31)).figures
        # (10000 + 5000 + 20000) / (60000 + 20000), by hand
        assert (year.funded, year.contracted) == (35000.0, 80000.0)
        assert year.funding_rate == pytest.approx(0.4375)
        mid = figures.figures(db, bureau, year=2025, as_of=date(2025, 7, 1)).figures
        assert mid.funded == 30000.0  # the 09-30 payment had not arrived on 07-01
        later = figures.figures(db, bureau, year=2025, as_of=date(2026, 2, 28)).figures
        assert later.funding_rate == pytest.approx(1.0)

    def test_the_briefing_and_the_lead_page_show_it(self, db: Session, bureau: Actor) -> None:
        a = _signed(db, bureau, "丙能源有限公司", date(2025, 2, 10), 40000.0)
        service.record_payment(db, bureau, a, paid_on=date(2025, 3, 1), amount=10000.0, note="首期")
        service.record_payment(db, bureau, a, paid_on=date(2025, 4, 15), amount=6000.0)
        march = figures.briefing(db, bureau, 2025, 3, date(2026, 3, 1))
        assert march.year_to_date.figures.funded == 10000.0
        detail = service.lead_detail(db, bureau, a, date(2025, 12, 31))
        assert detail.paid_in == 16000.0 and [p.note for p in detail.payments] == ["首期", ""]
        assert detail.may_record_payment
        assert service.lead_detail(db, bureau, a, date(2025, 3, 31)).paid_in == 10000.0
        entries = db.scalar(select(func.count()).where(AuditEntry.action == "investment.lead.payment"))
        assert entries == 2

    @pytest.mark.parametrize(
        ("paid_on", "amount", "column"),
        [
            (date(2025, 2, 9), 100.0, "paid_on"),  # before the signing
            (date(2026, 3, 2), 100.0, "paid_on"),  # tomorrow
            (date(2025, 3, 1), 0.0, "amount"),
            (date(2025, 3, 1), -5.0, "amount"),
            (date(2025, 3, 1), float("nan"), "amount"),
        ],
    )
    def test_a_wrong_payment_is_refused_naming_the_field(
        self, db: Session, bureau: Actor, paid_on: date, amount: float, column: str
    ) -> None:
        a = _signed(db, bureau, "丁半导体有限公司", date(2025, 2, 10), 40000.0)
        with pytest.raises(InputError) as refused:
            service.record_payment(db, bureau, a, paid_on=paid_on, amount=amount)
        assert [p.column for p in refused.value.problems] == [column]
        assert all("到位" in p.message for p in refused.value.problems)
        assert service.lead_detail(db, bureau, a, date(2026, 3, 1)).paid_in == 0.0

    def test_an_unsigned_lead_and_a_reporter_are_refused(self, db: Session, bureau: Actor) -> None:
        form = LeadForm.model_validate({"investor": "戊有限公司", "project_name": "研发中心"})
        staff = account(db, "staff_u", Role.UNIT, "建设局")
        lead_id = service.report_lead(db, staff, form, on=date(2025, 1, 6)).id
        with pytest.raises(Conflict):
            service.record_payment(db, bureau, lead_id, paid_on=date(2025, 3, 1), amount=1.0)
        signed = _signed(db, bureau, "己有限公司", date(2025, 2, 10), 100.0)
        with pytest.raises(PermissionDenied):
            service.record_payment(db, staff, signed, paid_on=date(2025, 3, 1), amount=1.0)
        leader = account(db, "boss", Role.LEADER)
        assert not service.lead_detail(db, leader, signed, date(2025, 3, 1)).may_record_payment
