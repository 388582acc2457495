"""The one spreadsheet reader and the importer for department spreadsheets (spec: shared/spec/fields.md).

``read_table(path, registry)`` reads any file against a registry (the enterprise fields, the project and
progress columns, the cultivation supplement, a later one): sheet, header, title/units/total rows, aliases, units
and cell values by type, every problem located (see :mod:`zonehero.core.ingest.table`).

``read_sources`` reads every file, collects every problem across all of
them and raises one ``InputError`` if there is any (all or nothing: no
partial result); otherwise it merges the files by USCC. ``read_source``
reads one file, for previews. How each file is read is the caller's to
choose (``read=``): the features read untrusted uploads in a confined child
process, which the core may not start.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from zonehero.core.ingest.merge import DEFAULT_PRIORITY, merge_sources
from zonehero.core.ingest.readers import DEFAULT_MAX_BYTES
from zonehero.core.ingest.result import ImportResult, SkippedRow, SourceInfo, SourceRead
from zonehero.core.ingest.sources import department_for, read_one
from zonehero.core.ingest.table import Table, read_table
from zonehero.errors import InputError, InputProblem

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_PRIORITY",
    "ImportResult",
    "SkippedRow",
    "SourceInfo",
    "SourceRead",
    "SourceReader",
    "Table",
    "department_for",
    "read_source",
    "read_sources",
    "read_table",
]


class SourceReader(Protocol):
    """Reads one file as :func:`zonehero.core.ingest.sources.read_one` does: (result, []) or (None, problems)."""

    def __call__(
        self, path: str | Path, *, sheet: str | None = ..., max_bytes: int = ..., department: str | None = ...
    ) -> tuple[SourceRead | None, list[InputProblem]]: ...


def read_source(
    path: str | Path, *, sheet: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES, department: str | None = None
) -> SourceRead:
    """Read one file into canonical columns (``.frame``, ``.lineage``, ``.info``, ``.warnings``).

    Raises ``InputError`` carrying every problem of the file.
    """
    result, problems = read_one(path, sheet=sheet, max_bytes=max_bytes, department=department)
    if problems or result is None:
        raise InputError(problems)
    return result


def read_sources(
    paths: Sequence[str | Path],
    *,
    priority: Sequence[str] | None = None,
    sheet: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    read: SourceReader = read_one,
) -> ImportResult:
    """Read and merge department files by USCC.

    ``priority`` lists department names (税务局, 供电公司, 统计局, 自然资源局,
    科技局 …) or file names, first wins, ahead of the default per-field
    priority. ``sheet`` names the sheet to read in every workbook; ``read``
    reads one file (in this process by default). Raises one
    ``InputError`` with every problem of every file; nothing is returned then.
    """
    if not paths:
        raise InputError("没有要导入的文件")
    reads: list[SourceRead] = []
    problems: list[InputProblem] = []
    seen: dict[str, str] = {}
    for path in paths:
        resolved = str(Path(path).resolve())
        if resolved in seen:
            problems.append(InputProblem("同一个文件被导入了两次", file=Path(path).name))
            continue
        seen[resolved] = str(path)
        result, file_problems = read(path, sheet=sheet, max_bytes=max_bytes)
        problems += file_problems
        if result is not None:
            reads.append(result)
    if problems:
        raise InputError(problems)
    return merge_sources(reads, priority)
