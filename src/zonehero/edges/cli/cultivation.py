"""``zonehero cultivation``: department files of a year in, tiers, candidate pools and movers out."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from zonehero.edges.cli.evaluate import expand_inputs
from zonehero.edges.cli.output import console, err_console, user_errors

if TYPE_CHECKING:
    from zonehero.core.cultivation import CultivationResult

OUTPUT_SUFFIXES = (".json", ".xlsx")


def cultivation_command(
    inputs: list[Path] = typer.Argument(
        ...,
        help="当年的部门数据文件或文件夹（CSV/xlsx/xls/ods）/ this year's department files or folders",
        show_default=False,
    ),
    year: int = typer.Option(..., "--year", "-y", help="年度 / year", min=2000, max=2100),
    out: Path = typer.Option(..., "--out", "-o", help="输出文件 .xlsx/.json / output file"),
    previous: list[Path] | None = typer.Option(
        None,
        "--previous",
        "-p",
        help="上年的部门数据文件（可重复），用于增长率和升降档 / previous year's files (repeatable)",
    ),
    tiers: Path | None = typer.Option(None, "--tiers", "-t", help="梯度标准 TOML（默认内置）/ tier definitions file"),
    extra: Path | None = typer.Option(
        None,
        "--extra",
        "-e",
        help="当年补充表：统一社会信用代码 + 质量梯度/发明专利数/单项冠军申报 / supplement file",
    ),
    sheet: str | None = typer.Option(None, "--sheet", help="工作表名称 / sheet name to read"),
) -> None:
    """梯度培育：确定每家企业的规模梯度与质量梯度、升档候选及其依据、较上年的升降档。

    Cultivation tiers: each enterprise's scale and quality tier, the candidates for the next tier
    with the reasons, and who moved up or down since the previous year.
    """
    if out.suffix.lower() not in OUTPUT_SUFFIXES:
        raise typer.BadParameter(
            f"输出文件须以 {'、'.join(OUTPUT_SUFFIXES)} 结尾 / must end in one of those", param_hint="--out"
        )
    files = expand_inputs(inputs)
    if not files:
        raise typer.BadParameter("没有找到数据文件 / no input files", param_hint="INPUT")
    previous_files = expand_inputs(previous or [])
    if previous and not previous_files:
        raise typer.BadParameter("没有找到上年数据文件 / no previous-year files", param_hint="--previous")
    with user_errors():
        # Imported here so `zonehero --help` stays fast.
        from zonehero.core.cultivation import cultivate, load_tiers
        from zonehero.core.ingest import read_sources
        from zonehero.reports.cultivation_export import write_cultivation

        definitions = load_tiers(tiers)
        with console.status(f"读取 {len(files)} 个文件 / reading files…"):
            current = read_sources(files, sheet=sheet).frame
        last = None
        if previous_files:
            with console.status(f"读取上年 {len(previous_files)} 个文件 / reading previous year…"):
                last = read_sources(previous_files, sheet=sheet).frame
        if extra is not None:
            from zonehero.core.cultivation.supplement import attach_supplement, read_supplement

            current, unmatched = attach_supplement(current, read_supplement(extra))
            if unmatched:
                shown = "、".join(unmatched[:5]) + ("…" if len(unmatched) > 5 else "")
                err_console.print(
                    f"[yellow]提示[/] 补充表中有 {len(unmatched)} 家企业不在当年数据中，已忽略：{shown}",
                    highlight=False,
                )
        result = cultivate(current, year=year, definitions=definitions, previous=last)
        with console.status(f"写入 / writing {out}…"):
            write_cultivation(result, out)
    _print_pools(result)
    if result.movers is None:
        console.print("未提供上年数据（--previous）：增长率未知，规模升档候选与升降档无法判断。", highlight=False)
    else:
        up = result.movers.filter(result.movers["direction"] == "up").height
        console.print(f"较上年升档 {up} 次、降档 {result.movers.height - up} 次。", highlight=False)
    console.print(f"{result.enterprises.height} 家企业；结果已写入 [bold]{out}[/]", highlight=False)


def _print_pools(result: CultivationResult) -> None:
    from rich.table import Table

    from zonehero.core.cultivation.result import DIMENSION_LABELS

    table = Table(title=f"{result.year}年度梯度培育 / cultivation pools")
    table.add_column("梯度 ladder")
    table.add_column("档位 tier")
    table.add_column("在档 members", justify="right")
    table.add_column("升入候选 candidates", justify="right")
    table.add_column("数据不全 incomplete", justify="right")
    for row in result.pools.iter_rows(named=True):
        table.add_row(
            DIMENSION_LABELS[row["dimension"]],
            row["label"],
            str(row["members"]),
            str(row["candidates"]),
            str(row["incomplete"]),
        )
    console.print(table)


def register(app: typer.Typer) -> None:
    """Add ``cultivation`` to the main command."""
    app.command("cultivation")(cultivation_command)
