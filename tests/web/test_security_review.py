"""Independent security review of the web application and the JSON API: one test class per finding or check.

Each class states the attack it tries. Classes whose findings were fixed
failed before the fix (see the commit that adds them); the others pin down
a defence that already held, so a later change cannot quietly drop it.
Project (四个一批) checks are in the classes named ``TestProjects…``.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi import UploadFile
from fastapi.testclient import TestClient
from sqlalchemy import select, text
from sqlalchemy.orm import Session
from web_client import api_login, doc, page_csrf
from web_personas import PASSWORD, World

from zonehero.edges.web.security import SESSION_COOKIE
from zonehero.features.projects.models import DifficultyRow
from zonehero.features.users import passwords
from zonehero.features.users import repository as user_repository
from zonehero.features.users import service as users

PDF = b"%PDF-1.4\n% evidence\n"
PAYLOAD = '</script><img src=x id="injected">'


def _browser_location(location: str) -> str:
    """The redirect target as a browser resolves it: tabs and newlines dropped, backslashes read as slashes."""
    return location.replace("\t", "").replace("\n", "").replace("\r", "").replace("\\", "/")


def _stays_on_site(location: str) -> bool:
    target = _browser_location(location)
    return target.startswith("/") and not target.startswith("//")


OFF_SITE_TARGETS = (
    "//evil.example/",
    "https://evil.example/",
    "/\\evil.example/",
    "\\\\evil.example/",
    "/\t/evil.example/",
    "/%09/evil.example/",
    "http:evil.example",
    " //evil.example",
    "javascript:alert(1)",
)


class TestOpenRedirect:
    """``/login?next=`` must never send a user to another host, however the target is spelled."""

    @pytest.mark.parametrize("target", OFF_SITE_TARGETS)
    def test_the_login_form_never_redirects_off_site(self, client: TestClient, target: str) -> None:
        token = page_csrf(client)
        response = client.post(
            "/login", data={"username": "analyst", "password": PASSWORD, "next": target, "csrf_token": token}
        )
        assert response.status_code == 303
        assert _stays_on_site(response.headers["location"]), response.headers["location"]

    @pytest.mark.parametrize("target", OFF_SITE_TARGETS)
    def test_a_logged_in_visit_to_login_never_redirects_off_site(
        self, login_as: Callable[[str], TestClient], target: str
    ) -> None:
        response = login_as("leader").get("/login", params={"next": target})
        assert response.status_code == 303
        assert _stays_on_site(response.headers["location"]), response.headers["location"]


class TestLockoutSpelling:
    """The lockout counts per account, however the user name is capitalised or padded."""

    def test_failures_under_other_spellings_lock_the_same_account(self, client: TestClient) -> None:
        for name in ("ENTERPRISE_A", " enterprise_a", "Enterprise_A ", "enterprise_A", "eNtErPrIsE_a"):
            client.post("/api/login", json={"username": name, "password": "wrong-password"})
        response = client.post("/api/login", json={"username": "enterprise_a", "password": PASSWORD})
        assert response.status_code == 423

    def test_a_lock_is_not_escaped_by_another_spelling(self, client: TestClient) -> None:
        for _ in range(5):
            client.post("/api/login", json={"username": "leader", "password": "wrong-password"})
        response = client.post("/api/login", json={"username": " LEADER ", "password": PASSWORD})
        assert response.status_code == 423


class TestLoginTiming:
    """Every refused log-in costs one password check, so timing does not tell which accounts exist or are disabled."""

    def test_each_refusal_checks_one_password(
        self, client: TestClient, db: Session, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        user = user_repository.by_username(db, "analyst")
        assert user is not None
        user.active = False
        db.commit()
        checks: list[str] = []
        real = passwords.verify_password

        def counting(stored: str, password: str) -> bool:
            checks.append(password)
            return real(stored, password)

        monkeypatch.setattr(users, "verify_password", counting)
        for name in ("nobody-here", "analyst", "leader"):
            checks.clear()
            response = client.post("/api/login", json={"username": name, "password": "wrong-password"})
            assert response.status_code == 401
            assert response.json()["error"]["message"] == users.BAD_CREDENTIALS
            assert len(checks) == 1, name


class TestSessionFixation:
    """A cookie handed out before log-in is worth nothing after the victim logs in with it."""

    def test_the_anonymous_cookie_does_not_become_a_login(self, app_factory: Callable[..., TestClient]) -> None:
        victim = app_factory()
        page_csrf(victim)
        planted = victim.cookies.get(SESSION_COOKIE)
        assert planted
        api_login(victim, "sysadmin")
        assert victim.cookies.get(SESSION_COOKIE) != planted
        attacker = app_factory()
        attacker.cookies.set(SESSION_COOKIE, planted)
        assert attacker.get("/api/me").status_code == 401


class TestPasswordChangeEndsOtherSessions:
    """After a password change (own or an administrator's reset) a stolen session cookie stops working."""

    def test_a_changed_password_ends_the_other_sessions(self, login_as: Callable[[str], TestClient]) -> None:
        stolen, owner = login_as("analyst"), login_as("analyst")
        response = owner.post(
            "/account/password",
            data={"current_password": PASSWORD, "new_password": "Neues-Pferd-43", "confirm_password": "Neues-Pferd-43"},
        )
        assert response.status_code == 303, response.text
        assert stolen.get("/api/me").status_code == 401
        assert owner.get("/api/me").status_code == 200

    def test_an_administrators_reset_ends_the_users_sessions(self, login_as: Callable[[str], TestClient]) -> None:
        stolen, admin = login_as("leader"), login_as("sysadmin")
        response = admin.post("/admin/users/leader/password", data={"new_password": "Neues-Pferd-43"})
        assert response.status_code == 303, response.text
        assert stolen.get("/api/me").status_code == 401
        assert admin.get("/api/me").status_code == 200

    def test_a_new_login_with_the_new_password_works(
        self, login_as: Callable[[str], TestClient], client: TestClient
    ) -> None:
        login_as("sysadmin").post("/admin/users/leader/password", data={"new_password": "Neues-Pferd-43"})
        api_login(client, "leader", "Neues-Pferd-43")
        assert client.get("/api/me").json()["username"] == "leader"


class TestLogoutReplay:
    """A copy of the cookie taken before log-out must be dead after it (the server's session record decides)."""

    def test_a_copied_cookie_is_dead_after_logout(
        self, login_as: Callable[[str], TestClient], app_factory: Callable[..., TestClient]
    ) -> None:
        user = login_as("analyst")
        copied = user.cookies.get(SESSION_COOKIE)
        assert user.post("/api/logout").status_code == 200
        replay = app_factory()
        replay.cookies.set(SESSION_COOKIE, copied)
        assert replay.get("/api/me").status_code == 401


def _publish(client: TestClient, run_id: int) -> None:
    response = client.post(f"/runs/{run_id}/publish", data={"period_days": "5"})
    assert response.status_code == 303, response.text


def _file_objection(client: TestClient, uscc: str, run_id: int) -> int:
    response = client.post(
        f"/enterprises/{uscc}/objections",
        data={"run_id": str(run_id), "text": "用地面积应为 20 亩"},
        files=[("files", ("土地证.pdf", PDF, "application/pdf"))],
    )
    assert response.status_code == 303, response.text
    page = doc(client.get(f"/enterprises/{uscc}?run_id={run_id}"))
    return int(page.find("div", cls="objection").attrs["data-objection"])


class TestRunsTellNoEnterpriseAboutAnother:
    """A corrected run's note names the enterprise whose objection was accepted; other enterprises must not read it."""

    def test_the_corrected_runs_note_is_staff_only(self, login_as: Callable[[str], TestClient], world: World) -> None:
        analyst, enterprise_a, enterprise_b = login_as("analyst"), login_as("enterprise_a"), login_as("enterprise_b")
        _publish(analyst, world.draft_run)
        objection_id = _file_objection(enterprise_a, world.uscc_a, world.draft_run)
        response = analyst.post(
            f"/runs/{world.draft_run}/objections/{objection_id}/accept",
            data={"answer": "经核实予以更正", "field": ["land_area_mu"], "value": ["20"]},
        )
        assert response.status_code == 303, response.text
        corrected = int(response.headers["location"].rsplit("/", 1)[1])
        _publish(analyst, corrected)
        assert world.uscc_a in analyst.get(f"/api/runs/{corrected}").json()["note"]  # staff keep the trace

        for path in ("/api/runs", f"/api/runs/{corrected}", "/api/runs?year=2024", f"/api/runs/{corrected}/results"):
            response = enterprise_b.get(path)
            assert response.status_code == 200, path
            assert world.uscc_a not in response.text, path
            assert "异议" not in response.text, path
        run = enterprise_b.get(f"/api/runs/{corrected}").json()
        assert run["note"] is None and run["created_by"] is None
        assert enterprise_b.get(f"/api/enterprises/{world.uscc_a}").status_code == 404


class TestEvidenceFiles:
    """Evidence (证明材料) reaches staff and the filing enterprise only, as a download, of the allowed types only."""

    def test_another_enterprise_cannot_fetch_it_under_its_own_uscc(
        self, login_as: Callable[[str], TestClient], world: World
    ) -> None:
        analyst, enterprise_a = login_as("analyst"), login_as("enterprise_a")
        _publish(analyst, world.draft_run)
        objection_id = _file_objection(enterprise_a, world.uscc_a, world.draft_run)
        box = doc(analyst.get(f"/runs/{world.draft_run}")).find("div", data_objection=str(objection_id))
        href = next(a.attrs["href"] for a in box.find_all("a") if "/evidence/" in a.attrs["href"])
        file_id = href.rsplit("/", 1)[1]
        download = analyst.get(href)
        assert download.content == PDF
        assert download.headers["content-disposition"].startswith("attachment")
        assert download.headers["x-content-type-options"] == "nosniff"
        enterprise_b = login_as("enterprise_b")
        assert enterprise_b.get(href).status_code == 404
        assert enterprise_b.get(f"/enterprises/{world.uscc_b}/evidence/{file_id}").status_code == 404
        assert login_as("enterprise_a").get(href).content == PDF

    @pytest.mark.parametrize(
        ("name", "data"),
        [
            ("page.html", b"<html><script>alert(1)</script></html>"),
            ("page.pdf", b"<html><script>alert(1)</script></html>"),
            ("../../secret_key.pdf", b"%PDF-1.4 but a path"),
            ("image.svg", b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>"),
        ],
    )
    def test_markup_and_paths_are_not_stored(
        self, login_as: Callable[[str], TestClient], world: World, settings: object, name: str, data: bytes
    ) -> None:
        analyst, enterprise_a = login_as("analyst"), login_as("enterprise_a")
        _publish(analyst, world.draft_run)
        response = enterprise_a.post(
            f"/enterprises/{world.uscc_a}/objections",
            data={"run_id": str(world.draft_run), "text": "异议"},
            files=[("files", (name, data, "application/pdf"))],
        )
        if name.startswith("../"):
            assert response.status_code == 303  # stored under its base name, inside the data folder
            data_dir = settings.data_dir  # type: ignore[attr-defined]
            stored = [p for p in data_dir.rglob("*") if p.is_file() and p.read_bytes() == data]
            assert stored and all(data_dir / "uploads" in p.parents for p in stored)
            assert all(p.name == "secret_key.pdf" for p in stored)
        else:
            assert response.status_code == 422


class TestCsrfOnTheApi:
    """Unsafe API requests need the header; log-in cannot be forged by a cross-site form."""

    def test_a_json_post_without_the_header_is_refused(
        self, login_as: Callable[[str], TestClient], world: World
    ) -> None:
        client = login_as("analyst")
        del client.headers["X-CSRF-Token"]
        response = client.post(f"/api/runs/{world.draft_run}/whatif", json={})
        assert response.status_code == 403
        assert client.post("/api/logout").status_code == 403
        assert client.get("/api/me").status_code == 200

    @pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data"])
    def test_a_cross_site_form_cannot_log_anyone_in(self, client: TestClient, content_type: str) -> None:
        body = f'{{"username": "enterprise_a", "password": "{PASSWORD}"}}'
        response = client.post("/api/login", content=body.encode(), headers={"Content-Type": content_type})
        assert response.status_code in (400, 422)
        assert client.get("/api/me").status_code == 401


class TestNoStoreForConfidentialAnswers:
    """Pages, API answers and downloads of tax data must not stay in a shared office computer's browser cache."""

    @pytest.mark.parametrize(
        ("persona", "path"),
        [
            ("enterprise_a", "/enterprises/{uscc_a}"),
            ("enterprise_a", "/api/enterprises/{uscc_a}"),
            ("leader", "/"),
            ("leader", "/api/runs/{final_run}/results"),
            ("leader", "/runs/{final_run}/export.xlsx"),
            ("leader", "/enterprises/export?format=csv"),
            ("leader", "/runs/{final_run}/notices/{uscc_a}.pdf"),
        ],
    )
    def test_they_are_not_cached(
        self, login_as: Callable[[str], TestClient], world: World, persona: str, path: str
    ) -> None:
        response = login_as(persona).get(path.format(**world.placeholders()))
        assert response.status_code == 200
        assert "no-store" in response.headers.get("cache-control", "")

    def test_static_files_may_be_cached(self, client: TestClient) -> None:
        assert "no-store" not in client.get("/static/vendor/htmx/htmx.min.js").headers.get("cache-control", "")
        assert "no-store" not in client.get("/assets/classes.css").headers.get("cache-control", "")


class TestUserTextIsEscaped:
    """Names and log-in attempts are user data: they are shown as text, never as markup (also in JSON data blocks)."""

    def test_an_enterprise_name_cannot_inject_markup(
        self, login_as: Callable[[str], TestClient], world: World, db: Session
    ) -> None:
        db.execute(text("UPDATE enterprises SET name = :n WHERE uscc = :u"), {"n": PAYLOAD, "u": world.uscc_a})
        db.execute(  # a draft: published runs are immutable
            text("UPDATE run_results SET name = :n WHERE run_id = :r"), {"n": PAYLOAD, "r": world.draft_run}
        )
        db.commit()
        leader = login_as("leader")
        for path in (
            f"/enterprises/{world.uscc_a}",
            f"/enterprises/{world.uscc_a}?run_id={world.draft_run}",
            f"/enterprises?q={world.uscc_a}&year=2024",
            f"/runs/{world.draft_run}?q={world.uscc_a}",
            f"/?run_id={world.draft_run}",
        ):
            response = leader.get(path)
            assert response.status_code == 200, path
            assert "injected" in response.text, path  # the name is on the page …
            assert 'id="injected"' not in response.text, path  # … as text
        assert 'id="injected"' not in login_as("enterprise_a").get(f"/enterprises/{world.uscc_a}").text

    def test_a_user_name_typed_at_login_cannot_inject_markup_into_the_audit_log(
        self, client: TestClient, login_as: Callable[[str], TestClient]
    ) -> None:
        client.post("/api/login", json={"username": PAYLOAD, "password": "wrong-password"})
        page = login_as("auditor").get("/admin/audit?action=login.failed")
        assert page.status_code == 200
        assert 'id="injected"' not in page.text


class TestUploadsAreMeasuredBeforeTheyAreRead:
    """An enterprise account is an outside party: an oversize upload is refused before it is read into memory."""

    def test_oversize_evidence_is_refused_unread(
        self,
        app_factory: Callable[..., TestClient],
        login_as: Callable[[str], TestClient],
        world: World,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        _publish(login_as("analyst"), world.draft_run)
        enterprise = app_factory(evidence_max_bytes=1024)
        api_login(enterprise, "enterprise_a")
        read: list[str | None] = []
        original = UploadFile.read

        async def spy(self: UploadFile, size: int = -1) -> bytes:
            read.append(self.filename)
            return await original(self, size)

        monkeypatch.setattr(UploadFile, "read", spy)
        response = enterprise.post(
            f"/enterprises/{world.uscc_a}/objections",
            data={"run_id": str(world.draft_run), "text": "异议"},
            files=[
                ("files", ("small.pdf", PDF, "application/pdf")),
                ("files", ("big.pdf", PDF * 200, "application/pdf")),
            ],
        )
        assert response.status_code == 422
        assert "big.pdf" in response.text and "文件过大" in response.text
        assert read == []

    def test_too_many_import_files_are_refused_unread(
        self, app_factory: Callable[..., TestClient], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        analyst = app_factory(upload_max_bytes=1024)
        api_login(analyst, "analyst")
        read: list[str | None] = []
        original = UploadFile.read

        async def spy(self: UploadFile, size: int = -1) -> bytes:
            read.append(self.filename)
            return await original(self, size)

        monkeypatch.setattr(UploadFile, "read", spy)
        files = [("files", (f"dept{i}.csv", b"a,b\n1,2\n", "text/csv")) for i in range(25)]
        files.append(("files", ("big.csv", b"x" * 4096, "text/csv")))
        response = analyst.post("/imports", data={"year": "2024"}, files=files)
        assert response.status_code == 422
        assert "一次最多导入" in response.text and "big.csv" in response.text
        assert read == []


class TestProjectsUnitReachesOnlyItsOwn:
    """项目调度 (another engineer's module: findings reported, not fixed here): a unit account, other units' data."""

    def test_projects_a_unit_cannot_update_another_units_difficulty(
        self, login_as: Callable[[str], TestClient], db: Session
    ) -> None:
        unit = user_repository.by_username(db, "unit")
        assert unit is not None and unit.unit_name
        foreign = db.scalars(
            select(DifficultyRow).where(DifficultyRow.owner_unit != unit.unit_name).order_by(DifficultyRow.id)
        ).first()
        assert foreign is not None
        before = (foreign.status, foreign.resolution)
        response = login_as("unit").post(
            f"/projects/difficulties/{foreign.id}", data={"status": "resolved", "resolution": "已办结", "back": ""}
        )
        assert response.status_code in (403, 404)
        db.expire_all()
        assert (foreign.status, foreign.resolution) == before

    @pytest.mark.parametrize("back", ["//evil.example/", "https://evil.example/", "/projects\\@evil.example"])
    def test_projects_the_difficulty_form_never_redirects_off_site(
        self, login_as: Callable[[str], TestClient], world: World, back: str
    ) -> None:
        assert world.projects is not None
        response = login_as("unit").post(
            f"/projects/difficulties/{world.projects.own_difficulty}",
            data={"status": "in_progress", "resolution": "", "back": back},
        )
        assert response.status_code == 303, response.text
        assert _stays_on_site(response.headers["location"]), response.headers["location"]

    def test_projects_the_unit_reads_no_other_project_or_its_photos(
        self, login_as: Callable[[str], TestClient], world: World
    ) -> None:
        assert world.projects is not None
        unit = login_as("unit")
        other = world.projects.other_project
        assert unit.get(f"/api/projects/{other}").status_code == 404
        assert unit.get(f"/projects/{other}").status_code == 404
        assert unit.get(f"/projects/{other}/photos/1").status_code == 404
