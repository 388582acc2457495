"""企业 (enterprises): the filtered, paged list with export, and one enterprise's page with its objections.

The list shows the enterprises with their result in the chosen year's run
(filters by class, group, status and industry need a run); before any run
exists it lists the stored enterprises. An enterprise account sees only its
own page and only published results; any other USCC answers 404.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, File, Form, Path, Query, Request, UploadFile
from fastapi.responses import FileResponse, RedirectResponse, Response

from zonehero.clock import today
from zonehero.core.domain.industry_divisions import DIVISION_NAMES
from zonehero.core.evaluation.explain import explain_result
from zonehero.edges.web import charts, exports
from zonehero.edges.web.deps import CurrentUser, SessionDep, SettingsDep, StaffUser
from zonehero.edges.web.nav import home_path
from zonehero.edges.web.paging import MAX_ID, PageDep
from zonehero.edges.web.rendering import flash, render
from zonehero.edges.web.uploads import read_uploads
from zonehero.errors import InputError, InputProblem, NotFound
from zonehero.features.audit import service as audit
from zonehero.features.chains import service as chains
from zonehero.features.confirmation import service as confirmation
from zonehero.features.enterprises import service as enterprises
from zonehero.features.enterprises.schemas import FigureRead
from zonehero.features.imports.evidence import ACCEPT, MAX_EVIDENCE_FILES, TYPES_LABEL
from zonehero.features.objections import service as objections
from zonehero.features.publication import service as publication
from zonehero.features.roles import Role, require_staff
from zonehero.features.runs import service as runs
from zonehero.features.runs.choice import pick_run, run_years, scheme_of_run
from zonehero.features.runs.schemas import RunRead
from zonehero.reports.land_text import GIVEN_SENTENCE

router = APIRouter(prefix="/enterprises", include_in_schema=False)

Uscc = Annotated[str, Path(min_length=18, max_length=18, pattern=r"^[0-9A-Z]{18}$")]
ORDERS = {"rank": "组内排名", "score": "综合得分", "name": "企业名称", "uscc": "信用代码"}
DISPUTED_FIELD = "land_area_mu"
"""用地面积: the most disputed figure; its source is shown beside it, highlighted."""

# GB/T 4754 sections (门类) by their first and last division (大类): industry codes are stored as e.g. C2319.
_SECTIONS: tuple[tuple[str, int, int], ...] = (
    ("A", 1, 5), ("B", 6, 12), ("C", 13, 43), ("D", 44, 46), ("E", 47, 50), ("F", 51, 52), ("G", 53, 60),
    ("H", 61, 62), ("I", 63, 65), ("J", 66, 69), ("K", 70, 70), ("L", 71, 72), ("M", 73, 75), ("N", 76, 79),
    ("O", 80, 82), ("P", 83, 83), ("Q", 84, 85), ("R", 86, 90), ("S", 91, 96), ("T", 97, 97),
)  # fmt: skip


def division_prefix(division: str) -> str | None:
    """The industry-code prefix of a division: ``26`` → ``C26``; None for an unknown division."""
    if not (len(division) == 2 and division.isdigit()):
        return None
    number = int(division)
    for letter, first, last in _SECTIONS:
        if first <= number <= last:
            return f"{letter}{division}"
    return None


class ListFilters:
    """The list's query parameters, validated and echoed back into the form and the paging links."""

    def __init__(
        self,
        q: Annotated[str, Query(max_length=100, description="企业名称或信用代码")] = "",
        class_: Annotated[str, Query(alias="class", pattern=r"^[ABCD]?$")] = "",
        division: Annotated[str, Query(pattern=r"^(\d{2})?$", description="行业大类")] = "",
        group: Annotated[str, Query(pattern=r"^(above|below)?$")] = "",
        status: Annotated[str, Query(pattern=r"^(evaluated|vetoed|exempt|out_of_scope)?$")] = "",
        year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
        order: Annotated[str, Query(pattern=r"^(rank|score|name|uscc)$")] = "rank",
    ) -> None:
        self.q, self.class_, self.division, self.group = q.strip(), class_, division, group
        self.status, self.year, self.order = status, year, order

    def query(self, **changes: Any) -> str:
        values = {
            "q": self.q,
            "class": self.class_,
            "division": self.division,
            "group": self.group,
            "status": self.status,
            "year": self.year or "",
            "order": self.order,
            **changes,
        }
        return urlencode({k: v for k, v in values.items() if v not in ("", None)})


def _listing(
    session: SessionDep, actor: Any, f: ListFilters, limit: int | None, offset: int, after: str | None = None
) -> dict[str, Any]:
    all_runs = runs.list_runs(session, actor)
    run = pick_run(all_runs, year=f.year)
    industry = division_prefix(f.division) if f.division else None
    if run is not None:
        page = runs.list_results(
            session,
            actor,
            run.id,
            class_=f.class_ or None,
            group=f.group or None,
            status=f.status or None,
            q=f.q or None,
            industry=industry,
            order=f.order,
            limit=limit,
            offset=offset,
            after=after,
        )
        items: list[Any] = list(page.items)
        group_sizes = runs.evaluated_per_group(session, actor, run.id)
        total, next_cursor = page.total, page.next_cursor
    else:
        found = enterprises.search_enterprises(
            session, actor, q=f.q or None, industry=industry, limit=limit or 1_000_000, offset=offset
        )
        items, total, next_cursor, group_sizes = list(found.items), found.total, None, {}
    return {
        "run": run,
        "years": run_years(all_runs),
        "items": items,
        "total": total,
        "next_cursor": next_cursor,
        "group_sizes": group_sizes,
    }


@router.get("", name="enterprise_list")
def enterprise_list(
    request: Request, session: SessionDep, actor: CurrentUser, page: PageDep, filters: Annotated[ListFilters, Depends()]
) -> Response:
    """Search and filter the zone's enterprises (staff); an enterprise account goes to its own page."""
    if actor.role == Role.ENTERPRISE:
        return RedirectResponse(home_path(actor), status_code=303)
    require_staff(actor)
    listing = _listing(session, actor, filters, page.size, page.offset, page.after)
    context = {
        **listing,
        "filters": filters,
        "page": page.of(listing["total"], listing["next_cursor"]),
        "query_without_page": filters.query(),
        "divisions": sorted(DIVISION_NAMES.items()),
        "orders": ORDERS,
    }
    return render(request, "enterprises/list.html", context)


@router.get("/export", name="enterprise_export")
def enterprise_export(
    session: SessionDep,
    actor: StaffUser,
    filters: Annotated[ListFilters, Depends()],
    format: Annotated[str, Query(pattern=r"^(xlsx|csv)$")] = "xlsx",
) -> Response:
    """The filtered list, every page, as xlsx or CSV."""
    listing = _listing(session, actor, filters, None, 0)
    run: RunRead | None = listing["run"]
    stem = f"企业名单_{run.year}年_批次{run.id}" if run else "企业名单"
    if format == "csv":
        body, media = exports.list_csv(listing["items"]), exports.CSV_MEDIA_TYPE
    else:
        body, media = exports.list_xlsx(listing["items"], stem), exports.XLSX_MEDIA_TYPE
    audit.record_read(
        session,
        actor,
        "export.download",
        "enterprise_list",
        run.id if run else None,
        export="enterprise_list",
        format=format,
        year=run.year if run else None,
        run_id=run.id if run else None,
        enterprises=len(listing["items"]),
        filters=filters.query() or None,
    )
    disposition = f"attachment; filename*=UTF-8''{quote(stem)}.{format}"
    return Response(body, media_type=media, headers={"Content-Disposition": disposition})


def _figures_by_year(figures: list[FigureRead]) -> list[tuple[int, list[FigureRead]]]:
    by_year: dict[int, list[FigureRead]] = defaultdict(list)
    for fig in figures:
        by_year[fig.year].append(fig)
    for rows in by_year.values():
        # 用地面积 first: it is the figure enterprises dispute most.
        rows.sort(key=lambda f: (f.field != DISPUTED_FIELD, f.label))
    return sorted(by_year.items(), reverse=True)


def _evaluated_in_group(session: SessionDep, actor: Any, run_id: int, group: str | None) -> int | None:
    if not group or not actor.is_staff:
        return None
    return runs.evaluated_in_group(session, actor, run_id, group)


@router.get("/{uscc}", name="enterprise_page")
def enterprise_page(
    request: Request,
    session: SessionDep,
    actor: CurrentUser,
    uscc: Uscc,
    run_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
) -> Response:
    """Figures with their sources, the chosen result explained, class history, objections."""
    enterprise = enterprises.get_enterprise(session, actor, uscc)
    history = runs.enterprise_results(session, actor, uscc)
    chosen = next((h for h in history if h.run_id == run_id), None) if run_id else (history[0] if history else None)
    if run_id is not None and chosen is None:
        raise NotFound("该企业在此评价批次中没有结果")
    context: dict[str, Any] = {
        "enterprise": enterprise,
        "history": history,
        "figure_years": _figures_by_year(enterprises.enterprise_figures(session, actor, uscc)),
        "disputed_field": DISPUTED_FIELD,
        "chosen": chosen,
        "run": None,
        "result": None,
    }
    if chosen is not None:
        run = runs.get_run(session, actor, chosen.run_id)
        result = runs.get_result(session, actor, run.id, uscc)
        scheme = scheme_of_run(session, actor, run.id)
        group_size = _evaluated_in_group(session, actor, run.id, result.group)
        explanation = explain_result(result.record, scheme, evaluated_in_group=group_size)
        context |= {
            "run": run,
            "result": result,
            "group_size": group_size,
            "explanation": explanation,
            "radar": charts.option_json(
                charts.dimension_radar([d.__dict__ for d in explanation.dimensions], class_=result.class_)
            ),
            "can_object": objections.can_object(actor, run),
        }
        land_derived, land_record = runs.kept_land(session, actor, run.id, uscc)
        context |= {"land_derived": land_derived, "land_record": land_record, "land_given": GIVEN_SENTENCE}
    context["confirm_rounds"] = confirmation.awaiting_own(session, actor)  # 企业确认 still to do (its own account)
    context["land_notices_open"] = [  # 用地面积公示 it may object to now (its own account)
        n
        for n in (publication.land_notices(session, actor) if not actor.is_staff else [])
        if objections.land_objection_refusal(actor, n, today()) is None
    ]
    context["objections"] = [  # objections on results; those on a 用地面积公示 are on its own page
        o for o in objections.list_objections(session, actor) if o.uscc == uscc and o.run_id is not None
    ]
    if actor.is_staff:  # 产业链标注: staff only; an enterprise account sees none of it
        context |= {
            "chain_tags": chains.enterprise_tags(session, actor, uscc),
            "chain_links": chains.chain_links(session),
            "can_tag": chains.may_edit_chains(actor),
        }
    context |= _objection_context(session, actor, uscc, history, context)
    return render(request, "enterprises/detail.html", context)


def _objection_context(
    session: SessionDep, actor: Any, uscc: str, history: list[Any], context: dict[str, Any]
) -> dict[str, Any]:
    """The 公示 banner (the run the enterprise may object to, its deadline) and the figures the form points at."""
    if actor.role != Role.ENTERPRISE:
        return {"notice_run": None}
    notice = next((h for h in history if h.run_status == "notice"), None)  # newest first
    notice_run = runs.get_run(session, actor, notice.run_id) if notice is not None else None
    if notice_run is not None and not objections.can_object(actor, notice_run):
        notice_run = None
    pending = notice_run is not None and any(
        o.status == "open" and o.run_id == notice_run.id for o in context["objections"]
    )
    found: dict[str, Any] = {
        "notice_run": notice_run,
        "objection_pending": pending,
        "evidence_accept": ACCEPT,
        "evidence_types": TYPES_LABEL,
    }
    if context.get("can_object") and not pending:
        found["run_figures"] = objections.run_figures(session, actor, context["run"].id, uscc)
    else:
        found["can_object"] = False
    return found


@router.post("/{uscc}/objections", name="file_objection")
def file_objection(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    actor: CurrentUser,
    uscc: Uscc,
    run_id: Annotated[int, Form(ge=1, le=MAX_ID)],
    text: Annotated[str, Form(max_length=5000)],
    files: Annotated[list[UploadFile] | None, File(description="证明材料")] = None,
    dispute: Annotated[list[str] | None, Form(description="有异议的数据项")] = None,
    row_field: Annotated[list[str] | None, Form(description="数据清单各行的数据项")] = None,
    proposed: Annotated[list[str] | None, Form(description="数据清单各行企业主张的数值")] = None,
) -> Response:
    """An enterprise files 异议 on its own result under 公示: the figures it disputes with the values it proposes,
    its reason, and evidence files."""
    enterprises.ensure_can_see(actor, uscc)
    uploaded = read_uploads(
        files or [],
        max_bytes=settings.evidence_max_bytes,
        max_files=MAX_EVIDENCE_FILES,
        too_many=f"证明材料最多 {MAX_EVIDENCE_FILES} 个文件",
    )
    wanted = proposed_values(dispute or [], row_field or [], proposed or [])
    objections.file_objection(session, actor, run_id, text, uploaded, settings=settings, proposed=wanted)
    flash(request, "异议已提交，请等待答复")
    return RedirectResponse(f"/enterprises/{uscc}?run_id={run_id}", status_code=303)


def proposed_values(dispute: list[str], row_fields: list[str], values: list[str]) -> dict[str, str]:
    """The figures picked in the form's data list with the value typed beside each: a row counts when it is
    ticked or has a value (a ticked row without a value is the service's to refuse, naming the figure)."""
    if len(row_fields) != len(values):
        raise InputError(InputProblem("数据清单的数据项与数值不成对", column="proposed"))
    ticked = set(dispute)
    picked = {f: v.strip() for f, v in zip(row_fields, values, strict=True) if f in ticked or v.strip()}
    for f in ticked - picked.keys():
        picked[f] = ""
    return picked


@router.get("/{uscc}/evidence/{file_id}", name="objection_evidence")
def objection_evidence(
    session: SessionDep,
    settings: SettingsDep,
    actor: CurrentUser,
    uscc: Uscc,
    file_id: Annotated[int, Path(ge=1, le=MAX_ID)],
) -> Response:
    """An evidence file, for staff and the enterprise that filed it."""
    enterprises.ensure_can_see(actor, uscc)
    path, name, content_type = objections.evidence_file(session, actor, file_id, settings=settings)
    return FileResponse(path, media_type=content_type, filename=name, content_disposition_type="attachment")
