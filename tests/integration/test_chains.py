"""Industry chains as records and the target library, on SQLite and PostgreSQL (the ``db`` fixture).

The gaps (补链) are worked out by hand below: a link is a gap when the zone has no enterprise and no project on it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from zonehero.core.domain.uscc import make_uscc
from zonehero.errors import Conflict, InputError, NotFound, PermissionDenied
from zonehero.features.audit.models import AuditEntry
from zonehero.features.chains import service as chains
from zonehero.features.chains.schemas import TargetWrite
from zonehero.features.enterprises.models import Enterprise
from zonehero.features.projects.models import ProjectRow
from zonehero.features.roles import SYSTEM, Actor
from zonehero.features.zone import service as zone
from zonehero.features.zone.schemas import ZoneForm

U1, U2, U3 = (make_uscc(f"91350100{i:08d}") for i in range(1, 4))
LINKS = ["正极材料", "负极材料", "电解液", "电芯", "储能系统"]


def _profile(db: Session, names: list[str]) -> None:
    zone.save_profile(
        db,
        SYSTEM,
        ZoneForm(
            name="测试园区", timezone="Asia/Shanghai", industry_chains=names, notice_period=5, notice_working_days=False
        ),
    )


@pytest.fixture
def world(db: Session, analyst: Actor) -> int:
    """新能源 with five links; U1 on 正极材料, U2 on 电芯, U3 on the chain without a link; a project on 电解液."""
    _profile(db, ["新能源", "生物医药", "数字经济"])
    for i, uscc in enumerate((U1, U2, U3)):
        db.add(Enterprise(uscc=uscc, name=f"企业{i}"))
    db.add(ProjectRow(code="P-1", name="电解液项目", industry_chain="新能源", total_investment=5000.0))
    db.flush()
    chain_id = chains.create_chain(db, analyst, "新能源")
    chains.set_links(db, analyst, chain_id, LINKS)
    chains.tag_enterprise(db, analyst, U1, "新能源", "正极材料")
    chains.tag_enterprise(db, analyst, U2, "新能源", "电芯")
    chains.tag_enterprise(db, analyst, U3, "新能源", None)
    chains.set_project_link(db, analyst, "P-1", "新能源", "电解液")
    return chain_id


def _actions(db: Session, entity: str) -> list[str]:
    return list(db.scalars(select(AuditEntry.action).where(AuditEntry.entity == entity).order_by(AuditEntry.id)))


class TestChains:
    def test_the_gaps_are_the_links_with_no_enterprise_and_no_project(
        self, db: Session, analyst: Actor, world: int
    ) -> None:
        view = chains.chain_view(db, analyst, world)
        assert [lk.name for lk in view.links] == LINKS
        # By hand: 正极材料 (U1), 电解液 (P-1), 电芯 (U2) are held; 负极材料 and 储能系统 are not.
        assert [g.name for g in view.gaps] == ["负极材料", "储能系统"]
        by_name = {lk.name: lk for lk in view.links}
        assert (by_name["电解液"].projects, by_name["电解液"].investment) == (1, 5000.0)
        assert by_name["正极材料"].enterprise_names == ["企业0"]
        assert view.untagged_enterprises == 1

    def test_a_target_does_not_fill_a_gap(self, db: Session, analyst: Actor, world: int) -> None:
        chains.create_target(db, analyst, TargetWrite(name="某负极公司", kind="head", chain="新能源", link="负极材料"))
        view = chains.chain_view(db, analyst, world)
        gap = next(lk for lk in view.links if lk.name == "负极材料")
        assert gap.targets == 1 and gap.is_gap

    def test_the_listing_is_the_profile_list_in_its_order(self, db: Session, leader: Actor, world: int) -> None:
        listed = chains.list_chains(db, leader)
        assert [c.name for c in listed] == list(zone.get_profile(db).industry_chains)
        first = listed[0]
        assert (first.id, first.links, first.gaps, first.enterprises, first.projects) == (world, 5, 2, 3, 1)
        assert [c.id for c in listed[1:]] == [None, None]

    def test_a_chain_record_only_for_a_profile_name(self, db: Session, analyst: Actor, world: int) -> None:
        with pytest.raises(InputError):
            chains.create_chain(db, analyst, "航空航天")
        assert chains.create_chain(db, analyst, "新能源") == world  # made once

    def test_a_name_dropped_from_the_profile_is_no_longer_listed(self, db: Session, analyst: Actor, world: int) -> None:
        _profile(db, ["生物医药"])
        assert [c.name for c in chains.list_chains(db, analyst)] == ["生物医药"]
        with pytest.raises(NotFound):
            chains.chain_view(db, analyst, world)

    def test_dropping_a_link_unlinks_its_tags_and_projects(self, db: Session, analyst: Actor, world: int) -> None:
        chains.set_links(db, analyst, world, ["电解液", "电芯"])
        assert chains.enterprise_tags(db, analyst, U1) == [(world, "新能源", None)]
        view = chains.chain_view(db, analyst, world)
        assert [lk.name for lk in view.links] == ["电解液", "电芯"]
        assert view.untagged_enterprises == 2
        project = db.scalar(select(ProjectRow).where(ProjectRow.code == "P-1"))
        assert project is not None and project.industry_link == "电解液"

    def test_leaders_and_audit(self, db: Session, analyst: Actor, world: int) -> None:
        chains.add_leader(db, analyst, world, "宁德时代新能源科技股份有限公司")
        with pytest.raises(Conflict):
            chains.add_leader(db, analyst, world, "宁德时代新能源科技股份有限公司")
        view = chains.chain_view(db, analyst, world)
        assert [n for _, n, _ in view.leaders] == ["宁德时代新能源科技股份有限公司"]
        assert _actions(db, "industry_chain") == ["chain.create", "chain.links", "chain.leader_add"]
        assert _actions(db, "enterprise_chain_tag") == ["chain.tag"] * 3

    def test_a_tag_needs_a_link_of_that_chain(self, db: Session, analyst: Actor, world: int) -> None:
        with pytest.raises(InputError):
            chains.tag_enterprise(db, analyst, U1, "新能源", "芯片")
        with pytest.raises(NotFound):
            chains.tag_enterprise(db, analyst, make_uscc("9135010000009999"), "新能源", None)

    def test_only_the_editor_changes_and_only_staff_read(
        self, db: Session, leader: Actor, enterprise_a: Actor, sysadmin: Actor, world: int
    ) -> None:
        assert not chains.may_edit_chains(leader)
        with pytest.raises(PermissionDenied):
            chains.set_links(db, leader, world, ["x"])
        for outsider in (enterprise_a, sysadmin):
            with pytest.raises(PermissionDenied):
                chains.chain_view(db, outsider, world)
            with pytest.raises(PermissionDenied):
                chains.list_targets(db, outsider)


def _csv(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


class TestTagImport:
    def test_a_good_sheet_tags_every_row(self, db: Session, analyst: Actor, world: int, tmp_path: Path) -> None:
        sheet = _csv(tmp_path / "tags.csv", f"统一社会信用代码,产业链,环节\n{U1},新能源,负极材料\n{U2},新能源,\n")
        rows = chains.preview_tag_import(db, analyst, sheet)
        assert chains.import_tags(db, analyst, rows) == 2
        assert chains.enterprise_tags(db, analyst, U1) == [(world, "新能源", "负极材料")]
        assert chains.enterprise_tags(db, analyst, U2) == [(world, "新能源", None)]

    def test_refusals_name_the_file_row_and_column(
        self, db: Session, analyst: Actor, world: int, tmp_path: Path
    ) -> None:
        unknown = make_uscc("9135010000009999")
        sheet = _csv(
            tmp_path / "tags.csv",
            f"统一社会信用代码,产业链,环节\n{U1},新能源,芯片\n{unknown},新能源,电芯\n{U2},航空,\n",
        )
        with pytest.raises(InputError) as caught:
            chains.preview_tag_import(db, analyst, sheet)
        where = {(p.file, p.row, p.column) for p in caught.value.problems}
        assert where == {("tags.csv", 2, "环节"), ("tags.csv", 3, "统一社会信用代码"), ("tags.csv", 4, "产业链")}
        assert chains.enterprise_tags(db, analyst, U2)[0][2] == "电芯"  # nothing written


class TestTargets:
    def test_create_edit_list_and_audit(self, db: Session, analyst: Actor, leader: Actor, world: int) -> None:
        tid = chains.create_target(
            db,
            analyst,
            TargetWrite(name="甲电池", kind="小巨人", chain="新能源", link="电芯", revenue=12000, follower="analyst"),
        )
        chains.update_target(
            db, analyst, tid, TargetWrite(name="甲电池股份", kind="链主", chain="新能源", headquarters="宁德")
        )
        read = chains.get_target(db, leader, tid)
        assert (read.name, read.kind, read.chain, read.link, read.follower) == (
            "甲电池股份",
            "chain_leader",
            "新能源",
            None,
            None,
        )
        assert _actions(db, "target_firm") == ["target.create", "target.update"]
        total, page = chains.list_targets(db, leader, kind="chain_leader", query="甲电池")
        assert total == 1 and page[0].id == tid
        with pytest.raises(Conflict):
            chains.create_target(db, analyst, TargetWrite(name="甲电池股份", kind="head"))

    def test_paging_is_bounded(self, db: Session, analyst: Actor, world: int) -> None:
        for i in range(7):
            chains.create_target(db, analyst, TargetWrite(name=f"企业{i:02d}", kind="zjtx"))
        total, page = chains.list_targets(db, analyst, offset=5, limit=5)
        assert total == 7 and [t.name for t in page] == ["企业05", "企业06"]
        assert len(chains.list_targets(db, analyst, limit=10_000)[1]) == 7

    def test_import_all_or_nothing(self, db: Session, analyst: Actor, world: int, tmp_path: Path) -> None:
        good = _csv(
            tmp_path / "targets.csv",
            "企业名称,类别,产业链,环节,营业收入(亿元),跟进人\n甲,头部企业,新能源,电芯,2,analyst\n乙,专精特新,,,,\n",
        )
        rows = chains.preview_target_import(db, analyst, good)
        assert chains.import_targets(db, analyst, rows) == (2, 0)
        first = chains.list_targets(db, analyst, query="甲")[1][0]
        assert (first.revenue, first.link, first.follower) == (20000.0, "电芯", "analyst")
        bad = _csv(
            tmp_path / "bad.csv",
            "企业名称,类别,产业链,环节,跟进人\n丙,头部企业,新能源,芯片,\n丁,大公司,,,\n戊,专精特新,,,nobody\n",
        )
        with pytest.raises(InputError) as caught:
            chains.preview_target_import(db, analyst, bad)
        where = {(p.file, p.row, p.column) for p in caught.value.problems}
        assert where == {("bad.csv", 2, "环节"), ("bad.csv", 3, "类别"), ("bad.csv", 4, "跟进人")}
        assert chains.list_targets(db, analyst)[0] == 2
