"""Evidence files (证明材料): which types are accepted, checked by extension AND content.

A file's first bytes must match its extension, so a renamed executable is
not stored as a "PDF". Office files are accepted because bureaus send
scanned contracts and spreadsheets; nothing is ever executed or rendered.
"""

from __future__ import annotations

from pathlib import PurePath

from zonehero.errors import InputError, InputProblem
from zonehero.features.imports.storage import UploadedFile, safe_name

MAX_EVIDENCE_FILES = 10

ZIP = b"PK\x03\x04"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

ALLOWED: dict[str, tuple[str, tuple[bytes, ...]]] = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (ZIP,)),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (ZIP,)),
    ".xls": ("application/vnd.ms-excel", (OLE,)),
    ".doc": ("application/msword", (OLE,)),
    ".ofd": ("application/ofd", (ZIP,)),
}
"""extension -> (content type served back, accepted leading bytes)."""


def check_evidence(files: list[UploadedFile], max_bytes: int) -> list[str]:
    """Content types of ``files`` in order; InputError listing every file that is refused."""
    problems: list[InputProblem] = []
    types: list[str] = []
    if len(files) > MAX_EVIDENCE_FILES:
        problems.append(InputProblem(f"证明材料最多 {MAX_EVIDENCE_FILES} 个文件"))
    for f in files:
        name = safe_name(f.name)
        ext = PurePath(name).suffix.lower()
        allowed = ALLOWED.get(ext)
        if allowed is None:
            problems.append(InputProblem("不支持的文件类型（可上传 PDF、图片、Word、Excel、OFD）", file=name))
            continue
        content_type, magics = allowed
        if not f.data:
            problems.append(InputProblem("文件是空的", file=name))
        elif len(f.data) > max_bytes:
            problems.append(InputProblem(f"文件过大（上限 {max_bytes // (1024 * 1024)} MB）", file=name))
        elif not any(f.data.startswith(m) for m in magics):
            problems.append(InputProblem("文件内容与扩展名不符", file=name))
        types.append(content_type)
    if problems:
        raise InputError(problems)
    return types
