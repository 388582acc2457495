"""Alembic environment, configured in code (no alembic.ini needed).

``zonehero.db.migrate`` builds the Config: the URL in ``sqlalchemy.url``, or
an open connection in ``config.attributes["connection"]`` (tests run the
migrations inside their own connection this way).
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from zonehero.db.session import make_engine
from zonehero.migrations.metadata import Base

config = context.config
target_metadata = Base.metadata


QUEUE_TABLE_PREFIX = "zonehero_queue_"
"""Tables the job queue (huey's PostgresHuey) keeps in the store's PostgreSQL: huey creates and owns them."""


def _ours(name: str | None, type_: str, _parent: object) -> bool:
    return not (type_ == "table" and name is not None and name.startswith(QUEUE_TABLE_PREFIX))


def _configure_and_run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        include_name=_ours,
        # SQLite cannot ALTER most things; batch mode copies the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def _relax_sqlite_foreign_keys(connection: Connection) -> bool:
    """SQLite: foreign keys off for the run (True when done), so that a batch copy may drop and rename a table
    other tables refer to (``users``): with them on, the drop deletes every parent row first and fails. Only
    possible outside a transaction; :func:`_check_sqlite_foreign_keys` checks every reference at the end."""
    if connection.dialect.name != "sqlite":
        return False
    connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
    return True


def _check_sqlite_foreign_keys(connection: Connection) -> None:
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
    if broken:
        raise RuntimeError(f"migration left {len(broken)} broken foreign keys, first: {tuple(broken[0])}")
    connection.exec_driver_sql("PRAGMA foreign_keys=ON")


def run_migrations_offline() -> None:
    """Emit SQL to stdout (``--sql``) without a database."""
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Migrate through the given connection, or a fresh engine for the configured URL."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure_and_run(connection)
        return
    url = config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("no database URL configured for the migrations")
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            relaxed = _relax_sqlite_foreign_keys(conn)
            _configure_and_run(conn)
            if relaxed:
                _check_sqlite_foreign_keys(conn)
            conn.commit()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
