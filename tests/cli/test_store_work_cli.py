"""``zonehero import FILE... --year Y [--confirm]`` and ``zonehero run create --year Y`` against a store."""

from __future__ import annotations

from pathlib import Path

import pytest
from argon2 import PasswordHasher
from hostile_files import xfd_corner
from sqlalchemy import Engine, text
from typer.testing import CliRunner

from zonehero.config import Settings
from zonehero.db import migrate
from zonehero.db.session import make_engine, session_factory, unit_of_work
from zonehero.demo.seed import seed_demo
from zonehero.edges.cli import output
from zonehero.edges.cli.main import app
from zonehero.features.users import passwords

runner = CliRunner()


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path, Engine]:
    """A small demo zone (2023 final, 2024 draft) whose department files of 2024 are on disk."""
    data_dir = tmp_path_factory.mktemp("store-work")
    url = f"sqlite:///{data_dir / 'zonehero.db'}"
    migrate.upgrade(url)
    engine = make_engine(url)
    with pytest.MonkeyPatch.context() as patch:
        hasher = PasswordHasher(time_cost=1, memory_cost=256, parallelism=1)
        patch.setattr(passwords, "_hasher", lambda: hasher)
        with unit_of_work(session_factory(engine)) as session:
            settings = Settings(data_dir=data_dir, environment="test")  # type: ignore[call-arg]
            seed_demo(session, settings, password="Richtig-Pferd-42", enterprises=20, years=(2023, 2024))
    return url, data_dir, engine


@pytest.fixture(autouse=True)
def _wide_consoles(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(output.console, "width", 200)
    monkeypatch.setattr(output.err_console, "width", 200)


def count(engine: Engine, sql: str, **params: object) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text(sql), params).scalar() or 0)


def files_of(data_dir: Path, year: int) -> list[str]:
    return sorted(str(p) for p in (data_dir / "demo-files" / str(year)).iterdir())


class TestImport:
    def test_the_preview_shows_what_was_read_and_stores_no_figure(self, store: tuple[str, Path, Engine]) -> None:
        url, data_dir, engine = store
        result = runner.invoke(
            app, ["import", *files_of(data_dir, 2024), "--year", "2030", "--db", url, "--data-dir", str(data_dir)]
        )
        assert result.exit_code == 0, result.output
        assert "税务局" in result.output and "问题 0 处" in result.output
        assert "--confirm" in result.output
        assert count(engine, "SELECT count(*) FROM figures WHERE year = 2030") == 0
        assert count(engine, "SELECT count(*) FROM import_batches WHERE year = 2030 AND status = 'preview'") >= 1

    def test_confirm_stores_the_year(self, store: tuple[str, Path, Engine]) -> None:
        url, data_dir, engine = store
        args = [
            "import",
            *files_of(data_dir, 2024),
            "--year",
            "2029",
            "--confirm",
            "--db",
            url,
            "--data-dir",
            str(data_dir),
        ]
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
        assert "已导入 2029 年度数据" in result.output
        assert count(engine, "SELECT count(*) FROM figures WHERE year = 2029") > 0
        assert count(engine, "SELECT count(*) FROM import_batches WHERE year = 2029 AND status = 'confirmed'") == 1

    def test_a_missing_file_is_named_and_nothing_is_kept(self, store: tuple[str, Path, Engine], tmp_path: Path) -> None:
        url, _data_dir, engine = store
        before = count(engine, "SELECT count(*) FROM import_batches")
        result = runner.invoke(app, ["import", str(tmp_path / "无此文件.csv"), "--year", "2028", "--db", url])
        assert result.exit_code == 1
        assert "无此文件.csv" in result.output and "文件不存在" in result.output
        assert count(engine, "SELECT count(*) FROM import_batches") == before

    def test_a_hostile_file_is_refused_by_the_parse_child_naming_file_and_limit(
        self, store: tuple[str, Path, Engine], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        url, data_dir, engine = store
        for name, value in {"MAX_ROWS": "1000000000", "MAX_CELLS": "10000000000000", "PARSE_MEMORY_MB": "256"}.items():
            monkeypatch.setenv(f"ZONEHERO_IMPORT_{name}", value)  # past the claims check: the child's limit acts
        path = xfd_corner(tmp_path)
        result = runner.invoke(app, ["import", str(path), "--year", "2027", "--db", url, "--data-dir", str(data_dir)])
        assert result.exit_code == 1
        assert path.name in result.output and "解析超过内存上限 256 MB" in result.output
        assert count(engine, "SELECT count(*) FROM figures WHERE year = 2027") == 0


class TestRunCreate:
    def test_it_prints_the_new_drafts_id(self, store: tuple[str, Path, Engine]) -> None:
        url, _data_dir, engine = store
        result = runner.invoke(app, ["run", "create", "--year", "2024", "--db", url])
        assert result.exit_code == 0, result.output
        run_id = int(result.stdout.strip().splitlines()[-1])
        assert (
            count(
                engine,
                "SELECT count(*) FROM evaluation_runs WHERE id = :r AND status = 'draft' AND year = 2024",
                r=run_id,
            )
            == 1
        )
        assert count(engine, "SELECT count(*) FROM run_results WHERE run_id = :r", r=run_id) > 0

    def test_a_year_without_figures_is_refused(self, store: tuple[str, Path, Engine]) -> None:
        url, _data_dir, engine = store
        before = count(engine, "SELECT count(*) FROM evaluation_runs")
        result = runner.invoke(app, ["run", "create", "--year", "2031", "--db", url])
        assert result.exit_code == 1
        assert "2031 年度还没有导入数据" in result.output
        assert count(engine, "SELECT count(*) FROM evaluation_runs") == before

    def test_an_unknown_scheme_version_is_refused(self, store: tuple[str, Path, Engine]) -> None:
        url, _data_dir, _engine = store
        result = runner.invoke(app, ["run", "create", "--year", "2024", "--scheme-version", "999", "--db", url])
        assert result.exit_code == 1
