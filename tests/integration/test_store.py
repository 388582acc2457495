"""Settings, the unit of work, and the db/user commands against a real SQLite file."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from typer.testing import CliRunner

from zonehero.config import Settings
from zonehero.db import migrate
from zonehero.db.session import make_engine, session_factory, unit_of_work
from zonehero.edges.cli.main import app
from zonehero.errors import ZoneheroError
from zonehero.features.roles import ROLE_LABELS, SYSTEM, Role
from zonehero.features.schemes import service as schemes
from zonehero.features.users import service as users
from zonehero.features.users.models import User


class TestSettings:
    def test_defaults_put_everything_in_the_data_folder(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.chdir(tmp_path)
        for name in ("ZONEHERO_DB", "ZONEHERO_DATA_DIR", "ZONEHERO_SECRET_KEY", "ZONEHERO_ENVIRONMENT"):
            monkeypatch.delenv(name, raising=False)
        s = Settings()
        assert s.database_url == f"sqlite:///{tmp_path / 'data' / 'zonehero.db'}"
        assert (s.lockout_failures, s.lockout_minutes) == (5, 15)
        assert not (tmp_path / "data").exists()  # no side effect until asked

    def test_environment_variables_override(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("ZONEHERO_DB", "postgresql+psycopg://u@h/z")
        monkeypatch.setenv("ZONEHERO_LOCKOUT_MINUTES", "7")
        s = Settings()
        assert (s.database_url, s.lockout_minutes) == ("postgresql+psycopg://u@h/z", 7)

    def test_a_generated_secret_key_is_kept(self, tmp_path: Path) -> None:
        s = Settings(data_dir=tmp_path, environment="production")
        key = s.resolved_secret_key()
        assert len(key) >= 32 and Settings(data_dir=tmp_path).resolved_secret_key() == key
        assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600

    @pytest.mark.parametrize("key", ["changeme", "short-but-not-a-placeholder"])
    def test_production_refuses_an_insecure_key(self, tmp_path: Path, key: str) -> None:
        with pytest.raises(ZoneheroError, match="不安全"):
            Settings(data_dir=tmp_path, environment="production", secret_key=key).resolved_secret_key()
        assert Settings(data_dir=tmp_path, secret_key=key).resolved_secret_key() == key  # fine for development


class TestUnitOfWork:
    @pytest.fixture
    def factory(self, tmp_path: Path):  # type: ignore[no-untyped-def]
        url = f"sqlite:///{tmp_path / 'uow' / 'z.db'}"
        migrate.upgrade(url)
        engine = make_engine(url)
        yield session_factory(engine)
        engine.dispose()

    def test_it_commits_on_success_and_rolls_back_on_error(self, factory) -> None:  # type: ignore[no-untyped-def]
        with unit_of_work(factory) as session:
            users.create_user(session, SYSTEM, "kept", "long enough 1", "leader")
        with pytest.raises(RuntimeError), unit_of_work(factory) as session:
            users.create_user(session, SYSTEM, "lost", "long enough 1", "leader")
            raise RuntimeError("boom")
        with unit_of_work(factory) as session:
            assert list(session.scalars(select(User.username))) == ["kept"]

    def test_sqlite_has_foreign_keys_and_wal(self, factory) -> None:  # type: ignore[no-untyped-def]
        with unit_of_work(factory) as session:
            assert session.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert session.execute(text("PRAGMA journal_mode")).scalar() == "wal"


class TestCommands:
    def test_db_upgrade_seeds_the_default_scheme_once(self, tmp_path: Path) -> None:
        url = f"sqlite:///{tmp_path / 'cli.db'}"
        runner = CliRunner()
        first = runner.invoke(app, ["db", "upgrade", "--db", url])
        assert first.exit_code == 0, first.output
        [head] = migrate.heads()
        assert head in first.output and "默认评价方案" in first.output
        again = runner.invoke(app, ["db", "upgrade", "--db", url])
        assert again.exit_code == 0 and "默认评价方案" not in again.output
        engine = make_engine(url)
        with unit_of_work(session_factory(engine)) as session:
            [scheme] = schemes.list_schemes(session, SYSTEM)
            assert (scheme.name, [v.version for v in scheme.versions]) == ("默认方案", [1])
        engine.dispose()

    def test_user_add_passwd_list(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        url = f"sqlite:///{tmp_path / 'cli.db'}"
        monkeypatch.setenv("ZONEHERO_DB", url)
        runner = CliRunner()
        assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
        added = runner.invoke(
            app,
            ["user", "add", "qiye", "--role", "enterprise", "--enterprise", "91350100M000100Y43", "--password-stdin"],
            input="Erstes-Passwort-1\n",
        )
        assert added.exit_code == 0, added.output
        changed = runner.invoke(app, ["user", "passwd", "qiye", "--password-stdin"], input="Zweites-Passwort-2\n")
        assert changed.exit_code == 0, changed.output
        listed = runner.invoke(app, ["user", "list"])
        assert "qiye" in listed.output and "91350100M000100Y43" in listed.output
        engine = make_engine(url)
        with unit_of_work(session_factory(engine)) as session:
            assert users.authenticate(session, "qiye", "Zweites-Passwort-2").ok
            assert session.scalar(select(func.count(User.id))) == 1
            # Set by the operator, so temporary: changed at the first log-in.
            assert session.scalar(select(User.must_change_password).where(User.username == "qiye")) is True
        engine.dispose()

    def test_bad_input_exits_1_with_the_problems(self, tmp_path: Path) -> None:
        url = f"sqlite:///{tmp_path / 'cli.db'}"
        runner = CliRunner()
        runner.invoke(app, ["db", "upgrade", "--db", url])
        bad = runner.invoke(
            app, ["user", "add", "x", "--role", "boss", "--password-stdin", "--db", url], input="short\n"
        )
        assert bad.exit_code == 1
        assert "未知角色" in bad.output and "密码至少需要" in bad.output
        weak = runner.invoke(
            app, ["user", "add", "zhang", "--role", "leader", "--password-stdin", "--db", url], input="12345678\n"
        )
        assert weak.exit_code == 1
        said = weak.output.replace("\n", "")  # the console wraps long lines
        assert "常用密码" in said and "缺少：大写字母、小写字母、符号" in said

    @pytest.mark.parametrize("role", ["system_admin", "security_admin", "audit_admin"])
    def test_the_operator_adds_each_administrator(self, tmp_path: Path, role: str) -> None:
        url = f"sqlite:///{tmp_path / 'cli.db'}"
        runner = CliRunner()
        runner.invoke(app, ["db", "upgrade", "--db", url])
        added = runner.invoke(
            app, ["user", "add", "boss", "--role", role, "--password-stdin", "--db", url], input="long enough 1\n"
        )
        assert added.exit_code == 0, added.output
        listed = runner.invoke(app, ["user", "list", "--db", url])
        assert ROLE_LABELS[Role(role)] in listed.output

    @pytest.mark.parametrize("role", ["admin", "operator"])
    def test_the_old_admin_and_the_operators_own_role_are_refused(self, tmp_path: Path, role: str) -> None:
        url = f"sqlite:///{tmp_path / 'cli.db'}"
        runner = CliRunner()
        runner.invoke(app, ["db", "upgrade", "--db", url])
        bad = runner.invoke(
            app, ["user", "add", "boss", "--role", role, "--password-stdin", "--db", url], input="long enough 1\n"
        )
        assert bad.exit_code == 1
        assert f"未知角色「{role}」" in bad.output and "system_admin" in bad.output and "analyst" in bad.output

    def test_commands_need_a_migrated_database(self, tmp_path: Path) -> None:
        result = CliRunner().invoke(app, ["user", "list", "--db", f"sqlite:///{tmp_path / 'empty.db'}"])
        assert result.exit_code == 1 and "zonehero db upgrade" in result.output
