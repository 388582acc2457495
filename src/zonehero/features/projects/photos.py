"""Site photos (现场照片): checked by their first bytes (JPEG or PNG only) and size, kept under the data folder.

The browser's declared type and the file name's suffix are not trusted; the
stored name is generated, so nothing the uploader chose becomes a path.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from pathlib import Path

from zonehero.errors import InputError, InputProblem
from zonehero.features.imports.storage import UploadedFile, safe_name

PHOTOS_FOLDER = "project-photos"
_SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
)


@dataclass(frozen=True)
class StoredPhoto:
    """A photo written under the data folder."""

    name: str
    stored: str
    """Path relative to the data folder."""
    media_type: str
    size: int
    sha256: str


def photo_type(data: bytes) -> tuple[str, str] | None:
    """(media type, suffix) from the file's magic bytes; None when it is neither JPEG nor PNG."""
    for signature, media_type, suffix in _SIGNATURES:
        if data.startswith(signature):
            return media_type, suffix
    return None


def check_photos(files: list[UploadedFile], max_bytes: int) -> list[tuple[UploadedFile, str, str]]:
    """Every photo's (file, media type, suffix); refuses with every problem when one is not a JPEG/PNG or too big."""
    problems: list[InputProblem] = []
    checked = []
    for f in files:
        name = safe_name(f.name)
        kind = photo_type(f.data)
        if not f.data:
            problems.append(InputProblem("照片文件是空的", file=name))
        elif len(f.data) > max_bytes:
            problems.append(InputProblem(f"照片过大（上限 {max_bytes / (1024 * 1024):g} MB）", file=name))
        elif kind is None:
            problems.append(InputProblem("只接受 JPEG 或 PNG 格式的照片", file=name))
        else:
            checked.append((f, *kind))
    if problems:
        raise InputError(problems)
    return checked


def store_photo(data_dir: Path, code: str, file: UploadedFile, media_type: str, suffix: str) -> StoredPhoto:
    """Write a checked photo as ``project-photos/<code-safe>/<uuid><suffix>``."""
    folder = f"{PHOTOS_FOLDER}/{safe_name(code)}"
    stored = f"{folder}/{uuid.uuid4().hex}{suffix}"
    target = data_dir / stored
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(file.data)
    return StoredPhoto(
        name=safe_name(file.name),
        stored=stored,
        media_type=media_type,
        size=len(file.data),
        sha256=hashlib.sha256(file.data).hexdigest(),
    )
