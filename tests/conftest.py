"""Shared test configuration: artifacts (screenshots, rendered pages) go to test-artifacts/; cheap password hashes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from zonehero.features.users import passwords

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    """Folder kept after the run for screenshots and rendered documents."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


CHEAP_HASHER = PasswordHasher(time_cost=1, memory_cost=256, parallelism=1)
"""Real argon2id with the smallest costs: production's (64 MiB, 3 passes, 4 lanes) cost about 0.1 s of both cores
per hash, and the demo seeds, the test worlds and the log-ins make thousands."""
PRODUCTION_HASHER = passwords._hasher
"""The application's own hasher, for the test that checks production's costs (tests/unit/test_password_costs.py)."""


@pytest.fixture(scope="session", autouse=True)
def _cheap_password_hashing() -> Iterator[None]:
    """Every test and fixture of this process (session-scoped seeds included) hashes with :data:`CHEAP_HASHER`.

    A hash carries its parameters, so verifying is as real as before; servers in subprocesses (tests/e2e) keep
    production's costs.
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(passwords, "_hasher", lambda: CHEAP_HASHER)
        yield


@pytest.fixture
def production_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """The application's own hasher for one test."""
    monkeypatch.setattr(passwords, "_hasher", PRODUCTION_HASHER)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Make ``--dist loadgroup`` (make test) keep each ``xdist_group`` on one worker again under pytest 9.2.

    pytest-xdist 3.8 names a test's group by appending ``@group`` to its node id in this hook, on each worker, by
    setting ``item._nodeid``; pytest 9.2 keeps node ids structured (``item.id``) and ignores that attribute, so every
    group was silently spread over both workers (pytest-xdist issue 1386): each worker then started its own demo
    servers for the browser runs. Here the suffix is set the way pytest 9.2 reads it; a fixed xdist (the suffix
    already there) or a run without ``--dist loadgroup`` (the option unset) is left alone.
    """
    if not config.getoption("loadgroup", default=False):
        return
    for item in items:
        names = sorted(
            {str(m.args[0] if m.args else m.kwargs.get("name", "default")) for m in item.iter_markers("xdist_group")}
        )
        suffix = "@" + "_".join(names)
        if names and not item.nodeid.endswith(suffix):
            item._id = type(item.id).parse(item.nodeid + suffix)  # type: ignore[attr-defined]
