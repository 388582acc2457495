"""The demo zone's 数据归集: a round for the open year, one account per department, the board half done.

The open year's department files (already written for the analyst's own import) are sent again by the
departments, as a real round would bring them: 税务局 and 自然资源局 are confirmed by the analyst; 统计局 and
供电公司 (whose system pushes its file through the API with its token, 接口推送) wait for confirmation; 科技局
sent a file with a wrong 统一社会信用代码 (有错误); 生态环境局 is past its deadline with nothing sent (逾期未报);
应急管理局 still has time. The deadlines are set from the zone's day, so the board looks the same whenever the demo
is seeded.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy.orm import Session

from zonehero.clock import today
from zonehero.config import Settings
from zonehero.core.ingest.sources import department_for
from zonehero.features.collection import service as collection
from zonehero.features.imports import service as imports
from zonehero.features.imports.storage import UploadedFile
from zonehero.features.roles import SYSTEM, Actor, Role
from zonehero.features.users import service as users

DEPARTMENT_ACCOUNTS: tuple[tuple[str, str], ...] = (
    ("tax-bureau", "税务局"),
    ("power-company", "供电公司"),
    ("stats-bureau", "统计局"),
    ("land-bureau", "自然资源局"),
    ("science-bureau", "科技局"),
    ("env-bureau", "生态环境局"),
    ("safety-bureau", "应急管理局"),
)
"""(user name, department) of the demo's department accounts (部门填报员)."""
CONFIRMED = ("税务局", "自然资源局")
WAITING = ("统计局", "供电公司")
PUSHED = "供电公司"
"""The department whose system pushes its file with an API token instead of its clerk uploading it."""
WITH_PROBLEM = "科技局"
LATE = "生态环境局"
DAYS_LEFT = 30
DAYS_LATE = 10
BAD_FILE = "统一社会信用代码,企业名称,高新技术企业\r\n91330100TEST00001X,演示补报企业,是\r\n"
"""科技局's wrong file: a code that is no USCC (the importer names file, row and column)."""


def _account(session: Session, username: str, password: str, department: str) -> Actor:
    read = users.create_user(session, SYSTEM, username, password, Role.DEPARTMENT, department=department)
    return Actor(id=read.id, username=read.username, role=Role.DEPARTMENT, department=department)


def seed_demo_collection(
    session: Session,
    settings: Settings,
    analyst: Actor,
    *,
    password: str,
    year: int,
    files: Sequence[Path],
    on: date | None = None,
) -> dict[str, Actor]:
    """Open the round of ``year`` and play the departments' part; the department accounts by department."""
    day = on or today()
    collection.open_round(session, analyst, year, deadline=day + timedelta(days=DAYS_LEFT))
    accounts = {department: _account(session, name, password, department) for name, department in DEPARTMENT_ACCOUNTS}
    board = collection.board(session, analyst, year, on=day)
    late = next(r for r in board.rows if r.department == LATE)
    collection.set_deadline(session, analyst, late.expectation_id, day - timedelta(days=DAYS_LATE))
    by_department: dict[str, list[Path]] = {}
    for path in files:
        by_department.setdefault(department_for(path), []).append(path)
    for department in (*CONFIRMED, *WAITING):
        sent = [UploadedFile(name=p.name, data=p.read_bytes()) for p in by_department.get(department, [])]
        if not sent:
            continue
        if department == PUSHED:
            token = collection.create_token(session, analyst, department).token
            sender, token_id = collection.token_actor(session, token)
            receipt = collection.submit(
                session, sender, year, sent, settings=settings, channel="api", token_id=token_id
            )
        else:
            receipt = collection.submit(session, accounts[department], year, sent, settings=settings)
        if department in CONFIRMED and not receipt.problems:
            imports.confirm_import(session, analyst, receipt.batch_id, year=year, settings=settings)
    bad = UploadedFile(name=f"科技局_{year}年企业资质（补报）.csv", data=BAD_FILE.encode("utf-8"))
    collection.submit(session, accounts[WITH_PROBLEM], year, [bad], settings=settings)
    return accounts
