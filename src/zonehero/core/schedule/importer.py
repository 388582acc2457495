"""Reading the project spreadsheet and the monthly progress spreadsheet into records.

Headers may be English keys or Chinese labels, matched after
``header_key`` normalisation; a unit in the header (总投资(亿元), 用地(平方米))
is converted to the canonical unit, and an unknown unit is refused. Every
problem in a file is collected and raised together as one
:class:`InputError`, each naming the file, the row as the spreadsheet numbers
it, and the column as written in the header. Nothing is returned from a file
with a problem.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from zonehero.core.domain.names import header_key, to_halfwidth
from zonehero.core.domain.registry import Column
from zonehero.core.domain.units import known_units, unit_factor
from zonehero.core.domain.uscc import normalise_uscc, uscc_problem
from zonehero.core.domain.vocabulary import is_total_label
from zonehero.core.schedule import values
from zonehero.core.schedule.model import DEFAULT_INDUSTRY_CHAINS, Milestone, MilestoneKind, ProgressReport, Project
from zonehero.core.schedule.stages import order_problems
from zonehero.core.schedule.tables import RawTable, read_table
from zonehero.core.zone.profile import unknown_chain_message
from zonehero.errors import InputError, InputProblem

Kind = Literal["text", "number", "date", "uscc", "bool", "month", "percent"]

HEADER_SEARCH_ROWS = 10


PROJECT_COLUMNS: tuple[Column, ...] = (
    Column("code", "项目编号", "text", aliases=("项目代码", "编号", "项目序号"), required=True),
    Column("name", "项目名称", "text", aliases=("名称",), required=True),
    Column("investor", "投资方", "text", aliases=("投资主体", "投资企业", "投资单位", "投资方名称", "建设单位")),
    Column(
        "investor_uscc", "投资方信用代码", "uscc", aliases=("投资方统一社会信用代码", "统一社会信用代码", "信用代码")
    ),
    Column("industry_chain", "产业链", "text", aliases=("所属产业链", "产业链条", "chain")),
    Column(
        "total_investment",
        "总投资",
        "number",
        "money_10k_yuan",
        aliases=("计划总投资", "项目总投资", "投资总额"),
        nonnegative=True,
    ),
    Column(
        "land_mu",
        "用地",
        "number",
        "area_mu",
        aliases=("用地面积", "用地需求", "用地规模", "占地面积"),
        nonnegative=True,
    ),
    Column("leader", "包挂领导", "text", aliases=("联系领导", "挂点领导", "责任领导")),
    Column("unit", "责任单位", "text", aliases=("牵头单位", "责任部门")),
    Column("contact", "联系人", "text", aliases=("项目联系人",)),
    Column("added_date", "入库日期", "date", aliases=("入库时间", "谋划日期")),
    Column("planned_sign_date", "计划签约日期", "date", aliases=("计划签约时间",)),
    Column("actual_sign_date", "实际签约日期", "date", aliases=("实际签约时间", "签约日期")),
    Column("planned_start_date", "计划开工日期", "date", aliases=("计划开工时间",)),
    Column("actual_start_date", "实际开工日期", "date", aliases=("实际开工时间", "开工日期")),
    Column("planned_production_date", "计划投产日期", "date", aliases=("计划投产时间",)),
    Column("actual_production_date", "实际投产日期", "date", aliases=("实际投产时间", "投产日期")),
    Column(
        "year_plan_investment",
        "年度计划投资",
        "number",
        "money_10k_yuan",
        aliases=("年计划投资", "本年计划投资", "年度投资计划"),
        nonnegative=True,
    ),
    Column("counted_in_statistics", "是否纳统", "bool", aliases=("纳统", "已纳统")),
)

PROGRESS_COLUMNS: tuple[Column, ...] = (
    Column("code", "项目编号", "text", aliases=("项目代码", "编号"), required=True),
    Column("month", "月份", "month", aliases=("填报月份", "所属月份", "年月", "进展月份"), required=True),
    Column(
        "investment_month",
        "当月完成投资",
        "number",
        "money_10k_yuan",
        aliases=("本月完成投资", "月度完成投资", "完成投资", "当月投资"),
        nonnegative=True,
    ),
    Column("percent_done", "完成百分比", "percent", aliases=("形象进度百分比", "工程进度", "进度百分比", "完成比例")),
    Column("progress_text", "形象进度", "text", aliases=("进展情况", "项目进展", "进展")),
)

_MILESTONE_COLUMNS = {
    MilestoneKind.SIGNING: ("planned_sign_date", "actual_sign_date"),
    MilestoneKind.CONSTRUCTION: ("planned_start_date", "actual_start_date"),
    MilestoneKind.PRODUCTION: ("planned_production_date", "actual_production_date"),
}


def _header_table(columns: Sequence[Column]) -> dict[str, Column]:
    table: dict[str, Column] = {}
    for col in columns:
        for spelling in (col.key, col.label, *col.aliases):
            table[header_key(spelling)] = col
    return table


@dataclass(frozen=True)
class _Bound:
    """A column of the file bound to one of ours: where it is, how it is written, its unit factor."""

    column: Column
    index: int
    header: str
    factor: float


def _match_header(text: str, table: dict[str, Column]) -> tuple[Column | None, float | None, str | None]:
    """(column, factor, problem) for one header cell; column None when the header is not ours."""
    key = header_key(text)
    if key in table:
        return table[key], 1.0, None
    match = re.fullmatch(r"(.+?)\(([^()]*)\)", key)
    if not match or match.group(1) not in table:
        return None, None, None
    col, unit = table[match.group(1)], match.group(2)
    if col.dimension is None:
        return col, 1.0, None
    factor = unit_factor(col.dimension, unit)
    if factor is None:
        units = "、".join(known_units(col.dimension))
        return col, None, f"不认识的单位「{unit}」（{col.label}可用单位：{units}）"
    return col, factor, None


def _bind_headers(table: RawTable, columns: Sequence[Column]) -> tuple[int, dict[str, _Bound]]:
    """Find the header row among the first rows and bind its cells; refuses when none is found."""
    lookup = _header_table(columns)
    required = [c for c in columns if c.required]
    for i, row in enumerate(table.rows[:HEADER_SEARCH_ROWS]):
        found = [(j, str(cell).strip(), *_match_header(str(cell), lookup)) for j, cell in enumerate(row) if cell]
        found = [f for f in found if f[2] is not None]
        if len(found) < 2 or not any(f[2] is required[0] for f in found):
            continue
        problems: list[InputProblem] = []
        bound: dict[str, _Bound] = {}
        for j, header, col, factor, problem in found:
            assert col is not None
            if problem is not None:
                problems.append(InputProblem(problem, table.file, table.sheet, i + 1, header))
            elif col.key in bound:
                problems.append(
                    InputProblem(
                        f"与「{bound[col.key].header}」重复，都表示{col.label}", table.file, table.sheet, i + 1, header
                    )
                )
            else:
                assert factor is not None
                bound[col.key] = _Bound(col, j, header, factor)
        for col in required:
            if col.key not in bound:
                problems.append(InputProblem(f"缺少必填列「{col.label}」", table.file, table.sheet, i + 1))
        if problems:
            raise InputError(problems)
        return i, bound
    labels = "」「".join(c.label for c in required)
    raise InputError(
        InputProblem(f"前 {HEADER_SEARCH_ROWS} 行中找不到表头（须含「{labels}」列）", table.file, table.sheet)
    )


def _is_total(value: Any) -> bool:
    return isinstance(value, str) and is_total_label(to_halfwidth(value).strip().lower())


def _is_total_row(row: list[Any], cells: dict[str, Any]) -> bool:
    """A 合计 row: the code cell says 合计, or there is no code and some cell says it."""
    code = cells.get("code")
    return _is_total(code) or (values.is_missing(code) and any(_is_total(v) for v in row))


_PARSERS: dict[str, Callable[[Any], Any]] = {
    "text": values.parse_text,
    "uscc": values.parse_text,
    "number": values.parse_number,
    "date": values.parse_date,
    "bool": values.parse_bool,
    "month": values.parse_month,
    "percent": values.parse_percent,
}


def _rows(
    table: RawTable, columns: Sequence[Column], problems: list[InputProblem]
) -> list[tuple[int, dict[str, Any], dict[str, str]]]:
    """Parsed data rows as (spreadsheet row, values by key, header by key); cell problems go to ``problems``."""
    header_row, bound = _bind_headers(table, columns)
    out = []
    for i in range(header_row + 1, len(table.rows)):
        row = table.rows[i]
        cells = {key: (row[b.index] if b.index < len(row) else None) for key, b in bound.items()}
        if all(values.is_missing(v) for v in row):
            continue
        if _is_total_row(row, cells):
            continue
        parsed: dict[str, Any] = {}
        for key, b in bound.items():
            try:
                value = _PARSERS[b.column.type](cells[key])
            except ValueError as exc:
                problems.append(InputProblem(str(exc), table.file, table.sheet, i + 1, b.header))
                continue
            if b.column.type == "number" and value is not None:
                value *= b.factor
                if b.column.nonnegative and value < 0:
                    problems.append(
                        InputProblem(f"{b.column.label}不能为负数", table.file, table.sheet, i + 1, b.header)
                    )
                    continue
            parsed[key] = value
        out.append((i + 1, parsed, {key: b.header for key, b in bound.items()}))
    return out


def parse_projects(table: RawTable, chains: Sequence[str] = DEFAULT_INDUSTRY_CHAINS) -> list[Project]:
    """Projects from a raw table; refuses with every problem found (see the module docstring)."""
    problems: list[InputProblem] = []
    chain_by_key = {header_key(c): c for c in chains}
    seen: dict[str, int] = {}
    projects: list[Project] = []
    for row, data, headers in _rows(table, PROJECT_COLUMNS, problems):

        def problem(message: str, key: str | None, row: int = row, headers: dict[str, str] = headers) -> None:
            column = headers.get(key) if key else None
            if key and column is None:
                column = next(c.label for c in PROJECT_COLUMNS if c.key == key)
            problems.append(InputProblem(message, table.file, table.sheet, row, column))

        code, name = data.get("code"), data.get("name")
        if not code:
            problem("缺少项目编号", "code")
        elif code in seen:
            problem(f"项目编号「{code}」与第 {seen[code]} 行重复", "code")
        else:
            seen[code] = row
        if not name:
            problem("缺少项目名称", "name")
        chain = data.get("industry_chain")
        if chain is not None:
            if header_key(chain) in chain_by_key:
                chain = chain_by_key[header_key(chain)]
            else:
                problem(unknown_chain_message(str(chain), chains), "industry_chain")
        uscc = data.get("investor_uscc")
        if uscc is not None:
            uscc = normalise_uscc(uscc)
            bad = uscc_problem(uscc)
            if bad:
                problem(bad, "investor_uscc")
        milestones = {
            kind: Milestone(kind, data.get(planned), data.get(actual))
            for kind, (planned, actual) in _MILESTONE_COLUMNS.items()
        }
        project = Project(
            code=code or "",
            name=name or "",
            investor=data.get("investor"),
            investor_uscc=uscc,
            industry_chain=chain,
            total_investment=data.get("total_investment"),
            land_mu=data.get("land_mu"),
            leader=data.get("leader"),
            unit=data.get("unit"),
            contact=data.get("contact"),
            added_date=data.get("added_date"),
            signing=milestones[MilestoneKind.SIGNING],
            construction=milestones[MilestoneKind.CONSTRUCTION],
            production=milestones[MilestoneKind.PRODUCTION],
            year_plan_investment=data.get("year_plan_investment"),
            counted_in_statistics=bool(data.get("counted_in_statistics", False)),
        )
        for op in order_problems(project):
            problem(op.message, _MILESTONE_COLUMNS[op.milestone][1])
        projects.append(project)
    if problems:
        raise InputError(problems)
    return projects


def read_projects(path: Path | str, chains: Sequence[str] = DEFAULT_INDUSTRY_CHAINS) -> list[Project]:
    """Read a project spreadsheet (CSV or workbook); ``chains`` is the configured industry chain list."""
    return parse_projects(read_table(path), chains)


def parse_progress(table: RawTable, known_codes: Collection[str] | None = None) -> list[ProgressReport]:
    """Monthly progress rows from a raw table; a code not in ``known_codes`` (when given) is refused."""
    problems: list[InputProblem] = []
    seen: dict[tuple[str, int, int], int] = {}
    reports: list[ProgressReport] = []
    for row, data, headers in _rows(table, PROGRESS_COLUMNS, problems):
        code, month = data.get("code"), data.get("month")
        if not code:
            problems.append(InputProblem("缺少项目编号", table.file, table.sheet, row, headers["code"]))
        elif code and known_codes is not None and code not in known_codes:
            problems.append(
                InputProblem(f"项目编号「{code}」不在项目表中", table.file, table.sheet, row, headers["code"])
            )
        if month is None and "month" in data:
            problems.append(InputProblem("缺少月份", table.file, table.sheet, row, headers["month"]))
        if not code or month is None:
            continue
        key = (code, *month)
        if key in seen:
            problems.append(
                InputProblem(
                    f"项目「{code}」{month[0]}年{month[1]}月 的进展与第 {seen[key]} 行重复",
                    table.file,
                    table.sheet,
                    row,
                    headers["month"],
                )
            )
            continue
        seen[key] = row
        reports.append(
            ProgressReport(
                code=code,
                year=month[0],
                month=month[1],
                investment_month=data.get("investment_month") or 0.0,
                percent_done=data.get("percent_done"),
                progress_text=data.get("progress_text") or "",
            )
        )
    if problems:
        raise InputError(problems)
    return reports


def read_progress(path: Path | str, known_codes: Collection[str] | None = None) -> list[ProgressReport]:
    """Read a monthly progress spreadsheet (CSV or workbook)."""
    return parse_progress(read_table(path), known_codes)
