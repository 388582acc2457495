"""Documents from a database named by URL, for the command line (``zonehero report annual --run ID --db URL``).

The command line has no request to hang a unit of work on, so this opens
one: the engine of ``db`` (or the settings' database), a check that the
schema is current, one transaction as the server's operator (SYSTEM, who
may read every run), then the engine is disposed. Dates are the store's zone's
(its profile's time zone is installed on the clock, as the web app does at
start-up). A CLI command only parses
its options and calls :func:`document_from_store` and
:func:`zonehero.features.documents.service.save`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError
from sqlalchemy.orm import Session

from zonehero.config import load_settings
from zonehero.db.migrate import require_current
from zonehero.db.session import make_engine, session_factory, unit_of_work
from zonehero.errors import Conflict, InputError, InputProblem, NotFound, ZoneheroError
from zonehero.features.documents import service
from zonehero.features.documents.files import Document
from zonehero.features.roles import SYSTEM
from zonehero.features.runs import service as runs
from zonehero.features.zone import service as zone

Kind = Literal["annual", "notice", "notices", "list", "briefing"]


def _need(value: object, option: str) -> None:
    if value is None:
        raise InputError(InputProblem(f"缺少 {option}", column=option))


def _open(url: str) -> Engine:
    """An engine on an existing, reachable database at the newest revision (ZoneheroError otherwise).

    A SQLite file that does not exist is refused before connecting: connecting
    would leave an empty database (and its folder) behind.
    """
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise ZoneheroError("数据库地址格式不对，例如 sqlite:///data/zonehero.db 或 postgresql+psycopg://…") from None
    shown = parsed.render_as_string(hide_password=True)
    database = parsed.database or ""
    on_disk = parsed.get_backend_name() == "sqlite" and database not in ("", ":memory:")
    if on_disk and not database.startswith("file:") and not Path(database).is_file():
        raise ZoneheroError(
            f"数据库文件 {database} 不存在：请用 --db 或 ZONEHERO_DB 指定数据库"
            "（新建的数据库先运行 zonehero db upgrade）"
        )
    try:
        engine = make_engine(url)
    except (ArgumentError, NoSuchModuleError):
        raise ZoneheroError(f"无法识别的数据库地址 {shown}") from None
    try:
        with engine.connect() as connection:
            require_current(connection)
    except DBAPIError as exc:
        engine.dispose()
        raise ZoneheroError(f"无法连接或读取数据库 {shown}（{type(exc.orig).__name__}）") from None
    except BaseException:
        engine.dispose()
        raise
    return engine


def _check_run(session: Session, run_id: int, year: int | None, published_only: bool) -> None:
    """NotFound naming the run, InputError when ``year`` is not the run's, Conflict for a draft when asked."""
    try:
        run = runs.get_run(session, SYSTEM, run_id)
    except NotFound:
        raise NotFound(f"评价批次 #{run_id} 不存在") from None
    if year is not None and run.year != year:
        raise InputError(InputProblem(f"评价批次 #{run_id} 是{run.year}年度的，不是 --year 给出的{year}年度"))
    if published_only and not run.is_published:
        raise Conflict(
            f"评价批次 #{run_id}（{run.year}年度）还是草稿，尚未发布公示。草稿生成的文书不带“草稿”标记，"
            "容易被当作正式文书发出，因此不予生成；请先发布公示（公示中或已定稿的批次可以生成）"
        )


def document_from_store(
    kind: Kind,
    *,
    db: str | None = None,
    run: int | None = None,
    uscc: str | None = None,
    year: int | None = None,
    month: int | None = None,
    fmt: str = "pdf",
    lift: bool = True,
    progress: service.Progress | None = None,
    published_only: bool = False,
) -> Document:
    """One document of the store at ``db`` (ZONEHERO_DB / the data folder's SQLite when None).

    ``annual`` and ``list`` need ``run`` and take ``fmt`` (pdf or xlsx, a
    leading dot is fine); ``notice`` needs ``run`` and ``uscc``; ``notices``
    needs ``run``; ``briefing`` needs ``year`` and ``month``. For a run
    document a ``year`` given must be the run's (a mistyped run id is caught),
    and ``published_only`` refuses a draft run with Conflict. The database
    must exist, answer and be at the newest revision (ZoneheroError).
    """
    if kind == "briefing":
        _need(year, "--year")
        _need(month, "--month")
    else:
        _need(run, "--run")
    if kind == "notice":
        _need(uscc, "--uscc")
    engine = _open(load_settings(db=db).database_url)
    try:
        with unit_of_work(session_factory(engine)) as session:
            zone.install_clock(session)
            if kind != "briefing" and (published_only or year is not None):
                _check_run(session, run or 0, year, published_only)
            if kind == "annual":
                return service.annual_report(session, SYSTEM, run or 0, fmt)
            if kind == "list":
                return service.public_list(session, SYSTEM, run or 0, fmt)
            if kind == "notice":
                return service.result_notice(session, SYSTEM, run or 0, uscc or "")
            if kind == "notices":
                return service.notices_zip(session, SYSTEM, run or 0, lift=lift, progress=progress)
            return service.briefing(session, SYSTEM, year or 0, month or 0, fmt)
    finally:
        engine.dispose()
