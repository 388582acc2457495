"""The documents of a stored run or closed month: annual report, result notices, 公示 list, scheduling briefing.

Who may have what: staff (analyst, leader) every document of any
run; an enterprise account only its own result notice, and only of a run in
公示 or final (anything else answers NotFound, so USCCs and drafts cannot be
probed). The 公示 list exists only for runs in 公示 or final. The briefing of
a closed month goes to whoever may read the zone's closed reports.

Every run document is made from the run reproduced and proven equal to what
was stored (:mod:`zonehero.features.documents.sources`); a run whose figures were
corrected afterwards answers Conflict instead of printing other numbers.
Dates: a published run's documents are dated on its 公示 start (the objection
deadline is the end of its 公示), a final run's report on the day it was
made final, a draft's documents today; a briefing on the day its month was
closed.

The zone's name and 公示 rule come from the zone profile in the store (:mod:`zonehero.features.zone`), the same
for the pages, the command line and a job. A command line saves a document with :func:`save`.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from zonehero.clock import local_date, today
from zonehero.core.zone import NoticePeriod, ZoneProfile
from zonehero.db.session import session_factory, unit_of_work
from zonehero.errors import Conflict, InputError, InputProblem
from zonehero.features.audit import service as audit
from zonehero.features.cockpit import zone_map
from zonehero.features.confirmation import service as confirmation
from zonehero.features.documents import sources
from zonehero.features.documents.files import Document, safe_name
from zonehero.features.investment import figures as investment_figures
from zonehero.features.projects import months
from zonehero.features.roles import Actor, require_staff
from zonehero.features.runs import service as runs
from zonehero.features.runs.schemas import RunRead
from zonehero.features.zone import service as zone
from zonehero.reports.annual_xlsx import write_annual_xlsx
from zonehero.reports.atomic import atomic_path
from zonehero.reports.briefing_xlsx import write_briefing_xlsx
from zonehero.reports.investment_xlsx import write_investment_briefing_xlsx
from zonehero.reports.pdf.annual import annual_report_pdf
from zonehero.reports.pdf.briefing import briefing_pdf
from zonehero.reports.pdf.investment import investment_briefing_pdf
from zonehero.reports.pdf.notice import notice_pdf
from zonehero.reports.pdf.notice import notices_zip as write_notices_zip
from zonehero.reports.pdf.publiclist import public_list_pdf
from zonehero.reports.pdf.styles import Letterhead
from zonehero.reports.public_list import PublicPeriod
from zonehero.reports.publiclist_xlsx import write_public_list_xlsx

FORMATS: tuple[str, ...] = ("pdf", "xlsx")
Progress = Callable[[int, int], None]


def save(document: Document, out: Path) -> None:
    """Write ``document`` to ``out`` atomically (for the command line)."""
    with atomic_path(out) as tmp:
        tmp.write_bytes(document.content)


def _format(fmt: str) -> str:
    value = fmt.lower().lstrip(".")
    if value not in FORMATS:
        raise InputError(InputProblem(f"不支持的格式「{fmt}」，请选择 PDF 或 Excel（xlsx）", column="format"))
    return value


def _issued_on(run: RunRead) -> date:
    if run.status == "final" and run.finalized_at is not None:
        return local_date(run.finalized_at) or today()  # the zone's date of 定稿, not the UTC one
    if run.status == "notice" and run.notice_start is not None:
        return run.notice_start
    return today()


def _run_label(run: RunRead) -> str:
    return f"{run.year}年度" + ("" if run.status == "final" else f"（批次{run.id}）")


def annual_report(session: Session, actor: Actor, run_id: int, fmt: str) -> Document:
    """The annual evaluation report (年度评价报告) of a run, against last year's final run, as PDF or xlsx (staff);
    the PDF ends with the run's 亩均一张图 (or says in one line why it has none)."""
    require_staff(actor)
    kind = _format(fmt)
    reproduced = sources.reproduce(session, actor, run_id)
    run, result = reproduced.run, reproduced.result
    previous = sources.previous_year_run(session, actor, run.year)
    head = Letterhead(zone=zone.get_profile(session).name, issued_on=_issued_on(run))
    name = f"{_run_label(run)}企业亩均效益综合评价报告.{kind}"
    if kind == "pdf":
        sheet = zone_map.report_sheet(session, actor, run)
        content = annual_report_pdf(result, previous=previous, letterhead=head, zone_map=sheet)
    else:
        buffer = io.BytesIO()
        write_annual_xlsx(result, buffer, previous=previous, letterhead=head)
        content = buffer.getvalue()
    _audit_run_document(session, actor, run, "annual_report", kind, result.enterprises.height)
    return Document(name, content)


def _audit_run_document(session: Session, actor: Actor, run: RunRead, document: str, fmt: str, count: int) -> None:
    """Who took which document of which run, covering how many enterprises (an audited bulk read)."""
    audit.record_read(
        session,
        actor,
        "document.download",
        "evaluation_run",
        run.id,
        document=document,
        format=fmt,
        year=run.year,
        run_id=run.id,
        enterprises=count,
    )


def _notice_terms(run: RunRead, profile: ZoneProfile) -> NoticePeriod:
    """The objection period a notice states: a published run's own 公示, else one starting today (the zone's rule)."""
    if run.is_published and run.notice_start is not None and run.notice_end is not None:
        return profile.period_of(run.notice_start, run.notice_end)
    return profile.notice(today())


def result_notice(
    session: Session,
    actor: Actor,
    run_id: int,
    uscc: str,
) -> Document:
    """One enterprise's result notice (评价结果告知书) PDF, with its figures and their sources.

    Staff: any enterprise of any run. An enterprise account: its own, of a
    run in 公示 or final; NotFound otherwise. A published run's notice runs to the end of its 公示; a draft's
    states the zone's period from today.
    """
    own = runs.get_result(session, actor, run_id, uscc)  # NotFound: another enterprise, a hidden draft, not in run
    reproduced = sources.reproduce(session, actor, run_id, [own])
    run, result = reproduced.run, reproduced.result
    profile = zone.get_profile(session)
    period = _notice_terms(run, profile)
    head = Letterhead(zone=profile.name, issued_on=period.start)
    lineage = sources.lineage(session, actor, [uscc], run.id)
    content = notice_pdf(
        result,
        uscc,
        lineage=lineage,
        letterhead=head,
        period=period,
        lifts=sources.lifts(session, actor, run.id),
        confirmations=confirmation.notice_lines(session, run.id, [uscc]),
    )
    name = safe_name(f"{run.year}年度评价结果告知书_{uscc}_{own.name or ''}".rstrip("_"))
    audit.record_read(
        session,
        actor,
        "document.download",
        "enterprise",
        uscc,
        document="result_notice",
        format="pdf",
        year=run.year,
        run_id=run.id,
        enterprises=1,
    )
    return Document(f"{name}.pdf", content)


def notices_zip(
    session: Session,
    actor: Actor,
    run_id: int,
    *,
    lift: bool = True,
    progress: Progress | None = None,
) -> Document:
    """Every enterprise's notice of a run as one zip of ``<uscc>_<name>.pdf`` (staff).

    ``progress(done, total)`` is called after each notice; ``lift=False``
    leaves out what would lift each enterprise a class (much faster).
    """
    buffer = io.BytesIO()
    name = write_notices(session, actor, run_id, buffer, lift=lift, progress=progress)
    return Document(name, buffer.getvalue())


def keep_lifts(session: Session, actor: Actor, run_id: int) -> None:
    """Compute and keep the run's 升类路径 in a transaction of its own (staff), so that notice parts on other workers
    read them instead of each computing the whole run again; the caller's transaction stays free of the write."""
    require_staff(actor)
    bind = session.get_bind()
    engine = bind if isinstance(bind, Engine) else bind.engine
    with unit_of_work(session_factory(engine)) as own:
        sources.lifts(own, actor, run_id)


def write_notices(
    session: Session,
    actor: Actor,
    run_id: int,
    out: Path | BinaryIO,
    *,
    lift: bool = True,
    progress: Progress | None = None,
    part: range | None = None,
) -> str:
    """:func:`notices_zip` written notice by notice into ``out`` (a file for a job: a zone's zip does not fit
    in memory); the zip's name is returned.

    ``part``: only the enterprises at these positions of the zip's order (by USCC), for a batch made in parts by
    several job workers. A part is not audited: the batch put together is, once (:func:`audit_notices`).
    """
    require_staff(actor)
    rows = None
    if part is not None:  # the part's stored rows (the zip's order is by USCC), a page of at most 1,000 at a time
        rows = []
        for start in range(part.start, part.stop, 1000):
            size = min(1000, part.stop - start)
            rows += runs.list_results(session, actor, run_id, order="uscc", limit=size, offset=start).items
    reproduced = sources.reproduce(session, actor, run_id, rows)
    run, result = reproduced.run, reproduced.result
    profile = zone.get_profile(session)
    period = _notice_terms(run, profile)
    head = Letterhead(zone=profile.name, issued_on=period.start)
    lineage = sources.lineage(session, actor, result.enterprises["uscc"].to_list(), run.id)  # whole: as in one zip
    kept = sources.lifts(session, actor, run.id) if lift else None
    write_notices_zip(
        result,
        out,
        lineage=lineage,
        letterhead=head,
        period=period,
        progress=progress,
        lift=lift,
        lifts=kept,
        part=part,
        confirmations=confirmation.notice_lines(session, run.id, result.enterprises["uscc"].to_list()),
    )
    if part is None:
        _audit_run_document(session, actor, run, "notices_zip", "zip", result.enterprises.height)
    return f"{_run_label(run)}评价结果告知书.zip"


def audit_notices(session: Session, actor: Actor, run_id: int, enterprises: int) -> None:
    """Record that ``actor`` took the notices of ``enterprises`` enterprises of a run, made in parts."""
    require_staff(actor)
    _audit_run_document(session, actor, runs.get_run(session, actor, run_id), "notices_zip", "zip", enterprises)


def public_list(session: Session, actor: Actor, run_id: int, fmt: str) -> Document:
    """The 公示 list of a run in 公示 or final, as PDF or xlsx (staff), with the run's own 公示 period.

    Conflict for a draft: a list is published only with the run.
    """
    require_staff(actor)
    kind = _format(fmt)
    run = runs.get_run(session, actor, run_id)
    if not run.is_published or run.notice_start is None or run.notice_end is None:
        raise Conflict("公示名单只能由公示中或已定稿的评价批次生成，请先发布公示")
    result = sources.reproduce(session, actor, run_id).result
    profile = zone.get_profile(session)
    head = Letterhead(zone=profile.name, issued_on=run.notice_start)
    period = PublicPeriod(notice=profile.period_of(run.notice_start, run.notice_end), contact=head.signer)
    name = f"{_run_label(run)}企业亩均效益综合评价结果公示名单.{kind}"
    if kind == "pdf":
        content = public_list_pdf(result, period=period, letterhead=head)
    else:
        buffer = io.BytesIO()
        write_public_list_xlsx(result, buffer, period=period, letterhead=head)
        content = buffer.getvalue()
    _audit_run_document(session, actor, run, "public_list", kind, result.enterprises.height)
    return Document(name, content)


def briefing(session: Session, actor: Actor, year: int, month: int, fmt: str) -> Document:
    """The monthly scheduling briefing (调度简报) of a closed month: PDF, or the scheduling table as xlsx.

    Made from the month's frozen snapshot (checked equal to the stored report
    by the projects service); NotFound for a month not closed.
    """
    kind = _format(fmt)
    closed = months.closed_report(session, actor, year, month)
    head = Letterhead(zone=zone.get_profile(session).name, issued_on=closed.closed_on)
    if kind == "pdf":
        document = Document(
            f"{year}年{month}月“四个一批”项目调度简报.pdf",
            briefing_pdf(closed.report, projects=closed.projects, letterhead=head),
        )
    else:
        buffer = io.BytesIO()
        write_briefing_xlsx(closed.report, buffer, projects=closed.projects, letterhead=head)
        document = Document(f"{year}年{month}月“四个一批”项目调度表.xlsx", buffer.getvalue())
    audit.record_read(
        session,
        actor,
        "document.download",
        "schedule_month",
        f"{year}-{month:02d}",
        document="briefing",
        format=kind,
        year=year,
        month=month,
        projects=len(closed.projects),
    )
    return document


def investment_briefing(session: Session, actor: Actor, year: int, month: int, fmt: str) -> Document:
    """The monthly 招商 briefing (招商月报) of a month, PDF or workbook, for leaders and the 招商局.

    Made from the stored leads as of the month's last day (today for the month in progress); it lists leads and
    investors, so each download is logged as a read like the other briefings."""
    kind = _format(fmt)
    data = investment_figures.briefing(session, actor, year, month, today())
    head = Letterhead(zone=zone.get_profile(session).name, issued_on=data.as_of)
    if kind == "pdf":
        document = Document(f"{year}年{month}月招商引资工作月报.pdf", investment_briefing_pdf(data, letterhead=head))
    else:
        buffer = io.BytesIO()
        write_investment_briefing_xlsx(data, buffer, letterhead=head)
        document = Document(f"{year}年{month}月招商引资工作月报.xlsx", buffer.getvalue())
    audit.record_read(
        session,
        actor,
        "document.download",
        "investment_month",
        f"{year}-{month:02d}",
        document="investment_briefing",
        format=kind,
        year=year,
        month=month,
        as_of=data.as_of.isoformat(),
        new_leads=len(data.new_leads),
        signings=len(data.signings),
    )
    return document


def notices_made(session: Session, run_id: int) -> bool:
    """Whether the result notices of a run were made as one batch (a zip, directly or by a job): what the log
    records of every notices batch (:func:`audit_notices` and :func:`write_notices`)."""
    return audit.was_recorded(session, "document.download", "evaluation_run", run_id, document="notices_zip")
