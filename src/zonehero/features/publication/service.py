"""Publish a draft for 公示 and make a run in 公示 final, with the one 定稿 gate; and the year's land-area 公示
(用地面积公示), published for the same period rule and closed through the same gate (:class:`PeriodGate`)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.orm import Session

from zonehero.clock import today
from zonehero.core.zone import NoticePeriod
from zonehero.errors import Conflict, NotFound, PermissionDenied
from zonehero.features.enterprises import service as enterprises
from zonehero.features.land import service as land
from zonehero.features.land.schemas import LandNoticeRead
from zonehero.features.objections import service as objections
from zonehero.features.publication.schemas import FinalizeGate, LandNoticeGate, PublishGate
from zonehero.features.roles import Actor, Role, require_editor, require_staff
from zonehero.features.runs import service as runs
from zonehero.features.runs.schemas import RunRead
from zonehero.features.schemes import service as schemes
from zonehero.features.zone import service as zone


def finalize_opens_on(notice_end: date) -> date:
    """The first day a notice's gate may open (a run's 定稿, a land notice's 结束公示): the day after its period."""
    return notice_end + timedelta(days=1)


def _period_gate(notice_end: date, open_objections: int, day: date) -> dict[str, object]:
    """The fields of the one gate after a notice period, whatever was published."""
    opens_on = finalize_opens_on(notice_end)
    return {"opens_on": opens_on, "period_over": day >= opens_on, "open_objections": open_objections}


def gate_of(run: RunRead, open_objections: int, day: date) -> FinalizeGate | None:
    """The 定稿 gate of a run already read (None unless it is in 公示 and not superseded)."""
    if run.status != "notice" or run.superseded_by_id is not None or run.notice_end is None:
        return None
    return FinalizeGate.model_validate({"run_id": run.id, **_period_gate(run.notice_end, open_objections, day)})


def finalize_gate(session: Session, actor: Actor, run_id: int, *, on: date | None = None) -> FinalizeGate | None:
    """The gate the run page shows and :func:`finalize_run` enforces."""
    run = runs.get_run(session, actor, run_id)
    return gate_of(run, objections.open_count(session, run.id), on or today())


def publish_gate(session: Session, actor: Actor, run_id: int) -> PublishGate | None:
    """The 发布公示 gate the run page shows and :func:`publish_run` enforces (None unless the run is a draft)."""
    run = runs.get_run(session, actor, run_id)
    if run.status != "draft":
        return None
    current = runs.active_notice(session, actor, run.year)
    if current is None:
        return PublishGate(run_id=run.id, year=run.year)
    is_correction = run.source_run_id == current.id
    return PublishGate(
        run_id=run.id,
        year=run.year,
        current_run_id=current.id,
        is_correction=is_correction,
        open_objections=objections.open_count(session, current.id) if is_correction else 0,
    )


def notice_of(session: Session, run: RunRead) -> NoticePeriod | None:
    """A published run's 公示 as the zone's rule states it (「5 个工作日，至 …」); None for a draft."""
    if run.notice_start is None or run.notice_end is None:
        return None
    return zone.get_profile(session).period_of(run.notice_start, run.notice_end)


def publish_run(
    session: Session, actor: Actor, run_id: int, *, period_days: int | None = None, on: date | None = None
) -> RunRead:
    """Start 公示 of a draft from ``on`` (default today); the run is frozen from now on.

    The period is the zone profile's rule (``notice_period`` days, working or calendar days); ``period_days``
    overrides its length for this publication. A year has one run in 公示 at a time; a corrected run (made from
    an accepted objection on the run in 公示) replaces it, once every other objection on that run has been
    answered.
    """
    require_editor(actor)
    gate = publish_gate(session, actor, run_id)
    if gate is not None and not gate.ready:
        raise Conflict(gate.reason or "不能发布公示")
    period = zone.get_profile(session).notice(on or today(), period_days)
    return runs.start_notice(session, actor, run_id, start=period.start, end=period.end)


def finalize_run(session: Session, actor: Actor, run_id: int, *, on: date | None = None) -> RunRead:
    """公示 → final, once the notice period is over and no objection is open."""
    require_editor(actor)
    run = runs.get_run(session, actor, run_id)
    if run.status == "notice" and run.superseded_by_id is None:
        gate = gate_of(run, objections.open_count(session, run.id), on or today())
        if gate is not None and not gate.ready:
            raise Conflict(gate.reason or "不能定稿")
    return runs.mark_final(session, actor, run_id)


def notice_gates(session: Session, actor: Actor, *, on: date | None = None) -> list[tuple[RunRead, FinalizeGate]]:
    """Every run now in 公示 with its 定稿 gate on ``on`` (default today): the same gate the run page shows."""
    day = on or today()
    out = []
    for run in runs.runs_in_notice(session, actor):
        gate = gate_of(run, objections.open_count(session, run.id), day)
        if gate is not None:
            out.append((run, gate))
    return out


# --- the land-area 公示 (用地面积公示): the same period rule and the same gate as the results' 公示 -----------------


def land_gate_of(notice: LandNoticeRead, open_objections: int, day: date) -> LandNoticeGate | None:
    """The 结束公示 gate of a land notice (None once closed): the results' 定稿 gate, for the land."""
    if notice.status != "notice":
        return None
    return LandNoticeGate.model_validate(
        {"notice_id": notice.id, **_period_gate(notice.notice_end, open_objections, day)}
    )


def land_notice_period(session: Session, notice: LandNoticeRead) -> NoticePeriod:
    """A land notice's period as the zone's rule states it (「5 个工作日，至 …」), as for a run."""
    return zone.get_profile(session).period_of(notice.notice_start, notice.notice_end)


def open_land_notice(session: Session, actor: Actor, year: int) -> LandNoticeRead | None:
    """The year's land notice now in 公示, if any (staff)."""
    require_staff(actor)
    found = land.notices(session, year=year, status="notice")
    return found[0] if found else None


def publish_land_notice(
    session: Session,
    actor: Actor,
    *,
    year: int,
    scheme_version_id: int,
    period_days: int | None = None,
    on: date | None = None,
) -> LandNoticeRead:
    """Publish the year's derived land (每家企业的用地面积及认定明细) for the zone's notice period from ``on``.

    The derivation is the one a draft would make now (the scheme version's ``[land]`` rules on the store's parcels
    and leases, for every enterprise with figures of the year), frozen with the notice: what enterprises saw is
    what is kept. A year has one land notice in 公示 at a time.
    """
    require_editor(actor)
    current = open_land_notice(session, actor, year)
    if current is not None:
        raise Conflict(f"{year} 年度已有公示中的用地面积公示 #{current.id}，请结束后再发布")
    frame = enterprises.year_frame(session, year)
    if frame.height == 0:
        raise Conflict(f"{year} 年度还没有导入数据")
    version, scheme = schemes.version_for_run(session, scheme_version_id)
    _, kept = land.derive_for_run(session, year, scheme.land_rules, frame)
    if kept is None:
        raise Conflict("还没有宗地与租赁登记，没有可公示的用地面积")
    names = dict(zip(frame["uscc"].to_list(), frame["name"].to_list(), strict=True)) if "name" in frame.columns else {}
    # every enterprise of the notice has a name entry ("" when unknown): an enterprise's part is read by JSON path
    # (land.notice_part), and the name's presence is what says the notice lists it
    kept["names"] = {u: names.get(u) or "" for u in [*kept["enterprises"], *kept["given"]]}
    period = zone.get_profile(session).notice(on or today(), period_days)
    return land.create_notice(
        session,
        actor,
        year=year,
        start=period.start,
        end=period.end,
        scheme_version_id=version.id,
        derivation=kept,
    )


def get_land_notice(session: Session, actor: Actor, notice_id: int) -> LandNoticeRead:
    """A land notice: staff see it whole; an enterprise account sees its own part of one it is in (others 404)."""
    if actor.is_staff:
        return land.get_notice(session, notice_id)
    uscc = actor.enterprise_uscc
    if actor.role != Role.ENTERPRISE or not uscc:
        raise NotFound("用地面积公示不存在")
    mine = land.notice_part(session, notice_id, uscc)
    if not mine.includes(uscc):
        raise NotFound("用地面积公示不存在")
    return mine


def land_notices(session: Session, actor: Actor, *, year: int | None = None) -> list[LandNoticeRead]:
    """Land notices newest first: staff see all; an enterprise account those it is in, with only its own part."""
    if not actor.is_staff and actor.role != Role.ENTERPRISE:
        raise PermissionDenied("没有权限查看用地面积公示")
    found = land.notices(session, year=year)
    if actor.is_staff:
        return found
    uscc = actor.enterprise_uscc or ""
    parts = [land.notice_part(session, n.id, uscc) for n in found]
    return [p for p in parts if p.includes(uscc)]


def land_notice_gate(
    session: Session, actor: Actor, notice_id: int, *, on: date | None = None
) -> LandNoticeGate | None:
    """The gate the land notice page shows and :func:`close_land_notice` enforces."""
    require_staff(actor)
    notice = land.get_notice(session, notice_id)
    return land_gate_of(notice, objections.open_count_of_notice(session, notice.id), on or today())


def close_land_notice(session: Session, actor: Actor, notice_id: int, *, on: date | None = None) -> LandNoticeRead:
    """结束公示, once the period is over and every objection is answered: the draft then derives from the
    corrected parcels and leases."""
    require_editor(actor)
    gate = land_notice_gate(session, actor, notice_id, on=on)
    if gate is None:
        raise Conflict("该用地面积公示已结束")
    if not gate.ready:
        raise Conflict(gate.reason or "不能结束公示")
    return land.close_notice(session, actor, notice_id)


def land_notice_warning(session: Session, actor: Actor, run: RunRead) -> str | None:
    """What the run page says of a draft made while a land notice of its year was still in 公示 (None otherwise):
    its land may change when an objection on the land is accepted. A warning, not a block."""
    if not actor.is_staff or run.status != "draft":
        return None
    for notice in land.notices(session, year=run.year):
        if notice.published_at <= run.created_at and (notice.closed_at is None or notice.closed_at > run.created_at):
            return (
                f"本草稿生成时 {run.year} 年度用地面积公示 #{notice.id} 尚在公示中（至 {notice.notice_end}）："
                "用地面积异议采纳后宗地或租赁记录会更正，请在公示结束后重新生成草稿"
            )
    return None


def land_notice_gates(
    session: Session, actor: Actor, *, on: date | None = None
) -> list[tuple[LandNoticeRead, LandNoticeGate]]:
    """Every land notice now in 公示 with its 结束公示 gate on ``on`` (the analyst's to-do)."""
    require_staff(actor)
    day = on or today()
    out = []
    for notice in land.notices(session, status="notice"):
        gate = land_gate_of(notice, objections.open_count_of_notice(session, notice.id), day)
        if gate is not None:
            out.append((notice, gate))
    return out
