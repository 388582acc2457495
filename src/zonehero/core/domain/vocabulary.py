"""One vocabulary for the words cells use to say yes, no, nothing and "total" (是/否/无/合计).

Every importer (department files, project files, later parcels and leads) and every hand-entered correction (an
accepted 异议) reads cells with these lists, so a word means the same everywhere: 「无」 is a missing value (no
figure), never "no"; 「有」 is yes. Compared after clean-up (full-width folded, trimmed) and lower-casing.
"""

from __future__ import annotations

import re

MISSING_TOKENS: tuple[str, ...] = (
    "", "-", "--", "—", "——", "–", "/", "\\", "无", "暂无", "n/a", "na", "#n/a", "null", "none",
)  # fmt: skip
"""Cell texts that mean 'no value'."""

YES_WORDS: frozenset[str] = frozenset({"是", "有", "y", "yes", "t", "true", "1", "1.0", "√", "✓", "✔", "已纳统"})
NO_WORDS: frozenset[str] = frozenset({"否", "n", "no", "f", "false", "0", "0.0", "×", "✗", "✘", "x", "未纳统"})

BOOL_VALUES: dict[str, bool] = {**dict.fromkeys(YES_WORDS, True), **dict.fromkeys(NO_WORDS, False)}
"""Every accepted spelling of yes and no."""

TOTAL_LABEL = r"^(合计|总计|小计|总合计|全部合计|累计|total|subtotal|sum)[:：]?$"
"""A label cell of a total row (合计/小计 …), which no importer reads as a record."""

_TOTAL = re.compile(TOTAL_LABEL)


def is_total_label(text: str) -> bool:
    """Whether a cleaned, lower-cased cell text labels a total row."""
    return bool(_TOTAL.match(re.sub(r"\s+", "", text)))
