"""Reading the parcel register (宗地表) and the lease register (租赁表) into records.

Both are registries of the shared kind (:class:`~zonehero.core.domain.registry.Registry`) read by the one
spreadsheet reader (:func:`zonehero.core.ingest.table.read_table`), as the project library is: Chinese labels,
English keys and aliases as headers, title and units rows, an area header in 平方米, 亩 or 公顷 converted to m²
(an unknown unit refused), 合计 and note rows skipped. What is left here is what only parcels and leases know: a
parcel number given twice, a status word, a lease with no area, an end before its start, a lessor letting to itself.
Every problem of a file is raised together as one :class:`InputError` naming the file, the row as the spreadsheet
numbers it and the column as its header is written; nothing is returned from a file with a problem. Checks across
the two files (a lease on an unknown parcel, overlapping leases) are the derivation's
(:func:`zonehero.core.land.derive.check_land`), so they hold for records from the store too.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from zonehero.core.domain.registry import Column, Registry
from zonehero.core.domain.vocabulary import clean_word
from zonehero.core.ingest.table import Table, read_table
from zonehero.core.land.model import STATUS_LABELS, STATUS_WORDS, Lease, Origin, Parcel, ParcelStatus
from zonehero.errors import InputError, InputProblem

__all__ = [
    "LEASE_REGISTRY",
    "PARCEL_REGISTRY",
    "lease_row_problems",
    "parse_leases",
    "parse_parcels",
    "read_leases",
    "read_parcels",
]

PARCEL_COLUMNS: tuple[Column, ...] = (
    Column(
        "parcel_no",
        "宗地编号",
        "text",
        aliases=("宗地号", "宗地代码", "地块编号", "地块号", "parcel", "parcel number", "parcel id"),
        required=True,
    ),
    Column(
        "certificate_no",
        "不动产权证号",
        "text",
        aliases=("不动产权证书号", "不动产证号", "土地证号", "权证号", "certificate", "certificate number"),
    ),
    Column("location", "坐落", "text", aliases=("宗地坐落", "土地坐落", "地址", "位置")),
    Column(
        "area_m2",
        "宗地面积",
        "number",
        "area_m2",
        aliases=("土地面积", "地块面积", "用地面积", "面积", "area"),
        required=True,
        nonnegative=True,
    ),
    Column("use", "用途", "text", aliases=("土地用途", "规划用途", "land use")),
    Column(
        "holder_uscc",
        "权利人统一社会信用代码",
        "uscc",
        aliases=("权利人信用代码", "权利人社会信用代码", "统一社会信用代码", "信用代码", "uscc", "holder"),
        required=True,
    ),
    Column("holder_name", "权利人名称", "text", aliases=("权利人", "企业名称", "holder name")),
    Column("acquired", "取得日期", "date", aliases=("取得时间", "登记日期", "acquired date")),
    Column("status", "状态", "text", aliases=("宗地状态", "土地状态", "使用状态")),
)

LEASE_COLUMNS: tuple[Column, ...] = (
    Column(
        "parcel_no",
        "宗地编号",
        "text",
        aliases=("宗地号", "宗地代码", "地块编号", "地块号", "parcel", "parcel number", "parcel id"),
        required=True,
    ),
    Column(
        "lessor_uscc",
        "出租方统一社会信用代码",
        "uscc",
        aliases=("出租方信用代码", "出租人统一社会信用代码", "出租方社会信用代码", "lessor"),
        required=True,
    ),
    Column(
        "lessee_uscc",
        "承租方统一社会信用代码",
        "uscc",
        aliases=("承租方信用代码", "承租人统一社会信用代码", "承租方社会信用代码", "lessee"),
        required=True,
    ),
    Column(
        "area_m2",
        "租赁面积",
        "number",
        "area_m2",
        aliases=("出租面积", "承租面积", "leased area", "area"),
        nonnegative=True,
    ),
    Column("share", "租赁比例", "percent", aliases=("租赁份额", "出租比例", "承租比例", "share")),
    Column("start", "起始日期", "date", aliases=("租赁起始日期", "起租日期", "开始日期", "start date"), required=True),
    Column("end", "终止日期", "date", aliases=("租赁终止日期", "到期日期", "结束日期", "end date")),
    Column("contract_no", "合同编号", "text", aliases=("租赁合同编号", "合同号", "contract", "contract number")),
)

PARCEL_REGISTRY = Registry(
    "宗地表", PARCEL_COLUMNS, anchor="parcel_no", identity=("parcel_no", "holder_name"), refuse_duplicate_headers=True
)
"""The parcel register: one parcel a row, keyed by its number."""

LEASE_REGISTRY = Registry(
    "租赁表", LEASE_COLUMNS, anchor="parcel_no", identity=("parcel_no",), refuse_duplicate_headers=True
)
"""The lease register: one lease a row (a parcel may have several)."""


def _origin(table: Table, row: int) -> Origin:
    headers = {c.key: table.header(c.key) for c in table.registry.columns}
    return Origin(table.file, table.sheet, row, headers)


def _status(text: Any) -> ParcelStatus | None:
    if text is None:
        return ParcelStatus.IN_USE
    return STATUS_WORDS.get(clean_word(str(text)))


def parse_parcels(table: Table) -> list[Parcel]:
    """Parcels from a table read against :data:`PARCEL_REGISTRY`; refuses with every problem found."""
    if table.layout.problems:  # a header problem is raised at once, before every row would repeat it
        raise InputError(table.problems)
    problems = list(table.problems)
    seen: dict[str, int] = {}
    parcels: list[Parcel] = []
    for row, data in table.records():
        origin = _origin(table, row)
        number = data.get("parcel_no")
        if number in seen:
            problems.append(origin.problem(f"宗地编号「{number}」与第 {seen[number]} 行重复", "parcel_no"))
        elif number:
            seen[number] = row
        holder, area = data.get("holder_uscc"), data.get("area_m2")
        if holder is None and (row, "holder_uscc") not in table.failed:
            problems.append(origin.problem("缺少权利人统一社会信用代码", "holder_uscc"))
        if area is None and (row, "area_m2") not in table.failed:
            problems.append(origin.problem("缺少宗地面积", "area_m2"))
        elif area is not None and area <= 0:
            problems.append(origin.problem("宗地面积须大于 0", "area_m2"))
        status = _status(data.get("status"))
        if status is None:
            words = "、".join(STATUS_LABELS.values())
            problems.append(origin.problem(f"「{data.get('status')}」不是宗地状态；应为 {words} 之一", "status"))
        if not number or holder is None or area is None or status is None:
            continue
        parcels.append(
            Parcel(
                number=number,
                holder_uscc=holder,
                area_m2=area,
                status=status,
                certificate_no=data.get("certificate_no"),
                location=data.get("location"),
                use=data.get("use"),
                holder_name=data.get("holder_name"),
                acquired=data.get("acquired"),
                origin=origin,
            )
        )
    _raise(problems)
    return parcels


def lease_row_problems(lease: Lease) -> list[tuple[str, str]]:
    """(column key, message) of what is wrong with one lease on its own: the rule for a file row and a stored one."""
    problems: list[tuple[str, str]] = []
    if lease.lessor_uscc == lease.lessee_uscc:
        problems.append(("lessee_uscc", f"出租方与承租方相同（{lease.lessor_uscc}）"))
    if lease.end is not None and lease.end < lease.start:
        problems.append(("end", f"终止日期 {lease.end.isoformat()} 早于起始日期 {lease.start.isoformat()}"))
    if lease.area_m2 is None and lease.share_percent is None:
        problems.append(("area_m2", "缺少租赁面积或租赁比例（至少填一项）"))
    elif lease.area_m2 is not None and lease.area_m2 <= 0:
        problems.append(("area_m2", "租赁面积须大于 0"))
    elif lease.area_m2 is None and lease.share_percent is not None and lease.share_percent <= 0:
        problems.append(("share", "租赁比例须大于 0"))
    return problems


def parse_leases(table: Table) -> list[Lease]:
    """Leases from a table read against :data:`LEASE_REGISTRY`; refuses with every problem found."""
    if table.layout.problems:
        raise InputError(table.problems)
    if table.layout.column_for("area_m2") is None and table.layout.column_for("share") is None:
        raise InputError(table.problem("缺少「租赁面积」或「租赁比例」列（至少需要一列）", table.layout.header_row + 1))
    problems = list(table.problems)
    leases: list[Lease] = []
    for row, data in table.records():
        origin = _origin(table, row)
        missing = False
        for key, what in (("lessor_uscc", "出租方"), ("lessee_uscc", "承租方"), ("start", "起始日期")):
            if data.get(key) is None:
                missing = True
                if (row, key) not in table.failed:
                    problems.append(origin.problem(f"缺少{what}" + ("" if key == "start" else "统一社会信用代码"), key))
        if missing or not data.get("parcel_no") or any((row, k) in table.failed for k in ("area_m2", "share", "end")):
            continue
        lease = Lease(
            parcel_no=data["parcel_no"],
            lessor_uscc=data["lessor_uscc"],
            lessee_uscc=data["lessee_uscc"],
            start=data["start"],
            end=data.get("end"),
            area_m2=data.get("area_m2"),
            share_percent=data.get("share"),
            contract_no=data.get("contract_no"),
            origin=origin,
        )
        row_problems = lease_row_problems(lease)
        problems += [origin.problem(message, key) for key, message in row_problems]
        if not row_problems:
            leases.append(lease)
    _raise(problems)
    return leases


def _raise(problems: list[InputProblem]) -> None:
    if problems:
        raise InputError(sorted(problems, key=lambda p: (p.file or "", p.row or 0)))


def read_parcels(path: Path | str) -> list[Parcel]:
    """Read a parcel register (CSV or workbook)."""
    return parse_parcels(read_table(path, PARCEL_REGISTRY))


def read_leases(path: Path | str) -> list[Lease]:
    """Read a lease register (CSV or workbook)."""
    return parse_leases(read_table(path, LEASE_REGISTRY))
