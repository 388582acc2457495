"""招商 leads: report (全员招商), read, move along the pipeline, log contacts, sign into the project library.

The rules are the core's (``zonehero.core.investment``): duplicates by :func:`investor_key` / :func:`uscc_key`,
the credited lead by :func:`credited_ids`, a signing's counted investment by :func:`build_projects`, the clocks
by :func:`lead_clocks`. This module loads what the actor may see, hands it to them and writes each change with an
audit entry (who, when, before, after) in the caller's unit of work.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from zonehero.clock import today, utcnow
from zonehero.config import Settings
from zonehero.core.domain.names import header_key
from zonehero.core.investment import LeadStage, build_projects, duplicate_groups
from zonehero.core.investment.clocks import ACTIVITY_LABELS, LeadClock, LeadEvents, lead_clocks, most_overdue
from zonehero.core.investment.funnel import LeadHistory, StageMove
from zonehero.core.investment.leads import Lead
from zonehero.core.investment.normalise import investor_key, uscc_key
from zonehero.core.schedule.difficulties import EscalationLevel
from zonehero.core.schedule.model import Milestone, MilestoneKind, Project
from zonehero.core.zone.profile import unknown_chain_message
from zonehero.errors import Conflict, InputError, InputProblem, NotFound
from zonehero.features.audit import service as audit
from zonehero.features.imports.evidence import KeptFile, keep_evidence
from zonehero.features.imports.storage import UploadedFile
from zonehero.features.investment import access, repository
from zonehero.features.investment.models import (
    LeadActivityFileRow,
    LeadActivityRow,
    LeadMoveRow,
    LeadPaymentRow,
    LeadRow,
)
from zonehero.features.investment.schemas import (
    ActivityFileRead,
    Board,
    BoardColumn,
    ClockRead,
    LeadActivityRead,
    LeadDetail,
    LeadForm,
    LeadList,
    LeadMoveRead,
    LeadPaymentRead,
    LeadRead,
    SigningForm,
)
from zonehero.features.projects import service as projects
from zonehero.features.roles import Actor
from zonehero.features.zone import service as zone

PIPELINE: tuple[LeadStage, ...] = (
    LeadStage.LEAD,
    LeadStage.CONTACT,
    LeadStage.VISIT,
    LeadStage.NEGOTIATION,
    LeadStage.SIGNED,
    LeadStage.LANDED,
)
"""The stages in order; 终止 stands beside them."""
CLOSED: frozenset[LeadStage] = frozenset({LeadStage.SIGNED, LeadStage.LANDED, LeadStage.TERMINATED})
"""A lead here has stopped its clocks."""
SIGNED: frozenset[LeadStage] = frozenset({LeadStage.SIGNED, LeadStage.LANDED})
ESCALATED_TO: dict[EscalationLevel, str] = {
    EscalationLevel.OWNER_UNIT: "招商局",
    EscalationLevel.LEADER: "分管领导",
    EscalationLevel.DIRECTOR: "管委会主任",
}
"""Who must act on a late lead, level by level (the difficulties' ladder, with the 招商局 as the owner)."""
MAX_PAGE = 100
ACTIVITY_FILES_FOLDER = "uploads/investment"
"""Where activity attachments are kept, under the data folder (a new sub-folder per activity)."""


def _rank(stage: LeadStage) -> int:
    return PIPELINE.index(stage) if stage in PIPELINE else -1


def _stage(row: LeadRow) -> LeadStage:
    return LeadStage(row.stage)


# --- reading -------------------------------------------------------------------------------------------------


def to_core(row: LeadRow, *, paid_in: float | None = None) -> Lead:
    """The core's record of a stored lead (线索编号 = the row id); ``paid_in`` is its 累计到位资金 as of the date
    the caller counts to (:func:`figure_inputs` sums the dated payments), None where no figure needs it."""
    return Lead(
        lead_id=str(row.id),
        investor=row.investor,
        reporter=row.reporter_name,
        reported_on=row.reported_on,
        stage=_stage(row),
        investor_uscc=row.investor_uscc,
        project_code=row.project_code,
        chain=row.chain,
        unit=row.unit or None,
        signed_on=row.signed_on,
        contract_investment=row.contract_investment,
        landed_on=row.landed_on,
        paid_in=paid_in,
    )


def figure_inputs(session: Session, actor: Actor, as_of: date) -> tuple[list[Lead], list[LeadHistory]]:
    """Every stored lead as the core's figures read it, and its dated stage moves (the funnel's input), for a
    reader of all leads (the figures are the zone's, not one reporter's).

    A signed lead's 开工 and 投产 dates are its project's actual dates in the library (the 签约一批 list's), so
    the figures' 开工率 and 投产率 follow the project office's records. Its 累计到位资金 (``paid_in``) is the sum
    of its payments dated on or before ``as_of``, so a figure of a past date does not count later money."""
    access.require_read_all(actor)
    rows = repository.leads(session)
    dates = projects.actual_dates(session, sorted({r.project_code for r in rows if r.project_code}))
    paid = repository.paid_in(session, as_of)
    leads = []
    for row in rows:
        started, produced = dates.get(row.project_code or "", (None, None))
        leads.append(replace(to_core(row, paid_in=paid.get(row.id)), started_on=started, produced_on=produced))
    moves: dict[int, list[StageMove]] = defaultdict(list)
    if rows:
        for m in repository.moves(session, [r.id for r in rows]):
            moves[m.lead_id].append(StageMove(LeadStage(m.to_stage), m.moved_on))
    histories = [LeadHistory(str(r.id), r.reported_on, _stage(r), tuple(moves[r.id])) for r in rows]
    return leads, histories


def late_leads(session: Session, actor: Actor, as_of: date) -> list[LeadRead]:
    """Every open lead late on a clock as of ``as_of``, worst first (the monthly briefing's list: all of them,
    whoever follows them)."""
    access.require_read_all(actor)
    rows = [r for r in repository.leads(session) if r.reported_on <= as_of]
    clocks = _clocks_of(session, rows, as_of)
    found = [_read(r, late) for r in rows if (late := most_overdue(clocks.get(r.id, []))) is not None]
    return sorted(found, key=lambda i: (-(i.overdue.days_overdue if i.overdue else 0), i.id))


def _clock_read(clock: LeadClock) -> ClockRead:
    level = clock.level
    return ClockRead(
        kind=clock.kind.value,
        label=clock.kind.label,
        due=clock.due,
        met_on=clock.met_on,
        days_overdue=clock.days_overdue,
        escalated_to=ESCALATED_TO[level] if level is not None else None,
    )


def _read(row: LeadRow, overdue: LeadClock | None = None) -> LeadRead:
    stage = _stage(row)
    return LeadRead(
        id=row.id,
        investor=row.investor,
        investor_uscc=row.investor_uscc,
        project_name=row.project_name,
        investment=row.investment,
        chain=row.chain,
        reporter_name=row.reporter_name,
        unit=row.unit,
        reported_on=row.reported_on,
        stage=stage.value,
        stage_label=stage.label,
        stage_on=row.stage_on,
        owner_name=row.owner_name,
        duplicate_of_id=row.duplicate_of_id,
        project_code=row.project_code,
        signed_on=row.signed_on,
        contract_investment=row.contract_investment,
        overdue=_clock_read(overdue) if overdue is not None else None,
    )


def visible_leads(session: Session, actor: Actor) -> Sequence[LeadRow]:
    """Every lead for a reader of all; one's own for any other reporter; refuses the rest."""
    access.require_reporter(actor)
    if access.permissions_of(actor).read_all:
        return repository.leads(session)
    return repository.leads(session, reporter_id=actor.id if actor.id is not None else -1)


def visible_lead(session: Session, actor: Actor, lead_id: int, *, for_update: bool = False) -> LeadRow:
    """One lead the actor may see; NotFound for one that does not exist or is another reporter's."""
    access.require_reporter(actor)
    row = repository.lead(session, lead_id, for_update=for_update)
    if row is None or (not access.permissions_of(actor).read_all and row.reporter_id != actor.id):
        raise access.not_found(lead_id)
    return row


def _events(row: LeadRow, moves: Sequence[LeadMoveRow], activities: Sequence[LeadActivityRow]) -> LeadEvents:
    contacts = [a.happened_on for a in activities if a.kind in ("visit", "meeting", "call")]
    out_of_lead = [m.moved_on for m in moves if m.from_stage == LeadStage.LEAD.value]
    judged = [a.happened_on for a in activities if a.kind == "judgement"]
    judged += [m.moved_on for m in moves if m.to_stage == LeadStage.TERMINATED.value]
    stage = _stage(row)
    return LeadEvents(
        reported_on=row.reported_on,
        responded_on=min([*contacts, *out_of_lead, *judged], default=None),
        judged_on=min(judged, default=None),
        told_source_on=tuple(a.happened_on for a in activities if a.kind == "feedback"),
        closed_on=row.stage_on if stage in CLOSED else None,
    )


def _clocks_of(session: Session, rows: Sequence[LeadRow], as_of: date) -> dict[int, list[LeadClock]]:
    profile = zone.get_profile(session)
    open_rows = [r for r in rows if _stage(r) not in CLOSED]
    ids = [r.id for r in open_rows]
    moves: dict[int, list[LeadMoveRow]] = defaultdict(list)
    acts: dict[int, list[LeadActivityRow]] = defaultdict(list)
    if ids:
        for m in repository.moves(session, ids):
            moves[m.lead_id].append(m)
        for a in repository.activities(session, ids):
            acts[a.lead_id].append(a)
    return {
        r.id: lead_clocks(_events(r, moves[r.id], acts[r.id]), as_of, profile.calendar, profile.lead_clocks)
        for r in open_rows
    }


def list_leads(
    session: Session,
    actor: Actor,
    *,
    stage: LeadStage | None = None,
    chain: str | None = None,
    query: str | None = None,
    before: int | None = None,
    limit: int = 50,
    as_of: date,
) -> LeadList:
    """Newest first, filtered by stage, chain and a search on the investor (folded as duplicates are), a page of
    at most ``limit`` (≤ 100) leads below ``before``."""
    access.require_reporter(actor)
    limit = max(1, min(limit, MAX_PAGE))
    reporter = None if access.permissions_of(actor).read_all else (actor.id if actor.id is not None else -1)
    key = investor_key(query) if query and query.strip() else None
    rows = repository.page(
        session,
        reporter_id=reporter,
        stages=[stage.value] if stage else None,
        chain=chain or None,
        key_contains=key,
        before_id=before,
        limit=limit + 1,
    )
    more = len(rows) > limit
    rows = rows[:limit]
    clocks = _clocks_of(session, rows, as_of)
    items = [_read(r, most_overdue(clocks.get(r.id, []))) for r in rows]
    return LeadList(items=items, next_before=rows[-1].id if more and rows else None)


def _groups(session: Session, row: LeadRow) -> list[list[Lead]]:
    candidates = repository.same_investor(session, row.investor_key, row.investor_uscc)
    return duplicate_groups([to_core(r) for r in candidates])


def credited_lead_id(session: Session, row: LeadRow) -> int:
    """The lead of ``row``'s group of duplicates that holds the credit (首报保护: the core's rule)."""
    for group in _groups(session, row):
        if any(lead.lead_id == str(row.id) for lead in group):
            return int(group[0].lead_id)
    return row.id


def earlier_projects(session: Session, row: LeadRow) -> list[str]:
    """Project codes signed earlier by the same investor (duplicates of this lead): where a 增资 signs."""
    me = str(row.id)
    for group in _groups(session, row):
        if any(lead.lead_id == me for lead in group):
            return sorted({lead.project_code for lead in group if lead.project_code and lead.lead_id != me})
    return []


def counted_investment(session: Session, row: LeadRow) -> float | None:
    """What this lead's signing adds to its project (a 增资 only the increase), by the core's rule."""
    if row.project_code is None or row.signed_on is None:
        return None
    leads = [to_core(r) for r in repository.of_project(session, row.project_code)]
    for project in build_projects(leads):
        for signing in project.signings:
            if signing.lead.lead_id == str(row.id):
                return signing.counted_investment
    return None


def lead_detail(session: Session, actor: Actor, lead_id: int, as_of: date) -> LeadDetail:
    """A lead's page as ``actor`` may see it."""
    row = visible_lead(session, actor, lead_id)
    perms = access.permissions_of(actor)
    moves = repository.moves(session, [row.id])
    acts = repository.activities(session, [row.id])
    files: dict[int, list[ActivityFileRead]] = defaultdict(list)
    for f in repository.activity_files(session, [a.id for a in acts]):
        files[f.activity_id].append(ActivityFileRead(id=f.id, name=f.name, size=f.size, sha256=f.sha256))
    stage = _stage(row)
    profile = zone.get_profile(session)
    clocks = (
        lead_clocks(_events(row, moves, acts), as_of, profile.calendar, profile.lead_clocks)
        if stage not in CLOSED
        else []
    )
    credited_id = credited_lead_id(session, row)
    credited_row = repository.lead(session, credited_id) if credited_id != row.id else None
    payments = [p for p in repository.payments(session, [row.id]) if p.paid_on <= as_of]
    open_stage = stage not in CLOSED
    rank = _rank(stage)
    forward = PIPELINE[rank + 1] if open_stage and 0 <= rank < PIPELINE.index(LeadStage.NEGOTIATION) else None
    back = [s for s in PIPELINE[: max(rank, 0)]] if open_stage else []
    if stage == LeadStage.TERMINATED:
        back = list(PIPELINE[: PIPELINE.index(LeadStage.SIGNED)])
    return LeadDetail(
        lead=_read(row, most_overdue(clocks)),
        expected_output=row.expected_output,
        expected_tax=row.expected_tax,
        land_mu=row.land_mu,
        building_sqm=row.building_sqm,
        help_asked=row.help_asked,
        source=row.source,
        end_reason=row.end_reason,
        planned_start_date=row.planned_start_date,
        planned_production_date=row.planned_production_date,
        landed_on=row.landed_on,
        credited=credited_row is None,
        credited_lead=_read(credited_row) if credited_row is not None else None,
        counted_investment=counted_investment(session, row),
        moves=[
            LeadMoveRead(
                from_stage=m.from_stage,
                from_label=LeadStage(m.from_stage).label,
                to_stage=m.to_stage,
                to_label=LeadStage(m.to_stage).label,
                moved_on=m.moved_on,
                moved_by=m.moved_by,
                reason=m.reason,
            )
            for m in moves
        ],
        activities=[
            LeadActivityRead(
                kind=a.kind,
                kind_label=ACTIVITY_LABELS[a.kind],
                happened_on=a.happened_on,
                staff=a.staff,
                counterpart=a.counterpart,
                outcome=a.outcome,
                created_by=a.created_by,
                files=files.get(a.id, []),
            )
            for a in acts
        ],
        clocks=[_clock_read(c) for c in clocks],
        may_move=perms.own,
        next_stages=[(forward.value, forward.label)] if perms.own and forward else [],
        back_stages=[(s.value, s.label) for s in back] if perms.own else [],
        may_sign=perms.own and stage == LeadStage.NEGOTIATION,
        may_land=perms.own and stage == LeadStage.SIGNED,
        may_end=perms.own and stage not in CLOSED,
        earlier_projects=earlier_projects(session, row) if perms.own else [],
        payments=[
            LeadPaymentRead(paid_on=p.paid_on, amount=p.amount, note=p.note, recorded_by=p.recorded_by)
            for p in payments
        ],
        paid_in=sum(p.amount for p in payments),
        may_record_payment=perms.own and stage in SIGNED,
    )


def leads_of_project(session: Session, actor: Actor, code: str) -> list[int]:
    """The leads signed into project ``code`` that the actor may see (the project page's 「来自招商线索 #n」)."""
    if not access.permissions_of(actor).report:
        return []
    rows = repository.of_project(session, code)
    read_all = access.permissions_of(actor).read_all
    return [r.id for r in rows if read_all or r.reporter_id == actor.id]


def board(session: Session, actor: Actor, as_of: date) -> Board:
    """The pipeline board: a column per stage with its count, the late leads first in each."""
    rows = visible_leads(session, actor)
    clocks = _clocks_of(session, rows, as_of)
    by_stage: dict[str, list[LeadRead]] = defaultdict(list)
    for r in rows:
        by_stage[r.stage].append(_read(r, most_overdue(clocks.get(r.id, []))))
    columns = []
    for stage in (*PIPELINE, LeadStage.TERMINATED):
        items = sorted(
            by_stage[stage.value],
            key=lambda i: (-(i.overdue.days_overdue if i.overdue else 0), i.stage_on, i.id),
        )
        columns.append(
            BoardColumn(
                stage=stage.value,
                label=stage.label,
                count=len(items),
                overdue=sum(1 for i in items if i.overdue),
                items=items,
            )
        )
    return Board(as_of=as_of, columns=columns)


def overdue_leads(session: Session, actor: Actor, as_of: date) -> list[LeadRead]:
    """Late leads the actor must act on: a 招商局 account its own and unowned ones; a leader those escalated past
    the 招商局; the operator every one. Worst first."""
    perms = access.permissions_of(actor)
    if not perms.read_all:
        return []
    rows = repository.leads(session)
    if perms.own and actor.id is not None:
        rows = [r for r in rows if r.owner_id in (None, actor.id)]
    clocks = _clocks_of(session, rows, as_of)
    found = []
    for r in rows:
        late = most_overdue(clocks.get(r.id, []))
        if late is None:
            continue
        if not perms.own and late.level in (None, EscalationLevel.OWNER_UNIT):
            continue
        found.append(_read(r, late))
    return sorted(found, key=lambda i: -(i.overdue.days_overdue if i.overdue else 0))


# --- writing -------------------------------------------------------------------------------------------------


def _snapshot(row: LeadRow) -> dict[str, object]:
    return {
        "investor": row.investor,
        "investor_uscc": row.investor_uscc,
        "project_name": row.project_name,
        "investment": row.investment,
        "chain": row.chain,
        "reporter": row.reporter_name,
        "reported_on": row.reported_on.isoformat(),
        "lead_stage": row.stage,
        "owner": row.owner_name,
        "signed_on": row.signed_on.isoformat() if row.signed_on else None,
        "contract_investment": row.contract_investment,
        "project_code": row.project_code,
        "landed_on": row.landed_on.isoformat() if row.landed_on else None,
        "end_reason": row.end_reason,
    }


def _checked_chain(session: Session, chain: str | None) -> str | None:
    if not chain or not chain.strip():
        return None
    chains = zone.get_profile(session).industry_chains
    by_key = {header_key(c): c for c in chains}
    if header_key(chain) not in by_key:
        raise InputError(InputProblem(unknown_chain_message(chain, chains), column="chain"))
    return by_key[header_key(chain)]


def report_lead(session: Session, actor: Actor, form: LeadForm, *, on: date) -> LeadRead:
    """Record a lead reported by ``actor`` on ``on``; flagged as a duplicate of the credited earlier lead of the
    same investor (same credit code or folded name), which keeps the credit (首报保护)."""
    access.require_reporter(actor)
    uscc = uscc_key(form.investor_uscc) if form.investor_uscc and form.investor_uscc.strip() else None
    if uscc is not None and len(uscc) != 18:
        raise InputError(InputProblem("统一社会信用代码应为 18 位", column="investor_uscc"))
    row = LeadRow(
        investor=form.investor.strip(),
        investor_key=investor_key(form.investor)[:200],
        investor_uscc=uscc,
        project_name=form.project_name.strip(),
        investment=form.investment,
        expected_output=form.expected_output,
        expected_tax=form.expected_tax,
        land_mu=form.land_mu,
        building_sqm=form.building_sqm,
        help_asked=form.help_asked.strip(),
        source=form.source.strip(),
        chain=_checked_chain(session, form.chain),
        reporter_id=actor.id,
        reporter_name=actor.username,
        unit=form.unit.strip() or (actor.unit_name or ""),
        reported_on=on,
        stage=LeadStage.LEAD.value,
        stage_on=on,
        created_at=utcnow(),
        updated_at=utcnow(),
    )
    repository.add(session, row)
    credited = credited_lead_id(session, row)
    if credited != row.id:
        row.duplicate_of_id = credited
        session.flush()
    audit.record(
        session,
        actor,
        "investment.lead.create",
        "investment_lead",
        row.id,
        after=_snapshot(row) | {"duplicate_of": row.duplicate_of_id},
    )
    return _read(row)


def _move(session: Session, actor: Actor, row: LeadRow, to: LeadStage, on: date, reason: str | None) -> None:
    before = _snapshot(row)
    from_stage = row.stage
    row.stage = to.value
    row.stage_on = on
    if row.owner_id is None and actor.id is not None:
        row.owner_id, row.owner_name = actor.id, actor.username
    row.updated_at = utcnow()
    repository.add(
        session,
        LeadMoveRow(
            lead_id=row.id,
            from_stage=from_stage,
            to_stage=to.value,
            moved_on=on,
            moved_at=utcnow(),
            moved_by=actor.username,
            reason=reason,
        ),
    )
    audit.record(
        session,
        actor,
        "investment.lead.move",
        "investment_lead",
        row.id,
        before=before,
        after=_snapshot(row) | {"reason": reason},
    )


def move_lead(
    session: Session, actor: Actor, lead_id: int, to: LeadStage, *, on: date, reason: str | None = None
) -> LeadRead:
    """Move a lead one stage forward (线索 → 接洽 → 考察 → 洽谈), back to an earlier stage with a reason, to 终止
    with a reason, or from 签约 to 落地 (registered in the zone, dated ``on``). 签约 goes through
    :func:`sign_lead`; a signed lead is not moved back (its project is in the library)."""
    access.require_owner(actor)
    row = visible_lead(session, actor, lead_id, for_update=True)
    stage = _stage(row)
    reason = (reason or "").strip() or None
    if to == stage:
        raise Conflict(f"线索已处于「{stage.label}」阶段")
    if on < row.stage_on:
        raise InputError(InputProblem(f"日期不能早于上一阶段日期 {row.stage_on.isoformat()}", column="on"))
    if to == LeadStage.SIGNED:
        raise Conflict("签约请填写合同投资额和计划日期（签约表单）")
    if stage in SIGNED and to != LeadStage.LANDED:
        raise Conflict("已签约的线索不能退回或终止：项目已入库，请在项目调度中处理")
    if to == LeadStage.LANDED:
        if stage != LeadStage.SIGNED:
            raise Conflict("只有已签约的线索可以标记落地")
        row.landed_on = on
    elif to == LeadStage.TERMINATED:
        if not reason:
            raise InputError(InputProblem("终止线索须填写原因", column="reason"))
        row.end_reason = reason
    elif stage == LeadStage.TERMINATED or _rank(to) < _rank(stage):
        if not reason:
            raise InputError(InputProblem(f"退回到「{to.label}」须填写原因", column="reason"))
        row.end_reason = None
    elif _rank(to) != _rank(stage) + 1:
        nxt = PIPELINE[_rank(stage) + 1].label
        raise Conflict(f"线索须按顺序推进：下一阶段是「{nxt}」，不能直接到「{to.label}」")
    _move(session, actor, row, to, on, reason)
    return _read(row)


def log_activity(
    session: Session,
    actor: Actor,
    lead_id: int,
    *,
    kind: str,
    happened_on: date,
    staff: str,
    counterpart: str = "",
    outcome: str = "",
    files: Sequence[UploadedFile] = (),
    settings: Settings | None = None,
) -> None:
    """Log a contact: a visit, meeting or call with the investor, a 研判, or telling the reporter (告知报送人).

    ``files`` are its attachments (附件: 考察照片、会议纪要、意向书), guarded and kept as objection evidence is
    (:func:`zonehero.features.imports.evidence.keep_evidence`); one refused file refuses the whole record, so a
    contact is never logged without the files its author meant to attach. ``settings`` is needed with files.
    """
    access.require_owner(actor)
    row = visible_lead(session, actor, lead_id, for_update=True)
    if kind not in ACTIVITY_LABELS:
        raise InputError(InputProblem(f"未知的记录类型「{kind}」", column="kind"))
    if happened_on < row.reported_on:
        raise InputError(InputProblem("日期不能早于线索报送日期", column="happened_on"))
    if not staff.strip():
        raise InputError(InputProblem("请填写参与人员", column="staff"))
    kept: list[KeptFile] = []
    if files:
        if settings is None:
            raise ValueError("settings are needed to keep attachments")
        kept = keep_evidence(files, settings=settings, folder=ACTIVITY_FILES_FOLDER, what="附件")
    activity = LeadActivityRow(
        lead_id=row.id,
        kind=kind,
        happened_on=happened_on,
        staff=staff.strip(),
        counterpart=counterpart.strip(),
        outcome=outcome.strip(),
        created_at=utcnow(),
        created_by=actor.username,
    )
    repository.add(session, activity)
    for k in kept:
        repository.add(session, LeadActivityFileRow(activity_id=activity.id, **k.columns()))
    if row.owner_id is None and actor.id is not None:
        row.owner_id, row.owner_name = actor.id, actor.username
    audit.record(
        session,
        actor,
        "investment.lead.activity",
        "investment_lead",
        row.id,
        after={
            "activity": kind,
            "happened_on": happened_on.isoformat(),
            "staff": activity.staff,
            "counterpart": activity.counterpart,
            "outcome": activity.outcome,
            "files": [{"name": k.name, "sha256": k.sha256, "size": k.size} for k in kept],
        },
    )


def activity_file(session: Session, actor: Actor, file_id: int, *, settings: Settings) -> tuple[Path, str, str]:
    """(path, file name, content type) of an activity's attachment, for whoever may see its lead (the reporter
    its own, leaders and the 招商局 all); the download is audited like evidence downloads."""
    found = repository.activity_file(session, file_id)
    if found is None:
        raise NotFound("文件不存在")
    f, activity = found
    try:
        visible_lead(session, actor, activity.lead_id)
    except NotFound:
        raise NotFound("文件不存在") from None
    audit.record_read(
        session,
        actor,
        "investment.activity_file.download",
        "lead_activity_file",
        file_id,
        lead_id=activity.lead_id,
        activity_id=activity.id,
        file=f.name,
    )
    return settings.data_dir / f.stored, f.name, f.content_type


def sign_lead(session: Session, actor: Actor, lead_id: int, form: SigningForm) -> str:
    """签约: record the contract and, in the caller's unit of work, put the project into the library.

    A first signing creates the project (the projects service numbers it, audits it) with the lead's fields; a
    signing naming ``project_code`` of an earlier signing of the same investor is a 增资: the project is updated
    to its contract investment (the largest of its signings) and the lead counts only the increase (the core's
    rule). Returns the project code.
    """
    access.require_owner(actor)
    row = visible_lead(session, actor, lead_id, for_update=True)
    if _stage(row) != LeadStage.NEGOTIATION:
        raise Conflict("线索须先推进到「洽谈」阶段才能签约")
    if form.signed_on < row.stage_on:
        raise InputError(InputProblem(f"签约日期不能早于上一阶段日期 {row.stage_on.isoformat()}", column="signed_on"))
    planned_dates = (
        (form.planned_start_date, "planned_start_date"),
        (form.planned_production_date, "planned_production_date"),
    )
    for planned, column in planned_dates:
        if planned is not None and planned < form.signed_on:
            raise InputError(InputProblem("计划日期不能早于签约日期", column=column))
    code = (form.project_code or "").strip() or None
    if code is not None and code not in earlier_projects(session, row):
        raise InputError(InputProblem(f"项目「{code}」不是同一投资方此前签约的项目", column="project_code"))
    row.signed_on = form.signed_on
    row.contract_investment = form.contract_investment
    row.planned_start_date = form.planned_start_date
    row.planned_production_date = form.planned_production_date
    source = f"招商线索 #{row.id}"
    if code is None:
        project = Project(
            code="",
            name=row.project_name,
            investor=row.investor,
            investor_uscc=row.investor_uscc,
            industry_chain=row.chain,
            total_investment=form.contract_investment,
            land_mu=row.land_mu,
            unit=row.unit or None,
            added_date=row.reported_on,
            signing=Milestone(MilestoneKind.SIGNING, form.signed_on, form.signed_on),
            construction=Milestone(MilestoneKind.CONSTRUCTION, form.planned_start_date),
            production=Milestone(MilestoneKind.PRODUCTION, form.planned_production_date),
        )
        row.project_code = projects.create_signed_project(session, actor, project, source=source)
        session.flush()
    else:
        row.project_code = code
        session.flush()
        (signed,) = build_projects([to_core(r) for r in repository.of_project(session, code)])
        total = signed.contract_investment
        projects.set_signed_investment(session, actor, code, total, source=source)
    _move(session, actor, row, LeadStage.SIGNED, form.signed_on, None)
    audit.record(
        session,
        actor,
        "investment.lead.sign",
        "investment_lead",
        row.id,
        after={
            "project_code": row.project_code,
            "contract_investment": form.contract_investment,
            "counted_investment": counted_investment(session, row),
            "signed_on": form.signed_on.isoformat(),
        },
    )
    return row.project_code


def record_payment(
    session: Session, actor: Actor, lead_id: int, *, paid_on: date, amount: float, note: str = ""
) -> float:
    """Record a 到位资金 payment of a signed (or landed) lead, by whoever may move it (the 招商局); returns the
    lead's 累计到位资金 after it. Money counts from its date on: one before the signing, or a date still to come,
    would make a past 资金到位率 count money that was not there."""
    access.require_owner(actor)
    row = visible_lead(session, actor, lead_id, for_update=True)
    if _stage(row) not in SIGNED or row.signed_on is None:
        raise Conflict("只有已签约的线索可以登记到位资金")
    problems: list[InputProblem] = []
    if not (math.isfinite(amount) and amount > 0):
        problems.append(InputProblem("到位金额须大于 0（万元）", column="amount"))
    if paid_on < row.signed_on:
        problems.append(InputProblem(f"到位日期不能早于签约日期 {row.signed_on.isoformat()}", column="paid_on"))
    elif paid_on > today():
        problems.append(InputProblem("到位日期不能晚于今天", column="paid_on"))
    if problems:
        raise InputError(problems)
    before = sum(p.amount for p in repository.payments(session, [row.id]))
    payment = LeadPaymentRow(
        lead_id=row.id,
        paid_on=paid_on,
        amount=amount,
        note=note.strip(),
        recorded_by=actor.username,
        recorded_at=utcnow(),
    )
    repository.add(session, payment)
    audit.record(
        session,
        actor,
        "investment.lead.payment",
        "investment_lead",
        row.id,
        before={"paid_in": before},
        after={"paid_on": paid_on.isoformat(), "amount": amount, "note": payment.note, "paid_in": before + amount},
    )
    return before + amount
