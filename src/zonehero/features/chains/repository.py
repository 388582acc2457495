"""Queries of chains, links, tags and target firms, and the per-link counts the chain page reads.

The counts are grouped in the database: a chain page reads one row per link, never every project or result.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session, selectinload

from zonehero.features.chains.models import ChainLeader, ChainLink, EnterpriseChainTag, IndustryChain, TargetFirm
from zonehero.features.enterprises.models import Enterprise
from zonehero.features.projects.models import ProjectRow
from zonehero.features.runs.models import EvaluationRun, RunResult
from zonehero.features.users.models import User


def all_chains(session: Session) -> Sequence[IndustryChain]:
    return session.scalars(select(IndustryChain).options(selectinload(IndustryChain.links))).all()


def get(session: Session, chain_id: int) -> IndustryChain | None:
    stmt = (
        select(IndustryChain)
        .where(IndustryChain.id == chain_id)
        .options(selectinload(IndustryChain.links), selectinload(IndustryChain.leaders))
    )
    return session.scalar(stmt)


def by_name(session: Session, name: str) -> IndustryChain | None:
    return session.scalar(
        select(IndustryChain).where(IndustryChain.name == name).options(selectinload(IndustryChain.links))
    )


def link(session: Session, link_id: int) -> ChainLink | None:
    return session.get(ChainLink, link_id)


def leader(session: Session, leader_id: int) -> ChainLeader | None:
    return session.get(ChainLeader, leader_id)


def add(session: Session, obj: object) -> None:
    session.add(obj)
    session.flush()


def delete(session: Session, obj: object) -> None:
    session.delete(obj)
    session.flush()


def enterprise_exists(session: Session, uscc: str) -> bool:
    return session.scalar(select(Enterprise.uscc).where(Enterprise.uscc == uscc)) is not None


def known_usccs(session: Session, usccs: Iterable[str]) -> set[str]:
    wanted = sorted(set(usccs))
    found: set[str] = set()
    for i in range(0, len(wanted), 500):
        found.update(session.scalars(select(Enterprise.uscc).where(Enterprise.uscc.in_(wanted[i : i + 500]))))
    return found


def tag(session: Session, uscc: str, chain_id: int) -> EnterpriseChainTag | None:
    return session.scalar(
        select(EnterpriseChainTag).where(EnterpriseChainTag.uscc == uscc, EnterpriseChainTag.chain_id == chain_id)
    )


def tags_of(session: Session, uscc: str) -> list[tuple[EnterpriseChainTag, str, str | None]]:
    """(tag, chain name, link name) of an enterprise."""
    stmt = (
        select(EnterpriseChainTag, IndustryChain.name, ChainLink.name)
        .join(IndustryChain, IndustryChain.id == EnterpriseChainTag.chain_id)
        .outerjoin(ChainLink, ChainLink.id == EnterpriseChainTag.link_id)
        .order_by(IndustryChain.name)
    )
    return [(t, c, link_name) for t, c, link_name in session.execute(stmt.where(EnterpriseChainTag.uscc == uscc))]


def enterprise_counts(session: Session) -> dict[int, int]:
    """Tagged enterprises per chain id."""
    stmt = select(EnterpriseChainTag.chain_id, func.count()).group_by(EnterpriseChainTag.chain_id)
    return {int(c): int(n) for c, n in session.execute(stmt)}


def project_counts(session: Session) -> dict[str, int]:
    """Projects per chain name."""
    stmt = (
        select(ProjectRow.industry_chain, func.count())
        .where(ProjectRow.industry_chain.is_not(None))
        .group_by(ProjectRow.industry_chain)
    )
    return {str(c): int(n) for c, n in session.execute(stmt)}


def target_counts(session: Session) -> dict[int, int]:
    stmt = (
        select(TargetFirm.chain_id, func.count()).where(TargetFirm.chain_id.is_not(None)).group_by(TargetFirm.chain_id)
    )
    return {int(c or 0): int(n) for c, n in session.execute(stmt)}


def link_enterprises(session: Session, chain_id: int) -> list[tuple[int | None, str, str | None]]:
    """(link id, uscc, name) of the chain's tagged enterprises (a chain tags hundreds at most, not the zone)."""
    stmt = (
        select(EnterpriseChainTag.link_id, EnterpriseChainTag.uscc, Enterprise.name)
        .join(Enterprise, Enterprise.uscc == EnterpriseChainTag.uscc)
        .where(EnterpriseChainTag.chain_id == chain_id)
        .order_by(Enterprise.name, EnterpriseChainTag.uscc)
    )
    return [(lid, uscc, name) for lid, uscc, name in session.execute(stmt)]


def link_projects(session: Session, chain_name: str) -> dict[str | None, tuple[int, float]]:
    """(count, total investment) of the chain's projects per link name (None: no link)."""
    stmt = (
        select(ProjectRow.industry_link, func.count(), func.coalesce(func.sum(ProjectRow.total_investment), 0.0))
        .where(ProjectRow.industry_chain == chain_name)
        .group_by(ProjectRow.industry_link)
    )
    return {lk: (int(n), float(total or 0.0)) for lk, n, total in session.execute(stmt)}


def link_targets(session: Session, chain_id: int) -> dict[int | None, int]:
    stmt = select(TargetFirm.link_id, func.count()).where(TargetFirm.chain_id == chain_id).group_by(TargetFirm.link_id)
    return {lid: int(n) for lid, n in session.execute(stmt)}


def newest_final_run(session: Session) -> tuple[int, int] | None:
    """(id, year) of the final run of the latest year that has one."""
    row = session.execute(
        select(EvaluationRun.id, EvaluationRun.year)
        .where(EvaluationRun.status == "final")
        .order_by(EvaluationRun.year.desc(), EvaluationRun.id.desc())
        .limit(1)
    ).first()
    return (int(row[0]), int(row[1])) if row is not None else None


def result_records(session: Session, run_id: int, usccs: Sequence[str]) -> list[tuple[str, Any]]:
    """(uscc, §8 record) of the run's results for these enterprises only."""
    out: list[tuple[str, Any]] = []
    for i in range(0, len(usccs), 500):
        stmt = select(RunResult.uscc, RunResult.record).where(
            RunResult.run_id == run_id, RunResult.uscc.in_(list(usccs[i : i + 500]))
        )
        out.extend((u, r) for u, r in session.execute(stmt))
    return out


def target(session: Session, target_id: int) -> TargetFirm | None:
    return session.get(TargetFirm, target_id)


def target_by_name(session: Session, name: str) -> TargetFirm | None:
    return session.scalar(select(TargetFirm).where(TargetFirm.name == name))


def _target_filters(
    stmt: Select[Any], *, chain_id: int | None, kind: str | None, follower_id: int | None, query: str | None
) -> Select[Any]:
    if chain_id is not None:
        stmt = stmt.where(TargetFirm.chain_id == chain_id)
    if kind is not None:
        stmt = stmt.where(TargetFirm.kind == kind)
    if follower_id is not None:
        stmt = stmt.where(TargetFirm.follower_id == follower_id)
    if query:
        escaped = query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        like = f"%{escaped}%"
        stmt = stmt.where(
            or_(
                TargetFirm.name.like(like, escape="\\"),
                TargetFirm.tags.like(like, escape="\\"),
                TargetFirm.headquarters.like(like, escape="\\"),
            )
        )
    return stmt


def targets_page(
    session: Session,
    *,
    chain_id: int | None,
    kind: str | None,
    follower_id: int | None,
    query: str | None,
    offset: int,
    limit: int,
) -> tuple[int, Sequence[TargetFirm]]:
    """One page of target firms (by name) and the total matching."""
    count = select(func.count()).select_from(TargetFirm)
    total = session.scalar(_target_filters(count, chain_id=chain_id, kind=kind, follower_id=follower_id, query=query))
    stmt = _target_filters(select(TargetFirm), chain_id=chain_id, kind=kind, follower_id=follower_id, query=query)
    stmt = stmt.order_by(TargetFirm.name, TargetFirm.id)
    return int(total or 0), session.scalars(stmt.offset(offset).limit(limit)).all()


def names_of(
    session: Session, chain_ids: Iterable[int], link_ids: Iterable[int]
) -> tuple[dict[int, str], dict[int, str]]:
    chains = {
        i: n
        for i, n in session.execute(
            select(IndustryChain.id, IndustryChain.name).where(IndustryChain.id.in_(set(chain_ids)))
        )
    }
    links = {
        i: n for i, n in session.execute(select(ChainLink.id, ChainLink.name).where(ChainLink.id.in_(set(link_ids))))
    }
    return chains, links


def usernames(session: Session, user_ids: Iterable[int]) -> dict[int, str]:
    ids = set(user_ids)
    if not ids:
        return {}
    return {i: n for i, n in session.execute(select(User.id, User.username).where(User.id.in_(ids)))}


def staff_user(session: Session, username: str, roles: Iterable[str]) -> int | None:
    """The id of an active account of a staff role with this name."""
    return session.scalar(
        select(User.id).where(User.username == username, User.role.in_(list(roles)), User.active.is_(True))
    )


def staff_accounts(session: Session, roles: Iterable[str]) -> list[tuple[int, str]]:
    stmt = (
        select(User.id, User.username).where(User.role.in_(list(roles)), User.active.is_(True)).order_by(User.username)
    )
    return [(i, n) for i, n in session.execute(stmt)]


def set_project_link(session: Session, code: str, chain: str, link_name: str | None) -> ProjectRow | None:
    row = session.scalar(select(ProjectRow).where(ProjectRow.code == code))
    if row is not None:
        row.industry_chain = chain
        row.industry_link = link_name
        session.flush()
    return row


def clear_project_links(session: Session, chain: str, links: Iterable[str]) -> None:
    """Projects on links a chain no longer has lose their link (they keep the chain)."""
    names = list(links)
    if names:
        for row in session.scalars(
            select(ProjectRow).where(ProjectRow.industry_chain == chain, ProjectRow.industry_link.in_(names))
        ):
            row.industry_link = None
        session.flush()


def chain_project_codes(session: Session, chain: str, limit: int = 500) -> list[tuple[str, str, str | None]]:
    """(code, name, link) of the chain's projects, by code (bounded: a chain holds tens of projects)."""
    stmt = (
        select(ProjectRow.code, ProjectRow.name, ProjectRow.industry_link)
        .where(ProjectRow.industry_chain == chain)
        .order_by(ProjectRow.code)
        .limit(limit)
    )
    return [(c, n, lk) for c, n, lk in session.execute(stmt)]
