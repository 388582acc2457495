"""Production hashes passwords with argon2-cffi's defaults (RFC 9106 low-memory); tests use cheap costs.

Every other test hashes with ``tests/conftest.py``'s cheap hasher; this one puts the application's own back.
"""

from __future__ import annotations

from argon2 import extract_parameters
from argon2.profiles import RFC_9106_LOW_MEMORY

from zonehero.features.users import passwords


def test_production_hashes_with_the_rfc_9106_low_memory_costs(production_hashing: None) -> None:
    stored = passwords.hash_password("Correct-Horse-Battery-9")
    assert stored.startswith("$argon2id$")
    assert extract_parameters(stored) == RFC_9106_LOW_MEMORY
    assert passwords.verify_password(stored, "Correct-Horse-Battery-9")
    assert not passwords.needs_rehash(stored)


def test_the_unknown_user_hash_costs_what_a_real_one_does(production_hashing: None) -> None:
    """A log-in of an unknown name verifies against DUMMY_HASH: the same costs, so it takes as long."""
    assert extract_parameters(passwords.DUMMY_HASH) == RFC_9106_LOW_MEMORY


def test_the_tests_hash_cheaply_by_default() -> None:
    assert extract_parameters(passwords.hash_password("Correct-Horse-Battery-9")).memory_cost == 256
