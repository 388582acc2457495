"""Evidence files (证明材料): PDF, JPEG and PNG only, checked by extension AND content.

A file's first bytes must match its extension, so a renamed executable or
spreadsheet is not stored as a "PDF". Scans and photos of certificates are
what an objection needs; formats that carry macros or scripts (Office, OFD)
are refused. Nothing is ever executed or rendered.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePath

from zonehero.config import Settings
from zonehero.errors import InputError, InputProblem
from zonehero.features.imports.storage import UploadedFile, new_folder, safe_name, store_files

MAX_EVIDENCE_FILES = 10

ALLOWED: dict[str, tuple[str, tuple[bytes, ...]]] = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
}
"""extension -> (content type served back, accepted leading bytes)."""

ACCEPT = ",".join([*ALLOWED, *sorted({content_type for content_type, _ in ALLOWED.values()})])
"""The file picker's ``accept`` filter: the same list the server checks (the server still checks the content)."""
TYPES_LABEL = "PDF、JPEG 或 PNG"


def check_evidence(files: Sequence[UploadedFile], max_bytes: int, *, what: str = "证明材料") -> list[str]:
    """Content types of ``files`` in order; InputError listing every file that is refused.

    ``what`` names the files in the count message (证明材料, 附件), so each form speaks of its own files.
    """
    problems: list[InputProblem] = []
    types: list[str] = []
    if len(files) > MAX_EVIDENCE_FILES:
        problems.append(InputProblem(f"{what}最多 {MAX_EVIDENCE_FILES} 个文件"))
    for f in files:
        name = safe_name(f.name)
        ext = PurePath(name).suffix.lower()
        allowed = ALLOWED.get(ext)
        if allowed is None:
            problems.append(InputProblem(f"不支持的文件类型（只能上传 {TYPES_LABEL}）", file=name))
            continue
        content_type, magics = allowed
        if not f.data:
            problems.append(InputProblem("文件是空的", file=name))
        elif len(f.data) > max_bytes:
            problems.append(InputProblem(f"文件过大（上限 {max_bytes // (1024 * 1024)} MB）", file=name))
        elif not any(f.data.startswith(m) for m in magics):
            problems.append(InputProblem(f"文件内容不是 {TYPES_LABEL}，与扩展名不符", file=name))
        types.append(content_type)
    if problems:
        raise InputError(problems)
    return types


@dataclass(frozen=True)
class KeptFile:
    """An evidence file as written under the data folder: what each feature's file row records."""

    name: str
    stored: str
    """Path relative to the data folder."""
    content_type: str
    size: int
    sha256: str

    def columns(self) -> dict[str, str | int]:
        """The five columns every evidence-file table shares (objection, dispute, lead activity)."""
        return {
            "name": self.name,
            "stored": self.stored,
            "content_type": self.content_type,
            "size": self.size,
            "sha256": self.sha256,
        }


def keep_evidence(
    files: Sequence[UploadedFile], *, settings: Settings, folder: str, what: str = "证明材料"
) -> list[KeptFile]:
    """Check every file (type by extension and content, size, count) and only then write them all into a new
    folder under ``settings.data_dir / folder``; one refused file refuses the lot with nothing written.

    The one path by which objections, confirmation disputes and 招商 activities keep their files, so the guard
    cannot drift between them. The caller records a row per :class:`KeptFile` in its own table.
    """
    types = check_evidence(files, settings.evidence_max_bytes, what=what)
    if not files:
        return []
    stored = store_files(settings.data_dir, f"{folder}/{new_folder()}", list(files))
    return [
        KeptFile(name=s.name, stored=s.stored, content_type=t, size=s.size, sha256=s.sha256)
        for s, t in zip(stored, types, strict=True)
    ]
