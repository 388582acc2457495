"""Assertions shared by the importer tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from zonehero.errors import InputError, InputProblem


def problems_of(call: Callable[[], object]) -> list[InputProblem]:
    """Run ``call``, expect InputError and nothing returned; give its problems."""
    result: object = None
    with pytest.raises(InputError) as info:
        result = call()
    assert result is None
    assert info.value.problems, "an InputError must carry at least one problem"
    return info.value.problems


def one_problem(problems: list[InputProblem], text: str) -> InputProblem:
    """The single problem whose message contains ``text``."""
    found = [p for p in problems if text in p.message]
    assert len(found) == 1, f"expected one problem with {text!r}, got {[str(p) for p in problems]}"
    return found[0]
