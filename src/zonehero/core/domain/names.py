"""Normalising enterprise names and header text for matching.

Departments type the same name differently: full-width brackets, stray
spaces, traditional characters from a Hong Kong or Taiwan parent's papers.
We compare on a normalised key and keep the name as given for display.
"""

from __future__ import annotations

import re
import unicodedata

_converter = None


def _t2s():  # type: ignore[no-untyped-def]
    """OpenCC's converter, built on first use (it loads dictionaries from disk)."""
    global _converter
    if _converter is None:
        import opencc

        _converter = opencc.OpenCC("t2s")
    return _converter


def to_halfwidth(text: str) -> str:
    """Full-width ASCII forms and the ideographic space to their half-width twins."""
    out = []
    for ch in text:
        code = ord(ch)
        if code == 0x3000:
            out.append(" ")
        elif 0xFF01 <= code <= 0xFF5E:
            out.append(chr(code - 0xFEE0))
        else:
            out.append(ch)
    return "".join(out)


def to_simplified(text: str) -> str:
    """Traditional characters to simplified ones (OpenCC's t2s table)."""
    return str(_t2s().convert(text))


def name_key(name: str) -> str:
    """The key two spellings of one enterprise name share.

    江西鑫通機械有限公司 and ＂江西鑫通机械 有限公司＂ give the same key.
    """
    text = unicodedata.normalize("NFKC", to_halfwidth(str(name)))
    text = to_simplified(text)
    text = re.sub(r"\s+", "", text)
    return text.replace("（", "(").replace("）", ")").upper()


def header_key(header: str) -> str:
    """Normalise a column header: half-width, no spaces, （） as (), lower-case Latin."""
    text = unicodedata.normalize("NFKC", to_halfwidth(str(header)))
    text = re.sub(r"\s+", "", text)
    text = text.replace("（", "(").replace("）", ")").replace("【", "(").replace("】", ")")
    text = text.replace("[", "(").replace("]", ")")
    return text.lower()
