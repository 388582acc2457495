"""数据导入: upload → preview (errors located by file/row/column, nothing written) → confirm or discard."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient
from hostile_files import xfd_corner
from sqlalchemy.orm import Session
from web_client import api_login, doc
from web_personas import World

from zonehero.core.domain.uscc import make_uscc
from zonehero.features.enterprises import service as enterprises
from zonehero.features.roles import SYSTEM

USCC_X = make_uscc("9133010000000771")
USCC_Y = make_uscc("9133010000000772")
LAND_HEADER = "统一社会信用代码,企业名称,用地面积(亩)\n"


def _upload(client: TestClient, text: str, year: int = 2031, name: str = "自然资源局_用地.csv") -> str:
    response = client.post(
        "/imports", data={"year": str(year)}, files=[("files", (name, text.encode("utf-8"), "text/csv"))]
    )
    assert response.status_code == 303, response.text
    return response.headers["location"]


class TestImportPreview:
    def test_a_bad_file_shows_file_row_and_column_and_writes_nothing(
        self, login_as: Callable[[str], TestClient], db: Session
    ) -> None:
        client = login_as("analyst")
        location = _upload(client, LAND_HEADER + f"{USCC_X},甲公司,12.5\n{USCC_Y},乙公司,十二亩半\n")
        page = doc(client.get(location))
        assert page.find("span", id="batch-status").attrs["data-status"] == "invalid"
        problem = page.find("table", id="problem-table").find("tr", cls="problem")
        assert "table-danger" in problem.classes
        assert problem.find("td", cls="problem-file").text == "自然资源局_用地.csv"
        assert problem.find("td", cls="problem-row").text == "3"
        assert "用地面积" in problem.find("td", cls="problem-column").text
        assert not page.find_all("form", id="confirm-form")
        assert enterprises.year_frame(db, 2031).height == 0
        assert client.post(location + "/confirm", data={"year": "2031"}).status_code == 409
        assert enterprises.year_frame(db, 2031).height == 0

    def test_a_good_file_is_previewed_then_confirmed_with_lineage(
        self, login_as: Callable[[str], TestClient], db: Session
    ) -> None:
        client = login_as("analyst")
        location = _upload(client, LAND_HEADER + f"{USCC_X},甲公司,12.5\n{USCC_Y},乙公司,30\n")
        page = doc(client.get(location))
        source = page.find("table", id="source-table").find("tr", data_file="自然资源局_用地.csv")
        assert source.find("td", cls="source-department").text == "自然资源局"
        assert source.find("td", cls="source-rows").text.startswith("2")
        assert "用地面积(亩) → 用地面积" in source.text
        assert enterprises.year_frame(db, 2031).height == 0  # a preview writes no figures
        response = client.post(location + "/confirm", data={"year": "2031"})
        assert response.status_code == 303
        figures = {f.field: f for f in enterprises.enterprise_figures(db, SYSTEM, USCC_X, year=2031)}
        land = figures["land_area_mu"]
        assert land.value == 12.5 and land.department == "自然资源局" and land.row == 2
        assert doc(client.get(location)).find("span", id="batch-status").attrs["data-status"] == "confirmed"
        history = doc(client.get("/imports")).find("table", id="batch-table")
        assert history.find("tr", data_batch=location.rsplit("/", 1)[1]).attrs["data-status"] == "confirmed"

    def test_a_discarded_batch_writes_nothing(self, login_as: Callable[[str], TestClient], db: Session) -> None:
        client = login_as("analyst")
        location = _upload(client, LAND_HEADER + f"{USCC_X},甲公司,12.5\n")
        assert client.post(location + "/discard").status_code == 303
        assert doc(client.get(location)).find("span", id="batch-status").attrs["data-status"] == "discarded"
        assert client.post(location + "/confirm", data={"year": "2031"}).status_code == 409
        assert enterprises.year_frame(db, 2031).height == 0

    def test_several_files_are_read_together(self, login_as: Callable[[str], TestClient], world: World) -> None:
        client = login_as("analyst")
        files = [
            ("files", ("自然资源局_用地.csv", (LAND_HEADER + f"{USCC_X},甲公司,12.5\n").encode(), "text/csv")),
            (
                "files",
                (
                    "税务局_纳税.csv",
                    f"统一社会信用代码,企业名称,实缴税金(万元)\n{USCC_X},甲公司,88\n".encode(),
                    "text/csv",
                ),
            ),
        ]
        response = client.post("/imports", data={"year": "2031"}, files=files)
        page = doc(client.get(response.headers["location"]))
        departments = [td.text for td in page.find("table", id="source-table").find_all("td", cls="source-department")]
        assert sorted(departments) == ["税务局", "自然资源局"]
        assert page.find("form", id="confirm-form")


class TestHostileUploads:
    """A hostile spreadsheet is refused on the preview page with its name and the limit; the server answers on."""

    def test_the_xfd1048576_sheet_is_refused_by_the_claims_check(
        self, login_as: Callable[[str], TestClient], db: Session, tmp_path: Path
    ) -> None:
        client = login_as("analyst")
        path = xfd_corner(tmp_path)
        location = _upload_file(client, path)
        problem = doc(client.get(location)).find("table", id="problem-table").find("tr", cls="problem")
        assert problem.find("td", cls="problem-file").text == path.name
        assert "XFD1048576" in problem.text and "超过上限 1,000,000 行" in problem.text
        assert client.get("/healthz").status_code == 200
        assert enterprises.year_frame(db, 2031).height == 0

    def test_past_the_claims_check_the_parse_child_dies_at_its_memory_limit_not_the_server(
        self, app_factory: Callable[..., TestClient], db: Session, tmp_path: Path
    ) -> None:
        client = app_factory(import_max_rows=10**9, import_max_cells=10**13, import_parse_memory_mb=256)
        api_login(client, "analyst")
        path = xfd_corner(tmp_path)
        location = _upload_file(client, path)
        page = doc(client.get(location))
        assert page.find("span", id="batch-status").attrs["data-status"] == "invalid"
        problem = page.find("table", id="problem-table").find("tr", cls="problem")
        assert problem.find("td", cls="problem-file").text == path.name
        assert "解析超过内存上限 256 MB" in problem.text and "已拒绝" in problem.text
        assert client.get("/healthz").status_code == 200
        assert client.get("/imports").status_code == 200
        assert enterprises.year_frame(db, 2031).height == 0


def _upload_file(client: TestClient, path: Path) -> str:
    response = client.post(
        "/imports",
        data={"year": "2031"},
        files=[("files", (path.name, path.read_bytes(), "application/vnd.openxmlformats"))],
    )
    assert response.status_code == 303, response.text
    return response.headers["location"]
