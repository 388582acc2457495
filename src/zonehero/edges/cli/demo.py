"""``zonehero demo-data`` and ``zonehero template``: files to try the platform with, and the form to fill in."""

from __future__ import annotations

from pathlib import Path

import typer

from zonehero.edges.cli.output import console, user_errors
from zonehero.errors import InputError, InputProblem


def _check_out_dir(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise InputError(InputProblem(f"「{out}」已存在且不是文件夹，请换一个输出文件夹", file=str(out)))


def demo_data_command(
    out: Path = typer.Option(..., "--out", "-o", help="输出文件夹 / output folder", show_default=False),
    enterprises: int = typer.Option(300, "--enterprises", "-n", min=1, max=100_000, help="企业数 / enterprises"),
    seed: int = typer.Option(1, "--seed", help="随机种子，同一种子生成相同文件 / random seed (same seed, same files)"),
    year: int = typer.Option(2025, "--year", "-y", min=2000, max=2100, help="数据年度 / data year"),
) -> None:
    """生成演示数据：一个虚构开发区各部门报送的原始表格（格式各异，可直接导入）。

    Write a synthetic zone as the messy department files (tax, statistics, power, land, science, veto list).
    """
    with user_errors():
        _check_out_dir(out)
        from zonehero.demo import generate_zone, rd_conflict, write_year_files

        with console.status("生成演示数据 / generating…"):
            frame = generate_zone(enterprises, seed=seed, years=(year,))[year]
            written = write_year_files(frame, out, year)
    from rich.table import Table

    table = Table(title=f"{year}年度演示数据 / demo files in {out}")
    table.add_column("文件 file", overflow="fold")
    table.add_column("部门 department")
    table.add_column("企业数 rows", justify="right")
    table.add_column("大小 size", justify="right")
    for w in written:
        table.add_row(w.path.name, w.department, str(w.rows), f"{w.path.stat().st_size / 1024:.1f} KB")
    console.print(table)
    conflict = rd_conflict(frame)
    if conflict is not None:
        console.print(
            f"有意设置的数据冲突 / deliberate conflict: 企业 {conflict.uscc} 的研发经费，"
            f"科技局 {conflict.science_value:.2f} 万元、统计局 {conflict.statistics_value:.2f} 万元"
            "（默认以科技局为准 / science bureau wins by default）",
            highlight=False,
        )
    console.print(
        f"共 {len(written)} 个文件、{frame.height} 家企业。下一步 / next: "
        f"zonehero evaluate {out} --year {year} --out result.xlsx",
        highlight=False,
    )


def template_command(
    out: Path = typer.Option(..., "--out", "-o", help="模板文件 .xlsx / template file", show_default=False),
) -> None:
    """导出导入模板：中文表头（含单位）、下拉选项和填写说明。

    Write the import template: Chinese headers with units, dropdowns and a sheet explaining each column.
    """
    if out.suffix.lower() != ".xlsx":
        raise typer.BadParameter("模板文件须以 .xlsx 结尾 / must end in .xlsx", param_hint="--out")
    with user_errors():
        if out.exists() and out.is_dir():
            raise InputError(InputProblem(f"「{out}」是文件夹，请给出 .xlsx 文件名", file=str(out)))
        from zonehero.reports.template import write_template

        write_template(out)
    console.print(f"导入模板已写入 / template written: [bold]{out}[/]", highlight=False)


def register(app: typer.Typer) -> None:
    """Add ``demo-data`` and ``template`` to the main command."""
    app.command("demo-data")(demo_data_command)
    app.command("template")(template_command)
