"""The app-wide request size limit: 413 with a Chinese message, declared or streamed, pages and API alike.

The per-file limits (导入文件, 证明材料, 现场照片) still answer their own 422
that names the file for a request under the app-wide limit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient
from web_client import api_login, doc
from web_personas import World

from zonehero.config import Settings
from zonehero.edges.web.body_limit import too_large_message

LIMIT = 8 * 1024
BIG = b"x" * (LIMIT + 1)
MESSAGE = "请求内容过大（上限 8192 字节），请压缩文件或分批上传"


def _chunks(data: bytes, size: int = 1024) -> Iterator[bytes]:
    """A body without Content-Length (sent chunked), as a client that streams its upload would send it."""
    for start in range(0, len(data), size):
        yield data[start : start + size]


class TestTheLimit:
    def test_the_default_is_above_the_largest_single_import_file(self) -> None:
        settings = Settings(environment="test")  # type: ignore[call-arg]
        assert settings.request_max_bytes == 64 * 1024 * 1024
        assert settings.request_max_bytes > max(
            settings.upload_max_bytes, settings.evidence_max_bytes, settings.photo_max_bytes
        )
        assert too_large_message(settings.request_max_bytes) == "请求内容过大（上限 64 MB），请压缩文件或分批上传"

    def test_a_declared_oversize_upload_gets_the_error_page(
        self, app_factory: Callable[..., TestClient], settings: Settings
    ) -> None:
        analyst = app_factory(request_max_bytes=LIMIT)
        api_login(analyst, "analyst")
        response = analyst.post("/imports", data={"year": "2024"}, files=[("files", ("big.csv", BIG, "text/csv"))])
        assert response.status_code == 413
        card = doc(response).find("div", cls="error-card")
        assert card.attrs["data-status"] == "413" and MESSAGE in card.text
        assert not settings.uploads_dir.exists() or not any(settings.uploads_dir.rglob("*.csv"))

    def test_the_form_token_path_is_limited_too(self, app_factory: Callable[..., TestClient], world: World) -> None:
        """Without the header the CSRF check parses the form itself: the limit stops that read as well."""
        enterprise = app_factory(request_max_bytes=LIMIT)
        token = api_login(enterprise, "enterprise_a")
        del enterprise.headers["X-CSRF-Token"]
        response = enterprise.post(
            f"/enterprises/{world.uscc_a}/objections",
            data={"run_id": str(world.final_run), "text": "异议", "csrf_token": token},
            files=[("files", ("big.pdf", BIG, "application/pdf"))],
        )
        assert response.status_code == 413 and MESSAGE in response.text

    def test_a_streamed_body_is_cut_off_at_the_limit(self, app_factory: Callable[..., TestClient]) -> None:
        analyst = app_factory(request_max_bytes=LIMIT)
        api_login(analyst, "analyst")
        boundary = "zonehero-test"
        body = (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="year"\r\n\r\n2024\r\n'
                f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="big.csv"\r\n'
                "Content-Type: text/csv\r\n\r\n"
            ).encode()
            + BIG
            + f"\r\n--{boundary}--\r\n".encode()
        )
        response = analyst.post(
            "/imports",
            content=_chunks(body),
            headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
        )
        assert "content-length" not in {k.lower() for k in response.request.headers}
        assert response.status_code == 413 and MESSAGE in response.text

    @pytest.mark.parametrize("path", ["/api/login", "/api/runs/{draft_run}/whatif"])
    def test_the_api_answers_json(self, app_factory: Callable[..., TestClient], world: World, path: str) -> None:
        client = app_factory(request_max_bytes=LIMIT)
        api_login(client, "analyst")
        response = client.post(
            path.format(draft_run=world.draft_run),
            content=b'{"padding": "' + BIG + b'"}',
            headers={"Content-Type": "application/json"},
        )
        assert response.status_code == 413
        assert response.json()["error"] == {"status": 413, "title": "上传内容过大", "message": MESSAGE}

    def test_a_request_under_the_limit_still_meets_the_per_file_check(
        self, app_factory: Callable[..., TestClient], world: World
    ) -> None:
        enterprise = app_factory(request_max_bytes=LIMIT, evidence_max_bytes=1024)
        api_login(enterprise, "enterprise_a")
        response = enterprise.post(
            f"/enterprises/{world.uscc_a}/objections",
            data={"run_id": str(world.final_run), "text": "异议"},
            files=[("files", ("big.pdf", b"%PDF-1.4\n" + b"x" * 2048, "application/pdf"))],
        )
        assert response.status_code == 422
        assert "big.pdf" in response.text and "文件过大" in response.text

    def test_gets_and_small_posts_pass(self, app_factory: Callable[..., TestClient]) -> None:
        client = app_factory(request_max_bytes=LIMIT)
        api_login(client, "leader")
        assert client.get("/projects").status_code == 200
        assert client.post("/api/logout").status_code == 200
