"""Run the Alembic migrations from code, so ``zonehero db upgrade`` works from an installed package."""

from __future__ import annotations

from importlib import resources

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection

from zonehero.errors import ZoneheroError

MIGRATIONS_PACKAGE = "zonehero.migrations"


def alembic_config(url: str | None = None, *, connection: Connection | None = None) -> Config:
    """A Config pointing at the packaged migrations, for ``url`` or an open ``connection``."""
    config = Config()
    config.set_main_option("script_location", str(resources.files(MIGRATIONS_PACKAGE)))
    if url is not None:
        # ConfigParser interpolation treats % specially (URL-encoded passwords).
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def upgrade(url: str | None = None, revision: str = "head", *, connection: Connection | None = None) -> None:
    """Bring the database to ``revision`` (default the newest)."""
    command.upgrade(alembic_config(url, connection=connection), revision)


def downgrade(url: str | None = None, revision: str = "base", *, connection: Connection | None = None) -> None:
    """Take the database back to ``revision`` (default: empty)."""
    command.downgrade(alembic_config(url, connection=connection), revision)


def heads() -> list[str]:
    """The head revisions of the packaged migrations (there must be exactly one)."""
    return list(ScriptDirectory.from_config(alembic_config()).get_heads())


def require_current(connection: Connection) -> None:
    """ZoneheroError unless the database is at the newest revision (tells the operator what to run)."""
    current = current_revision(connection)
    if current not in heads():
        raise ZoneheroError(f"数据库结构不是最新版本（当前 {current or '空'}），请先运行 zonehero db upgrade")


def current_revision(connection: Connection) -> str | None:
    """The revision the database is at, None for an empty database."""
    return MigrationContext.configure(connection).get_current_revision()
