"""Argon2id password hashing (argon2-cffi defaults, RFC 9106 low-memory profile)."""

from __future__ import annotations

from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from zonehero.errors import InputError, InputProblem

MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 256


@lru_cache(maxsize=1)
def _hasher() -> PasswordHasher:
    return PasswordHasher()


def check_password_policy(password: str) -> None:
    """Refuse passwords too short to resist guessing (or absurdly long ones)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InputError(InputProblem(f"密码至少需要 {MIN_PASSWORD_LENGTH} 个字符", column="password"))
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InputError(InputProblem(f"密码不能超过 {MAX_PASSWORD_LENGTH} 个字符", column="password"))
    if password.strip() != password or not password.strip():
        raise InputError(InputProblem("密码首尾不能是空白字符", column="password"))


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """True when ``password`` matches; a malformed hash counts as a mismatch."""
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher().check_needs_rehash(password_hash)


DUMMY_HASH = "$argon2id$v=19$m=65536,t=3,p=4$cQB7i9+l+UMOuFmH/6RuUg$frQHS2luEmDyV5YMCq2UTVnE7K5FZDOoNf/cTPgnQOA"
"""Verified against for unknown usernames so that a log-in takes as long whether or not the account exists."""
