"""招商 pages through the in-process client: report a lead (全员招商), the duplicate flag, the bureau's moves and
signing, the board and the link both ways between the lead and its project."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from web_client import doc
from web_html import Element
from web_personas import World

from zonehero.clock import today
from zonehero.features.projects.models import ProjectRow

LoginAs = Callable[[str], TestClient]

FORM = {
    "investor": "赣州稀土永磁材料有限公司",
    "project_name": "高性能磁材生产线",
    "investment": "80,000",
    "chain": "新材料",
    "source": "商会推介",
}


def _report(client: TestClient, **form: str) -> int:
    done = client.post("/investment/leads", data=FORM | form, follow_redirects=False)
    assert done.status_code == 303, done.text
    return int(done.headers["location"].rsplit("/", 1)[1])


class TestReporting:
    def test_a_unit_reports_a_lead_and_sees_it_in_its_own_list(self, login_as: LoginAs, world: World) -> None:
        client = login_as("unit")
        assert doc(client.get("/investment/leads/new")).find("form", id="lead-form") is not None
        lead = _report(client)
        page = doc(client.get(f"/investment/leads/{lead}"))
        assert "赣州稀土永磁材料有限公司" in page.find("table", id="lead-fields").text
        assert page.find(id="lead-credit") is not None and not page.find_all("form", id="move-form")
        mine = doc(client.get("/investment/leads")).find("table", id="lead-table")
        listed = [tr.attrs["data-lead"] for tr in mine.find_all("tr") if "data-lead" in tr.attrs]
        assert listed[0] == str(lead) and str(world.analyst_lead) not in listed

    def test_a_duplicate_in_traditional_characters_is_flagged_with_the_first_lead(self, login_as: LoginAs) -> None:
        first = _report(login_as("unit"))
        second_client = login_as("analyst")
        second = _report(second_client, investor="贛州稀土永磁材料 有限公司")
        page = doc(second_client.get(f"/investment/leads/{second}"))
        flag = page.find(id="lead-duplicate")
        assert f"#{first}" in flag.text and "unit" in flag.text

    def test_an_empty_investor_is_refused_naming_the_field(self, login_as: LoginAs) -> None:
        refused = login_as("analyst").post("/investment/leads", data=FORM | {"investor": " "})
        assert refused.status_code == 422 and "投资方" in refused.text


class TestPipeline:
    def test_the_bureau_moves_and_signs_and_the_project_links_back(self, login_as: LoginAs, db: Session) -> None:
        lead = _report(login_as("unit"))
        bureau = login_as("zhaoshang")
        day = today().isoformat()
        for stage in ("contact", "visit", "negotiation"):
            moved = bureau.post(f"/investment/leads/{lead}/move", data={"to": stage, "on": day}, follow_redirects=True)
            assert moved.status_code == 200, moved.text
        back = bureau.post(f"/investment/leads/{lead}/move", data={"to": "contact", "on": day})
        assert back.status_code == 422 and "原因" in back.text
        signed = bureau.post(
            f"/investment/leads/{lead}/sign",
            data={"signed_on": day, "contract_investment": "90000"},
            follow_redirects=True,
        )
        page = doc(signed)
        assert page.find(id="lead-stage").attrs["data-stage"] == "signed"
        code = page.find("a", id="lead-project").text
        row = db.scalar(select(ProjectRow).where(ProjectRow.code == code))
        assert row is not None and row.total_investment == 90000.0 and row.actual_sign_date == today()
        project = doc(bureau.get(f"/projects/{code}"))
        assert project.find("a", data_lead=str(lead)).text == f"来自招商线索 #{lead}"

    def test_the_board_counts_each_stage_and_the_late_leads(self, login_as: LoginAs) -> None:
        page = doc(login_as("zhaoshang").get("/investment"))
        board = page.find(id="pipeline-board")
        counts = {el.attrs["data-count"]: int(el.text) for el in board.iter() if "data-count" in el.attrs}
        assert set(counts) == {"lead", "contact", "visit", "negotiation", "signed", "landed", "terminated"}
        assert sum(counts.values()) >= 100
        assert any("data-overdue-count" in el.attrs for el in board.iter())

    def test_the_bureaus_to_do_list_has_the_late_leads(self, login_as: LoginAs) -> None:
        page = doc(login_as("zhaoshang").get("/todo"))
        assert "招商线索" in page.text and "逾期" in page.text


CSV = (
    "线索编号,投资方,统一社会信用代码,产业链,报送人,报送单位,报送日期,当前阶段,签约日期,合同投资额\n"
    "L1,南昌光谷电子有限公司,,电子信息,张三,商务局,2025-02-03,洽谈,,\n"
    "L2,南昌光谷電子有限公司,,电子信息,李四,科技局,2025-03-03,线索,,\n"
)


class TestImport:
    def test_the_bureau_previews_and_confirms_a_lead_file_and_duplicates_keep_the_first_reporter(
        self, login_as: LoginAs
    ) -> None:
        client = login_as("zhaoshang")
        files = {"file": ("leads.csv", CSV.encode("utf-8"), "text/csv")}
        preview = doc(client.post("/investment/leads/import", files=files))
        rows = preview.find("table", id="preview-table").find_all("tr")
        assert len(rows) == 3 and "南昌光谷电子有限公司" in rows[1].text
        action = preview.find("form", id="confirm-form").attrs["action"]
        done = doc(client.post(action, follow_redirects=True))
        assert "已导入 2 条招商线索" in done.text
        table = done.find("table", id="lead-table")
        ids = [tr.attrs["data-lead"] for tr in table.find_all("tr") if "data-lead" in tr.attrs][:2]
        second = doc(client.get(f"/investment/leads/{ids[0]}"))
        assert f"#{ids[1]}" in second.find(id="lead-duplicate").text and "张三" in second.find(id="lead-duplicate").text

    def test_a_file_with_a_problem_writes_nothing_and_names_the_row(self, login_as: LoginAs) -> None:
        client = login_as("analyst")
        bad = CSV.replace("2025-03-03,线索", "2025-03-03,不知道")
        answer = client.post("/investment/leads/import", files={"file": ("leads.csv", bad.encode(), "text/csv")})
        assert answer.status_code == 422
        page = doc(answer)
        assert "不知道" in page.find("table", id="problem-table").text
        assert not page.find_all("form", id="confirm-form")

    def test_a_unit_may_not_import(self, login_as: LoginAs) -> None:
        assert login_as("unit").get("/investment/leads/import").status_code == 403


PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
VISIT = {"kind": "visit", "staff": "李局", "counterpart": "投资总监", "outcome": "有意向"}


def _activity_rows(client: TestClient, lead: int) -> list[Element]:
    table = doc(client.get(f"/investment/leads/{lead}")).find("table", id="lead-activities")
    return [tr for tr in table.find_all("tr") if "data-kind" in tr.attrs]


class TestAttachments:
    def test_the_bureau_logs_a_visit_with_attachments_and_the_reporter_downloads_them(self, login_as: LoginAs) -> None:
        unit = login_as("unit")
        lead = _report(unit)
        bureau = login_as("zhaoshang")
        files = [("files", ("会议纪要.pdf", PDF, "application/pdf")), ("files", ("考察照片.png", PNG, "image/png"))]
        done = bureau.post(f"/investment/leads/{lead}/activities", data=VISIT, files=files, follow_redirects=True)
        assert done.status_code == 200 and "附件 2 个" in done.text
        (row,) = _activity_rows(unit, lead)
        links = [a for a in row.find_all("a") if "data-file-id" in a.attrs]
        assert [a.text for a in links] == ["会议纪要.pdf", "考察照片.png"]
        got = unit.get(links[0].attrs["href"])
        assert got.status_code == 200 and got.content == PDF
        assert got.headers["content-type"] == "application/pdf" and "attachment" in got.headers["content-disposition"]
        assert login_as("analyst").get(links[0].attrs["href"]).status_code == 404  # not the analyst's lead

    def test_a_renamed_file_is_refused_by_name_and_the_visit_is_not_logged(self, login_as: LoginAs) -> None:
        lead = _report(login_as("unit"))
        bureau = login_as("zhaoshang")
        files = [
            ("files", ("会议纪要.pdf", PDF, "application/pdf")),
            ("files", ("意向书.pdf", b"MZ\x90\x00", "application/pdf")),
        ]
        refused = bureau.post(f"/investment/leads/{lead}/activities", data=VISIT, files=files)
        assert refused.status_code == 422 and "意向书.pdf" in refused.text and "与扩展名不符" in refused.text
        assert _activity_rows(bureau, lead) == []


class TestPayments:
    def test_the_bureau_records_to_a_signed_lead_and_the_page_and_figures_show_it(self, login_as: LoginAs) -> None:
        lead = _report(login_as("unit"))
        bureau = login_as("zhaoshang")
        day = today().isoformat()
        before = doc(bureau.get(f"/investment/leads/{lead}"))
        assert not before.find_all("form", id="payment-form")  # not signed yet
        for stage in ("contact", "visit", "negotiation"):
            bureau.post(f"/investment/leads/{lead}/move", data={"to": stage, "on": day})
        bureau.post(f"/investment/leads/{lead}/sign", data={"signed_on": day, "contract_investment": "90000"})
        assert doc(bureau.get(f"/investment/leads/{lead}")).find_all("form", id="payment-form")
        figures_before = doc(bureau.get(f"/investment/figures?year={today().year}"))
        funded_before = figures_before.find("tr", data_figure="funding_rate").text
        done = bureau.post(
            f"/investment/leads/{lead}/payments",
            data={"paid_on": day, "amount": "30,000", "note": "首期到位"},
            follow_redirects=True,
        )
        assert done.status_code == 200, done.text
        page = doc(done)
        assert page.find(id="lead-paid-in").attrs["data-paid-in"] == "30000.0"
        rows = page.find("table", id="lead-payments").find_all("tr")
        assert any("首期到位" in tr.text and "30,000" in tr.text for tr in rows)
        funded_after = doc(bureau.get(f"/investment/figures?year={today().year}")).find(
            "tr", data_figure="funding_rate"
        )
        assert funded_after.text != funded_before

    def test_a_wrong_amount_is_refused_naming_the_field(self, login_as: LoginAs) -> None:
        lead = _report(login_as("unit"))
        bureau = login_as("zhaoshang")
        day = today().isoformat()
        for stage in ("contact", "visit", "negotiation"):
            bureau.post(f"/investment/leads/{lead}/move", data={"to": stage, "on": day})
        bureau.post(f"/investment/leads/{lead}/sign", data={"signed_on": day, "contract_investment": "90000"})
        refused = bureau.post(f"/investment/leads/{lead}/payments", data={"paid_on": day, "amount": "0"})
        assert refused.status_code == 422 and "到位金额" in refused.text
        missing = bureau.post(f"/investment/leads/{lead}/payments", data={"paid_on": day, "amount": ""})
        assert missing.status_code == 422 and "到位金额" in missing.text
