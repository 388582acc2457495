"""``zonehero invest``: 招商 (investment attraction) figures from a lead spreadsheet, without any database.

``invest figures LEADS --year Y --as-of D --out figures.json`` writes one JSON object with exactly the keys of
``../shared/spec/investment.md`` §3; the rules live in :mod:`zonehero.core.investment`.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from zonehero.edges.cli.output import console, user_errors, write_json_atomically

if TYPE_CHECKING:
    from rich.table import Table

invest_app = typer.Typer(
    name="invest",
    help="招大引强：招商线索与招商指标 / investment attraction (leads and figures).",
    no_args_is_help=True,
)


def _parse_date(value: str) -> date:
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        raise typer.BadParameter(f"「{value}」不是 YYYY-MM-DD 格式的日期 / not a YYYY-MM-DD date") from None


def _rate(rate: float | None) -> str:
    return "—（分母为 0）" if rate is None else f"{rate:.1%}"


def _summary(result: dict[str, Any], year: int, as_of: date) -> Table:
    from rich.table import Table

    from zonehero.core.investment.figures import FIGURE_LABELS

    table = Table(title=f"{year} 年招商指标（截至 {as_of.isoformat()}，投资单位：万元）", title_justify="left")
    table.add_column("指标")
    table.add_column("值")
    for key in ("signed_projects", "projects_over_1e8", "projects_over_1e9", "projects_over_5e9"):
        table.add_row(FIGURE_LABELS[key], str(result[key]))
    table.add_row(FIGURE_LABELS["signed_investment"], f"{result['signed_investment']:,.2f}")
    for key in ("landing_rate", "start_rate", "production_rate", "funding_rate"):
        table.add_row(FIGURE_LABELS[key], _rate(result[key]))
    table.add_row(FIGURE_LABELS["rule_5020_met"], "达标" if result["rule_5020_met"] else "未达标")
    stages = "、".join(f"{stage} {n}" for stage, n in result["stage_counts"].items())
    table.add_row(FIGURE_LABELS["stage_counts"], stages)
    board = result["leads_by_reporter"]
    top = "、".join(f"{name} {n}" for name, n in list(board.items())[:5])
    more = f" 等 {len(board)} 人" if len(board) > 5 else ""
    table.add_row(FIGURE_LABELS["leads_by_reporter"], (top + more) or "—")
    return table


@invest_app.command("figures")
def figures_command(
    file: Path = typer.Argument(..., help="招商线索表（CSV/xlsx）/ lead spreadsheet", show_default=False),
    year: int = typer.Option(..., "--year", "-y", help="统计年度 / year of the figures", min=2000, max=2100),
    as_of: str = typer.Option(..., "--as-of", help="截至日期 YYYY-MM-DD（该年度内或之后）/ as-of date"),
    out: Path = typer.Option(..., "--out", "-o", help="输出 JSON 文件 / output JSON file"),
    zone: Path | None = typer.Option(
        None,
        "--zone",
        help="园区概况 TOML（产业链、项目规模档次等；默认内置，见 zonehero zone show）/ zone file",
        show_default=False,
    ),
) -> None:
    """招商指标：新签约项目数与投资额、履约率、开工率、投产率、资金到位率、亿元以上项目、5020、全员招商、各阶段线索数。

    The 招商 figures of a year as of a date, as ../shared/spec/investment.md defines them. A chain the zone
    profile does not list is refused; project size thresholds come from the zone profile.
    """
    day = _parse_date(as_of)
    if day < date(year, 1, 1):
        raise typer.BadParameter(
            f"截至日期 {day.isoformat()} 早于 {year} 年 / the as-of date is before the year", param_hint="--as-of"
        )
    with user_errors():
        from zonehero.core.investment import read_leads, year_figures
        from zonehero.core.zone import default_zone, load_zone

        profile = load_zone(zone) if zone is not None else default_zone()
        leads = read_leads(file, profile.industry_chains)
        result = year_figures(leads, year, day, profile.investment).to_dict()
        write_json_atomically(result, out)
    console.print(_summary(result, year, day))
    console.print(f"已写入 / written: {out}", highlight=False)


def register(app: typer.Typer) -> None:
    """Add the ``invest`` command group to the main app."""
    app.add_typer(invest_app, name="invest")
