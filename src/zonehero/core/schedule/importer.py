"""Reading the project spreadsheet and the monthly progress spreadsheet into records.

Both are registries of the one kind (:class:`~zonehero.core.domain.registry.Registry`) read by the one spreadsheet
reader (:func:`zonehero.core.ingest.table.read_table`): headers in English keys or Chinese labels and aliases, title
and units rows, a unit in the header (总投资(亿元), 用地(平方米)) converted to the canonical unit and an unknown
unit refused, 合计 and note rows skipped, cells read by the shared parsers and vocabulary. What is left here is
what only projects know: duplicate codes, industry chains, the order of milestones, codes of the project library.
Every problem in a file is collected and raised together as one :class:`InputError`, each naming the file, the
row as the spreadsheet numbers it, and the column as written in the header. Nothing is returned from a file with
a problem.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from pathlib import Path

from zonehero.core.domain.names import header_key
from zonehero.core.domain.registry import Column, Registry
from zonehero.core.ingest.table import Table, read_table
from zonehero.core.schedule.model import DEFAULT_INDUSTRY_CHAINS, Milestone, MilestoneKind, ProgressReport, Project
from zonehero.core.schedule.stages import order_problems
from zonehero.core.zone.profile import unknown_chain_message
from zonehero.errors import InputError, InputProblem

__all__ = ["PROGRESS_COLUMNS", "PROJECT_COLUMNS", "Column", "parse_progress", "parse_projects"]

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

PROJECT_REGISTRY = Registry(
    "项目库", PROJECT_COLUMNS, anchor="code", identity=("code", "name"), refuse_duplicate_headers=True
)
"""A project library: one project a row, keyed by its code."""

PROGRESS_REGISTRY = Registry(
    "月度进展表", PROGRESS_COLUMNS, anchor="code", identity=("code",), refuse_duplicate_headers=True
)
"""Monthly progress: one project-month a row."""


def _checked(table: Table) -> Table:
    """``table`` once its header is sound; a header problem (unknown unit, missing column …) is raised at once,
    before the rows would repeat it."""
    if table.layout.problems:
        raise InputError(table.problems)
    return table


def _raise(problems: list[InputProblem]) -> None:
    if problems:
        raise InputError(sorted(problems, key=lambda p: p.row or 0))


def parse_projects(table: Table, chains: Sequence[str] = DEFAULT_INDUSTRY_CHAINS) -> list[Project]:
    """Projects from a table read against :data:`PROJECT_REGISTRY`; refuses with every problem found."""
    problems = list(_checked(table).problems)
    chain_by_key = {header_key(c): c for c in chains}
    seen: dict[str, int] = {}
    projects: list[Project] = []
    for row, data in table.records():

        def problem(message: str, key: str, row: int = row) -> None:
            problems.append(table.problem(message, row, key))

        code, name = data.get("code"), data.get("name")
        if code in seen:
            problem(f"项目编号「{code}」与第 {seen[code]} 行重复", "code")
        elif code:
            seen[code] = row
        if not name:
            problem("缺少项目名称", "name")
        chain = data.get("industry_chain")
        if chain is not None:
            if header_key(chain) in chain_by_key:
                chain = chain_by_key[header_key(chain)]
            else:
                problem(unknown_chain_message(str(chain), chains), "industry_chain")
        milestones = {
            kind: Milestone(kind, data.get(planned), data.get(actual))
            for kind, (planned, actual) in _MILESTONE_COLUMNS.items()
        }
        project = Project(
            code=code or "",
            name=name or "",
            investor=data.get("investor"),
            investor_uscc=data.get("investor_uscc"),
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
    _raise(problems)
    return projects


def read_projects(path: Path | str, chains: Sequence[str] = DEFAULT_INDUSTRY_CHAINS) -> list[Project]:
    """Read a project spreadsheet (CSV or workbook); ``chains`` is the configured industry chain list."""
    return parse_projects(read_table(path, PROJECT_REGISTRY), chains)


def parse_progress(table: Table, known_codes: Collection[str] | None = None) -> list[ProgressReport]:
    """Monthly progress rows from a table read against :data:`PROGRESS_REGISTRY`; a code not in ``known_codes``
    (when given) is refused."""
    problems = list(_checked(table).problems)
    seen: dict[tuple[str, int, int], int] = {}
    reports: list[ProgressReport] = []
    for row, data in table.records():
        code, month = data.get("code"), data.get("month")
        if code and known_codes is not None and code not in known_codes:
            problems.append(table.problem(f"项目编号「{code}」不在项目表中", row, "code"))
        if month is None and "month" in data:
            problems.append(table.problem("缺少月份", row, "month"))
        if not code or month is None:
            continue
        key = (code, month.year, month.month)
        if key in seen:
            problems.append(
                table.problem(
                    f"项目「{code}」{month.year}年{month.month}月 的进展与第 {seen[key]} 行重复", row, "month"
                )
            )
            continue
        seen[key] = row
        reports.append(
            ProgressReport(
                code=code,
                year=month.year,
                month=month.month,
                investment_month=data.get("investment_month") or 0.0,
                percent_done=data.get("percent_done"),
                progress_text=data.get("progress_text") or "",
            )
        )
    _raise(problems)
    return reports


def read_progress(path: Path | str, known_codes: Collection[str] | None = None) -> list[ProgressReport]:
    """Read a monthly progress spreadsheet (CSV or workbook)."""
    return parse_progress(read_table(path, PROGRESS_REGISTRY), known_codes)
