"""Seed the 招商 demo: about 120 leads over two years across every stage, through the services.

Several staff accounts report (全员招商); the demo ``zhaoshang`` account (招商局) answers, judges, tells the
reporters, moves the leads and signs some of them into the project library, as a bureau would, and records
到位资金 (part or all of the contract) on the signed ones. Some investors come twice, once written in
traditional characters (the first reporter keeps the credit), one signs a 增资, and some leads stall past their
clocks so the to-do list and the board have late leads to show.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.orm import Session

from zonehero.clock import today
from zonehero.config import Settings
from zonehero.core.domain.uscc import make_uscc
from zonehero.core.investment import LeadStage
from zonehero.features.imports.storage import UploadedFile
from zonehero.features.investment import access
from zonehero.features.investment import service as investment
from zonehero.features.investment.schemas import LeadForm, SigningForm
from zonehero.features.roles import SYSTEM, Actor, Role
from zonehero.features.users import service as users
from zonehero.features.zone import service as zone

INVESTMENT_ACCOUNT = "zhaoshang"

_PLACES = ("深圳", "上海", "杭州", "苏州", "南京", "武汉", "成都", "厦门", "宁波", "合肥", "长沙", "西安")
_WORDS = ("新能源", "锂电", "光电", "精密机械", "生物医药", "新材料", "智能装备", "半导体", "食品", "纺织", "储能")
_DUPLICATES: tuple[tuple[str, str], ...] = (
    ("深圳市华为技术有限公司", "深圳市華為技術有限公司"),
    ("香港长江实业发展有限公司", "香港長江實業發展有限公司"),
    ("台湾鸿海精密工业有限公司", "台灣鴻海精密工業有限公司"),
    ("澳门新濠博亚投资有限公司", "澳門新濠博亞投資有限公司"),
)
"""Investors who come twice: first in simplified, then (by another reporter) in traditional characters."""
_SOURCES = ("商会推介", "以商招商", "招商推介会", "驻点招商", "中介机构", "园区企业介绍", "网络平台")
_PROJECTS = ("生产基地", "研发中心", "区域总部", "扩产项目", "配套产业园")
_MINUTES = (
    b"%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\n"
    b"trailer <</Root 1 0 R>>\n%%EOF\n"
)
"""A visit's minutes (考察纪要), a minimal PDF: the demo's visits carry an attachment like a real one would."""
_FINAL: tuple[tuple[LeadStage, int], ...] = (
    (LeadStage.LEAD, 14),
    (LeadStage.CONTACT, 16),
    (LeadStage.VISIT, 16),
    (LeadStage.NEGOTIATION, 16),
    (LeadStage.SIGNED, 22),
    (LeadStage.LANDED, 12),
    (LeadStage.TERMINATED, 16),
)
"""How many leads end in each stage (plus the duplicates and the 增资)."""
_FORWARD = (LeadStage.CONTACT, LeadStage.VISIT, LeadStage.NEGOTIATION)


@dataclass(frozen=True)
class InvestmentSeed:
    leads: int
    signed: int
    stalled: int


def _reporters(session: Session, bureau: Actor) -> list[Actor]:
    found = [
        Actor(id=u.id, username=u.username, role=Role(u.role), unit_name=u.unit_name)
        for u in users.list_users(session, SYSTEM)
        if Role(u.role) in access.REPORTERS and u.id != bureau.id
    ]
    return [*found, bureau]


def _form(rng: random.Random, investor: str, chains: tuple[str, ...], uscc: str | None) -> LeadForm:
    return LeadForm(
        investor=investor,
        investor_uscc=uscc,
        project_name=f"{rng.choice(_WORDS)}{rng.choice(_PROJECTS)}",
        investment=float(rng.choice((5_000, 12_000, 30_000, 50_000, 80_000, 120_000, 200_000, 550_000))),
        expected_output=float(rng.randrange(10_000, 300_000, 1_000)),
        expected_tax=float(rng.randrange(500, 20_000, 100)),
        land_mu=float(rng.randrange(20, 400, 10)),
        building_sqm=float(rng.randrange(2_000, 60_000, 1_000)),
        help_asked=rng.choice(("用地指标", "能耗指标", "厂房代建", "人才公寓", "")),
        source=rng.choice(_SOURCES),
        chain=rng.choice(chains) if chains else None,
        unit=rng.choice(("招商服务中心", "科技局", "商务局", "经发办")),
    )


def _advance(
    session: Session,
    bureau: Actor,
    rng: random.Random,
    lead_id: int,
    reported: date,
    target: LeadStage,
    as_of: date,
    *,
    into: str | None = None,
    settings: Settings | None = None,
) -> bool:
    """Handle a lead as the bureau would up to ``target``; True when it was signed. With ``settings`` each visit
    keeps its minutes as an attachment."""
    day = reported + timedelta(days=1)
    investment.log_activity(session, bureau, lead_id, kind="call", happened_on=day, staff="招商一科", outcome="已联系")
    investment.log_activity(session, bureau, lead_id, kind="judgement", happened_on=day, staff="招商局长办公会")
    investment.log_activity(
        session, bureau, lead_id, kind="feedback", happened_on=day + timedelta(days=2), staff="招商一科"
    )
    if target == LeadStage.TERMINATED:
        investment.move_lead(session, bureau, lead_id, LeadStage.TERMINATED, on=day, reason="投资方选址外省")
        return False
    room = max((as_of - day).days - 1, 1)
    step = max(room // 6, 1)
    for stage in _FORWARD:
        if PIPELINE_RANK[stage] > PIPELINE_RANK[target]:
            break
        day = min(day + timedelta(days=rng.randint(1, step)), as_of)
        investment.move_lead(session, bureau, lead_id, stage, on=day)
        if stage == LeadStage.VISIT:
            minutes = (UploadedFile(f"考察纪要-{lead_id}.pdf", _MINUTES),) if settings is not None else ()
            investment.log_activity(
                session,
                bureau,
                lead_id,
                kind="visit",
                happened_on=day,
                staff="分管副主任",
                counterpart="投资方董事长",
                files=minutes,
                settings=settings,
            )
    if PIPELINE_RANK[target] < PIPELINE_RANK[LeadStage.SIGNED]:
        if rng.random() < 0.8:  # the reporter was told lately; the rest are late for their two-weekly word
            told = max(day, as_of - timedelta(days=rng.randint(0, 8)))
            investment.log_activity(session, bureau, lead_id, kind="feedback", happened_on=told, staff="招商一科")
        return False
    signed = min(day + timedelta(days=rng.randint(1, step)), as_of)
    amount = float(rng.choice((8_000, 20_000, 60_000, 120_000, 300_000, 520_000)))
    # Planned starts lie ahead (the demo records no 开工 for these projects, so a past plan would turn them red).
    start = max(signed, as_of) + timedelta(days=rng.randint(30, 200))
    investment.sign_lead(
        session,
        bureau,
        lead_id,
        SigningForm(
            signed_on=signed,
            contract_investment=amount if into is None else amount * 1.5,
            planned_start_date=start,
            planned_production_date=start + timedelta(days=rng.randint(180, 400)),
            project_code=into,
        ),
    )
    if target == LeadStage.LANDED:
        investment.move_lead(session, bureau, lead_id, LeadStage.LANDED, on=min(signed + timedelta(days=20), as_of))
    return True


PIPELINE_RANK = {stage: rank for rank, stage in enumerate(investment.PIPELINE)}


def seed_demo_investment(
    session: Session, *, password: str, seed: int = 1, as_of: date | None = None, settings: Settings | None = None
) -> InvestmentSeed:
    """Create the ``zhaoshang`` account and about 120 leads reported over the two years before ``as_of``."""
    as_of = as_of or today()
    rng = random.Random(seed * 7919)
    made = users.create_user(session, SYSTEM, INVESTMENT_ACCOUNT, password, Role.INVESTMENT)
    bureau = Actor(id=made.id, username=made.username, role=Role.INVESTMENT)
    reporters = _reporters(session, bureau)
    chains = zone.get_profile(session).industry_chains
    targets = [stage for stage, count in _FINAL for _ in range(count)]
    rng.shuffle(targets)
    taken: set[str] = set()
    leads = signed = stalled = 0
    for n, target in enumerate(targets):
        while True:
            name = f"{rng.choice(_PLACES)}{rng.choice(_WORDS)}{rng.choice(('科技', '实业', '集团', '股份'))}有限公司"
            if name not in taken:
                taken.add(name)
                break
        uscc = make_uscc(f"9132{n:04d}MA{rng.randrange(10**6):06d}") if rng.random() < 0.5 else None
        reported = as_of - timedelta(days=rng.randint(40, 720))
        lead = investment.report_lead(session, rng.choice(reporters), _form(rng, name, chains, uscc), on=reported)
        leads += 1
        if target == LeadStage.LEAD and n % 3 == 0:
            stalled += 1  # never answered: past every clock
            continue
        signed += _advance(session, bureau, rng, lead.id, reported, target, as_of, settings=settings)
    for simplified, traditional in _DUPLICATES:  # the first reporter keeps the credit; the second signs a 增资
        first_day = as_of - timedelta(days=rng.randint(300, 600))
        first = investment.report_lead(session, reporters[0], _form(rng, simplified, chains, None), on=first_day)
        signed += _advance(
            session, bureau, rng, first.id, first_day, LeadStage.SIGNED, as_of - timedelta(days=120), settings=settings
        )
        second_day = as_of - timedelta(days=rng.randint(60, 100))
        second = investment.report_lead(
            session, reporters[-2 if len(reporters) > 1 else 0], _form(rng, traditional, chains, None), on=second_day
        )
        code = investment.lead_detail(session, bureau, first.id, as_of).lead.project_code
        signed += _advance(
            session, bureau, rng, second.id, second_day, LeadStage.SIGNED, as_of, into=code, settings=settings
        )
        leads += 2
    for days in (12, 9, 6):  # recent leads nobody has answered yet: late on the to-do list
        investment.report_lead(
            session,
            rng.choice(reporters),
            _form(rng, f"厦门{days}号储能科技有限公司", chains, None),
            on=as_of - timedelta(days=days),
        )
        leads += 1
        stalled += 1
    _seed_payments(session, bureau, random.Random(seed * 104729), min(as_of, today()))
    return InvestmentSeed(leads, signed, stalled)


def _seed_payments(session: Session, bureau: Actor, rng: random.Random, as_of: date) -> None:
    """到位资金 of the signed leads: a quarter nothing yet, half part of the contract, a quarter all of it, in one
    to three dated payments; its own random stream, so the leads, moves and signings above stay as they were."""
    for row in investment.visible_leads(session, bureau):
        if row.signed_on is None or not row.contract_investment or row.signed_on > as_of:
            continue
        share = rng.choice((0.0, 0.3, 0.45, 0.6, 0.75, 1.0, 1.0, 0.0))
        total = round(row.contract_investment * share)
        parts = rng.randint(1, 3)
        room = (as_of - row.signed_on).days
        for k in range(parts if total > 0 else 0):
            amount = total // parts + (total % parts if k == parts - 1 else 0)
            day = row.signed_on + timedelta(days=room * (k + 1) // (parts + 1))
            if amount > 0:
                investment.record_payment(session, bureau, row.id, paid_on=day, amount=float(amount), note="银行回单")
