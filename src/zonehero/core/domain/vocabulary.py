"""One vocabulary for the words cells use to say yes, no, nothing and "total" (是/否/无/合计).

Every importer (department files, project files, later parcels and leads) and every hand-entered correction (an
accepted 异议) reads cells with these lists, so a word means the same everywhere: 「无」 is a missing value (no
figure), never "no"; 「有」 is yes. Compared after clean-up (full-width folded, white space removed) and
lower-casing. The column parsers of :mod:`zonehero.core.ingest.values` apply the same lists to whole columns; the
cell functions here serve a single value (a correction typed into a form, a date cell).

What a missing value becomes is the reader's business, not the word's: a number or a date is left empty, a
是/否 flag on import reads as 否 (an empty cell says "not flagged"), a correction stores no value.
"""

from __future__ import annotations

import re
from typing import Any

from zonehero.core.domain.names import to_halfwidth

MISSING_TOKENS: tuple[str, ...] = (
    "", "-", "--", "—", "——", "–", "/", "\\", "无", "暂无", "n/a", "na", "#n/a", "null", "none",
)  # fmt: skip
"""Cell texts that mean 'no value'."""

YES_WORDS: frozenset[str] = frozenset({"是", "有", "y", "yes", "t", "true", "1", "1.0", "√", "✓", "✔", "已纳统"})
NO_WORDS: frozenset[str] = frozenset({"否", "n", "no", "f", "false", "0", "0.0", "×", "✗", "✘", "x", "未纳统"})

BOOL_VALUES: dict[str, bool] = {**dict.fromkeys(YES_WORDS, True), **dict.fromkeys(NO_WORDS, False)}
"""Every accepted spelling of yes and no."""

TOTAL_WORDS: tuple[str, ...] = ("合计", "总计", "小计", "总合计", "全部合计", "累计", "total", "subtotal", "sum")
"""The label of a total row (合计/小计 …), which no importer reads as a record; a colon may follow."""

TOTAL_LABEL = rf"^({'|'.join(TOTAL_WORDS)})[:：]?$"
"""A cleaned, lower-cased label cell of a total row."""

_TOTAL = re.compile(TOTAL_LABEL)


def is_total_label(text: str) -> bool:
    """Whether a cleaned, lower-cased cell text labels a total row."""
    return bool(_TOTAL.match(re.sub(r"\s+", "", text)))


def clean_word(text: str) -> str:
    """A cell's text as the lists above hold it: half-width, no white space, lower-case."""
    return re.sub(r"\s+", "", to_halfwidth(text)).lower()


def is_missing(value: Any) -> bool:
    """Whether a cell or a typed value says "no value": None, empty, or a missing token (-, /, 无 …)."""
    if value is None:
        return True
    return isinstance(value, str) and clean_word(value) in MISSING_TOKENS
