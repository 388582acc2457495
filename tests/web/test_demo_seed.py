"""``zonehero serve --demo`` seeding: accounts, real lineage, 2023 final, last year a draft, never twice."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from web_client import doc
from web_personas import COLLECTION_YEAR, PASSWORD, World

from zonehero.clock import today
from zonehero.config import Settings
from zonehero.demo.projects import demo_closed_months
from zonehero.demo.seed import demo_password, seed_demo
from zonehero.errors import Conflict
from zonehero.features.collection import service as collection
from zonehero.features.enterprises import service as enterprises
from zonehero.features.projects import months
from zonehero.features.projects import service as projects
from zonehero.features.projects.months import latest_closable_month
from zonehero.features.roles import ACCOUNT_ROLES, SYSTEM
from zonehero.features.runs import service as runs
from zonehero.features.users import service as users


class TestTheSeededWorld:
    def test_it_has_the_demo_accounts(self, db: Session) -> None:
        names = {u.username: u for u in users.list_users(db, SYSTEM)}
        demo = {
            "sysadmin",
            "secadmin",
            "auditor",
            "analyst",
            "leader",
            "enterprise",
            "projects",
            "unit",
            "tax-bureau",
            "zhaoshang",
        }
        assert demo <= set(names)
        # One account per role an account may hold (三员 included), so every role can be tried.
        assert sorted(names[n].role for n in demo) == sorted(r.value for r in ACCOUNT_ROLES)
        assert names["enterprise"].enterprise_uscc
        assert users.authenticate(db, "analyst", PASSWORD).ok

    def test_published_years_are_final_and_the_last_is_a_draft(self, db: Session, world: World) -> None:
        assert runs.get_run(db, SYSTEM, world.final_run).status == "final"
        assert runs.get_run(db, SYSTEM, world.draft_run).status == "draft"
        assert runs.get_run(db, SYSTEM, world.final_run).result_count == 40

    def test_figures_name_the_department_file_they_came_from(self, db: Session, world: World) -> None:
        figures = enterprises.enterprise_figures(db, SYSTEM, world.uscc_a, year=2023)
        land = [f for f in figures if f.file and f.row]
        assert land, "figures without lineage"
        assert all(f.batch_id for f in land)

    def test_the_open_years_figures_came_through_the_collection_round(self, db: Session, world: World) -> None:
        """The open year is told as the year's loop: its import is the departments' confirmed submissions."""
        board = collection.board(db, SYSTEM, COLLECTION_YEAR)
        confirmed = {s.batch_id: r.department for r in board.rows for s in r.submissions if s.status == "confirmed"}
        assert set(confirmed.values()) == {"税务局", "统计局", "供电公司", "自然资源局", "科技局"}
        science = next(r for r in board.rows if r.department == "科技局")
        assert [s.status for s in science.submissions] == ["invalid", "confirmed"]  # a wrong file first
        for uscc in (world.uscc_a, world.uscc_b):
            figures = [f for f in enterprises.enterprise_figures(db, SYSTEM, uscc, year=COLLECTION_YEAR) if f.batch_id]
            assert figures and {f.batch_id for f in figures} <= set(confirmed)
            assert all(confirmed[f.batch_id] == f.department for f in figures if f.department)

    def test_it_refuses_a_store_that_has_accounts(self, db: Session, settings: Settings) -> None:
        with pytest.raises(Conflict):
            seed_demo(db, settings, password=PASSWORD, enterprises=5, years=(2025,))


class TestTheDemoMonths:
    """The demo leaves the newest finished month open, with its progress entered, for the office to close."""

    @pytest.mark.parametrize(
        ("as_of", "open_month", "closed"),
        [
            (date(2026, 11, 29), (2026, 10), [(2026, m) for m in range(1, 10)]),
            (date(2026, 11, 30), (2026, 10), [(2026, m) for m in range(1, 10)]),  # November ends tonight
            (date(2026, 12, 31), (2026, 11), [(2026, m) for m in range(1, 11)]),
            (date(2027, 1, 15), (2026, 12), [(2026, 11)]),
            (date(2027, 2, 3), (2027, 1), [(2026, 12)]),
            (date(2027, 3, 1), (2027, 2), [(2027, 1)]),
        ],
    )
    def test_which_months_are_closed(
        self, as_of: date, open_month: tuple[int, int], closed: list[tuple[int, int]]
    ) -> None:
        assert latest_closable_month(as_of) == open_month
        assert demo_closed_months(as_of) == closed

    def test_the_office_can_close_the_open_month_from_the_page(
        self, db: Session, login_as: Callable[[str], TestClient]
    ) -> None:
        year, month = latest_closable_month(today())
        closed = {(m.year, m.month) for m in months.list_closed(db, SYSTEM)}
        assert closed == set(demo_closed_months(today())) and (year, month) not in closed
        entered = [r for r in projects.load(db, SYSTEM, year).progress if (r.year, r.month) == (year, month)]
        assert len(entered) >= 20, "the open month has its progress entered"

        client = login_as("projects")
        form = doc(client.get("/projects/months")).find("form", id="close-form")
        values = {el.attrs["name"]: el.attrs.get("value") for el in form.find_all("input")}
        assert (values["year"], values["month"]) == (str(year), str(month))
        response = client.post("/projects/months", data={"year": str(year), "month": str(month)})
        assert response.status_code == 303, response.text
        assert response.headers["location"] == f"/projects/months/{year}/{month}"


def test_the_password_is_given_or_random() -> None:
    assert demo_password("from-the-env-1") == ("from-the-env-1", False)
    first, generated = demo_password(None)
    assert generated and len(first) >= 12 and first != demo_password(None)[0]


def test_serve_prepares_a_fresh_database_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from zonehero.db.session import make_engine, session_factory
    from zonehero.edges.cli.serve import prepare_database

    monkeypatch.setenv("ZONEHERO_DEMO_PASSWORD", PASSWORD)
    settings = Settings(data_dir=tmp_path, environment="test")  # type: ignore[call-arg]
    prepare_database(settings, demo=True)
    prepare_database(settings, demo=True)  # a restart: no second seeding, no error
    engine = make_engine(settings.database_url)
    with session_factory(engine)() as session:
        assert len([u for u in users.list_users(session, SYSTEM) if u.username == "sysadmin"]) == 1
        assert [r.status for r in runs.list_runs(session, SYSTEM)] == ["draft", "final", "final"]
    engine.dispose()
    assert sorted(p.name for p in (tmp_path / "demo-files").iterdir()) == ["2023", "2024", "2025"]
