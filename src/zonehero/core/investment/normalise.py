"""Telling two leads for one investor apart from two investors: the keys duplicates are found by.

Staff type the same investor differently: a Hong Kong parent's papers in traditional characters, full-width
brackets and letters from an input method, stray spaces, a code in lower case. First-reporter protection
(首报保护) must see through all of that, or a second reporter takes the credit by retyping a name.
"""

from __future__ import annotations

import re

from zonehero.core.domain.names import name_key, to_halfwidth


def investor_key(name: str) -> str:
    """The key two spellings of one investor share: traditional → simplified (OpenCC), full-width → half-width
    (NFKC), white space removed, case folded. 深圳市華為技術 有限公司 and 深圳市华为技术有限公司 share one."""
    return name_key(name).casefold()


def uscc_key(code: str) -> str:
    """A credit code as compared: half-width, no white space, upper-case (not checked: a lead's code is often
    copied from a business card, and a wrong one only fails to match)."""
    return re.sub(r"\s+", "", to_halfwidth(str(code))).upper()


def code_key(code: str) -> str:
    """A project code as compared: half-width, no white space, upper-case (P-001 and ｐ－００１ are one project)."""
    return re.sub(r"\s+", "", to_halfwidth(str(code))).upper()


def natural_key(text: str) -> tuple[tuple[int, int | str], ...]:
    """Order of 线索编号 for 「the smallest lead_id」: digit runs by value, so L9 comes before L10 and 9 before 10
    (zero-padded codes order the same as text; L01 and L1, equal by value, fall back to the text)."""
    parts = re.findall(r"\d+|\D+", text)
    return (*((0, int(p)) if p.isdigit() else (1, p) for p in parts), (2, text))
