"""Parcels and leases in the store: import all or nothing with file/row/column problems, every change audited; a
run derives land from them by its scheme and keeps the derivation, which a later change of a parcel leaves alone.

Runs on SQLite and PostgreSQL (the ``db`` fixture is parametrised).
"""

from __future__ import annotations

import io
import json
import re
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select
from sqlalchemy.orm import Session
from zone_files import OTHERS, USCC_A, USCC_B

from zonehero.config import Settings
from zonehero.core.land import read_leases, read_parcels
from zonehero.errors import InputError, PermissionDenied
from zonehero.features.audit.models import AuditEntry
from zonehero.features.documents import service as documents
from zonehero.features.imports.storage import UploadedFile
from zonehero.features.land import service as land
from zonehero.features.objections import service as objections
from zonehero.features.publication import service as publication
from zonehero.features.roles import Actor
from zonehero.features.runs import service as runs
from zonehero.features.schemes.schemas import SchemeVersionRead

TENANT = OTHERS[0]
PARCELS = (
    "宗地编号,不动产权证号,坐落,宗地面积（平方米）,用途,权利人统一社会信用代码,权利人名称,取得日期,状态\n"
    f"ZD-001,赣(2020)0001,园区一路1号,20000,工业用地,{USCC_A},甲企业有限公司,2020-05-01,在用\n"
    f"ZD-002,赣(2021)0002,园区一路2号,10000,工业用地,{USCC_B},乙企业有限公司,2021-03-01,在建\n"
)
LEASES = (
    "宗地编号,出租方统一社会信用代码,承租方统一社会信用代码,租赁面积（平方米）,起始日期,终止日期,合同编号\n"
    f"ZD-001,{USCC_A},{TENANT},4000,2024-07-01,,HT-001\n"
)
SQUARE = [[115.9, 28.7], [115.901, 28.7], [115.901, 28.701], [115.9, 28.701], [115.9, 28.7]]


def _geojson(rings: dict[str, list[list[float]]]) -> str:
    features = [
        {"type": "Feature", "properties": {"宗地编号": n}, "geometry": {"type": "Polygon", "coordinates": [r]}}
        for n, r in rings.items()
    ]
    return json.dumps({"type": "FeatureCollection", "features": features})


def _files(parcels: str = PARCELS, leases: str = LEASES, geojson: str | None = None) -> dict[str, UploadedFile | None]:
    return {
        "parcels": UploadedFile("宗地表.csv", parcels.encode()),
        "leases": UploadedFile("租赁表.csv", leases.encode()),
        "geojson": UploadedFile("宗地图形.geojson", geojson.encode()) if geojson is not None else None,
    }


def _import(db: Session, actor: Actor, settings: Settings, **kwargs: str) -> None:
    preview = land.stage_import(db, actor, settings, **_files(**kwargs))  # type: ignore[arg-type]
    assert preview.problems == []
    land.confirm_import(db, actor, settings, preview.upload_id)


def _actions(db: Session) -> list[str]:
    return list(
        db.scalars(
            select(AuditEntry.action)
            .where(AuditEntry.action.like("parcel.%") | AuditEntry.action.like("lease.%"))
            .order_by(AuditEntry.id)
        )
    )


class TestImport:
    def test_a_good_import_previews_then_writes_and_audits(
        self, db: Session, analyst: Actor, leader: Actor, settings: Settings
    ) -> None:
        preview = land.stage_import(db, analyst, settings, **_files(geojson=_geojson({"ZD-001": SQUARE})))  # type: ignore[arg-type]
        assert (preview.parcels, preview.leases, preview.polygons, preview.problems) == (2, 1, 1, [])
        assert (preview.count("create", "parcel"), preview.count("create", "lease")) == (2, 1)
        assert land.list_parcels(db, leader) == []  # a preview writes nothing
        done = land.confirm_import(db, analyst, settings, preview.upload_id)
        assert (done.parcels_new, done.leases_new, done.polygons_set) == (2, 1, 1)
        parcels = {p.number: p for p in land.list_parcels(db, leader)}
        assert parcels["ZD-001"].has_polygon and not parcels["ZD-002"].has_polygon
        assert parcels["ZD-002"].status_label == "在建"
        assert _actions(db) == ["parcel.create", "parcel.create", "lease.create"]

    def test_a_second_import_changes_only_what_changed(self, db: Session, analyst: Actor, settings: Settings) -> None:
        _import(db, analyst, settings)
        parcels = PARCELS.replace(",20000,", ",21000,").splitlines()
        new = "\n".join(parcels[:2]) + "\n"
        preview = land.stage_import(db, analyst, settings, **_files(parcels=new))  # type: ignore[arg-type]
        kinds = sorted((c.kind, c.what, c.key) for c in preview.changes)
        assert kinds == [("delete", "parcel", "ZD-002"), ("update", "parcel", "ZD-001")]
        done = land.confirm_import(db, analyst, settings, preview.upload_id)
        assert (done.parcels_updated, done.parcels_deleted, done.leases_new, done.leases_deleted) == (1, 1, 0, 0)
        entry = db.scalar(select(AuditEntry).where(AuditEntry.action == "parcel.update"))
        assert entry is not None and entry.before == {"area_m2": 20000.0} and entry.after == {"area_m2": 21000.0}

    def test_bad_rows_are_refused_with_file_row_and_column_and_nothing_is_written(
        self, db: Session, analyst: Actor, leader: Actor, settings: Settings
    ) -> None:
        bad_leases = (
            LEASES
            + f"ZD-009,{USCC_B},{TENANT},100,2024-01-01,,HT-002\nZD-002,{USCC_B},{USCC_B},100,2024-01-01,,HT-003\n"
        )
        preview = land.stage_import(db, analyst, settings, **_files(leases=bad_leases))  # type: ignore[arg-type]
        where = sorted((p.file, p.row, p.column) for p in preview.problems)
        assert ("租赁表.csv", 3, "宗地编号") in where or ("租赁表.csv", 4, "承租方统一社会信用代码") in where
        assert all(p.file == "租赁表.csv" and p.row is not None and p.column for p in preview.problems)
        assert preview.changes == []
        with pytest.raises(InputError):
            land.confirm_import(db, analyst, settings, preview.upload_id)
        assert land.list_parcels(db, leader) == []

    def test_a_lease_on_an_unknown_parcel_is_refused_at_its_row(
        self, db: Session, analyst: Actor, settings: Settings
    ) -> None:
        leases = LEASES + f"ZD-404,{USCC_B},{TENANT},100,2024-01-01,,HT-404\n"
        preview = land.stage_import(db, analyst, settings, **_files(leases=leases))  # type: ignore[arg-type]
        assert [(p.file, p.row, p.column) for p in preview.problems] == [("租赁表.csv", 3, "宗地编号")]

    def test_overlapping_leases_are_refused(self, db: Session, analyst: Actor, settings: Settings) -> None:
        leases = LEASES + f"ZD-001,{USCC_A},{USCC_B},17000,2024-01-01,2024-12-31,HT-009\n"
        preview = land.stage_import(db, analyst, settings, **_files(leases=leases))  # type: ignore[arg-type]
        assert len(preview.problems) == 1 and "租赁重叠" in preview.problems[0].message

    def test_a_bad_polygon_is_refused_at_its_feature(self, db: Session, analyst: Actor, settings: Settings) -> None:
        open_ring = [*SQUARE[:-1], [115.95, 28.75]]
        projected = [[500000.0, 3170000.0], [500100.0, 3170000.0], [500100.0, 3170100.0], [500000.0, 3170000.0]]
        geojson = _geojson({"ZD-001": open_ring, "ZD-002": projected, "ZD-777": SQUARE})
        preview = land.stage_import(db, analyst, settings, **_files(geojson=geojson))  # type: ignore[arg-type]
        found = sorted((p.row, p.column, p.message) for p in preview.problems)
        assert [(r, c) for r, c, _ in found] == [(1, "geometry"), (2, "geometry")]
        assert "未闭合" in found[0][2] and "超出经纬度范围" in found[1][2]
        preview = land.stage_import(db, analyst, settings, **_files(geojson=_geojson({"ZD-777": SQUARE})))  # type: ignore[arg-type]
        assert [(p.row, p.column) for p in preview.problems] == [(1, "宗地编号")]

    @pytest.mark.parametrize("persona", ["leader", "enterprise_a", "sysadmin"])
    def test_only_the_analyst_imports(
        self, db: Session, persona: str, request: pytest.FixtureRequest, settings: Settings
    ) -> None:
        actor: Actor = request.getfixturevalue(persona)
        with pytest.raises(PermissionDenied):
            land.stage_import(db, actor, settings, **_files())  # type: ignore[arg-type]

    def test_an_enterprise_account_reads_nothing(self, db: Session, enterprise_a: Actor) -> None:
        with pytest.raises(PermissionDenied):
            land.list_parcels(db, enterprise_a)
        with pytest.raises(PermissionDenied):
            land.map_parcels(db, enterprise_a, 2024)


def notice_text(db: Session, actor: Actor, run_id: int, uscc: str) -> str:
    """The result notice's text without white space (wrapped table cells would split words otherwise)."""
    content = documents.result_notice(db, actor, run_id, uscc).content
    return "".join("".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(content)).pages)


def _mu(m2: float) -> float:
    return m2 * 15 / 10000


class TestRunLand:
    def test_a_run_uses_the_derived_land_and_keeps_the_derivation(
        self, db: Session, analyst: Actor, settings: Settings, zone_year: int, default_version: SchemeVersionRead
    ) -> None:
        given_b = runs.create_draft_run(db, analyst, year=zone_year, scheme_version_id=default_version.id)
        frame_before, _ = runs.inputs_of(db, analyst, given_b.id)
        given = dict(zip(frame_before["uscc"], frame_before["land_area_mu"], strict=True))
        _import(db, analyst, settings)
        run = runs.create_draft_run(db, analyst, year=zone_year, scheme_version_id=default_version.id)
        frame, _ = runs.inputs_of(db, analyst, run.id)
        land_mu = dict(zip(frame["uscc"], frame["land_area_mu"], strict=True))
        let = 4000 * 184 / 366  # 2024-07-01 to 12-31, both inclusive, of a leap year
        assert land_mu[USCC_A] == pytest.approx(_mu(20000 - let))
        assert land_mu[TENANT] == pytest.approx(_mu(let))
        assert land_mu[USCC_B] == pytest.approx(_mu(10000))  # 在建 counts under the default rule
        assert land_mu[OTHERS[5]] == given[OTHERS[5]]  # no parcel, no lease: the given figure stays
        derived, record = runs.kept_land(db, analyst, run.id, USCC_A)
        assert derived and record is not None
        assert [p["parcel_no"] for p in record["parcels"]] == ["ZD-001"]
        assert record["leases"][0]["days_covered"] == 184 and record["leases"][0]["direction"] == "out"
        assert runs.kept_land(db, analyst, run.id, OTHERS[5]) == (True, None)
        assert runs.kept_land(db, analyst, given_b.id, USCC_A) == (False, None)
        source = runs.lineage_of(db, analyst, run.id, [USCC_A]).filter(field="land_area_mu").row(0, named=True)
        assert source["department"] == "自然资源局" and "宗地 ZD-001" in source["column"]

    def test_a_scheme_excluding_land_under_construction_counts_it_zero(
        self, db: Session, analyst: Actor, settings: Settings, zone_year: int, default_version: SchemeVersionRead
    ) -> None:
        from zonehero.features.schemes import service as schemes

        text = (
            schemes.get_version(db, analyst, default_version.id).text + "\n[land]\nexclude_under_construction = true\n"
        )
        version = schemes.save_version(db, analyst, default_version.scheme_id, text, note="在建不计")
        _import(db, analyst, settings)
        run = runs.create_draft_run(db, analyst, year=zone_year, scheme_version_id=version.id)
        frame, _ = runs.inputs_of(db, analyst, run.id)
        assert dict(zip(frame["uscc"], frame["land_area_mu"], strict=True))[USCC_B] == 0.0

    def test_changing_a_parcel_afterwards_leaves_the_kept_run_alone(
        self, db: Session, analyst: Actor, settings: Settings, zone_year: int, default_version: SchemeVersionRead
    ) -> None:
        _import(db, analyst, settings)
        run = runs.create_draft_run(db, analyst, year=zone_year, scheme_version_id=default_version.id)
        before = runs.kept_land(db, analyst, run.id, USCC_A)
        source = runs.lineage_of(db, analyst, run.id, [USCC_A]).filter(field="land_area_mu")["column"][0]
        before_notice = notice_text(db, analyst, run.id, USCC_A)
        assert "用地面积认定" in before_notice and "宗地ZD-001" in before_notice
        _import(db, analyst, settings, parcels=PARCELS.replace(",20000,", ",26000,"))
        assert runs.kept_land(db, analyst, run.id, USCC_A) == before
        assert runs.lineage_of(db, analyst, run.id, [USCC_A]).filter(field="land_area_mu")["column"][0] == source
        frame, _ = runs.inputs_of(db, analyst, run.id)
        assert dict(zip(frame["uscc"], frame["land_area_mu"], strict=True))[USCC_A] == pytest.approx(
            _mu(20000 - 4000 * 184 / 366)
        )
        assert notice_text(db, analyst, run.id, USCC_A) == before_notice
        newer = runs.create_draft_run(db, analyst, year=zone_year, scheme_version_id=default_version.id)
        _derived, record = runs.kept_land(db, analyst, newer.id, USCC_A)
        assert record is not None and record["parcels"][0]["area_m2"] == 26000


class TestAnnualReportMap:
    """The run's 亩均一张图 on the annual report's last page, coloured by the run's classes as the web map does."""

    def test_the_report_draws_the_runs_parcels_in_the_web_maps_class_colours(
        self, db: Session, analyst: Actor, settings: Settings, zone_year: int, default_version: SchemeVersionRead
    ) -> None:
        from zonehero.features.cockpit import zone_map

        other = [[115.902, 28.7], [115.904, 28.7], [115.904, 28.702], [115.902, 28.702], [115.902, 28.7]]
        _import(db, analyst, settings, geojson=_geojson({"ZD-001": SQUARE, "ZD-002": other}))
        run = runs.create_draft_run(db, analyst, year=zone_year, scheme_version_id=default_version.id)
        web = {p["name"]: p["colours"]["class"] for p in zone_map.zone_map(db, analyst, run, run.year)["parcels"]}
        content = documents.annual_report(db, analyst, run.id, "pdf").content
        last = PdfReader(io.BytesIO(content)).pages[-1]
        text = "".join((last.extract_text() or "").split())
        assert f"附图{zone_year}年度亩均一张图" in text and "共2宗地" in text
        assert f"评价类别取自评价批次#{run.id}" in text
        found = re.findall(rb"([\d.]+) ([\d.]+) ([\d.]+) rg", last.get_contents().get_data())
        fills = {"#" + "".join(f"{round(float(v) * 255):02x}" for v in rgb) for rgb in found}
        assert set(web.values()) <= fills  # each parcel filled with its colour on the web map
        assert "本区域尚未导入宗地图形" not in notice_text_of(content)

    @pytest.mark.parametrize("with_parcels", [False, True])
    def test_a_zone_without_polygons_gets_one_line_and_no_map_page(
        self,
        db: Session,
        analyst: Actor,
        settings: Settings,
        zone_year: int,
        default_version: SchemeVersionRead,
        with_parcels: bool,
    ) -> None:
        if with_parcels:
            _import(db, analyst, settings)  # parcels without a GeoJSON file
        run = runs.create_draft_run(db, analyst, year=zone_year, scheme_version_id=default_version.id)
        text = notice_text_of(documents.annual_report(db, analyst, run.id, "pdf").content)
        assert "本区域尚未导入宗地图形（GeoJSON），报告不附亩均一张图。" in text and "附图" not in text


def notice_text_of(content: bytes) -> str:
    return "".join("".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(content)).pages)


def test_the_core_reads_what_the_tests_write(tmp_path: Path) -> None:
    """The fixtures above are real registers (the store is fed through the same reader)."""
    (tmp_path / "p.csv").write_text(PARCELS, encoding="utf-8")
    (tmp_path / "l.csv").write_text(LEASES, encoding="utf-8")
    assert len(read_parcels(tmp_path / "p.csv")) == 2 and len(read_leases(tmp_path / "l.csv")) == 1


class TestObjectionOverLand:
    def test_an_accepted_objection_on_land_wins_over_the_parcels_in_the_corrected_draft(
        self,
        db: Session,
        analyst: Actor,
        enterprise_a: Actor,
        settings: Settings,
        zone_year: int,
        default_version: SchemeVersionRead,
    ) -> None:
        _import(db, analyst, settings)
        run = runs.create_draft_run(db, analyst, year=zone_year, scheme_version_id=default_version.id)
        publication.publish_run(db, analyst, run.id, on=date(2025, 3, 1))
        objection = objections.file_objection(
            db, enterprise_a, run.id, "实际用地 8 亩", settings=settings, on=date(2025, 3, 3)
        )
        answered = objections.accept_objection(
            db, analyst, objection.id, answer="更正为 8 亩", corrections={"land_area_mu": 8}
        )
        assert answered.new_run_id is not None
        frame, _ = runs.inputs_of(db, analyst, answered.new_run_id)
        assert dict(zip(frame["uscc"], frame["land_area_mu"], strict=True))[USCC_A] == 8
        derived, record = runs.kept_land(db, analyst, answered.new_run_id, USCC_A)
        assert derived and record is not None and record["corrected"] is True
        source = runs.lineage_of(db, analyst, answered.new_run_id, [USCC_A]).filter(field="land_area_mu")
        assert source["department"][0] == "异议更正"
        _derived, tenant = runs.kept_land(db, analyst, answered.new_run_id, TENANT)
        assert tenant is not None and "corrected" not in tenant
