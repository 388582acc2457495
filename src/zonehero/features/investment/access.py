"""Who may do what with 招商 leads (全员招商: every staff account reports).

* report a lead and read the leads it reported: every business account but an enterprise's (analyst, leader,
  project office, unit, 招商局) and the server's operator;
* read every lead: leaders (领导), the 招商局 (``investment``) and the operator;
* move, log contacts, sign: the 招商局 and the operator (it owns the pipeline);
* import a lead spreadsheet: the analyst and the 招商局;
* enterprise accounts and the three administrators (三员分立): nothing (their requests are refused).
"""

from __future__ import annotations

from dataclasses import dataclass

from zonehero.errors import NotFound, PermissionDenied
from zonehero.features.roles import Actor, Role

REPORTERS: frozenset[Role] = frozenset(
    {Role.ANALYST, Role.LEADER, Role.PROJECT_OFFICE, Role.UNIT, Role.INVESTMENT, Role.OPERATOR}
)
READ_ALL: frozenset[Role] = frozenset({Role.LEADER, Role.INVESTMENT, Role.OPERATOR})
OWNERS: frozenset[Role] = frozenset({Role.INVESTMENT, Role.OPERATOR})
IMPORTERS: frozenset[Role] = frozenset({Role.ANALYST, Role.INVESTMENT, Role.OPERATOR})


@dataclass(frozen=True)
class LeadPermissions:
    """What an account may do in 招商, computed here once; pages and templates only read it."""

    report: bool
    read_all: bool
    own: bool
    """Move leads, log contacts, sign (the 招商局)."""
    import_leads: bool


def permissions_of(actor: Actor | None) -> LeadPermissions:
    role = actor.role if actor is not None else None
    return LeadPermissions(
        report=role in REPORTERS, read_all=role in READ_ALL, own=role in OWNERS, import_leads=role in IMPORTERS
    )


def require_reporter(actor: Actor) -> None:
    if not permissions_of(actor).report:
        raise PermissionDenied("没有权限使用招商线索")


def require_read_all(actor: Actor) -> None:
    """The zone's 招商 figures and briefing: a reporter who reads only its own leads has none to read."""
    if not permissions_of(actor).read_all:
        raise PermissionDenied("只有领导和招商局可以查看招商统计")


def require_owner(actor: Actor) -> None:
    if not permissions_of(actor).own:
        raise PermissionDenied("只有招商局可以推进线索")


def require_importer(actor: Actor) -> None:
    if not permissions_of(actor).import_leads:
        raise PermissionDenied("只有分析员或招商局可以导入线索表")


def not_found(lead_id: int) -> NotFound:
    """The one answer for a lead that does not exist or is someone else's."""
    return NotFound(f"招商线索 #{lead_id} 不存在")
