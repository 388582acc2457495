"""``zonehero evaluate``: department files in, the year's classes out, in one command."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from zonehero.core.domain.classes import CLASSES, GROUP_LABELS, STATUS_LABELS
from zonehero.edges.cli.output import console, err_console, user_errors

if TYPE_CHECKING:
    import polars as pl

INPUT_SUFFIXES = (".csv", ".xlsx", ".xls", ".xlsm", ".ods")


def expand_inputs(inputs: list[Path]) -> list[Path]:
    """Files as given; a folder stands for the spreadsheets inside it (sorted, hidden files skipped)."""
    files: list[Path] = []
    for p in inputs:
        if p.is_dir():
            files += sorted(f for f in p.iterdir() if f.suffix.lower() in INPUT_SUFFIXES and not f.name.startswith("."))
        else:
            files.append(p)
    return files


def evaluate_command(
    inputs: list[Path] = typer.Argument(
        ..., help="部门数据文件或文件夹（CSV/xlsx/xls/ods）/ department files or folders", show_default=False
    ),
    year: int = typer.Option(..., "--year", "-y", help="评价年度 / evaluation year", min=2000, max=2100),
    out: Path = typer.Option(..., "--out", "-o", help="输出文件 .json/.csv/.xlsx / output file"),
    scheme: Path | None = typer.Option(None, "--scheme", "-s", help="评价方案 TOML（默认内置方案）/ scheme file"),
    priority: str | None = typer.Option(
        None,
        "--priority",
        help="数据冲突时的来源优先顺序，逗号分隔的部门或文件名 / source priority for conflicts, comma separated",
    ),
    sheet: str | None = typer.Option(None, "--sheet", help="工作表名称 / sheet name to read"),
) -> None:
    """评价：读取各部门数据，计算亩均效益综合评价得分与分类。

    Evaluate: read the department files, merge them by USCC, score and classify every enterprise.
    """
    # The writers (Polars, XlsxWriter) load here, not when the command line starts (`zonehero --help`).
    from zonehero.reports.results import SUPPORTED_SUFFIXES

    if out.suffix.lower() not in SUPPORTED_SUFFIXES:
        raise typer.BadParameter(
            f"输出文件须以 {'、'.join(SUPPORTED_SUFFIXES)} 结尾 / must end in one of those", param_hint="--out"
        )
    files = expand_inputs(inputs)
    if not files:
        raise typer.BadParameter("没有找到数据文件 / no input files", param_hint="INPUT")
    with user_errors():
        # Imported here so `zonehero --help` stays fast.
        from zonehero.core.evaluation import evaluate
        from zonehero.core.evaluation.scheme import load_scheme
        from zonehero.core.ingest import read_sources
        from zonehero.reports.results import ImportNotes, write_result

        with console.status("读取方案 / reading scheme…"):
            chosen = load_scheme(scheme)
        with console.status(f"读取 {len(files)} 个文件 / reading files…"):
            imported = read_sources(files, priority=_split(priority), sheet=sheet)
        with console.status("计算 / evaluating…"):
            result = evaluate(imported.frame, chosen, year=year)
        with console.status(f"写入 / writing {out}…"):
            write_result(result, out, notes=ImportNotes(imported.warnings, imported.conflicts))
    _print_summary(result.enterprises, year)
    n_conflicts = imported.conflicts.height if imported.conflicts is not None else 0
    for w in result.warnings:
        err_console.print(f"[yellow]提示[/] {w}", highlight=False)
    console.print(
        f"已读取 {len(files)} 个文件、{imported.frame.height} 家企业；数据冲突 {n_conflicts} 处；"
        f"导入提示 {len(imported.warnings)} 条；结果已写入 [bold]{out}[/]",
        highlight=False,
    )


def _split(value: str | None) -> list[str] | None:
    if not value:
        return None
    return [v.strip() for v in value.replace("，", ",").split(",") if v.strip()]


def _print_summary(enterprises: pl.DataFrame, year: int) -> None:
    import polars as pl
    from rich.table import Table

    table = Table(title=f"{year}年度评价结果 / results", show_lines=False)
    table.add_column("分组 group")
    for status in ("evaluated", "vetoed", "exempt"):
        table.add_column(STATUS_LABELS[status], justify="right")
    for cls in CLASSES:
        table.add_column(f"{cls}类", justify="right")
    for group in ("above", "below"):
        part = enterprises.filter(pl.col("group") == group)
        status_counts = dict(part.group_by("status").len().iter_rows())
        class_counts = dict(part.group_by("class").len().iter_rows())
        table.add_row(
            GROUP_LABELS[group],
            *(str(status_counts.get(s, 0)) for s in ("evaluated", "vetoed", "exempt")),
            *(str(class_counts.get(c, 0)) for c in CLASSES),
        )
    console.print(table)
    outside = enterprises.filter(pl.col("status") == "out_of_scope").height
    console.print(f"不纳入评价 / out of scope: {outside}", highlight=False)


def register(app: typer.Typer) -> None:
    """Add ``evaluate`` to the main command."""
    app.command("evaluate")(evaluate_command)
