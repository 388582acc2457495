"""Objections (异议) during 公示: an enterprise files one on its own result, an analyst answers it.

An objection may point at the figures it disputes (picked from the figures
the run used, each with the value the enterprise proposes); an older or
free-text one only says why. Accepting corrects the figures (lineage 异议 #id) and makes a new draft run
from them (its ``source_run_id`` is the run in 公示), which then goes
through 公示 itself; rejecting records the reason. The enterprise sees the
answer either way. A run cannot be finalised while an objection is open.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from zonehero.clock import today, utcnow
from zonehero.config import Settings
from zonehero.core.domain.fields import FIELDS
from zonehero.errors import Conflict, InputError, InputProblem, NotFound, PermissionDenied
from zonehero.features.audit import service as audit
from zonehero.features.enterprises import service as enterprises
from zonehero.features.enterprises.schemas import source_phrase
from zonehero.features.enterprises.values import Value, read_proposed
from zonehero.features.imports.evidence import KeptFile, keep_evidence
from zonehero.features.imports.storage import UploadedFile
from zonehero.features.land import service as land
from zonehero.features.land.schemas import LandNoticeRead
from zonehero.features.objections import repository
from zonehero.features.objections.models import Objection, ObjectionFile
from zonehero.features.objections.schemas import DisputedFigure, ObjectionBrief, ObjectionRead, RunFigure
from zonehero.features.roles import Actor, Role, require_editor
from zonehero.features.runs import service as runs
from zonehero.features.runs.choice import scheme_of_run
from zonehero.features.runs.schemas import RunRead

EVIDENCE_FOLDER = "uploads/objections"
MAX_TEXT = 5000
NOT_FOUND = "异议不存在"
MOST_DISPUTED = "land_area_mu"
"""用地面积: the figure enterprises dispute most, listed first."""
NOT_DISPUTABLE = frozenset({"uscc", "name"})
"""Identity, not figures: a wrong name or USCC is a registration matter, not an objection to a result."""


def open_count(session: Session, run_id: int) -> int:
    """Open objections on a run (for the runs service's finalise check)."""
    return repository.open_count(session, run_id)


def _snapshot(o: Objection) -> dict[str, object]:
    return {
        "status": o.status,
        "answer": o.answer,
        "new_run_id": o.new_run_id,
        "figure_changes": o.figure_changes,
    }


def objection_refusal(actor: Actor, run: RunRead, day: date) -> str | None:
    """Why ``actor`` may not object to its result in ``run`` on ``day`` (None: it may). The form and the service
    both ask this, so the page never offers what the service would refuse."""
    if actor.role != Role.ENTERPRISE or not actor.enterprise_uscc:
        return "只有企业账户可以对本企业的评价结果提出异议"
    if run.status != "notice" or run.superseded_by_id is not None:
        return "该评价结果不在公示期，不能提出异议"
    if run.notice_start is None or run.notice_end is None or not run.notice_start <= day <= run.notice_end:
        return f"公示期为 {run.notice_start} 至 {run.notice_end}，不在公示期内"
    return None


def can_object(actor: Actor, run: RunRead) -> bool:
    """Whether the page offers the objection form today."""
    return objection_refusal(actor, run, today()) is None


def _plain(value: object) -> Value:
    """A frame cell as a JSON value (NaN is no value)."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if value == value else None
    return str(value)


def run_figures(session: Session, actor: Actor, run_id: int, uscc: str) -> list[RunFigure]:
    """The enterprise's figures as run ``run_id`` used them, each with the source the run kept (用地面积 first).

    What an objection points at: the figures of the result under 公示, not the store's current ones (a later
    import or correction does not change what was published). Figures the enterprise has, and those the scheme
    scores it by even when missing (a missing figure is a common objection); not every empty fuel of the energy
    breakdown. NotFound for another enterprise or a run without the enterprise.
    """
    runs.get_result(session, actor, run_id, uscc)  # NotFound for another enterprise, a draft, a missing row
    frame, _ = runs.inputs_of(session, actor, run_id)
    rows = frame.filter(frame["uscc"] == uscc).to_dicts()
    row = rows[0] if rows else {}
    sources = {
        r["field"]: source_phrase(r["department"], r["file"], r["sheet"], r["row"], r["column"])
        for r in runs.lineage_of(session, actor, run_id, [uscc]).iter_rows(named=True)
    }
    scheme = scheme_of_run(session, actor, run_id)
    scored = {k for g in scheme.groups.values() for i in g.indicators for k in (i.numerator, i.denominator)}
    figures = [
        RunFigure(
            field=f.key,
            label=f.label,
            unit=f.unit,
            value=_plain(row.get(f.key)),
            source=sources.get(f.key, ""),
        )
        for f in FIELDS
        if f.key not in NOT_DISPUTABLE and f.key in frame.columns
    ]
    figures = [f for f in figures if f.value is not None or f.field in scored or f.field == MOST_DISPUTED]
    figures.sort(key=lambda f: f.field != MOST_DISPUTED)
    return figures


def _disputed(
    session: Session, actor: Actor, run_id: int, uscc: str, proposed: Mapping[str, Value]
) -> list[DisputedFigure]:
    """The figures an objection points at, each proposed value read as the importers read a cell."""
    current = {f.field: (f.label, f.value) for f in run_figures(session, actor, run_id, uscc)}
    found, problems = read_proposed(current, proposed, unknown="不是本企业在该评价批次中的数据项", same="公示所用数值")
    disputed = [DisputedFigure(field=k, current=old, proposed=new) for k, old, new in found]
    if problems:
        raise InputError(problems)
    return disputed


def file_objection(
    session: Session,
    actor: Actor,
    run_id: int,
    text: str,
    files: Sequence[UploadedFile] = (),
    *,
    settings: Settings,
    on: date | None = None,
    proposed: Mapping[str, Value] | None = None,
) -> ObjectionRead:
    """An enterprise account objects to its own result in a run under 公示, with evidence files.

    ``proposed`` maps each disputed figure to the value the enterprise says is right (typed in as in a
    department's file); the objection keeps it with the value the run used. Without it the objection is free
    text, as before.
    """
    if actor.role != Role.ENTERPRISE or not actor.enterprise_uscc:
        raise PermissionDenied("只有企业账户可以对本企业的评价结果提出异议")
    uscc = actor.enterprise_uscc
    result = runs.get_result(session, actor, run_id, uscc)  # NotFound for drafts and foreign runs
    run = runs.get_run(session, actor, run_id)
    refusal = objection_refusal(actor, run, on or today())
    if refusal is not None:
        raise Conflict(refusal)
    text = _checked_text(text)
    if repository.open_count(session, run_id, uscc):
        raise Conflict("本企业已有待处理的异议，请等待答复")
    disputed = _disputed(session, actor, run_id, uscc, proposed) if proposed else []
    files = list(files)
    kept = keep_evidence(files, settings=settings, folder=EVIDENCE_FOLDER)
    objection = Objection(
        run_id=run_id,
        uscc=result.uscc,
        text=text,
        status="open",
        filed_by=actor.id,
        filed_at=utcnow(),
        disputed=[d.model_dump() for d in disputed] or None,
    )
    repository.add(session, objection)
    _add_files(session, objection, kept)
    audit.record(
        session,
        actor,
        "objection.file",
        "objection",
        objection.id,
        after={
            "run_id": run_id,
            "uscc": uscc,
            "text": text,
            "disputed": [d.model_dump() for d in disputed] or None,
            "files": [f.name for f in files],
        },
    )
    return _read(session, objection.id)


def _add_files(session: Session, objection: Objection, kept: Sequence[KeptFile]) -> None:
    """Record the evidence files :func:`keep_evidence` wrote for ``objection``."""
    for k in kept:
        repository.add(session, ObjectionFile(objection_id=objection.id, **k.columns()))


def _checked_text(text: str) -> str:
    text = text.strip()
    if not text:
        raise InputError(InputProblem("请填写异议内容", column="text"))
    if len(text) > MAX_TEXT:
        raise InputError(InputProblem(f"异议内容不能超过 {MAX_TEXT} 字", column="text"))
    return text


def _read(session: Session, objection_id: int) -> ObjectionRead:
    session.expire_all()
    objection = repository.get(session, objection_id)
    if objection is None:
        raise NotFound(NOT_FOUND)
    return ObjectionRead.model_validate(objection)


def _open_for_answer(session: Session, actor: Actor, objection_id: int) -> Objection:
    require_editor(actor)
    objection = repository.get(session, objection_id, for_update=True)
    if objection is None:
        raise NotFound(NOT_FOUND)
    if objection.status != "open":
        raise Conflict("该异议已处理")
    return objection


def accept_objection(
    session: Session,
    actor: Actor,
    objection_id: int,
    *,
    answer: str,
    corrections: Mapping[str, Value],
) -> ObjectionRead:
    """Accept: correct the enterprise's figures and make a new draft run from them (traced to this objection)."""
    objection = _open_for_answer(session, actor, objection_id)
    if objection.run_id is None:
        raise Conflict("这是对用地面积公示的异议：请在用地面积公示页面选择要更正的宗地或租赁记录")
    answer = answer.strip()
    if not answer:
        raise InputError(InputProblem("请填写答复意见", column="answer"))
    if not corrections:
        raise InputError(InputProblem("采纳异议需要填写更正后的数据", column="corrections"))
    run = runs.get_run(session, actor, objection.run_id)
    if run.status != "notice" or run.superseded_by_id is not None:
        raise Conflict("原评价批次已不在公示期，不能再更正")
    before = _snapshot(objection)
    changes = enterprises.correct_figures(
        session, actor, uscc=objection.uscc, year=run.year, changes=corrections, objection_id=objection.id
    )
    draft = runs.create_draft_run(
        session,
        actor,
        year=run.year,
        scheme_version_id=run.scheme_version_id,
        note=f"根据异议 #{objection.id} 更正 {objection.uscc} 的数据",
        source_run_id=run.id,
    )
    objection.status = "accepted"
    objection.answer = answer
    objection.answered_by = actor.id
    objection.answered_at = utcnow()
    objection.new_run_id = draft.id
    objection.figure_changes = [c.model_dump() for c in changes]
    session.flush()
    audit.record(
        session, actor, "objection.accept", "objection", objection.id, before=before, after=_snapshot(objection)
    )
    return _read(session, objection.id)


def reject_objection(session: Session, actor: Actor, objection_id: int, *, answer: str) -> ObjectionRead:
    """Reject with a reason the enterprise will read."""
    objection = _open_for_answer(session, actor, objection_id)
    answer = answer.strip()
    if not answer:
        raise InputError(InputProblem("请填写不予采纳的理由", column="answer"))
    before = _snapshot(objection)
    objection.status = "rejected"
    objection.answer = answer
    objection.answered_by = actor.id
    objection.answered_at = utcnow()
    session.flush()
    audit.record(
        session, actor, "objection.reject", "objection", objection.id, before=before, after=_snapshot(objection)
    )
    return _read(session, objection.id)


def get_objection(session: Session, actor: Actor, objection_id: int) -> ObjectionRead:
    """One objection; an enterprise account sees only its own (others answer NotFound)."""
    objection = repository.get(session, objection_id)
    if objection is None or not enterprises.can_see(actor, objection.uscc):
        raise NotFound(NOT_FOUND)
    return ObjectionRead.model_validate(objection)


def list_objections(
    session: Session,
    actor: Actor,
    *,
    run_id: int | None = None,
    status: str | None = None,
    land_notice_id: int | None = None,
) -> list[ObjectionRead]:
    """Objections newest first: staff see all, an enterprise account its own."""
    uscc = None if actor.is_staff else (actor.enterprise_uscc or "")
    found = repository.find(session, run_id=run_id, status=status, uscc=uscc, land_notice_id=land_notice_id)
    return [ObjectionRead.model_validate(o) for o in found]


def evidence_file(session: Session, actor: Actor, file_id: int, *, settings: Settings) -> tuple[Path, str, str]:
    """(path, file name, content type) of an evidence file, for download by staff or the filing enterprise."""
    found = repository.evidence(session, file_id)
    if found is None or not enterprises.can_see(actor, found[1].uscc):
        raise NotFound("文件不存在")
    f, objection = found
    audit.record_read(
        session,
        actor,
        "evidence.download",
        "objection_file",
        file_id,
        objection_id=objection.id,
        uscc=objection.uscc,
        file=f.name,
    )
    return settings.data_dir / f.stored, f.name, f.content_type


def waiting_for_answer(session: Session, actor: Actor) -> list[ObjectionBrief]:
    """Open objections of every run, oldest first: what the analysts must answer (an analyst's to-do)."""
    require_editor(actor)
    return [_brief(row) for row in repository.briefs(session, open_=True)]


def answered_of_own(session: Session, actor: Actor) -> list[ObjectionBrief]:
    """An enterprise account's answered objections, oldest first (nothing for any other account)."""
    if actor.role != Role.ENTERPRISE or not actor.enterprise_uscc:
        return []
    return [_brief(row) for row in repository.briefs(session, open_=False, uscc=actor.enterprise_uscc)]


def _brief(row: repository.Brief) -> ObjectionBrief:
    i, run_id, uscc, status, filed_at, new_run_id, land_notice_id = row
    return ObjectionBrief(
        id=i,
        run_id=run_id,
        uscc=uscc,
        status=status,
        filed_at=filed_at,
        new_run_id=new_run_id,
        land_notice_id=land_notice_id,
    )


# --- objections on a land notice (用地面积公示) ---------------------------------------------------------------------


def open_count_of_notice(session: Session, land_notice_id: int) -> int:
    """Open objections on a land notice (for its close gate)."""
    return repository.open_count_of_notice(session, land_notice_id)


def counts_of_notice(session: Session, land_notice_id: int) -> dict[str, int]:
    """status → count of a land notice's objections (open, accepted, rejected)."""
    return repository.counts_of_notice(session, land_notice_id)


def land_objection_refusal(actor: Actor, notice: LandNoticeRead, day: date) -> str | None:
    """Why ``actor`` may not object to its published 用地面积 on ``day`` (None: it may); the form and the service
    both ask it, in the results' words."""
    if actor.role != Role.ENTERPRISE or not actor.enterprise_uscc:
        return "只有企业账户可以对本企业的用地面积提出异议"
    if not notice.includes(actor.enterprise_uscc):
        return "本企业不在该用地面积公示中"
    if notice.status != "notice":
        return "该用地面积公示已结束，不能提出异议"
    if not notice.notice_start <= day <= notice.notice_end:
        return f"公示期为 {notice.notice_start} 至 {notice.notice_end}，不在公示期内"
    return None


def land_items(record: Mapping[str, object] | None) -> dict[str, str]:
    """key → label of each parcel and lease line of a published derivation: what an objection may point at."""
    items: dict[str, str] = {}
    if not record:
        return items
    for p in record.get("parcels") or []:  # type: ignore[attr-defined]
        items[f"parcel:{p['parcel_no']}"] = f"宗地 {p['parcel_no']}"
    for lease in record.get("leases") or []:  # type: ignore[attr-defined]
        side = "出租给" if lease["direction"] == "out" else "承租自"
        key = f"lease:{lease['parcel_no']}:{lease['direction']}:{lease['counterparty']}"
        items[key] = f"租赁 {lease['parcel_no']}（{side} {lease['counterparty']}）"
    return items


def file_land_objection(
    session: Session,
    actor: Actor,
    land_notice_id: int,
    text: str,
    files: Sequence[UploadedFile] = (),
    *,
    settings: Settings,
    on: date | None = None,
    proposed_mu: Value = None,
    items: Sequence[str] = (),
) -> ObjectionRead:
    """An enterprise account objects to its own 用地面积 published in a land notice, with evidence files.

    ``proposed_mu`` is the area it says is right (read as a department file's cell); ``items`` are the parcels and
    leases of the published derivation it says are wrong. Refused outside the period and for other accounts in
    the same words as an objection on a result.
    """
    notice = land.notice_part(session, land_notice_id, actor.enterprise_uscc or "")
    refusal = land_objection_refusal(actor, notice, on or today())
    if refusal is not None:
        if actor.role != Role.ENTERPRISE:
            raise PermissionDenied(refusal)
        raise Conflict(refusal)
    uscc = actor.enterprise_uscc or ""
    text = _checked_text(text)
    if repository.open_count_of_notice(session, land_notice_id, uscc):
        raise Conflict("本企业已有待处理的异议，请等待答复")
    record = notice.record(uscc)
    current = record.get("land_area_mu") if record else None
    disputed: list[DisputedFigure] = []
    if proposed_mu is not None and str(proposed_mu).strip() != "":
        found, problems = read_proposed(
            {MOST_DISPUTED: ("用地面积", current)},
            {MOST_DISPUTED: proposed_mu},
            unknown="不能提出异议",
            same="公示数值",
        )
        if problems:
            raise InputError(problems)
        disputed = [DisputedFigure(field=k, current=old, proposed=new) for k, old, new in found]
    known = land_items(record)
    bad = [k for k in items if k not in known]
    if bad:
        raise InputError(InputProblem("所选宗地或租赁不在本企业公示的认定明细中", column="items"))
    picked = [{"key": k, "label": known[k]} for k in dict.fromkeys(items)]
    files = list(files)
    kept = keep_evidence(files, settings=settings, folder=EVIDENCE_FOLDER)
    objection = Objection(
        run_id=None,
        land_notice_id=land_notice_id,
        uscc=uscc,
        text=text,
        status="open",
        filed_by=actor.id,
        filed_at=utcnow(),
        disputed=[d.model_dump() for d in disputed] or None,
        land_items=picked or None,
    )
    repository.add(session, objection)
    _add_files(session, objection, kept)
    audit.record(
        session,
        actor,
        "objection.file",
        "objection",
        objection.id,
        after={
            "land_notice_id": land_notice_id,
            "uscc": uscc,
            "text": text,
            "disputed": [d.model_dump() for d in disputed] or None,
            "land_items": picked or None,
            "files": [f.name for f in files],
        },
    )
    return _read(session, objection.id)


def accept_land_objection(
    session: Session,
    actor: Actor,
    objection_id: int,
    *,
    answer: str,
    parcel_no: str | None = None,
    lease_id: int | None = None,
    changes: Mapping[str, object],
) -> ObjectionRead:
    """Accept an objection on a land notice: correct the chosen parcel's area or lease's area, share or dates
    (lineage 用地公示异议 #id, :func:`zonehero.features.land.service.correct_record`). No draft is made here: the
    year's draft, made after the notice closes, derives from the corrected records."""
    objection = _open_for_answer(session, actor, objection_id)
    if objection.land_notice_id is None:
        raise Conflict("这是对评价结果的异议：请在评价批次页面答复")
    answer = answer.strip()
    if not answer:
        raise InputError(InputProblem("请填写答复意见", column="answer"))
    notice = land.notice_part(session, objection.land_notice_id, objection.uscc)
    if notice.status != "notice":
        raise Conflict("该用地面积公示已结束，不能再更正")
    before = _snapshot(objection)
    done = land.correct_record(
        session, actor, objection_id=objection.id, parcel_no=parcel_no, lease_id=lease_id, changes=dict(changes)
    )
    objection.status = "accepted"
    objection.answer = answer
    objection.answered_by = actor.id
    objection.answered_at = utcnow()
    objection.figure_changes = [
        {"field": f"{c.what}:{c.parcel_no}:{c.lease_id or ''}:{c.field}", "before": c.before, "after": c.after}
        for c in done
    ]
    session.flush()
    audit.record(
        session, actor, "objection.accept", "objection", objection.id, before=before, after=_snapshot(objection)
    )
    return _read(session, objection.id)
