"""The service-layer view of an account (:class:`~zonehero.features.roles.Actor`), in one place for every module
of the feature."""

from __future__ import annotations

from zonehero.features.roles import Actor, Role
from zonehero.features.users.models import User


def actor_of(user: User) -> Actor:
    """The service-layer view of an account."""
    return Actor(
        id=user.id,
        username=user.username,
        role=Role(user.role),
        enterprise_uscc=user.enterprise_uscc,
        unit_name=user.unit_name,
        department=user.department,
    )
