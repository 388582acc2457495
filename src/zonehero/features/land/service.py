"""Parcels and leases (宗地与租赁): the 自然资源局 registers imported all or nothing, and the land a run derives.

Who may do what: staff read the registers and the map; the analyst (an editor) imports them. An enterprise account
sees nothing here (its land shows on its own result, from what the run kept).

An import is the whole register, as the 自然资源局 sends it: a parcel not in the new parcel file is deleted with its
leases, a lease not in the new lease file is deleted; polygons are set for the parcels the GeoJSON names and kept
for the others. The files are read in the isolated parse process (:mod:`zonehero.features.imports.isolation`),
checked together by the core's :func:`~zonehero.core.land.check_land` (each problem at its file, row and column),
compared with the store for the preview, and written in one transaction on confirmation, every change audited.

A run derives its year's land here (:func:`derive_for_run`), by its scheme's ``[land]`` rules, through the core's
:func:`~zonehero.core.land.derive_land`: the one place the rule lives.
"""

from __future__ import annotations

import re
import uuid
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
from sqlalchemy.orm import Session

from zonehero.clock import utcnow
from zonehero.config import Settings
from zonehero.core.land import (
    DEFAULT_LAND_RULES,
    LandRules,
    Lease,
    Parcel,
    ParcelStatus,
    check_land,
    derive_land,
    read_leases,
    read_parcels,
)
from zonehero.errors import InputError, InputProblem, NotFound
from zonehero.features.audit import service as audit
from zonehero.features.imports.evidence import check_evidence
from zonehero.features.imports.isolation import parse_limits, run_isolated
from zonehero.features.imports.storage import UploadedFile, safe_name, store_files
from zonehero.features.land import repository
from zonehero.features.land.geometry import read_polygons
from zonehero.features.land.models import LandCorrectionRow, LandNoticeRow, LeaseRow, ParcelRow
from zonehero.features.land.schemas import (
    CORRECTABLE_LABELS,
    LEASE_FIELDS,
    PARCEL_FIELDS,
    LandChange,
    LandCorrectionRead,
    LandImportSummary,
    LandNoticeRead,
    LandPreview,
    LeaseRead,
    MapParcel,
    ParcelRead,
)
from zonehero.features.roles import Actor, require_editor, require_staff

UPLOADS_FOLDER = "land"
_UPLOAD_ID = re.compile(r"^[0-9a-f]{32}$")
PARTS = ("parcels", "leases", "geojson")
"""The files of one import, each kept in its own folder: 宗地表, 租赁表, 宗地图形 (GeoJSON, optional)."""
PART_LABELS = {"parcels": "宗地表", "leases": "租赁表", "geojson": "宗地图形（GeoJSON）"}

LAND_DEPARTMENT = "自然资源局"
LAND_SOURCE_FILE = "宗地与租赁登记"
"""How a run's lineage names a derived 用地面积: the registers the derivation read (the kept derivation says which
parcels and leases)."""


# --- records --------------------------------------------------------------------------------------------------


def _parcel(row: ParcelRow) -> Parcel:
    return Parcel(
        number=row.number,
        holder_uscc=row.holder_uscc,
        area_m2=row.area_m2,
        status=ParcelStatus(row.status),
        certificate_no=row.certificate_no,
        location=row.location,
        use=row.use,
        holder_name=row.holder_name,
        acquired=row.acquired,
    )


def _lease(row: LeaseRow, number: str) -> Lease:
    return Lease(
        parcel_no=number,
        lessor_uscc=row.lessor_uscc,
        lessee_uscc=row.lessee_uscc,
        start=row.start_date,
        end=row.end_date,
        area_m2=row.area_m2,
        share_percent=row.share_percent,
        contract_no=row.contract_no,
    )


def stored_records(session: Session) -> tuple[list[Parcel], list[Lease]]:
    """The store's parcels and leases as the core reads them (internal: callers checked the actor)."""
    return [_parcel(r) for r in repository.parcels(session)], [_lease(r, n) for r, n in repository.leases(session)]


def has_parcels(session: Session) -> bool:
    """Whether the store has any parcel (a run then derives its land; the cockpit shows the map)."""
    return repository.parcel_count(session) > 0


def has_map(session: Session) -> bool:
    """Whether any parcel has a polygon to draw."""
    return repository.mapped_count(session) > 0


def list_parcels(session: Session, actor: Actor) -> list[ParcelRead]:
    """Every parcel (staff only)."""
    require_staff(actor)
    return [
        ParcelRead(
            number=r.number,
            certificate_no=r.certificate_no,
            location=r.location,
            area_m2=r.area_m2,
            use=r.use,
            holder_uscc=r.holder_uscc,
            holder_name=r.holder_name,
            acquired=r.acquired,
            status=ParcelStatus(r.status),
            has_polygon=r.geometry is not None,
        )
        for r in repository.parcels(session)
    ]


def _lease_read(r: LeaseRow, number: str) -> LeaseRead:
    return LeaseRead(
        id=r.id,
        parcel_no=number,
        lessor_uscc=r.lessor_uscc,
        lessee_uscc=r.lessee_uscc,
        area_m2=r.area_m2,
        share_percent=r.share_percent,
        start=r.start_date,
        end=r.end_date,
        contract_no=r.contract_no,
        has_contract_file=r.contract_file is not None,
    )


def list_leases(session: Session, actor: Actor) -> list[LeaseRead]:
    """Every lease (staff only)."""
    require_staff(actor)
    return [_lease_read(r, n) for r, n in repository.leases(session)]


# --- snapshots for the audit log --------------------------------------------------------------------------------


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _parcel_json(p: Parcel) -> dict[str, Any]:
    return {
        "number": p.number,
        "certificate_no": p.certificate_no,
        "location": p.location,
        "area_m2": p.area_m2,
        "use": p.use,
        "holder_uscc": p.holder_uscc,
        "holder_name": p.holder_name,
        "acquired": _iso(p.acquired),
        "status": p.status.value,
    }


def _lease_json(lease: Lease) -> dict[str, Any]:
    return {
        "parcel_no": lease.parcel_no,
        "lessor_uscc": lease.lessor_uscc,
        "lessee_uscc": lease.lessee_uscc,
        "area_m2": lease.area_m2,
        "share_percent": lease.share_percent,
        "start": _iso(lease.start),
        "end": _iso(lease.end),
        "contract_no": lease.contract_no,
    }


def _polygon_json(geometry: dict[str, Any] | None) -> dict[str, Any] | None:
    """A polygon in the audit log: its type and vertex count (the coordinates stay in the parcel row)."""
    if geometry is None:
        return None
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    return {"type": geometry["type"], "vertices": sum(len(ring) for poly in polygons for ring in poly)}


# --- import ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Read:
    parcels: list[Parcel]
    leases: list[Lease]
    polygons: dict[str, dict[str, Any]]
    problems: list[InputProblem]


def check_records(
    parcels: list[Parcel], leases: list[Lease], polygons: dict[str, dict[str, Any]], geojson_file: str | None = None
) -> list[InputProblem]:
    """Every problem across the files: the core's checks of parcels with leases, and polygons of unknown parcels.

    The default land rule checks an import (overlapping leases refused); a scheme's own rules are applied when a
    run derives its land."""
    problems = check_land(parcels, leases, DEFAULT_LAND_RULES)
    numbers = {p.number for p in parcels}
    for index, number in enumerate(polygons, start=1):
        if number not in numbers:
            problems.append(
                InputProblem(f"宗地编号「{number}」不在宗地表中", file=geojson_file, row=index, column="宗地编号")
            )
    return problems


def _upload_folder(settings: Settings, upload_id: str) -> Path:
    if not _UPLOAD_ID.match(upload_id):
        raise NotFound("上传文件不存在")
    return settings.uploads_dir / UPLOADS_FOLDER / upload_id


def _read_folder(settings: Settings, folder: Path) -> tuple[_Read, dict[str, str]]:
    files: dict[str, Path] = {}
    for part in PARTS:
        found = sorted((folder / part).iterdir()) if (folder / part).is_dir() else []
        if found:
            files[part] = found[0]
    if "parcels" not in files or "leases" not in files:
        raise NotFound("上传文件不存在")
    limits = parse_limits(settings)
    problems: list[InputProblem] = []
    parcels: list[Parcel] = []
    leases: list[Lease] = []
    polygons: dict[str, dict[str, Any]] = {}
    try:
        parcels = run_isolated(read_parcels, files["parcels"], limits=limits)
    except InputError as exc:
        problems += exc.problems
    try:
        leases = run_isolated(read_leases, files["leases"], limits=limits)
    except InputError as exc:
        problems += exc.problems
    if "geojson" in files:
        try:
            polygons = run_isolated(read_polygons, files["geojson"], limits=limits)
        except InputError as exc:
            problems += exc.problems
    if not problems:
        geojson_name = files["geojson"].name if "geojson" in files else None
        problems = check_records(parcels, leases, polygons, geojson_name)
    return _Read(parcels, leases, polygons, problems), {part: path.name for part, path in files.items()}


def _changes(session: Session, read: _Read) -> list[LandChange]:
    stored_parcels, stored_leases = stored_records(session)
    by_number = {p.number: p for p in stored_parcels}
    geometry = {r.number: r.geometry for r in repository.parcels(session)}
    changes: list[LandChange] = []
    new_numbers = {p.number for p in read.parcels}
    for p in read.parcels:
        old = by_number.get(p.number)
        if old is None:
            changes.append(LandChange("create", "parcel", p.number, f"{p.holder_name or p.holder_uscc}"))
        elif old != p:
            before, after = _parcel_json(old), _parcel_json(p)
            fields = "、".join(k for k in after if before[k] != after[k])
            changes.append(LandChange("update", "parcel", p.number, fields))
    changes += [LandChange("delete", "parcel", n, "") for n in sorted(set(by_number) - new_numbers)]
    old_leases, new_leases = Counter(stored_leases), Counter(read.leases)
    for lease in sorted((new_leases - old_leases).elements(), key=lambda x: (x.parcel_no, x.start)):
        changes.append(LandChange("create", "lease", lease.name, f"{lease.lessor_uscc} → {lease.lessee_uscc}"))
    for lease in sorted((old_leases - new_leases).elements(), key=lambda x: (x.parcel_no, x.start)):
        changes.append(LandChange("delete", "lease", lease.name, f"{lease.lessor_uscc} → {lease.lessee_uscc}"))
    for number, polygon in read.polygons.items():
        if geometry.get(number) != polygon:
            changes.append(LandChange("create" if geometry.get(number) is None else "update", "polygon", number))
    return changes


def _preview(session: Session, upload_id: str, read: _Read, names: dict[str, str]) -> LandPreview:
    return LandPreview(
        upload_id=upload_id,
        files=names,
        parcels=len(read.parcels),
        leases=len(read.leases),
        polygons=len(read.polygons),
        problems=list(read.problems),
        changes=[] if read.problems else _changes(session, read),
    )


def stage_import(
    session: Session,
    actor: Actor,
    settings: Settings,
    *,
    parcels: UploadedFile,
    leases: UploadedFile,
    geojson: UploadedFile | None = None,
) -> LandPreview:
    """Keep the uploaded registers and show what they would change, or every problem (nothing is written)."""
    require_editor(actor)
    given = {"parcels": parcels, "leases": leases, "geojson": geojson}
    problems = []
    for part, file in given.items():
        if file is None:
            continue
        if not file.data:
            problems.append(InputProblem(f"{PART_LABELS[part]}文件是空的", file=safe_name(file.name)))
        elif len(file.data) > settings.upload_max_bytes:
            limit = settings.upload_max_bytes // (1024 * 1024)
            problems.append(InputProblem(f"文件过大（上限 {limit} MB）", file=safe_name(file.name)))
    if problems:
        raise InputError(problems)
    upload_id = uuid.uuid4().hex
    folder = _upload_folder(settings, upload_id)
    for part, file in given.items():
        if file is not None:
            (folder / part).mkdir(parents=True, exist_ok=True)
            (folder / part / safe_name(file.name)).write_bytes(file.data)
    read, names = _read_folder(settings, folder)
    return _preview(session, upload_id, read, names)


def read_staged(session: Session, actor: Actor, settings: Settings, upload_id: str) -> LandPreview:
    """A kept upload read again and compared with the store as it is now."""
    require_editor(actor)
    read, names = _read_folder(settings, _upload_folder(settings, upload_id))
    return _preview(session, upload_id, read, names)


def confirm_import(session: Session, actor: Actor, settings: Settings, upload_id: str) -> LandImportSummary:
    """Write a kept upload when it has no problem (InputError with every problem otherwise): all or nothing."""
    require_editor(actor)
    read, names = _read_folder(settings, _upload_folder(settings, upload_id))
    if read.problems:
        raise InputError(read.problems)
    return import_records(session, actor, read.parcels, read.leases, read.polygons, files=names)


def preview_records(
    session: Session,
    actor: Actor,
    parcels: list[Parcel],
    leases: list[Lease],
    polygons: dict[str, dict[str, Any]] | None = None,
    *,
    geojson_file: str | None = None,
) -> list[LandChange]:
    """What :func:`import_records` would change (the CLI's preview); InputError with every problem."""
    require_editor(actor)
    polygons = polygons or {}
    problems = check_records(parcels, leases, polygons, geojson_file)
    if problems:
        raise InputError(problems)
    return _changes(session, _Read(parcels, leases, polygons, []))


def import_records(
    session: Session,
    actor: Actor,
    parcels: list[Parcel],
    leases: list[Lease],
    polygons: dict[str, dict[str, Any]] | None = None,
    *,
    files: dict[str, str] | None = None,
) -> LandImportSummary:
    """Make the store hold exactly these registers (see the module doc); every change audited.

    Checked again here (the CLI and the demo come this way too); InputError with every problem, nothing written.
    """
    require_editor(actor)
    polygons = polygons or {}
    problems = check_records(parcels, leases, polygons, (files or {}).get("geojson"))
    if problems:
        raise InputError(problems)
    rows = {r.number: r for r in repository.parcels(session)}
    stored = repository.leases(session)
    new_leases = Counter(leases)
    keep: Counter[Lease] = Counter()
    deleted_leases = 0
    for stored_lease, number in stored:
        lease = _lease(stored_lease, number)
        if keep[lease] < new_leases[lease]:
            keep[lease] += 1
            continue
        lease_id = stored_lease.id
        repository.delete_lease(session, stored_lease)
        audit.record(session, actor, "lease.delete", "lease", lease_id, before=_lease_json(lease))
        deleted_leases += 1
    numbers = {p.number for p in parcels}
    deleted = 0
    for number in sorted(set(rows) - numbers):
        gone = rows.pop(number)
        before = _parcel_json(_parcel(gone))
        repository.delete_parcel(session, gone)
        audit.record(session, actor, "parcel.delete", "parcel", number, before=before)
        deleted += 1
    created = updated = polygons_set = 0
    now = utcnow()
    for p in parcels:
        row = rows.get(p.number)
        polygon = polygons.get(p.number)
        if row is None:
            row = ParcelRow(number=p.number)
            _apply(row, p, actor, now)
            row.geometry = polygon
            repository.add(session, row)
            rows[p.number] = row
            after = _parcel_json(p) | {"geometry": _polygon_json(polygon)}
            audit.record(session, actor, "parcel.create", "parcel", p.number, after=after)
            created += 1
            polygons_set += polygon is not None
            continue
        old = _parcel(row)
        new_polygon = polygon is not None and row.geometry != polygon
        if old == p and not new_polygon:
            continue
        before = _parcel_json(old) | {"geometry": _polygon_json(row.geometry)}
        _apply(row, p, actor, now)
        if new_polygon:
            row.geometry = polygon
            polygons_set += 1
        session.flush()
        after = _parcel_json(p) | {"geometry": _polygon_json(row.geometry)}
        changed = [k for k in after if before.get(k) != after.get(k)]
        audit.record(
            session,
            actor,
            "parcel.update",
            "parcel",
            p.number,
            before={k: before[k] for k in changed},
            after={k: after[k] for k in changed},
        )
        updated += 1
    added = new_leases - keep
    for lease in added.elements():
        row_lease = LeaseRow(
            parcel_id=rows[lease.parcel_no].id,
            lessor_uscc=lease.lessor_uscc,
            lessee_uscc=lease.lessee_uscc,
            area_m2=lease.area_m2,
            share_percent=lease.share_percent,
            start_date=lease.start,
            end_date=lease.end,
            contract_no=lease.contract_no,
            updated_by=actor.id,
            updated_at=now,
        )
        repository.add(session, row_lease)
        audit.record(session, actor, "lease.create", "lease", row_lease.id, after=_lease_json(lease))
    summary = LandImportSummary(
        parcels_new=created,
        parcels_updated=updated,
        parcels_deleted=deleted,
        leases_new=sum(added.values()),
        leases_deleted=deleted_leases,
        polygons_set=polygons_set,
    )
    audit.record(
        session,
        actor,
        "land.import",
        "land_register",
        None,
        after={"files": files or {}, "parcels": len(parcels), "leases": len(leases), "summary": summary.sentence()},
    )
    return summary


def _apply(row: ParcelRow, p: Parcel, actor: Actor, now: Any) -> None:
    row.certificate_no = p.certificate_no
    row.location = p.location
    row.area_m2 = p.area_m2
    row.use = p.use
    row.holder_uscc = p.holder_uscc
    row.holder_name = p.holder_name
    row.acquired = p.acquired
    row.status = p.status.value
    row.updated_by = actor.id
    row.updated_at = now


# --- contract files -------------------------------------------------------------------------------------------

CONTRACTS_FOLDER = "land-contracts"


def attach_contract(session: Session, actor: Actor, settings: Settings, lease_id: int, file: UploadedFile) -> str:
    """Keep a lease's contract file (租赁合同) and return its stored name; the analyst only.

    The file passes the evidence files' guard first (PDF, JPEG or PNG by extension and content,
    :func:`zonehero.features.imports.evidence.check_evidence`); a new file replaces the old one.
    """
    require_editor(actor)
    check_evidence([file], settings.evidence_max_bytes)
    row = repository.lease(session, lease_id)
    if row is None:
        raise NotFound("租赁不存在")
    stored = store_files(settings.data_dir, f"{CONTRACTS_FOLDER}/{uuid.uuid4().hex}", [file])[0]
    before = row.contract_file
    row.contract_file = stored.stored
    row.updated_by, row.updated_at = actor.id, utcnow()
    session.flush()
    audit.record(
        session,
        actor,
        "lease.contract",
        "lease",
        lease_id,
        before={"contract_file": before},
        after={"contract_file": stored.stored, "sha256": stored.sha256},
    )
    return stored.name


def contract_file(session: Session, actor: Actor, settings: Settings, lease_id: int) -> Path:
    """The kept contract file of a lease (staff only); the read is audited."""
    require_staff(actor)
    row = repository.lease(session, lease_id)
    if row is None or row.contract_file is None:
        raise NotFound("该租赁没有合同文件")
    audit.record_read(session, actor, "lease.contract_download", "lease", lease_id, file=row.contract_file)
    return settings.data_dir / row.contract_file


# --- the run's land -------------------------------------------------------------------------------------------


def derive_for_run(
    session: Session, year: int, rules: LandRules, frame: pl.DataFrame, corrected: Collection[str] = ()
) -> tuple[pl.DataFrame, dict[str, Any] | None]:
    """The run's input frame with each enterprise's ``land_area_mu`` derived from the store's parcels and leases,
    and the derivation to keep with the run; ``(frame, None)`` unchanged when the store has no parcel.

    Internal (the runs service checked the actor). Only enterprises of the frame are derived; one with no parcel
    and no lease in ``year`` keeps its given figure and is listed under ``given``. An enterprise in ``corrected``
    (its 用地面积 set by an accepted 异议) keeps that figure: its derivation is kept under ``corrected``, for the
    page to show beside it until the parcel records are corrected. InputError when the store's records break the
    scheme's rules (e.g. leases overlapping under a rule that refuses them).
    """
    if not has_parcels(session):
        return frame, None
    parcels, leases = stored_records(session)
    areas = derive_land(parcels, leases, year, rules)
    by_uscc = areas.by_uscc()
    usccs = frame["uscc"].to_list()
    overridden = set(corrected)
    derived = {u: by_uscc[u] for u in usccs if u in by_uscc and u not in overridden}
    kept_corrected = {u: by_uscc[u].to_dict() | {"corrected": True} for u in usccs if u in by_uscc and u in overridden}
    given = [u for u in usccs if u not in by_uscc]
    values = pl.DataFrame(
        {"uscc": list(derived), "_derived": [e.land_area_mu for e in derived.values()]},
        schema={"uscc": pl.String, "_derived": pl.Float64},
    )
    land = pl.col("land_area_mu") if "land_area_mu" in frame.columns else pl.lit(None, dtype=pl.Float64)
    dtype = frame.schema["land_area_mu"] if "land_area_mu" in frame.columns else pl.Float64
    order = frame.columns if "land_area_mu" in frame.columns else [*frame.columns, "land_area_mu"]
    out = (
        frame.join(values, on="uscc", how="left")
        .with_columns(pl.coalesce(pl.col("_derived"), land).cast(dtype).alias("land_area_mu"))
        .select(order)
    )
    whole = areas.to_dict()
    records = {u: e.to_dict() for u, e in derived.items()}
    _with_corrections(session, records)
    kept = {
        "year": year,
        "rules": whole["rules"],
        "enterprises": records,
        "given": given,
        "corrected": kept_corrected,
        "units": [u.to_dict() for u in areas.units if set(u.usccs) & set(derived)],
    }
    return out, kept


# --- the map --------------------------------------------------------------------------------------------------


def map_parcels(session: Session, actor: Actor, year: int) -> list[MapParcel]:
    """Parcels with a polygon and who uses them in ``year`` (the holder, and lessees of a lease covering any day of
    it), for the zone map (staff only)."""
    require_staff(actor)
    first, last = date(year, 1, 1), date(year, 12, 31)
    tenants: dict[int, set[str]] = {}
    for row, _number in repository.leases(session):
        if row.start_date <= last and (row.end_date is None or row.end_date >= first):
            tenants.setdefault(row.parcel_id, set()).add(row.lessee_uscc)
    return [
        MapParcel(
            number=r.number,
            geometry=r.geometry,
            area_m2=r.area_m2,
            status=ParcelStatus(r.status),
            holder_uscc=r.holder_uscc,
            holder_name=r.holder_name,
            tenants=tuple(sorted(tenants.get(r.id, set()))),
        )
        for r in repository.parcels(session)
        if r.geometry is not None
    ]


# --- the land-area 公示 (用地面积公示) and corrections from its objections -----------------------------------------
# The workflow (period, gate, who may do what) lives in features.publication and features.objections; here are the
# records: the frozen notice and the corrected parcel or lease with its lineage.


def _notice_read(row: LandNoticeRow, derivation: dict[str, Any] | None = None) -> LandNoticeRead:
    """The notice as read; ``derivation`` given: that part instead of the row's (which a list does not load)."""
    if derivation is None:
        derivation = row.derivation if isinstance(row.derivation, dict) else {}
    return LandNoticeRead(
        id=row.id,
        year=row.year,
        status=row.status,
        notice_start=row.notice_start,
        notice_end=row.notice_end,
        scheme_version_id=row.scheme_version_id,
        enterprise_count=row.enterprise_count,
        published_by=row.published_by,
        published_at=row.published_at,
        closed_by=row.closed_by,
        closed_at=row.closed_at,
        derivation=derivation,
    )


def create_notice(
    session: Session,
    actor: Actor,
    *,
    year: int,
    start: date,
    end: date,
    scheme_version_id: int,
    derivation: dict[str, Any],
) -> LandNoticeRead:
    """Keep a published land notice with its derivation frozen (internal: publication checked the actor)."""
    require_editor(actor)
    count = len(derivation.get("enterprises") or {}) + len(derivation.get("given") or [])
    row = LandNoticeRow(
        year=year,
        status="notice",
        notice_start=start,
        notice_end=end,
        scheme_version_id=scheme_version_id,
        derivation=derivation,
        enterprise_count=count,
        published_by=actor.id,
        published_at=utcnow(),
    )
    repository.add_any(session, row)
    audit.record(
        session,
        actor,
        "land_notice.publish",
        "land_notice",
        row.id,
        after={"year": year, "start": start.isoformat(), "end": end.isoformat(), "enterprises": count},
    )
    return _notice_read(row)


def get_notice(session: Session, notice_id: int) -> LandNoticeRead:
    """A land notice (internal: the callers decide who sees which enterprise's part)."""
    row = repository.notice(session, notice_id)
    if row is None:
        raise NotFound("用地面积公示不存在")
    return _notice_read(row)


def notices(session: Session, *, year: int | None = None, status: str | None = None) -> list[LandNoticeRead]:
    """Land notices newest first, each without its derivation (internal): :func:`get_notice` reads one whole,
    :func:`notice_part` one enterprise's part, so a list or a gate costs the same in a province as in a town."""
    return [_notice_read(r, {}) for r in repository.notices(session, year=year, status=status)]


def notice_part(session: Session, notice_id: int, uscc: str) -> LandNoticeRead:
    """A land notice with only ``uscc``'s part of its derivation (its record, or its place among the enterprises
    that kept their given 用地面积), read in the database (internal: the callers decide who sees it).

    ``includes(uscc)`` of the answer is False when the enterprise is not in the notice. NotFound without the notice.
    """
    rows = repository.notices_by_id(session, notice_id)
    if not rows:
        raise NotFound("用地面积公示不存在")
    found = repository.notice_part(session, notice_id, uscc) if uscc else None  # no account's USCC: no part
    record, name, year, rules = found or (None, None, rows[0].year, None)
    part: dict[str, Any] = {"year": year, "rules": rules, "enterprises": {}, "given": [], "names": {}}
    if isinstance(record, dict):
        part["enterprises"] = {uscc: record}
    elif name is not None:
        part["given"] = [uscc]
    if name is not None:
        part["names"] = {uscc: name or uscc}
    return _notice_read(rows[0], part)


def close_notice(session: Session, actor: Actor, notice_id: int) -> LandNoticeRead:
    """Mark a land notice closed (internal: publication checked its gate)."""
    require_editor(actor)
    row = repository.notice(session, notice_id, for_update=True)
    if row is None:
        raise NotFound("用地面积公示不存在")
    row.status, row.closed_by, row.closed_at = "closed", actor.id, utcnow()
    session.flush()
    before, after = {"status": "notice"}, {"status": "closed"}
    audit.record(session, actor, "land_notice.close", "land_notice", row.id, before=before, after=after)
    return _notice_read(row)


def _correction_read(row: LandCorrectionRow) -> LandCorrectionRead:
    return LandCorrectionRead(
        id=row.id,
        objection_id=row.objection_id,
        what=row.what,
        parcel_no=row.parcel_no,
        lease_id=row.lease_id,
        field=row.field,
        before=row.before,
        after=row.after,
        corrected_by=row.corrected_by,
        corrected_at=row.corrected_at,
    )


def corrections(session: Session, parcel_numbers: Collection[str] | None = None) -> list[LandCorrectionRead]:
    """The lineage of parcels and leases corrected by accepted 用地公示异议 (internal)."""
    return [_correction_read(r) for r in repository.corrections(session, parcel_numbers)]


def _read_field(name: str, raw: object) -> Any:
    """A corrected value as typed in: a number for an area or share, an ISO date for a lease date."""
    text = str(raw).strip() if raw is not None else ""
    label = CORRECTABLE_LABELS[name]
    if not text:
        raise InputError(InputProblem(f"请填写「{label}」更正后的数值", column=name))
    if name in ("start_date", "end_date"):
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise InputError(InputProblem(f"「{label}」应为日期，如 2024-07-01", column=name)) from None
    try:
        value = float(text.replace(",", ""))
    except ValueError:
        raise InputError(InputProblem(f"「{label}」应为数字", column=name)) from None
    if not value > 0:
        raise InputError(InputProblem(f"「{label}」应大于 0", column=name))
    if name == "share_percent" and value > 100:
        raise InputError(InputProblem(f"「{label}」不能超过 100", column=name))
    return value


def _json_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def correct_record(
    session: Session,
    actor: Actor,
    *,
    objection_id: int,
    parcel_no: str | None = None,
    lease_id: int | None = None,
    changes: dict[str, object],
) -> list[LandCorrectionRead]:
    """Correct a parcel's area or a lease's area, share or dates as an accepted 用地公示异议 says: the record
    changes, each changed field keeps a correction row (lineage 用地公示异议 #id, before/after, who, when) and the
    change is audited. Internal: the objections service checked the actor and the objection.

    The corrected registers are checked again by the scheme-free rules of an import (a lease cannot outgrow its
    parcel, leases cannot overlap): InputError with the problem, and the caller's transaction writes nothing.
    """
    require_editor(actor)
    if (parcel_no is None) == (lease_id is None):
        raise InputError(InputProblem("请选择要更正的宗地或租赁记录（二选一）", column="target"))
    allowed = PARCEL_FIELDS if parcel_no is not None else LEASE_FIELDS
    unknown = [k for k in changes if k not in allowed]
    if unknown:
        raise InputError(InputProblem(f"不能更正「{'、'.join(unknown)}」", column="field"))
    if not changes:
        raise InputError(InputProblem("请填写更正后的数值", column="value"))
    record: ParcelRow | LeaseRow | None
    if parcel_no is not None:
        record = repository.parcel_by_number(session, parcel_no)
        if record is None:
            raise NotFound(f"宗地 {parcel_no} 不存在")
        number = parcel_no
    else:
        record = repository.lease(session, lease_id or 0)
        if record is None:
            raise NotFound("租赁不存在")
        number = repository.parcel_number(session, record.parcel_id) or ""
    values = {k: _read_field(k, v) for k, v in changes.items()}
    now = utcnow()
    changed: list[LandCorrectionRow] = []
    for name, value in values.items():
        before = getattr(record, name)
        if before == value:
            continue
        setattr(record, name, value)
        changed.append(
            LandCorrectionRow(
                objection_id=objection_id,
                what="parcel" if parcel_no is not None else "lease",
                parcel_no=number,
                lease_id=lease_id,
                field=name,
                before=_json_value(before),
                after=_json_value(value),
                corrected_by=actor.id,
                corrected_at=now,
            )
        )
    if not changed:
        raise InputError(InputProblem("更正后的数值与现有记录相同", column="value"))
    record.updated_by, record.updated_at = actor.id, now
    session.flush()
    parcels, leases = stored_records(session)
    problems = check_records(parcels, leases, {})
    if problems:
        raise InputError(problems)
    for row in changed:
        repository.add_any(session, row)
    kind = "parcel" if parcel_no is not None else "lease"
    audit.record(
        session,
        actor,
        "parcel.correct" if parcel_no is not None else "lease.correct",
        kind,
        parcel_no if parcel_no is not None else lease_id,
        before={r.field: r.before for r in changed} | {"parcel_no": number},
        after={r.field: r.after for r in changed} | {"lineage": f"用地公示异议 #{objection_id}"},
    )
    return [_correction_read(r) for r in changed]


def lease_parties(session: Session) -> dict[int, tuple[str, str]]:
    """lease id → (lessor, lessee), for showing a lease correction to the enterprises it concerns (internal)."""
    return {row.id: (row.lessor_uscc, row.lessee_uscc) for row, _number in repository.leases(session)}


def leases_of(session: Session, uscc: str) -> list[LeaseRead]:
    """The stored leases an enterprise is a party of (internal: the answer form of its 用地公示异议)."""
    return [_lease_read(r, n) for r, n in repository.leases(session) if uscc in (r.lessor_uscc, r.lessee_uscc)]


def _with_corrections(session: Session, records: dict[str, dict[str, Any]]) -> None:
    """Add to each derivation record the corrections of its parcels and leases (lineage 用地公示异议 #id), so the
    enterprise page and the notice show where a corrected figure came from."""
    found = corrections(session)
    if not found or not records:
        return
    parties = lease_parties(session)
    for uscc, record in records.items():
        parcels = {p["parcel_no"] for p in record.get("parcels") or []}
        leased = {lease["parcel_no"] for lease in record.get("leases") or []}
        mine = [
            c.to_dict()
            for c in found
            if (c.what == "parcel" and c.parcel_no in parcels | leased)
            or (c.what == "lease" and c.lease_id is not None and uscc in parties.get(c.lease_id, ()))
            or (c.what == "lease" and c.lease_id is None and c.parcel_no in leased)
        ]
        if mine:
            record["corrections"] = mine
