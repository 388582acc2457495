"""``zonehero projects import FILE [--progress FILE] [--year Y] [--db URL]``: project spreadsheets into the store.

Reads the files with the core's importer (every problem with file, row and
column, all reported together) and writes them through the projects
services as the server's operator, in one transaction: all or nothing. The
industry chains a file may name and the zone's "today" (the default year) come
from the zone profile in the store (园区概况), as in the web app.
"""

from __future__ import annotations

from pathlib import Path

import typer

from zonehero.edges.cli.output import console, user_errors


def import_command(
    file: Path = typer.Argument(..., help="项目库表格（CSV/xlsx）/ project spreadsheet", show_default=False),
    progress: Path | None = typer.Option(None, "--progress", "-p", help="月度进展表格 / monthly progress spreadsheet"),
    year: int | None = typer.Option(
        None, "--year", "-y", min=2000, max=2100, help="年度计划投资所属年度（默认今年）/ year of the plan column"
    ),
    db: str | None = typer.Option(
        None, "--db", help="数据库地址 / database URL (ZONEHERO_DB)", envvar="ZONEHERO_DB", show_default=False
    ),
) -> None:
    """导入项目库（及月度进展）到数据库 / import projects (and progress) into the store."""
    with user_errors():
        from zonehero.clock import today
        from zonehero.config import load_settings
        from zonehero.core.schedule.importer import read_progress, read_projects
        from zonehero.db.migrate import require_current
        from zonehero.db.session import make_engine, session_factory, unit_of_work
        from zonehero.errors import InputError, InputProblem
        from zonehero.features.projects import progress as progress_service
        from zonehero.features.projects import service
        from zonehero.features.roles import SYSTEM
        from zonehero.features.zone import service as zone

        problems: list[InputProblem] = []
        projects = []
        engine = make_engine(load_settings(db=db).database_url)
        try:
            with engine.connect() as conn:
                require_current(conn)
            with unit_of_work(session_factory(engine)) as session:
                profile = zone.install_clock(session)
                try:
                    projects = read_projects(file, profile.industry_chains)
                except InputError as exc:
                    problems += exc.problems
                reports = []
                if progress is not None:
                    codes = service.known_codes(session) | {p.code for p in projects}
                    try:
                        reports = read_progress(progress, codes)
                    except InputError as exc:
                        problems += exc.problems
                if problems:
                    raise InputError(problems)
                done = service.import_projects(session, SYSTEM, projects, year=year or today().year, file=file.name)
                if reports:
                    done = done.model_copy(
                        update=progress_service.import_progress(session, SYSTEM, reports).model_dump(
                            include={"progress_new", "progress_updated"}
                        )
                    )
        finally:
            engine.dispose()
    console.print(
        f"已导入 / imported: 新增项目 {done.projects_new} 个，更新 {done.projects_updated} 个，"
        f"未变 {done.projects_unchanged} 个；进展新增 {done.progress_new} 条，更新 {done.progress_updated} 条",
        highlight=False,
    )


def register(app: typer.Typer) -> None:
    """Add ``import`` to the ``projects`` command group (registered by ``zonehero.edges.cli.projects``)."""
    from zonehero.edges.cli.projects import projects_app

    projects_app.command("import")(import_command)
