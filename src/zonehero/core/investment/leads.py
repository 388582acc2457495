"""Reading a 招商线索 spreadsheet (one lead a row) into :class:`Lead` records.

The leads are a registry of the shared kind read by the one spreadsheet reader
(:func:`zonehero.core.ingest.table.read_table`), so headers in English keys, Chinese labels or aliases, money in
万元 or 亿元, dates in every form the project importer takes, 合计 and note rows are all handled there. What is
left here is what only leads know: the stage vocabulary, duplicate 线索编号, industry chains of the zone, a signing
without its amount and dates that run backwards. Every problem is collected into one :class:`InputError` naming
the file, the row and the column(s); nothing is returned from a file with a problem.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path

from zonehero.core.domain.names import header_key
from zonehero.core.domain.registry import Column, Registry
from zonehero.core.ingest.table import Table, read_table
from zonehero.core.investment.normalise import code_key, uscc_key
from zonehero.core.zone.profile import unknown_chain_message
from zonehero.errors import InputError, InputProblem


class LeadStage(StrEnum):
    """A lead's current stage (当前阶段), in pipeline order; 终止 ends a lead that will not sign."""

    LEAD = "lead"
    CONTACT = "contact"
    VISIT = "visit"
    NEGOTIATION = "negotiation"
    SIGNED = "signed"
    LANDED = "landed"
    TERMINATED = "terminated"

    @property
    def label(self) -> str:
        """The Chinese word files and pages use (the keys of ``stage_counts``)."""
        return STAGE_LABELS[self]


STAGE_LABELS: dict[LeadStage, str] = {
    LeadStage.LEAD: "线索",
    LeadStage.CONTACT: "接洽",
    LeadStage.VISIT: "考察",
    LeadStage.NEGOTIATION: "洽谈",
    LeadStage.SIGNED: "签约",
    LeadStage.LANDED: "落地",
    LeadStage.TERMINATED: "终止",
}

_STAGE_ALIASES: dict[LeadStage, tuple[str, ...]] = {
    LeadStage.LEAD: ("线索", "lead", "clue", "新线索", "线索阶段"),
    LeadStage.CONTACT: ("接洽", "contact", "contacted", "对接", "接洽中", "初步接洽"),
    LeadStage.VISIT: ("考察", "visit", "inspection", "实地考察", "考察中"),
    LeadStage.NEGOTIATION: ("洽谈", "negotiation", "negotiating", "谈判", "洽谈中", "商谈"),
    LeadStage.SIGNED: ("签约", "signed", "signing", "已签约"),
    LeadStage.LANDED: ("落地", "landed", "landing", "已落地"),
    LeadStage.TERMINATED: ("终止", "terminated", "closed", "已终止", "放弃"),
}
STAGE_WORDS: dict[str, LeadStage] = {
    header_key(word): stage for stage, words in _STAGE_ALIASES.items() for word in (stage.value, *words)
}
"""Every accepted spelling of a stage (compared half-width, without spaces, lower-case)."""

LEAD_COLUMNS: tuple[Column, ...] = (
    Column("lead_id", "线索编号", "text", aliases=("线索号", "线索代码", "线索ID", "线索序号"), required=True),
    Column(
        "investor",
        "投资方",
        "text",
        aliases=("投资方名称", "投资企业", "投资主体", "企业名称", "客商名称", "客商"),
        required=True,
    ),
    Column(
        "investor_uscc",
        "投资方统一社会信用代码",
        "text",
        aliases=("投资方信用代码", "统一社会信用代码", "信用代码", "uscc"),
    ),
    Column("project_code", "项目编号", "text", aliases=("项目代码",)),
    Column("chain", "产业链", "text", aliases=("所属产业链", "产业链条", "industry_chain")),
    Column("reporter", "报送人", "text", aliases=("报送人员", "线索报送人", "信息提供人", "首报人"), required=True),
    Column("unit", "报送单位", "text", aliases=("报送部门", "所在单位", "报送人单位")),
    Column("reported_on", "报送日期", "date", aliases=("报送时间", "线索报送日期", "登记日期"), required=True),
    Column("stage", "当前阶段", "text", aliases=("阶段", "线索阶段", "所处阶段", "进展阶段"), required=True),
    Column("signed_on", "签约日期", "date", aliases=("签约时间", "实际签约日期")),
    Column(
        "contract_investment",
        "合同投资额",
        "number",
        "money_10k_yuan",
        aliases=("合同投资", "签约投资额", "签约金额", "协议投资额"),
        nonnegative=True,
    ),
    Column("landed_on", "落地日期", "date", aliases=("落地时间", "注册日期", "注册时间")),
    Column("started_on", "开工日期", "date", aliases=("开工时间", "实际开工日期")),
    Column("produced_on", "投产日期", "date", aliases=("投产时间", "实际投产日期")),
    Column(
        "paid_in",
        "累计到位资金",
        "number",
        "money_10k_yuan",
        aliases=("到位资金", "实际到位资金", "累计到位", "到资"),
        nonnegative=True,
    ),
)

LEADS_REGISTRY = Registry(
    "招商线索表",
    LEAD_COLUMNS,
    anchor="lead_id",
    identity=("lead_id", "investor"),
    refuse_duplicate_headers=True,
)
"""A lead list: one lead a row, keyed by its 线索编号."""

DATE_ORDER: tuple[tuple[str, str], ...] = (
    ("reported_on", "signed_on"),
    ("signed_on", "started_on"),
    ("started_on", "produced_on"),
    ("signed_on", "produced_on"),
)
"""(earlier, later) pairs of dates a row may not reverse. The spec names 签约 before 报送 and 开工 before 签约;
投产 before 开工 (or before 签约 when 开工 is empty) is as backwards. 落地 (注册) is left free: a 增资 lead's
investor is often registered in the zone before the lead is reported."""


@dataclass(frozen=True)
class Lead:
    """One 招商线索 as read from a row; dates are as written (the figures apply the as-of date)."""

    lead_id: str
    investor: str
    reporter: str
    reported_on: date
    stage: LeadStage
    investor_uscc: str | None = None
    project_code: str | None = None
    chain: str | None = None
    unit: str | None = None
    signed_on: date | None = None
    contract_investment: float | None = None
    """万元; present for a signing (a file's amount on an unsigned lead is read but counts nowhere)."""
    landed_on: date | None = None
    started_on: date | None = None
    produced_on: date | None = None
    paid_in: float | None = None
    """万元 paid in as of the as-of date; empty counts 0."""
    row: int | None = None
    """The spreadsheet row the lead came from (for messages)."""


def stage_of(text: str) -> LeadStage | None:
    """The stage a cell names (Chinese word, English key or an alias), or None."""
    return STAGE_WORDS.get(header_key(text))


def _stage_words() -> str:
    return "、".join(STAGE_LABELS.values())


def parse_leads(table: Table, chains: Sequence[str]) -> list[Lead]:
    """Leads from a table read against :data:`LEADS_REGISTRY`; refuses with every problem found.

    ``chains`` is the zone profile's list; a chain outside it is refused with the list and how to add one.
    """
    if table.layout.problems:  # a header problem (unknown unit, missing column) is raised before rows repeat it
        raise InputError(table.problems)
    problems = list(table.problems)
    chain_by_key = {header_key(c): c for c in chains}
    seen: dict[str, int] = {}
    leads: list[Lead] = []
    for row, data in table.records():

        def problem(message: str, key: str, row: int = row) -> None:
            problems.append(table.problem(message, row, key))

        lead_id = data.get("lead_id")
        if lead_id in seen:
            problem(f"线索编号「{lead_id}」与第 {seen[lead_id]} 行重复", "lead_id")
        elif lead_id:
            seen[lead_id] = row
        for key in ("investor", "reporter", "reported_on", "stage"):  # a lead not yet placed on a chain is allowed
            if data.get(key) is None and (row, key) not in table.failed:
                problem(f"缺少{LEADS_REGISTRY.by_key[key].label}", key)
        stage = None
        if data.get("stage") is not None:
            stage = stage_of(str(data["stage"]))
            if stage is None:
                problem(f"无法识别的阶段「{data['stage']}」（可填：{_stage_words()}）", "stage")
        chain = data.get("chain")
        if chain is not None:
            if header_key(chain) in chain_by_key:
                chain = chain_by_key[header_key(chain)]
            else:
                problem(unknown_chain_message(str(chain), chains), "chain")
        signed, amount = data.get("signed_on"), data.get("contract_investment")
        if signed is not None and amount is None and (row, "contract_investment") not in table.failed:
            problem("已填签约日期，但缺少合同投资额", "contract_investment")
        problems.extend(_order_problems(table, row, data))
        uscc = data.get("investor_uscc")
        code = data.get("project_code")
        if (
            lead_id is None
            or stage is None
            or any(data.get(k) is None for k in ("investor", "reporter", "reported_on"))
        ):
            continue
        leads.append(
            Lead(
                lead_id=str(lead_id),
                investor=str(data["investor"]),
                reporter=str(data["reporter"]),
                reported_on=data["reported_on"],
                stage=stage,
                investor_uscc=uscc_key(uscc) if uscc else None,
                project_code=code_key(code) if code else None,
                chain=chain,
                unit=data.get("unit"),
                signed_on=data.get("signed_on"),
                contract_investment=data.get("contract_investment"),
                landed_on=data.get("landed_on"),
                started_on=data.get("started_on"),
                produced_on=data.get("produced_on"),
                paid_in=data.get("paid_in"),
                row=row,
            )
        )
    if problems:
        raise InputError(sorted(problems, key=lambda p: p.row or 0))
    return leads


def _order_problems(table: Table, row: int, data: dict[str, object]) -> list[InputProblem]:
    """One problem per reversed pair of :data:`DATE_ORDER`, naming the row and both columns."""
    found = []
    for earlier, later in DATE_ORDER:
        first, then = data.get(earlier), data.get(later)
        if not isinstance(first, date) or not isinstance(then, date) or then >= first:
            continue
        if (earlier, later) == ("signed_on", "produced_on") and data.get("started_on") is not None:
            continue  # reported once, through 开工
        a, b = table.header(later), table.header(earlier)
        found.append(
            InputProblem(
                f"日期先后颠倒：{a} {then.isoformat()} 早于{b} {first.isoformat()}",
                file=table.file,
                sheet=table.sheet,
                row=row,
                column=f"{a}、{b}",
            )
        )
    return found


def read_leads(path: Path | str, chains: Sequence[str]) -> list[Lead]:
    """Read a lead spreadsheet (CSV or workbook) against the zone's ``chains``."""
    return parse_leads(read_table(path, LEADS_REGISTRY), chains)
