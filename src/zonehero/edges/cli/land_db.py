"""``zonehero land import PARCELS LEASES [--geojson FILE] [--confirm] [--db URL]``: the registers into the store.

Reads the parcel and lease registers (and the parcels' polygons) with the core's readers, checks them together,
and shows what they would change in the store (宗地/租赁/图形: 新增、修改、删除); with ``--confirm`` it writes them
through the land service as the server's operator, in one transaction: all or nothing, every change audited. An
import is the whole register (a parcel or lease not in the files is deleted), as on the web page 用地.
"""

from __future__ import annotations

from pathlib import Path

import typer

from zonehero.edges.cli.output import console, user_errors


def import_command(
    parcels: Path = typer.Argument(..., help="宗地表（CSV/xlsx）/ parcel register", show_default=False),
    leases: Path = typer.Argument(..., help="租赁表（CSV/xlsx）/ lease register", show_default=False),
    geojson: Path | None = typer.Option(
        None, "--geojson", help="宗地图形 GeoJSON（按宗地编号）/ parcel polygons", show_default=False
    ),
    confirm: bool = typer.Option(False, "--confirm", help="写入数据库（默认只预览）/ write (default: preview only)"),
    db: str | None = typer.Option(
        None, "--db", help="数据库地址 / database URL (ZONEHERO_DB)", envvar="ZONEHERO_DB", show_default=False
    ),
) -> None:
    """导入宗地表、租赁表（及宗地图形）到数据库 / import the parcel and lease registers into the store."""
    with user_errors():
        from zonehero.config import load_settings
        from zonehero.core.land import read_leases, read_parcels
        from zonehero.db.migrate import require_current
        from zonehero.db.session import make_engine, session_factory, unit_of_work
        from zonehero.errors import InputError, InputProblem
        from zonehero.features.land import service
        from zonehero.features.land.geometry import read_polygons
        from zonehero.features.roles import SYSTEM

        problems: list[InputProblem] = []
        read: dict[str, object] = {}
        for key, path, reader in (
            ("parcels", parcels, read_parcels),
            ("leases", leases, read_leases),
            ("polygons", geojson, read_polygons),
        ):
            if path is None:
                continue
            try:
                read[key] = reader(path)
            except InputError as exc:
                problems += exc.problems
        if problems:
            raise InputError(problems)
        parcel_list, lease_list = read["parcels"], read["leases"]
        polygons = read.get("polygons") or {}
        engine = make_engine(load_settings(db=db).database_url)
        try:
            with engine.connect() as conn:
                require_current(conn)
            with unit_of_work(session_factory(engine)) as session:
                changes = service.preview_records(
                    session,
                    SYSTEM,
                    parcel_list,  # type: ignore[arg-type]
                    lease_list,  # type: ignore[arg-type]
                    polygons,  # type: ignore[arg-type]
                    geojson_file=geojson.name if geojson else None,
                )
                for change in changes:
                    console.print(
                        f"{change.kind_label}{change.what_label} {change.key} {change.detail}", highlight=False
                    )
                if confirm:
                    files = {"parcels": parcels.name, "leases": leases.name} | (
                        {"geojson": geojson.name} if geojson else {}
                    )
                    done = service.import_records(
                        session,
                        SYSTEM,
                        parcel_list,  # type: ignore[arg-type]
                        lease_list,  # type: ignore[arg-type]
                        polygons,  # type: ignore[arg-type]
                        files=files,
                    )
        finally:
            engine.dispose()
    if confirm:
        console.print(f"已导入 / imported: {done.sentence()}", highlight=False)
    else:
        console.print(f"预览 / preview: {len(changes)} 处变更，未写入；加 --confirm 写入数据库", highlight=False)


def register(app: typer.Typer) -> None:
    """Add ``import`` to the ``land`` command group (registered by ``zonehero.edges.cli.land``)."""
    app.command("import")(import_command)
