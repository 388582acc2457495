"""用地面积公示 (the land-area notice): the analyst publishes the year's derived land for the zone's notice period,
enterprises object on their own figure with evidence, the analyst answers (accepting corrects a parcel or lease
with lineage), and the notice closes through the results' gate.

Every route calls the publication or objections service; permissions live there (an enterprise account sees only
its own part and is answered 404 elsewhere).
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, File, Form, Path, Query, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from zonehero.clock import today
from zonehero.edges.web.deps import EditorUser, EvaluationReader, SessionDep, SettingsDep, StaffUser
from zonehero.edges.web.paging import MAX_ID, PageDep
from zonehero.edges.web.rendering import flash, render
from zonehero.edges.web.uploads import read_uploads
from zonehero.errors import InputError, InputProblem, NotFound
from zonehero.features.imports.evidence import ACCEPT, MAX_EVIDENCE_FILES, TYPES_LABEL
from zonehero.features.land import service as land
from zonehero.features.land.schemas import CORRECTABLE_LABELS, LandNoticeRead
from zonehero.features.objections import service as objections
from zonehero.features.publication import service as publication
from zonehero.features.schemes import service as schemes

router = APIRouter(prefix="/land/notice", include_in_schema=False)

NoticeId = Annotated[int, Path(ge=1, le=MAX_ID)]
ObjectionId = Annotated[int, Path(ge=1, le=MAX_ID)]
NoticeYear = Annotated[int | None, Query(ge=2000, le=2100, description="年度")]


def _rows(notice: LandNoticeRead) -> list[dict[str, Any]]:
    """One row per enterprise of the notice: derived (with its record) or given, by USCC."""
    derived = notice.derivation.get("enterprises") or {}
    rows = [{"uscc": u, "name": notice.name_of(u), "record": r} for u, r in derived.items()]
    rows += [{"uscc": u, "name": notice.name_of(u), "record": None} for u in notice.derivation.get("given") or []]
    return sorted(rows, key=lambda r: r["uscc"])


@router.get("", name="land_notice_page")
def land_notice_page(
    request: Request, session: SessionDep, actor: StaffUser, page: PageDep, year: NoticeYear = None
) -> Response:
    """The year's land notices: the publish form, the period and gate of the latest, its list (paged) and objections."""
    chosen = year or today().year - 1
    notices = publication.land_notices(session, actor, year=chosen)
    current = publication.get_land_notice(session, actor, notices[0].id) if notices else None
    context: dict[str, Any] = {"year": chosen, "notices": notices, "notice": current}
    if current is not None:
        rows = _rows(current)
        context |= {
            "rows": rows[page.offset : page.offset + page.size],
            "page": page.of(len(rows)),
            "query_without_page": urlencode({"year": chosen}),
            "period": publication.land_notice_period(session, current),
            "gate": publication.land_notice_gate(session, actor, current.id),
            "counts": objections.counts_of_notice(session, current.id),
            "objections": objections.list_objections(session, actor, land_notice_id=current.id),
        }
    if actor.can_edit:
        context["versions"] = [v for s in schemes.list_schemes(session, actor) for v in s.versions]
        context["open_now"] = any(n.status == "notice" for n in notices)
    return render(request, "land_notice/index.html", context)


@router.post("", name="land_notice_publish")
def land_notice_publish(
    request: Request,
    session: SessionDep,
    actor: EditorUser,
    year: Annotated[int, Form(ge=2000, le=2100)],
    scheme_version_id: Annotated[int, Form(ge=1, le=MAX_ID)],
) -> Response:
    """Publish the year's derived land for the zone's notice period (the derivation is frozen with it)."""
    notice = publication.publish_land_notice(session, actor, year=year, scheme_version_id=scheme_version_id)
    flash(
        request,
        f"已发布 {year} 年度用地面积公示 #{notice.id}（{notice.enterprise_count} 家企业，至 {notice.notice_end}）",
    )
    return RedirectResponse(f"/land/notice?year={year}", status_code=303)


@router.post("/{notice_id}/close", name="land_notice_close")
def land_notice_close(request: Request, session: SessionDep, actor: EditorUser, notice_id: NoticeId) -> Response:
    """结束公示, once the period is over and every objection is answered (the same gate as 定稿)."""
    notice = publication.close_land_notice(session, actor, notice_id)
    flash(request, f"{notice.year} 年度用地面积公示 #{notice.id} 已结束：评价草稿将按更正后的宗地与租赁认定用地面积")
    return RedirectResponse(f"/land/notice?year={notice.year}", status_code=303)


@router.get("/{notice_id}", name="land_notice_own")
def land_notice_own(request: Request, session: SessionDep, actor: EvaluationReader, notice_id: NoticeId) -> Response:
    """An enterprise's own published 用地面积 with its derivation, its objections and the objection form; staff are
    sent to the year's page."""
    notice = publication.get_land_notice(session, actor, notice_id)
    if actor.is_staff:
        return RedirectResponse(f"/land/notice?year={notice.year}", status_code=303)
    uscc = actor.enterprise_uscc or ""
    mine = objections.list_objections(session, actor, land_notice_id=notice.id)
    refusal = objections.land_objection_refusal(actor, notice, today())
    pending = any(o.status == "open" for o in mine)
    context = {
        "notice": notice,
        "uscc": uscc,
        "name": notice.name_of(uscc),
        "record": notice.record(uscc),
        "period": publication.land_notice_period(session, notice),
        "objections": mine,
        "refusal": refusal if not pending else "本企业已有待处理的异议，请等待答复",
        "items": objections.land_items(notice.record(uscc)),
        "evidence_accept": ACCEPT,
        "types_label": TYPES_LABEL,
    }
    return render(request, "land_notice/own.html", context)


@router.post("/{notice_id}/objections", name="land_notice_object")
def land_notice_object(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    actor: EvaluationReader,
    notice_id: NoticeId,
    text: Annotated[str, Form(max_length=objections.MAX_TEXT + 100)] = "",
    proposed_mu: Annotated[str, Form(max_length=50)] = "",
    items: Annotated[list[str], Form(max_length=200)] = [],  # noqa: B006
    files: Annotated[list[UploadFile], File(description="证明材料（PDF、JPEG 或 PNG）")] = [],  # noqa: B006
) -> Response:
    """An enterprise objects to its own published 用地面积, with evidence files."""
    uploaded = read_uploads(
        files,
        max_bytes=settings.evidence_max_bytes,
        max_files=MAX_EVIDENCE_FILES,
        too_many=f"最多上传 {MAX_EVIDENCE_FILES} 个文件",
    )
    done = objections.file_land_objection(
        session,
        actor,
        notice_id,
        text,
        uploaded,
        settings=settings,
        proposed_mu=proposed_mu or None,
        items=items[:50],
    )
    flash(request, f"已提交异议 #{done.id}，请等待答复")
    return RedirectResponse(f"/land/notice/{notice_id}", status_code=303)


def _objection_of(session: SessionDep, actor: Any, notice_id: int, objection_id: int) -> Any:
    objection = objections.get_objection(session, actor, objection_id)
    if objection.land_notice_id != notice_id:
        raise NotFound(objections.NOT_FOUND)
    return objection


@router.get("/{notice_id}/objections/{objection_id}", name="land_notice_objection")
def land_notice_objection(
    request: Request, session: SessionDep, actor: EvaluationReader, notice_id: NoticeId, objection_id: ObjectionId
) -> Response:
    """An objection on the land with the published derivation and, for the analyst, the answer form: the parcel or
    lease to correct (the enterprise's own) and the corrected value."""
    objection = _objection_of(session, actor, notice_id, objection_id)
    notice = publication.get_land_notice(session, actor, notice_id)
    context: dict[str, Any] = {
        "notice": notice,
        "objection": objection,
        "name": notice.name_of(objection.uscc),
        "record": notice.record(objection.uscc),
        "period": publication.land_notice_period(session, notice),
        "labels": CORRECTABLE_LABELS,
    }
    if actor.is_staff:
        record = notice.record(objection.uscc) or {}
        numbers = {p["parcel_no"] for p in record.get("parcels") or []}
        context["parcels"] = [
            p for p in land.list_parcels(session, actor) if p.number in numbers or p.holder_uscc == objection.uscc
        ]
        context["leases"] = land.leases_of(session, objection.uscc)
    return render(request, "land_notice/objection.html", context)


def _changes(fields: list[str], values: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for key, value in zip(fields, values, strict=False):
        if key and value.strip():
            if key not in CORRECTABLE_LABELS:
                raise InputError(InputProblem(f"不能更正「{key}」", column="field"))
            found[key] = value.strip()
    return found


@router.post("/{notice_id}/objections/{objection_id}/accept", name="land_notice_objection_accept")
def land_notice_objection_accept(
    request: Request,
    session: SessionDep,
    actor: EditorUser,
    notice_id: NoticeId,
    objection_id: ObjectionId,
    answer: Annotated[str, Form(max_length=5000)] = "",
    target: Annotated[str, Form(max_length=100)] = "",
    field: Annotated[list[str], Form(max_length=10)] = [],  # noqa: B006
    value: Annotated[list[str], Form(max_length=10)] = [],  # noqa: B006
) -> Response:
    """Accept: correct the chosen parcel or lease (lineage 用地公示异议 #id)."""
    _objection_of(session, actor, notice_id, objection_id)
    kind, _, key = target.partition(":")
    if kind not in ("parcel", "lease") or not key or (kind == "lease" and not key.isdigit()):
        raise InputError(InputProblem("请选择要更正的宗地或租赁记录", column="target"))
    objections.accept_land_objection(
        session,
        actor,
        objection_id,
        answer=answer,
        parcel_no=key if kind == "parcel" else None,
        lease_id=int(key) if kind == "lease" else None,
        changes=_changes(field, value),
    )
    what = "宗地" if kind == "parcel" else "租赁"
    flash(request, f"已采纳异议 #{objection_id}，{what}记录已更正（注明用地公示异议 #{objection_id}）")
    return RedirectResponse(f"/land/notice/{notice_id}/objections/{objection_id}", status_code=303)


@router.post("/{notice_id}/objections/{objection_id}/reject", name="land_notice_objection_reject")
def land_notice_objection_reject(
    request: Request,
    session: SessionDep,
    actor: EditorUser,
    notice_id: NoticeId,
    objection_id: ObjectionId,
    answer: Annotated[str, Form(max_length=5000)] = "",
) -> Response:
    """Reject with a reason the enterprise will read; the records stay as they are."""
    _objection_of(session, actor, notice_id, objection_id)
    objections.reject_objection(session, actor, objection_id, answer=answer)
    flash(request, f"已答复异议 #{objection_id}（不予采纳）", "info")
    return RedirectResponse(f"/land/notice/{notice_id}/objections/{objection_id}", status_code=303)
