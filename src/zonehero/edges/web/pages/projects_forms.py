"""Small parsing helpers of the project pages: dates and numbers from form fields, the as-of date.

A form field left empty is None; anything else that does not parse becomes
an :class:`InputProblem` naming the field, collected so a form reports every
problem at once.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from zonehero.clock import today
from zonehero.edges.web.deps import require_role
from zonehero.errors import InputError, InputProblem
from zonehero.features.projects import access
from zonehero.features.roles import Actor

OfficeUser = Annotated[Actor, require_role(*access.EDITORS)]
"""The project office: checked before the form is read, so others get 403, not 422."""


def parse_day(value: str | None, column: str, problems: list[InputProblem]) -> date | None:
    """``YYYY-MM-DD`` or empty (None)."""
    text = (value or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        problems.append(InputProblem(f"「{text}」不是 YYYY-MM-DD 格式的日期", column=column))
        return None


def parse_amount(value: str | None, column: str, problems: list[InputProblem]) -> float | None:
    """A number (thousands separators allowed) or empty (None)."""
    text = (value or "").strip().replace(",", "")
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        problems.append(InputProblem(f"「{value}」不是数字", column=column))
        return None


def as_of_day(value: str | None) -> date:
    """The page's as-of date: ``?as_of=YYYY-MM-DD`` or today."""
    problems: list[InputProblem] = []
    day = parse_day(value, "as_of", problems)
    if problems:
        raise InputError(problems)
    return day or today()
