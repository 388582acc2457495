"""Keyset cursors of the results list (游标分页): where the next page starts, as an opaque token.

OFFSET paging makes the database walk every row before the page, so page 2,000 of a province's list cost
thousands of times page 1. A page reached by 下一页 instead starts after the previous page's last row: the
cursor carries that row's sort key, and the query seeks to it through the order's index. The token is the key
as JSON in URL-safe base64; a token that does not decode to a key of the right shape is an input error (422),
never a 500.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence

from zonehero.errors import InputError, InputProblem

Key = tuple[str | int | float | bool, ...]
MAX_CURSOR_LENGTH = 512


def encode(key: Sequence[object]) -> str:
    """The token of a sort key (a row's values of its order's key expressions)."""
    raw = json.dumps(list(key), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def _is(value: object, kind: type) -> bool:
    if kind is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, kind)


def decode(token: str, kinds: Sequence[type]) -> Key:
    """The sort key of ``token``, which must have one value of each of ``kinds`` (the order's key types)."""
    problem = InputError(InputProblem("分页游标无效，请从第一页重新翻页", column="after"))
    if len(token) > MAX_CURSOR_LENGTH:
        raise problem
    try:
        value = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise problem from None
    if not isinstance(value, list) or len(value) != len(kinds):
        raise problem
    if not all(_is(v, kind) for v, kind in zip(value, kinds, strict=True)):
        raise problem
    return tuple(value)
