"""Reading the enterprise chain-tag sheet and the target library sheet (目标企业库) into checked rows.

Both are registries read by the one spreadsheet reader (:func:`zonehero.core.ingest.table.read_table`); what is
left here is what only chains know: a chain must be one of the zone's, a link one of that chain's, a key may not
repeat. Every problem names the file, the row and the column; nothing is returned from a file with a problem.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from pathlib import Path
from typing import Any

from zonehero.core.domain.names import header_key
from zonehero.core.domain.registry import Column, Registry
from zonehero.core.ingest.table import Table, read_table
from zonehero.core.zone.profile import unknown_chain_message
from zonehero.errors import InputError, InputProblem

TARGET_KIND_LABELS: dict[str, str] = {
    "head": "头部企业",
    "leader": "行业领军企业",
    "zjtx": "专精特新",
    "little_giant": "专精特新“小巨人”",
    "chain_leader": "链主企业",
    "other": "其他",
}
"""The kinds of firm the target library holds (the issue's 头部企业、领军企业、专精特新、小巨人、链主)."""
_KIND_ALIASES = {"小巨人": "little_giant", "链主": "chain_leader", "领军企业": "leader", "头部": "head"}


def target_kind(value: object) -> str | None:
    """The kind key of a label, alias or key (None when it is none of them)."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    by_label = {label: key for key, label in TARGET_KIND_LABELS.items()} | _KIND_ALIASES
    kind = by_label.get(text, text)
    return kind if kind in TARGET_KIND_LABELS else None


TAG_COLUMNS: tuple[Column, ...] = (
    Column("uscc", "统一社会信用代码", "uscc", aliases=("信用代码", "企业信用代码"), required=True),
    Column("name", "企业名称", "text", aliases=("名称", "企业")),
    Column("chain", "产业链", "text", aliases=("所属产业链",), required=True),
    Column("link", "环节", "text", aliases=("产业链环节", "所属环节")),
)
TAG_REGISTRY = Registry(
    "企业产业链标注表", TAG_COLUMNS, anchor="uscc", identity=("uscc", "name"), refuse_duplicate_headers=True
)
"""One enterprise and chain a row."""

TARGET_COLUMNS: tuple[Column, ...] = (
    Column("name", "企业名称", "text", aliases=("目标企业", "名称", "企业"), required=True),
    Column("uscc", "统一社会信用代码", "uscc", aliases=("信用代码",)),
    Column("kind", "类别", "text", aliases=("企业类别", "类型"), required=True),
    Column("chain", "产业链", "text", aliases=("所属产业链",)),
    Column("link", "环节", "text", aliases=("产业链环节", "所属环节")),
    Column("headquarters", "总部所在地", "text", aliases=("总部", "总部地址")),
    Column("revenue", "营业收入", "number", "money_10k_yuan", aliases=("营收", "年营业收入"), nonnegative=True),
    Column("employees", "从业人数", "integer", "persons", aliases=("员工人数", "职工人数"), nonnegative=True),
    Column("source", "信息来源", "text", aliases=("来源",)),
    Column("tags", "标签", "text"),
    Column("follower", "跟进人", "text", aliases=("跟进人账户", "负责人")),
    Column("note", "备注", "text", aliases=("说明",)),
)
TARGET_REGISTRY = Registry(
    "目标企业库", TARGET_COLUMNS, anchor="name", identity=("name",), refuse_duplicate_headers=True
)
"""One target firm a row, keyed by its name."""


def _raise(problems: list[InputProblem]) -> None:
    if problems:
        raise InputError(sorted(problems, key=lambda p: p.row or 0))


def _chain_link(
    table: Table,
    row: int,
    data: Mapping[str, Any],
    links: Mapping[str, Sequence[str]],
    problems: list[InputProblem],
) -> tuple[str | None, str | None]:
    """The chain and link of a row in the zone's spelling; a problem for an unknown one."""
    chain, link = data.get("chain"), data.get("link")
    by_key = {header_key(c): c for c in links}
    if chain is None:
        if link is not None:
            problems.append(table.problem("填写了环节但没有填写产业链", row, "chain"))
        return None, None
    if header_key(str(chain)) not in by_key:
        problems.append(table.problem(unknown_chain_message(str(chain), list(links)), row, "chain"))
        return None, None
    chain = by_key[header_key(str(chain))]
    if link is None:
        return chain, None
    link_by_key = {header_key(x): x for x in links[chain]}
    if header_key(str(link)) not in link_by_key:
        known = "、".join(links[chain]) or "（尚未设置环节）"
        problems.append(table.problem(f"产业链「{chain}」没有环节「{link}」（已有：{known}）", row, "link"))
        return chain, None
    return chain, link_by_key[header_key(str(link))]


def parse_tags(
    table: Table, links: Mapping[str, Sequence[str]], known_usccs: Collection[str] | None = None
) -> list[dict[str, Any]]:
    """Tag rows (uscc, chain, link) from a table read against :data:`TAG_REGISTRY`.

    ``links`` maps each of the zone's chains to its links; ``known_usccs`` (when given) refuses an enterprise
    the zone does not have.
    """
    if table.layout.problems:
        raise InputError(table.problems)
    problems = list(table.problems)
    seen: dict[tuple[str, str], int] = {}
    rows: list[dict[str, Any]] = []
    for row, data in table.records():
        uscc = data.get("uscc")
        if uscc is None:
            continue
        if known_usccs is not None and uscc not in known_usccs:
            problems.append(table.problem(f"企业「{uscc}」不在本园区企业库中", row, "uscc"))
        if data.get("chain") is None and (row, "chain") not in table.failed:
            problems.append(table.problem("缺少产业链", row, "chain"))
            continue
        chain, link = _chain_link(table, row, data, links, problems)
        if chain is None:
            continue
        if (uscc, chain) in seen:
            problems.append(
                table.problem(f"企业「{uscc}」在产业链「{chain}」上与第 {seen[uscc, chain]} 行重复", row, "uscc")
            )
            continue
        seen[uscc, chain] = row
        rows.append({"row": row, "uscc": uscc, "chain": chain, "link": link})
    _raise(problems)
    return rows


def parse_targets(
    table: Table, links: Mapping[str, Sequence[str]], followers: Collection[str] | None = None
) -> list[dict[str, Any]]:
    """Target firm rows from a table read against :data:`TARGET_REGISTRY` (chain and link in the zone's spelling);
    ``followers`` (when given) are the account names a 跟进人 may be."""
    if table.layout.problems:
        raise InputError(table.problems)
    problems = list(table.problems)
    seen: dict[str, int] = {}
    rows: list[dict[str, Any]] = []
    for row, data in table.records():
        name = data.get("name")
        if not name:
            continue
        if name in seen:
            problems.append(table.problem(f"企业「{name}」与第 {seen[name]} 行重复", row, "name"))
            continue
        seen[name] = row
        kind = target_kind(data.get("kind"))
        if kind is None and (row, "kind") not in table.failed:
            problems.append(table.problem(f"类别应为：{'、'.join(TARGET_KIND_LABELS.values())}", row, "kind"))
        follower = data.get("follower")
        if follower is not None and followers is not None and follower not in followers:
            problems.append(table.problem(f"跟进人「{follower}」不是在用的员工账户", row, "follower"))
        chain, link = _chain_link(table, row, data, links, problems)
        record = {key: data.get(key) for key in table.columns if key not in {"chain", "link"}}
        record.update({"row": row, "kind": kind, "chain": chain, "link": link})
        rows.append(record)
    _raise(problems)
    return rows


def read_tags(
    path: Path | str, links: Mapping[str, Sequence[str]], known_usccs: Collection[str] | None = None
) -> list[dict[str, Any]]:
    return parse_tags(read_table(path, TAG_REGISTRY), links, known_usccs)


def read_targets(
    path: Path | str, links: Mapping[str, Sequence[str]], followers: Collection[str] | None = None
) -> list[dict[str, Any]]:
    return parse_targets(read_table(path, TARGET_REGISTRY), links, followers)
