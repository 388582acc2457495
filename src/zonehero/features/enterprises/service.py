"""Enterprises and their yearly figures: store an import, read a year as the engine's frame, correct a figure.

Reading: staff see every enterprise; an enterprise account sees only its
own, and any other USCC answers NotFound (its existence is not revealed).
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import polars as pl
from sqlalchemy.orm import Session

from zonehero.clock import utcnow
from zonehero.core.domain.fields import FIELDS, FIELDS_BY_KEY
from zonehero.errors import InputError, InputProblem, NotFound
from zonehero.features.audit import service as audit
from zonehero.features.enterprises import repository
from zonehero.features.enterprises.models import Figure
from zonehero.features.enterprises.schemas import (
    EnterpriseList,
    EnterpriseRead,
    FigureChange,
    FigureRead,
    FigureWriteSummary,
    ImportChanges,
    ImportedChange,
    SourceChangeCount,
)
from zonehero.features.enterprises.values import Value, engine_dtype, from_columns, is_text, registry_field, to_columns
from zonehero.features.roles import Actor, Role, require_editor, require_staff

MAX_AUDITED_CHANGES = 10_000
"""Replaced values listed one by one in the import's audit entry (beyond this, counted)."""


def can_see(actor: Actor, uscc: str) -> bool:
    """Staff see all enterprises; an enterprise account only its own."""
    return actor.is_staff or (actor.role == Role.ENTERPRISE and actor.enterprise_uscc == uscc)


def ensure_can_see(actor: Actor, uscc: str) -> None:
    """NotFound (not PermissionDenied) for another enterprise, so USCCs cannot be probed."""
    if not can_see(actor, uscc):
        raise NotFound("企业不存在")


def get_enterprise(session: Session, actor: Actor, uscc: str) -> EnterpriseRead:
    """An enterprise with its name history."""
    ensure_can_see(actor, uscc)
    enterprise = repository.get(session, uscc, with_names=True)
    if enterprise is None:
        raise NotFound("企业不存在")
    return EnterpriseRead.model_validate(enterprise)


def search_enterprises(
    session: Session,
    actor: Actor,
    *,
    q: str | None = None,
    industry: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> EnterpriseList:
    """Enterprises by name or USCC fragment and industry code prefix; an enterprise account finds itself only."""
    usccs = None if actor.is_staff else [actor.enterprise_uscc or ""]
    rows, total = repository.search(
        session,
        q=(q or "").strip() or None,
        industry=(industry or "").strip() or None,
        usccs=usccs,
        limit=max(1, min(limit, 1000)),
        offset=max(0, offset),
    )
    return EnterpriseList(
        items=[EnterpriseRead(uscc=e.uscc, name=e.name, industry_code=e.industry_code) for e in rows], total=total
    )


def _figure_read(fig: Figure) -> FigureRead:
    f = FIELDS_BY_KEY.get(fig.field)
    return FigureRead(
        uscc=fig.uscc,
        year=fig.year,
        field=fig.field,
        label=f.label if f else fig.field,
        unit=f.unit if f else None,
        value=from_columns(f, fig.value_num, fig.value_text) if f else fig.value_text,
        department=fig.department,
        file=fig.file,
        sheet=fig.sheet,
        row=fig.row,
        column=fig.column,
        batch_id=fig.batch_id,
        objection_id=fig.objection_id,
        updated_at=fig.updated_at,
    )


def enterprise_figures(session: Session, actor: Actor, uscc: str, *, year: int | None = None) -> list[FigureRead]:
    """Every figure of an enterprise (newest year first) with where it came from."""
    ensure_can_see(actor, uscc)
    return [_figure_read(f) for f in repository.figures_of(session, uscc, year)]


def data_version(session: Session, year: int) -> int:
    """The year's data version: raised by every write of its figures (internal: what kept views are made at)."""
    return repository.data_version(session, year)


def figure_years(session: Session, actor: Actor) -> list[int]:
    """Years that have figures (staff only)."""
    require_staff(actor)
    return repository.years(session)


OBJECTION_DEPARTMENT = "异议更正"
"""The lineage department of a figure an accepted 异议 set."""
CONFIRMATION_DEPARTMENT = "企业确认更正"
"""The lineage department of a figure an accepted dispute of 企业确认 set."""
CORRECTED_DEPARTMENTS = (OBJECTION_DEPARTMENT, CONFIRMATION_DEPARTMENT)
"""Figures a person corrected after the files were read: a run derives no land over them."""

LINEAGE_SCHEMA: dict[str, type[pl.DataType]] = {
    "uscc": pl.String,
    "field": pl.String,
    "department": pl.String,
    "file": pl.String,
    "sheet": pl.String,
    "row": pl.Int64,
    "column": pl.String,
}
"""Where a figure came from: department, file, sheet, row and column (an accepted 异议 names itself as the file)."""


def year_lineage(session: Session, year: int, *, unchanged_since: datetime | None = None) -> pl.DataFrame:
    """The source of every figure of ``year`` (internal: the run keeps it so its documents never drift).

    ``unchanged_since`` leaves out figures written after that moment (their source is no longer the one a run
    made then used).
    """
    return repository.year_lineage(session, year, LINEAGE_SCHEMA, unchanged_since)


def year_frame(session: Session, year: int) -> pl.DataFrame:
    """Every figure of ``year`` as the engine's canonical frame: one row per USCC, registry columns and dtypes.

    Internal (no actor): callers are services that have checked permissions.
    Empty (zero rows) when the year has no figures.

    Pivoting a province's year (over a million figure rows) takes seconds, and the cultivation page, run creation
    and what-if all need the frame; so the frame is kept for the year's data version, which every write of the
    year's figures raises in the same transaction. The version is read before the figures: a write committed in
    between leaves a frame newer than its version says, which no later reader asks for. Version 0 (no write
    counted yet) keeps nothing: a year with figures has a version from its first import or from migration 0012.
    """
    version = repository.data_version(session, year)
    kept = repository.kept_frame(session, year, version) if version else None
    if kept is not None:
        return pl.read_ipc(io.BytesIO(kept))
    frame = _pivot_year(session, year)
    if version and frame.height:
        buffer = io.BytesIO()
        frame.write_ipc(buffer, compression="zstd")
        repository.keep_frame(session, year, version, buffer.getvalue())
    return frame


def _pivot_year(session: Session, year: int) -> pl.DataFrame:
    long = repository.year_figures(session, year)
    if not long.height:
        return pl.DataFrame({"uscc": pl.Series([], dtype=pl.String)})
    present = set(long["field"].unique().to_list())
    keys = [f for f in FIELDS if f.key != "uscc" and f.key in present]
    text_keys = [f.key for f in keys if is_text(f)]
    num_keys = [f.key for f in keys if not is_text(f)]
    frame = long.select("uscc").unique().sort("uscc")
    for values, subset in (("value_num", num_keys), ("value_text", text_keys)):
        if subset:
            wide = long.filter(pl.col("field").is_in(subset)).pivot(on="field", index="uscc", values=values)
            frame = frame.join(wide, on="uscc", how="left")
    casts = []
    for f in keys:
        col = pl.col(f.key)
        casts.append((col != 0.0 if f.type == "bool" else col).cast(engine_dtype(f)).alias(f.key))
    return frame.select("uscc", *casts)


def _long_from_import(frame: pl.DataFrame, lineage: pl.DataFrame) -> pl.DataFrame:
    """(uscc, field, value_num, value_text, department, file, sheet, row, column), non-null values only."""
    parts: list[pl.DataFrame] = []
    for f in FIELDS:
        if f.key == "uscc" or f.key not in frame.columns:
            continue
        col = pl.col(f.key)
        if is_text(f):
            num, text = pl.lit(None, dtype=pl.Float64), col.cast(pl.String).str.strip_chars()
        elif f.type == "bool":
            num, text = col.cast(pl.Boolean).cast(pl.Float64), pl.lit(None, dtype=pl.String)
        else:
            num, text = col.cast(pl.Float64), pl.lit(None, dtype=pl.String)
        part = frame.select(
            "uscc", pl.lit(f.key).alias("field"), num.alias("value_num"), text.alias("value_text")
        ).filter(pl.col("value_num").is_not_null() | (pl.col("value_text").fill_null("") != ""))
        parts.append(part)
    empty = {"uscc": pl.String, "field": pl.String, "value_num": pl.Float64, "value_text": pl.String}
    long = pl.concat(parts) if parts else pl.DataFrame(schema=empty)
    source = lineage.select("uscc", "field", "department", "file", "sheet", "row", "column").unique(
        ["uscc", "field"], keep="first"
    )
    return long.join(source, on=["uscc", "field"], how="left")


def _joined_with_stored(session: Session, year: int, long: pl.DataFrame) -> pl.DataFrame:
    """The import's figures beside the stored figure of the same (enterprise, field) of ``year``: ``id`` (null for a
    new figure), ``old_num`` and ``old_text``."""
    existing = repository.year_figures(session, year).rename({"value_num": "old_num", "value_text": "old_text"})
    return long.join(existing, on=["uscc", "field"], how="left")


def _differing(replaced: pl.DataFrame) -> pl.DataFrame:
    """The replaced figures whose value is not the stored one: what "数值有变化" counts, in preview and store alike."""
    return replaced.filter(
        pl.col("value_num").ne_missing(pl.col("old_num")) | pl.col("value_text").ne_missing(pl.col("old_text"))
    )


def import_changes(
    session: Session, actor: Actor, *, year: int, frame: pl.DataFrame, lineage: pl.DataFrame, limit: int
) -> ImportChanges:
    """What confirming an import for ``year`` would change (each stored value it replaces by another), before it is
    confirmed: the count per source file and the first ``limit`` changes with the enterprise's name, old and new
    value and where the new value comes from. Writes nothing."""
    require_editor(actor)
    if frame.height == 0:
        return ImportChanges(total=0, per_source=[], changes=[])
    long = _long_from_import(frame, lineage)
    differs = _differing(_joined_with_stored(session, year, long).filter(pl.col("id").is_not_null()))
    per_source = [
        SourceChangeCount(department=row["department"] or "", file=row["file"] or "", count=row["len"])
        for row in differs.group_by("department", "file").len().sort("len", "file", descending=[True, False]).to_dicts()
    ]
    shown = differs.sort("department", "file", "uscc", "field").head(max(0, limit))
    usccs = shown["uscc"].unique().to_list()
    names = dict(zip(frame["uscc"].to_list(), frame["name"].to_list(), strict=True)) if "name" in frame.columns else {}
    stored_names = repository.existing_usccs(session, usccs)
    changes = []
    for rec in shown.iter_rows(named=True):
        f = FIELDS_BY_KEY[rec["field"]]
        known = stored_names.get(rec["uscc"], (None, None))[0]
        changes.append(
            ImportedChange(
                uscc=rec["uscc"],
                name=names.get(rec["uscc"]) or known,
                field=rec["field"],
                before=from_columns(f, rec["old_num"], rec["old_text"]),
                after=from_columns(f, rec["value_num"], rec["value_text"]),
                department=rec["department"],
                file=rec["file"],
                sheet=rec["sheet"],
                row=rec["row"],
                column=rec["column"],
            )
        )
    return ImportChanges(total=differs.height, per_source=per_source, changes=changes)


def store_import(
    session: Session,
    actor: Actor,
    *,
    year: int,
    frame: pl.DataFrame,
    lineage: pl.DataFrame,
    batch_id: int | None,
) -> FigureWriteSummary:
    """Write an import's enterprises, names and figures for ``year`` (called by the imports service).

    A figure of the same (enterprise, year, field) is replaced with its new
    lineage; figures the files do not provide are kept (departments deliver
    at different times). Only flushes: the caller's unit of work makes it
    all or nothing.
    """
    require_editor(actor)
    if frame.height == 0:
        raise InputError("导入文件中没有企业数据")
    now = utcnow()
    long = _long_from_import(frame, lineage)
    usccs = frame["uscc"].to_list()
    known = repository.existing_usccs(session, usccs)
    latest = repository.latest_years(session, usccs)
    names = dict(
        zip(
            frame["uscc"].to_list(),
            frame["name"].to_list() if "name" in frame.columns else [None] * len(usccs),
            strict=True,
        )
    )
    industries = dict(
        zip(
            usccs,
            frame["industry_code"].to_list() if "industry_code" in frame.columns else [None] * len(usccs),
            strict=True,
        )
    )
    new_rows = [
        {"uscc": u, "name": names[u], "industry_code": industries[u], "created_at": now, "updated_at": now}
        for u in usccs
        if u not in known
    ]
    repository.insert_enterprises(session, new_rows)
    # The enterprise's shown name and industry follow its newest year.
    updates = [
        {
            "uscc": u,
            "name": names[u] or known[u][0],
            "industry_code": industries[u] or known[u][1],
            "updated_at": now,
        }
        for u in usccs
        if u in known and year >= latest.get(u, year) and (names[u], industries[u]) != known[u]
    ]
    repository.update_enterprises(session, updates)
    _record_names(session, names, year, batch_id)

    lineage_cols = {"batch_id": batch_id, "objection_id": None, "updated_at": now}
    joined = _joined_with_stored(session, year, long)
    fresh = joined.filter(pl.col("id").is_null()).drop("id", "old_num", "old_text")
    replaced = joined.filter(pl.col("id").is_not_null())
    updates_f = [{**row, **lineage_cols} for row in replaced.drop("uscc", "field", "old_num", "old_text").to_dicts()]
    differs = _differing(replaced)
    values_changed = differs.height
    changes: list[dict[str, Any]] = []
    for rec in differs.head(MAX_AUDITED_CHANGES).iter_rows(named=True):
        f = FIELDS_BY_KEY[rec["field"]]
        changes.append(
            {
                "uscc": rec["uscc"],
                "field": rec["field"],
                "before": from_columns(f, rec["old_num"], rec["old_text"]),
                "after": from_columns(f, rec["value_num"], rec["value_text"]),
            }
        )
    repository.insert_figures(
        session,
        fresh.with_columns(
            pl.lit(year, dtype=pl.Int64).alias("year"),
            pl.lit(batch_id, dtype=pl.Int64).alias("batch_id"),
            pl.lit(None, dtype=pl.Int64).alias("objection_id"),
            pl.lit(now, dtype=pl.Datetime("us", "UTC")).alias("updated_at"),
        ),
    )
    repository.update_figures(session, updates_f)
    repository.bump_version(session, year)
    session.flush()
    summary = FigureWriteSummary(
        enterprises_new=len(new_rows),
        enterprises_total=len(usccs),
        figures_inserted=fresh.height,
        figures_updated=len(updates_f),
        values_changed=values_changed,
    )
    audit.record(
        session,
        actor,
        "figures.import",
        "import_batch",
        batch_id,
        before={"changed_values": changes} if changes else None,
        after={"year": year, **summary.__dict__},
    )
    return summary


def _record_names(session: Session, names: Mapping[str, str | None], year: int, batch_id: int | None) -> None:
    """Keep every name an enterprise went by, with the earliest year it was seen."""
    given = {(u, n.strip()) for u, n in names.items() if n and n.strip()}
    if not given:
        return
    known = repository.known_names(session, sorted({u for u, _ in given}))
    inserts = [
        {"uscc": u, "name": n, "first_seen_year": year, "first_seen_batch_id": batch_id}
        for u, n in sorted(given)
        if (u, n) not in known
    ]
    earlier = [
        {"id": known[(u, n)][0], "first_seen_year": year, "first_seen_batch_id": batch_id}
        for u, n in sorted(given)
        if (u, n) in known and known[(u, n)][1] > year
    ]
    repository.insert_names(session, inserts)
    repository.update_names(session, earlier)


def correct_figures(
    session: Session,
    actor: Actor,
    *,
    uscc: str,
    year: int,
    changes: Mapping[str, Value],
    objection_id: int | None = None,
    source: tuple[str, str] | None = None,
) -> list[FigureChange]:
    """Correct figures after an accepted objection (lineage 异议更正 · 异议 #id) or another accepted dispute whose
    ``source`` (department, file) names it, e.g. 企业确认更正 · 确认异议 #id. Audited before/after, with the source."""
    require_editor(actor)
    if source is None and objection_id is None:
        raise ValueError("a corrected figure needs its source: an objection or another named dispute")
    department, file = source or (OBJECTION_DEPARTMENT, f"异议 #{objection_id}")
    if not changes:
        raise InputError("没有要更正的数据")
    problems: list[InputProblem] = []
    parsed: dict[str, tuple[float | None, str | None]] = {}
    for key, value in changes.items():
        try:
            parsed[key] = to_columns(registry_field(key), value)
        except InputError as exc:
            problems += exc.problems
    if problems:
        raise InputError(problems)
    if repository.get(session, uscc) is None:
        raise NotFound("企业不存在")
    now = utcnow()
    result: list[FigureChange] = []
    for key, (num, text) in parsed.items():
        f = FIELDS_BY_KEY[key]
        fig = repository.figure(session, uscc, year, key)
        before = from_columns(f, fig.value_num, fig.value_text) if fig else None
        if fig is None:
            fig = Figure(uscc=uscc, year=year, field=key)
            session.add(fig)
        fig.value_num, fig.value_text = num, text
        fig.department = department
        fig.file = file
        fig.sheet = fig.column = None
        fig.row = None
        fig.batch_id = None
        fig.objection_id = objection_id
        fig.updated_at = now
        result.append(FigureChange(uscc=uscc, year=year, field=key, before=before, after=from_columns(f, num, text)))
    session.flush()
    repository.bump_version(session, year)
    audit.record(
        session,
        actor,
        "figure.correct",
        "enterprise",
        uscc,
        before={"year": year, "objection_id": objection_id, "values": {c.field: c.before for c in result}},
        after={
            "year": year,
            "objection_id": objection_id,
            "source": f"{department} · {file}",
            "values": {c.field: c.after for c in result},
        },
    )
    return result
