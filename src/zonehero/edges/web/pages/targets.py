"""目标 (zone targets): goals of a year against actuals pro-rated to the period, a chart, those off course.

Staff read; the analyst sets goals, enter actuals by hand (per month or
quarter: a quarter is its last month) and compute actuals from the stored
figures. An enterprise account is answered 404.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import RedirectResponse, Response

from zonehero.clock import today
from zonehero.core.targets import FORMULAS
from zonehero.edges.web.charts import Option, option_json
from zonehero.edges.web.deps import EditorUser, SessionDep, StaffUser
from zonehero.edges.web.paging import MAX_ID
from zonehero.edges.web.rendering import flash, render
from zonehero.features.goals import service as goals
from zonehero.features.goals.schemas import ProgressRead, parse_goal

router = APIRouter(prefix="/targets", include_in_schema=False)

GoalId = Annotated[int, Path(ge=1, le=MAX_ID)]
YearForm = Annotated[int, Form(ge=2000, le=2100)]
MonthForm = Annotated[int, Form(ge=1, le=12)]
STATUS_COLOURS = {"on_track": "#2f9e44", "at_risk": "#f08c00", "off_track": "#e03131", "no_data": "#adb5bd"}
STATUS_BADGES = {
    "on_track": "text-bg-success",
    "at_risk": "text-bg-warning",
    "off_track": "text-bg-danger",
    "no_data": "text-bg-secondary",
}
DIRECTION_LABELS = {"higher": "越高越好", "lower": "越低越好"}
KIND_LABELS = {"cumulative": "累计量（按月份比例分解）", "level": "水平值（直接比较）"}


def attainment_chart(items: list[ProgressRead]) -> Option:
    """完成进度: actual ÷ pro-rated goal per goal as bars coloured by status, with the 100% line."""
    rows = [i for i in items if i.attainment is not None]
    return {
        "tooltip": {"trigger": "axis"},
        "grid": {"left": 48, "right": 24, "top": 32, "bottom": 40, "containLabel": True},
        "xAxis": {"type": "value", "name": "完成进度（%）"},
        "yAxis": {"type": "category", "data": [i.goal.label for i in rows], "inverse": True},
        "series": [
            {
                "type": "bar",
                "name": "完成进度",
                "data": [
                    {
                        "value": round((i.attainment or 0.0) * 100, 1),
                        "itemStyle": {"color": STATUS_COLOURS[i.status]},
                    }
                    for i in rows
                ],
                "markLine": {"symbol": "none", "data": [{"xAxis": 100, "name": "序时进度"}]},
            }
        ],
    }


def _default_year(years: list[int]) -> int:
    return years[0] if years else today().year


@router.get("", name="targets_page")
def targets_page(
    request: Request,
    session: SessionDep,
    actor: StaffUser,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    month_text: Annotated[str, Query(alias="month", pattern=r"^(|[1-9]|1[0-2])$")] = "",
) -> Response:
    """The year's goals with progress at ``month`` (or each at its latest month), chart and off-course list.

    ``month`` arrives empty when the form's 「各目标最新填报月」 is chosen, so it is read as text.
    """
    month = int(month_text) if month_text else None
    years = goals.goal_years(session, actor)
    chosen = year if year is not None else _default_year(years)
    if chosen not in years:
        years = sorted({*years, chosen}, reverse=True)
    targets = goals.year_targets(session, actor, chosen, month=month)
    context: dict[str, Any] = {
        "years": years,
        "year": chosen,
        "month": month,
        "targets": targets,
        "chart": option_json(attainment_chart(targets.items)),
        "has_chart": any(i.attainment is not None for i in targets.items),
        "can_edit": actor.can_edit,
        "formulas": FORMULAS,
        "status_badges": STATUS_BADGES,
        "direction_labels": DIRECTION_LABELS,
        "kind_labels": KIND_LABELS,
    }
    return render(request, "targets/index.html", context)


@router.post("/goals", name="goal_create")
def goal_create(
    request: Request,
    session: SessionDep,
    actor: EditorUser,
    year: YearForm,
    key: Annotated[str, Form(max_length=64)],
    label: Annotated[str, Form(max_length=100)],
    value: Annotated[float, Form()],
    unit: Annotated[str, Form(max_length=20)],
    direction: Annotated[str, Form(pattern=r"^(higher|lower)$")] = "higher",
    kind: Annotated[str, Form(pattern=r"^(cumulative|level)$")] = "cumulative",
    note: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    """Set a new goal of ``year``."""
    data = parse_goal(
        {
            "key": key.strip(),
            "label": label,
            "value": value,
            "unit": unit,
            "direction": direction,
            "kind": kind,
            "note": note.strip() or None,
        }
    )
    goal = goals.create_goal(session, actor, year, data)
    flash(request, f"已设定 {year} 年度目标「{goal.label}」")
    return RedirectResponse(f"/targets?year={year}", status_code=303)


@router.post("/goals/{goal_id}/delete", name="goal_delete")
def goal_delete(request: Request, session: SessionDep, actor: EditorUser, goal_id: GoalId, year: YearForm) -> Response:
    """Remove a goal and its actuals."""
    goals.delete_goal(session, actor, goal_id)
    flash(request, "已删除目标", "info")
    return RedirectResponse(f"/targets?year={year}", status_code=303)


@router.post("/goals/{goal_id}/actuals", name="goal_actual")
def goal_actual(
    request: Request,
    session: SessionDep,
    actor: EditorUser,
    goal_id: GoalId,
    year: YearForm,
    month: MonthForm,
    value: Annotated[float, Form()],
    note: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    """Enter the year-to-date actual of a goal at the end of ``month`` (replaces one already there)."""
    goals.record_actual(session, actor, goal_id, month=month, value=value, note=note.strip() or None)
    flash(request, f"已填报 {year} 年 1-{month} 月实际值")
    return RedirectResponse(f"/targets?year={year}", status_code=303)


@router.post("/compute", name="targets_compute")
def targets_compute(
    request: Request, session: SessionDep, actor: EditorUser, year: YearForm, month: MonthForm = 12
) -> Response:
    """Compute the actuals of every goal that has a formula from the stored enterprise figures."""
    done = goals.compute_actuals(session, actor, year, month=month)
    message = f"已根据企业数据计算 {len(done.written)} 项实际值"
    if done.skipped:
        message += "；未计算：" + "；".join(f"{FORMULAS[k].label}（{why}）" for k, why in done.skipped.items())
    flash(request, message, "success" if not done.skipped else "warning")
    return RedirectResponse(f"/targets?year={year}", status_code=303)
