"""用地 pages: the registers, the import (problems by file/row/column, nothing written; then confirm), the map's
JSON (every parcel with a polygon, coloured in each mode, linked to its enterprise) and the land card of the
enterprise page, on the web world (the demo zone, whose draft year derives its land from parcels)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient
from hostile_files import xfd_corner
from sqlalchemy.orm import Session
from web_client import doc
from web_personas import World

from zonehero.features.land import service as land
from zonehero.features.roles import SYSTEM
from zonehero.features.runs import service as runs

HEADER_P = "宗地编号,宗地面积（平方米）,权利人统一社会信用代码,状态\n"
HEADER_L = "宗地编号,出租方统一社会信用代码,承租方统一社会信用代码,租赁面积（平方米）,起始日期,终止日期\n"


def _files(parcels: str, leases: str) -> list[tuple[str, tuple[str, bytes, str]]]:
    return [
        ("parcels", ("宗地表.csv", parcels.encode(), "text/csv")),
        ("leases", ("租赁表.csv", leases.encode(), "text/csv")),
    ]


class TestRegisters:
    def test_the_demo_parcels_are_listed(self, login_as: Callable[[str], TestClient], db: Session) -> None:
        page = doc(login_as("leader").get("/land"))
        rows = [tr for tr in page.find("table", id="parcel-table").find_all("tr") if "data-parcel" in tr.attrs]
        assert len(rows) == len(land.list_parcels(db, SYSTEM)) > 20
        assert not page.find_all("form", id="land-upload-form")  # a leader reads, does not import
        assert doc(login_as("analyst").get("/land")).find_all("form", id="land-upload-form")

    def test_a_bad_upload_shows_file_row_and_column_and_writes_nothing(
        self, login_as: Callable[[str], TestClient], db: Session, world: World
    ) -> None:
        before = land.list_parcels(db, SYSTEM)
        parcels = HEADER_P + f"NEW-1,1000,{world.uscc_a},在用\nNEW-2,-5,{world.uscc_b},在用\n"
        response = login_as("analyst").post("/land/import", files=_files(parcels, HEADER_L))
        assert response.status_code == 422
        problem = doc(response).find("table", id="problem-table").find("tr", cls="problem")
        assert problem.find("td", cls="problem-file").text == "宗地表.csv"
        assert problem.find("td", cls="problem-row").text == "3"
        assert "宗地面积" in problem.find("td", cls="problem-column").text
        assert land.list_parcels(db, SYSTEM) == before

    def test_a_good_upload_previews_the_changes_then_replaces_the_registers(
        self, login_as: Callable[[str], TestClient], db: Session, world: World
    ) -> None:
        client = login_as("analyst")
        parcels = HEADER_P + f"NEW-1,1000,{world.uscc_a},在用\nNEW-2,2000,{world.uscc_b},闲置\n"
        leases = HEADER_L + f"NEW-1,{world.uscc_a},{world.uscc_b},500,2024-01-01,\n"
        response = client.post("/land/import", files=_files(parcels, leases))
        assert response.status_code == 200, response.text
        page = doc(response)
        changes = page.find("table", id="change-table").find_all("tr", data_change="create-parcel")
        assert len(changes) == 2
        assert page.find("table", id="change-table").find_all("tr", data_change="delete-parcel")
        action = page.find("form", id="confirm-form").attrs["action"]
        assert land.list_parcels(db, SYSTEM)[0].number != "NEW-1"
        assert client.post(action).status_code == 303
        assert [p.number for p in land.list_parcels(db, SYSTEM)] == ["NEW-1", "NEW-2"]
        assert len(land.list_leases(db, SYSTEM)) == 1


class TestMap:
    def test_the_map_json_has_every_mapped_parcel_coloured_and_linked(
        self, login_as: Callable[[str], TestClient], db: Session, world: World
    ) -> None:
        response = login_as("leader").get(f"/land/map.json?run_id={world.draft_run}")
        assert response.status_code == 200
        data = response.json()
        mapped = [p for p in land.list_parcels(db, SYSTEM) if p.has_polygon]
        assert len(data["geojson"]["features"]) == len(data["parcels"]) == len(mapped)
        assert {f["properties"]["name"] for f in data["geojson"]["features"]} == {p.number for p in mapped}
        figures = runs.map_figures(db, SYSTEM, world.draft_run)
        for item in data["parcels"]:
            assert set(item["colours"]) == {"class", "tax", "status"}
            assert item["href"].startswith(f"/enterprises/{item['uscc']}")
            if item["uscc"] in figures:
                assert f"run_id={world.draft_run}" in item["href"]
        assert set(data["legends"]) == {"class", "tax", "status"}
        idle = [p.number for p in mapped if p.status.value == "idle"]
        assert idle and all(i["colours"]["status"] == "#d73027" for i in data["parcels"] if i["name"] in idle)

    def test_hover_text_is_escaped(self, login_as: Callable[[str], TestClient]) -> None:
        data = login_as("analyst").get("/land/map.json?year=2024").json()
        assert all("<script" not in p["tooltip"] for p in data["parcels"])

    def test_the_map_page_and_the_cockpit_card(self, login_as: Callable[[str], TestClient], world: World) -> None:
        client = login_as("leader")
        page = doc(client.get("/land/map?year=2024"))
        assert page.find("div", id="zone-map").attrs["data-zone-map"].startswith("/land/map.json?run_id=")
        cockpit = doc(client.get(f"/?run_id={world.draft_run}"))
        assert cockpit.find_all("div", id="zone-map-card")
        src = cockpit.find("div", id="cockpit-map").attrs["data-zone-map"]
        assert src == f"/land/map.json?run_id={world.draft_run}"
        assert json.loads(json.dumps(client.get(src).json()))["run_id"] == world.draft_run


class TestEnterpriseLand:
    def test_a_derived_run_shows_the_derivation(
        self, login_as: Callable[[str], TestClient], db: Session, world: World
    ) -> None:
        client = login_as("analyst")
        uscc = land.list_parcels(db, SYSTEM)[0].holder_uscc
        page = doc(client.get(f"/enterprises/{uscc}?run_id={world.draft_run}"))
        card = page.find("div", id="land-card")
        assert card.find_all("table", id="land-table")
        assert card.find("th", id="land-total").text.endswith("亩")

    def test_a_run_made_before_the_parcels_has_no_land_card(
        self, login_as: Callable[[str], TestClient], world: World
    ) -> None:
        page = doc(login_as("analyst").get(f"/enterprises/{world.uscc_a}?run_id={world.final_run}"))
        assert page.find_all("div", id="land-card") == []


class TestContracts:
    def test_a_contract_file_is_kept_through_the_evidence_guard_and_downloaded(
        self, login_as: Callable[[str], TestClient], db: Session
    ) -> None:
        lease = land.list_leases(db, SYSTEM)[0]
        client = login_as("analyst")
        url = f"/land/leases/{lease.id}/contract"
        fake = client.post(url, files=[("file", ("合同.pdf", b"MZ\x90\x00 not a pdf", "application/pdf"))])
        assert fake.status_code == 422 and "不是 PDF" in fake.text
        assert client.get(url).status_code == 404
        pdf = b"%PDF-1.4\n% a contract\n"
        assert client.post(url, files=[("file", ("合同.pdf", pdf, "application/pdf"))]).status_code == 303
        page = doc(client.get("/land"))
        assert page.find("td", data_lease=str(lease.id)).find_all("a", href=url)
        download = login_as("leader").get(url)
        assert download.status_code == 200 and download.content == pdf
        assert download.headers["content-disposition"].startswith("attachment")


class TestHostileFiles:
    def test_a_hostile_parcel_file_is_refused_by_the_claims_check_and_the_server_goes_on(
        self, login_as: Callable[[str], TestClient], db: Session, tmp_path: Path
    ) -> None:
        before = land.list_parcels(db, SYSTEM)
        path = xfd_corner(tmp_path)
        client = login_as("analyst")
        response = client.post(
            "/land/import",
            files=[
                ("parcels", (path.name, path.read_bytes(), "application/octet-stream")),
                ("leases", ("租赁表.csv", HEADER_L.encode(), "text/csv")),
            ],
        )
        assert response.status_code == 422
        problem = doc(response).find("table", id="problem-table").find_all("tr", cls="problem")[0]
        assert problem.find("td", cls="problem-file").text == path.name and "超过上限" in problem.text
        assert client.get("/healthz").status_code == 200
        assert land.list_parcels(db, SYSTEM) == before
