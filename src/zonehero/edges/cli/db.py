"""``zonehero db upgrade``: apply the migrations (and seed the default scheme on a fresh store)."""

from __future__ import annotations

import typer

from zonehero.edges.cli.output import console, user_errors

db_app = typer.Typer(help="数据库 / database", no_args_is_help=True)

DB_OPTION_HELP = "数据库地址，默认 ZONEHERO_DB 或数据目录下的 SQLite / database URL"


@db_app.command("upgrade")
def upgrade_command(
    db: str | None = typer.Option(None, "--db", help=DB_OPTION_HELP, envvar="ZONEHERO_DB", show_default=False),
    revision: str = typer.Option("head", "--revision", help="目标版本 / target revision"),
) -> None:
    """升级数据库结构到最新版本 / apply migrations."""
    with user_errors():
        from zonehero.config import load_settings
        from zonehero.db import migrate
        from zonehero.db.session import make_engine, session_factory, unit_of_work
        from zonehero.features.schemes.service import ensure_default_scheme

        settings = load_settings(db=db)
        url = settings.database_url
        migrate.upgrade(url, revision)
        engine = make_engine(url)
        try:
            with engine.connect() as conn:
                current = migrate.current_revision(conn)
            seeded = None
            if revision == "head":
                with unit_of_work(session_factory(engine)) as session:
                    seeded = ensure_default_scheme(session)
        finally:
            engine.dispose()
    console.print(f"数据库已升级到版本 {current} / database at revision {current}", highlight=False)
    if seeded is not None:
        console.print(f"已添加内置默认评价方案（版本 {seeded.version}）/ default scheme seeded", highlight=False)


@db_app.command("current")
def current_command(
    db: str | None = typer.Option(None, "--db", help=DB_OPTION_HELP, envvar="ZONEHERO_DB", show_default=False),
) -> None:
    """显示数据库当前版本 / show the current revision."""
    with user_errors():
        from zonehero.config import load_settings
        from zonehero.db import migrate
        from zonehero.db.session import make_engine

        engine = make_engine(load_settings(db=db).database_url)
        try:
            with engine.connect() as conn:
                current = migrate.current_revision(conn)
        finally:
            engine.dispose()
    console.print(current or "（空数据库 / empty）", highlight=False)


def register(app: typer.Typer) -> None:
    """Add ``db`` to the main command."""
    app.add_typer(db_app, name="db")
