"""Which files of the data folder a backup carries (上传文件等), and putting them back.

Everything under the data folder is the zone's file store (uploaded department files, objection evidence, site
photos, job results, the demo's files) except what is not the zone's data or travels another way: the SQLite
database and its journal files (the snapshot carries the database), the job queue (work in flight, made again by
whoever submits it), the session signing key (a secret: a restored server makes a new one and everyone logs in
again) and the temporary folders of backups and restores. Symbolic links are skipped.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from sqlalchemy.engine import make_url

from zonehero.config import SECRET_KEY_FILE, Settings
from zonehero.features.backup.archive import sha256_of
from zonehero.features.backup.schemas import FILES_PREFIX, Manifest

TEMP_PREFIX = ".zonehero-"
"""Folders and files made by a backup or a restore while it works; never part of an archive."""
_SQLITE_SIDE_FILES = ("", "-wal", "-shm", "-journal")


def _sqlite_file(settings: Settings) -> Path | None:
    url = make_url(settings.database_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database.startswith("file:"):
        return None
    return None if url.database == ":memory:" else Path(url.database)


def excluded(settings: Settings) -> set[Path]:
    """The paths (resolved) that never go into an archive and that a restore never writes."""
    bases = [settings.job_queue_file]
    database = _sqlite_file(settings)
    if database is not None:
        bases.append(database)
    paths = {Path(f"{base}{suffix}") for base in bases for suffix in _SQLITE_SIDE_FILES}
    paths.add(settings.data_dir / SECRET_KEY_FILE)
    return {path.resolve() for path in paths}


def data_files(settings: Settings, *, also_skip: Iterable[Path] = ()) -> list[tuple[str, Path]]:
    """The files a backup carries: (name relative to the data folder with ``/``, path), in a stable order."""
    root = settings.data_dir
    if not root.is_dir():
        return []
    skip = excluded(settings) | {path.resolve() for path in also_skip}
    found: list[tuple[str, Path]] = []
    for folder, subfolders, names in os.walk(root):
        here = Path(folder)
        subfolders[:] = sorted(d for d in subfolders if not d.startswith(TEMP_PREFIX) and not (here / d).is_symlink())
        for name in sorted(names):
            path = here / name
            if name.startswith(TEMP_PREFIX) or path.is_symlink() or not path.is_file() or path.resolve() in skip:
                continue
            found.append((path.relative_to(root).as_posix(), path))
    return found


def conflicts(manifest: Manifest, settings: Settings) -> list[str]:
    """The archive's files that would overwrite a different file already in the data folder, or a path a restore
    never writes (the database, the key): the restore is refused before anything is written."""
    skip = excluded(settings)
    problems: list[str] = []
    for name in manifest.files:
        target = settings.data_dir / name
        if target.resolve() in skip:
            problems.append(f"{name}（备份不应包含此文件）")
        elif target.is_symlink() or (target.exists() and not target.is_file()):
            problems.append(f"{name}（数据目录中已有同名的非普通文件）")
        elif target.is_file() and sha256_of(target) != manifest.members[FILES_PREFIX + name].sha256:
            problems.append(f"{name}（数据目录中已有内容不同的同名文件）")
    return problems


def put_back(unpacked: Path, manifest: Manifest, settings: Settings) -> int:
    """Move the unpacked files (``unpacked/<name>``, on the data folder's file system) into the data folder; a
    file already there with the same content stays. Returns how many files the archive holds."""
    for name in manifest.files:
        source, target = unpacked / name, settings.data_dir / name
        if target.is_file():
            continue  # conflicts() found it identical
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(source, target)
    return len(manifest.files)


def mismatched(manifest: Manifest, settings: Settings) -> list[str]:
    """The archive's files missing from the data folder or differing from their checksum (after a restore)."""
    bad: list[str] = []
    for name in manifest.files:
        target = settings.data_dir / name
        if not target.is_file() or sha256_of(target) != manifest.members[FILES_PREFIX + name].sha256:
            bad.append(name)
    return bad
