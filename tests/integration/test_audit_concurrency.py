"""Concurrent writers never fork the audit chain: each append takes the chain head's lock first.

Runs on a database of its own per backend (the writers commit), several threads appending at once.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, func, select, text

from zonehero.db import migrate
from zonehero.db.session import make_engine, session_factory, unit_of_work
from zonehero.features.audit import integrity
from zonehero.features.audit import service as audit
from zonehero.features.audit.models import AuditEntry
from zonehero.features.roles import SYSTEM, Actor, Role

WRITERS = 6
EACH = 15


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def own_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A freshly migrated database nobody else writes to."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'chain.db'}"
    else:
        server_url: str = request.getfixturevalue("postgres_url")
        name = f"chain_{uuid.uuid4().hex[:12]}"
        admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f"CREATE DATABASE {name}"))
        admin.dispose()
        url = server_url.rsplit("/", 1)[0] + f"/{name}"
    migrate.upgrade(url)
    engine = make_engine(url, pool_size=WRITERS) if request.param == "postgresql" else make_engine(url)
    yield engine
    engine.dispose()


def test_concurrent_appends_make_one_chain(own_engine: Engine) -> None:
    factory = session_factory(own_engine)

    def writer(n: int) -> None:
        someone = Actor(id=None, username=f"writer-{n}", role=Role.LEADER)
        for i in range(EACH):
            with unit_of_work(factory) as session:
                audit.record(session, someone, "login.success", "user", i, after={"writer": n, "i": i})

    with ThreadPoolExecutor(WRITERS) as pool:
        list(pool.map(writer, range(WRITERS)))

    with unit_of_work(factory) as session:
        total = session.scalar(select(func.count(AuditEntry.id)))
        distinct_links = session.scalar(select(func.count(func.distinct(AuditEntry.prev_hash))))
        report = integrity.verify(session, SYSTEM)
    assert total == WRITERS * EACH
    assert distinct_links == total, "two entries follow the same one: the chain forked"
    assert report.ok, report.problem
