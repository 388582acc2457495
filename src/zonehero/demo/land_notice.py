"""The demo zone's land-area 公示 (用地面积公示) of its open year, before the draft: published a month ago, one
tenant's objection accepted (its lease's area corrected, lineage 用地公示异议 #id), one holder's rejected, and the
notice closed; so the year's draft derives its land from the corrected lease and shows where the change came from.

The enterprises speak through the demo (no account is created for them), as in the demo's 企业确认.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from zonehero.clock import today
from zonehero.config import Settings
from zonehero.features.imports.storage import UploadedFile
from zonehero.features.land import service as land
from zonehero.features.land.schemas import LandNoticeRead
from zonehero.features.objections import service as objections
from zonehero.features.publication import service as publication
from zonehero.features.roles import Actor, Role

DAYS_AGO = 30
"""The notice starts this many days before the demo is seeded: its period (a few working days) is long over."""
CORRECTED_SHARE = 0.9
"""The accepted objection's corrected lease area: 90% of the registered one (the rest went back to the lessor)."""
CONTRACT = UploadedFile(
    "租赁合同补充协议.pdf",
    b"%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\n"
    b"trailer <</Root 1 0 R>>\n%%EOF\n",
)


def _enterprise(uscc: str) -> Actor:
    return Actor(id=None, username=f"演示企业 {uscc[-6:]}", role=Role.ENTERPRISE, enterprise_uscc=uscc)


def seed_demo_land_notice(
    session: Session, analyst: Actor, settings: Settings, year: int, *, scheme_version_id: int
) -> LandNoticeRead | None:
    """Publish, answer and close ``year``'s land notice (None when the zone has no lease to correct)."""
    leases = land.list_leases(session, analyst)
    if len(leases) < 2:
        return None
    start = today() - timedelta(days=DAYS_AGO)
    notice = publication.publish_land_notice(session, analyst, year=year, scheme_version_id=scheme_version_id, on=start)
    first, second = leases[0], leases[1]
    corrected = round((first.area_m2 or 0.0) * CORRECTED_SHARE, 2)
    accepted = objections.file_land_objection(
        session,
        _enterprise(first.lessee_uscc),
        notice.id,
        f"补充协议约定自年初起租用面积减为 {corrected:,.2f} 平方米，其余交还出租方，见补充协议。",
        [CONTRACT],
        settings=settings,
        on=start,
        items=[f"lease:{first.parcel_no}:in:{first.lessor_uscc}"],
    )
    objections.accept_land_objection(
        session,
        analyst,
        accepted.id,
        answer="经核对租赁合同补充协议，采纳；租赁面积已更正。",
        lease_id=first.id,
        changes={"area_m2": str(corrected)},
    )
    rejected = objections.file_land_objection(
        session,
        _enterprise(second.lessor_uscc),
        notice.id,
        "出租部分不应从本企业用地中扣除。",
        settings=settings,
        on=start,
    )
    objections.reject_objection(
        session, analyst, rejected.id, answer="按评价方案，出租土地计入承租方用地面积，出租方相应扣除；不予采纳。"
    )
    return publication.close_land_notice(session, analyst, notice.id, on=notice.notice_end + timedelta(days=1))
