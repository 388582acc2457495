"""企业确认 (``/confirmations``): the board of a year for staff, an enterprise's own confirmation page, the dispute
page where the analyst accepts or rejects, and the evidence files.

Every rule (who may act, until when, what a state is) is the confirmation service's; the pages collect the form
and show what the service returns. An enterprise account reaches only its own enterprise (404 for any other).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, File, Form, Path, Query, Request, UploadFile
from fastapi.responses import FileResponse, RedirectResponse, Response

from zonehero.clock import today
from zonehero.edges.web.deps import CurrentUser, EditorUser, SessionDep, SettingsDep, StaffUser
from zonehero.edges.web.pages.enterprises import Uscc, proposed_values
from zonehero.edges.web.pages.evaluation import form_value
from zonehero.edges.web.paging import MAX_ID
from zonehero.edges.web.rendering import flash, render
from zonehero.edges.web.uploads import read_uploads
from zonehero.features.confirmation import service as confirmation
from zonehero.features.confirmation.schemas import STATE_LABELS
from zonehero.features.enterprises import service as enterprises
from zonehero.features.imports.evidence import ACCEPT, MAX_EVIDENCE_FILES, TYPES_LABEL

router = APIRouter(prefix="/confirmations", include_in_schema=False)

Year = Annotated[int, Path(ge=2000, le=2100)]
DisputeId = Annotated[int, Path(ge=1, le=MAX_ID)]
StateFilter = Annotated[str, Query(pattern=r"^(confirmed|deemed|disputed|resolved|pending)?$")]
UsccCursor = Annotated[str | None, Query(pattern=r"^[0-9A-Z]{18}$", description="翻页游标（上一页最后的信用代码）")]


def _default_year(session: SessionDep, actor: Any) -> int:
    """The newest year with a round, else the newest year with figures, else last year."""
    rounds = confirmation.list_rounds(session, actor)
    if rounds:
        return rounds[0].year
    years = enterprises.figure_years(session, actor)
    return max(years) if years else today().year - 1


@router.get("", name="confirmation_board")
def confirmation_board(
    request: Request,
    session: SessionDep,
    actor: StaffUser,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    state: StateFilter = "",
    after: UsccCursor = None,
) -> Response:
    """The year's board: confirmation rate and counts, the open disputes first, then the enterprises by state."""
    year = year or _default_year(session, actor)
    found = confirmation.board(session, actor, year, state=state or None, after=after)
    context = {
        "board": found,
        "year": year,
        "years": sorted({year, *enterprises.figure_years(session, actor)}, reverse=True),
        "state_labels": STATE_LABELS,
        "next_query": urlencode({"year": year, "state": state, "after": found.next_cursor or ""}),
        "first_query": urlencode({"year": year, "state": state}),
        "today": today(),
        "page_title": "企业确认",
    }
    return render(request, "confirmations/board.html", context)


@router.post("/rounds", name="confirmation_open")
def confirmation_open(
    request: Request,
    session: SessionDep,
    actor: EditorUser,
    year: Annotated[int, Form(ge=2000, le=2100)],
    deadline: Annotated[date, Form()],
) -> Response:
    """Open the year's round with its deadline (or move the deadline)."""
    opened = confirmation.open_round(session, actor, year=year, deadline=deadline)
    flash(request, f"已开启 {year} 年度企业确认，截止日期 {opened.deadline}")
    return RedirectResponse(f"/confirmations?year={year}", status_code=303)


@router.get("/disputes/{dispute_id}", name="confirmation_dispute")
def confirmation_dispute(request: Request, session: SessionDep, actor: CurrentUser, dispute_id: DisputeId) -> Response:
    """One dispute: the figure, its current source, the proposed value, the reason and evidence, the answer."""
    detail = confirmation.dispute_detail(session, actor, dispute_id)
    context = {"detail": detail, "proposed_text": form_value(detail.dispute.proposed), "page_title": "企业确认异议"}
    return render(request, "confirmations/dispute.html", context)


@router.post("/disputes/{dispute_id}/accept", name="confirmation_accept")
def confirmation_accept(
    request: Request,
    session: SessionDep,
    actor: EditorUser,
    dispute_id: DisputeId,
    resolution: Annotated[str, Form(max_length=5000)],
    value: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Accept: the figure is corrected in the store with the lineage of this dispute."""
    confirmation.accept_dispute(session, actor, dispute_id, resolution=resolution, value=value or None)
    flash(request, f"已采纳确认异议 #{dispute_id}，数据已更正")
    return RedirectResponse(f"/confirmations/disputes/{dispute_id}", status_code=303)


@router.post("/disputes/{dispute_id}/reject", name="confirmation_reject")
def confirmation_reject(
    request: Request,
    session: SessionDep,
    actor: EditorUser,
    dispute_id: DisputeId,
    resolution: Annotated[str, Form(max_length=5000)],
) -> Response:
    """Reject with a reason; the stored figure stays."""
    confirmation.reject_dispute(session, actor, dispute_id, resolution=resolution)
    flash(request, f"已处理确认异议 #{dispute_id}（不予采纳）", "info")
    return RedirectResponse(f"/confirmations/disputes/{dispute_id}", status_code=303)


@router.get("/evidence/{file_id}", name="confirmation_evidence")
def confirmation_evidence(
    session: SessionDep, settings: SettingsDep, actor: CurrentUser, file_id: Annotated[int, Path(ge=1, le=MAX_ID)]
) -> Response:
    """A dispute's evidence file, for staff and the enterprise that filed it."""
    path, name, content_type = confirmation.evidence_file(session, actor, file_id, settings=settings)
    return FileResponse(path, media_type=content_type, filename=name, content_disposition_type="attachment")


@router.get("/{year}/{uscc}", name="confirmation_page")
def confirmation_page(request: Request, session: SessionDep, actor: CurrentUser, year: Year, uscc: Uscc) -> Response:
    """An enterprise's figures of the year with their sources, its state, and (for its own account, before the
    deadline) the buttons to confirm or dispute."""
    mine = confirmation.enterprise_confirmation(session, actor, uscc, year)
    context = {
        "mine": mine,
        "enterprise": enterprises.get_enterprise(session, actor, uscc),
        "evidence_accept": ACCEPT,
        "evidence_types": TYPES_LABEL,
        "page_title": f"{year} 年度企业确认",
    }
    return render(request, "confirmations/enterprise.html", context)


@router.post("/{year}/{uscc}/confirm", name="confirmation_confirm")
def confirmation_confirm(request: Request, session: SessionDep, actor: CurrentUser, year: Year, uscc: Uscc) -> Response:
    """The enterprise confirms its figures of the year (确认无误)."""
    enterprises.ensure_can_see(actor, uscc)
    confirmation.confirm(session, actor, year)
    flash(request, f"已确认本企业 {year} 年度数据无误")
    return RedirectResponse(f"/confirmations/{year}/{uscc}", status_code=303)


@router.post("/{year}/{uscc}/dispute", name="confirmation_file_dispute")
def confirmation_file_dispute(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    actor: CurrentUser,
    year: Year,
    uscc: Uscc,
    reason: Annotated[str, Form(max_length=5000)],
    files: Annotated[list[UploadFile] | None, File(description="证明材料")] = None,
    dispute: Annotated[list[str] | None, Form(description="有异议的数据项")] = None,
    row_field: Annotated[list[str] | None, Form(description="数据清单各行的数据项")] = None,
    proposed: Annotated[list[str] | None, Form(description="数据清单各行企业主张的数值")] = None,
) -> Response:
    """The enterprise disputes figures of the year: the values it proposes, its reason, evidence files."""
    enterprises.ensure_can_see(actor, uscc)
    uploaded = read_uploads(
        files or [],
        max_bytes=settings.evidence_max_bytes,
        max_files=MAX_EVIDENCE_FILES,
        too_many=f"证明材料最多 {MAX_EVIDENCE_FILES} 个文件",
    )
    wanted = proposed_values(dispute or [], row_field or [], proposed or [])
    confirmation.dispute(session, actor, year, reason=reason, proposed=wanted, files=uploaded, settings=settings)
    flash(request, "异议已提交，请等待处理")
    return RedirectResponse(f"/confirmations/{year}/{uscc}", status_code=303)
