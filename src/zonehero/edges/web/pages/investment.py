"""招商: the pipeline board, the lead list (filters, keyset pages), the entry form and a lead's page with its moves.

Every staff account reports leads here (全员招商) and sees its own; leaders read all; the 招商局 moves, logs
contacts and signs. The rules and permissions are :mod:`zonehero.features.investment`'s; these handlers parse the
form, call one service and render.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, File, Form, Path, Query, Request, UploadFile
from fastapi.responses import FileResponse, RedirectResponse, Response
from pydantic import ValidationError

from zonehero.clock import today
from zonehero.core.investment import LeadStage
from zonehero.edges.web.charts import lead_funnel, option_json
from zonehero.edges.web.deps import SessionDep, SettingsDep, require_role
from zonehero.edges.web.pages.projects_forms import as_of_day, parse_amount, parse_day
from zonehero.edges.web.paging import MAX_ID
from zonehero.edges.web.rendering import flash, render
from zonehero.edges.web.uploads import read_uploads
from zonehero.errors import InputError, InputProblem
from zonehero.features.imports.evidence import ACCEPT, MAX_EVIDENCE_FILES, TYPES_LABEL
from zonehero.features.imports.storage import UploadedFile
from zonehero.features.investment import access, figures, leads_import, service
from zonehero.features.investment.schemas import LeadForm, SigningForm
from zonehero.features.roles import Actor
from zonehero.features.zone import service as zone

router = APIRouter(prefix="/investment", include_in_schema=False)

Reporter = Annotated[Actor, require_role(*access.REPORTERS)]
"""Any staff account (全员招商): checked before the form is read, so others get 403, not 422."""
Owner = Annotated[Actor, require_role(*access.OWNERS)]
"""The 招商局."""
Importer = Annotated[Actor, require_role(*access.IMPORTERS)]
"""The analyst and the 招商局 import lead spreadsheets."""
ReadAll = Annotated[Actor, require_role(*access.READ_ALL)]
"""Leaders and the 招商局: the zone's 招商 figures."""
LeadId = Annotated[int, Path(ge=1, le=MAX_ID)]
Text = Annotated[str, Form(max_length=2000)]


def _lead_url(lead_id: int) -> str:
    return f"/investment/leads/{lead_id}"


@router.get("", name="investment_board")
def investment_board(
    request: Request, session: SessionDep, actor: Reporter, as_of: Annotated[str | None, Query()] = None
) -> Response:
    """The pipeline board: a column per stage with its count, late leads first."""
    day = as_of_day(as_of)
    context: dict[str, Any] = {
        "board": service.board(session, actor, day),
        "perms": access.permissions_of(actor),
    }
    return render(request, "investment/board.html", context)


def _quarter(value: str | None) -> int | None:
    """「全年」 is an empty quarter; a number is checked by the core (1–4)."""
    text = (value or "").strip()
    if not text:
        return None
    if not (text.isascii() and text.isdigit()):
        raise InputError(InputProblem(f"季度应为 1–4，而不是「{text}」", column="quarter"))
    return int(text)


@router.get("/figures", name="investment_figures")
def investment_figures(
    request: Request,
    session: SessionDep,
    actor: ReadAll,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    quarter: Annotated[str | None, Query(max_length=2)] = None,
    chain: Annotated[str | None, Query(max_length=64)] = None,
    unit: Annotated[str | None, Query(max_length=64)] = None,
    as_of: Annotated[str | None, Query(max_length=10)] = None,
) -> Response:
    """招商统计: the spec's figures of a year or quarter (perhaps one chain or unit), by chain and unit, the
    全员招商 board and the funnel; links to the monthly 招商 briefing."""
    day = as_of_day(as_of)
    chosen_year = year or day.year
    q = _quarter(quarter)
    report = figures.figures(
        session, actor, year=chosen_year, as_of=day, quarter=q, chain=chain, unit=unit if unit else None
    )
    month_day = min(day, today())
    context: dict[str, Any] = {
        "report": report,
        "f": report.figures,
        "filters": {"year": chosen_year, "quarter": q, "chain": report.where.chain, "unit": unit or ""},
        "years": list(range(today().year, today().year - 5, -1)),
        "chains": zone.get_profile(session).industry_chains,
        "units": [name for name, _ in report.by_unit],
        "funnel_chart": option_json(lead_funnel(report.funnel)),
        "briefing_month": (month_day.year, month_day.month),
        "perms": access.permissions_of(actor),
    }
    return render(request, "investment/figures.html", context)


@router.get("/leads", name="investment_leads")
def investment_leads(
    request: Request,
    session: SessionDep,
    actor: Reporter,
    stage: Annotated[LeadStage | None, Query()] = None,
    chain: Annotated[str | None, Query(max_length=64)] = None,
    q: Annotated[str | None, Query(max_length=100)] = None,
    before: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
) -> Response:
    """The leads the account may see, newest first, by stage, chain and investor (keyset pages of 50)."""
    found = service.list_leads(session, actor, stage=stage, chain=chain, query=q, before=before, as_of=today())
    filters = {"stage": stage.value if stage else "", "chain": chain or "", "q": q or ""}
    next_query = urlencode({**{k: v for k, v in filters.items() if v}, "before": found.next_before})
    context: dict[str, Any] = {
        "items": found.items,
        "next_url": f"/investment/leads?{next_query}" if found.next_before else None,
        "filters": filters,
        "stages": [(s.value, s.label) for s in LeadStage],
        "chains": zone.get_profile(session).industry_chains,
        "perms": access.permissions_of(actor),
    }
    return render(request, "investment/leads.html", context)


@router.get("/leads/new", name="investment_lead_new")
def investment_lead_new(request: Request, session: SessionDep, actor: Reporter) -> Response:
    """The entry form (全员招商): any staff account reports a lead."""
    context = {
        "chains": zone.get_profile(session).industry_chains,
        "unit": actor.unit_name or "",
        "perms": access.permissions_of(actor),
    }
    return render(request, "investment/new.html", context)


@router.post("/leads", name="investment_lead_create")
def investment_lead_create(
    request: Request,
    session: SessionDep,
    actor: Reporter,
    investor: Annotated[str, Form(max_length=200)] = "",
    investor_uscc: Annotated[str, Form(max_length=32)] = "",
    project_name: Annotated[str, Form(max_length=200)] = "",
    investment: Annotated[str, Form(max_length=32)] = "",
    expected_output: Annotated[str, Form(max_length=32)] = "",
    expected_tax: Annotated[str, Form(max_length=32)] = "",
    land_mu: Annotated[str, Form(max_length=32)] = "",
    building_sqm: Annotated[str, Form(max_length=32)] = "",
    help_asked: Text = "",
    source: Annotated[str, Form(max_length=200)] = "",
    chain: Annotated[str, Form(max_length=64)] = "",
    unit: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    """Record the lead; a duplicate is flagged with the earlier lead that keeps the credit."""
    problems: list[InputProblem] = []
    amounts = {
        key: parse_amount(value, key, problems)
        for key, value in (
            ("investment", investment),
            ("expected_output", expected_output),
            ("expected_tax", expected_tax),
            ("land_mu", land_mu),
            ("building_sqm", building_sqm),
        )
    }
    for key, value, label in (("investor", investor, "投资方"), ("project_name", project_name, "拟建项目")):
        if not value.strip():
            problems.append(InputProblem(f"请填写{label}", column=key))
    if problems:
        raise InputError(problems)
    try:
        form = LeadForm(
            investor=investor,
            investor_uscc=investor_uscc or None,
            project_name=project_name,
            help_asked=help_asked,
            source=source,
            chain=chain or None,
            unit=unit,
            **amounts,
        )
    except ValidationError as exc:
        raise InputError(
            [InputProblem(str(e["msg"]), column=str(e["loc"][0]) if e["loc"] else None) for e in exc.errors()]
        ) from None
    lead = service.report_lead(session, actor, form, on=today())
    if lead.duplicate_of_id is not None:
        flash(
            request,
            f"已报送线索 #{lead.id}。该投资方已有线索 #{lead.duplicate_of_id}（首报），首报人保留认定",
            "warning",
        )
    else:
        flash(request, f"已报送线索 #{lead.id}")
    return RedirectResponse(_lead_url(lead.id), status_code=303)


@router.get("/leads/import", name="investment_import_form")
def investment_import_form(request: Request, actor: Importer) -> Response:
    """Upload a lead spreadsheet (招商线索表) for a preview."""
    return render(request, "investment/import.html", {"upload": None, "perms": access.permissions_of(actor)})


@router.post("/leads/import", name="investment_import")
def investment_import(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    actor: Importer,
    file: Annotated[UploadFile, File()],
) -> Response:
    """Keep the file and show what it holds, or every problem (nothing is written yet)."""
    uploaded = UploadedFile(name=file.filename or "leads.xlsx", data=file.file.read())
    staged = leads_import.stage_upload(session, actor, settings, uploaded)
    context = {"upload": staged, "perms": access.permissions_of(actor)}
    return render(request, "investment/import.html", context, status_code=422 if staged.problems else 200)


@router.post("/leads/import/{upload_id}/confirm", name="investment_import_confirm")
def investment_import_confirm(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    actor: Importer,
    upload_id: Annotated[str, Path(pattern=r"^[0-9a-f]{32}$")],
) -> Response:
    """Write every lead of the kept file, or none."""
    count = leads_import.confirm_upload(session, actor, settings, upload_id)
    flash(request, f"已导入 {count} 条招商线索")
    return RedirectResponse("/investment/leads", status_code=303)


@router.get("/leads/{lead_id}", name="investment_lead")
def investment_lead(
    request: Request,
    session: SessionDep,
    actor: Reporter,
    lead_id: LeadId,
    as_of: Annotated[str | None, Query()] = None,
) -> Response:
    """A lead: what the investor wants, who reported it, credit, moves, contacts, clocks, and the next step."""
    day = as_of_day(as_of)
    context = {
        "d": service.lead_detail(session, actor, lead_id, day),
        "as_of": day,
        "activity_kinds": list(service.ACTIVITY_LABELS.items()),
        "evidence_accept": ACCEPT,
        "evidence_types": TYPES_LABEL,
        "today": today(),
        "perms": access.permissions_of(actor),
    }
    return render(request, "investment/lead.html", context)


@router.post("/leads/{lead_id}/move", name="investment_lead_move")
def investment_lead_move(
    request: Request,
    session: SessionDep,
    actor: Owner,
    lead_id: LeadId,
    to: Annotated[str, Form(max_length=16)],
    on: Annotated[str, Form(max_length=10)] = "",
    reason: Text = "",
) -> Response:
    """Move the lead (forward in order; back or to 终止 with a reason; 签约 → 落地)."""
    problems: list[InputProblem] = []
    day = parse_day(on, "on", problems) or today()
    try:
        stage = LeadStage(to)
    except ValueError:
        problems.append(InputProblem(f"未知的阶段「{to}」", column="to"))
    if problems:
        raise InputError(problems)
    lead = service.move_lead(session, actor, lead_id, stage, on=day, reason=reason)
    flash(request, f"线索 #{lead_id} 已到「{lead.stage_label}」阶段")
    return RedirectResponse(_lead_url(lead_id), status_code=303)


@router.post("/leads/{lead_id}/activities", name="investment_lead_activity")
def investment_lead_activity(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    actor: Owner,
    lead_id: LeadId,
    kind: Annotated[str, Form(max_length=16)],
    staff: Annotated[str, Form(max_length=200)] = "",
    happened_on: Annotated[str, Form(max_length=10)] = "",
    counterpart: Annotated[str, Form(max_length=200)] = "",
    outcome: Text = "",
    files: Annotated[list[UploadFile] | None, File(description="附件")] = None,
) -> Response:
    """Log a visit, meeting, call, 研判 or 告知报送人, with its attachments (附件); a refused file logs nothing."""
    problems: list[InputProblem] = []
    day = parse_day(happened_on, "happened_on", problems) or today()
    if problems:
        raise InputError(problems)
    uploaded = read_uploads(
        files or [],
        max_bytes=settings.evidence_max_bytes,
        max_files=MAX_EVIDENCE_FILES,
        too_many=f"附件最多 {MAX_EVIDENCE_FILES} 个文件",
    )
    service.log_activity(
        session,
        actor,
        lead_id,
        kind=kind,
        happened_on=day,
        staff=staff,
        counterpart=counterpart,
        outcome=outcome,
        files=uploaded,
        settings=settings,
    )
    flash(request, f"已记录（附件 {len(uploaded)} 个）" if uploaded else "已记录")
    return RedirectResponse(_lead_url(lead_id), status_code=303)


@router.get("/files/{file_id}", name="investment_activity_file")
def investment_activity_file(
    session: SessionDep, settings: SettingsDep, actor: Reporter, file_id: Annotated[int, Path(ge=1, le=MAX_ID)]
) -> Response:
    """An attachment of a lead's contact, for whoever may see the lead (its reporter, leaders, the 招商局)."""
    path, name, content_type = service.activity_file(session, actor, file_id, settings=settings)
    return FileResponse(path, media_type=content_type, filename=name, content_disposition_type="attachment")


@router.post("/leads/{lead_id}/sign", name="investment_lead_sign")
def investment_lead_sign(
    request: Request,
    session: SessionDep,
    actor: Owner,
    lead_id: LeadId,
    signed_on: Annotated[str, Form(max_length=10)] = "",
    contract_investment: Annotated[str, Form(max_length=32)] = "",
    planned_start_date: Annotated[str, Form(max_length=10)] = "",
    planned_production_date: Annotated[str, Form(max_length=10)] = "",
    project_code: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    """签约: the contract and its planned dates; the project enters the library in the same transaction."""
    problems: list[InputProblem] = []
    signed = parse_day(signed_on, "signed_on", problems)
    amount = parse_amount(contract_investment, "contract_investment", problems)
    start = parse_day(planned_start_date, "planned_start_date", problems)
    production = parse_day(planned_production_date, "planned_production_date", problems)
    if signed is None and not problems:
        problems.append(InputProblem("请填写签约日期", column="signed_on"))
    if amount is None and not any(p.column == "contract_investment" for p in problems):
        problems.append(InputProblem("请填写合同投资额", column="contract_investment"))
    if amount is not None and amount < 0:
        problems.append(InputProblem("合同投资额不能为负数", column="contract_investment"))
    if problems or signed is None or amount is None:
        raise InputError(problems)
    code = service.sign_lead(
        session,
        actor,
        lead_id,
        SigningForm(
            signed_on=signed,
            contract_investment=amount,
            planned_start_date=start,
            planned_production_date=production,
            project_code=project_code or None,
        ),
    )
    flash(request, f"线索 #{lead_id} 已签约，项目 {code} 已进入项目库（签约一批）")
    return RedirectResponse(_lead_url(lead_id), status_code=303)


@router.post("/leads/{lead_id}/payments", name="investment_lead_payment")
def investment_lead_payment(
    request: Request,
    session: SessionDep,
    actor: Owner,
    lead_id: LeadId,
    paid_on: Annotated[str, Form(max_length=10)] = "",
    amount: Annotated[str, Form(max_length=32)] = "",
    note: Text = "",
) -> Response:
    """到位资金: a dated payment of a signed lead (万元)."""
    problems: list[InputProblem] = []
    day = parse_day(paid_on, "paid_on", problems)
    money = parse_amount(amount, "amount", problems)
    if day is None and not any(p.column == "paid_on" for p in problems):
        problems.append(InputProblem("请填写到位日期", column="paid_on"))
    if money is None and not any(p.column == "amount" for p in problems):
        problems.append(InputProblem("请填写到位金额（万元）", column="amount"))
    if problems or day is None or money is None:
        raise InputError(problems)
    total = service.record_payment(session, actor, lead_id, paid_on=day, amount=money, note=note)
    flash(request, f"已登记到位资金 {money:,.2f} 万元，累计到位 {total:,.2f} 万元")
    return RedirectResponse(_lead_url(lead_id), status_code=303)
