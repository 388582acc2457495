"""Imports: preview with problems and conflicts, confirm in one transaction (all or nothing), lineage kept."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest
from hostile_files import xfd_corner, z_corner, zip_bomb
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from zone_files import ALL_USCCS, USCC_A, uploads, write_land, write_tax, write_zone

from zonehero.config import Settings
from zonehero.core.domain.uscc import make_uscc
from zonehero.core.ingest import read_sources
from zonehero.errors import Conflict, InputError, PermissionDenied
from zonehero.features.audit.models import AuditEntry
from zonehero.features.enterprises import service as enterprises
from zonehero.features.enterprises.models import Enterprise, Figure
from zonehero.features.imports import service as imports
from zonehero.features.imports.storage import UploadedFile
from zonehero.features.roles import Actor


def _count(db: Session, model: type) -> int:
    return int(db.scalar(select(func.count()).select_from(model)) or 0)


class TestPreview:
    def test_it_stores_the_files_and_reports_what_each_gave(
        self, db: Session, analyst: Actor, settings: Settings, tmp_path: Path
    ) -> None:
        preview = imports.preview_import(db, analyst, uploads(write_zone(tmp_path, 2024)), settings=settings)
        assert preview.can_confirm
        assert preview.enterprise_count == 20
        assert {s.department for s in preview.sources} == {"税务局", "自然资源局", "统计局"}
        assert "land_area_mu" in preview.fields and "tax" in preview.fields
        stored = list((settings.data_dir / "uploads" / "imports").rglob("*.csv"))
        assert sorted(p.name for p in stored) == sorted(preview.files)
        assert _count(db, Figure) == 0  # nothing written before confirm

    def test_a_bad_file_makes_the_batch_invalid_with_located_problems(
        self, db: Session, analyst: Actor, settings: Settings, tmp_path: Path
    ) -> None:
        files = write_zone(tmp_path, 2024, bad_row=True)
        preview = imports.preview_import(db, analyst, uploads(files), settings=settings)
        assert preview.status == "invalid" and not preview.can_confirm
        problem = preview.problems[0]
        assert (problem.file, problem.row) == ("自然资源局_用地_2024.csv", 22)

    def test_conflicting_departments_are_shown(
        self, db: Session, analyst: Actor, settings: Settings, tmp_path: Path
    ) -> None:
        tax = write_tax(tmp_path, 2024, name_a="甲企业（新名）有限公司")
        land = write_land(tmp_path, 2024)
        preview = imports.preview_import(db, analyst, uploads([tax, land]), settings=settings)
        names = [c for c in preview.conflicts if c["field"] == "name"]
        assert [c["uscc"] for c in names] == [USCC_A]

    def test_oversized_and_empty_files_are_refused(self, db: Session, analyst: Actor, settings: Settings) -> None:
        small = settings.model_copy(update={"upload_max_bytes": 10})
        with pytest.raises(InputError) as caught:
            imports.preview_import(
                db, analyst, [UploadedFile("a.csv", b"x" * 11), UploadedFile("b.csv", b"")], settings=small
            )
        assert [p.file for p in caught.value.problems] == ["a.csv", "b.csv"]

    @pytest.mark.parametrize("persona", ["leader", "enterprise_a"])
    def test_only_editors_import(
        self, db: Session, settings: Settings, tmp_path: Path, persona: str, request: pytest.FixtureRequest
    ) -> None:
        with pytest.raises(PermissionDenied):
            imports.preview_import(
                db, request.getfixturevalue(persona), uploads(write_zone(tmp_path, 2024)), settings=settings
            )


class TestConfirm:
    def test_it_writes_enterprises_and_figures_with_their_source(
        self, db: Session, analyst: Actor, settings: Settings, tmp_path: Path
    ) -> None:
        preview = imports.preview_import(db, analyst, uploads(write_zone(tmp_path, 2024)), settings=settings)
        done = imports.confirm_import(db, analyst, preview.batch_id, year=2024, settings=settings)
        assert (done.enterprises_new, done.figures_updated) == (20, 0)
        assert _count(db, Enterprise) == 20
        land = enterprises.enterprise_figures(db, analyst, USCC_A, year=2024)
        by_field = {f.field: f for f in land}
        a_land = by_field["land_area_mu"]
        assert (a_land.department, a_land.file, a_land.row, a_land.column) == (
            "自然资源局",
            "自然资源局_用地_2024.csv",
            2,
            "用地面积(亩)",
        )
        assert a_land.batch_id == preview.batch_id
        assert "自然资源局 · 自然资源局_用地_2024.csv · 第 2 行" in a_land.source
        assert by_field["above_scale"].value is True and by_field["production_start_year"].value == 2010
        actions = db.scalars(
            select(AuditEntry.action).where(AuditEntry.entity == "import_batch").order_by(AuditEntry.id)
        ).all()
        assert actions == ["import.preview", "figures.import", "import.confirm"]

    def test_the_stored_year_is_the_importers_frame_bit_for_bit(
        self, db: Session, analyst: Actor, settings: Settings, tmp_path: Path
    ) -> None:
        files = write_zone(tmp_path, 2024)
        preview = imports.preview_import(db, analyst, uploads(files), settings=settings)
        imports.confirm_import(db, analyst, preview.batch_id, year=2024, settings=settings)
        stored = enterprises.year_frame(db, 2024)
        original = read_sources(files).frame.sort("uscc")
        assert stored.columns == original.columns
        for col in original.columns:
            expected = original[col].cast(stored[col].dtype)
            assert stored[col].to_list() == expected.to_list(), col

    def test_an_invalid_batch_cannot_be_confirmed_and_writes_nothing(
        self, db: Session, analyst: Actor, settings: Settings, tmp_path: Path
    ) -> None:
        preview = imports.preview_import(
            db, analyst, uploads(write_zone(tmp_path, 2024, bad_row=True)), settings=settings
        )
        with pytest.raises(Conflict):
            imports.confirm_import(db, analyst, preview.batch_id, year=2024, settings=settings)
        assert (_count(db, Enterprise), _count(db, Figure)) == (0, 0)

    def test_a_batch_is_confirmed_once(self, db: Session, analyst: Actor, settings: Settings, tmp_path: Path) -> None:
        preview = imports.preview_import(db, analyst, uploads(write_zone(tmp_path, 2024)), settings=settings)
        imports.confirm_import(db, analyst, preview.batch_id, year=2024, settings=settings)
        with pytest.raises(Conflict):
            imports.confirm_import(db, analyst, preview.batch_id, year=2024, settings=settings)
        with pytest.raises(Conflict):
            imports.discard_import(db, analyst, preview.batch_id)

    def test_a_later_department_file_replaces_only_its_own_fields(
        self, db: Session, analyst: Actor, settings: Settings, tmp_path: Path, zone_year: int
    ) -> None:
        before = enterprises.year_frame(db, zone_year)
        tax = write_tax(tmp_path / "again", zone_year, tax_a=999.5)
        preview = imports.preview_import(db, analyst, uploads([tax]), settings=settings)
        done = imports.confirm_import(db, analyst, preview.batch_id, year=zone_year, settings=settings)
        assert (done.enterprises_new, done.values_changed) == (0, 1)
        after = enterprises.year_frame(db, zone_year)
        changed = after.filter(pl.col("uscc") == USCC_A)
        assert changed["tax"].item() == 999.5
        assert changed["land_area_mu"].item() == before.filter(pl.col("uscc") == USCC_A)["land_area_mu"].item()
        entry = db.scalars(
            select(AuditEntry).where(AuditEntry.action == "figures.import").order_by(AuditEntry.id)
        ).all()[-1]
        assert entry.before["changed_values"] == [
            {
                "uscc": USCC_A,
                "field": "tax",
                "before": before.filter(pl.col("uscc") == USCC_A)["tax"].item(),
                "after": 999.5,
            }
        ]

    def test_a_renamed_enterprise_keeps_its_name_history(
        self, db: Session, analyst: Actor, settings: Settings, tmp_path: Path, zone_year: int
    ) -> None:
        tax = write_tax(tmp_path / "2025", 2025, name_a="甲企业（集团）有限公司")
        preview = imports.preview_import(db, analyst, uploads([tax]), settings=settings)
        imports.confirm_import(db, analyst, preview.batch_id, year=2025, settings=settings)
        enterprise = enterprises.get_enterprise(db, analyst, USCC_A)
        assert enterprise.name == "甲企业（集团）有限公司"
        assert [(n.name, n.first_seen_year) for n in enterprise.names] == [
            ("甲企业有限公司", 2024),
            ("甲企业（集团）有限公司", 2025),
        ]

    def test_discarding_keeps_the_record_and_writes_nothing(
        self, db: Session, analyst: Actor, settings: Settings, tmp_path: Path
    ) -> None:
        preview = imports.preview_import(db, analyst, uploads(write_zone(tmp_path, 2024)), settings=settings)
        assert imports.discard_import(db, analyst, preview.batch_id).status == "discarded"
        with pytest.raises(Conflict):
            imports.confirm_import(db, analyst, preview.batch_id, year=2024, settings=settings)
        assert _count(db, Figure) == 0
        assert [b.status for b in imports.list_batches(db, analyst)] == ["discarded"]


def test_a_failure_during_confirm_writes_nothing(
    db: Session, analyst: Actor, settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """All or nothing: the figures are flushed, then the last step fails; the unit of work rolls it all back."""
    preview = imports.preview_import(db, analyst, uploads(write_zone(tmp_path, 2024)), settings=settings)
    db.commit()  # the preview is committed (a savepoint here), as the web request that made it would

    real_record = imports.audit.record

    def failing_record(*args: object, **kwargs: object) -> None:
        if args[2] == "import.confirm":
            raise RuntimeError("disk full")
        real_record(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(imports.audit, "record", failing_record)
    with pytest.raises(RuntimeError), db.begin_nested():
        imports.confirm_import(db, analyst, preview.batch_id, year=2024, settings=settings)
    db.expire_all()
    assert (_count(db, Enterprise), _count(db, Figure)) == (0, 0)
    assert imports.get_preview(db, analyst, preview.batch_id).status == "preview"
    assert ALL_USCCS  # the files did hold enterprises


class TestHostileFiles:
    """Every read of a batch goes through the confined parse child: a hostile file makes the batch invalid."""

    @pytest.mark.parametrize(
        ("build", "says"),
        [(xfd_corner, "XFD1048576"), (zip_bomb, "压缩炸弹"), (z_corner, "Z1048576")],
        ids=["xfd1048576", "zip-bomb", "z1048576"],
    )
    def test_the_three_hostile_files_are_refused_and_nothing_is_stored(
        self,
        db: Session,
        analyst: Actor,
        settings: Settings,
        tmp_path: Path,
        build: Callable[[Path], Path],
        says: str,
    ) -> None:
        path = build(tmp_path)
        preview = imports.preview_import(db, analyst, uploads([path]), settings=settings)
        assert preview.status == "invalid" and not preview.can_confirm
        assert [(p.file, says in p.message) for p in preview.problems] == [(path.name, True)]
        assert (_count(db, Enterprise), _count(db, Figure)) == (0, 0)

    def test_a_file_over_the_memory_limit_is_refused_naming_it_and_the_limit(
        self, db: Session, analyst: Actor, settings: Settings, tmp_path: Path
    ) -> None:
        rows = ["统一社会信用代码,企业名称,实缴税金(万元)"]
        rows += [f"{make_uscc(f'9133{i:012d}')},企业{i}有限公司,{i}" for i in range(1, 50_001)]
        path = tmp_path / "税务局_大表.csv"
        path.write_text("\n".join(rows) + "\n", encoding="utf-8")
        tiny = settings.model_copy(update={"import_parse_memory_mb": 8})
        preview = imports.preview_import(db, analyst, uploads([path]), settings=tiny)
        assert preview.status == "invalid"
        assert [p.file for p in preview.problems] == [path.name]
        assert "解析超过内存上限 8 MB" in preview.problems[0].message
        assert (_count(db, Enterprise), _count(db, Figure)) == (0, 0)

    def test_confirm_reads_through_the_child_too(
        self, db: Session, analyst: Actor, settings: Settings, tmp_path: Path
    ) -> None:
        preview = imports.preview_import(db, analyst, uploads(write_zone(tmp_path, 2024)), settings=settings)
        assert preview.can_confirm
        hurried = settings.model_copy(update={"import_parse_seconds": 0.001})
        with pytest.raises(InputError) as caught:
            imports.confirm_import(db, analyst, preview.batch_id, year=2024, settings=hurried)
        assert all("解析超过时间上限 0.001 秒" in p.message for p in caught.value.problems)
        assert sorted(p.file or "" for p in caught.value.problems) == sorted(preview.files)
        assert (_count(db, Enterprise), _count(db, Figure)) == (0, 0)
