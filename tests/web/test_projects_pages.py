"""项目调度 pages through the in-process client, asserting on parsed HTML: a month's cycle in the browser."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable
from datetime import timedelta

import openpyxl
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update
from sqlalchemy.orm import Session
from web_client import doc
from web_personas import World

from zonehero.clock import today
from zonehero.core.schedule.model import DifficultyCategory
from zonehero.edges.web.pages import projects as project_pages
from zonehero.edges.web.rendering import escalation_label
from zonehero.features.projects import difficulties, service
from zonehero.features.projects.models import ProjectRow
from zonehero.features.projects.schemas import ProjectDetail
from zonehero.features.roles import SYSTEM

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64

LoginAs = Callable[[str], TestClient]


def _places(world: World) -> dict[str, object]:
    return world.placeholders()


class TestLibrary:
    def test_it_filters_by_light_and_every_row_has_that_light(self, login_as: LoginAs) -> None:
        client = login_as("projects")
        page = doc(client.get("/projects?light=red&size=200"))
        rows = page.find_all("tr", data_light="red")
        assert rows and not page.find_all("tr", data_light="green")
        counts = {
            el.attrs["data-count"]: int(el.text)
            for el in page.find("div", id="light-counts").find_all("span")
            if "data-count" in el.attrs
        }
        assert len(rows) == counts["red"] and counts["green"] > counts["red"]

    def test_a_unit_lists_only_its_projects(self, login_as: LoginAs, db: Session, world: World) -> None:
        page = doc(login_as("unit").get("/projects?size=200"))
        codes = {
            el.attrs["data-code"]
            for el in page.find("table", id="project-table").find_all("tr")
            if "data-code" in el.attrs
        }
        assert _places(world)["own_project"] in codes and _places(world)["other_project"] not in codes
        assert len(codes) < service.list_projects(db, SYSTEM, as_of=today()).total


class TestProjectPage:
    def test_it_shows_the_timeline_and_the_investment_chart_as_a_data_block(
        self, login_as: LoginAs, world: World
    ) -> None:
        code = _places(world)["own_project"]
        page = doc(login_as("leader").get(f"/projects/{code}"))
        kinds = [
            el.attrs["data-milestone"]
            for el in page.find("table", id="milestone-table").find_all("tr")
            if "data-milestone" in el.attrs
        ]
        assert kinds == ["planning", "signing", "construction", "production"]
        option = json.loads(page.find("script", id="chart-investment").text)
        assert option["xAxis"]["data"][0] == "1月" and option["series"][0]["name"] == "当月完成投资"
        assert not page.find_all("form", id="milestone-form")  # a leader reads

    def test_a_name_that_closes_the_script_block_stays_data(
        self, login_as: LoginAs, db: Session, world: World, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """The chart block is written with ``tojson``: whatever text the option carries cannot end the block."""
        code = str(_places(world)["own_project"])
        name = '厂房</script><img src=x id="injected"><script>'
        db.execute(update(ProjectRow).where(ProjectRow.code == code).values(name=name))
        db.flush()
        plain = project_pages.investment_chart

        def named_chart(project: ProjectDetail) -> dict[str, object]:
            return {**plain(project), "title": {"text": project.summary.name}}

        monkeypatch.setattr(project_pages, "investment_chart", named_chart)
        response = login_as("leader").get(f"/projects/{code}")
        assert response.status_code == 200 and "</script><img" not in response.text
        page = doc(response)
        assert not page.find_all("img", id="injected")
        assert name in page.find("h1", id="project-title").text
        option = json.loads(page.find("script", id="chart-investment").text)
        assert option["title"]["text"] == name and option["xAxis"]["data"][0] == "1月"

    def test_moving_back_a_stage_needs_a_reason(self, login_as: LoginAs, db: Session, world: World) -> None:
        code = str(_places(world)["own_project"])
        row = service.load(db, SYSTEM, today().year).rows[code]
        assert row.actual_sign_date is not None
        client = login_as("projects")
        form = {"milestone": "signing", "planned": row.planned_sign_date.isoformat() if row.planned_sign_date else ""}
        if row.actual_start_date is None:
            refused = client.post(f"/projects/{code}/milestones", data=form)
            assert refused.status_code == 422 and "须填写退回原因" in refused.text
            done = client.post(f"/projects/{code}/milestones", data=form | {"reason": "签约协议被撤销"})
            assert done.status_code == 303
        else:
            refused = client.post(f"/projects/{code}/milestones", data=form)
            assert refused.status_code == 422 and "节点须依次达成" in refused.text


class TestPermissions:
    @pytest.mark.parametrize(
        ("persona", "tabs", "close_form"),
        [
            ("projects", {"月度调度", "导入进展"}, True),
            ("leader", {"月度调度"}, False),
            ("unit", set(), None),
        ],
    )
    def test_tabs_and_forms_follow_the_services_permissions(
        self, login_as: LoginAs, persona: str, tabs: set[str], close_form: bool | None
    ) -> None:
        """The page shows what ``access.permissions_of`` allows: the upload tab to editors, months to zone readers."""
        client = login_as(persona)
        shown = {a.text for a in doc(client.get("/projects")).find("ul", id="project-tabs").find_all("a")}
        assert shown & {"月度调度", "导入进展"} == tabs
        months = client.get("/projects/months")
        if close_form is None:
            assert months.status_code == 403
        else:
            assert bool(doc(months).find_all("form", id="close-form")) is close_form


class TestMonthCycle:
    def test_enter_progress_with_a_photo_close_a_month_and_export_it_unchanged_by_later_edits(
        self, login_as: LoginAs, world: World
    ) -> None:
        client = login_as("projects")
        code = _places(world)["own_project"]
        last_december = today().year - 1
        form = {"year": str(last_december), "month": "12", "investment_month": "321.5", "progress_text": "设备安装"}
        saved = client.post(f"/projects/{code}/progress", data=form, files={"photos": ("现场.jpg", JPEG, "image/jpeg")})
        assert saved.status_code == 303, saved.text
        page = doc(client.get(f"/projects/{code}"))
        row = page.find("tr", data_period=f"{last_december}-12")
        (img,) = row.find_all("img")
        photo = client.get(img.attrs["src"])
        assert photo.status_code == 200 and photo.headers["content-type"] == "image/jpeg" and photo.content == JPEG

        closed = client.post("/projects/months", data={"year": str(last_december), "month": "12"})
        assert closed.status_code == 303 and closed.headers["location"] == f"/projects/months/{last_december}/12"
        before = doc(client.get(closed.headers["location"])).find("table", id="snapshot-lists").text

        form["investment_month"] = "99999"
        assert client.post(f"/projects/{code}/progress", data=form).status_code == 303
        assert client.post("/projects/months", data={"year": str(last_december), "month": "12"}).status_code == 409
        after = doc(client.get(closed.headers["location"])).find("table", id="snapshot-lists").text
        assert after == before

        month_page = doc(client.get(closed.headers["location"]))
        table_link = month_page.find("a", id="download-xlsx").attrs["href"]
        briefing_link = month_page.find("a", id="download-pdf").attrs["href"]
        # One place makes the month's documents: the documents routes (文书下载).
        assert table_link == f"/projects/briefing/{last_december}/12.xlsx"
        assert briefing_link == f"/projects/briefing/{last_december}/12.pdf"
        listed = doc(client.get("/projects/months")).find("tr", data_period=f"{last_december}-12")
        assert [a.attrs["href"] for a in listed.find_all("a")][1:] == [table_link, briefing_link]
        table = client.get(table_link)
        assert table.status_code == 200
        book = openpyxl.load_workbook(io.BytesIO(table.content))
        assert book.sheetnames[:4] == ["汇总", "签约一批", "开工一批", "投产一批"]
        briefing = client.get(briefing_link)
        assert briefing.status_code == 200 and briefing.content.startswith(b"%PDF")
        for gone in (
            f"/projects/months/{last_december}/12/table.xlsx",
            f"/projects/months/{last_december}/12/briefing.pdf",
        ):
            assert client.get(gone).status_code == 404

    def test_a_bad_progress_spreadsheet_shows_every_problem_and_writes_nothing(
        self, login_as: LoginAs, db: Session
    ) -> None:
        before = len(service.load(db, SYSTEM, today().year).progress)
        csv = "项目编号,月份,当月完成投资(万元)\nNOPE,2025-01,1\nXM2023001,2025-13,1\n"
        client = login_as("projects")
        answer = client.post("/projects/progress/upload", files={"file": ("进展.csv", csv.encode(), "text/csv")})
        assert answer.status_code == 422
        problems = doc(answer).find("table", id="problem-table").find_all("tr", cls="problem")
        located = {
            (
                p.find("td", cls="problem-file").text,
                p.find("td", cls="problem-row").text,
                p.find("td", cls="problem-column").text,
            )
            for p in problems
        }
        assert located == {("进展.csv", "2", "项目编号"), ("进展.csv", "3", "月份")}
        assert not doc(answer).find_all("form", id="confirm-form")
        assert len(service.load(db, SYSTEM, today().year).progress) == before


class TestBoards:
    def test_the_lists_mark_carried_over_and_the_warnings_give_reasons(self, login_as: LoginAs) -> None:
        client = login_as("analyst")
        lists = doc(client.get("/projects/lists"))
        summary = {
            el.attrs["data-list"]
            for el in lists.find("table", id="lists-summary").find_all("tr")
            if "data-list" in el.attrs
        }
        assert summary == {"signing", "construction", "production", "planning"}
        totals = [td.text for td in lists.find("table", id="lists-summary").find_all("td", cls="list-total")]
        assert totals and all(re.fullmatch(r"-?[\d,]+\.\d\d (万元|亿元)", t) for t in totals), totals
        for t in totals:  # a total of 1 亿元 or more reads in 亿元, never as five-digit 万元
            assert not (t.endswith("万元") and float(t.split()[0].replace(",", "")) >= 10_000), t
        warnings = doc(client.get("/projects/warnings")).find("table", id="warning-table")
        lights = [el.attrs["data-light"] for el in warnings.find_all("tr") if "data-light" in el.attrs]
        assert lights and lights == sorted(lights, key=["red", "yellow"].index)
        assert all(row.find_all("li") for row in warnings.find_all("tr") if "data-light" in row.attrs)

    def test_the_difficulty_board_shows_escalation_and_the_unit_updates_its_own(
        self, login_as: LoginAs, world: World
    ) -> None:
        board = doc(login_as("leader").get("/projects/difficulties")).find("table", id="unit-table")
        units = [row for row in board.find_all("tr") if "data-unit" in row.attrs]
        overdue = [int(row.find("td", cls="unit-overdue").text) for row in units]
        assert units and overdue == sorted(overdue, reverse=True) and overdue[0] > 0
        levels = [row.find_all("td")[-1].text.strip() for row in units]
        assert levels[0] in {"责任单位", "包挂领导", "管委会主任"}  # the service's label of the highest 督办 level
        assert set(levels) <= {"责任单位", "包挂领导", "管委会主任", "—"}
        client = login_as("unit")
        own = _places(world)["own_difficulty"]
        done = client.post(
            f"/projects/difficulties/{own}",
            data={
                "status": "resolved",
                "resolution": "已协调办结",
                "resolved_on": today().isoformat(),
                "back": "/projects/difficulties",
            },
        )
        assert done.status_code == 303 and done.headers["location"] == "/projects/difficulties"
        item = doc(client.get("/projects/difficulties")).find("tr", data_difficulty=str(own))
        assert "已办结" in item.text


class TestEscalationLabel:
    """督办 names the level and who must act, each once (not 管委会主任（管委会主任）)."""

    def _overdue(self, db: Session, code: str, days: int, unit: str = "自然资源分局") -> int:
        return difficulties.add_difficulty(
            db,
            SYSTEM,
            code,
            description=f"征地拆迁超期 {days} 天",
            category=DifficultyCategory.LAND,
            raised_on=today() - timedelta(days=days + 30),
            owner_unit=unit,
            deadline=today() - timedelta(days=days),
        )

    def test_the_directors_level_is_named_once_on_the_board_and_the_project_page(
        self, login_as: LoginAs, db: Session, world: World
    ) -> None:
        code = str(_places(world)["own_project"])
        director, unit = self._overdue(db, code, 90), self._overdue(db, code, 10)
        client = login_as("leader")
        board = doc(client.get("/projects/difficulties?unit=自然资源分局"))
        row = board.find("tr", data_difficulty=str(director))
        assert row.attrs["data-level"] == "director"
        assert row.find_all("td")[7].text == "管委会主任"
        assert board.find("tr", data_difficulty=str(unit)).find_all("td")[7].text == "责任单位（自然资源分局）"
        page = doc(client.get(f"/projects/{code}"))
        text = page.find("li", data_difficulty=str(director)).text
        assert "督办：管委会主任" in text and "管委会主任（" not in text
        assert "督办：责任单位（自然资源分局）" in page.find("li", data_difficulty=str(unit)).text

    def test_each_part_once(self) -> None:
        assert escalation_label("管委会主任", "管委会主任") == "管委会主任"
        assert escalation_label("包挂领导", "包挂领导") == "包挂领导"
        assert escalation_label("包挂领导", "王副主任") == "包挂领导（王副主任）"
        assert escalation_label("责任单位", None) == "责任单位"
        assert escalation_label(None, None) == "—"
