"""A month's scheduling cycle in the store: progress (form, photos, spreadsheet) → lights → close → snapshot → export.

Runs on SQLite and PostgreSQL (the ``db`` fixture is parametrised).
"""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from hostile_files import xfd_corner
from projects_world import AS_OF, account, library
from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from zonehero.config import Settings
from zonehero.core.schedule.model import ProgressReport
from zonehero.edges.cli.main import app
from zonehero.errors import Conflict, InputError, NotFound
from zonehero.features.audit.models import AuditEntry
from zonehero.features.imports.storage import UploadedFile
from zonehero.features.projects import months, progress, service
from zonehero.features.roles import Actor, Role
from zonehero.reports.briefing_xlsx import write_briefing_xlsx
from zonehero.reports.schedule_xlsx import write_progress_xlsx, write_projects_xlsx

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
GIF = b"GIF89a" + b"\x00" * 64


@pytest.fixture
def office(db: Session) -> Actor:
    return account(db, "projects", Role.PROJECT_OFFICE)


@pytest.fixture
def stored(db: Session, office: Actor) -> None:
    service.import_projects(db, office, library(), year=2025)


def _reports() -> list[ProgressReport]:
    """P1 on plan (100 a month of 1,200), P2 far behind (20 a month of a 600 plan, from April)."""
    on_plan = [ProgressReport("P1", 2025, m, 100.0, 10.0 * m, f"主体施工{m}") for m in range(1, 7)]
    behind = [ProgressReport("P2", 2025, m, 20.0, 5.0, "场地平整") for m in range(4, 7)]
    return on_plan + behind


def _lights(db: Session, actor: Actor, day: date = AS_OF) -> dict[str, str]:
    return {p.code: p.light for p in service.list_projects(db, actor, as_of=day).items}


class TestProgressForm:
    def test_a_month_with_photos_is_stored_under_the_data_folder_and_audited(
        self, db: Session, office: Actor, stored: None, settings: Settings
    ) -> None:
        photos = [UploadedFile("现场1.jpg", JPEG), UploadedFile("../../etc/现场2.png", PNG)]
        saved = progress.record_progress(
            db, office, settings, ProgressReport("P1", 2025, 6, 120.0, 40.0, "封顶"), photos
        )
        assert [p.media_type for p in saved.photos] == ["image/jpeg", "image/png"]
        path, media_type, name = progress.photo_file(db, office, settings, "P1", saved.photos[1].id)
        assert path.read_bytes() == PNG and media_type == "image/png" and name == "现场2.png"
        assert settings.data_dir.resolve() in path.resolve().parents
        actions = db.scalars(select(AuditEntry.action).where(AuditEntry.entity_id == "P1").order_by(AuditEntry.id))
        assert list(actions)[-3:] == ["progress.create", "progress.photo", "progress.photo"]
        with pytest.raises(NotFound):
            progress.photo_file(db, office, settings, "P2", saved.photos[1].id)

    @pytest.mark.parametrize(
        ("data", "limit", "message"),
        [(GIF, 1024, "JPEG 或 PNG"), (b"%PDF-1.4 not an image", 1024, "JPEG 或 PNG"), (JPEG, 16, "照片过大")],
    )
    def test_a_photo_that_is_not_jpeg_or_png_or_too_big_is_refused_and_nothing_is_written(
        self, db: Session, office: Actor, stored: None, settings: Settings, data: bytes, limit: int, message: str
    ) -> None:
        small = settings.model_copy(update={"photo_max_bytes": limit})
        with pytest.raises(InputError) as caught:
            progress.record_progress(
                db, office, small, ProgressReport("P1", 2025, 6, 1.0), [UploadedFile("photo.jpg", data)]
            )
        assert message in caught.value.problems[0].message and caught.value.problems[0].file == "photo.jpg"
        assert progress.progress_of(db, office, "P1") == []
        assert not (settings.data_dir / "project-photos").exists()


class TestProgressSpreadsheet:
    def test_a_bad_spreadsheet_is_refused_with_file_row_and_column_and_nothing_is_written(
        self, db: Session, office: Actor, stored: None, settings: Settings
    ) -> None:
        csv = "项目编号,月份,当月完成投资(万元),形象进度\nP1,2025-05,abc,主体\nPX,2025-05,10,无此项目\nP2,五月,1,x\n"
        staged = progress.stage_progress_upload(db, office, settings, UploadedFile("进展.csv", csv.encode()))
        found = {(p.file, p.row, p.column) for p in staged.problems}
        assert found == {("进展.csv", 2, "当月完成投资(万元)"), ("进展.csv", 3, "项目编号"), ("进展.csv", 4, "月份")}
        with pytest.raises(InputError):
            progress.confirm_progress_upload(db, office, settings, staged.upload_id)
        assert service.load(db, office, 2025).progress == []

    def test_a_clean_spreadsheet_is_previewed_then_written_once(
        self, db: Session, office: Actor, stored: None, settings: Settings, tmp_path: Path
    ) -> None:
        path = tmp_path / "progress.xlsx"
        write_progress_xlsx(_reports(), path)
        staged = progress.stage_progress_upload(db, office, settings, UploadedFile(path.name, path.read_bytes()))
        assert staged.problems == [] and len(staged.reports) == 9
        assert service.load(db, office, 2025).progress == []
        done = progress.confirm_progress_upload(db, office, settings, staged.upload_id)
        assert (done.progress_new, done.progress_updated) == (9, 0)
        again = progress.confirm_progress_upload(db, office, settings, staged.upload_id)
        assert (again.progress_new, again.progress_updated) == (0, 0)
        assert sorted(service.load(db, office, 2025).progress, key=lambda r: (r.code, r.month)) == sorted(
            _reports(), key=lambda r: (r.code, r.month)
        )

    def test_a_hostile_spreadsheet_is_refused_by_the_parse_child(
        self, db: Session, office: Actor, stored: None, settings: Settings, tmp_path: Path
    ) -> None:
        lifted = settings.model_copy(
            update={"import_max_rows": 10**9, "import_max_cells": 10**13, "import_parse_memory_mb": 256}
        )
        path = xfd_corner(tmp_path)
        staged = progress.stage_progress_upload(db, office, lifted, UploadedFile(path.name, path.read_bytes()))
        assert [(p.file, "解析超过内存上限 256 MB" in p.message) for p in staged.problems] == [(path.name, True)]
        assert service.load(db, office, 2025).progress == []


class TestMonthCycle:
    def test_enter_progress_see_the_lights_close_the_month_and_the_snapshot_stays(
        self, db: Session, office: Actor, stored: None
    ) -> None:
        progress.import_progress(db, office, _reports())
        lights = _lights(db, office)
        assert lights["P1"] == "green" and lights["P2"] == "red"
        p2 = next(p for p in service.list_projects(db, office, as_of=AS_OF).items if p.code == "P2")
        assert any("时序进度" in r for r in p2.reasons)

        closed = months.close_month(db, office, 2025, 6, on=date(2025, 7, 5))
        stored_report = closed.report
        assert {f["code"]: f["light"] for f in stored_report["flagged"]}["P2"] == "red"
        assert stored_report["lists"]["construction"]["carried_over"] == ["P1"]

        # Later data: P2 catches up in June. The live lights change, the closed month does not.
        progress.record_progress(db, office, Settings(), ProgressReport("P2", 2025, 6, 1000.0, 30.0, "追赶进度"))
        assert _lights(db, office)["P2"] == "green"
        assert months.get_closed(db, office, 2025, 6).report == stored_report

        rebuilt = months.closed_report(db, office, 2025, 6)
        assert rebuilt.report.to_dict() == stored_report
        buffer = io.BytesIO()
        write_briefing_xlsx(rebuilt.report, buffer, projects=rebuilt.projects)
        book = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))
        assert book.sheetnames[:4] == ["汇总", "签约一批", "开工一批", "投产一批"]
        cells = [c.value for row in book["开工一批"].iter_rows() for c in row]
        assert "P1" in cells and "P2" in cells

    def test_a_month_closes_once_and_only_after_it_ended(self, db: Session, office: Actor, stored: None) -> None:
        with pytest.raises(Conflict):
            months.close_month(db, office, 2025, 7, on=date(2025, 7, 31))
        months.close_month(db, office, 2025, 6, on=date(2025, 7, 1))
        with pytest.raises(Conflict):
            months.close_month(db, office, 2025, 6, on=date(2025, 8, 1))
        assert [(m.year, m.month) for m in months.list_closed(db, office)] == [(2025, 6)]

    def test_a_unit_does_not_read_the_zone_report(self, db: Session, office: Actor, stored: None) -> None:
        from zonehero.errors import PermissionDenied

        months.close_month(db, office, 2025, 6, on=date(2025, 7, 1))
        unit = account(db, "unit_a", Role.UNIT, "招商局")
        with pytest.raises(PermissionDenied):
            months.get_closed(db, unit, 2025, 6)


def test_the_store_answers_what_the_cli_computes_from_the_same_files(
    db: Session, office: Actor, stored: None, tmp_path: Path
) -> None:
    """``zonehero projects lists`` on spreadsheets and the store's schedule object agree, lights included."""
    progress.import_progress(db, office, _reports())
    projects_path, progress_path, out = tmp_path / "p.xlsx", tmp_path / "g.xlsx", tmp_path / "lists.json"
    write_projects_xlsx(library(), projects_path)
    write_progress_xlsx(_reports(), progress_path)
    args = ["projects", "lists", str(projects_path), "--year", "2025", "--as-of", "2025-06-30"]
    done = CliRunner().invoke(app, [*args, "--progress", str(progress_path), "--out", str(out)])
    assert done.exit_code == 0, done.output
    assert json.loads(out.read_text("utf-8")) == service.schedule_object(db, office, 2025, AS_OF)
