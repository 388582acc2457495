"""Argon2id password hashing (argon2-cffi defaults, RFC 9106 low-memory profile) and the password policy's check.

The rules themselves are pure (:mod:`zonehero.core.domain.password_policy`); reuse of one of the last
:data:`HISTORY_SIZE` passwords needs their hashes, so :func:`reused` is here beside the hasher.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from zonehero.core.domain.password_policy import MAX_LENGTH, MIN_LENGTH, password_problems
from zonehero.errors import InputError, InputProblem

MIN_PASSWORD_LENGTH = MIN_LENGTH
MAX_PASSWORD_LENGTH = MAX_LENGTH
HISTORY_SIZE = 5
"""A new password may be none of the account's last five (the current one included)."""
REUSED_MESSAGE = f"新密码不能与最近 {HISTORY_SIZE} 次使用过的密码相同"


@lru_cache(maxsize=1)
def _hasher() -> PasswordHasher:
    return PasswordHasher()


def check_password_policy(password: str, username: str | None = None) -> None:
    """Refuse a weak password with every reason at once (InputError on the ``password`` column)."""
    problems = password_problems(password, username)
    if problems:
        raise InputError([InputProblem(message, column="password") for message in problems])


def reused(password: str, previous_hashes: Iterable[str]) -> bool:
    """Whether ``password`` matches one of the given hashes (the account's current and recent passwords)."""
    return any(verify_password(stored, password) for stored in previous_hashes)


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
