"""What a generated document is: its file name (Chinese, as a person saves it) and its bytes."""

from __future__ import annotations

import re
from typing import NamedTuple

PDF_MEDIA_TYPE = "application/pdf"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ZIP_MEDIA_TYPE = "application/zip"
MEDIA_TYPES: dict[str, str] = {".pdf": PDF_MEDIA_TYPE, ".xlsx": XLSX_MEDIA_TYPE, ".zip": ZIP_MEDIA_TYPE}

_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


class Document(NamedTuple):
    """A document ready to send or save: ``filename, content = document`` unpacks it."""

    filename: str
    content: bytes

    @property
    def media_type(self) -> str:
        """The Content-Type named by the file's suffix."""
        suffix = self.filename[self.filename.rfind(".") :].lower()
        return MEDIA_TYPES.get(suffix, "application/octet-stream")


def safe_name(text: str) -> str:
    """``text`` with the characters file systems refuse replaced by ``_``."""
    return _UNSAFE.sub("_", text).strip(" .") or "文书"
