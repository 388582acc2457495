"""Seed a fresh store with the demo zone (演示数据) for ``zonehero serve --demo``.

Everything goes through the services, as a person would do it. The demo accounts are created; each year's
department files are written under ``<data_dir>/demo-files/<year>/`` (kept for uploading again). The closed years
(2023 and 2024) are imported by the analyst (preview → confirm, so lineage names real files, sheets and rows),
evaluated, published (公示) and made final.

The open year (2025) is told as the year's loop runs in a zone (企业填报 → 部门审核 → 企业确认 → 测算 → 公示):

1. **数据归集** (:mod:`zonehero.demo.collection`): the round is opened, the departments send their files (one
   pushed through the API, one with a wrong file first, 生态环境局 late with nothing sent), and the analyst confirms
   each into the store: these submissions are the year's import.
2. **宗地与租赁** (:mod:`zonehero.demo.land`): the 自然资源局's parcel and lease registers, with polygons, so the
   draft derives each enterprise's land from parcels and leases.
3. **企业确认** (:mod:`zonehero.demo.confirmation`): the round opens on the confirmed figures; a few enterprises
   confirm, one dispute is resolved (accepted), one stays open, the rest count as confirmed at the deadline.
4. **用地面积公示** (:mod:`zonehero.demo.land_notice`): each enterprise's land and its derivation are published; one
   objection is accepted (a lease's area corrected, with its lineage), one rejected, and the notice is closed, so
   the draft is made from the corrected land.
5. **The draft** (测算), with land derived from the parcels, left for a person to publish in the browser.

Then the goals, the 四个一批 projects, 招商, the industrial chains and the 低效用地 register are seeded.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy.orm import Session

from zonehero.config import Settings
from zonehero.core.domain.password_policy import password_problems
from zonehero.demo import write_demo_years
from zonehero.demo.chains import seed_demo_chains
from zonehero.demo.collection import DEPARTMENT_ACCOUNTS, seed_demo_collection
from zonehero.demo.confirmation import seed_demo_confirmation
from zonehero.demo.goals import seed_demo_goals
from zonehero.demo.investment import INVESTMENT_ACCOUNT, seed_demo_investment
from zonehero.demo.land import seed_demo_land
from zonehero.demo.land_notice import seed_demo_land_notice
from zonehero.demo.lowland import seed_demo_lowland
from zonehero.demo.projects import OFFICE_ACCOUNT, UNIT_ACCOUNT, seed_demo_projects
from zonehero.errors import Conflict, InputError
from zonehero.features.decision import service as decision
from zonehero.features.imports import service as imports
from zonehero.features.imports.storage import UploadedFile
from zonehero.features.publication import service as publication
from zonehero.features.roles import SYSTEM, Actor, Role
from zonehero.features.runs import service as runs
from zonehero.features.schemes import service as schemes
from zonehero.features.users import service as users

DEMO_YEARS: tuple[int, ...] = (2023, 2024, 2025)
DEMO_FILES_FOLDER = "demo-files"
STAFF_ACCOUNTS: tuple[tuple[str, Role], ...] = (
    ("sysadmin", Role.SYSTEM_ADMIN),
    ("secadmin", Role.SECURITY_ADMIN),
    ("auditor", Role.AUDIT_ADMIN),
    ("analyst", Role.ANALYST),
    ("leader", Role.LEADER),
)
"""The three administrators (三员分立) and the zone's staff; the enterprise, project office and unit accounts
follow once their data exists, so the demo has one account per role."""
ENTERPRISE_ACCOUNT = "enterprise"


@dataclass(frozen=True)
class DemoSeed:
    """What was seeded: the accounts' shared password, the enterprise account's USCC, runs per year."""

    password: str
    password_generated: bool
    enterprise_uscc: str
    enterprise_name: str | None
    runs: dict[int, tuple[int, str]]
    """year → (run id, status)."""
    files_dir: Path


def store_is_empty(session: Session) -> bool:
    """True when no account exists yet (the demo only seeds a fresh store)."""
    return not users.list_users(session, SYSTEM)


def demo_password(given: str | None) -> tuple[str, bool]:
    """``given`` (from ZONEHERO_DEMO_PASSWORD) or a random one that passes the password policy; the flag says it
    was generated."""
    if given:
        return given, False
    while True:
        password = secrets.token_urlsafe(12)
        names = [name for name, _ in STAFF_ACCOUNTS] + [ENTERPRISE_ACCOUNT, OFFICE_ACCOUNT, UNIT_ACCOUNT]
        names += [name for name, _ in DEPARTMENT_ACCOUNTS]
        names += [INVESTMENT_ACCOUNT]
        if not any(password_problems(password, name) for name in names):
            return password, True


def _actor(session: Session, username: str, password: str, role: Role, uscc: str | None = None) -> Actor:
    read = users.create_user(session, SYSTEM, username, password, role, enterprise_uscc=uscc)
    return Actor(id=read.id, username=read.username, role=Role(read.role), enterprise_uscc=read.enterprise_uscc)


def _import_year(session: Session, analyst: Actor, settings: Settings, year: int, paths: Sequence[Path]) -> None:
    files = [UploadedFile(name=path.name, data=path.read_bytes()) for path in paths]
    preview = imports.preview_import(session, analyst, files, settings=settings, year=year)
    if preview.problems:
        raise InputError(f"演示数据 {year} 年导入失败：{preview.problems[0].message}")
    imports.confirm_import(session, analyst, preview.batch_id, year=year, settings=settings)


def _scheme_version_id(session: Session) -> int:
    schemes.ensure_default_scheme(session)
    newest = schemes.list_schemes(session, SYSTEM)[0]
    return newest.versions[-1].id


def seed_demo(
    session: Session,
    settings: Settings,
    *,
    password: str | None = None,
    enterprises: int = 300,
    seed: int = 1,
    years: Sequence[int] = DEMO_YEARS,
) -> DemoSeed:
    """Seed the demo zone in ``session`` (the caller's unit of work commits it).

    Raises Conflict when the store already has accounts. ``years`` are
    imported in order; all but the last are published and made final (公示
    dated in March of the following year), the last stays a draft.
    """
    if not store_is_empty(session):
        raise Conflict("数据库中已有账户，演示数据只能写入新的数据库")
    password, generated = demo_password(password)
    staff = {username: _actor(session, username, password, role) for username, role in STAFF_ACCOUNTS}
    analyst = staff["analyst"]

    files_dir = settings.data_dir / DEMO_FILES_FOLDER
    written = write_demo_years(files_dir, enterprises, seed=seed, years=tuple(years))
    version_id = _scheme_version_id(session)
    made: dict[int, tuple[int, str]] = {}
    open_year = years[-1]
    for year in years[:-1]:  # the closed years: imported by the analyst, published and made final
        _import_year(session, analyst, settings, year, written[year])
        run = runs.create_draft_run(session, analyst, year=year, scheme_version_id=version_id, note="演示数据")
        published = publication.publish_run(session, analyst, run.id, on=date(year + 1, 3, 1))
        assert published.notice_end is not None
        run = publication.finalize_run(session, analyst, run.id, on=published.notice_end + timedelta(days=1))
        made[year] = (run.id, run.status)
    # The open year, in the order of the year's loop (see the module doc).
    seed_demo_collection(session, settings, analyst, password=password, year=open_year, files=written[open_year])
    seed_demo_land(session, analyst, open_year, seed=seed)
    if made:  # 企业确认 needs a final year's enterprise to leave to the enterprise account
        spare = _demo_enterprise(session, analyst, made, years[:-1])[0]
        seed_demo_confirmation(session, analyst, settings, open_year, spare=spare)
    # The land-area 公示 (用地面积公示) of the open year, after 企业确认 and before the draft, answered and closed: the
    # draft is made from the land as its accepted objection corrected it.
    seed_demo_land_notice(session, analyst, settings, open_year, scheme_version_id=version_id)
    run = runs.create_draft_run(session, analyst, year=open_year, scheme_version_id=version_id, note="演示数据")
    made[open_year] = (run.id, run.status)

    finals = [made[y][0] for y in years if made[y][1] == "final"]
    if finals:  # the newest final run's 升类路径, as its first notices job would keep them: the demo shows them at once
        decision.run_lifts(session, analyst, finals[-1])
    seed_demo_goals(session, analyst, years, seed=seed)
    uscc, name = _demo_enterprise(session, analyst, made, years)
    _actor(session, ENTERPRISE_ACCOUNT, password, Role.ENTERPRISE, uscc)
    projects = seed_demo_projects(session, settings, password=password, seed=seed)
    seed_demo_investment(session, password=password, seed=seed, settings=settings)
    seed_demo_chains(session, analyst, seed=seed)
    seed_demo_lowland(session, analyst, finals, unit_name=projects.unit_name)
    return DemoSeed(password, generated, uscc, name, made, files_dir)


def _demo_enterprise(
    session: Session, actor: Actor, made: dict[int, tuple[int, str]], years: Sequence[int]
) -> tuple[str, str | None]:
    """A class-B enterprise of the last final run (it has a history worth looking at)."""
    finals = [made[y][0] for y in years if made[y][1] == "final"]
    run_id = finals[-1] if finals else made[years[-1]][0]
    for class_ in ("B", "C", "A", None):
        page = runs.list_results(session, actor, run_id, class_=class_, limit=1)
        if page.items:
            return page.items[0].uscc, page.items[0].name
    raise InputError("演示数据中没有可关联的企业")
