"""文书下载 (documents): the annual report, result notices, 公示 list and monthly briefing of stored data.

Each route calls one function of :mod:`zonehero.features.documents.service` (which
checks who may have the document) and sends its bytes as an attachment with
the Chinese file name (RFC 5987 ``filename*``) and an ASCII fallback.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from zonehero.edges.web.deps import CurrentUser, SessionDep
from zonehero.edges.web.paging import MAX_ID
from zonehero.features.documents import service as documents
from zonehero.features.documents.files import Document

router = APIRouter(include_in_schema=False)

RunId = Annotated[int, Path(ge=1, le=MAX_ID)]


def attachment(document: Document, fallback: str) -> Response:
    """``document`` as a download: Content-Type from its suffix, the Chinese name for browsers that read it."""
    disposition = f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(document.filename)}"
    return Response(document.content, media_type=document.media_type, headers={"Content-Disposition": disposition})


@router.get("/runs/{run_id}/report.pdf", name="document_annual_pdf")
def annual_pdf(session: SessionDep, actor: CurrentUser, run_id: RunId) -> Response:
    """年度评价报告 (PDF) of a run, compared with last year's final run."""
    return attachment(documents.annual_report(session, actor, run_id, "pdf"), f"report-{run_id}.pdf")


@router.get("/runs/{run_id}/report.xlsx", name="document_annual_xlsx")
def annual_xlsx(session: SessionDep, actor: CurrentUser, run_id: RunId) -> Response:
    """The annual report's figures as a workbook."""
    return attachment(documents.annual_report(session, actor, run_id, "xlsx"), f"report-{run_id}.xlsx")


@router.get("/runs/{run_id}/notices.zip", name="document_notices_zip")
def notices(
    session: SessionDep,
    actor: CurrentUser,
    run_id: RunId,
    lift: Annotated[bool, Query(description="附提升路径（较慢）")] = True,
) -> Response:
    """Every enterprise's 评价结果告知书 of a run in one zip."""
    document = documents.notices_zip(session, actor, run_id, lift=lift)
    return attachment(document, f"notices-{run_id}.zip")


@router.get("/runs/{run_id}/notices/{uscc}.pdf", name="document_notice")
def notice(session: SessionDep, actor: CurrentUser, run_id: RunId, uscc: str) -> Response:
    """One enterprise's 评价结果告知书 (its own account may download it once the run is published)."""
    document = documents.result_notice(session, actor, run_id, uscc.strip().upper())
    return attachment(document, f"notice-{run_id}-{quote(uscc.strip().upper(), safe='')}.pdf")


@router.get("/runs/{run_id}/public-list.pdf", name="document_public_list_pdf")
def public_list_pdf(session: SessionDep, actor: CurrentUser, run_id: RunId) -> Response:
    """公示名单 (PDF) of a run in 公示 or final."""
    return attachment(documents.public_list(session, actor, run_id, "pdf"), f"public-list-{run_id}.pdf")


@router.get("/runs/{run_id}/public-list.xlsx", name="document_public_list_xlsx")
def public_list_xlsx(session: SessionDep, actor: CurrentUser, run_id: RunId) -> Response:
    """公示名单 as a workbook."""
    document = documents.public_list(session, actor, run_id, "xlsx")
    return attachment(document, f"public-list-{run_id}.xlsx")


@router.get("/projects/briefing/{year}/{month}.pdf", name="document_briefing_pdf")
def briefing_pdf(session: SessionDep, actor: CurrentUser, year: int, month: int) -> Response:
    """调度简报 (PDF) of a closed month."""
    document = documents.briefing(session, actor, year, month, "pdf")
    return attachment(document, f"briefing-{year}-{month:02d}.pdf")


@router.get("/projects/briefing/{year}/{month}.xlsx", name="document_briefing_xlsx")
def briefing_xlsx(session: SessionDep, actor: CurrentUser, year: int, month: int) -> Response:
    """调度表 (xlsx) of a closed month."""
    document = documents.briefing(session, actor, year, month, "xlsx")
    return attachment(document, f"briefing-{year}-{month:02d}.xlsx")


Year = Annotated[int, Path(ge=2000, le=2100)]
Month = Annotated[int, Path(ge=1, le=12)]


@router.get("/investment/briefing/{year}/{month}.pdf", name="document_investment_briefing_pdf")
def investment_briefing_pdf(session: SessionDep, actor: CurrentUser, year: Year, month: Month) -> Response:
    """招商月报 (PDF) of a month: leaders and the 招商局."""
    document = documents.investment_briefing(session, actor, year, month, "pdf")
    return attachment(document, f"investment-briefing-{year}-{month:02d}.pdf")


@router.get("/investment/briefing/{year}/{month}.xlsx", name="document_investment_briefing_xlsx")
def investment_briefing_xlsx(session: SessionDep, actor: CurrentUser, year: Year, month: Month) -> Response:
    """招商月报 as a workbook."""
    document = documents.investment_briefing(session, actor, year, month, "xlsx")
    return attachment(document, f"investment-briefing-{year}-{month:02d}.xlsx")
