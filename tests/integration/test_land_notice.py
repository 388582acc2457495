"""The land-area 公示 (用地面积公示): publish the year's derived land frozen for the zone's notice period, objections
on it only by the enterprise and only during the period, an accepted one corrects the lease or parcel record with
lineage (and the next draft's land changes by the hand-computed amount), a rejected one changes nothing, and the
notice closes through the same gate as the results' 定稿.

Runs on SQLite and PostgreSQL (the ``db`` fixture is parametrised).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from zone_files import NOTICE_START, OTHERS, USCC_A, USCC_B

from zonehero.config import Settings
from zonehero.errors import Conflict, InputError, NotFound, PermissionDenied
from zonehero.features.audit.models import AuditEntry
from zonehero.features.imports.storage import UploadedFile
from zonehero.features.land import service as land
from zonehero.features.land.schemas import LandNoticeRead
from zonehero.features.objections import service as objections
from zonehero.features.publication import service as publication
from zonehero.features.roles import Actor
from zonehero.features.runs import service as runs
from zonehero.features.schemes.schemas import SchemeVersionRead
from zonehero.features.todo import service as todo

TENANT = OTHERS[0]
PARCELS = (
    "宗地编号,不动产权证号,坐落,宗地面积（平方米）,用途,权利人统一社会信用代码,权利人名称,取得日期,状态\n"
    f"ZD-001,赣(2020)0001,园区一路1号,20000,工业用地,{USCC_A},甲企业有限公司,2020-05-01,在用\n"
    f"ZD-002,赣(2021)0002,园区一路2号,10000,工业用地,{USCC_B},乙企业有限公司,2021-03-01,在用\n"
)
LEASES = (
    "宗地编号,出租方统一社会信用代码,承租方统一社会信用代码,租赁面积（平方米）,起始日期,终止日期,合同编号\n"
    f"ZD-001,{USCC_A},{TENANT},4000,2024-07-01,,HT-001\n"
)
PDF = UploadedFile("租赁合同.pdf", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n%%EOF\n")
DAYS = 184  # 2024-07-01 .. 2024-12-31, both inclusive
YEAR_DAYS = 366


def mu(m2: float) -> float:
    return m2 * 15 / 10000


@pytest.fixture
def registers(db: Session, analyst: Actor, settings: Settings, zone_year: int) -> int:
    files = {
        "parcels": UploadedFile("宗地表.csv", PARCELS.encode()),
        "leases": UploadedFile("租赁表.csv", LEASES.encode()),
    }
    preview = land.stage_import(db, analyst, settings, **files)  # type: ignore[arg-type]
    assert preview.problems == []
    land.confirm_import(db, analyst, settings, preview.upload_id)
    return zone_year


@pytest.fixture
def land_notice(db: Session, analyst: Actor, registers: int, default_version: SchemeVersionRead) -> LandNoticeRead:
    return publication.publish_land_notice(
        db, analyst, year=registers, scheme_version_id=default_version.id, on=NOTICE_START
    )


def _lease_id(db: Session, leader: Actor) -> int:
    return land.list_leases(db, leader)[0].id


class TestPublish:
    def test_publishing_freezes_every_enterprise_derivation_for_the_zone_period(
        self, db: Session, analyst: Actor, leader: Actor, land_notice: LandNoticeRead
    ) -> None:
        assert land_notice.status == "notice" and land_notice.notice_start == NOTICE_START
        a = land_notice.record(USCC_A)
        assert a is not None
        assert a["land_area_mu"] == pytest.approx(mu(20000 - 4000 * DAYS / YEAR_DAYS))
        assert [p["parcel_no"] for p in a["parcels"]] == ["ZD-001"]
        assert a["leases"][0]["direction"] == "out"
        assert land_notice.record(TENANT) is not None
        assert land_notice.derivation["names"][USCC_A] == "甲企业有限公司"
        assert OTHERS[5] in land_notice.derivation["given"]  # no parcel: the given figure, listed as such
        entry = db.scalar(select(AuditEntry).where(AuditEntry.action == "land_notice.publish"))
        assert entry is not None and entry.entity_id == str(land_notice.id)

    def test_the_published_derivation_stays_as_published_when_a_parcel_changes(
        self, db: Session, analyst: Actor, settings: Settings, leader: Actor, land_notice: LandNoticeRead
    ) -> None:
        files = {
            "parcels": UploadedFile("宗地表.csv", PARCELS.replace(",20000,", ",25000,").encode()),
            "leases": UploadedFile("租赁表.csv", LEASES.encode()),
        }
        preview = land.stage_import(db, analyst, settings, **files)  # type: ignore[arg-type]
        land.confirm_import(db, analyst, settings, preview.upload_id)
        again = publication.get_land_notice(db, leader, land_notice.id)
        assert again.record(USCC_A)["parcels"][0]["area_m2"] == 20000  # type: ignore[index]

    def test_the_same_period_rule_gives_the_same_dates_as_the_results_notice(
        self, db: Session, analyst: Actor, land_notice: LandNoticeRead, draft: object
    ) -> None:
        run = publication.publish_run(db, analyst, draft.id, on=NOTICE_START)  # type: ignore[attr-defined]
        assert (run.notice_start, run.notice_end) == (land_notice.notice_start, land_notice.notice_end)
        assert publication.land_notice_period(db, land_notice) == publication.notice_of(db, run)
        day = land_notice.notice_end
        gate_run = publication.gate_of(run, 0, day)
        gate_land = publication.land_gate_of(land_notice, 0, day)
        assert gate_run is not None and gate_land is not None
        assert (gate_run.opens_on, gate_run.period_over) == (gate_land.opens_on, gate_land.period_over)
        assert gate_land.reason == gate_run.reason.replace("定稿", "结束公示")  # type: ignore[union-attr]

    def test_one_land_notice_per_year_at_a_time_and_only_the_analyst_publishes(
        self,
        db: Session,
        analyst: Actor,
        leader: Actor,
        land_notice: LandNoticeRead,
        default_version: SchemeVersionRead,
    ) -> None:
        with pytest.raises(Conflict, match="已有公示中的用地面积公示"):
            publication.publish_land_notice(db, analyst, year=land_notice.year, scheme_version_id=default_version.id)
        with pytest.raises(PermissionDenied):
            publication.publish_land_notice(db, leader, year=land_notice.year, scheme_version_id=default_version.id)

    def test_an_enterprise_sees_only_its_own_part(
        self, db: Session, enterprise_a: Actor, enterprise_b: Actor, outsider: Actor, land_notice: LandNoticeRead
    ) -> None:
        mine = publication.get_land_notice(db, enterprise_a, land_notice.id)
        assert set(mine.derivation["enterprises"]) == {USCC_A} and set(mine.derivation["names"]) == {USCC_A}
        with pytest.raises(NotFound):
            publication.get_land_notice(db, outsider, land_notice.id)

    def test_a_part_read_in_the_database_equals_the_whole_and_lists_skip_the_derivation(
        self, db: Session, analyst: Actor, land_notice: LandNoticeRead
    ) -> None:
        whole = land.get_notice(db, land_notice.id)
        db.expunge_all()  # the parts and the list are read from the database, not from the whole row in memory
        for uscc in (USCC_A, TENANT, OTHERS[5]):
            part = land.notice_part(db, land_notice.id, uscc)
            assert part.includes(uscc) and part.record(uscc) == whole.record(uscc)
            assert part.name_of(uscc) == whole.name_of(uscc)
            assert part.derivation["rules"] == whole.derivation["rules"]
        assert not land.notice_part(db, land_notice.id, "91000000000000000X").includes("91000000000000000X")
        listed = land.notices(db, year=land_notice.year)
        assert [n.id for n in listed] == [land_notice.id] and listed[0].derivation == {}


def _file(db: Session, actor: Actor, notice: LandNoticeRead, settings: Settings, **kwargs: object) -> object:
    return objections.file_land_objection(
        db, actor, notice.id, "租赁面积应为 3000 平方米", [PDF], settings=settings, on=NOTICE_START, **kwargs
    )


class TestObjections:
    def test_only_the_enterprise_objects_and_only_during_the_period(
        self, db: Session, analyst: Actor, enterprise_a: Actor, land_notice: LandNoticeRead, settings: Settings
    ) -> None:
        with pytest.raises(PermissionDenied):
            _file(db, analyst, land_notice, settings)
        late = land_notice.notice_end + timedelta(days=1)
        with pytest.raises(Conflict, match="不在公示期内"):
            objections.file_land_objection(db, enterprise_a, land_notice.id, "晚了", settings=settings, on=late)
        done = _file(db, enterprise_a, land_notice, settings, proposed_mu="29", items=["lease:ZD-001:out:" + TENANT])
        assert done.land_notice_id == land_notice.id and done.run_id is None  # type: ignore[attr-defined]
        assert [f.name for f in done.files] == ["租赁合同.pdf"]  # type: ignore[attr-defined]
        assert done.disputed[0].proposed == 29.0  # type: ignore[attr-defined]
        assert done.land_items[0]["label"].startswith("租赁 ZD-001")  # type: ignore[attr-defined]
        with pytest.raises(Conflict, match="待处理"):
            _file(db, enterprise_a, land_notice, settings)

    def test_a_line_not_in_its_derivation_is_refused(
        self, db: Session, enterprise_a: Actor, land_notice: LandNoticeRead, settings: Settings
    ) -> None:
        with pytest.raises(InputError):
            _file(db, enterprise_a, land_notice, settings, items=["parcel:ZD-002"])

    def test_accept_corrects_the_lease_with_lineage_and_the_next_draft_changes_by_the_hand_computed_amount(
        self,
        db: Session,
        analyst: Actor,
        leader: Actor,
        enterprise_a: Actor,
        land_notice: LandNoticeRead,
        settings: Settings,
        default_version: SchemeVersionRead,
    ) -> None:
        before = runs.create_draft_run(db, analyst, year=land_notice.year, scheme_version_id=default_version.id)
        filed = _file(db, enterprise_a, land_notice, settings)
        assert publication.land_notice_warning(db, analyst, before) is not None  # made while the notice is open
        with pytest.raises(Conflict, match="用地面积公示页面"):
            objections.accept_objection(db, analyst, filed.id, answer="同意", corrections={"land_area_mu": 1})  # type: ignore[attr-defined]
        lease_id = _lease_id(db, leader)
        done = objections.accept_land_objection(
            db,
            analyst,
            filed.id,
            answer="核实合同，采纳",
            lease_id=lease_id,
            changes={"area_m2": "3000"},  # type: ignore[attr-defined]
        )
        assert done.status == "accepted" and done.new_run_id is None
        assert land.list_leases(db, leader)[0].area_m2 == 3000
        [c] = land.corrections(db)
        assert (c.lineage, c.what, c.field, c.before, c.after) == (
            f"用地公示异议 #{done.id}",
            "lease",
            "area_m2",
            4000,
            3000,
        )
        entry = db.scalar(select(AuditEntry).where(AuditEntry.action == "lease.correct"))
        assert entry is not None and entry.after["lineage"] == f"用地公示异议 #{done.id}"  # type: ignore[index]
        gate = publication.land_notice_gate(db, analyst, land_notice.id, on=land_notice.notice_end + timedelta(days=1))
        assert gate is not None and gate.ready
        publication.close_land_notice(db, analyst, land_notice.id, on=land_notice.notice_end + timedelta(days=1))
        after = runs.create_draft_run(db, analyst, year=land_notice.year, scheme_version_id=default_version.id)
        assert publication.land_notice_warning(db, analyst, after) is None
        _, a_before = runs.kept_land(db, analyst, before.id, USCC_A)
        _, a_after = runs.kept_land(db, analyst, after.id, USCC_A)
        assert a_before is not None and a_after is not None
        assert a_after["land_area_mu"] - a_before["land_area_mu"] == pytest.approx(mu(1000 * DAYS / YEAR_DAYS))
        assert a_after["corrections"][0]["lineage"] == f"用地公示异议 #{done.id}"
        assert "用地公示异议" in str(runs.lineage_of(db, analyst, after.id, [USCC_A])["column"].to_list())
        _, t_after = runs.kept_land(db, analyst, after.id, TENANT)
        assert t_after is not None and t_after["land_area_mu"] == pytest.approx(mu(3000 * DAYS / YEAR_DAYS))

    def test_reject_leaves_the_records_unchanged(
        self,
        db: Session,
        analyst: Actor,
        leader: Actor,
        enterprise_a: Actor,
        land_notice: LandNoticeRead,
        settings: Settings,
    ) -> None:
        filed = _file(db, enterprise_a, land_notice, settings)
        before = [(x.id, x.area_m2, x.start, x.end) for x in land.list_leases(db, leader)]
        parcels = land.list_parcels(db, leader)
        done = objections.reject_objection(db, analyst, filed.id, answer="合同载明 4000 平方米")  # type: ignore[attr-defined]
        assert done.status == "rejected"
        assert [(x.id, x.area_m2, x.start, x.end) for x in land.list_leases(db, leader)] == before
        assert land.list_parcels(db, leader) == parcels and land.corrections(db) == []

    def test_the_notice_closes_only_after_the_period_with_no_objection_open(
        self, db: Session, analyst: Actor, enterprise_a: Actor, land_notice: LandNoticeRead, settings: Settings
    ) -> None:
        _file(db, enterprise_a, land_notice, settings)
        with pytest.raises(Conflict, match="公示期满后"):
            publication.close_land_notice(db, analyst, land_notice.id, on=land_notice.notice_end)
        after = land_notice.notice_end + timedelta(days=1)
        with pytest.raises(Conflict, match="1 件异议未处理，答复后才能结束公示"):
            publication.close_land_notice(db, analyst, land_notice.id, on=after)
        assert [i.title for i in todo.todo_list(db, analyst, on=after).items if "用地面积公示" in i.title]

    def test_a_parcel_correction_shows_on_the_holder(
        self,
        db: Session,
        analyst: Actor,
        enterprise_b: Actor,
        land_notice: LandNoticeRead,
        settings: Settings,
        default_version: SchemeVersionRead,
    ) -> None:
        filed = _file(db, enterprise_b, land_notice, settings, proposed_mu="16.5")
        objections.accept_land_objection(
            db,
            analyst,
            filed.id,
            answer="采纳",
            parcel_no="ZD-002",
            changes={"area_m2": "11000"},  # type: ignore[attr-defined]
        )
        run = runs.create_draft_run(db, analyst, year=land_notice.year, scheme_version_id=default_version.id)
        _, b = runs.kept_land(db, analyst, run.id, USCC_B)
        assert b is not None and b["land_area_mu"] == pytest.approx(mu(11000))
        assert b["corrections"][0]["sentence"].startswith("宗地 ZD-002")
