"""The ``zonehero`` command. Each feature module adds its commands through ``register``.

Exit codes: 0 success, 1 bad input (message on stderr), 2 usage error (Typer's own).
"""

from __future__ import annotations

import typer

from zonehero import __version__

app = typer.Typer(
    name="zonehero",
    help="zonehero：开发区「四个论英雄」评价、企业梯度培育与项目调度平台。\n\n"
    "zonehero: 四个论英雄 evaluation, enterprise cultivation and project scheduling for development zones.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"zonehero {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    ctx: typer.Context,
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="显示版本 / show version"),
) -> None:
    """zonehero 命令行 / command line."""
    from zonehero import clock
    from zonehero.config import load_settings
    from zonehero.features.audit.origin import Origin, reset_origin, set_origin

    # The clock of the built-in zone; a command that knows its zone (a --zone file, the store's profile) sets
    # that zone's time zone. The source of time stays the installed one (tests install a FixedClock).
    clock.use_timezone(clock.DEFAULT_TIMEZONE)

    token = set_origin(Origin.command_line())  # every audit entry of this command reads "cli:<OS user>"
    ctx.call_on_close(lambda: reset_origin(token))

    font = load_settings().cjk_font
    if font is not None:  # reportlab is imported only when a font is configured (start-up stays quick)
        from zonehero.reports.pdf.fonts import use_font

        use_font(font)


def _register_all() -> None:
    # One line per feature module; each module owns its commands.
    from zonehero.edges.cli import audit as _audit
    from zonehero.edges.cli import backup as _backup
    from zonehero.edges.cli import cultivation as _cultivation
    from zonehero.edges.cli import db as _db
    from zonehero.edges.cli import demo as _demo
    from zonehero.edges.cli import evaluate as _evaluate
    from zonehero.edges.cli import invest as _invest
    from zonehero.edges.cli import land as _land
    from zonehero.edges.cli import projects as _projects
    from zonehero.edges.cli import projects_db as _projects_db
    from zonehero.edges.cli import report as _report
    from zonehero.edges.cli import scheme as _scheme
    from zonehero.edges.cli import serve as _serve
    from zonehero.edges.cli import store_work as _store_work
    from zonehero.edges.cli import user as _user
    from zonehero.edges.cli import worker as _worker
    from zonehero.edges.cli import zone as _zone

    for module in (
        _evaluate,
        _projects,
        _projects_db,
        _demo,
        _cultivation,
        _db,
        _user,
        _scheme,
        _serve,
        _report,
        _zone,
        _worker,
        _store_work,
        _audit,
        _backup,
        _invest,
        _land,
    ):
        module.register(app)


_register_all()
