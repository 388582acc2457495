"""Named personas (design.md) and the test world, committed once per test session.

The world is the demo zone in small (40 enterprises) seeded through
``zonehero.demo.seed``: 2023 final, 2024 a draft. ``enterprise_a`` and
``enterprise_b`` are accounts of two enterprises in it; ``anonymous`` is a
visitor who has not logged in.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session
from web_projects import ProjectPlaces, project_places

from zonehero.config import Settings
from zonehero.core.domain.uscc import make_uscc
from zonehero.demo.seed import seed_demo
from zonehero.features.investment.models import LeadActivityFileRow, LeadActivityRow, LeadRow
from zonehero.features.roles import SYSTEM, Role
from zonehero.features.runs import service as runs
from zonehero.features.users import service as users

PASSWORD = "Richtig-Pferd-42"
ROLES = ("anonymous", "sysadmin", "secadmin", "auditor", "analyst", "leader", "enterprise_a", "enterprise_b")
USCC_UNKNOWN = make_uscc("9133010000000099")
COLLECTION_YEAR = 2024
MINUTES_PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n%%EOF\n"
"""The world's 会议纪要 attachment (see :func:`_lead_attachment`)."""
"""The world's open year: the demo opens its 数据归集 round there (department personas such as ``tax-bureau``)."""


@dataclass(frozen=True)
class World:
    uscc_a: str
    uscc_b: str
    final_run: int
    draft_run: int
    projects: ProjectPlaces | None = None
    analyst_lead: int | None = None
    """A 招商 lead the demo analyst reported (its own; the 招商局 and leaders read it, other reporters do not)."""
    analyst_lead_file: int | None = None
    """An attachment (附件) of a visit logged on ``analyst_lead``: downloadable by whoever may see that lead."""

    def placeholders(self) -> dict[str, object]:
        return {
            "uscc_a": self.uscc_a,
            "uscc_b": self.uscc_b,
            "unknown_uscc": USCC_UNKNOWN,
            "final_run": self.final_run,
            "draft_run": self.draft_run,
            "draft_year": 2024,
            "missing_run": 999_999,
            "collection_year": COLLECTION_YEAR,
            "missing_upload": "0" * 32,
            "analyst_lead": self.analyst_lead,
            "missing_lead": 999_999,
            "analyst_lead_file": self.analyst_lead_file,
        } | (self.projects.placeholders() if self.projects else {})


def create_world(session: Session, settings: Settings) -> World:
    """Seed the small demo zone and the two enterprise personas."""
    seeded = seed_demo(session, settings, password=PASSWORD, enterprises=40, years=(2023, 2024))
    final_run, draft_run = seeded.runs[2023][0], seeded.runs[2024][0]
    results = runs.list_results(session, SYSTEM, final_run, order="uscc", limit=2)
    uscc_a, uscc_b = (r.uscc for r in results.items)
    for username, uscc in (("enterprise_a", uscc_a), ("enterprise_b", uscc_b)):
        users.create_user(session, SYSTEM, username, PASSWORD, Role.ENTERPRISE, enterprise_uscc=uscc)
    lead = session.scalar(select(LeadRow.id).where(LeadRow.reporter_name == "analyst").order_by(LeadRow.id))
    lead_file = _lead_attachment(session, settings, lead) if lead is not None else None
    return World(uscc_a, uscc_b, final_run, draft_run, project_places(session), lead, lead_file)


def _lead_attachment(session: Session, settings: Settings, lead_id: int) -> int:
    """A visit with one PDF on the analyst's lead. Its row names the file by its absolute path under the world's
    data folder, so the app of every test (each with a data folder of its own) serves the same bytes."""
    visit = LeadActivityRow(
        lead_id=lead_id, kind="visit", happened_on=date(2024, 6, 3), staff="李局", created_by="test"
    )
    session.add(visit)
    session.flush()
    path = settings.data_dir / "uploads" / "investment" / "world" / "会议纪要.pdf"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(MINUTES_PDF)
    row = LeadActivityFileRow(
        activity_id=visit.id,
        name=path.name,
        stored=str(path),
        content_type="application/pdf",
        size=len(MINUTES_PDF),
        sha256=hashlib.sha256(MINUTES_PDF).hexdigest(),
    )
    session.add(row)
    session.flush()
    return row.id
