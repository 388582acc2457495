"""``zonehero projects``: 四个一批 scheduling from spreadsheets, without any database.

``projects lists FILE --year Y --as-of D --out lists.json`` computes the four
lists and the lights and writes ``{"signing", "construction", "production",
"planning", "lights"}``. ``projects demo DIR`` writes seeded demo spreadsheets
in the import format.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from zonehero.edges.cli.output import console, user_errors
from zonehero.edges.cli.output import write_json_atomically as _write_json_atomically
from zonehero.errors import InputError, InputProblem

if TYPE_CHECKING:
    from rich.table import Table

projects_app = typer.Typer(
    name="projects",
    help="四个一批项目调度 / project scheduling (signing, construction, production lists).",
    no_args_is_help=True,
)

_LIGHT_STYLE = {"red": "bold red", "yellow": "yellow", "green": "green"}


def _parse_as_of(value: str) -> date:
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        raise typer.BadParameter(f"「{value}」不是 YYYY-MM-DD 格式的日期 / not a YYYY-MM-DD date") from None


def _rate(rate: float | None) -> str:
    return "—" if rate is None else f"{rate:.1%}"


def _summary(result: dict[str, Any], year: int, as_of: date) -> Table:
    from rich.table import Table

    table = Table(title=f"{year} 年四个一批（截至 {as_of.isoformat()}，投资单位：万元）", title_justify="left")
    table.add_column("清单")
    for header in ("计划", "结转", "完成", "超计划", "滞后", "完成率", "计划投资", "完成投资"):
        table.add_column(header, justify="right")
    from zonehero.core.schedule.lists import LIST_LABELS

    for key, label in LIST_LABELS.items():
        m = result[key]
        table.add_row(
            label,
            str(m["list_count"]),
            str(m["carried_over_count"]),
            str(m["achieved_count"]),
            str(m["ahead_count"]),
            str(m["late_count"]),
            _rate(m["rate"]),
            f"{m['list_investment']:,.0f}",
            f"{m['achieved_investment']:,.0f}",
        )
    planning = result["planning"]
    table.add_row(
        "谋划一批",
        str(planning["list_count"]),
        "",
        "",
        "",
        "",
        "",
        f"{planning['list_investment']:,.0f}",
        "",
    )
    return table


@projects_app.command("lists")
def lists_command(
    file: Path = typer.Argument(..., help="项目库表格（CSV/xlsx）/ project spreadsheet", show_default=False),
    year: int = typer.Option(..., "--year", "-y", help="调度年度 / year of the lists", min=2000, max=2100),
    as_of: str = typer.Option(..., "--as-of", help="截至日期 YYYY-MM-DD（须在该年度内）/ as-of date within the year"),
    out: Path = typer.Option(..., "--out", "-o", help="输出 JSON 文件 / output JSON file"),
    progress: Path | None = typer.Option(None, "--progress", "-p", help="月度进展表格 / monthly progress spreadsheet"),
    zone: Path | None = typer.Option(
        None, "--zone", help="园区概况 TOML（产业链等；默认内置，见 zonehero zone show）/ zone file", show_default=False
    ),
) -> None:
    """四个一批清单：计划、完成、完成率、滞后及红黄绿灯。

    The four lists of the year as of a date, with each project's light. Without
    --progress the lights come from milestone lateness alone.
    """
    day = _parse_as_of(as_of)
    if day.year != year:
        raise typer.BadParameter(
            f"截至日期 {day.isoformat()} 不在 {year} 年内 / not within the year", param_hint="--as-of"
        )
    with user_errors():
        from zonehero.core.schedule.importer import read_progress, read_projects
        from zonehero.core.schedule.lists import year_lists
        from zonehero.core.schedule.warnings import assess_projects
        from zonehero.core.zone import default_zone, load_zone

        profile = load_zone(zone) if zone is not None else default_zone()
        problems: list[InputProblem] = []
        projects = []
        try:
            projects = read_projects(file, profile.industry_chains)
        except InputError as exc:
            problems += exc.problems
        reports = None
        if progress is not None:
            try:
                reports = read_progress(progress, {p.code for p in projects} if not problems else None)
            except InputError as exc:
                problems += exc.problems
        if problems:
            raise InputError(problems)
        lists = year_lists(projects, year, day)
        lights = assess_projects(projects, day, reports)
        result = lists.to_dict()
        result["lights"] = {code: pl.light.value for code, pl in lights.items()}
        _write_json_atomically(result, out)

    console.print(_summary(result, year, day))
    flagged = [pl for pl in lights.values() if pl.light.value != "green"]
    flagged.sort(key=lambda pl: (-pl.light.severity, pl.code))
    if flagged:
        from rich.table import Table

        warn = Table(title="红黄灯项目 / red and yellow", title_justify="left")
        warn.add_column("项目编号")
        warn.add_column("灯")
        warn.add_column("原因 / reasons")
        for pl in flagged:
            warn.add_row(pl.code, f"[{_LIGHT_STYLE[pl.light.value]}]{pl.light.label}[/]", "；".join(pl.reasons))
        console.print(warn)
    console.print(f"已写入 / written: {out}", highlight=False)


@projects_app.command("demo")
def demo_command(
    directory: Path = typer.Argument(..., help="输出文件夹 / output folder", show_default=False),
    n: int = typer.Option(60, "--n", help="项目数 / number of projects", min=1, max=10000),
    seed: int = typer.Option(1, "--seed", help="随机种子 / seed"),
) -> None:
    """生成演示数据（projects.xlsx、progress.xlsx）/ write seeded demo spreadsheets."""
    with user_errors():
        from zonehero.demo.schedule import generate_demo, write_demo_files

        data = generate_demo(n=n, seed=seed)
        paths = write_demo_files(data, directory)
    for path in paths:
        console.print(f"已写入 / written: {path}", highlight=False)


def register(app: typer.Typer) -> None:
    """Add the ``projects`` command group to the main app."""
    app.add_typer(projects_app, name="projects")
