"""企业确认 (enterprise confirmation): the analyst opens a round for a year with a deadline; each enterprise
account confirms its stored figures of that year (确认无误) or disputes some of them with a proposed value,
a reason and evidence; the analyst accepts a dispute (the figure is corrected in the store through the one
correction path, with the lineage 企业确认更正 · 确认异议 #id) or rejects it with a reason.

An enterprise without an answer is awaited until the deadline and deemed to have confirmed after it (默认确认):
computed from the day, never written. A run keeps the state of its year when it is made
(:func:`keep_for_run`), so its notices say what held then (:func:`notice_lines`).

An enterprise account sees and acts on its own enterprise only; any other answers NotFound.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path

import polars as pl
from sqlalchemy.orm import Session

from zonehero.clock import local_date, today, utcnow
from zonehero.config import Settings
from zonehero.core.domain.fields import FIELDS_BY_KEY
from zonehero.errors import Conflict, InputError, InputProblem, NotFound, PermissionDenied
from zonehero.features.audit import service as audit
from zonehero.features.confirmation import repository
from zonehero.features.confirmation.models import (
    ConfirmationAnswer,
    ConfirmationDispute,
    ConfirmationFile,
    ConfirmationRound,
    RunConfirmation,
)
from zonehero.features.confirmation.schemas import (
    STATES,
    AnswerRead,
    Board,
    BoardRow,
    ConfirmationFigure,
    DisputeDetail,
    DisputeRead,
    EnterpriseConfirmation,
    OpenDispute,
    RoundRead,
    StateCounts,
)
from zonehero.features.enterprises import service as enterprises
from zonehero.features.enterprises.values import Value, parse_value, read_proposed
from zonehero.features.imports.evidence import keep_evidence
from zonehero.features.imports.storage import UploadedFile
from zonehero.features.roles import Actor, Role, require_editor, require_staff

EVIDENCE_FOLDER = "uploads/confirmations"
MAX_REASON = 5000
BOARD_PAGE = 50
OPEN_SHOWN = 50
"""Open disputes listed on the board (oldest first); the count says how many there are."""
NOT_DISPUTABLE = frozenset({"uscc", "name"})
"""Identity, not figures (as for objections)."""
CORRECTION_DEPARTMENT = enterprises.CONFIRMATION_DEPARTMENT
NOT_FOUND = "确认异议不存在"


def _day(value: date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def _round(session: Session, year: int) -> ConfirmationRound | None:
    return repository.round_of(session, year)


def get_round(session: Session, actor: Actor, year: int) -> RoundRead | None:
    """The year's round, or None (staff and enterprise accounts: the deadline is no secret)."""
    found = _round(session, year)
    return RoundRead.model_validate(found) if found is not None else None


def list_rounds(session: Session, actor: Actor) -> list[RoundRead]:
    """Every round, newest year first (staff)."""
    require_staff(actor)
    return [RoundRead.model_validate(r) for r in repository.rounds(session)]


def open_round(session: Session, actor: Actor, *, year: int, deadline: date, on: date | None = None) -> RoundRead:
    """Open the year's round with a deadline, or move the deadline of an open one (audited before/after)."""
    require_editor(actor)
    day = on or today()
    if deadline < day:
        raise InputError(InputProblem(f"确认截止日期不能早于今天（{day}）", column="deadline"))
    if repository.enterprise_count(session, year) == 0:
        raise InputError(InputProblem(f"{year} 年度还没有企业数据，无法开启企业确认", column="year"))
    found = _round(session, year)
    before = {"year": year, "deadline": found.deadline.isoformat()} if found is not None else None
    if found is None:
        found = ConfirmationRound(year=year, deadline=deadline, opened_by=actor.id, opened_at=utcnow())
        repository.add(session, found)
    else:
        found.deadline = deadline
        session.flush()
    audit.record(
        session,
        actor,
        "confirmation.open",
        "confirmation_round",
        found.id,
        before=before,
        after={"year": year, "deadline": deadline.isoformat()},
    )
    return RoundRead.model_validate(found)


def state_of(answer_state: str | None, deadline: date, day: date) -> str:
    """An enterprise's state on ``day``: its answer's, else awaited until the deadline and deemed after it."""
    if answer_state is not None:
        return answer_state
    return "deemed" if day > deadline else "pending"


def action_refusal(
    actor: Actor, found: ConfirmationRound | None, answer: ConfirmationAnswer | None, day: date
) -> str | None:
    """Why ``actor`` may not confirm or dispute now (None: it may). The page and the service ask the same."""
    if actor.role != Role.ENTERPRISE or not actor.enterprise_uscc:
        return "只有企业账户可以确认本企业的数据"
    if found is None:
        return "该年度尚未开启企业确认"
    if day > found.deadline:
        return f"确认截止日期 {_day(found.deadline)} 已过，未确认的数据视为确认"
    if answer is not None:
        return "本企业已确认数据无误" if answer.state == "confirmed" else "本企业已提出异议，请等待处理"
    return None


def _figures(session: Session, actor: Actor, uscc: str, year: int) -> list[ConfirmationFigure]:
    rows = [f for f in enterprises.enterprise_figures(session, actor, uscc, year=year) if f.field not in NOT_DISPUTABLE]
    rows.sort(key=lambda f: (f.field != "land_area_mu", f.label))  # 用地面积 first: the most disputed figure
    return [ConfirmationFigure(field=f.field, label=f.label, unit=f.unit, value=f.value, source=f.source) for f in rows]


def _answer_read(answer: ConfirmationAnswer | None) -> AnswerRead | None:
    return AnswerRead.model_validate(answer) if answer is not None else None


def enterprise_confirmation(
    session: Session, actor: Actor, uscc: str, year: int, *, on: date | None = None
) -> EnterpriseConfirmation:
    """The year's confirmation of one enterprise: staff see any, an enterprise account its own (else NotFound)."""
    enterprises.ensure_can_see(actor, uscc)
    day = on or today()
    found = _round(session, year)
    answer = repository.answer(session, found.id, uscc) if found is not None else None
    state = state_of(answer.state if answer else None, found.deadline, day) if found is not None else None
    refusal = action_refusal(actor, found, answer, day)
    if refusal is None and not repository.has_figures(session, year, uscc):
        refusal = f"本企业没有 {year} 年度的数据"
    return EnterpriseConfirmation(
        year=year,
        uscc=uscc,
        round=RoundRead.model_validate(found) if found is not None else None,
        state=state,
        figures=_figures(session, actor, uscc, year),
        answer=_answer_read(answer),
        refusal=refusal,
    )


def _acting(session: Session, actor: Actor, year: int, day: date) -> tuple[ConfirmationRound, str]:
    """The round and the enterprise an enterprise account acts for, or the refusal as an error."""
    if actor.role != Role.ENTERPRISE or not actor.enterprise_uscc:
        raise PermissionDenied("只有企业账户可以确认本企业的数据")
    uscc = actor.enterprise_uscc
    found = _round(session, year)
    refusal = action_refusal(actor, found, repository.answer(session, found.id, uscc) if found else None, day)
    if refusal is not None or found is None:
        raise Conflict(refusal or "该年度尚未开启企业确认")
    if not repository.has_figures(session, year, uscc):
        raise NotFound(f"本企业没有 {year} 年度的数据")
    return found, uscc


def confirm(session: Session, actor: Actor, year: int, *, on: date | None = None) -> AnswerRead:
    """The enterprise confirms its figures of the year as they are (确认无误)."""
    found, uscc = _acting(session, actor, year, on or today())
    answer = ConfirmationAnswer(round_id=found.id, uscc=uscc, state="confirmed", answered_by=actor.id)
    answer.answered_at = utcnow()
    repository.add(session, answer)
    audit.record(session, actor, "confirmation.confirm", "enterprise", uscc, after={"year": year})
    return _read_answer(session, answer.id)


def _disputed(figures: Sequence[ConfirmationFigure], proposed: Mapping[str, Value]) -> list[ConfirmationDispute]:
    """Each proposed value read as the importers read a cell; every problem reported at once."""
    current = {f.field: (f.label, f.value) for f in figures}
    found, problems = read_proposed(current, proposed, unknown="不是本企业该年度的数据项", same="现有数值")
    disputes = [ConfirmationDispute(field=k, current=old, proposed=new, status="open") for k, old, new in found]
    if not proposed:
        problems.append(InputProblem("请选择有异议的数据项并填写应为的数值", column="field"))
    if problems:
        raise InputError(problems)
    return disputes


def dispute(
    session: Session,
    actor: Actor,
    year: int,
    *,
    reason: str,
    proposed: Mapping[str, Value],
    files: Sequence[UploadedFile] = (),
    settings: Settings,
    on: date | None = None,
) -> AnswerRead:
    """The enterprise disputes one or more of its figures, each with the value it proposes, a reason and
    evidence (at least one file: PDF, JPEG or PNG, checked by content as for objections)."""
    found, uscc = _acting(session, actor, year, on or today())
    reason = reason.strip()
    if not reason:
        raise InputError(InputProblem("请填写异议理由", column="reason"))
    if len(reason) > MAX_REASON:
        raise InputError(InputProblem(f"异议理由不能超过 {MAX_REASON} 字", column="reason"))
    disputes = _disputed(_figures(session, actor, uscc, year), proposed)
    files = list(files)
    if not files:
        raise InputError(InputProblem("请附证明材料（PDF、JPEG 或 PNG）", column="files"))
    kept = keep_evidence(files, settings=settings, folder=EVIDENCE_FOLDER)
    answer = ConfirmationAnswer(round_id=found.id, uscc=uscc, state="disputed", reason=reason, answered_by=actor.id)
    answer.answered_at = utcnow()
    repository.add(session, answer)
    for d in disputes:
        d.answer_id = answer.id
        session.add(d)
    for k in kept:
        session.add(ConfirmationFile(answer_id=answer.id, **k.columns()))
    session.flush()
    audit.record(
        session,
        actor,
        "confirmation.dispute",
        "enterprise",
        uscc,
        after={
            "year": year,
            "reason": reason,
            "disputes": [{"field": d.field, "current": d.current, "proposed": d.proposed} for d in disputes],
            "files": [f.name for f in files],
        },
    )
    return _read_answer(session, answer.id)


def _read_answer(session: Session, answer_id: int) -> AnswerRead:
    session.expire_all()
    found = repository.answer_by_id(session, answer_id)
    if found is None:
        raise NotFound("确认记录不存在")
    return AnswerRead.model_validate(found)


def _open_dispute(session: Session, actor: Actor, dispute_id: int) -> tuple[ConfirmationDispute, ConfirmationAnswer]:
    require_editor(actor)
    found = repository.dispute(session, dispute_id, for_update=True)
    if found is None:
        raise NotFound(NOT_FOUND)
    if found.status != "open":
        raise Conflict("该异议已处理")
    answer = repository.answer_by_id(session, found.answer_id, for_update=True)
    assert answer is not None  # a foreign key
    return found, answer


def _snapshot(d: ConfirmationDispute) -> dict[str, object]:
    return {
        "field": d.field,
        "status": d.status,
        "current": d.current,
        "proposed": d.proposed,
        "resolved_value": d.resolved_value,
        "resolution": d.resolution,
    }


def _settle(session: Session, answer: ConfirmationAnswer) -> None:
    """An answer whose disputes are all resolved is 'resolved'."""
    session.flush()
    session.refresh(answer, ["disputes"])
    if all(d.status != "open" for d in answer.disputes):
        answer.state = "resolved"
        session.flush()


def accept_dispute(
    session: Session, actor: Actor, dispute_id: int, *, resolution: str, value: Value | str | None = None
) -> DisputeRead:
    """Accept: the figure is corrected in the store (``value``, by default the proposed one) with the lineage
    企业确认更正 · 确认异议 #id, through the same correction path as an accepted objection."""
    found, answer = _open_dispute(session, actor, dispute_id)
    resolution = resolution.strip()
    if not resolution:
        raise InputError(InputProblem("请填写处理意见", column="resolution"))
    raw = found.proposed if value is None or (isinstance(value, str) and not value.strip()) else value
    written = parse_value(found.field, raw)
    if written is None:
        raise InputError(InputProblem("请填写更正后的数值", column="value"))
    found_round = repository.round_by_id(session, answer.round_id)
    assert found_round is not None  # a foreign key
    before = _snapshot(found)
    enterprises.correct_figures(
        session,
        actor,
        uscc=answer.uscc,
        year=found_round.year,
        changes={found.field: written},
        source=(CORRECTION_DEPARTMENT, f"确认异议 #{found.id}"),
    )
    found.status = "accepted"
    found.resolution = resolution
    found.resolved_value = written
    found.resolved_by = actor.id
    found.resolved_at = utcnow()
    _settle(session, answer)
    audit.record(
        session, actor, "confirmation.accept", "confirmation_dispute", found.id, before=before, after=_snapshot(found)
    )
    return DisputeRead.model_validate(found)


def reject_dispute(session: Session, actor: Actor, dispute_id: int, *, resolution: str) -> DisputeRead:
    """Reject with a reason the enterprise reads; the stored figure stays as it is."""
    found, answer = _open_dispute(session, actor, dispute_id)
    resolution = resolution.strip()
    if not resolution:
        raise InputError(InputProblem("请填写不予采纳的理由", column="resolution"))
    before = _snapshot(found)
    found.status = "rejected"
    found.resolution = resolution
    found.resolved_by = actor.id
    found.resolved_at = utcnow()
    _settle(session, answer)
    audit.record(
        session, actor, "confirmation.reject", "confirmation_dispute", found.id, before=before, after=_snapshot(found)
    )
    return DisputeRead.model_validate(found)


def dispute_detail(session: Session, actor: Actor, dispute_id: int) -> DisputeDetail:
    """One dispute with its answer and the stored figure's current source (staff, or the enterprise's own)."""
    found = repository.dispute(session, dispute_id)
    answer = repository.answer_by_id(session, found.answer_id) if found is not None else None
    if found is None or answer is None or not enterprises.can_see(actor, answer.uscc):
        raise NotFound(NOT_FOUND)
    found_round = repository.round_by_id(session, answer.round_id)
    assert found_round is not None
    field = FIELDS_BY_KEY.get(found.field)
    figures = {f.field: f for f in enterprises.enterprise_figures(session, actor, answer.uscc, year=found_round.year)}
    stored = figures.get(found.field)
    return DisputeDetail(
        dispute=DisputeRead.model_validate(found),
        label=field.label if field else found.field,
        unit=field.unit if field else None,
        year=found_round.year,
        uscc=answer.uscc,
        name=enterprises.get_enterprise(session, actor, answer.uscc).name,
        answer=AnswerRead.model_validate(answer),
        source=stored.source if stored is not None else "",
    )


def counts(session: Session, actor: Actor, year: int, *, on: date | None = None) -> StateCounts:
    """Every enterprise of the year in one state, from two aggregate queries (no row is read)."""
    require_staff(actor)
    return _counts(session, year, _round(session, year), on or today())


def _counts(session: Session, year: int, found: ConfirmationRound | None, day: date) -> StateCounts:
    total = repository.enterprise_count(session, year)
    by_state = repository.state_counts(session, found.id) if found is not None else {}
    unanswered = total - sum(by_state.values())
    deemed = found is not None and day > found.deadline
    return StateCounts(
        total=total,
        confirmed=by_state.get("confirmed", 0),
        deemed=unanswered if deemed else 0,
        disputed=by_state.get("disputed", 0),
        resolved=by_state.get("resolved", 0),
        pending=0 if deemed else unanswered,
    )


def _open(rows: list[repository.OpenRow]) -> list[OpenDispute]:
    out = []
    for d, answer, name, year in rows:
        field = FIELDS_BY_KEY.get(d.field)
        out.append(
            OpenDispute(
                id=d.id,
                year=year,
                uscc=answer.uscc,
                name=name,
                field=d.field,
                label=field.label if field else d.field,
                current=d.current,  # type: ignore[arg-type]
                proposed=d.proposed,  # type: ignore[arg-type]
                filed_at=answer.answered_at,
            )
        )
    return out


def board(
    session: Session,
    actor: Actor,
    year: int,
    *,
    state: str | None = None,
    after: str | None = None,
    limit: int = BOARD_PAGE,
    on: date | None = None,
) -> Board:
    """The year's board: the counts, the open disputes (oldest first) and one page of enterprises by USCC from
    ``after``, in ``state`` or all (staff). A page reads at most ``limit`` + 1 enterprises."""
    require_staff(actor)
    if state is not None and state not in STATES:
        raise InputError(InputProblem(f"未知的确认状态「{state}」", column="state"))
    day = on or today()
    found = _round(session, year)
    limit = max(1, min(limit, 200))
    rows: list[repository.Row] = []
    if found is not None:
        deemed = day > found.deadline
        if state in ("confirmed", "disputed", "resolved"):
            rows = repository.page_answered(session, found.id, state, after, limit + 1)
        elif state is None:
            rows = repository.page_enterprises(session, year, found.id, unanswered=False, after=after, limit=limit + 1)
        elif (state == "deemed") == deemed:  # pending before the deadline, deemed after it
            rows = repository.page_enterprises(session, year, found.id, unanswered=True, after=after, limit=limit + 1)
    more = len(rows) > limit
    rows = rows[:limit]
    return Board(
        year=year,
        round=RoundRead.model_validate(found) if found is not None else None,
        counts=_counts(session, year, found, day),
        open_disputes=_open(repository.open_disputes(session, year=year, limit=OPEN_SHOWN)) if found else [],
        rows=[
            BoardRow(uscc=u, name=n, state=state_of(s, found.deadline, day) if found else "pending", answered_at=at)
            for u, n, s, at in rows
        ],
        state=state,
        next_cursor=rows[-1][0] if more and rows else None,
    )


def open_disputes(session: Session, actor: Actor, *, limit: int = OPEN_SHOWN) -> list[OpenDispute]:
    """Open disputes of every year, oldest first: what the analyst must resolve (the to-do list)."""
    require_editor(actor)
    return _open(repository.open_disputes(session, year=None, limit=limit))


def open_dispute_count(session: Session, actor: Actor) -> int:
    require_editor(actor)
    return repository.open_dispute_count(session)


def awaiting_own(session: Session, actor: Actor, *, on: date | None = None) -> list[RoundRead]:
    """The rounds an enterprise account must still answer today (nothing for any other account)."""
    if actor.role != Role.ENTERPRISE or not actor.enterprise_uscc:
        return []
    day = on or today()
    out = []
    for r in repository.rounds(session):
        if day > r.deadline or not repository.has_figures(session, r.year, actor.enterprise_uscc):
            continue
        if repository.answer(session, r.id, actor.enterprise_uscc) is None:
            out.append(RoundRead.model_validate(r))
    return out


def evidence_file(session: Session, actor: Actor, file_id: int, *, settings: Settings) -> tuple[Path, str, str]:
    """(path, file name, content type) of a dispute's evidence, for staff or the enterprise that filed it."""
    found = repository.evidence(session, file_id)
    if found is None or not enterprises.can_see(actor, found[1].uscc):
        raise NotFound("文件不存在")
    f, answer = found
    audit.record_read(
        session, actor, "confirmation_evidence.download", "confirmation_file", file_id, uscc=answer.uscc, file=f.name
    )
    return settings.data_dir / f.stored, f.name, f.content_type


# --- what a run keeps and what its notices say

KEPT_SCHEMA: dict[str, type[pl.DataType]] = {
    "uscc": pl.String,
    "state": pl.String,
    "day": pl.Date,
    "accepted": pl.Int64,
    "rejected": pl.Int64,
}


def keep_for_run(session: Session, run_id: int, year: int) -> None:
    """Keep the year's confirmation state with a draft run as it is made (internal: the runs service calls it);
    nothing when the year has no round."""
    found = _round(session, year)
    if found is None:
        return
    rows = repository.answers_to_keep(session, found.id)
    frame = pl.DataFrame([(u, s, local_date(at), a, r) for u, s, at, a, r in rows], schema=KEPT_SCHEMA, orient="row")
    buffer = io.BytesIO()
    frame.write_parquet(buffer, compression="zstd")
    session.add(RunConfirmation(run_id=run_id, deadline=found.deadline, taken_on=today(), answers=buffer.getvalue()))
    session.flush()


def notice_lines(session: Session, run_id: int, usccs: Sequence[str]) -> dict[str, str]:
    """The sentence each enterprise's notice prints about its confirmation, from what run ``run_id`` kept
    (internal: the caller has checked the actor may see the run). Empty for a run made without a round."""
    kept = repository.kept(session, run_id)
    if kept is None:
        return {}
    wanted = set(usccs)
    frame = pl.read_parquet(io.BytesIO(kept.answers)).filter(pl.col("uscc").is_in(wanted))
    answered = {r["uscc"]: r for r in frame.iter_rows(named=True)}
    lines = {}
    for uscc in wanted:
        r = answered.get(uscc)
        if r is None:
            lines[uscc] = (
                f"贵企业未在确认截止日期（{_day(kept.deadline)}）前确认本年度数据，视为确认（默认确认）。"
                if kept.taken_on > kept.deadline
                else f"评价时贵企业尚未确认本年度数据（确认截止日期 {_day(kept.deadline)}）。"
            )
        elif r["state"] == "confirmed":
            lines[uscc] = f"贵企业已于 {_day(r['day'])} 确认本年度数据无误。"
        elif r["state"] == "resolved":
            lines[uscc] = (
                f"贵企业于 {_day(r['day'])} 对本年度数据提出异议，已处理：采纳 {r['accepted']} 项，"
                f"不予采纳 {r['rejected']} 项；本评价按处理后的数据进行。"
            )
        else:
            lines[uscc] = f"贵企业于 {_day(r['day'])} 对本年度数据提出的异议在评价时尚未处理完毕。"
    return lines
