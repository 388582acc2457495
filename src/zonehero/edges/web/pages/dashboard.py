"""领导驾驶舱 (the cockpit): the landing page of leaders and staff.

KPI cards with year-on-year change, the class mix per group, 亩均税收 by industry and by chain, the trend over
the years of final runs, the 亩均税收 distribution and the top and bottom lists. The figures are decided in
:mod:`zonehero.features.cockpit.service` from what each run kept; this page chooses the run and the charts'
shapes. Shows the latest final run unless a year or run is chosen. Staff only; any other account is sent to its
home (an enterprise to its own page, the project roles to 项目调度).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from zonehero.clock import today
from zonehero.core.evaluation.scheme import indicator_label_unit
from zonehero.edges.web import charts
from zonehero.edges.web.deps import CurrentUser, SessionDep
from zonehero.edges.web.nav import home_path
from zonehero.edges.web.pages.targets import STATUS_BADGES
from zonehero.edges.web.paging import MAX_ID
from zonehero.edges.web.rendering import render
from zonehero.features.cockpit import service as cockpit
from zonehero.features.land import service as land
from zonehero.features.runs import aggregates, summary
from zonehero.features.runs import service as runs
from zonehero.features.runs.choice import pick_run, run_years, scheme_of_run
from zonehero.features.todo import service as todo

router = APIRouter(include_in_schema=False)


@router.get("/", name="dashboard")
def dashboard(
    request: Request,
    session: SessionDep,
    actor: CurrentUser,
    year: Annotated[int | None, Query(ge=2000, le=2100, description="年度")] = None,
    run_id: Annotated[int | None, Query(ge=1, le=MAX_ID, description="评价批次")] = None,
) -> Response:
    """The zone at a glance for the chosen year (default: the latest final run)."""
    if not actor.is_staff:  # enterprise and project accounts: the zone's tax figures are not theirs to see
        return RedirectResponse(home_path(actor), status_code=303)
    all_runs = runs.list_runs(session, actor)
    run = pick_run(all_runs, year=year, run_id=run_id)
    context: dict[str, Any] = {
        "run": run,
        "years": run_years(all_runs),
        "year": run.year if run else year,
        "todo": todo.todo_list(session, actor),  # what this account must act on, above the figures
    }
    if run is not None:
        view = cockpit.cockpit(session, actor, run, all_runs, today())
        figures, top, bottom = runs.dashboard_figures(session, actor, run.id)
        scheme = scheme_of_run(session, actor, run.id)
        label, unit = indicator_label_unit(scheme, aggregates.HISTOGRAM_INDICATOR)
        context |= {
            "cockpit": view,
            "per_mu_unit": cockpit.PER_MU_UNIT,
            "target_badges": STATUS_BADGES,
            "benchmarks": summary.zone_benchmarks(run.benchmarks, scheme),
            "top": top,
            "group_sizes": runs.evaluated_per_group(session, actor, run.id),
            "bottom": bottom,
            "histogram_count": figures.histogram_count,
            "histogram_label": label,
            "zone_map_src": f"/land/map.json?run_id={run.id}" if land.has_map(session) else None,
            "charts": {
                "classes": charts.option_json(charts.class_counts_bar(run.counts)),
                "trend": charts.option_json(charts.zone_trend(view.trend, unit=cockpit.PER_MU_UNIT)),
                "divisions": charts.option_json(charts.division_bars(view.divisions, unit=cockpit.PER_MU_UNIT)),
                "histogram": charts.option_json(charts.histogram(figures.histogram, name=label, unit=unit)),
            },
        }
    return render(request, "dashboard/index.html", context)
