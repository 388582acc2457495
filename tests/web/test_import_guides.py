"""数据导入 that guides: a file naming another year is a warning to confirm, every changed value is listed with its
source and a count per file, and after 确认导入 the draft of that year is one click away."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from web_client import doc
from web_html import Element
from web_personas import World

from zonehero.core.domain.uscc import make_uscc
from zonehero.core.ingest.years import years_in
from zonehero.errors import InputError
from zonehero.features.enterprises import service as enterprises
from zonehero.features.imports import service as imports
from zonehero.features.roles import SYSTEM
from zonehero.features.runs import service as runs

USCCS = [make_uscc(f"91330100000009{i:02d}") for i in range(12)]
LAND_HEADER = "统一社会信用代码,企业名称,用地面积(亩)\n"


def _land(values: dict[int, float], title: str | None = None) -> str:
    lines = [f"{USCCS[i]},企业{i:02d}有限公司,{v}" for i, v in values.items()]
    return (f"{title}\n" if title else "") + LAND_HEADER + "\n".join(lines) + "\n"


def _upload(client: TestClient, text: str, *, year: int, name: str = "自然资源局_用地.csv") -> str:
    response = client.post(
        "/imports", data={"year": str(year)}, files=[("files", (name, text.encode("utf-8"), "text/csv"))]
    )
    assert response.status_code == 303, response.text
    return response.headers["location"]


def _land_of(db: Session, year: int) -> dict[str, float]:
    frame = enterprises.year_frame(db, year)
    return dict(zip(frame["uscc"].to_list(), frame["land_area_mu"].to_list(), strict=True)) if frame.height else {}


def _rows(page: Element, table: str) -> list[Element]:
    return [tr for tr in page.find("table", id=table).find_all("tr") if "data-uscc" in tr.attrs]


class TestYearWarning:
    def test_a_year_in_the_file_name_must_be_confirmed_before_anything_is_written(
        self, login_as: Callable[[str], TestClient], db: Session
    ) -> None:
        client = login_as("analyst")
        location = _upload(client, _land({0: 12.5}), year=2031, name="自然资源局_2030年度用地.csv")
        page = doc(client.get(location))
        warning = page.find("div", id="year-warning")
        assert "文件名写的是 2030 年" in warning.text and "与所选数据年度 2031 年不一致" in warning.text
        tick = page.find("input", id="c-year-confirmed")
        assert "required" in tick.attrs and tick.attrs["name"] == "year_confirmed"
        refused = client.post(location + "/confirm", data={"year": "2031"})
        assert refused.status_code == 422
        assert doc(refused).find(id="year-refused")
        db.expire_all()
        assert _land_of(db, 2031) == {}  # nothing written without the tick
        assert client.post(location + "/confirm", data={"year": "2031", "year_confirmed": "true"}).status_code == 303
        db.expire_all()
        assert _land_of(db, 2031) == {USCCS[0]: 12.5}

    def test_a_year_in_the_title_row_is_found_too(self, login_as: Callable[[str], TestClient]) -> None:
        client = login_as("analyst")
        location = _upload(client, _land({1: 8}, title="2029年度企业用地情况表"), year=2031)
        warning = doc(client.get(location)).find("div", id="year-warning")
        assert "标题行写的是 2029 年" in warning.text and "2029年度企业用地情况表" in warning.text

    def test_the_right_year_or_none_asks_nothing(self, login_as: Callable[[str], TestClient], db: Session) -> None:
        client = login_as("analyst")
        for name in ("自然资源局_2031年度用地.csv", "自然资源局_用地_20300115.csv"):
            location = _upload(client, _land({2: 3}), year=2031, name=name)
            assert not doc(client.get(location)).find_all(id="year-warning"), name
        assert client.post(location + "/confirm", data={"year": "2031"}).status_code == 303

    def test_the_service_refuses_an_unconfirmed_year_whoever_calls_it(
        self, login_as: Callable[[str], TestClient], db: Session, settings: object
    ) -> None:
        location = _upload(login_as("analyst"), _land({3: 4}), year=2031, name="2030_自然资源局.csv")
        batch_id = int(location.rsplit("/", 1)[1])
        analyst = SYSTEM
        with pytest.raises(InputError) as refused:
            imports.confirm_import(db, analyst, batch_id, year=2031, settings=settings)  # type: ignore[arg-type]
        assert refused.value.problems[0].column == imports.YEAR_CONFIRMED
        assert years_in("tax_2024.csv 2024年 20240131 120240") == [2024]


class TestChangedValues:
    def test_each_changed_value_is_listed_with_its_source_and_counted_per_file(
        self, login_as: Callable[[str], TestClient], db: Session
    ) -> None:
        client = login_as("analyst")
        first = _upload(client, _land({i: 10 + i for i in range(6)}), year=2031)
        assert client.post(first + "/confirm", data={"year": "2031"}).status_code == 303
        changed = {0: 20.0, 1: 11, 2: 22.5, 3: 13, 4: 24}  # 0, 2 and 4 change; 1 and 3 are the same; 6 is new
        files = [
            ("files", ("自然资源局_用地.csv", _land(changed).encode(), "text/csv")),
            ("files", ("自然资源局_补充用地.csv", _land({5: 30, 6: 9}).encode(), "text/csv")),
        ]
        second = client.post("/imports", data={"year": "2031"}, files=files).headers["location"]
        page = doc(client.get(second))
        assert page.find("strong", id="change-total").text == "4"
        counts = page.find("table", id="change-counts")
        assert counts.find("tr", data_file="自然资源局_用地.csv").find("td", cls="change-count").text == "3 项"
        assert counts.find("tr", data_file="自然资源局_补充用地.csv").find("td", cls="change-count").text == "1 项"
        rows = {tr.attrs["data-uscc"]: tr for tr in _rows(page, "change-table")}
        assert set(rows) == {USCCS[0], USCCS[2], USCCS[4], USCCS[5]}
        row = rows[USCCS[0]]
        assert "企业00有限公司" in row.text and USCCS[0] in row.text
        assert row.find("td", cls="change-before").text == "10.00 亩"
        assert row.find("td", cls="change-after").text == "20.00 亩"
        assert "自然资源局 · 自然资源局_用地.csv · 第 2 行" in row.find("td", cls="change-source").text
        assert "用地面积" in row.text

    def test_a_long_list_is_paged(self, login_as: Callable[[str], TestClient]) -> None:
        client = login_as("analyst")
        first = _upload(client, _land(dict.fromkeys(range(12), 1)), year=2031)
        assert client.post(first + "/confirm", data={"year": "2031"}).status_code == 303
        second = _upload(client, _land(dict.fromkeys(range(12), 2)), year=2031)
        page_one = doc(client.get(second + "?size=5"))
        assert page_one.find("strong", id="change-total").text == "12"
        assert len(_rows(page_one, "change-table")) == 5
        page_three = doc(client.get(second + "?page=3&size=5"))
        assert len(_rows(page_three, "change-table")) == 2
        seen = {
            tr.attrs["data-uscc"]
            for n in (1, 2, 3)
            for tr in _rows(doc(client.get(f"{second}?page={n}&size=5")), "change-table")
        }
        assert seen == set(USCCS)


class TestNextStep:
    def test_after_confirming_the_draft_of_that_year_is_one_click(
        self, login_as: Callable[[str], TestClient], db: Session, world: World
    ) -> None:
        client = login_as("analyst")
        location = _upload(client, _land({i: 10 + i for i in range(4)}), year=2031)
        assert not doc(client.get(location)).find_all(id="next-step")  # nothing to do next before confirming
        confirmed = client.post(location + "/confirm", data={"year": "2031"})
        assert confirmed.headers["location"].endswith("#next-step")
        form = doc(client.get(location)).find("form", id="next-step-form")
        assert form.attrs["action"] == "/runs"
        fields = {i.attrs["name"]: i.attrs.get("value") for i in form.find_all("input")}
        latest = runs.list_runs(db, SYSTEM)[0]
        assert fields["year"] == "2031" and fields["scheme_version_id"] == str(latest.scheme_version_id)
        made = client.post("/runs", data={k: v or "" for k, v in fields.items() if k != "csrf_token"})
        assert made.status_code == 303
        run = runs.get_run(db, SYSTEM, int(made.headers["location"].rsplit("/", 1)[1]))
        assert (run.year, run.status) == (2031, "draft")
