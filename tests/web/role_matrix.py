"""THE role matrix: every route × every role, with the expected status written down once.

Columns (in this order): anonymous, system_admin (persona ``sysadmin``), security_admin (``secadmin``),
audit_admin (``auditor``), analyst, leader, enterprise_a, enterprise_b. 三员分立: each administrator gets 200
only on their own pages (accounts and 园区概况; accounts' roles and 安全策略; the audit log) and on their own
account (/api/me, /account/password); business data answers them 403 (404 where the services hide a record,
303 from 总览 to their own first page).
Placeholders in paths: {uscc_a} {uscc_b} (enterprise_a's / enterprise_b's enterprise),
{unknown_uscc}, {final_run} (2023, final), {draft_run} (2024, draft), {missing_run}.

Unsafe rows are sent with the client's own valid CSRF token, so they test roles, not CSRF.
Pages answer an anonymous visitor with 303 (to /login), the API with 401. An enterprise
account is answered 404 wherever it may not look (another enterprise, drafts, staff pages).
The administrators' three columns are written out on every row (never derived from another column).

Feature pages: add one row per route (and per interesting placeholder) below.
"""

from __future__ import annotations

from dataclasses import dataclass, field

Statuses = tuple[int, int, int, int, int, int, int, int]


@dataclass(frozen=True)
class Row:
    method: str
    path: str
    statuses: Statuses
    """anonymous, system_admin, security_admin, audit_admin, analyst, leader, enterprise_a, enterprise_b."""
    form: dict[str, str] = field(default_factory=dict)
    json: dict[str, object] | None = None
    office_unit: tuple[int, int] | None = None
    """The project roles: project_office (persona ``projects``) and unit (persona ``unit``).

    Project rows say it here; other rows say it in :data:`OFFICE_UNIT_ELSEWHERE`.
    """
    investment: int | None = None
    """The 招商局 (persona ``zhaoshang``): 招商 rows say it here; a few other rows in :data:`INVESTMENT_ELSEWHERE`."""


def everyone(status: int) -> Statuses:
    """The same answer for every persona, the three administrators included."""
    return (status,) * 8  # type: ignore[return-value]


def logged_in(status: int, *, anonymous: int = 401) -> Statuses:
    """The same answer for every logged-in persona, the three administrators included."""
    return (anonymous, status, status, status, status, status, status, status)


#           anonymous sysadmin secadmin auditor analyst leader ent_a ent_b
ROLE_MATRIX: tuple[Row, ...] = (
    # --- health, docs, assets
    Row("GET", "/healthz", everyone(200)),
    Row("GET", "/api/docs", everyone(200)),
    Row("GET", "/api/openapi.json", everyone(200)),
    Row("GET", "/assets/classes.css", everyone(200)),
    # --- API: accounts
    Row("GET", "/api/me", logged_in(200)),
    Row("POST", "/api/logout", logged_in(200)),
    Row("POST", "/api/login", everyone(401), json={"username": "nobody", "password": "wrong-password"}),
    # --- 待办: every account has its own list (the security and audit administrators an empty one)
    Row("GET", "/api/todo", logged_in(200), office_unit=(200, 200)),
    Row("GET", "/todo", logged_in(200, anonymous=303), office_unit=(200, 200)),
    # --- API: enterprises
    Row("GET", "/api/enterprises", (401, 403, 403, 403, 200, 200, 200, 200)),
    Row("GET", "/api/enterprises?class=A&year=2023", (401, 403, 403, 403, 200, 200, 200, 200)),
    Row("GET", "/api/enterprises?year=2024&group=above", (401, 403, 403, 403, 200, 200, 200, 200)),
    Row("GET", "/api/enterprises?class=E", (401, 403, 403, 403, 422, 422, 422, 422)),
    Row("GET", "/api/enterprises/{uscc_a}", (401, 403, 403, 403, 200, 200, 200, 404)),
    Row("GET", "/api/enterprises/{uscc_b}", (401, 403, 403, 403, 200, 200, 404, 200)),
    Row("GET", "/api/enterprises/{unknown_uscc}", (401, 403, 403, 403, 404, 404, 404, 404)),
    # --- API: runs
    Row("GET", "/api/runs", (401, 403, 403, 403, 200, 200, 200, 200)),
    Row("GET", "/api/runs?year=2024", (401, 403, 403, 403, 200, 200, 200, 200)),
    Row("GET", "/api/runs/{final_run}", (401, 403, 403, 403, 200, 200, 200, 200)),
    Row("GET", "/api/runs/{draft_run}", (401, 403, 403, 403, 200, 200, 404, 404)),
    Row("GET", "/api/runs/{missing_run}", (401, 403, 403, 403, 404, 404, 404, 404)),
    Row("GET", "/api/runs/{final_run}/results", (401, 403, 403, 403, 200, 200, 200, 200)),
    Row("GET", "/api/runs/{final_run}/results?class=A&order=score", (401, 403, 403, 403, 200, 200, 200, 200)),
    Row("GET", "/api/runs/{draft_run}/results", (401, 403, 403, 403, 200, 200, 404, 404)),
    # --- pages: accounts
    Row("GET", "/login", (200, 303, 303, 303, 303, 303, 303, 303)),
    Row("POST", "/login", everyone(401), form={"username": "nobody", "password": "wrong-password"}),
    Row("POST", "/logout", everyone(303)),
    Row("GET", "/account/password", logged_in(200, anonymous=303)),
    Row(
        "POST",
        "/account/password",
        (303, 401, 401, 401, 401, 401, 401, 401),
        form={"current_password": "wrong-password", "new_password": "Anything-123", "confirm_password": "Anything-123"},
    ),
    # --- pages: administration (三员分立: accounts and 园区概况 the system administrator's, role changes and
    #     安全策略 the security administrator's, the audit log the audit administrator's alone; not the leader's)
    Row("GET", "/admin/users", (303, 200, 200, 403, 403, 403, 404, 404)),
    Row(
        "POST",
        "/admin/users",
        (303, 422, 403, 403, 403, 403, 404, 404),
        form={"username": "x", "role": "leader", "password": "p"},
    ),
    Row("POST", "/admin/users/leader/active", (303, 303, 403, 403, 403, 403, 404, 404), form={"active": "true"}),
    Row(
        "POST", "/admin/users/leader/password", (303, 422, 403, 403, 403, 403, 404, 404), form={"new_password": "short"}
    ),
    Row("POST", "/admin/users/leader/role", (303, 403, 303, 403, 403, 403, 404, 404), form={"role": "leader"}),
    Row("POST", "/admin/users/leader/role", (303, 403, 422, 403, 403, 403, 404, 404), form={"role": "operator"}),
    Row("GET", "/admin/security", (303, 403, 200, 403, 403, 403, 404, 404)),
    Row("GET", "/admin/zone", (303, 200, 403, 403, 403, 403, 404, 404)),
    Row(
        "POST",
        "/admin/zone",
        (303, 422, 403, 403, 403, 403, 404, 404),
        form={"name": "示范区", "timezone": "Mars/Olympus", "industry_chains": "新能源", "notice_period": "5"},
    ),
    Row("GET", "/admin/audit", (303, 403, 403, 200, 403, 403, 404, 404)),
    Row("GET", "/admin/audit?action=login.success&page=1", (303, 403, 403, 200, 403, 403, 404, 404)),
    Row(
        "GET",
        "/admin/audit?actor_name=auditor&date_from=2023-01-01&date_to=2030-12-31",
        (303, 403, 403, 200, 403, 403, 404, 404),
    ),
    Row("GET", "/admin/audit/export.xlsx?action=login.success", (303, 403, 403, 200, 403, 403, 404, 404)),
    # --- pages: 总览 (an enterprise account is sent to its own page)
    Row("GET", "/", (303, 303, 303, 303, 200, 200, 303, 303)),
    Row("GET", "/?year=2023", (303, 303, 303, 303, 200, 200, 303, 303)),
    # --- pages: 企业
    Row("GET", "/enterprises", (303, 403, 403, 403, 200, 200, 303, 303)),
    Row("GET", "/enterprises?class=A&year=2023&order=score&division=13", (303, 403, 403, 403, 200, 200, 303, 303)),
    Row("GET", "/enterprises?class=E", (303, 422, 422, 422, 422, 422, 422, 422)),
    Row("GET", "/enterprises/export?format=csv", (303, 403, 403, 403, 200, 200, 404, 404)),
    Row("GET", "/enterprises/export?format=xlsx&year=2024", (303, 403, 403, 403, 200, 200, 404, 404)),
    Row("GET", "/enterprises/{uscc_a}", (303, 404, 404, 404, 200, 200, 200, 404)),
    Row("GET", "/enterprises/{uscc_b}", (303, 404, 404, 404, 200, 200, 404, 200)),
    Row("GET", "/enterprises/{unknown_uscc}", (303, 404, 404, 404, 404, 404, 404, 404)),
    Row("GET", "/enterprises/{uscc_a}?run_id={draft_run}", (303, 404, 404, 404, 200, 200, 404, 404)),
    Row("GET", "/enterprises/{uscc_a}?run_id={final_run}", (303, 404, 404, 404, 200, 200, 200, 404)),
    Row(
        "POST",
        "/enterprises/{uscc_a}/objections",
        (303, 404, 404, 404, 403, 403, 404, 404),
        form={"run_id": "999999", "text": "用地面积有误"},
    ),
    Row("GET", "/enterprises/{uscc_a}/evidence/{missing_run}", (303, 404, 404, 404, 404, 404, 404, 404)),
    # --- pages: 数据导入 (analyst)
    # --- pages: jobs (后台任务): only staff submit; a job id nobody may see answers 404
    Row("GET", "/jobs", (303, 403, 403, 403, 200, 200, 200, 200), office_unit=(200, 200)),
    Row(
        "POST",
        "/jobs",
        (303, 403, 403, 403, 303, 303, 404, 404),
        form={"kind": "notices_zip", "run_id": "1"},
        office_unit=(403, 403),
    ),
    Row(
        "POST",
        "/jobs",
        (303, 403, 403, 403, 303, 403, 404, 404),
        form={"kind": "run_create", "year": "2024", "scheme_version_id": "1"},
        office_unit=(403, 403),
    ),
    Row(
        "POST", "/jobs", (303, 403, 403, 403, 422, 422, 404, 404), form={"kind": "no_such_kind"}, office_unit=(403, 403)
    ),
    Row("GET", "/jobs/{missing_run}", (303, 403, 403, 403, 404, 404, 404, 404), office_unit=(404, 404)),
    Row("GET", "/jobs/{missing_run}/progress", (303, 403, 403, 403, 404, 404, 404, 404), office_unit=(404, 404)),
    Row("POST", "/jobs/{missing_run}/cancel", (303, 403, 403, 403, 404, 404, 404, 404), office_unit=(404, 404)),
    Row("POST", "/jobs/{missing_run}/retry", (303, 403, 403, 403, 404, 404, 404, 404), office_unit=(404, 404)),
    Row("GET", "/jobs/{missing_run}/download", (303, 403, 403, 403, 404, 404, 404, 404), office_unit=(404, 404)),
    Row("GET", "/api/jobs/{missing_run}", (401, 403, 403, 403, 404, 404, 404, 404), office_unit=(404, 404)),
    Row("GET", "/imports", (303, 403, 403, 403, 200, 403, 404, 404)),
    Row("POST", "/imports", (303, 403, 403, 403, 422, 403, 404, 404), form={"year": "2024"}),
    Row("GET", "/imports/{missing_run}", (303, 403, 403, 403, 404, 403, 404, 404)),
    Row("POST", "/imports/{missing_run}/confirm", (303, 403, 403, 403, 404, 403, 404, 404), form={"year": "2024"}),
    Row("POST", "/imports/{missing_run}/discard", (303, 403, 403, 403, 404, 403, 404, 404)),
    # --- pages: 评价
    Row("GET", "/runs", (303, 403, 403, 403, 200, 200, 404, 404)),
    Row(
        "POST", "/runs", (303, 403, 403, 403, 404, 403, 404, 404), form={"year": "2024", "scheme_version_id": "999999"}
    ),
    Row("GET", "/runs/{final_run}", (303, 403, 403, 403, 200, 200, 404, 404)),
    Row("GET", "/runs/{draft_run}?class=B&group=above&order=score&page=1", (303, 403, 403, 403, 200, 200, 404, 404)),
    Row("GET", "/runs/{missing_run}", (303, 403, 403, 403, 404, 404, 404, 404)),
    Row("POST", "/runs/{final_run}/publish", (303, 403, 403, 403, 409, 403, 404, 404), form={"period_days": "5"}),
    Row("POST", "/runs/{final_run}/finalize", (303, 403, 403, 403, 409, 403, 404, 404)),
    Row("POST", "/runs/{final_run}/delete", (303, 403, 403, 403, 409, 403, 404, 404)),
    Row("GET", "/runs/{final_run}/export.xlsx", (303, 403, 403, 403, 200, 200, 404, 404)),
    Row(
        "POST",
        "/runs/{final_run}/objections/{missing_run}/accept",
        (303, 403, 403, 403, 404, 403, 404, 404),
        form={"answer": "同意", "field": "land_area_mu", "value": "10"},
    ),
    Row("GET", "/runs/{final_run}/objections/{missing_run}", (303, 403, 403, 403, 404, 404, 404, 404)),
    Row(
        "GET",
        "/runs/{final_run}/objections/{missing_run}?field=land_area_mu&value=8",
        (303, 403, 403, 403, 404, 404, 404, 404),
    ),
    Row(
        "POST",
        "/runs/{final_run}/objections/{missing_run}/reject",
        (303, 403, 403, 403, 404, 403, 404, 404),
        form={"answer": "数据无误"},
    ),
    # --- pages: 评价方案
    Row("GET", "/schemes", (303, 403, 403, 403, 200, 200, 404, 404)),
    Row("GET", "/schemes/versions/{missing_run}", (303, 403, 403, 403, 404, 404, 404, 404)),
    Row("GET", "/schemes/{missing_run}/edit", (303, 403, 403, 403, 404, 403, 404, 404)),
    Row("POST", "/schemes/{missing_run}/versions", (303, 403, 403, 403, 404, 403, 404, 404), form={"text": "x"}),
    Row("POST", "/schemes/{missing_run}/form", (303, 403, 403, 403, 404, 403, 404, 404), form={"scoring.cap": "2"}),
    Row("GET", "/schemes/1/compare", (303, 403, 403, 403, 200, 200, 404, 404)),
    Row("GET", "/schemes/{missing_run}/compare", (303, 403, 403, 403, 404, 404, 404, 404)),
    Row("GET", "/schemes/versions/1/download", (303, 403, 403, 403, 200, 200, 404, 404)),
    Row("GET", "/schemes/versions/{missing_run}/download", (303, 403, 403, 403, 404, 404, 404, 404)),
    # --- pages: 梯度培育, 目标 (staff read; the analyst edits goals)
    Row("GET", "/cultivation", (303, 403, 403, 403, 200, 200, 404, 404)),
    Row("GET", "/cultivation?year=2023", (303, 403, 403, 403, 200, 200, 404, 404)),
    Row("GET", "/cultivation/export.xlsx?year=2024", (303, 403, 403, 403, 200, 200, 404, 404)),
    Row("GET", "/cultivation/export.xlsx?year=2030", (303, 403, 403, 403, 404, 404, 404, 404)),
    Row("GET", "/targets", (303, 403, 403, 403, 200, 200, 404, 404)),
    Row("GET", "/targets?year=2024&month=6", (303, 403, 403, 403, 200, 200, 404, 404)),
    Row(
        "POST",
        "/targets/goals",
        (303, 403, 403, 403, 303, 403, 404, 404),
        form={"year": "2024", "key": "matrix_goal", "label": "矩阵目标", "value": "100", "unit": "万元"},
    ),
    Row("POST", "/targets/goals", (303, 403, 403, 403, 422, 403, 404, 404), form={"year": "2024", "key": "Bad Key"}),
    Row(
        "POST",
        "/targets/goals/{missing_run}/actuals",
        (303, 403, 403, 403, 404, 403, 404, 404),
        form={"year": "2024", "month": "3", "value": "1"},
    ),
    Row("POST", "/targets/goals/{missing_run}/delete", (303, 403, 403, 403, 404, 403, 404, 404), form={"year": "2024"}),
    Row("POST", "/targets/compute", (303, 403, 403, 403, 303, 403, 404, 404), form={"year": "2024", "month": "12"}),
    # --- pages: 评价 · what-if (staff try it on drafts; only editors save a variant), robustness (staff), lift (staff
    # and the enterprise itself)
    Row("GET", "/runs/{draft_run}/whatif", (303, 403, 403, 403, 200, 200, 404, 404)),
    Row("GET", "/runs/{final_run}/whatif", (303, 403, 403, 403, 409, 409, 404, 404)),
    Row("POST", "/runs/{draft_run}/whatif", (303, 403, 403, 403, 200, 200, 404, 404), form={"cap": "1.5"}),
    Row("POST", "/runs/{draft_run}/whatif", (303, 403, 403, 403, 422, 422, 404, 404), form={"cap": "很多"}),
    Row(
        "POST",
        "/runs/{draft_run}/whatif",
        (303, 403, 403, 403, 422, 422, 404, 404),
        form={"w:above:tax_per_mu": "40"},
    ),
    Row("POST", "/runs/{final_run}/whatif/save", (303, 403, 403, 403, 409, 403, 404, 404), form={"cap": "1.5"}),
    Row("GET", "/runs/{draft_run}/robustness?draws=50&seed=1", (303, 403, 403, 403, 200, 200, 404, 404)),
    Row("GET", "/runs/{missing_run}/robustness", (303, 403, 403, 403, 404, 404, 404, 404)),
    Row("POST", "/runs/{draft_run}/robustness", (303, 403, 403, 403, 303, 303, 404, 404), form={"draws": "50"}),
    Row("GET", "/runs/{draft_run}/whatif/jobs/{missing_run}", (303, 403, 403, 403, 404, 404, 404, 404)),
    Row("GET", "/runs/{draft_run}/whatif/jobs/{missing_run}/progress", (303, 403, 403, 403, 404, 404, 404, 404)),
    Row("GET", "/runs/{final_run}/robustness/jobs/{missing_run}", (303, 403, 403, 403, 404, 404, 404, 404)),
    Row("GET", "/runs/{final_run}/robustness/jobs/{missing_run}/progress", (303, 403, 403, 403, 404, 404, 404, 404)),
    Row("GET", "/enterprises/{uscc_a}/lift?run={final_run}", (303, 404, 404, 404, 200, 200, 200, 404)),
    Row("GET", "/enterprises/{uscc_a}/lift?run={draft_run}", (303, 404, 404, 404, 200, 200, 404, 404)),
    Row("GET", "/enterprises/{uscc_b}/lift?run={final_run}", (303, 404, 404, 404, 200, 200, 404, 200)),
    # --- API: 决策支持
    Row("GET", "/api/cultivation?year=2024", (401, 403, 403, 403, 200, 200, 404, 404)),
    Row("GET", "/api/cultivation?year=2030", (401, 403, 403, 403, 404, 404, 404, 404)),
    Row("GET", "/api/targets?year=2024", (401, 403, 403, 403, 200, 200, 404, 404)),
    Row("GET", "/api/targets?year=2024&month=13", (401, 403, 403, 403, 422, 422, 404, 404)),
    Row("POST", "/api/runs/{draft_run}/whatif", (401, 403, 403, 403, 200, 200, 404, 404), json={"cap": 1.5}),
    Row("POST", "/api/runs/{final_run}/whatif", (401, 403, 403, 403, 409, 409, 404, 404), json={}),
    Row("GET", "/api/runs/{draft_run}/robustness?draws=50", (401, 403, 403, 403, 200, 200, 404, 404)),
    Row("GET", "/api/enterprises/{uscc_a}/lift?run={final_run}", (401, 404, 404, 404, 200, 200, 200, 404)),
    Row("GET", "/api/enterprises/{uscc_b}/lift?run={draft_run}", (401, 404, 404, 404, 200, 200, 404, 404)),
    # --- pages: 文书下载 (staff every document; an enterprise only its own notice of a published run)
    Row("GET", "/runs/{final_run}/report.pdf", (303, 403, 403, 403, 200, 200, 404, 404)),
    Row("GET", "/runs/{draft_run}/report.xlsx", (303, 403, 403, 403, 200, 200, 404, 404)),
    Row("GET", "/runs/{missing_run}/report.pdf", (303, 403, 403, 403, 404, 404, 404, 404)),
    Row("GET", "/runs/{final_run}/notices.zip?lift=0", (303, 403, 403, 403, 200, 200, 404, 404)),
    Row("GET", "/runs/{missing_run}/notices.zip", (303, 403, 403, 403, 404, 404, 404, 404)),
    Row("GET", "/runs/{final_run}/notices/{uscc_a}.pdf", (303, 404, 404, 404, 200, 200, 200, 404)),
    Row("GET", "/runs/{final_run}/notices/{uscc_b}.pdf", (303, 404, 404, 404, 200, 200, 404, 200)),
    Row("GET", "/runs/{draft_run}/notices/{uscc_a}.pdf", (303, 404, 404, 404, 200, 200, 404, 404)),
    Row("GET", "/runs/{final_run}/notices/{unknown_uscc}.pdf", (303, 404, 404, 404, 404, 404, 404, 404)),
    Row("GET", "/runs/{final_run}/public-list.pdf", (303, 403, 403, 403, 200, 200, 404, 404)),
    Row("GET", "/runs/{final_run}/public-list.xlsx", (303, 403, 403, 403, 200, 200, 404, 404)),
    Row("GET", "/runs/{draft_run}/public-list.pdf", (303, 403, 403, 403, 409, 409, 404, 404)),
    Row("GET", "/projects/briefing/{missing_run}/{missing_run}.pdf", (303, 403, 403, 403, 404, 404, 404, 404)),
    Row("GET", "/projects/briefing/{missing_run}/{missing_run}.xlsx", (303, 403, 403, 403, 404, 404, 404, 404)),
    # --- pages: 项目调度 (analyst/leader/project_office read all; unit its own; enterprise and administrators nothing)
    #     office_unit = (project_office "projects", unit "unit"); edits: project_office
    Row("GET", "/projects", (303, 403, 403, 403, 200, 200, 404, 404), office_unit=(200, 200)),
    Row(
        "GET",
        "/projects?light=red&stage=construction&q=XM",
        (303, 403, 403, 403, 200, 200, 404, 404),
        office_unit=(200, 200),
    ),
    Row("GET", "/projects?stage=bogus", (303, 422, 422, 422, 422, 422, 422, 422), office_unit=(422, 422)),
    Row("GET", "/projects/{own_project}", (303, 403, 403, 403, 200, 200, 404, 404), office_unit=(200, 200)),
    Row("GET", "/projects/{other_project}", (303, 403, 403, 403, 200, 200, 404, 404), office_unit=(200, 404)),
    Row("GET", "/projects/{missing_project}", (303, 403, 403, 403, 404, 404, 404, 404), office_unit=(404, 404)),
    Row(
        "GET",
        "/projects/{own_project}/photos/{missing_run}",
        (303, 403, 403, 403, 404, 404, 404, 404),
        office_unit=(404, 404),
    ),
    Row(
        "POST",
        "/projects/{other_project}/milestones",
        (303, 403, 403, 403, 403, 403, 404, 404),
        form={"milestone": "production", "actual": "2000-01-01"},
        office_unit=(422, 403),
    ),
    Row(
        "POST",
        "/projects/{own_project}/plans",
        (303, 403, 403, 403, 403, 403, 404, 404),
        form={"year": "2025", "amount": "-5"},
        office_unit=(422, 403),
    ),
    Row(
        "POST",
        "/projects/{own_project}/progress",
        (303, 403, 403, 403, 403, 403, 404, 404),
        form={"year": "2025", "month": "1", "investment_month": "-1"},
        office_unit=(422, 403),
    ),
    Row(
        "POST",
        "/projects/{own_project}/difficulties",
        (303, 403, 403, 403, 403, 403, 404, 404),
        form={
            "description": "用地未交付",
            "category": "land",
            "owner_unit": "自然资源分局",
            "raised_on": "2025-05-01",
            "deadline": "2025-04-01",
        },
        office_unit=(422, 403),
    ),
    Row("GET", "/projects/lists", (303, 403, 403, 403, 200, 200, 404, 404), office_unit=(200, 200)),
    Row("GET", "/projects/lists?as_of=2025-06-30", (303, 403, 403, 403, 200, 200, 404, 404), office_unit=(200, 200)),
    Row("GET", "/projects/warnings", (303, 403, 403, 403, 200, 200, 404, 404), office_unit=(200, 200)),
    Row("GET", "/projects/difficulties?unit=建设局", (303, 403, 403, 403, 200, 200, 404, 404), office_unit=(200, 200)),
    Row(
        "POST",
        "/projects/difficulties/{own_difficulty}",
        (303, 403, 403, 403, 403, 403, 404, 404),
        form={"status": "in_progress"},
        office_unit=(303, 303),
    ),
    Row(
        "POST",
        "/projects/difficulties/{missing_run}",
        (303, 403, 403, 403, 404, 404, 404, 404),
        form={"status": "open"},
        office_unit=(404, 404),
    ),
    Row("GET", "/projects/months", (303, 403, 403, 403, 200, 200, 404, 404), office_unit=(200, 403)),
    Row(
        "POST",
        "/projects/months",
        (303, 403, 403, 403, 403, 403, 404, 404),
        form={"year": "2100", "month": "12"},
        office_unit=(409, 403),
    ),
    Row(
        "GET",
        "/projects/months/{closed_year}/{closed_month}",
        (303, 403, 403, 403, 200, 200, 404, 404),
        office_unit=(200, 403),
    ),
    Row("GET", "/projects/months/2001/1", (303, 403, 403, 403, 404, 404, 404, 404), office_unit=(404, 403)),
    Row(
        "GET",
        "/projects/briefing/{closed_year}/{closed_month}.xlsx",
        (303, 403, 403, 403, 200, 200, 404, 404),
        office_unit=(200, 403),
    ),
    Row(
        "GET",
        "/projects/briefing/{closed_year}/{closed_month}.pdf",
        (303, 403, 403, 403, 200, 200, 404, 404),
        office_unit=(200, 403),
    ),
    Row("GET", "/projects/progress/upload", (303, 403, 403, 403, 403, 403, 404, 404), office_unit=(200, 403)),
    Row("POST", "/projects/progress/upload", (303, 403, 403, 403, 403, 403, 404, 404), office_unit=(422, 403)),
    Row(
        "POST",
        "/projects/progress/upload/0123456789abcdef0123456789abcdef/confirm",
        (303, 403, 403, 403, 403, 403, 404, 404),
        office_unit=(404, 403),
    ),
    # --- API: 项目调度
    Row("GET", "/api/projects", (401, 403, 403, 403, 200, 200, 404, 404), office_unit=(200, 200)),
    Row(
        "GET",
        "/api/projects?light=yellow&chain=新材料",
        (401, 403, 403, 403, 200, 200, 404, 404),
        office_unit=(200, 200),
    ),
    Row("GET", "/api/projects/{own_project}", (401, 403, 403, 403, 200, 200, 404, 404), office_unit=(200, 200)),
    Row("GET", "/api/projects/{other_project}", (401, 403, 403, 403, 200, 200, 404, 404), office_unit=(200, 404)),
    Row("GET", "/api/projects/{missing_project}", (401, 403, 403, 403, 404, 404, 404, 404), office_unit=(404, 404)),
    Row(
        "GET",
        "/api/schedule/{schedule_year}?as_of=2025-06-30",
        (401, 403, 403, 403, 200, 200, 404, 404),
        office_unit=(200, 200),
    ),
    Row(
        "GET",
        "/api/schedule/{schedule_year}?as_of=2024-06-30",
        (401, 422, 422, 422, 422, 422, 422, 422),
        office_unit=(422, 422),
    ),
    # --- 招商 (全员招商: every staff account reports and reads its own; leaders all; the 招商局 owns them)
    #     office_unit = (project_office "projects", unit "unit"); investment = 招商局 "zhaoshang"
    Row("GET", "/investment", (303, 403, 403, 403, 200, 200, 404, 404), office_unit=(200, 200), investment=200),
    Row(
        "GET",
        "/investment?as_of=2025-06-30",
        (303, 403, 403, 403, 200, 200, 404, 404),
        office_unit=(200, 200),
        investment=200,
    ),
    Row("GET", "/investment/leads", (303, 403, 403, 403, 200, 200, 404, 404), office_unit=(200, 200), investment=200),
    Row(
        "GET",
        "/investment/leads?stage=signed&chain=新能源&q=科技",
        (303, 403, 403, 403, 200, 200, 404, 404),
        office_unit=(200, 200),
        investment=200,
    ),
    Row(
        "GET",
        "/investment/leads?stage=bogus",
        (303, 403, 403, 403, 422, 422, 404, 404),
        office_unit=(422, 422),
        investment=422,
    ),
    Row(
        "GET", "/investment/leads/new", (303, 403, 403, 403, 200, 200, 404, 404), office_unit=(200, 200), investment=200
    ),
    Row(
        "POST",
        "/investment/leads",
        (303, 403, 403, 403, 422, 422, 404, 404),
        form={"investor": ""},
        office_unit=(422, 422),
        investment=422,
    ),
    Row(
        "GET",
        "/investment/leads/import",
        (303, 403, 403, 403, 200, 403, 404, 404),
        office_unit=(403, 403),
        investment=200,
    ),
    Row(
        "POST",
        "/investment/leads/import",
        (303, 403, 403, 403, 422, 403, 404, 404),
        office_unit=(403, 403),
        investment=422,
    ),
    Row(
        "POST",
        "/investment/leads/import/{missing_upload}/confirm",
        (303, 403, 403, 403, 404, 403, 404, 404),
        office_unit=(403, 403),
        investment=404,
    ),
    Row(
        "GET",
        "/investment/leads/{analyst_lead}",
        (303, 403, 403, 403, 200, 200, 404, 404),
        office_unit=(404, 404),
        investment=200,
    ),
    Row(
        "GET",
        "/investment/leads/{missing_lead}",
        (303, 403, 403, 403, 404, 404, 404, 404),
        office_unit=(404, 404),
        investment=404,
    ),
    Row(
        "POST",
        "/investment/leads/{analyst_lead}/move",
        (303, 403, 403, 403, 403, 403, 404, 404),
        form={"to": "bogus"},
        office_unit=(403, 403),
        investment=422,
    ),
    Row(
        "POST",
        "/investment/leads/{analyst_lead}/activities",
        (303, 403, 403, 403, 403, 403, 404, 404),
        form={"kind": "bogus", "staff": "王科长"},
        office_unit=(403, 403),
        investment=422,
    ),
    Row(
        "POST",
        "/investment/leads/{analyst_lead}/sign",
        (303, 403, 403, 403, 403, 403, 404, 404),
        form={"signed_on": ""},
        office_unit=(403, 403),
        investment=422,
    ),
    # --- server-side sessions (会话管理: the security administrator alone, require_security_admin)
    Row("POST", "/api/session/keepalive", logged_in(200), office_unit=(200, 200)),
    Row("GET", "/admin/sessions", (303, 403, 200, 403, 403, 403, 404, 404), office_unit=(403, 403)),
    Row(
        "POST",
        "/admin/sessions/{missing_run}/end",
        (303, 403, 404, 403, 403, 403, 404, 404),
        office_unit=(403, 403),
    ),
    Row(
        "POST",
        "/admin/sessions/users/{missing_run}/end",
        (303, 403, 404, 403, 403, 403, 404, 404),
        office_unit=(403, 403),
    ),
)

OFFICE_UNIT_ELSEWHERE: dict[tuple[str, str], tuple[int, int]] = {
    # The project roles outside 项目调度 (project_office, unit): no enterprise or evaluation pages or API (403,
    # or 404 where the services hide a record); 总览 (the zone's tax figures) sends them home to /projects.
    ("GET", "/healthz"): (200, 200),
    ("GET", "/api/docs"): (200, 200),
    ("GET", "/api/openapi.json"): (200, 200),
    ("GET", "/assets/classes.css"): (200, 200),
    ("GET", "/api/me"): (200, 200),
    ("POST", "/api/logout"): (200, 200),
    ("POST", "/api/login"): (401, 401),
    ("GET", "/api/enterprises"): (403, 403),
    ("GET", "/api/enterprises?class=A&year=2023"): (403, 403),
    ("GET", "/api/enterprises?year=2024&group=above"): (403, 403),
    ("GET", "/api/enterprises?class=E"): (403, 403),
    ("GET", "/api/enterprises/{uscc_a}"): (403, 403),
    ("GET", "/api/enterprises/{uscc_b}"): (403, 403),
    ("GET", "/api/enterprises/{unknown_uscc}"): (403, 403),
    ("GET", "/api/runs"): (403, 403),
    ("GET", "/api/runs?year=2024"): (403, 403),
    ("GET", "/api/runs/{final_run}"): (403, 403),
    ("GET", "/api/runs/{draft_run}"): (403, 403),
    ("GET", "/api/runs/{missing_run}"): (403, 403),
    ("GET", "/api/runs/{final_run}/results"): (403, 403),
    ("GET", "/api/runs/{final_run}/results?class=A&order=score"): (403, 403),
    ("GET", "/api/runs/{draft_run}/results"): (403, 403),
    ("GET", "/login"): (303, 303),
    ("POST", "/login"): (401, 401),
    ("POST", "/logout"): (303, 303),
    ("GET", "/account/password"): (200, 200),
    ("POST", "/account/password"): (401, 401),
    ("GET", "/admin/users"): (403, 403),
    ("GET", "/admin/zone"): (403, 403),
    ("POST", "/admin/zone"): (403, 403),
    ("POST", "/admin/users"): (403, 403),
    ("POST", "/admin/users/leader/active"): (403, 403),
    ("POST", "/admin/users/leader/password"): (403, 403),
    ("POST", "/admin/users/leader/role"): (403, 403),
    ("GET", "/admin/security"): (403, 403),
    ("GET", "/admin/audit"): (403, 403),
    ("GET", "/admin/audit?action=login.success&page=1"): (403, 403),
    ("GET", "/admin/audit?actor_name=auditor&date_from=2023-01-01&date_to=2030-12-31"): (403, 403),
    ("GET", "/admin/audit/export.xlsx?action=login.success"): (403, 403),
    ("GET", "/"): (303, 303),
    ("GET", "/?year=2023"): (303, 303),
    ("GET", "/enterprises"): (403, 403),
    ("GET", "/enterprises?class=A&year=2023&order=score&division=13"): (403, 403),
    ("GET", "/enterprises?class=E"): (422, 422),
    ("GET", "/enterprises/export?format=csv"): (403, 403),
    ("GET", "/enterprises/export?format=xlsx&year=2024"): (403, 403),
    ("GET", "/enterprises/{uscc_a}"): (404, 404),
    ("GET", "/enterprises/{uscc_b}"): (404, 404),
    ("GET", "/enterprises/{unknown_uscc}"): (404, 404),
    ("GET", "/enterprises/{uscc_a}?run_id={draft_run}"): (404, 404),
    ("GET", "/enterprises/{uscc_a}?run_id={final_run}"): (404, 404),
    ("POST", "/enterprises/{uscc_a}/objections"): (404, 404),
    ("GET", "/enterprises/{uscc_a}/evidence/{missing_run}"): (404, 404),
    ("GET", "/imports"): (403, 403),
    ("POST", "/imports"): (403, 403),
    ("GET", "/imports/{missing_run}"): (403, 403),
    ("POST", "/imports/{missing_run}/confirm"): (403, 403),
    ("POST", "/imports/{missing_run}/discard"): (403, 403),
    ("GET", "/runs"): (403, 403),
    ("POST", "/runs"): (403, 403),
    ("GET", "/runs/{final_run}"): (403, 403),
    ("GET", "/runs/{draft_run}?class=B&group=above&order=score&page=1"): (403, 403),
    ("GET", "/runs/{missing_run}"): (403, 403),
    ("POST", "/runs/{final_run}/publish"): (403, 403),
    ("POST", "/runs/{final_run}/finalize"): (403, 403),
    ("POST", "/runs/{final_run}/delete"): (403, 403),
    ("GET", "/runs/{final_run}/export.xlsx"): (403, 403),
    ("POST", "/runs/{final_run}/objections/{missing_run}/accept"): (403, 403),
    ("GET", "/runs/{final_run}/objections/{missing_run}"): (403, 403),
    ("GET", "/runs/{final_run}/objections/{missing_run}?field=land_area_mu&value=8"): (403, 403),
    ("POST", "/runs/{final_run}/objections/{missing_run}/reject"): (403, 403),
    ("GET", "/schemes"): (403, 403),
    ("GET", "/schemes/versions/{missing_run}"): (403, 403),
    ("GET", "/schemes/{missing_run}/edit"): (403, 403),
    ("POST", "/schemes/{missing_run}/versions"): (403, 403),
    ("POST", "/schemes/{missing_run}/form"): (403, 403),
    ("GET", "/schemes/1/compare"): (403, 403),
    ("GET", "/schemes/{missing_run}/compare"): (403, 403),
    ("GET", "/schemes/versions/1/download"): (403, 403),
    ("GET", "/schemes/versions/{missing_run}/download"): (403, 403),
    ("GET", "/cultivation"): (403, 403),
    ("GET", "/cultivation?year=2023"): (403, 403),
    ("GET", "/cultivation/export.xlsx?year=2024"): (403, 403),
    ("GET", "/cultivation/export.xlsx?year=2030"): (403, 403),
    ("GET", "/targets"): (403, 403),
    ("GET", "/targets?year=2024&month=6"): (403, 403),
    ("POST", "/targets/goals"): (403, 403),
    ("POST", "/targets/goals/{missing_run}/actuals"): (403, 403),
    ("POST", "/targets/goals/{missing_run}/delete"): (403, 403),
    ("POST", "/targets/compute"): (403, 403),
    ("GET", "/runs/{draft_run}/whatif"): (403, 403),
    ("GET", "/runs/{final_run}/whatif"): (403, 403),
    ("POST", "/runs/{draft_run}/whatif"): (403, 403),
    ("POST", "/runs/{final_run}/whatif/save"): (403, 403),
    ("GET", "/runs/{draft_run}/robustness?draws=50&seed=1"): (403, 403),
    ("GET", "/runs/{missing_run}/robustness"): (403, 403),
    ("POST", "/runs/{draft_run}/robustness"): (403, 403),
    ("GET", "/runs/{draft_run}/whatif/jobs/{missing_run}"): (403, 403),
    ("GET", "/runs/{draft_run}/whatif/jobs/{missing_run}/progress"): (403, 403),
    ("GET", "/runs/{final_run}/robustness/jobs/{missing_run}"): (403, 403),
    ("GET", "/runs/{final_run}/robustness/jobs/{missing_run}/progress"): (403, 403),
    ("GET", "/enterprises/{uscc_a}/lift?run={final_run}"): (404, 404),
    ("GET", "/enterprises/{uscc_a}/lift?run={draft_run}"): (404, 404),
    ("GET", "/enterprises/{uscc_b}/lift?run={final_run}"): (404, 404),
    ("GET", "/api/cultivation?year=2024"): (403, 403),
    ("GET", "/api/cultivation?year=2030"): (403, 403),
    ("GET", "/api/targets?year=2024"): (403, 403),
    ("GET", "/api/targets?year=2024&month=13"): (403, 403),
    ("POST", "/api/runs/{draft_run}/whatif"): (403, 403),
    ("POST", "/api/runs/{final_run}/whatif"): (403, 403),
    ("GET", "/api/runs/{draft_run}/robustness?draws=50"): (403, 403),
    ("GET", "/api/enterprises/{uscc_a}/lift?run={final_run}"): (404, 404),
    ("GET", "/api/enterprises/{uscc_b}/lift?run={draft_run}"): (404, 404),
    ("GET", "/runs/{final_run}/report.pdf"): (403, 403),
    ("GET", "/runs/{draft_run}/report.xlsx"): (403, 403),
    ("GET", "/runs/{missing_run}/report.pdf"): (403, 403),
    ("GET", "/runs/{final_run}/notices.zip?lift=0"): (403, 403),
    ("GET", "/runs/{missing_run}/notices.zip"): (403, 403),
    ("GET", "/runs/{final_run}/notices/{uscc_a}.pdf"): (404, 404),
    ("GET", "/runs/{final_run}/notices/{uscc_b}.pdf"): (404, 404),
    ("GET", "/runs/{draft_run}/notices/{uscc_a}.pdf"): (404, 404),
    ("GET", "/runs/{final_run}/notices/{unknown_uscc}.pdf"): (404, 404),
    ("GET", "/runs/{final_run}/public-list.pdf"): (403, 403),
    ("GET", "/runs/{final_run}/public-list.xlsx"): (403, 403),
    ("GET", "/runs/{draft_run}/public-list.pdf"): (403, 403),
    ("GET", "/projects/briefing/{missing_run}/{missing_run}.pdf"): (404, 403),
    ("GET", "/projects/briefing/{missing_run}/{missing_run}.xlsx"): (404, 403),
}


INVESTMENT_ELSEWHERE: dict[tuple[str, str], int] = {
    # The 招商局 outside 招商: its own account and to-do list, the project library (read only; its signings feed
    # 签约一批), no enterprise or evaluation data; 总览 sends it home to /investment.
    ("GET", "/api/me"): 200,
    ("GET", "/todo"): 200,
    ("GET", "/api/todo"): 200,
    ("GET", "/"): 303,
    ("GET", "/api/enterprises"): 403,
    ("GET", "/api/runs"): 403,
    ("GET", "/projects"): 200,
    ("GET", "/projects/lists"): 200,
    ("GET", "/projects/{own_project}"): 200,
    ("POST", "/projects/months"): 403,
    ("GET", "/admin/users"): 403,
    ("GET", "/admin/audit"): 403,
}
