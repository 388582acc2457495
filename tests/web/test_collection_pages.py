"""数据归集 on the web: the board, a department's own uploads, the token push, 催办, on SQLite and PostgreSQL.

The world is the demo's: its 2024 round is the year's import, so 税务局, 统计局, 供电公司 (pushed), 自然资源局 and
科技局 (its first file had a wrong code) are confirmed, 生态环境局 is late and 应急管理局 still in time; each
department has an account (``tax-bureau`` …).
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from web_client import doc, page_csrf
from web_personas import PASSWORD, World

from zonehero.features.enterprises import service as enterprises
from zonehero.features.roles import SYSTEM

YEAR = 2024
PUSH = f"/api/collection/{YEAR}/submissions"


def csv(*lines: str) -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def electricity(db: Session, uscc: str) -> object:
    found = [
        f.value for f in enterprises.enterprise_figures(db, SYSTEM, uscc, year=YEAR) if f.field == "electricity_10k_kwh"
    ]
    return found[0] if found else None


def board_rows(client: TestClient) -> dict[str, dict[str, str]]:
    page = doc(client.get(f"/collection?year={YEAR}"))
    return {
        tr.attrs["data-department"]: tr.attrs
        for tr in page.find("table", id="board-table").find_all("tr")
        if "data-department" in tr.attrs
    }


def upload(client: TestClient, name: str, data: bytes) -> str:
    response = client.post("/collection/submit", data={"year": str(YEAR)}, files=[("files", (name, data, "text/csv"))])
    assert response.status_code == 303, response.text
    location: str = response.headers["location"]
    assert location.startswith("/collection/submissions/")
    return location


class TestTheBoard:
    def test_it_shows_each_department_and_the_counts(self, login_as: Callable[[str], TestClient]) -> None:
        analyst = login_as("analyst")
        states = {d: a["data-state"] for d, a in board_rows(analyst).items()}
        assert states == {
            "税务局": "confirmed",
            "供电公司": "confirmed",
            "统计局": "confirmed",
            "自然资源局": "confirmed",
            "科技局": "confirmed",
            "生态环境局": "late",
            "应急管理局": "due",
        }
        page = doc(analyst.get(f"/collection?year={YEAR}"))
        counts = {el.attrs["data-count"]: el.text for el in page.iter() if "data-count" in el.attrs}
        assert counts == {
            "expected": "7 个",
            "received": "5 个",
            "late": "1 个",
            "problems": "0 个",
            "confirmed": "5 个",
        }

    def test_a_leader_reads_it_without_buttons(self, login_as: Callable[[str], TestClient]) -> None:
        page = doc(login_as("leader").get(f"/collection?year={YEAR}"))
        assert page.find_all("form", cls="remind-form") == [] and page.find_all("form", cls="confirm-form") == []


class TestADepartmentUploads:
    def test_its_file_waits_for_the_bureau_and_nothing_is_stored_before(
        self, login_as: Callable[[str], TestClient], world: World, db: Session
    ) -> None:
        power, analyst = login_as("power-company"), login_as("analyst")
        before = electricity(db, world.uscc_a)
        location = upload(
            power, "用电量补报.csv", csv("统一社会信用代码,企业名称,用电量(万千瓦时)", f"{world.uscc_a},甲,12345")
        )
        page = doc(power.get(location))
        assert page.find(id="batch-status").attrs["data-status"] == "preview"
        batch = int(location.rsplit("/", 1)[1])
        db.expire_all()
        assert electricity(db, world.uscc_a) == before != 12345  # not stored until the bureau confirms
        row = doc(analyst.get(f"/collection?year={YEAR}")).find("tr", data_department="供电公司")
        assert str(batch) in [el.attrs["data-batch"] for el in row.find_all("div", cls="submission")]
        confirmed = analyst.post(f"/imports/{batch}/confirm", data={"year": str(YEAR)})
        assert confirmed.status_code == 303, confirmed.text
        db.expire_all()
        assert electricity(db, world.uscc_a) == 12345

    def test_another_departments_column_is_refused_by_name(
        self, login_as: Callable[[str], TestClient], world: World
    ) -> None:
        tax = login_as("tax-bureau")
        location = upload(
            tax, "税收.csv", csv("统一社会信用代码,企业名称,实缴税金(万元),用电量", f"{world.uscc_a},甲,100,200")
        )
        page = doc(tax.get(location))
        assert page.find(id="batch-status").attrs["data-status"] == "invalid"
        messages = [el.text for el in page.find_all("td", cls="problem-message")]
        assert "列「用电量」（用电量）属于供电公司的报送范围，税务局不能报送" in messages

    def test_it_sees_no_other_data(self, login_as: Callable[[str], TestClient], world: World) -> None:
        tax, analyst = login_as("tax-bureau"), login_as("analyst")
        science = doc(analyst.get(f"/collection?year={YEAR}")).find("tr", data_department="科技局")
        theirs = next(int(el.attrs["data-batch"]) for el in science.find_all("div", cls="submission"))
        assert tax.get(f"/collection/submissions/{theirs}").status_code == 404
        assert tax.get(f"/imports/{theirs}").status_code == 403
        assert tax.get(f"/collection?year={YEAR}").status_code == 403
        assert tax.get(f"/enterprises/{world.uscc_a}").status_code in (403, 404)
        assert tax.get("/api/enterprises").status_code == 403
        desk = tax.get("/collection/submit")
        own = [el.attrs["data-batch"] for el in doc(desk).find_all("tr", cls="own-submission")]
        assert own and str(theirs) not in own
        assert world.uscc_a not in desk.text and "科技局" not in desk.text

    def test_a_department_lands_on_its_desk(self, app_factory: Callable[..., TestClient]) -> None:
        client = app_factory()
        form = {"username": "tax-bureau", "password": PASSWORD, "csrf_token": page_csrf(client)}
        response = client.post("/login", data=form, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"] == "/collection/submit"


class TestTheTokenPush:
    def test_a_token_is_shown_once_pushes_into_the_preview_and_is_revoked(
        self, login_as: Callable[[str], TestClient], app_factory: Callable[..., TestClient], world: World
    ) -> None:
        analyst = login_as("analyst")
        made = doc(analyst.post(f"/collection/{YEAR}/tokens", data={"department": "生态环境局"}))
        token = made.find("code", id="new-token-value").text
        assert token.startswith("zh_")
        again = analyst.get(f"/collection/{YEAR}/round")
        assert token not in again.text
        [token_id] = [
            el.attrs["data-token"]
            for el in doc(again).find("table", id="token-table").find_all("tr", data_department="生态环境局")
        ]

        machine = app_factory()
        sent = [
            (
                "files",
                ("env.csv", csv("统一社会信用代码,企业名称,重大环境违法行为", f"{world.uscc_b},乙,否"), "text/csv"),
            )
        ]
        assert machine.post(PUSH, files=sent).status_code == 401
        assert (
            machine.post(PUSH, files=sent, headers={"Authorization": "Bearer zh_nope_nope"}).json()["error"]["status"]
            == 401
        )
        pushed = machine.post(PUSH, files=sent, headers={"Authorization": f"Bearer {token}"})
        assert pushed.status_code == 201, pushed.text
        body = pushed.json()
        assert body["status"] == "preview" and body["department"] == "生态环境局" and body["problems"] == []
        row = board_rows(analyst)["生态环境局"]
        assert row["data-state"] == "received"
        assert (
            machine.post(
                f"/api/collection/{YEAR + 5}/submissions", files=sent, headers={"Authorization": f"Bearer {token}"}
            ).status_code
            == 404
        )

        assert analyst.post(f"/collection/tokens/{token_id}/revoke", data={"year": str(YEAR)}).status_code == 303
        assert machine.post(PUSH, files=sent, headers={"Authorization": f"Bearer {token}"}).status_code == 401

    def test_the_push_is_documented_with_its_errors(self, app_factory: Callable[..., TestClient]) -> None:
        spec = app_factory().get("/api/openapi.json").json()
        operation = spec["paths"]["/api/collection/{year}/submissions"]["post"]
        assert {"201", "401", "404", "413", "422"} <= set(operation["responses"])
        assert operation["security"] and "HTTPBearer" in spec["components"]["securitySchemes"]


class TestReminders:
    def test_the_reminder_todo_appears_and_goes_when_the_file_arrives(
        self, login_as: Callable[[str], TestClient], world: World
    ) -> None:
        analyst, safety = login_as("analyst"), login_as("safety-bureau")
        expectation = board_rows(analyst)["应急管理局"]["data-expectation"]
        [due] = [i for i in safety.get("/api/todo").json()["items"] if i["kind"] == "collection_due"]
        assert not due["urgent"]
        assert analyst.post(f"/collection/{YEAR}/expectations/{expectation}/remind").status_code == 303
        [reminded] = [i for i in safety.get("/api/todo").json()["items"] if i["kind"] == "collection_due"]
        assert reminded["urgent"] and "催办" in reminded["detail"]
        upload(safety, "事故.csv", csv("统一社会信用代码,企业名称,较大及以上安全生产事故", f"{world.uscc_a},甲,否"))
        assert [i for i in safety.get("/api/todo").json()["items"] if i["kind"].startswith("collection")] == []
        assert board_rows(analyst)["应急管理局"]["data-state"] == "received"


class TestAccounts:
    def test_the_system_administrator_makes_a_department_account(self, login_as: Callable[[str], TestClient]) -> None:
        sysadmin = login_as("sysadmin")
        page = doc(sysadmin.get("/admin/users"))
        assert "税务局" in [o.attrs.get("value") for o in page.find("select", id="new-department").find_all("option")]
        made = sysadmin.post(
            "/admin/users",
            data={
                "username": "stats_clerk2",
                "role": "department",
                "department": "统计局",
                "password": "Ein-Neues-Pferd-77",
            },
        )
        assert made.status_code == 303, made.text
