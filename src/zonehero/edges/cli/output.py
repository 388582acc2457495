"""Shared CLI plumbing: the one place that turns a ZoneheroError into a message and exit code 1."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import typer
from rich.console import Console

from zonehero.errors import InputError, ZoneheroError

T = TypeVar("T")

console = Console()
err_console = Console(stderr=True)


@contextmanager
def user_errors() -> Iterator[None]:
    """Print a user-facing error on stderr and exit 1; unexpected errors propagate with a traceback."""
    try:
        yield
    except InputError as exc:
        err_console.print(f"[bold red]输入错误 / input error[/] ({len(exc.problems)}):", highlight=False)
        for problem in exc.problems:
            err_console.print(f"  • {problem}", highlight=False, markup=False)
        raise typer.Exit(1) from None
    except ZoneheroError as exc:
        err_console.print(f"[bold red]错误 / error:[/] {exc.message}", highlight=False)
        raise typer.Exit(1) from None


def run_or_exit(fn: Callable[[], T]) -> T:
    """Call ``fn`` inside :func:`user_errors`."""
    with user_errors():
        return fn()
    raise AssertionError("unreachable")  # pragma: no cover


def is_tty() -> bool:
    """Whether stderr is a terminal (progress bars only then)."""
    return sys.stderr.isatty()


def write_json_atomically(data: dict[str, Any], out: Path) -> None:
    """Write to a temporary file beside ``out`` and rename, so a failure leaves no partial file."""
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", dir=out.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False, indent=2)
            fh.write("\n")
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
