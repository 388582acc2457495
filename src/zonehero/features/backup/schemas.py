"""What a backup archive says about itself (its manifest) and what the commands report."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Final, Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from zonehero.errors import ZoneheroError

FORMAT: Final = "zonehero-backup"
FORMAT_VERSION: Final = 1
MANIFEST_NAME = "manifest.json"
DATABASE_PREFIX = "database/"
FILES_PREFIX = "files/"
SQLITE_MEMBER = f"{DATABASE_PREFIX}zonehero.sqlite3"
POSTGRES_MEMBER = f"{DATABASE_PREFIX}zonehero.pgdump"

EngineName = Literal["sqlite", "postgresql"]


class Member(BaseModel):
    """One file of the archive: its size and SHA-256 (hex)."""

    model_config = ConfigDict(frozen=True)

    size: int
    sha256: str


class Manifest(BaseModel):
    """The archive's table of contents (``manifest.json``), written last, read first by verify and restore.

    ``tables`` are the row counts of the snapshot itself (counted inside the snapshot's own transaction on
    PostgreSQL, in the snapshot file on SQLite), so they describe exactly what a restore must give back.
    """

    model_config = ConfigDict(frozen=True)

    format: Literal["zonehero-backup"] = FORMAT
    format_version: Literal[1] = FORMAT_VERSION
    zonehero_version: str
    created_at: datetime
    engine: EngineName
    revision: str
    """The Alembic revision of the snapshot (``alembic_version``)."""
    database: str
    """The member holding the database snapshot (a SQLite file, or a ``pg_dump`` custom-format dump)."""
    tables: dict[str, int]
    members: dict[str, Member]
    """Every member but the manifest itself."""

    @property
    def files(self) -> list[str]:
        """The data folder's files (paths relative to the data folder, with ``/``)."""
        return sorted(name.removeprefix(FILES_PREFIX) for name in self.members if name.startswith(FILES_PREFIX))

    @property
    def rows(self) -> int:
        return sum(self.tables.values())

    def to_json(self) -> bytes:
        return json.dumps(self.model_dump(mode="json"), ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8")

    @classmethod
    def from_json(cls, data: bytes) -> Manifest:
        """The manifest in ``data``; ZoneheroError when it is not one this version can read."""
        try:
            return cls.model_validate_json(data)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(part) for part in first["loc"]) or "manifest"
            raise ZoneheroError(f"备份清单（manifest.json）无法识别：{where} {first['msg']}") from None


class BackupReport(BaseModel):
    """A backup written: where, from which engine and revision, how much."""

    path: Path
    engine: EngineName
    revision: str
    tables: int
    rows: int
    files: int
    size: int
    sha256: str
    """Of the whole archive, to note beside it (e.g. in the operations log)."""


class ArchiveCheck(BaseModel):
    """What ``zonehero backup verify`` found: the manifest (when readable) and every problem, in Chinese."""

    path: Path
    manifest: Manifest | None
    problems: list[str]

    @property
    def ok(self) -> bool:
        return self.manifest is not None and not self.problems


class RestoreReport(BaseModel):
    """A restore done: from which engine into which, how much, and what the operator still has to do."""

    source_engine: EngineName
    target_engine: EngineName
    revision: str
    tables: int
    rows: int
    files: int
    audit_entry_id: int | None
    """The ``backup.restore`` entry appended after the check (None when the store needs an upgrade first)."""
    needs_upgrade: bool
    """The snapshot is older than this version of zonehero: run ``zonehero db upgrade`` before serving."""
