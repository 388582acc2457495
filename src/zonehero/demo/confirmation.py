"""The demo zone's 企业确认 of its open year: a round open for three more weeks, a few enterprises that confirmed,
one dispute still open (用地面积) and one resolved (accepted, so its figure carries the dispute as its source).

The enterprises taken are the last by USCC on the board's first page, never the demo enterprise account's own
(``spare``), so that account can still confirm or dispute in the demo and in the browser tests.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from zonehero.clock import today
from zonehero.config import Settings
from zonehero.features.confirmation import service as confirmation
from zonehero.features.imports.storage import UploadedFile
from zonehero.features.roles import Actor, Role

OPEN_DAYS = 21
CONFIRMED = 5
AGREEMENT = UploadedFile(
    "土地收回协议.pdf",
    b"%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\n"
    b"trailer <</Root 1 0 R>>\n%%EOF\n",
)
"""The open dispute's evidence: a minimal PDF (the demo shows that evidence is kept and downloaded)."""
SOCIAL_SECURITY = UploadedFile("社保缴纳证明.pdf", AGREEMENT.data)


def _enterprise(uscc: str) -> Actor:
    """The enterprise as the demo speaks for it (no account is created for these)."""
    return Actor(id=None, username=f"演示企业 {uscc[-6:]}", role=Role.ENTERPRISE, enterprise_uscc=uscc)


def seed_demo_confirmation(
    session: Session, analyst: Actor, settings: Settings, year: int, *, spare: str | None
) -> None:
    """Open ``year``'s round and answer it for a few enterprises (before the year's draft is made)."""
    day = today()
    confirmation.open_round(session, analyst, year=year, deadline=day + timedelta(days=OPEN_DAYS), on=day)
    rows = confirmation.board(session, analyst, year, limit=200, on=day).rows
    usccs = [r.uscc for r in rows if r.uscc != spare][-(CONFIRMED + 2) :]
    if len(usccs) < CONFIRMED + 2:
        return
    disputed, resolved, confirmed = usccs[0], usccs[1], usccs[2:]
    for uscc in confirmed:
        confirmation.confirm(session, _enterprise(uscc), year, on=day)
    land = _figure(session, analyst, disputed, year, "land_area_mu")
    if land is not None:
        confirmation.dispute(
            session, _enterprise(disputed), year, reason="厂区东侧 5 亩已于年初交还园区，见收回协议。",
            proposed={"land_area_mu": round(max(land - 5.0, 1.0), 2)}, files=[AGREEMENT], settings=settings, on=day,
        )  # fmt: skip
    employees = _figure(session, analyst, resolved, year, "employees")
    if employees is not None:
        answer = confirmation.dispute(
            session, _enterprise(resolved), year, reason="统计口径有误，年平均职工人数以社保缴纳人数为准。",
            proposed={"employees": int(employees) + 12}, files=[SOCIAL_SECURITY], settings=settings, on=day,
        )  # fmt: skip
        accepted = "经核对社保缴纳记录，予以采纳。"
        confirmation.accept_dispute(session, analyst, answer.disputes[0].id, resolution=accepted)


def _figure(session: Session, analyst: Actor, uscc: str, year: int, field: str) -> float | None:
    found = confirmation.enterprise_confirmation(session, analyst, uscc, year).figures
    value = next((f.value for f in found if f.field == field), None)
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None
