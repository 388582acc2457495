"""The password policy (密码策略) of 等保 2.0 level 3, as a pure check that names everything missing in Chinese.

A password must be at least :data:`MIN_LENGTH` characters, mix at least three of the four character classes
(大写字母, 小写字母, 数字, 符号), not be one of the commonly used passwords shipped in
``zonehero/data/common_passwords.txt`` (compared lower-cased), and not contain the account's user name. Reuse of
one of the last passwords needs the stored hashes, so :mod:`zonehero.features.users.passwords` checks that on top.

The common-password list is the entries of eight characters or more (shorter ones fail the length rule anyway) of
the 20,000 common passwords compiled by Royce Williams and shipped with Django (``django/contrib/auth/
common-passwords.txt.gz``, BSD-3-Clause): lower-cased, de-duplicated, one a line.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

MIN_LENGTH = 8
MAX_LENGTH = 256
MIN_CLASSES = 3
COMMON_PASSWORDS_RESOURCE = "common_passwords.txt"

CLASS_LABELS = ("大写字母", "小写字母", "数字", "符号")
"""The four character classes in the order the message names them."""


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The shipped list of common passwords, lower-cased (read once per process)."""
    text = resources.files("zonehero.data").joinpath(COMMON_PASSWORDS_RESOURCE).read_text("utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip())


def character_classes(password: str) -> tuple[bool, bool, bool, bool]:
    """Which of upper case, lower case, digits and symbols ``password`` uses (anything else counts as a symbol,
    so a Chinese character or a space adds the symbol class)."""
    upper = any(ch.isupper() for ch in password)
    lower = any(ch.islower() for ch in password)
    digit = any(ch.isdigit() for ch in password)
    symbol = any(not (ch.isupper() or ch.islower() or ch.isdigit()) for ch in password)
    return upper, lower, digit, symbol


def password_problems(password: str, username: str | None = None) -> list[str]:
    """Every rule ``password`` breaks, each as a Chinese sentence saying what is missing; empty when it passes.

    All problems are listed at once, so a user fixes them in one go rather than one refusal at a time.
    """
    problems: list[str] = []
    if len(password) < MIN_LENGTH:
        problems.append(f"密码至少需要 {MIN_LENGTH} 个字符（当前 {len(password)} 个）")
    if len(password) > MAX_LENGTH:
        problems.append(f"密码不能超过 {MAX_LENGTH} 个字符")
    if password and password.strip() != password:
        problems.append("密码首尾不能是空白字符")
    classes = character_classes(password)
    if sum(classes) < MIN_CLASSES:
        missing = "、".join(label for label, present in zip(CLASS_LABELS, classes, strict=True) if not present)
        problems.append(f"密码须包含大写字母、小写字母、数字、符号中的至少三类（缺少：{missing}）")
    if password.strip().lower() in common_passwords():
        problems.append("密码过于常见（在常用密码列表中），容易被猜中，请换一个")
    name = (username or "").strip().lower()
    if name and name in password.lower():
        problems.append("密码不能包含用户名")
    return problems
