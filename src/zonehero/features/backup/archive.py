"""The backup file (备份文件): a gzip'd tar of the database snapshot, the data folder's files and ``manifest.json``.

It is written beside its target and moved into place only when complete and synced, so a backup killed halfway
leaves no half archive under the target's name. Each member is hashed while it is written: the checksum is of the
bytes in the archive, even if the file on disk changes meanwhile. Reading walks the members once, hashing each
(and unpacking it when asked), then compares with the manifest. Only regular files named ``manifest.json``,
``database/…`` or ``files/…`` with plain relative names are accepted, so an archive cannot write outside the folder
it is unpacked into.
"""

from __future__ import annotations

import hashlib
import io
import os
import tarfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import IO

from zonehero.errors import ZoneheroError
from zonehero.features.backup.schemas import DATABASE_PREFIX, FILES_PREFIX, MANIFEST_NAME, Manifest, Member
from zonehero.reports.atomic import atomic_path

_CHUNK = 1024 * 1024
_MANIFEST_MAX_BYTES = 64 * 1024 * 1024
_FILE_MODE = 0o640


class _Hashing:
    """A file read through SHA-256: tarfile reads exactly the member's size from it."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.digest = hashlib.sha256()
        self.size = 0

    def read(self, n: int = -1) -> bytes:
        data = self.raw.read(n)
        self.digest.update(data)
        self.size += len(data)
        return data


class ArchiveWriter:
    """Adds members to an open archive and remembers each one's size and checksum for the manifest."""

    def __init__(self, tar: tarfile.TarFile, path: Path) -> None:
        self._tar = tar
        self.path = path
        """The file being written (a temporary name beside the target until the end)."""
        self.members: dict[str, Member] = {}

    def add_file(self, name: str, path: Path) -> Member:
        """Add ``path`` as ``name`` (its size when opened; a file growing meanwhile is cut there)."""
        with path.open("rb") as raw:
            stat = os.fstat(raw.fileno())
            info = tarfile.TarInfo(name)
            info.size = stat.st_size
            info.mtime = int(stat.st_mtime)
            info.mode = _FILE_MODE
            hashing = _Hashing(raw)
            self._tar.addfile(info, hashing)  # type: ignore[arg-type]  # tarfile only calls read()
        member = Member(size=hashing.size, sha256=hashing.digest.hexdigest())
        self.members[name] = member
        return member

    def add_manifest(self, manifest: Manifest) -> None:
        """Add the manifest, last: it lists every member written before it."""
        data = manifest.to_json()
        info = tarfile.TarInfo(MANIFEST_NAME)
        info.size = len(data)
        info.mtime = int(manifest.created_at.timestamp())
        info.mode = _FILE_MODE
        self._tar.addfile(info, io.BytesIO(data))


@contextmanager
def writing(out: Path) -> Iterator[ArchiveWriter]:
    """An archive being written to ``out``: it appears there, synced, only when the block ends without error."""
    with atomic_path(out) as tmp:
        with tarfile.open(tmp, "w:gz", compresslevel=6, format=tarfile.PAX_FORMAT) as tar:
            yield ArchiveWriter(tar, tmp)
        with tmp.open("rb") as written:
            os.fsync(written.fileno())


def _name_problem(info: tarfile.TarInfo) -> str | None:
    name = info.name
    if not info.isreg():
        return f"备份文件中有不应出现的成员（不是普通文件）：{name}"
    path = PurePosixPath(name)
    if (
        path.is_absolute()
        or "\\" in name
        or any(part in ("", ".", "..") for part in name.split("/"))
        or not (name == MANIFEST_NAME or name.startswith((DATABASE_PREFIX, FILES_PREFIX)))
        or name in (DATABASE_PREFIX, FILES_PREFIX)
    ):
        return f"备份文件中有不应出现的成员：{name}"
    return None


def _copy(source: IO[bytes], into: Path | None) -> Member:
    digest = hashlib.sha256()
    size = 0
    sink = None
    if into is not None:
        into.parent.mkdir(parents=True, exist_ok=True)
        sink = into.open("xb")
    try:
        while chunk := source.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
            if sink is not None:
                sink.write(chunk)
    finally:
        if sink is not None:
            sink.close()
    return Member(size=size, sha256=digest.hexdigest())


def read(
    path: Path, into: Path | None = None, *, unpack: Callable[[str], bool] = lambda _name: True
) -> tuple[Manifest | None, list[str]]:
    """The manifest of the archive at ``path`` and every problem found (empty: every member matches it).

    With ``into``, each member ``unpack`` accepts is also unpacked there under its own name (``into`` should be
    empty); every member is hashed either way.
    """
    problems: list[str] = []
    found: dict[str, Member] = {}
    manifest_bytes: bytes | None = None
    try:
        with tarfile.open(path, "r:gz") as tar:
            for info in tar:
                problem = _name_problem(info)
                if problem is None and (info.name in found or (info.name == MANIFEST_NAME and manifest_bytes)):
                    problem = f"备份文件中的成员重复出现：{info.name}"
                if problem is not None:
                    problems.append(problem)
                    continue
                source = tar.extractfile(info)
                if source is None:  # pragma: no cover - a regular file always has content
                    continue
                if info.name == MANIFEST_NAME:
                    manifest_bytes = source.read(_MANIFEST_MAX_BYTES)
                    continue
                keep = into is not None and unpack(info.name)
                found[info.name] = _copy(source, into / info.name if keep and into is not None else None)
    except (tarfile.TarError, EOFError, zlib.error, OSError) as exc:
        problems.append(f"备份文件无法读取（不完整或已损坏）：{exc}")
        return None, problems
    if manifest_bytes is None:
        return None, [*problems, "备份文件中没有清单 manifest.json（不是 zonehero 的备份，或不完整）"]
    try:
        manifest = Manifest.from_json(manifest_bytes)
    except ZoneheroError as exc:
        return None, [*problems, exc.message]
    for name, expected in sorted(manifest.members.items()):
        got = found.get(name)
        if got is None:
            problems.append(f"缺少清单所列的 {name}")
        elif got != expected:
            problems.append(f"{name} 的校验和与清单不符（被改动或已损坏）")
    problems.extend(f"{name} 不在清单中（被添加进备份文件）" for name in sorted(found.keys() - manifest.members.keys()))
    if manifest.database not in manifest.members:
        problems.append(f"清单没有列出数据库快照 {manifest.database}")
    return manifest, problems


def sha256_of(path: Path) -> str:
    """The SHA-256 (hex) of a file, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
