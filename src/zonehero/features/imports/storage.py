"""Keeping uploaded files under the data folder (上传文件保存).

Names are reduced to a safe base name (no folders, no control characters)
and kept readable, because the lineage of every figure shows the file name.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from dataclasses import dataclass
from pathlib import Path

from zonehero.errors import InputError, InputProblem

UNSAFE = re.compile(r"[\x00-\x1f\\/:*?\"<>|]+")


@dataclass(frozen=True)
class UploadedFile:
    """A file as received from a browser form or named on the command line."""

    name: str
    data: bytes


@dataclass(frozen=True)
class StoredFile:
    name: str
    """The safe base name, as shown in lineage."""
    stored: str
    """Path relative to the data folder."""
    size: int
    sha256: str


def safe_name(name: str) -> str:
    """A base name without folders or characters that are unsafe on any file system."""
    base = UNSAFE.sub("_", Path(name.replace("\\", "/")).name).strip(" .")
    return base[:200] or "file"


def new_folder() -> str:
    return uuid.uuid4().hex


def check_sizes(files: list[UploadedFile], max_bytes: int) -> None:
    """Every file within the limit and not empty; all problems reported together."""
    problems = []
    for f in files:
        if len(f.data) > max_bytes:
            problems.append(InputProblem(f"文件过大（上限 {max_bytes // (1024 * 1024)} MB）", file=safe_name(f.name)))
        elif not f.data:
            problems.append(InputProblem("文件是空的", file=safe_name(f.name)))
    if problems:
        raise InputError(problems)


def store_files(data_dir: Path, relative_folder: str, files: list[UploadedFile]) -> list[StoredFile]:
    """Write ``files`` into ``data_dir/relative_folder``; duplicate names get a numbered suffix."""
    folder = data_dir / relative_folder
    folder.mkdir(parents=True, exist_ok=True)
    stored: list[StoredFile] = []
    used: set[str] = set()
    for f in files:
        name = safe_name(f.name)
        stem, suffix = Path(name).stem, Path(name).suffix
        n = 1
        while name.lower() in used:
            n += 1
            name = f"{stem}({n}){suffix}"
        used.add(name.lower())
        (folder / name).write_bytes(f.data)
        stored.append(
            StoredFile(
                name=name,
                stored=f"{relative_folder}/{name}",
                size=len(f.data),
                sha256=hashlib.sha256(f.data).hexdigest(),
            )
        )
    return stored
