"""Documents from a database named by URL, for the command line (``zonehero report annual --run ID --db URL``).

The command line has no request to hang a unit of work on, so this opens
one: the engine of ``db`` (or the settings' database), a check that the
schema is current, one transaction as the server's operator (SYSTEM, who
may read every run), then the engine is disposed. A CLI command only parses
its options and calls :func:`document_from_store` and
:func:`zonehero.documents.service.save`.
"""

from __future__ import annotations

from typing import Literal

from zonehero.config import load_settings
from zonehero.db.migrate import require_current
from zonehero.db.session import make_engine, session_factory, unit_of_work
from zonehero.documents import service
from zonehero.documents.files import Document
from zonehero.errors import InputError, InputProblem
from zonehero.users.roles import SYSTEM

Kind = Literal["annual", "notice", "notices", "list", "briefing"]


def _need(value: object, option: str) -> None:
    if value is None:
        raise InputError(InputProblem(f"缺少 {option}", column=option))


def document_from_store(
    kind: Kind,
    *,
    db: str | None = None,
    run: int | None = None,
    uscc: str | None = None,
    year: int | None = None,
    month: int | None = None,
    fmt: str = "pdf",
    zone: str = service.DEFAULT_ZONE,
    lift: bool = True,
    progress: service.Progress | None = None,
) -> Document:
    """One document of the store at ``db`` (ZONEHERO_DB / the data folder's SQLite when None).

    ``annual`` and ``list`` need ``run`` and take ``fmt`` (pdf or xlsx, a
    leading dot is fine); ``notice`` needs ``run`` and ``uscc``; ``notices``
    needs ``run``; ``briefing`` needs ``year`` and ``month``.
    """
    if kind == "briefing":
        _need(year, "--year")
        _need(month, "--month")
    else:
        _need(run, "--run")
    if kind == "notice":
        _need(uscc, "--uscc")
    engine = make_engine(load_settings(db=db).database_url)
    try:
        with engine.connect() as connection:
            require_current(connection)
        with unit_of_work(session_factory(engine)) as session:
            if kind == "annual":
                return service.annual_report(session, SYSTEM, run or 0, fmt, zone=zone)
            if kind == "list":
                return service.public_list(session, SYSTEM, run or 0, fmt, zone=zone)
            if kind == "notice":
                return service.result_notice(session, SYSTEM, run or 0, uscc or "", zone=zone)
            if kind == "notices":
                return service.notices_zip(session, SYSTEM, run or 0, zone=zone, lift=lift, progress=progress)
            return service.briefing(session, SYSTEM, year or 0, month or 0, fmt, zone=zone)
    finally:
        engine.dispose()
