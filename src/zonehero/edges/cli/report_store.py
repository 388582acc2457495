"""``zonehero report … --run ID`` and ``report briefing --year Y --month M`` without files: documents from the store.

The commands in :mod:`zonehero.edges.cli.report` choose between their two sources
(department files, or the database a bureau works in through the web app);
this module holds the database side: which file-only options cannot be
combined with it, and writing one stored document to ``--out`` atomically.
The document itself comes from :func:`zonehero.features.documents.store.document_from_store`
(one unit of work as the operator, the run reproduced and proven equal to
what was stored), so the command line prints exactly what the web app's
download buttons give.

Only runs in 公示 or final make documents here: a draft's documents carry no
草稿 marking, and a command line writes files that get sent out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from zonehero.edges.cli.output import console, user_errors

if TYPE_CHECKING:
    from zonehero.features.documents.files import Document
    from zonehero.features.documents.store import Kind

DB_HELP = "数据库地址（默认 ZONEHERO_DB 或数据目录下的 SQLite），与 --run 同用 / database URL"
RUN_HELP = "由数据库中的评价批次生成（公示中或已定稿），不读数据文件 / make it from a stored run"

ProgressCallback = Callable[[int, int], None]


def _given(ctx: typer.Context, name: str) -> bool:
    source = ctx.get_parameter_source(name)
    return source is not None and source.name != "DEFAULT"


def _label(ctx: typer.Context, name: str) -> str:
    for param in ctx.command.params:
        if param.name == name:
            return param.opts[0] if param.param_type_name == "option" else (param.metavar or name.upper())
    return name


def refuse_options(ctx: typer.Context, names: Iterable[str], reason: str) -> None:
    """A usage error (exit 2) naming every option of ``names`` given on the command line, with ``reason``."""
    given = [_label(ctx, name) for name in names if _given(ctx, name)]
    if given:
        raise typer.BadParameter(reason, ctx=ctx, param_hint=given)


def refuse_file_options(ctx: typer.Context, names: Iterable[str]) -> None:
    """Options that only make sense for department files, refused next to ``--run``."""
    refuse_options(
        ctx,
        names,
        "只用于由数据文件生成；--run 的文书以数据库中的批次为准"
        "（所用方案、上年对比、公示期和落款日期都取自批次）/ only for files",
    )


@contextmanager
def notice_progress(total: int | None = None) -> Iterator[ProgressCallback]:
    """A progress bar of notices written; yields the ``progress(done, total)`` callback the writers call."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(
        TextColumn("告知书 / notices"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
    ) as bar:
        task = bar.add_task("notices", total=total)

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield advance


def write_stored(
    kind: Kind,
    out: Path,
    *,
    db: str | None,
    run: int | None = None,
    year: int | None = None,
    month: int | None = None,
    lift: bool = True,
) -> str:
    """Make one stored document and write it to ``out`` atomically; its own (Chinese) name is returned.

    Errors (no such database, unknown run, a draft, a month not closed, a run
    whose figures cannot be reproduced) print on stderr and exit 1 before
    anything is written. ``year`` next to ``run`` must be the run's year.
    """
    from zonehero.features.documents.service import save
    from zonehero.features.documents.store import document_from_store

    fmt = out.suffix.lower().lstrip(".") if kind in ("annual", "list", "briefing") else "pdf"
    with user_errors():

        def make(progress: ProgressCallback | None = None) -> Document:
            return document_from_store(
                kind,
                db=db,
                run=run,
                year=year,
                month=month,
                fmt=fmt,
                lift=lift,
                progress=progress,
                published_only=True,
            )

        if kind == "notices":
            with notice_progress() as advance:
                document = make(advance)
        else:
            what = f"评价批次 #{run}" if run is not None else f"{year}年{month}月关账快照"
            with console.status(f"从数据库读取{what}并生成文书 / reading the store…"):
                document = make()
        save(document, out)
    return document.filename
