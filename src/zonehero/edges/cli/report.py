"""``zonehero report``: the documents a zone sends out, from department files or from the store.

From files, without any database:
``report annual INPUT... --year Y [--previous INPUT] --out report.pdf|.xlsx``,
``report notices INPUT... --year Y --out notices.zip``,
``report list INPUT... --year Y --out list.pdf|.xlsx`` and
``report briefing PROJECTS.xlsx --progress P.xlsx --year Y --month M --out briefing.pdf|.xlsx``.
INPUT are department files or folders, read and evaluated as ``zonehero evaluate`` does.

From the database the web app works in (``--db URL``, else ZONEHERO_DB or the
data folder's SQLite; see :mod:`zonehero.edges.cli.report_store`):
``report annual|notices|list --run ID [--db URL] --out …`` (a run in 公示 or
final, with its stored scheme and results) and
``report briefing --year Y --month M [--db URL] --out …`` (a closed month).
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from zonehero.edges.cli import report_store
from zonehero.edges.cli.evaluate import expand_inputs
from zonehero.edges.cli.output import console, user_errors
from zonehero.reports.atomic import atomic_path

if TYPE_CHECKING:
    from zonehero.core.evaluation import EvaluationResult
    from zonehero.core.ingest import ImportResult
    from zonehero.core.zone import ZoneProfile
    from zonehero.reports.pdf.styles import Letterhead

report_app = typer.Typer(
    name="report",
    help="生成报告文书 / documents: 年度评价报告、评价结果告知书、公示名单、项目调度简报。",
    no_args_is_help=True,
)

INPUTS = typer.Argument(
    None,
    help="部门数据文件或文件夹（用 --run 时不给）/ department files or folders",
    metavar="INPUT",
    show_default=False,
)
YEAR = typer.Option(
    None, "--year", "-y", help="评价年度（由文件生成时必填）/ evaluation year", min=2000, max=2100, show_default=False
)
SCHEME = typer.Option(None, "--scheme", "-s", help="评价方案 TOML（默认内置方案）/ scheme file")
ZONE = typer.Option(
    None,
    "--zone",
    help="园区概况 TOML（名称、公示期规则；默认内置，见 zonehero zone show；--run 时取数据库中的园区概况）/ zone file",
    show_default=False,
)
RUN = typer.Option(None, "--run", "-r", help=report_store.RUN_HELP, min=1, show_default=False)
DB = typer.Option(None, "--db", help=report_store.DB_HELP, show_default=False)
ISSUER = typer.Option("", "--issuer", help="发文单位（落款盖章处，默认“<开发区>管理委员会”）/ issuing unit")
ISSUED = typer.Option(None, "--date", help="落款日期 YYYY-MM-DD（默认今天）/ date of issue")


def _day(value: str | None, option: str) -> date:
    if not value:
        from zonehero.clock import today

        return today()
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        raise typer.BadParameter(
            f"「{value}」不是 YYYY-MM-DD 格式的日期 / not a YYYY-MM-DD date", param_hint=option
        ) from None


def _zone(zone: Path | None) -> ZoneProfile:
    """The ``--zone`` file's profile (else the built-in one); "today" is read in its time zone from now on."""
    from zonehero import clock
    from zonehero.core.zone import default_zone, load_zone

    with user_errors():
        profile = load_zone(zone) if zone is not None else default_zone()
    clock.use_timezone(profile.timezone)
    return profile


def _letterhead(zone: Path | None, issuer: str, issued: str | None) -> Letterhead:
    from zonehero.reports.pdf.styles import Letterhead

    name = _zone(zone).name  # first: the default date of issue is the zone's today
    return Letterhead(zone=name, issuer=issuer, issued_on=_day(issued, "--date"))


def _check_suffix(out: Path, allowed: tuple[str, ...]) -> str:
    suffix = out.suffix.lower()
    if suffix not in allowed:
        raise typer.BadParameter(
            f"输出文件须以 {'、'.join(allowed)} 结尾 / must end in one of those", param_hint="--out"
        )
    return suffix


def _files(inputs: list[Path] | None, hint: str = "INPUT") -> list[Path]:
    files = expand_inputs(inputs or [])
    if not files:
        raise typer.BadParameter("没有找到数据文件 / no input files", param_hint=hint)
    return files


def _evaluate(files: list[Path], year: int, scheme: Path | None) -> tuple[EvaluationResult, ImportResult]:
    """Read, merge and evaluate department files (as ``zonehero evaluate`` does)."""
    from zonehero.core.evaluation import evaluate
    from zonehero.core.evaluation.scheme import load_scheme
    from zonehero.core.ingest import read_sources

    chosen = load_scheme(scheme)
    with console.status(f"读取并评价 {len(files)} 个文件 / reading and evaluating…"):
        imported = read_sources(files)
        return evaluate(imported.frame, chosen, year=year), imported


def _write_bytes(out: Path, data: bytes) -> None:
    with atomic_path(out) as tmp:
        tmp.write_bytes(data)


def _from_files(ctx: typer.Context, inputs: list[Path] | None, year: int | None) -> tuple[list[Path], int]:
    """The files and year of the file-based form (usage errors when missing; ``--db`` needs ``--run``)."""
    report_store.refuse_options(ctx, ["db"], "需与 --run 同用（由数据库中的评价批次生成）/ --db goes with --run")
    if not inputs:
        raise typer.BadParameter(
            "请给出部门数据文件或文件夹，或用 --run 指定数据库中的评价批次 / give files, or --run", param_hint="INPUT"
        )
    if year is None:
        raise typer.BadParameter("由数据文件生成时须给出评价年度 / the year is needed", param_hint="--year")
    return _files(inputs), year


@report_app.command("annual")
def annual_command(
    ctx: typer.Context,
    inputs: list[Path] | None = INPUTS,
    year: int | None = YEAR,
    out: Path = typer.Option(..., "--out", "-o", help="输出 .pdf 或 .xlsx / output file"),
    previous: list[Path] | None = typer.Option(
        None, "--previous", help="上一年度的部门数据文件或文件夹（可重复）/ last year's files or folder (repeatable)"
    ),
    scheme: Path | None = SCHEME,
    zone: Path | None = ZONE,
    issuer: str = ISSUER,
    issued: str | None = ISSUED,
    run: int | None = RUN,
    db: str | None = DB,
) -> None:
    """年度企业亩均效益综合评价报告（PDF 或 Excel）。Annual evaluation report, optionally against last year.

    With ``--run`` the report of a stored run (公示 or final), against last year's final run.
    """
    suffix = _check_suffix(out, (".pdf", ".xlsx"))
    if run is not None:
        report_store.refuse_file_options(ctx, ["inputs", "previous", "scheme", "issuer", "issued", "zone"])
        name = report_store.write_stored("annual", out, db=db, run=run, year=year)
        console.print(f"《{name}》已写入 [bold]{out}[/]", highlight=False)
        return
    files, year = _from_files(ctx, inputs, year)
    before_files = _files(previous, "--previous") if previous else None
    head = _letterhead(zone, issuer, issued)
    with user_errors():
        result, _ = _evaluate(files, year, scheme)
        before = _evaluate(before_files, year - 1, scheme)[0] if before_files else None
        with console.status(f"生成报告 / writing {out}…"):
            if suffix == ".pdf":
                from zonehero.reports.pdf.annual import annual_report_pdf

                _write_bytes(out, annual_report_pdf(result, previous=before, letterhead=head))
            else:
                from zonehero.reports.annual_xlsx import write_annual_xlsx

                with atomic_path(out) as tmp:
                    write_annual_xlsx(result, tmp, previous=before, letterhead=head)
    console.print(f"年度评价报告已写入 [bold]{out}[/]", highlight=False)


@report_app.command("notices")
def notices_command(
    ctx: typer.Context,
    inputs: list[Path] | None = INPUTS,
    year: int | None = YEAR,
    out: Path = typer.Option(..., "--out", "-o", help="输出 .zip / output zip"),
    objection_days: int | None = typer.Option(
        None, "--objection-days", min=1, max=60, help="异议期长度（默认按园区概况的公示期规则）/ period length"
    ),
    contact: str = typer.Option("", "--contact", help="异议受理单位及联系方式 / where to object"),
    lift: bool = typer.Option(True, "--lift/--no-lift", help="是否附提升路径 / include what would lift a class"),
    scheme: Path | None = SCHEME,
    zone: Path | None = ZONE,
    issuer: str = ISSUER,
    issued: str | None = ISSUED,
    run: int | None = RUN,
    db: str | None = DB,
) -> None:
    """每家企业的评价结果告知书（PDF），打包为一个 zip。Result notices for every enterprise, in one zip.

    With ``--run`` the notices of a stored run (公示 or final): objections until the end of its 公示.
    """
    _check_suffix(out, (".zip",))
    if run is not None:
        file_only = ["inputs", "objection_days", "contact", "scheme", "issuer", "issued", "zone"]
        report_store.refuse_file_options(ctx, file_only)
        name = report_store.write_stored("notices", out, db=db, run=run, year=year, lift=lift)
        console.print(f"《{name}》已写入 [bold]{out}[/]", highlight=False)
        return
    files, year = _from_files(ctx, inputs, year)
    head = _letterhead(zone, issuer, issued)
    with user_errors():
        from zonehero.reports.pdf.notice import notices_zip

        result, imported = _evaluate(files, year, scheme)
        with report_store.notice_progress(result.enterprises.height) as advance, atomic_path(out) as tmp:
            names = notices_zip(
                result,
                tmp,
                lineage=imported.lineage,
                letterhead=head,
                period=_zone(zone).notice(head.issued_on, objection_days),
                contact=contact,
                progress=advance,
                lift=lift,
            )
    console.print(f"已生成 {len(names)} 份告知书，写入 [bold]{out}[/]", highlight=False)


@report_app.command("list")
def list_command(
    ctx: typer.Context,
    inputs: list[Path] | None = INPUTS,
    year: int | None = YEAR,
    out: Path = typer.Option(..., "--out", "-o", help="输出 .pdf 或 .xlsx / output file"),
    start: str | None = typer.Option(None, "--start", help="公示开始日期 YYYY-MM-DD（默认落款日期）/ first day"),
    days: int | None = typer.Option(
        None, "--days", min=1, max=60, help="公示期长度（默认按园区概况的公示期规则）/ period length"
    ),
    contact: str = typer.Option("", "--contact", help="异议受理单位及联系方式 / where to object"),
    scheme: Path | None = SCHEME,
    zone: Path | None = ZONE,
    issuer: str = ISSUER,
    issued: str | None = ISSUED,
    run: int | None = RUN,
    db: str | None = DB,
) -> None:
    """评价结果公示名单（PDF 或 Excel）。The 公示 list, grouped by class.

    With ``--run`` the list of a stored run (公示 or final), with the run's own 公示 period.
    """
    suffix = _check_suffix(out, (".pdf", ".xlsx"))
    if run is not None:
        file_only = ["inputs", "start", "days", "contact", "scheme", "issuer", "issued", "zone"]
        report_store.refuse_file_options(ctx, file_only)
        name = report_store.write_stored("list", out, db=db, run=run, year=year)
        console.print(f"《{name}》已写入 [bold]{out}[/]", highlight=False)
        return
    files, year = _from_files(ctx, inputs, year)
    head = _letterhead(zone, issuer, issued)
    first = _day(start, "--start") if start else head.issued_on
    with user_errors():
        from zonehero.reports.public_list import PublicPeriod

        result, _ = _evaluate(files, year, scheme)
        period = PublicPeriod(notice=_zone(zone).notice(first, days), contact=contact or head.signer)
        if suffix == ".pdf":
            from zonehero.reports.pdf.publiclist import public_list_pdf

            _write_bytes(out, public_list_pdf(result, period=period, letterhead=head))
        else:
            from zonehero.reports.publiclist_xlsx import write_public_list_xlsx

            with atomic_path(out) as tmp:
                write_public_list_xlsx(result, tmp, period=period, letterhead=head)
    console.print(f"公示名单已写入 [bold]{out}[/]（公示期至 {period.end.isoformat()}）", highlight=False)


@report_app.command("briefing")
def briefing_command(
    ctx: typer.Context,
    projects_file: Path | None = typer.Argument(
        None, help="项目库表格（CSV/xlsx）；不给时取数据库中已关账月份 / project spreadsheet", show_default=False
    ),
    progress: Path | None = typer.Option(None, "--progress", "-p", help="月度进展表格 / monthly progress spreadsheet"),
    year: int = typer.Option(..., "--year", "-y", help="调度年度 / year", min=2000, max=2100),
    month: int = typer.Option(..., "--month", "-m", help="调度月份 / month", min=1, max=12),
    out: Path = typer.Option(..., "--out", "-o", help="输出 .pdf 或 .xlsx / output file"),
    zone: Path | None = ZONE,
    issuer: str = ISSUER,
    issued: str | None = ISSUED,
    db: str | None = DB,
) -> None:
    """“四个一批”月度调度简报（PDF）或调度表（Excel）。Monthly scheduling briefing.

    Without PROJECTS_FILE: the closed month's snapshot in the database (``--db``,
    else ZONEHERO_DB or the data folder's SQLite), dated on the day it was
    closed, difficulties included. The difficulty list (问题清单) has no
    spreadsheet import yet, so a briefing made from files has no difficulties
    section figures.
    """
    suffix = _check_suffix(out, (".pdf", ".xlsx"))
    if projects_file is None:
        report_store.refuse_options(
            ctx, ["progress", "issuer", "issued"], "只用于由项目表格生成；关账月份的简报以关账快照为准 / only for files"
        )
        name = report_store.write_stored("briefing", out, db=db, year=year, month=month)
        console.print(f"《{name}》已写入 [bold]{out}[/]", highlight=False)
        return
    report_store.refuse_options(ctx, ["db"], "只用于由数据库生成，不能与项目表格同用 / --db or a file, not both")
    head = _letterhead(zone, issuer, issued)
    with user_errors():
        from zonehero.core.schedule.importer import read_progress, read_projects
        from zonehero.core.schedule.report import build_monthly_report

        projects = read_projects(projects_file, _zone(zone).industry_chains)
        reports: list[Any] = read_progress(progress, {p.code for p in projects}) if progress else []
        report = build_monthly_report(projects, reports, [], year, month)
        if suffix == ".pdf":
            from zonehero.reports.pdf.briefing import briefing_pdf

            _write_bytes(out, briefing_pdf(report, projects=projects, letterhead=head))
        else:
            from zonehero.reports.briefing_xlsx import write_briefing_xlsx

            with atomic_path(out) as tmp:
                write_briefing_xlsx(report, tmp, projects=projects, letterhead=head)
    console.print(f"{year}年{month}月调度简报已写入 [bold]{out}[/]", highlight=False)


def register(app: typer.Typer) -> None:
    """Add ``report`` to the main command."""
    app.add_typer(report_app)
