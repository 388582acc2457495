"""数据归集 (department submissions): rounds, the departments' uploads and pushes, the board, reminders, tokens.

A year's round (归集轮次) lists what each department (报送部门) owes and by when. A department's account (or its
API token) submits its own files: they go through the imports feature's preview (the same reader, the same
hostile-file guards) as a batch marked with the department, and a file carrying a column another department owns
is refused with the columns named. Nothing enters the store until the analyst confirms the batch (the imports
feature's ``confirm_import``). This service decides each department's state (confirmed, with problems, received,
late, due), who may remind and confirm, and what a department may see: its own rounds and submissions, nothing
else.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from zonehero.clock import today, utcnow
from zonehero.config import Settings
from zonehero.core.domain.departments import default_departments, field_problems, foreign_columns
from zonehero.core.domain.fields import FIELDS_BY_KEY
from zonehero.core.domain.labels import import_status_label
from zonehero.core.ingest import SourceInfo
from zonehero.core.ingest.sources import department_for
from zonehero.errors import Conflict, InputError, InputProblem, NotFound, Unauthenticated
from zonehero.features.audit import service as audit
from zonehero.features.collection import repository
from zonehero.features.collection.models import (
    CollectionDepartment,
    CollectionExpectation,
    CollectionRound,
    CollectionSubmission,
    CollectionToken,
)
from zonehero.features.collection.schemas import (
    Board,
    BoardCounts,
    BoardRow,
    DepartmentRead,
    Desk,
    DeskRound,
    DueRead,
    ExpectationState,
    NewToken,
    RoundView,
    SubmissionRead,
    SubmissionReceipt,
    TokenRead,
)
from zonehero.features.imports import service as imports
from zonehero.features.imports.schemas import ImportPreview
from zonehero.features.imports.storage import UploadedFile
from zonehero.features.roles import Actor, Role, require_department, require_editor, require_staff
from zonehero.features.users.passwords import hash_password, verify_password

DEADLINE_MONTH_DAY = (3, 15)
"""The default deadline of a round for year Y: 15 March of Y+1 (the year's figures are final by then)."""
TOKEN_PREFIX_BYTES = 6
TOKEN_SECRET_BYTES = 24
CHANNEL_LABELS = {"upload": "网页上传", "api": "接口推送"}


def _labels(fields: Sequence[str]) -> list[str]:
    return [FIELDS_BY_KEY[k].label if k in FIELDS_BY_KEY else k for k in fields]


def _department_read(d: CollectionDepartment) -> DepartmentRead:
    return DepartmentRead(id=d.id, name=d.name, fields=list(d.fields), field_labels=_labels(d.fields), active=d.active)


# -- departments (报送部门) ----------------------------------------------------------------------------


def ensure_departments(session: Session) -> None:
    """Seed the default departments when the list is empty (the migration seeds them too; a store built from the
    models, as some tests do, needs it here)."""
    if repository.departments(session):
        return
    for i, d in enumerate(default_departments()):
        repository.add(session, CollectionDepartment(name=d.name, fields=list(d.fields), position=i, active=True))


def list_departments(session: Session, actor: Actor) -> list[DepartmentRead]:
    """Every department with its fields (staff)."""
    require_staff(actor)
    return [_department_read(d) for d in repository.departments(session)]


def department_names(session: Session) -> list[str]:
    """The active departments' names: what a department account may be tied to (the account form offers them).
    Names only, no business data, so any caller may have them."""
    return [d.name for d in repository.departments(session, active_only=True)]


def save_department(
    session: Session,
    actor: Actor,
    *,
    name: str | None,
    fields: Sequence[str],
    active: bool = True,
    department_id: int | None = None,
) -> DepartmentRead:
    """Add a department or change one's fields and whether it is asked in new rounds (the analyst). A round
    already opened keeps its copy; a department's name stays once made (accounts and rounds refer to it)."""
    require_editor(actor)
    name = (name or "").strip()
    keys = list(dict.fromkeys(k.strip() for k in fields if k.strip()))
    problems = [InputProblem(p, column="fields") for p in field_problems(keys)]
    if department_id is None and (not name or len(name) > 32):
        problems.append(InputProblem("部门名称须为 1-32 个字符", column="name"))
    if problems:
        raise InputError(problems)
    if department_id is None:
        if repository.department_named(session, name) is not None:
            raise Conflict(f"部门「{name}」已存在")
        position = len(repository.departments(session))
        row = repository.add(session, CollectionDepartment(name=name, fields=keys, position=position, active=active))
        audit.record(
            session,
            actor,
            "collection.department_add",
            "collection_department",
            row.id,
            after={"name": name, "fields": keys},
        )
        return _department_read(row)
    row_or_none = repository.department(session, department_id)
    if row_or_none is None:
        raise NotFound(f"部门 #{department_id} 不存在")
    row = row_or_none
    before = {"fields": list(row.fields), "active": row.active}
    row.fields = keys
    row.active = active
    row.updated_at = utcnow()
    session.flush()
    audit.record(
        session,
        actor,
        "collection.department_edit",
        "collection_department",
        row.id,
        before=before,
        after={"fields": keys, "active": active},
    )
    return _department_read(row)


# -- rounds (归集轮次) -------------------------------------------------------------------------------------


def newest_year(session: Session) -> int | None:
    """The newest round's year (the board's default), None before any round."""
    found = repository.rounds(session)
    return found[0].year if found else None


def default_deadline(year: int) -> date:
    return date(year + 1, *DEADLINE_MONTH_DAY)


def open_round(session: Session, actor: Actor, year: int, *, deadline: date | None = None) -> Board:
    """Open the round of ``year``: every active department owes its fields by ``deadline`` (default
    :func:`default_deadline`). One round per year."""
    require_editor(actor)
    if not 2000 <= year <= 2100:
        raise InputError(InputProblem("年度应在 2000 到 2100 之间", column="year"))
    if repository.round_of(session, year) is not None:
        raise Conflict(f"{year} 年度的归集轮次已开启")
    ensure_departments(session)
    due = deadline or default_deadline(year)
    round_ = repository.add(session, CollectionRound(year=year, created_by=actor.id, created_at=utcnow()))
    names = []
    for d in repository.departments(session, active_only=True):
        repository.add(
            session, CollectionExpectation(round_id=round_.id, department=d.name, fields=list(d.fields), deadline=due)
        )
        names.append(d.name)
    audit.record(
        session,
        actor,
        "collection.open",
        "collection_round",
        round_.id,
        after={"year": year, "deadline": due.isoformat(), "departments": names},
    )
    return board(session, actor, year)


def _round(session: Session, year: int) -> CollectionRound:
    found = repository.round_of(session, year)
    if found is None:
        raise NotFound(f"{year} 年度尚未开启数据归集")
    return found


def _expectation(
    session: Session, expectation_id: int, *, year: int | None = None, for_update: bool = False
) -> CollectionExpectation:
    """The expectation, NotFound when missing or (``year`` given) of another year's round."""
    found = repository.expectation(session, expectation_id, for_update=for_update)
    if found is None or (year is not None and repository.round_year(session, found.round_id) != year):
        raise NotFound(f"归集事项 #{expectation_id} 不存在")
    return found


def set_deadline(
    session: Session, actor: Actor, expectation_id: int, deadline: date, *, year: int | None = None
) -> None:
    """Move one department's deadline (the analyst); audited. ``year``: the round it must belong to."""
    require_editor(actor)
    row = _expectation(session, expectation_id, year=year, for_update=True)
    before = {"department": row.department, "deadline": row.deadline.isoformat()}
    row.deadline = deadline
    session.flush()
    audit.record(
        session,
        actor,
        "collection.deadline",
        "collection_expectation",
        row.id,
        before=before,
        after={"department": row.department, "deadline": deadline.isoformat()},
    )


# -- states ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Seen:
    submission: CollectionSubmission
    preview: ImportPreview


def _submission_read(seen: _Seen) -> SubmissionRead:
    s, p = seen.submission, seen.preview
    return SubmissionRead(
        batch_id=s.batch_id,
        channel=s.channel,
        channel_label=CHANNEL_LABELS.get(s.channel, s.channel),
        submitted_by=s.submitted_by,
        created_at=s.created_at,
        status=p.status,
        status_label=import_status_label(p.status),
        files=p.files,
        problem_count=len(p.problems),
        enterprise_count=p.enterprise_count,
    )


def _state(row: CollectionExpectation, seen: Sequence[_Seen], day: date) -> ExpectationState:
    """The one rule of a department's state: confirmed once any batch was confirmed; else the newest live
    submission decides (with problems, or received); with nothing live, late after the deadline, else due."""
    live = [s for s in seen if s.preview.status != "discarded"]
    if any(s.preview.status == "confirmed" for s in live):
        return ExpectationState.CONFIRMED
    if live:
        return ExpectationState.PROBLEMS if live[-1].preview.status == "invalid" else ExpectationState.RECEIVED
    return ExpectationState.LATE if day > row.deadline else ExpectationState.DUE


def _seen(session: Session, actor: Actor, rows: Sequence[CollectionExpectation]) -> dict[int, list[_Seen]]:
    found: dict[int, list[_Seen]] = {r.id: [] for r in rows}
    for s in repository.submissions(session, [r.id for r in rows]):
        found[s.expectation_id].append(_Seen(s, imports.get_preview(session, actor, s.batch_id)))
    return found


def _board_row(row: CollectionExpectation, seen: Sequence[_Seen], day: date, may_edit: bool) -> BoardRow:
    state = _state(row, seen, day)
    live = [s for s in seen if s.preview.status != "discarded"]
    first = live[0].submission if live else None
    waiting = [s for s in live if s.preview.status == "preview"]
    return BoardRow(
        expectation_id=row.id,
        department=row.department,
        field_labels=_labels(row.fields),
        deadline=row.deadline,
        state=state,
        state_label=state.label,
        tone=state.tone,
        received_at=first.created_at if first else None,
        received_by=first.submitted_by if first else None,
        reminded_at=row.reminded_at,
        submissions=[_submission_read(s) for s in seen],
        confirmable_batch=waiting[-1].submission.batch_id
        if may_edit and waiting and state != ExpectationState.CONFIRMED
        else None,
        may_remind=may_edit and state in (ExpectationState.DUE, ExpectationState.LATE, ExpectationState.PROBLEMS),
    )


def board(session: Session, actor: Actor, year: int, *, on: date | None = None) -> Board:
    """The board of ``year`` (staff): per department expected, received (when, by whom), late, with problems,
    confirmed, and the counts; the analyst may remind and confirm. A year without a round is an empty board the
    analyst may open."""
    require_staff(actor)
    day = on or today()
    years = [r.year for r in repository.rounds(session)]
    round_ = repository.round_of(session, year)
    rows: list[BoardRow] = []
    if round_ is not None:
        expected = repository.expectations(session, round_.id)
        seen = _seen(session, actor, expected)
        rows = [_board_row(r, seen[r.id], day, actor.can_edit) for r in expected]
    states = [r.state for r in rows]
    counts = BoardCounts(
        expected=len(rows),
        received=sum(1 for r in rows if r.received_at is not None),
        late=states.count(ExpectationState.LATE),
        problems=states.count(ExpectationState.PROBLEMS),
        confirmed=states.count(ExpectationState.CONFIRMED),
    )
    return Board(
        year=year, opened=round_ is not None, rows=rows, counts=counts, may_edit=actor.can_edit, years=years, as_of=day
    )


def round_view(session: Session, actor: Actor, year: int) -> RoundView:
    """The round page (the analyst): deadlines and the departments' tokens."""
    require_editor(actor)
    shown = board(session, actor, year)
    if not shown.opened:
        raise NotFound(f"{year} 年度尚未开启数据归集")
    return RoundView(
        year=year,
        rows=shown.rows,
        tokens=[_token_read(t) for t in repository.tokens(session)],
        departments=[r.department for r in shown.rows],
    )


def remind(
    session: Session, actor: Actor, expectation_id: int, *, year: int | None = None, on: date | None = None
) -> BoardRow:
    """催办: the department's accounts get an urgent to-do until its file arrives (the analyst); audited. Only a
    department that has not delivered a usable file may be reminded. ``year``: the round it must belong to."""
    require_editor(actor)
    row = _expectation(session, expectation_id, year=year, for_update=True)
    seen = _seen(session, actor, [row])[row.id]
    day = on or today()
    if not _board_row(row, seen, day, True).may_remind:
        raise Conflict(f"{row.department}已报送，无需催办")
    before = {"reminded_at": row.reminded_at.isoformat() if row.reminded_at else None}
    row.reminded_at = utcnow()
    row.reminded_by = actor.id
    session.flush()
    audit.record(
        session,
        actor,
        "collection.remind",
        "collection_expectation",
        row.id,
        before=before,
        after={"department": row.department, "reminded_at": row.reminded_at.isoformat()},
    )
    return _board_row(row, seen, day, True)


# -- submissions ------------------------------------------------------------------------------------------


def _owned(rows: Sequence[CollectionExpectation]) -> Mapping[str, Sequence[str]]:
    return {r.department: list(r.fields) for r in rows}


def _named_for(department: str, files: Sequence[UploadedFile]) -> list[UploadedFile]:
    """Each file's name carrying the department, so the lineage of every figure says where it came from (the
    reader tells a file's department by its name)."""
    return [
        f if department_for(f.name) == department else UploadedFile(name=f"{department}_{f.name}", data=f.data)
        for f in files
    ]


def submit(
    session: Session,
    actor: Actor,
    year: int,
    files: Sequence[UploadedFile],
    *,
    settings: Settings,
    channel: str = "upload",
    token_id: int | None = None,
) -> SubmissionReceipt:
    """A department's files for the round of ``year``: read into a preview batch (nothing is stored as figures).
    Columns of another department are problems naming the columns and their owners; the batch is then kept as
    invalid so the department sees why. Refused (NotFound) when the year has no round or the round asks nothing
    of this department."""
    department = require_department(actor)
    round_ = _round(session, year)
    rows = repository.expectations(session, round_.id)
    mine = next((r for r in rows if r.department == department), None)
    if mine is None:
        raise NotFound(f"{year} 年度的归集轮次没有要求{department}报送")
    owned = _owned(rows)

    def check(info: SourceInfo) -> list[InputProblem]:
        columns = {c.header: c.field for c in info.columns}
        return [
            InputProblem(f.message(department), file=info.file, sheet=info.sheet, row=info.header_row, column=f.header)
            for f in foreign_columns(department, columns, owned)
        ]

    preview = imports.preview_submission(
        session, actor, _named_for(department, files), settings=settings, year=year, column_check=check
    )
    submission = repository.add(
        session,
        CollectionSubmission(
            expectation_id=mine.id,
            batch_id=preview.batch_id,
            channel=channel,
            submitted_by=actor.username[:64],
            user_id=actor.id,
            token_id=token_id,
            created_at=utcnow(),
        ),
    )
    audit.record(
        session,
        actor,
        "collection.submit",
        "collection_submission",
        submission.id,
        after={
            "year": year,
            "department": department,
            "batch_id": preview.batch_id,
            "status": preview.status,
            "channel": channel,
        },
    )
    return SubmissionReceipt(
        batch_id=preview.batch_id,
        year=year,
        department=department,
        status=preview.status,
        files=preview.files,
        enterprise_count=preview.enterprise_count,
        problems=[str(_as_problem(p)) for p in preview.problems],
    )


def _as_problem(p: object) -> InputProblem:
    return InputProblem(
        getattr(p, "message", ""),
        file=getattr(p, "file", None),
        sheet=getattr(p, "sheet", None),
        row=getattr(p, "row", None),
        column=getattr(p, "column", None),
    )


def desk(session: Session, actor: Actor, *, on: date | None = None) -> Desk:
    """A department's own page: every round that asks something of it, with its own submissions only."""
    department = require_department(actor)
    day = on or today()
    found = repository.expectations_of_department(session, department)
    seen = _seen(session, actor, [e for e, _ in found])
    rounds = []
    for row, year in found:
        state = _state(row, seen[row.id], day)
        rounds.append(
            DeskRound(
                year=year,
                deadline=row.deadline,
                field_labels=_labels(row.fields),
                state=state,
                state_label=state.label,
                tone=state.tone,
                reminded_at=row.reminded_at,
                submissions=[_submission_read(s) for s in seen[row.id]],
            )
        )
    return Desk(department=department, rounds=rounds)


def own_submission(session: Session, actor: Actor, batch_id: int) -> ImportPreview:
    """A department's own submission's preview (problems, files read); another's is NotFound to it."""
    require_department(actor)
    return imports.get_preview(session, actor, batch_id)


def due_for(session: Session, actor: Actor, *, on: date | None = None) -> list[DueRead]:
    """What a department still owes (its to-do list): rounds with nothing usable received, newest first."""
    department = require_department(actor)
    day = on or today()
    found = repository.expectations_of_department(session, department)
    seen = _seen(session, actor, [e for e, _ in found])
    owed = []
    for row, year in found:
        state = _state(row, seen[row.id], day)
        if state not in (ExpectationState.DUE, ExpectationState.LATE, ExpectationState.PROBLEMS):
            continue
        live = [s for s in seen[row.id] if s.preview.status != "discarded"]
        owed.append(
            DueRead(
                year=year,
                deadline=row.deadline,
                state=state,
                days_late=max(0, (day - row.deadline).days),
                reminded_at=row.reminded_at,
                field_labels=_labels(row.fields),
                problem_batch=live[-1].submission.batch_id if state == ExpectationState.PROBLEMS else None,
            )
        )
    return owed


def late_count(session: Session, actor: Actor, *, on: date | None = None) -> list[tuple[int, int]]:
    """(year, departments late) for every round with a late department (the analyst's to-do)."""
    require_editor(actor)
    day = on or today()
    late = []
    for round_ in repository.rounds(session):
        rows = repository.expectations(session, round_.id)
        if all(r.deadline >= day for r in rows):
            continue
        seen = _seen(session, actor, rows)
        n = sum(1 for r in rows if _state(r, seen[r.id], day) == ExpectationState.LATE)
        if n:
            late.append((round_.year, n))
    return late


# -- tokens (接口令牌) ----------------------------------------------------------------------------------------


def _token_read(t: CollectionToken) -> TokenRead:
    return TokenRead(
        id=t.id,
        department=t.department,
        prefix=t.prefix,
        created_at=t.created_at,
        last_used_at=t.last_used_at,
        revoked_at=t.revoked_at,
        active=t.revoked_at is None,
    )


def create_token(session: Session, actor: Actor, department: str) -> NewToken:
    """A new API token for ``department`` (the analyst): shown once, stored as an argon2 hash; audited."""
    require_editor(actor)
    if repository.department_named(session, department) is None:
        raise NotFound(f"部门「{department}」不存在")
    prefix = secrets.token_hex(TOKEN_PREFIX_BYTES)
    secret = secrets.token_urlsafe(TOKEN_SECRET_BYTES)
    row = repository.add(
        session,
        CollectionToken(
            department=department,
            prefix=prefix,
            token_hash=hash_password(secret),
            created_by=actor.id,
            created_at=utcnow(),
        ),
    )
    audit.record(
        session,
        actor,
        "collection.token_create",
        "collection_token",
        row.id,
        after={"department": department, "prefix": prefix},
    )
    return NewToken(token=f"zh_{prefix}_{secret}", read=_token_read(row))


def revoke_token(session: Session, actor: Actor, token_id: int) -> TokenRead:
    """Revoke a token at once (the analyst); audited."""
    require_editor(actor)
    row = repository.token(session, token_id)
    if row is None:
        raise NotFound(f"接口令牌 #{token_id} 不存在")
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        session.flush()
        audit.record(
            session,
            actor,
            "collection.token_revoke",
            "collection_token",
            row.id,
            after={"department": row.department, "prefix": row.prefix},
        )
    return _token_read(row)


BAD_TOKEN = "接口令牌无效或已吊销"


def token_actor(session: Session, token: str) -> tuple[Actor, int]:
    """The department a bearer token speaks for, as an Actor (no account: ``id`` None), and the token's id;
    Unauthenticated for a malformed, unknown or revoked token."""
    parts = token.strip().split("_", 2)
    if len(parts) != 3 or parts[0] != "zh" or not parts[1] or not parts[2]:
        raise Unauthenticated(BAD_TOKEN)
    row = repository.token_by_prefix(session, parts[1])
    if row is None or row.revoked_at is not None or not verify_password(row.token_hash, parts[2]):
        raise Unauthenticated(BAD_TOKEN)
    row.last_used_at = utcnow()
    session.flush()
    actor = Actor(id=None, username=f"接口令牌 {row.prefix}", role=Role.DEPARTMENT, department=row.department)
    return actor, row.id
