"""统一社会信用代码 (USCC) validation, GB 32100-2015.

An 18-character code: registration authority (1), category (1), region (6),
organisation code (9, GB 11714 with its own check character) and a check
character over the first 17. We verify both checks: the USCC check alone
lets the common dummy ``123456789012345678`` through by coincidence.
"""

from __future__ import annotations

import re

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_VALUE = {c: i for i, c in enumerate(USCC_ALPHABET)}
_USCC_WEIGHTS = [pow(3, i, 31) for i in range(17)]
_ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]
_OLD_LICENCE = re.compile(r"^\d{15}$")


def normalise_uscc(raw: str) -> str:
    """Upper-case, drop all white space and convert full-width forms."""
    from zonehero.core.domain.names import to_halfwidth

    return re.sub(r"\s+", "", to_halfwidth(str(raw))).upper()


def uscc_check_char(first17: str) -> str:
    """The GB 32100-2015 check character for the first 17 characters."""
    total = sum(_USCC_VALUE[c] * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def org_code_check_char(first8: str) -> str:
    """The GB 11714 check character of an organisation code."""
    total = 0
    for c, w in zip(first8, _ORG_WEIGHTS, strict=True):
        value = int(c) if c.isdigit() else ord(c) - ord("A") + 10
        total += value * w
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def uscc_problem(code: str) -> str | None:
    """Why ``code`` (already normalised) is not a valid USCC, or None when it is.

    The message is in Chinese because it goes straight to the analyst.
    """
    if _OLD_LICENCE.match(code):
        return f"「{code}」是15位旧营业执照注册号，不是统一社会信用代码，请向企业索取18位代码"
    if len(code) != 18:
        return f"统一社会信用代码「{code}」应为18位，实际为{len(code)}位"
    bad = sorted({c for c in code if c not in _USCC_VALUE})
    if bad:
        return f"统一社会信用代码「{code}」含有不允许的字符：{''.join(bad)}"
    if not code[2:8].isdigit():
        return f"统一社会信用代码「{code}」第3-8位（行政区划码）应为数字"
    if uscc_check_char(code[:17]) != code[17]:
        return f"统一社会信用代码「{code}」校验位错误（应为 {uscc_check_char(code[:17])}）"
    org = code[8:17]
    if org_code_check_char(org[:8]) != org[8]:
        return f"统一社会信用代码「{code}」中的组织机构代码 {org} 校验位错误"
    return None


def is_valid_uscc(code: str) -> bool:
    """True when ``code`` passes both the USCC and the embedded organisation-code check."""
    return uscc_problem(code) is None


def make_uscc(first16: str) -> str:
    """Complete a code from its first 16 characters (the org-code check is computed).

    Used by the demo generator and tests to build valid codes.
    """
    org8 = first16[8:16]
    first17 = first16 + org_code_check_char(org8)
    return first17 + uscc_check_char(first17)
