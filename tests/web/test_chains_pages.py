"""产业链图谱 and 目标企业库 pages: the chain drawn with its gaps, tags on the enterprise page, the library's form,
filters and import. Run on SQLite and PostgreSQL (the ``web_database`` fixture)."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from web_client import doc
from web_personas import World

from zonehero.features.chains import service as chains
from zonehero.features.roles import SYSTEM
from zonehero.features.runs.models import RunResult

CHAIN = "现代服务"
"""The demo's last chain, which the demo leaves without a record (the others have demo tags and links)."""
LINKS = ["研发设计", "检验检测", "现代物流", "金融服务", "商务咨询"]


def _chain(client: TestClient) -> int:
    created = client.post("/chains", data={"name": CHAIN}, follow_redirects=False)
    assert created.status_code == 303
    chain_id = int(created.headers["location"].rsplit("/", 1)[1])
    assert client.post(f"/chains/{chain_id}/links", data={"links": "\n".join(LINKS)}).status_code == 303
    return chain_id


class TestChainPage:
    def test_the_page_draws_the_chain_and_lists_the_services_gaps(
        self, login_as: Callable[[str], TestClient], world: World, db: Session
    ) -> None:
        analyst = login_as("analyst")
        chain_id = _chain(analyst)
        tagged = analyst.post(
            "/chains/tags", data={"uscc": world.uscc_a, "chain": CHAIN, "link": "金融服务"}, follow_redirects=True
        )
        assert (
            tagged.status_code == 200 and "金融服务" in tagged.text
        )  # back on the enterprise page  # back on the enterprise page
        page = doc(login_as("leader").get(f"/chains/{chain_id}"))
        view = chains.chain_view(db, SYSTEM, chain_id)
        listed = [li.attrs["data-gap"] for li in page.find("div", id="gaps").find_all("li") if "data-gap" in li.attrs]
        assert listed == [g.name for g in view.gaps] == ["研发设计", "检验检测", "现代物流", "商务咨询"]
        option = json.loads(page.find("script", id="chart-chain").text)
        nodes = option["series"][0]["data"]
        assert [n["name"] for n in nodes] == LINKS
        assert len(option["series"][0]["links"]) == len(LINKS) - 1
        row = page.find("tr", data_link="金融服务")
        cells = [td.text for td in row.find_all("td")]
        assert cells[1] == "1"
        assert cells[2] == "—"  # this enterprise is out of scope in the final run: no 亩均税收

    def test_a_links_tax_per_mu_is_the_mean_of_its_enterprises_in_the_final_run(
        self, login_as: Callable[[str], TestClient], world: World, db: Session
    ) -> None:
        analyst = login_as("analyst")
        chain_id = _chain(analyst)
        evaluated = db.execute(
            select(RunResult.uscc, RunResult.record)
            .where(RunResult.run_id == world.final_run, RunResult.status == "evaluated")
            .order_by(RunResult.uscc)
            .limit(2)
        ).all()
        for uscc, _ in evaluated:
            analyst.post("/chains/tags", data={"uscc": uscc, "chain": CHAIN, "link": "金融服务"})
        by_hand = sum(r["indicators"]["tax_per_mu"]["value"] for _, r in evaluated) / 2
        view = chains.chain_view(db, SYSTEM, chain_id)
        cell = next(lk for lk in view.links if lk.name == "金融服务")
        assert view.run_year == 2023 and cell.enterprises == 2
        assert cell.tax_per_mu == pytest.approx(by_hand)
        page = doc(login_as("leader").get(f"/chains/{chain_id}"))
        assert page.find("tr", data_link="金融服务").find_all("td")[2].text.startswith(f"{by_hand:,.2f}")

    def test_the_listing_follows_the_zone_profile(self, login_as: Callable[[str], TestClient], db: Session) -> None:
        page = doc(login_as("leader").get("/chains"))
        names = [
            tr.attrs["data-chain"]
            for tr in page.find("table", id="chain-table").find_all("tr")
            if "data-chain" in tr.attrs
        ]
        assert names == [c.name for c in chains.list_chains(db, SYSTEM)] and CHAIN in names

    def test_an_enterprise_sees_no_tags_on_its_page(self, login_as: Callable[[str], TestClient], world: World) -> None:
        analyst = login_as("analyst")
        _chain(analyst)
        analyst.post("/chains/tags", data={"uscc": world.uscc_a, "chain": CHAIN, "link": "金融服务"})
        staff_view = login_as("leader").get(f"/enterprises/{world.uscc_a}").text
        own_view = login_as("enterprise_a").get(f"/enterprises/{world.uscc_a}")
        assert 'id="chain-tags"' in staff_view
        assert own_view.status_code == 200 and 'id="chain-tags"' not in own_view.text


class TestTargetLibrary:
    def test_form_record_filter_and_edit(self, login_as: Callable[[str], TestClient]) -> None:
        analyst = login_as("analyst")
        _chain(analyst)
        made = analyst.post(
            "/chains/targets/new",
            data={"name": "甲咨询", "kind": "little_giant", "chain": CHAIN, "link": "商务咨询", "revenue": "8000"},
            follow_redirects=False,
        )
        assert made.status_code == 303
        record = made.headers["location"]
        assert "商务咨询" in analyst.get(record).text
        listed = doc(login_as("leader").get("/chains/targets?kind=little_giant&q=咨询"))
        rows = [tr for tr in listed.find("table", id="target-table").find_all("tr") if "data-target" in tr.attrs]
        assert [tr.find("a").text for tr in rows] == ["甲咨询"]
        assert "甲咨询" not in login_as("leader").get("/chains/targets?kind=head").text
        edited = analyst.post(
            f"{record}/edit",
            data={"name": "甲咨询", "kind": "chain_leader", "follower": "leader"},
            follow_redirects=True,
        )
        assert edited.status_code == 200 and "链主企业" in edited.text and "leader" in edited.text

    def test_import_previews_then_writes_all(self, login_as: Callable[[str], TestClient]) -> None:
        analyst = login_as("analyst")
        _chain(analyst)
        sheet = "企业名称,类别,产业链,环节\n乙电池,头部企业,新能源,电芯\n丙材料,专精特新,新能源,负极材料\n".encode()
        preview = analyst.post("/chains/targets/import", files={"file": ("targets.csv", sheet, "text/csv")})
        assert preview.status_code == 200
        payload = doc(preview).find("form", id="confirm-import").find("input", name="rows").attrs["value"]
        assert "乙电池" not in analyst.get("/chains/targets").text  # nothing written by the preview
        done = analyst.post("/chains/targets/import/confirm", data={"rows": payload}, follow_redirects=True)
        assert done.status_code == 200 and "新增 2 家" in done.text

    def test_a_refused_import_names_row_and_column(self, login_as: Callable[[str], TestClient]) -> None:
        analyst = login_as("analyst")
        _chain(analyst)
        sheet = "企业名称,类别,产业链,环节\n乙电池,头部企业,新能源,芯片\n".encode()
        refused = analyst.post("/chains/targets/import", files={"file": ("targets.csv", sheet, "text/csv")})
        assert refused.status_code == 422
        assert "芯片" in refused.text and "环节" in refused.text and "targets.csv" in refused.text


def test_the_analyst_sets_a_projects_link_on_the_chain_page(login_as: Callable[[str], TestClient], db: Session) -> None:
    energy = next(c for c in chains.list_chains(db, SYSTEM) if c.name == "新能源")
    assert energy.id is not None
    code = chains.chain_projects(db, SYSTEM, energy.id)[0][0]
    analyst = login_as("analyst")
    assert analyst.post(f"/chains/{energy.id}/projects", data={"code": code, "link": "电解液"}).status_code == 303
    row = doc(analyst.get(f"/chains/{energy.id}")).find("tr", data_project=code)
    assert row.find_all("td")[2].text == "电解液"
    refused = analyst.post(f"/chains/{energy.id}/projects", data={"code": code, "link": "芯片"})
    assert refused.status_code == 422
    assert login_as("leader").post(f"/chains/{energy.id}/projects", data={"code": code}).status_code == 403


def test_the_demo_has_chains_with_gaps_tags_and_a_target_library(db: Session) -> None:
    listed = chains.list_chains(db, SYSTEM)
    drawn = [c for c in listed if c.id is not None]
    assert len(drawn) == len(listed) - 1 and sum(c.enterprises for c in drawn) > 0
    energy = next(c for c in drawn if c.name == "新能源")
    assert energy.id is not None
    gaps = {g.name for g in chains.chain_view(db, SYSTEM, energy.id).gaps}
    assert {"负极材料", "储能系统"} <= gaps
    assert chains.list_targets(db, SYSTEM)[0] == 40
