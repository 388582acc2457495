"""Reading uploaded files from a form into memory, after their count and size have been checked.

The form parser keeps large parts on disk; reading them into ``bytes`` is
what would let one request exhaust the server's memory. So the size the
parser counted is checked first, and a refused file is never read. Reading is
synchronous (the spooled file, not ``await UploadFile.read``) so the handlers
that call it are plain ``def`` and run in the thread pool, off the event loop.
"""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import UploadFile

from zonehero.errors import InputError, InputProblem
from zonehero.features.imports.storage import UploadedFile, safe_name


def read_uploads(files: Sequence[UploadFile], *, max_bytes: int, max_files: int, too_many: str) -> list[UploadedFile]:
    """The named files of a form as :class:`UploadedFile`; InputError (every problem) before anything is read.

    ``too_many`` is the message when more than ``max_files`` files came.
    Parts without a file name (an empty file input) are skipped.
    """
    named = [f for f in files if f.filename]
    problems: list[InputProblem] = []
    if len(named) > max_files:
        problems.append(InputProblem(too_many))
    for f in named:
        if f.size is not None and f.size > max_bytes:
            problems.append(
                InputProblem(f"文件过大（上限 {max_bytes // (1024 * 1024)} MB）", file=safe_name(f.filename or "file"))
            )
    if problems:
        raise InputError(problems)
    return [UploadedFile(name=f.filename or "file", data=f.file.read(max_bytes + 1)) for f in named]
