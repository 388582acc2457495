"""The demo zone's 数据归集: the open year's round, one account per department, and the year's import through it.

The round is opened first; the departments then send the year's files and the analyst confirms each into the store
(确认入库): these confirmed submissions ARE the open year's import, no file of theirs goes in any other way.
税务局, 统计局 (two files) and 自然资源局 upload through their accounts; 供电公司's system pushes its file through the
API with its token (接口推送); 科技局's first file had a wrong 统一社会信用代码 (有错误, kept on the board), its second
is the right one. They are confirmed in an order that gives the figures a single import of all files gives (the
last write of a figure wins in the store): 统计局 before 科技局, whose 研发费用 wins by the default priority, and
税务局 last of them, whose names are the ones shown (the store's figures and names were checked equal to a single
import's on the 300-enterprise zone). 生态环境局 is past its deadline with nothing sent (逾期未报, the round's
one late department) and 应急管理局 still has time: the 一票否决 list (应急生态…名单) is the two bureaus' joint
letter (联合发文), which reaches the zone as a letter, not as one department's file, so the analyst imports it
(数据导入) like any file. The deadlines are set from the zone's day, so the board looks the same whenever the demo
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
from zonehero.errors import InputError
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
SENDERS = ("自然资源局", "供电公司", "统计局", "科技局", "税务局")
"""The departments that send their files, in the order the analyst confirms them (see the module doc)."""
PUSHED = "供电公司"
"""The department whose system pushes its file with an API token instead of its clerk uploading it."""
WITH_PROBLEM = "科技局"
"""Its first file had a wrong code; its second is confirmed."""
LATE = "生态环境局"
JOINT = ("生态环境局", "应急管理局")
"""The joint 一票否决 list's departments: the analyst imports that letter itself."""
DAYS_LEFT = 30
DAYS_LATE = 10
BAD_FILE = "统一社会信用代码,企业名称,高新技术企业\r\n91330100TEST00001X,演示补报企业,是\r\n"
"""科技局's wrong file: a code that is no USCC (the importer names file, row and column)."""


def _account(session: Session, username: str, password: str, department: str) -> Actor:
    read = users.create_user(session, SYSTEM, username, password, Role.DEPARTMENT, department=department)
    return Actor(id=read.id, username=read.username, role=Role.DEPARTMENT, department=department)


def _uploads(paths: Sequence[Path]) -> list[UploadedFile]:
    return [UploadedFile(name=p.name, data=p.read_bytes()) for p in paths]


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
    """Open the round of ``year``, play the departments' part and confirm what they send: the year's import.

    The department accounts by department. InputError when a file the demo wrote does not import (a broken demo)."""
    day = on or today()
    collection.open_round(session, analyst, year, deadline=day + timedelta(days=DAYS_LEFT))
    accounts = {department: _account(session, name, password, department) for name, department in DEPARTMENT_ACCOUNTS}
    board = collection.board(session, analyst, year, on=day)
    late = next(r for r in board.rows if r.department == LATE)
    collection.set_deadline(session, analyst, late.expectation_id, day - timedelta(days=DAYS_LATE))
    by_department: dict[str, list[Path]] = {}
    for path in files:
        by_department.setdefault(department_for(path), []).append(path)
    unsent = sorted(set(by_department) - {*SENDERS, *JOINT})
    if unsent:
        raise InputError(f"演示数据 {year} 年有不属于任何报送部门的文件：{'、'.join(unsent)}")
    bad = UploadedFile(name=f"科技局_{year}年企业资质（补报）.csv", data=BAD_FILE.encode("utf-8"))
    collection.submit(session, accounts[WITH_PROBLEM], year, [bad], settings=settings)
    for department in SENDERS:
        sent = _uploads(by_department.get(department, []))
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
        if receipt.problems:
            raise InputError(f"演示数据 {year} 年{department}报送失败：{receipt.problems[0]}")
        imports.confirm_import(session, analyst, receipt.batch_id, year=year, settings=settings)
    joint = _uploads([p for d in JOINT for p in by_department.get(d, [])])
    if joint:
        preview = imports.preview_import(session, analyst, joint, settings=settings, year=year)
        if preview.problems:
            raise InputError(f"演示数据 {year} 年一票否决名单导入失败：{preview.problems[0].message}")
        imports.confirm_import(session, analyst, preview.batch_id, year=year, settings=settings)
    return accounts
