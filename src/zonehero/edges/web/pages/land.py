"""用地 (land): the parcel and lease registers, their import (preview, confirm) and the zone map (亩均一张图).

Staff read; the analyst imports the 自然资源局's parcel register, lease register and (optionally) the parcels'
polygons as GeoJSON. The map's data is one JSON endpoint, decided in :mod:`zonehero.features.cockpit.zone_map`.
Every route calls one service; permissions live there (an enterprise account is answered 404).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Path, Query, Request, UploadFile
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse, Response

from zonehero.clock import today
from zonehero.edges.web.deps import EditorUser, SessionDep, SettingsDep, StaffUser
from zonehero.edges.web.paging import MAX_ID
from zonehero.edges.web.rendering import flash, render
from zonehero.edges.web.uploads import read_uploads
from zonehero.errors import InputError, InputProblem
from zonehero.features.cockpit import zone_map
from zonehero.features.imports.evidence import ACCEPT, ALLOWED
from zonehero.features.imports.storage import UploadedFile
from zonehero.features.land import service as land
from zonehero.features.land.schemas import LandPreview
from zonehero.features.roles import Actor
from zonehero.features.runs import service as runs
from zonehero.features.runs.choice import pick_run, run_years

router = APIRouter(prefix="/land", include_in_schema=False)

LeaseId = Annotated[int, Path(ge=1, le=MAX_ID)]
UploadId = Annotated[str, Path(pattern=r"^[0-9a-f]{32}$")]
MapYear = Annotated[int | None, Query(ge=2000, le=2100, description="年度")]
MapRun = Annotated[int | None, Query(ge=1, le=MAX_ID, description="评价批次")]
SHOWN_CHANGES = 500


@router.get("", name="land_page")
def land_page(request: Request, session: SessionDep, actor: StaffUser) -> Response:
    """The registers as stored, and (for the analyst) the import form."""
    context = {
        "parcels": land.list_parcels(session, actor),
        "leases": land.list_leases(session, actor),
        "contract_accept": ACCEPT,
    }
    return render(request, "land/index.html", context)


def _one(files: list[UploadFile], max_bytes: int) -> UploadedFile | None:
    read = read_uploads(files, max_bytes=max_bytes, max_files=1, too_many="每类文件只能上传一个")
    return read[0] if read else None


def _preview_page(request: Request, preview: LandPreview) -> Response:
    context: dict[str, Any] = {
        "preview": preview,
        "changes": preview.changes[:SHOWN_CHANGES],
        "part_labels": land.PART_LABELS,
    }
    return render(request, "land/preview.html", context, status_code=422 if preview.problems else 200)


@router.post("/import", name="land_import")
def land_import(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    actor: EditorUser,
    parcels: Annotated[list[UploadFile], File(description="宗地表（xlsx/csv）")] = [],  # noqa: B006
    leases: Annotated[list[UploadFile], File(description="租赁表（xlsx/csv）")] = [],  # noqa: B006
    geojson: Annotated[list[UploadFile], File(description="宗地图形（GeoJSON）")] = [],  # noqa: B006
) -> Response:
    """Keep the files and show what they would change, or every problem with file/row/column (nothing written)."""
    parcel_file, lease_file = _one(parcels, settings.upload_max_bytes), _one(leases, settings.upload_max_bytes)
    missing = [
        InputProblem(f"请选择{label}文件", column=key)
        for key, label, file in (("parcels", "宗地表", parcel_file), ("leases", "租赁表", lease_file))
        if file is None
    ]
    if missing or parcel_file is None or lease_file is None:
        raise InputError(missing)
    preview = land.stage_import(
        session,
        actor,
        settings,
        parcels=parcel_file,
        leases=lease_file,
        geojson=_one(geojson, settings.upload_max_bytes),
    )
    return _preview_page(request, preview)


@router.get("/import/{upload_id}", name="land_import_preview")
def land_import_preview(
    request: Request, session: SessionDep, settings: SettingsDep, actor: EditorUser, upload_id: UploadId
) -> Response:
    """A kept upload read again against the store as it is now."""
    return _preview_page(request, land.read_staged(session, actor, settings, upload_id))


@router.post("/import/{upload_id}/confirm", name="land_import_confirm")
def land_import_confirm(
    request: Request, session: SessionDep, settings: SettingsDep, actor: EditorUser, upload_id: UploadId
) -> Response:
    """Write the previewed registers (all or nothing)."""
    done = land.confirm_import(session, actor, settings, upload_id)
    flash(request, f"已导入宗地与租赁：{done.sentence()}")
    return RedirectResponse("/land", status_code=303)


@router.post("/leases/{lease_id}/contract", name="land_lease_contract")
def lease_contract_upload(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    actor: EditorUser,
    lease_id: LeaseId,
    file: Annotated[list[UploadFile], File(description="租赁合同（PDF、JPEG 或 PNG）")] = [],  # noqa: B006
) -> Response:
    """Keep a lease's contract file (the service puts it through the evidence files' guard)."""
    uploaded = _one(file, settings.evidence_max_bytes)
    if uploaded is None:
        raise InputError(InputProblem("请选择合同文件", column="file"))
    name = land.attach_contract(session, actor, settings, lease_id, uploaded)
    flash(request, f"已上传租赁合同「{name}」")
    return RedirectResponse("/land#leases-card", status_code=303)


@router.get("/leases/{lease_id}/contract", name="land_lease_contract_download")
def lease_contract_download(
    session: SessionDep, settings: SettingsDep, actor: StaffUser, lease_id: LeaseId
) -> Response:
    """The lease's contract file, as an attachment (never rendered inline)."""
    path = land.contract_file(session, actor, settings, lease_id)
    content_type = ALLOWED.get(path.suffix.lower(), ("application/octet-stream", ()))[0]
    return FileResponse(path, media_type=content_type, filename=path.name, content_disposition_type="attachment")


def _map_run(session: SessionDep, actor: Actor, year: int | None, run_id: int | None) -> tuple[Any, int | None]:
    all_runs = runs.list_runs(session, actor)
    run = pick_run(all_runs, year=year, run_id=run_id)
    return run, (run.year if run is not None else year)


@router.get("/map", name="land_map")
def land_map(
    request: Request, session: SessionDep, actor: StaffUser, year: MapYear = None, run_id: MapRun = None
) -> Response:
    """亩均一张图: the zone's parcels drawn from their polygons, coloured by class, 亩均税收 or status."""
    run, chosen = _map_run(session, actor, year, run_id)
    all_years = run_years(runs.list_runs(session, actor))
    context = {"run": run, "year": chosen, "years": all_years, "has_map": land.has_map(session)}
    return render(request, "land/map.html", context)


@router.get("/map.json", name="land_map_data")
def land_map_data(session: SessionDep, actor: StaffUser, year: MapYear = None, run_id: MapRun = None) -> Response:
    """The map's data: polygons, each parcel's colour per mode, its hover and link, the legends (staff only)."""
    run, chosen = _map_run(session, actor, year, run_id)
    data = zone_map.zone_map(session, actor, run, chosen or today().year - 1)
    return JSONResponse(data, headers={"Cache-Control": "no-store"})
