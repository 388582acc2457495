"""The one error table: HTML page, JSON or htmx toast; unexpected errors show an id, never their text."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from web_client import doc

from zonehero.edges.web.deps import CurrentUser
from zonehero.edges.web.errors import ERROR_TABLE, kind_of
from zonehero.edges.web.kinds import AccountLocked, CsrfRejected, LoginRequired
from zonehero.errors import Conflict, InputError, InputProblem, NotFound, PermissionDenied


def _raising(client: TestClient, path: str, exc: Exception) -> None:
    def endpoint() -> None:
        raise exc

    client.app.add_api_route(path, endpoint)  # type: ignore[attr-defined]
    client.app.add_api_route("/api" + path, endpoint)  # type: ignore[attr-defined]


class TestErrorTable:
    def test_each_kind_has_its_status(self) -> None:
        assert kind_of(NotFound("x")).status == 404
        assert kind_of(PermissionDenied("x")).status == 403
        assert kind_of(CsrfRejected("x")).status == 403
        assert kind_of(Conflict("x")).status == 409
        assert kind_of(InputError("x")).status == 422
        assert kind_of(LoginRequired()).status == 401
        assert kind_of(AccountLocked("x")).status == 423

    def test_no_kind_becomes_a_blanket_400_except_the_base(self) -> None:
        assert [e.kind.__name__ for e in ERROR_TABLE if e.status == 400] == ["ZoneheroError"]


class TestRendering:
    def test_a_page_gets_an_html_error_page(self, login_as: Callable[[str], TestClient]) -> None:
        client = login_as("analyst")
        _raising(client, "/conflict", Conflict("评价批次 #3 已发布，不能修改"))
        response = client.get("/conflict")
        assert response.status_code == 409
        assert response.headers["content-type"].startswith("text/html")
        page = doc(response)
        assert page.find(cls="error-card").attrs["data-status"] == "409"
        assert "已发布，不能修改" in page.find(cls="error-message").text

    def test_the_api_gets_json(self, login_as: Callable[[str], TestClient]) -> None:
        client = login_as("analyst")
        _raising(client, "/conflict", Conflict("已发布"))
        response = client.get("/api/conflict")
        assert response.status_code == 409
        assert response.json() == {"error": {"status": 409, "title": "操作冲突", "message": "已发布"}}

    def test_input_errors_list_every_problem(self, login_as: Callable[[str], TestClient]) -> None:
        client = login_as("analyst")
        problems = [InputProblem("不是数字", file="tax.csv", row=3, column="税收"), InputProblem("缺少代码", row=9)]
        _raising(client, "/bad", InputError(problems))
        body = client.get("/api/bad").json()["error"]
        assert [p["row"] for p in body["problems"]] == [3, 9]
        assert body["problems"][0]["file"] == "tax.csv"
        items = doc(client.get("/bad")).find(cls="error-problems").find_all("li")
        assert [li.text for li in items] == ["tax.csv, 第 3 行, 列 「税收」: 不是数字", "第 9 行: 缺少代码"]

    def test_an_htmx_request_gets_a_toast(self, login_as: Callable[[str], TestClient]) -> None:
        client = login_as("analyst")
        _raising(client, "/gone", NotFound("企业不存在"))
        response = client.get("/gone", headers={"HX-Request": "true"})
        assert response.status_code == 404
        assert response.headers["HX-Retarget"] == "#toasts"
        toast = doc(response).find(cls="toast")
        assert "企业不存在" in toast.text
        assert not doc(response).find_all("html")

    def test_an_unexpected_error_shows_only_an_id(self, login_as: Callable[[str], TestClient]) -> None:
        client = login_as("analyst")
        _raising(client, "/boom", RuntimeError("password=hunter2 at db.internal"))
        response = client.get("/boom")
        assert response.status_code == 500
        assert "hunter2" not in response.text
        error_id = doc(response).find("code", cls="error-id").text
        assert len(error_id) == 8
        api = client.get("/api/boom")
        assert api.status_code == 500 and "hunter2" not in api.text and api.json()["error"]["id"]

    def test_an_unknown_page_is_a_404_page_and_an_unknown_api_path_json(self, client: TestClient) -> None:
        page = client.get("/no/such/page")
        assert page.status_code == 404 and doc(page).find(cls="error-card").attrs["data-status"] == "404"
        api = client.get("/api/no/such")
        assert api.status_code == 404 and api.json()["error"]["status"] == 404

    def test_bad_query_parameters_are_422_with_the_parameter_named(self, login_as: Callable[[str], TestClient]) -> None:
        client = login_as("auditor")
        response = client.get("/admin/audit?page=0")
        assert response.status_code == 422
        assert "page" in doc(response).find(cls="error-problems").text

    def test_the_api_without_login_is_401_not_a_redirect(self, client: TestClient) -> None:
        response = client.get("/api/me")
        assert response.status_code == 401
        assert response.json()["error"]["title"] == "需要登录"

    def test_htmx_without_login_is_told_to_go_to_login(self, client: TestClient) -> None:
        response = client.get("/admin/users", headers={"HX-Request": "true"})
        assert response.status_code == 401
        assert response.headers["HX-Redirect"].startswith("/login?next=")

    def test_an_enterprise_is_never_told_it_lacks_permission(self, login_as: Callable[[str], TestClient]) -> None:
        client = login_as("enterprise_a")

        def secret(actor: CurrentUser) -> None:
            raise PermissionDenied("只有管理员可以管理账户")

        client.app.add_api_route("/api/secret", secret)  # type: ignore[attr-defined]
        response = client.get("/api/secret")
        assert response.status_code == 404
        assert "管理员" not in response.text
        assert client.get("/admin/users").status_code == 404
