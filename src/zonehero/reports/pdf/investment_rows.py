"""The rows the monthly 招商 briefing (招商月报) prints, shared by its PDF and its workbook so the two agree.

Values are raw (counts, 万元, fractions or None); the PDF formats them, the workbook writes numbers with formats.
Every value is read from :class:`~zonehero.core.investment.report.InvestmentBriefing`: nothing is counted here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from zonehero.core.investment.figures import InvestmentFigures
from zonehero.core.investment.report import InvestmentBriefing
from zonehero.core.zone.profile import InvestmentThresholds
from zonehero.reports.pdf.styles import Letterhead

TITLE = "招商引资工作月报"


def briefing_title(letterhead: Letterhead, briefing: InvestmentBriefing) -> str:
    """「<zone>招商引资工作月报（2026年8月）」."""
    return f"{letterhead.zone}{TITLE}（{briefing.year}年{briefing.month}月）"


def rule_5020_text(figures: InvestmentFigures) -> str:
    return "达标" if figures.rule_5020_met else "未达标"


def figure_rows(figures: InvestmentFigures, thresholds: InvestmentThresholds) -> list[tuple[str, Any, str, str]]:
    """(指标, value, kind, 说明) for the §3 figures: kind is ``count``, ``money``, ``rate`` or ``text``."""
    n = figures.signed_projects
    return [
        ("新签约项目数", n, "count", "首次签约在本年的项目"),
        ("新签约合同投资额(万元)", figures.signed_investment, "money", "含增资的增加部分"),
        ("履约率（落地率）", figures.landing_rate, "rate", f"{figures.landed_projects} / {n} 个"),
        ("开工率", figures.start_rate, "rate", f"{figures.started_projects} / {n} 个"),
        ("投产率", figures.production_rate, "rate", f"{figures.produced_projects} / {n} 个"),
        ("资金到位率", figures.funding_rate, "rate", f"{figures.funded:,.0f} / {figures.contracted:,.0f} 万元"),
        ("亿元以上项目", figures.projects_over_1e8, "count", f"合同投资 ≥ {thresholds.over_1e8:,.0f} 万元"),
        ("十亿元以上项目", figures.projects_over_1e9, "count", f"合同投资 ≥ {thresholds.over_1e9:,.0f} 万元"),
        ("五十亿元以上项目", figures.projects_over_5e9, "count", f"合同投资 ≥ {thresholds.over_5e9:,.0f} 万元"),
        (
            "“5020” 检查",
            rule_5020_text(figures),
            "text",
            f"五十亿元以上项目至少 {thresholds.rule_5020_min_projects} 个",
        ),
    ]


BREAKDOWN_HEADERS: tuple[str, ...] = (
    "新签约项目",
    "合同投资(万元)",
    "履约率",
    "开工率",
    "投产率",
    "资金到位率",
    "≥1亿",
    "≥10亿",
    "≥50亿",
)
BREAKDOWN_KINDS: tuple[str, ...] = ("count", "money", "rate", "rate", "rate", "rate", "count", "count", "count")


def breakdown_row(figures: InvestmentFigures) -> list[Any]:
    """One chain's or unit's figures, in :data:`BREAKDOWN_HEADERS` order."""
    return [
        figures.signed_projects,
        figures.signed_investment,
        figures.landing_rate,
        figures.start_rate,
        figures.production_rate,
        figures.funding_rate,
        figures.projects_over_1e8,
        figures.projects_over_1e9,
        figures.projects_over_5e9,
    ]


def breakdowns(briefing: InvestmentBriefing) -> list[tuple[str, str, Sequence[tuple[str, InvestmentFigures]]]]:
    """(section title, first column, rows) of the year-to-date tables by chain and by unit."""
    ytd = briefing.year_to_date
    return [("按产业链", "产业链", ytd.by_chain), ("按报送单位", "报送单位", ytd.by_unit)]
