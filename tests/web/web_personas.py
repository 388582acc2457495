"""Named personas (design.md): their accounts are committed once per test session.

``enterprise_a`` and ``enterprise_b`` are tied to two enterprises of the test
world; ``anonymous`` is a visitor who has not logged in.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from zonehero.domain.uscc import make_uscc
from zonehero.users import service as users
from zonehero.users.roles import SYSTEM, Role

PASSWORD = "Richtig-Pferd-42"

USCC_A = make_uscc("9133010000000001")
USCC_B = make_uscc("9133010000000002")
USCC_UNKNOWN = make_uscc("9133010000000099")

PERSONAS: dict[str, tuple[Role, str | None]] = {
    "admin": (Role.ADMIN, None),
    "analyst": (Role.ANALYST, None),
    "leader": (Role.LEADER, None),
    "enterprise_a": (Role.ENTERPRISE, USCC_A),
    "enterprise_b": (Role.ENTERPRISE, USCC_B),
}
ROLES = ("anonymous", *PERSONAS)


def create_personas(session: Session) -> None:
    for username, (role, uscc) in PERSONAS.items():
        users.create_user(session, SYSTEM, username, PASSWORD, role, enterprise_uscc=uscc)
