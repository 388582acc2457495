"""Every setting is documented: each ``Settings`` field has a row in the README's configuration table."""

from __future__ import annotations

import re
from pathlib import Path

from zonehero.config import Settings

README = Path(__file__).resolve().parents[2] / "README.md"


def test_every_setting_has_a_row_in_the_readme() -> None:
    text = README.read_text(encoding="utf-8")
    first_cells = [line.split("|")[1] for line in text.splitlines() if line.startswith("| `ZONEHERO_")]
    rows = {name for cell in first_cells for name in re.findall(r"ZONEHERO_[A-Z_]+", cell)}
    fields = {f"ZONEHERO_{name.upper()}" for name in Settings.model_fields}
    assert fields - rows == set(), "settings missing from the README's configuration table"
    assert rows - fields == set(), "README rows for settings that do not exist"


def test_only_settings_read_the_environment() -> None:
    """A setting read straight from ``os.environ`` would bypass ``Settings`` (and this table)."""
    src = Path(__file__).resolve().parents[2] / "src" / "zonehero"
    pattern = re.compile(r"\bos\.environ\b|\bgetenv\(|\benviron\[")
    readers = [
        str(path.relative_to(src))
        for path in src.rglob("*.py")
        if path.name != "config.py" and pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert readers == []
