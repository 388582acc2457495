"""``zonehero import FILE... --year Y [--confirm]`` and ``zonehero run create --year Y``: the long work of the
web app against the store, without a browser, with Rich progress.

An operator loading a province runs these on the server: the import is previewed exactly as the web app's
upload (files kept under the data folder as evidence, every problem with file, row and column) and stored
with ``--confirm`` in one transaction; a run is created as a draft and its id printed. Both act as the
server's operator (SYSTEM) and audit as ``cli:<OS user>``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import typer

from zonehero.edges.cli.output import console, err_console, user_errors

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from zonehero.config import Settings

T = TypeVar("T")

DB_HELP = "数据库地址（默认 ZONEHERO_DB 或数据目录下的 SQLite）/ database URL"
DATA_DIR_HELP = "数据目录（默认 ZONEHERO_DATA_DIR 或 ./data），导入的文件保存在其中 / data folder"

run_app = typer.Typer(help="评价批次 / evaluation runs", no_args_is_help=True)


@contextmanager
def _store(
    db: str | None, data_dir: Path | None
) -> Iterator[tuple[Settings, Callable[[], AbstractContextManager[Session]]]]:
    """Settings and a unit-of-work factory on a current store (the zone's clock installed); disposed after."""
    from zonehero.config import load_settings
    from zonehero.db.migrate import require_current
    from zonehero.db.session import make_engine, session_factory, unit_of_work
    from zonehero.features.zone import service as zone

    import_module("zonehero.migrations.metadata")  # every mapped class: foreign keys to tables not touched resolve
    settings = load_settings(db=db, data_dir=data_dir)
    engine = make_engine(settings.database_url)
    try:
        with engine.connect() as connection:
            require_current(connection)
        sessions = session_factory(engine)
        with unit_of_work(sessions) as session:
            zone.install_clock(session)
        yield settings, lambda: unit_of_work(sessions)
    finally:
        engine.dispose()


def _stages(steps: list[tuple[str, Callable[[], T]]]) -> list[T]:
    """Run ``steps`` in order under one Rich progress bar (step n of N, the stage, time elapsed)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    results: list[T] = []
    with Progress(
        SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=err_console, transient=False,
    ) as bar:  # fmt: skip
        task = bar.add_task(steps[0][0], total=len(steps))
        for label, step in steps:
            bar.update(task, description=label)
            results.append(step())
            bar.advance(task)
    return results


def import_command(
    files: list[Path] = typer.Argument(..., help="各部门报送文件（CSV、Excel）/ department files", show_default=False),
    year: int = typer.Option(..., "--year", "-y", min=2000, max=2100, help="数据年度 / year of the figures"),
    confirm: bool = typer.Option(False, "--confirm", help="预览无误即写入数据库 / store it after the preview"),
    db: str | None = typer.Option(None, "--db", help=DB_HELP, show_default=False),
    data_dir: Path | None = typer.Option(None, "--data-dir", help=DATA_DIR_HELP, show_default=False),
) -> None:
    """导入部门数据：先预览（错误、冲突、各文件识别结果），--confirm 时写入 / preview, --confirm stores."""
    from zonehero.errors import InputError, InputProblem
    from zonehero.features.imports import service as imports
    from zonehero.features.imports.schemas import ImportConfirmation, ImportPreview
    from zonehero.features.imports.storage import UploadedFile
    from zonehero.features.roles import SYSTEM

    with user_errors():
        missing = [InputProblem("文件不存在", file=str(f)) for f in files if not f.is_file()]
        if missing:
            raise InputError(missing)
        uploads = [UploadedFile(f.name, f.read_bytes()) for f in files]
        with _store(db, data_dir) as (settings, work):

            def preview() -> ImportPreview:
                with work() as session:
                    return imports.preview_import(session, SYSTEM, uploads, settings=settings, year=year)

            steps: list[tuple[str, Callable[[], object]]] = [("读取并校验文件 / reading", preview)]
            shown = _stages(steps)[0]
            assert isinstance(shown, ImportPreview)
            _print_preview(shown)
            if shown.problems:
                raise InputError(
                    [
                        InputProblem(p.message, file=p.file, sheet=p.sheet, row=p.row, column=p.column)
                        for p in shown.problems
                    ]
                )
            if not confirm:
                console.print(
                    f"预览批次 #{shown.batch_id}；加 --confirm 写入数据库 / add --confirm to store it", highlight=False
                )
                return

            def store() -> object:
                with work() as session:
                    # --year and --confirm are the operator's word for the year (the preview printed any file
                    # that names another one).
                    return imports.confirm_import(
                        session, SYSTEM, shown.batch_id, year=year, settings=settings, year_confirmed=True
                    )

            done = _stages([("写入数据库 / storing", store)])[0]
    assert isinstance(done, ImportConfirmation)
    console.print(
        f"已导入 {done.year} 年度数据（批次 #{done.batch_id}）：{done.enterprises_total} 家企业"
        f"（新增 {done.enterprises_new} 家），"
        f"新增 {done.figures_inserted} 项、更新 {done.figures_updated} 项数据（{done.values_changed} 项数值有变化）",
        highlight=False,
    )


def _print_preview(preview: object) -> None:
    from rich.table import Table

    from zonehero.features.imports.schemas import ImportPreview

    assert isinstance(preview, ImportPreview)
    table = Table(title=f"导入预览 / preview（批次 #{preview.batch_id}）")
    for header in ("文件", "部门", "工作表", "表头行", "数据行", "识别的列"):
        table.add_column(header)
    for s in preview.sources:
        table.add_row(s.file, s.department, s.sheet or "", str(s.header_row), str(s.data_rows), str(len(s.columns)))
    console.print(table)
    console.print(
        f"企业 {preview.enterprise_count} 家，数据 {preview.figure_count} 项；"
        f"问题 {len(preview.problems)} 处，提示 {len(preview.warnings)} 条，冲突 {len(preview.conflicts)} 处",
        highlight=False,
    )
    for warning in preview.warnings[:20]:
        console.print(f"  提示：{warning}", highlight=False, markup=False)
    from zonehero.features.imports.service import year_warnings

    for warning in year_warnings(preview, preview.year):
        console.print(f"  年度提示 / year：{warning}", highlight=False, markup=False)


@run_app.command("create")
def run_create(
    year: int = typer.Option(..., "--year", "-y", min=2000, max=2100, help="评价年度 / year"),
    scheme_version: int | None = typer.Option(
        None, "--scheme-version", min=1, help="评价方案版本编号（默认：唯一方案的最新版本）/ scheme version id"
    ),
    note: str | None = typer.Option(None, "--note", help="备注 / note"),
    db: str | None = typer.Option(None, "--db", help=DB_HELP, show_default=False),
) -> None:
    """生成评价草稿，打印其编号 / evaluate the stored figures of a year as a new draft run; prints its id."""
    from zonehero.features.roles import SYSTEM
    from zonehero.features.runs import service as runs
    from zonehero.features.runs.schemas import RunRead

    with user_errors(), _store(db, None) as (_settings, work):
        with work() as session:
            version = scheme_version or _only_scheme_version(session)

        def create() -> object:
            with work() as session:
                return runs.create_draft_run(session, SYSTEM, year=year, scheme_version_id=version, note=note)

        run = _stages([(f"评价 {year} 年度 / evaluating", create)])[0]
    assert isinstance(run, RunRead)
    err_console.print(
        f"已生成 {run.year} 年度评价草稿 #{run.id}（{run.result_count} 家企业）/ draft run created", highlight=False
    )
    typer.echo(run.id)


def _only_scheme_version(session: Session) -> int:
    from zonehero.errors import InputError, InputProblem
    from zonehero.features.roles import SYSTEM
    from zonehero.features.schemes import service as schemes

    found = schemes.list_schemes(session, SYSTEM)
    if len(found) == 1 and found[0].versions:
        return found[0].latest.id
    listed = "；".join(f"{s.name}：版本编号 {', '.join(str(v.id) for v in s.versions)}" for s in found) or "无"
    raise InputError(InputProblem(f"请用 --scheme-version 指定评价方案版本（{listed}）", column="--scheme-version"))


def register(app: typer.Typer) -> None:
    app.command("import")(import_command)
    app.add_typer(run_app, name="run")
