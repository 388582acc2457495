"""``zonehero zone``: the zone profile (园区概况) that file-based commands take with ``--zone FILE``."""

from __future__ import annotations

from pathlib import Path

import typer

from zonehero.edges.cli.output import console, user_errors

zone_app = typer.Typer(
    name="zone",
    help="园区概况：名称、时区、产业链、公示期规则、工作日历 / the zone profile",
    no_args_is_help=True,
)


@zone_app.command("show")
def show_command(
    file: Path | None = typer.Argument(
        None, help="园区概况文件（省略则显示内置默认值）/ zone file (default: the built-in profile)"
    ),
) -> None:
    """显示园区概况（默认为内置值，带注释），可重定向到文件后修改。

    Print the built-in zone profile with its comments (``zonehero zone show > zone.toml``), or check and summarise
    a zone file: its name, chains, 公示 rule and the years its working-day calendar covers.
    """
    from zonehero import clock
    from zonehero.clock import today
    from zonehero.core.zone.profile import default_zone_text, load_zone

    if file is None:
        text = default_zone_text()
        typer.echo(text, nl=not text.endswith("\n"))
        return
    with user_errors():
        profile = load_zone(file)
    clock.use_timezone(profile.timezone)
    years = "、".join(str(y) for y in sorted(profile.calendar.years)) or "无"
    console.print(f"园区名称：{profile.name}", highlight=False)
    console.print(f"时区：{profile.timezone}", highlight=False)
    console.print(f"产业链：{'、'.join(profile.industry_chains) or '（未设置）'}", highlight=False)
    console.print(f"公示期：{profile.notice(today()).phrase}", highlight=False)
    console.print(f"工作日历覆盖年份：{years}", highlight=False)
    tiers = profile.investment
    console.print(
        f"招商项目规模档次（万元）：{tiers.over_1e8:,.0f} / {tiers.over_1e9:,.0f} / {tiers.over_5e9:,.0f}；"
        f"「5020」须 {tiers.rule_5020_min_projects} 个及以上",
        highlight=False,
    )
    warning = profile.calendar_warning(today())
    if warning:
        console.print(f"[yellow]注意：{warning}[/]", highlight=False)


def register(app: typer.Typer) -> None:
    """Add the ``zone`` command group to the main command."""
    app.add_typer(zone_app, name="zone")
