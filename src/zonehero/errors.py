"""Error kinds shared by every layer.

The edges (web, CLI) map a kind to a status or an exit code in one place;
the cores only say *what* went wrong. This module imports nothing from
zonehero so that anything may import it.
"""

from __future__ import annotations

from dataclasses import dataclass, field


class ZoneheroError(Exception):
    """Base of every error a user may be shown."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(ZoneheroError):
    """The thing asked for does not exist, or the caller may not know it exists."""


class PermissionDenied(ZoneheroError):
    """The caller is known but may not do this."""


class Unauthenticated(ZoneheroError):
    """Log-in failed (wrong name or password, locked or disabled account) or no valid session."""


class Conflict(ZoneheroError):
    """The request contradicts the current state (e.g. editing a published run)."""


@dataclass(frozen=True)
class InputProblem:
    """One problem in user input, located as precisely as we can.

    ``row`` is the row number as the spreadsheet shows it (1-based, header
    rows included); ``column`` is the header text as written in the file or
    a column letter when there is no header.
    """

    message: str
    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = []
        if self.file:
            where.append(self.file)
        if self.sheet:
            where.append(f"工作表 {self.sheet}")
        if self.row is not None:
            where.append(f"第 {self.row} 行")
        if self.column:
            where.append(f"列 「{self.column}」")
        prefix = ", ".join(where)
        return f"{prefix}: {self.message}" if prefix else self.message


@dataclass
class InputError(ZoneheroError):
    """Bad input; carries every problem found so the user can fix them in one go."""

    problems: list[InputProblem] = field(default_factory=list)

    def __init__(self, problems: list[InputProblem] | InputProblem | str) -> None:
        if isinstance(problems, str):
            problems = [InputProblem(problems)]
        elif isinstance(problems, InputProblem):
            problems = [problems]
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class SchemeError(InputError):
    """A scheme file is invalid; each problem names the key that is wrong in ``column``."""
