"""Who may do what with projects (四个一批).

* read every project: analyst, leader, project_office (项目办), the 招商局 (whose signings feed 签约一批) and the
  server's operator (the CLI);
* a ``unit`` account (责任单位) reads only the projects it is responsible
  for or owns a difficulty of; any other project is answered as not found;
* edit projects, progress, milestones, difficulties, close a month:
  project_office (and the operator's CLI import);
* update a difficulty's status and resolution: also the unit that owns it;
* closed monthly reports (the whole zone): every reader but a unit account;
* enterprise accounts and the three administrators (三员分立): nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from zonehero.errors import NotFound, PermissionDenied
from zonehero.features.roles import Actor, Role

READERS: frozenset[Role] = frozenset(
    {Role.ANALYST, Role.LEADER, Role.PROJECT_OFFICE, Role.UNIT, Role.INVESTMENT, Role.OPERATOR}
)
ZONE_READERS: frozenset[Role] = frozenset(
    {Role.ANALYST, Role.LEADER, Role.PROJECT_OFFICE, Role.INVESTMENT, Role.OPERATOR}
)
EDITORS: frozenset[Role] = frozenset({Role.PROJECT_OFFICE, Role.OPERATOR})
SIGNERS: frozenset[Role] = frozenset({Role.PROJECT_OFFICE, Role.INVESTMENT, Role.OPERATOR})
"""May put a signed 招商 lead into the library (the 招商局 signs; the project office edits it afterwards)."""


@dataclass(frozen=True)
class ProjectPermissions:
    """What an account may do in 项目调度, computed here once; pages and templates only read it."""

    read: bool
    """Open the project pages at all (a unit account: its own projects only)."""
    read_zone: bool
    """See the whole zone's figures: closed months and their reports (not a unit account)."""
    edit: bool
    """Change project records, upload progress, close a month."""


def permissions_of(actor: Actor | None) -> ProjectPermissions:
    """The account's permissions in 项目调度 (nothing for nobody or an enterprise account)."""
    role = actor.role if actor is not None else None
    return ProjectPermissions(read=role in READERS, read_zone=role in ZONE_READERS, edit=role in EDITORS)


def require_reader(actor: Actor) -> None:
    """Any project reader (a unit account sees only its own projects, see :func:`is_unit`)."""
    if not permissions_of(actor).read:
        raise PermissionDenied("没有权限查看项目调度")


def require_zone_reader(actor: Actor) -> None:
    """Readers of the whole zone's figures (closed monthly reports); not a unit account."""
    if not permissions_of(actor).read_zone:
        raise PermissionDenied("没有权限查看全区调度报告")


def require_editor(actor: Actor) -> None:
    """Only the project office changes project records."""
    if not can_edit(actor):
        raise PermissionDenied("没有权限修改项目（需要项目办角色）")


def require_signer(actor: Actor) -> None:
    """Creating a project from a signing, or raising its investment by a 增资 (招商局 or project office)."""
    if actor.role not in SIGNERS:
        raise PermissionDenied("没有权限将签约项目入库（需要招商局或项目办角色）")


def can_edit(actor: Actor) -> bool:
    """The gate of every project change; the same answer as ``permissions_of(actor).edit``."""
    return permissions_of(actor).edit


def is_unit(actor: Actor) -> bool:
    """A responsible unit's account, limited to its own projects."""
    return actor.role == Role.UNIT


def not_found(code: str) -> NotFound:
    """The one answer for a project that does not exist or may not be seen."""
    return NotFound(f"项目「{code}」不存在")


def can_update_difficulty(actor: Actor, owner_unit: str) -> bool:
    """The office updates any difficulty; a unit account those it owns."""
    return can_edit(actor) or (is_unit(actor) and actor.unit_name == owner_unit)
