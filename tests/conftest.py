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
