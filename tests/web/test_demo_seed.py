"""``zonehero serve --demo`` seeding: accounts, real lineage, 2023 final, last year a draft, never twice."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import Session
from web_personas import PASSWORD, World

from zonehero.config import Settings
from zonehero.enterprises import service as enterprises
from zonehero.errors import Conflict
from zonehero.runs import service as runs
from zonehero.users import service as users
from zonehero.users.roles import SYSTEM
from zonehero.web.demo_seed import demo_password, seed_demo


class TestTheSeededWorld:
    def test_it_has_the_demo_accounts(self, db: Session) -> None:
        names = {u.username: u for u in users.list_users(db, SYSTEM)}
        assert {"admin", "analyst", "leader", "enterprise"} <= set(names)
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

    def test_it_refuses_a_store_that_has_accounts(self, db: Session, settings: Settings) -> None:
        with pytest.raises(Conflict):
            seed_demo(db, settings, password=PASSWORD, enterprises=5, years=(2025,))


def test_the_password_is_given_or_random() -> None:
    assert demo_password("from-the-env-1") == ("from-the-env-1", False)
    first, generated = demo_password(None)
    assert generated and len(first) >= 12 and first != demo_password(None)[0]


def test_serve_prepares_a_fresh_database_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from zonehero.cli.serve import prepare_database
    from zonehero.db.session import make_engine, session_factory

    monkeypatch.setenv("ZONEHERO_DEMO_PASSWORD", PASSWORD)
    settings = Settings(data_dir=tmp_path, environment="test")  # type: ignore[call-arg]
    prepare_database(settings, demo=True)
    prepare_database(settings, demo=True)  # a restart: no second seeding, no error
    engine = make_engine(settings.database_url)
    with session_factory(engine)() as session:
        assert len([u for u in users.list_users(session, SYSTEM) if u.username == "admin"]) == 1
        assert [r.status for r in runs.list_runs(session, SYSTEM)] == ["draft", "final", "final"]
    engine.dispose()
    assert sorted(p.name for p in (tmp_path / "demo-files").iterdir()) == ["2023", "2024", "2025"]
