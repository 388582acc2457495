"""Industry chains (产业链图谱) and the target library (目标企业库): the one place their rules live.

Chain names: the zone profile's ``industry_chains`` (园区概况) stays the one list of names that projects and 招商
validate against. A chain record adds what a name cannot hold (links, 链主, tags) and may only be made for a name
of that list; the listing walks the profile's names in its order and joins each to its record, so the two cannot
disagree. Renaming or removing a name in the profile leaves its record unlisted (its links kept for when the name
comes back); see docs/chains.md.

Reading is for staff; editing is :func:`may_edit_chains` (the analyst; the coordinator adds the 招商 role there).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session

from zonehero import clock
from zonehero.core.chains.importer import TAG_REGISTRY, TARGET_KIND_LABELS, parse_tags, read_targets
from zonehero.core.ingest.table import read_table
from zonehero.errors import Conflict, InputError, InputProblem, NotFound, PermissionDenied
from zonehero.features.audit import service as audit
from zonehero.features.chains import repository
from zonehero.features.chains.models import ChainLeader, ChainLink, EnterpriseChainTag, IndustryChain, TargetFirm
from zonehero.features.chains.schemas import ChainSummary, ChainView, LinkView, TargetRead, TargetWrite
from zonehero.features.roles import EDITOR_ROLES, STAFF_ROLES, Actor, Role
from zonehero.features.zone import service as zone

MAX_LINKS = 30
__all__ = ["TARGET_KIND_LABELS"]
CHAIN_READERS = STAFF_ROLES | {Role.INVESTMENT}
"""Who reads chains and the target library: staff, and the 招商局, whose work they are."""
CHAIN_EDITORS = EDITOR_ROLES | {Role.INVESTMENT}
"""Who changes them: the analyst (and the operator) and the 招商局, which owns the target library."""
FOLLOWER_ROLES = tuple(sorted(r.value for r in CHAIN_READERS))
"""Accounts that may follow a target firm: the readers (staff and the 招商局)."""


def may_edit_chains(actor: Actor) -> bool:
    """Who changes chains, tags and the target library (:data:`CHAIN_EDITORS`)."""
    return actor.role in CHAIN_EDITORS


def _require_read(actor: Actor) -> None:
    if actor.role not in CHAIN_READERS:
        raise PermissionDenied("没有权限查看此内容")


def _require_edit(actor: Actor) -> None:
    if not may_edit_chains(actor):
        raise PermissionDenied("没有权限修改产业链和目标企业库（需要分析员或招商局角色）")


def chain_names(session: Session) -> tuple[str, ...]:
    """The zone's chains, as the zone profile lists them."""
    return zone.get_profile(session).industry_chains


def _chain(session: Session, chain_id: int) -> IndustryChain:
    chain = repository.get(session, chain_id)
    if chain is None or chain.name not in chain_names(session):
        raise NotFound("产业链不存在")
    return chain


def chain_links(session: Session) -> dict[str, list[str]]:
    """Each of the zone's chains with its links upstream → downstream (empty when it has no record yet)."""
    records = {c.name: c for c in repository.all_chains(session)}
    return {name: [lk.name for lk in records[name].links] if name in records else [] for name in chain_names(session)}


def list_chains(session: Session, actor: Actor) -> list[ChainSummary]:
    """Every chain of the profile with its counts (links, gaps, enterprises, projects, targets)."""
    _require_read(actor)
    records = {c.name: c for c in repository.all_chains(session)}
    enterprises = repository.enterprise_counts(session)
    projects = repository.project_counts(session)
    targets = repository.target_counts(session)
    out = []
    for name in chain_names(session):
        record = records.get(name)
        if record is None:
            out.append(ChainSummary(name, None, 0, 0, 0, projects.get(name, 0), 0))
            continue
        gaps = len(_chain_view(session, record).gaps) if record.links else 0
        out.append(
            ChainSummary(
                name,
                record.id,
                len(record.links),
                gaps,
                enterprises.get(record.id, 0),
                projects.get(name, 0),
                targets.get(record.id, 0),
            )
        )
    return out


def create_chain(session: Session, actor: Actor, name: str) -> int:
    """The record of a profile chain (made once; the existing one's id after that)."""
    _require_edit(actor)
    name = name.strip()
    if name not in chain_names(session):
        raise InputError(
            InputProblem(f"「{name}」不是园区概况中的产业链，请先由系统管理员在园区概况中添加", column="name")
        )
    existing = repository.by_name(session, name)
    if existing is not None:
        return existing.id
    chain = IndustryChain(name=name)
    repository.add(session, chain)
    audit.record(session, actor, "chain.create", "industry_chain", chain.id, after={"name": name})
    return chain.id


def set_links(session: Session, actor: Actor, chain_id: int, names: Sequence[str]) -> None:
    """The chain's links, upstream first: a kept name keeps its tags, a dropped one's tags lose their link."""
    _require_edit(actor)
    chain = _chain(session, chain_id)
    cleaned = list(dict.fromkeys(n.strip() for n in names if n.strip()))
    problems = [
        InputProblem(f"环节名称不能超过 64 个字符：「{n[:20]}…」", column="links") for n in cleaned if len(n) > 64
    ]
    if len(cleaned) > MAX_LINKS:
        problems.append(InputProblem(f"一条产业链最多 {MAX_LINKS} 个环节", column="links"))
    if problems:
        raise InputError(problems)
    before = [lk.name for lk in chain.links]
    existing = {lk.name: lk for lk in chain.links}
    for lk in list(chain.links):
        if lk.name not in cleaned:
            chain.links.remove(lk)
    session.flush()
    repository.clear_project_links(session, chain.name, [n for n in before if n not in cleaned])
    for position, name in enumerate(cleaned, start=1):
        if name in existing:
            existing[name].position = position
        else:
            chain.links.append(ChainLink(name=name, position=position))
    chain.updated_at = clock.utcnow()
    session.flush()
    session.expire(chain, ["links"])
    audit.record(session, actor, "chain.links", "industry_chain", chain.id, before=before, after=cleaned)


def add_leader(session: Session, actor: Actor, chain_id: int, name: str, uscc: str | None = None) -> None:
    """Name a 链主 enterprise of the chain."""
    _require_edit(actor)
    chain = _chain(session, chain_id)
    name, uscc = name.strip(), (uscc or "").strip() or None
    if not name or len(name) > 200:
        raise InputError(InputProblem("链主企业名称应为 1–200 个字符", column="name"))
    if uscc is not None and len(uscc) != 18:
        raise InputError(InputProblem("统一社会信用代码应为 18 位", column="uscc"))
    if any(lead.name == name for lead in chain.leaders):
        raise Conflict(f"「{name}」已是该产业链的链主企业")
    chain.leaders.append(ChainLeader(name=name, uscc=uscc))
    session.flush()
    audit.record(session, actor, "chain.leader_add", "industry_chain", chain.id, after={"name": name, "uscc": uscc})


def delete_leader(session: Session, actor: Actor, chain_id: int, leader_id: int) -> None:
    _require_edit(actor)
    chain = _chain(session, chain_id)
    lead = next((x for x in chain.leaders if x.id == leader_id), None)
    if lead is None:
        raise NotFound("链主企业不存在")
    chain.leaders.remove(lead)
    session.flush()
    audit.record(session, actor, "chain.leader_delete", "industry_chain", chain.id, before={"name": lead.name})


def _tax_per_mu(session: Session, usccs: Sequence[str]) -> tuple[int | None, dict[str, float]]:
    """亩均税收 of these enterprises in the newest final run (only their rows are read)."""
    run = repository.newest_final_run(session)
    if run is None or not usccs:
        return (run[1] if run else None), {}
    values: dict[str, float] = {}
    for uscc, record in repository.result_records(session, run[0], usccs):
        value = (((record or {}).get("indicators") or {}).get("tax_per_mu") or {}).get("value")
        if isinstance(value, int | float) and not isinstance(value, bool):
            values[uscc] = float(value)
    return run[1], values


def _chain_view(session: Session, chain: IndustryChain, *, with_tax: bool = False) -> ChainView:
    tagged = repository.link_enterprises(session, chain.id)
    run_year, tax = _tax_per_mu(session, [u for _, u, _ in tagged]) if with_tax else (None, {})
    projects = repository.link_projects(session, chain.name)
    targets = repository.link_targets(session, chain.id)
    links = []
    for lk in chain.links:
        mine = [(u, n) for lid, u, n in tagged if lid == lk.id]
        values = [tax[u] for u, _ in mine if u in tax]
        count, investment = projects.get(lk.name, (0, 0.0))
        links.append(
            LinkView(
                id=lk.id,
                name=lk.name,
                position=lk.position,
                enterprises=len(mine),
                enterprise_names=[n or u for u, n in mine],
                tax_per_mu=sum(values) / len(values) if values else None,
                projects=count,
                investment=investment,
                targets=targets.get(lk.id, 0),
            )
        )
    leaders = [(x.id, x.name, x.uscc) for x in chain.leaders] if "leaders" in chain.__dict__ else []
    return ChainView(
        id=chain.id,
        name=chain.name,
        note=chain.note,
        links=links,
        leaders=leaders,
        untagged_enterprises=sum(1 for lid, _, _ in tagged if lid is None),
        run_year=run_year,
    )


def chain_view(session: Session, actor: Actor, chain_id: int) -> ChainView:
    """A chain with, per link, the zone's enterprises (and their 亩均税收), projects and targets; the gaps."""
    _require_read(actor)
    return _chain_view(session, _chain(session, chain_id), with_tax=True)


def _chain_and_link(session: Session, chain_name: str, link_name: str | None) -> tuple[IndustryChain, ChainLink | None]:
    if chain_name not in chain_names(session):
        raise InputError(InputProblem(f"「{chain_name}」不是园区概况中的产业链", column="chain"))
    chain = repository.by_name(session, chain_name)
    if chain is None:
        if link_name:
            raise InputError(InputProblem(f"产业链「{chain_name}」尚未设置环节", column="link"))
        return repository.get(session, _create_quietly(session, chain_name)) or _missing(), None
    if not link_name:
        return chain, None
    link = next((lk for lk in chain.links if lk.name == link_name), None)
    if link is None:
        raise InputError(InputProblem(f"产业链「{chain_name}」没有环节「{link_name}」", column="link"))
    return chain, link


def _missing() -> IndustryChain:
    raise NotFound("产业链不存在")


def _create_quietly(session: Session, name: str) -> int:
    """A record for a profile chain that a tag or target names first (its creation is part of that change)."""
    chain = IndustryChain(name=name)
    repository.add(session, chain)
    return chain.id


def tag_enterprise(session: Session, actor: Actor, uscc: str, chain_name: str, link_name: str | None) -> None:
    """Place a zone enterprise on a chain (and link); a second tag on the same chain replaces the link."""
    _require_edit(actor)
    if not repository.enterprise_exists(session, uscc):
        raise NotFound("企业不存在")
    chain, link = _chain_and_link(session, chain_name, link_name)
    _put_tag(session, uscc, chain, link)
    audit.record(
        session, actor, "chain.tag", "enterprise_chain_tag", uscc, after={"chain": chain.name, "link": link_name}
    )


def _put_tag(session: Session, uscc: str, chain: IndustryChain, link: ChainLink | None) -> None:
    tag = repository.tag(session, uscc, chain.id)
    if tag is None:
        repository.add(session, EnterpriseChainTag(uscc=uscc, chain_id=chain.id, link_id=link.id if link else None))
    else:
        tag.link_id = link.id if link else None
        session.flush()


def untag_enterprise(session: Session, actor: Actor, uscc: str, chain_id: int) -> None:
    _require_edit(actor)
    tag = repository.tag(session, uscc, chain_id)
    if tag is None:
        raise NotFound("该企业没有这条产业链的标注")
    repository.delete(session, tag)
    audit.record(session, actor, "chain.untag", "enterprise_chain_tag", uscc, before={"chain_id": chain_id})


def enterprise_tags(session: Session, actor: Actor, uscc: str) -> list[tuple[int, str, str | None]]:
    """(chain id, chain, link) of an enterprise's tags; staff only (an enterprise account sees none of it)."""
    _require_read(actor)
    return [(t.chain_id, c, lk) for t, c, lk in repository.tags_of(session, uscc)]


def preview_tag_import(session: Session, actor: Actor, path: Path | str) -> list[dict[str, Any]]:
    """The rows of a tag sheet, checked against the zone's chains, links and enterprises (nothing written).

    InputError naming the file, row and column of every problem.
    """
    _require_edit(actor)
    table = read_table(path, TAG_REGISTRY)
    in_file = [u for u in table.columns["uscc"].to_list() if u] if "uscc" in table.columns else []
    return parse_tags(table, chain_links(session), repository.known_usccs(session, in_file))


def import_tags(session: Session, actor: Actor, rows: Sequence[Mapping[str, Any]]) -> int:
    """Write previewed tag rows, all or nothing (each is checked again: the chains may have changed)."""
    _require_edit(actor)
    problems: list[InputProblem] = []
    resolved = []
    known = repository.known_usccs(session, [str(r.get("uscc")) for r in rows])
    for r in rows:
        row = int(r.get("row") or 0) or None
        uscc, link_name = str(r.get("uscc") or ""), r.get("link")
        if uscc not in known:
            problems.append(InputProblem(f"企业「{uscc}」不在本园区企业库中", row=row, column="统一社会信用代码"))
            continue
        try:
            chain, link = _chain_and_link(session, str(r.get("chain") or ""), str(link_name) if link_name else None)
        except InputError as exc:
            problems.extend(InputProblem(p.message, row=row, column=p.column) for p in exc.problems)
            continue
        resolved.append((uscc, chain, link))
    if problems:
        raise InputError(problems)
    for uscc, chain, link in resolved:
        _put_tag(session, uscc, chain, link)
    audit.record(session, actor, "chain.tag_import", "enterprise_chain_tag", None, after={"rows": len(resolved)})
    return len(resolved)


def set_project_link(session: Session, actor: Actor, code: str, chain_name: str, link_name: str | None) -> None:
    """A project's chain and link (the link must be one of that chain's)."""
    _require_edit(actor)
    chain, link = _chain_and_link(session, chain_name, link_name)
    row = repository.set_project_link(session, code, chain.name, link.name if link else None)
    if row is None:
        raise NotFound("项目不存在")
    audit.record(
        session, actor, "chain.project_link", "project", code, after={"chain": chain.name, "link": row.industry_link}
    )


def chain_projects(session: Session, actor: Actor, chain_id: int) -> list[tuple[str, str, str | None]]:
    """(code, name, link) of the chain's projects, for the chain page's link form."""
    _require_read(actor)
    return repository.chain_project_codes(session, _chain(session, chain_id).name)


# --- the target library (目标企业库)


def _target_read(session: Session, rows: Sequence[TargetFirm]) -> list[TargetRead]:
    chains, links = repository.names_of(
        session, [r.chain_id for r in rows if r.chain_id], [r.link_id for r in rows if r.link_id]
    )
    users = repository.usernames(session, [r.follower_id for r in rows if r.follower_id])
    out = []
    for r in rows:
        read = TargetRead.model_validate(r)
        out.append(
            read.model_copy(
                update={
                    "chain": chains.get(r.chain_id) if r.chain_id else None,
                    "link": links.get(r.link_id) if r.link_id else None,
                    "follower": users.get(r.follower_id) if r.follower_id else None,
                }
            )
        )
    return out


def list_targets(
    session: Session,
    actor: Actor,
    *,
    chain_id: int | None = None,
    kind: str | None = None,
    follower_id: int | None = None,
    query: str | None = None,
    offset: int = 0,
    limit: int = 50,
) -> tuple[int, list[TargetRead]]:
    """One page of the library (by name) and how many match the filters."""
    _require_read(actor)
    total, rows = repository.targets_page(
        session,
        chain_id=chain_id,
        kind=kind,
        follower_id=follower_id,
        query=(query or "").strip() or None,
        offset=offset,
        limit=min(max(limit, 1), 200),
    )
    return total, _target_read(session, rows)


def get_target(session: Session, actor: Actor, target_id: int) -> TargetRead:
    _require_read(actor)
    row = repository.target(session, target_id)
    if row is None:
        raise NotFound("目标企业不存在")
    return _target_read(session, [row])[0]


def followers(session: Session) -> list[tuple[int, str]]:
    """(id, username) of the accounts that may follow a target (active staff)."""
    return repository.staff_accounts(session, FOLLOWER_ROLES)


def _apply(session: Session, row: TargetFirm, data: TargetWrite) -> None:
    chain_id = link_id = None
    if data.chain:
        chain, link = _chain_and_link(session, data.chain, data.link)
        chain_id, link_id = chain.id, (link.id if link else None)
    elif data.link:
        raise InputError(InputProblem("填写了环节但没有填写产业链", column="chain"))
    follower_id = None
    if data.follower:
        follower_id = repository.staff_user(session, data.follower, FOLLOWER_ROLES)
        if follower_id is None:
            raise InputError(InputProblem(f"跟进人「{data.follower}」不是在用的员工账户", column="follower"))
    row.name, row.uscc, row.kind = data.name, data.uscc, data.kind
    row.chain_id, row.link_id, row.follower_id = chain_id, link_id, follower_id
    row.headquarters, row.revenue, row.employees = data.headquarters, data.revenue, data.employees
    row.source, row.tags, row.note = data.source, data.tags, data.note
    row.updated_at = clock.utcnow()


def _snapshot(read: TargetRead) -> dict[str, Any]:
    return read.model_dump(mode="json", exclude={"created_at", "updated_at", "chain_id", "link_id", "follower_id"})


def create_target(session: Session, actor: Actor, data: TargetWrite) -> int:
    _require_edit(actor)
    if repository.target_by_name(session, data.name) is not None:
        raise Conflict(f"目标企业库中已有「{data.name}」")
    row = TargetFirm()
    _apply(session, row, data)
    repository.add(session, row)
    audit.record(
        session, actor, "target.create", "target_firm", row.id, after=_snapshot(_target_read(session, [row])[0])
    )
    return row.id


def update_target(session: Session, actor: Actor, target_id: int, data: TargetWrite) -> None:
    _require_edit(actor)
    row = repository.target(session, target_id)
    if row is None:
        raise NotFound("目标企业不存在")
    other = repository.target_by_name(session, data.name)
    if other is not None and other.id != row.id:
        raise Conflict(f"目标企业库中已有「{data.name}」")
    before = _snapshot(_target_read(session, [row])[0])
    _apply(session, row, data)
    session.flush()
    after = _snapshot(_target_read(session, [row])[0])
    audit.record(session, actor, "target.update", "target_firm", row.id, before=before, after=after)


def delete_target(session: Session, actor: Actor, target_id: int) -> None:
    _require_edit(actor)
    row = repository.target(session, target_id)
    if row is None:
        raise NotFound("目标企业不存在")
    before = _snapshot(_target_read(session, [row])[0])
    repository.delete(session, row)
    audit.record(session, actor, "target.delete", "target_firm", target_id, before=before)


def preview_target_import(session: Session, actor: Actor, path: Path | str) -> list[dict[str, Any]]:
    """The rows of a target sheet, checked (file, row and column of every problem); nothing written."""
    _require_edit(actor)
    return read_targets(path, chain_links(session), {name for _, name in followers(session)})


def import_targets(session: Session, actor: Actor, rows: Sequence[Mapping[str, Any]]) -> tuple[int, int]:
    """Write previewed rows, all or nothing: a name already in the library is updated, a new one added.

    Each row is checked again (the chains or accounts may have changed since the preview). (added, updated).
    """
    _require_edit(actor)
    problems: list[InputProblem] = []
    writes: list[TargetWrite] = []
    for r in rows:
        row = int(r.get("row") or 0) or None
        try:
            data = TargetWrite.model_validate({k: v for k, v in r.items() if k != "row"})
        except ValidationError as exc:
            for e in exc.errors():
                problems.append(InputProblem(str(e["msg"]), row=row, column=".".join(str(x) for x in e["loc"])))
            continue
        writes.append(data)
    if problems:
        raise InputError(problems)
    added = updated = 0
    for data, r in zip(writes, rows, strict=True):
        existing = repository.target_by_name(session, data.name)
        firm = existing or TargetFirm()
        try:
            _apply(session, firm, data)
        except InputError as exc:
            problems.extend(
                InputProblem(p.message, row=int(r.get("row") or 0) or None, column=p.column) for p in exc.problems
            )
            continue
        if existing is None:
            repository.add(session, firm)
            added += 1
        else:
            updated += 1
    if problems:
        raise InputError(problems)  # the caller's unit of work rolls back what was applied
    session.flush()
    audit.record(session, actor, "target.import", "target_firm", None, after={"added": added, "updated": updated})
    return added, updated
