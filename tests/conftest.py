"""Shared test configuration: test artifacts (screenshots, rendered pages) go to test-artifacts/."""

from __future__ import annotations

from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    """Folder kept after the run for screenshots and rendered documents."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


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
