"""Leads for the 招商 tests, built directly (figures) or written as a CSV lead list (reader, command)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from zonehero.core.investment import Lead, LeadStage

HEADER = (
    "线索编号,投资方,投资方统一社会信用代码,项目编号,产业链,报送人,报送单位,报送日期,当前阶段,"
    "签约日期,合同投资额,落地日期,开工日期,投产日期,累计到位资金"
)


def d(text: str) -> date:
    return date.fromisoformat(text)


def lead(lead_id: str, **fields: Any) -> Lead:
    """A lead with harmless defaults: its own investor, reported 2024-01-02 by 张三, at 线索."""
    values: dict[str, Any] = {
        "investor": f"投资方{lead_id}有限公司",
        "reporter": "张三",
        "reported_on": d("2024-01-02"),
        "stage": LeadStage.LEAD,
        "chain": "新能源",
    }
    for key, value in fields.items():
        values[key] = d(value) if key.endswith("_on") and isinstance(value, str) else value
    return Lead(lead_id=lead_id, **values)


def signed(lead_id: str, signed_on: str, investment: float, **fields: Any) -> Lead:
    """A signed lead (reported a month before 2024-01-02 unless told)."""
    fields.setdefault("stage", LeadStage.SIGNED)
    fields.setdefault("reported_on", "2023-12-01")
    return lead(lead_id, signed_on=signed_on, contract_investment=investment, **fields)


def write_leads(folder: Path, rows: list[str], header: str = HEADER, name: str = "leads.csv") -> Path:
    path = folder / name
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8-sig")
    return path
