"""Project permissions: one object (access.permissions_of) that the gates and the pages both read."""

from __future__ import annotations

import pytest

from zonehero.errors import PermissionDenied
from zonehero.features.projects import access
from zonehero.features.roles import Actor, Role


def _allowed(gate: object, actor: Actor) -> bool:
    try:
        gate(actor)  # type: ignore[operator]
    except PermissionDenied:
        return False
    return True


@pytest.mark.parametrize("role", list(Role))
def test_the_permissions_object_is_what_the_gates_enforce(role: Role) -> None:
    actor = Actor(id=1, username=role.value, role=role, unit_name="招商局" if role is Role.UNIT else None)
    p = access.permissions_of(actor)
    assert p.read == _allowed(access.require_reader, actor)
    assert p.read_zone == _allowed(access.require_zone_reader, actor)
    assert p.edit == _allowed(access.require_editor, actor) == access.can_edit(actor)


def test_who_may_do_what() -> None:
    def of(role: Role) -> tuple[bool, bool, bool]:
        p = access.permissions_of(Actor(id=1, username="x", role=role))
        return p.read, p.read_zone, p.edit

    assert of(Role.PROJECT_OFFICE) == of(Role.OPERATOR) == (True, True, True)
    assert of(Role.LEADER) == of(Role.ANALYST) == (True, True, False)
    assert of(Role.UNIT) == (True, False, False)
    assert of(Role.ENTERPRISE) == (False, False, False)
    for administrator in (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN):
        assert of(administrator) == (False, False, False), administrator
    assert access.permissions_of(None) == access.ProjectPermissions(read=False, read_zone=False, edit=False)
