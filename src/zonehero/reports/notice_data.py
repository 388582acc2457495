"""What an enterprise's result notice (评价结果告知书) says, gathered from a run without any layout.

Kept apart from the PDF so the web page of an enterprise and the notice can
show the same facts: the enterprise's figures with their sources, each
indicator's value, benchmark, ratio and score, its class and policies, what
would lift it a class (the run's 升类路径, computed once for all its enterprises by
:func:`zonehero.core.evaluation.lift_batch.lift_all` or read from what the run kept). The objection
period is the zone's rule (:class:`zonehero.core.zone.NoticePeriod`), given by the caller.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

import polars as pl

from zonehero.core.domain import numbers
from zonehero.core.domain.classes import GROUP_LABELS, STATUS_LABELS, flag_label
from zonehero.core.domain.fields import FIELDS_BY_KEY
from zonehero.core.domain.industry_divisions import division_name
from zonehero.core.evaluation.explain import IndicatorLine, frame_indicator_lines
from zonehero.core.evaluation.lift import LiftExplanation
from zonehero.core.evaluation.lift_batch import lift_all
from zonehero.core.evaluation.result import EvaluationResult
from zonehero.reports.annual_figures import EvaluationLike

COMPUTED_ENERGY = {"energy_tce": "energy_computed", "co2_t": "co2_computed"}


@dataclass(frozen=True)
class SourceLine:
    """One input figure and where it came from."""

    key: str
    label: str
    unit: str
    value: str
    source: str


@dataclass(frozen=True)
class NoticeData:
    """Everything one notice prints."""

    uscc: str
    name: str
    industry_code: str | None
    industry: str
    group: str | None
    status: str
    status_reason: str
    total_score: float | None
    rank: int | None
    group_size: int
    cls: str | None
    bonus: float | None
    carbon_grade: int | None
    indicators: list[IndicatorLine]
    sources: list[SourceLine]
    policy_name: str | None
    electricity_surcharge: float | None
    land_energy_quota: str | None
    policy_other: str | None
    consecutive_d_year: int | None
    lift: list[str] | None
    """Sentences from the lift analysis; None when it is not available."""
    flags: list[str]
    """The engine's data notes in Chinese, indicators by their scheme labels (研发经费投入强度, never rd_intensity)."""
    confirmation: str | None = None
    """What the run kept of the enterprise's 企业确认 (confirmed on a date, deemed, disputed and resolved); None
    for a run made without a confirmation round."""

    @property
    def group_label(self) -> str:
        """规上 / 规下 / —."""
        return GROUP_LABELS.get(self.group or "", "—")

    @property
    def status_label(self) -> str:
        """参评, 一票否决, …."""
        return STATUS_LABELS.get(self.status, self.status)


class LiftLookup(Protocol):
    """A run's 升类路径 by USCC: a dict from :func:`lift_all`, or the book a run kept."""

    def get(self, uscc: str, /) -> LiftExplanation | None: ...


def describe_source(row: dict[str, Any]) -> str:
    """ "税务局《2025年纳税.csv》第12行「实缴税金(元)」" from a lineage row."""
    parts = []
    if row.get("department"):
        parts.append(str(row["department"]))
    if row.get("file"):
        parts.append(f"《{row['file']}》")
    if row.get("sheet"):
        parts.append(f"工作表{row['sheet']}")
    if row.get("row") is not None:
        parts.append(f"第{row['row']}行")
    if row.get("column"):
        parts.append(f"「{row['column']}」")
    return "".join(parts) or "—"


class NoticeContext:
    """Per-run lookups built once so that hundreds of notices stay fast."""

    def __init__(
        self,
        result: EvaluationLike,
        lineage: pl.DataFrame | None = None,
        *,
        lift: bool = True,
        lifts: LiftLookup | None = None,
        confirmations: Mapping[str, str] | None = None,
    ) -> None:
        """``lifts``: the run's 升类路径 when the caller has them; with ``lift`` and none given they are computed
        for the whole run on the first notice that needs them (once, not per notice)."""
        self.result = result
        self.inputs = {r["uscc"]: r for r in result.inputs.iter_rows(named=True)}
        self.lineage: dict[str, dict[str, dict[str, Any]]] = {}
        if lineage is not None and lineage.height:
            for r in lineage.iter_rows(named=True):
                self.lineage.setdefault(r["uscc"], {})[r["field"]] = r
        e = result.enterprises
        self.group_sizes = dict(e.filter(pl.col("status") == "evaluated").group_by("group").len().iter_rows())
        self.lift = lift
        self.lifts = lifts
        self.confirmations = confirmations or {}
        self.source_fields = self._source_fields()

    def _source_fields(self) -> list[str]:
        scheme = self.result.scheme
        keys: dict[str, None] = {"land_area_mu": None, "revenue": None}
        for group in scheme.groups.values():
            for ind in group.indicators:
                keys.setdefault(ind.numerator, None)
                keys.setdefault(ind.denominator, None)
        for key in (*scheme.bonus.flags, "zjtx_level", *scheme.scope.veto_flags, "production_start_year"):
            keys.setdefault(key, None)
        return [k for k in keys if k in FIELDS_BY_KEY or k in COMPUTED_ENERGY]

    def status_reason(self, row: dict[str, Any]) -> str:
        """Why an enterprise has its status, in a sentence."""
        status = row["status"]
        inputs = self.inputs.get(row["uscc"], {})
        scope = self.result.scheme.scope
        if status == "out_of_scope":
            return f"非规上企业且用地面积不足 {scope.min_land_mu_below_scale:g} 亩，不纳入评价范围。"
        if status == "exempt":
            start = inputs.get("production_start_year")
            if start is not None and start >= self.result.year - (scope.exempt_years - 1):
                return f"{start}年投产，投产未满{scope.exempt_years}年，本年度不参加评价。"
            return "所属行业不列入本方案评价范围，本年度不参加评价。"
        if status == "vetoed":
            labels = [FIELDS_BY_KEY[k].label for k in scope.veto_flags if inputs.get(k) and k in FIELDS_BY_KEY]
            return "存在" + "、".join(labels or ["一票否决情形"]) + "，实行一票否决，直接评为D类（得分仅供参考）。"
        return "参加本年度综合评价。"

    def _sources(self, row: dict[str, Any]) -> list[SourceLine]:
        inputs = self.inputs.get(row["uscc"], {})
        lineage = self.lineage.get(row["uscc"], {})
        flags = set(row.get("flags") or [])
        out = []
        for key in self.source_fields:
            field = FIELDS_BY_KEY.get(key)
            value = row.get(key) if key in COMPUTED_ENERGY else inputs.get(key)
            if value is None and key not in lineage:
                continue
            if key in COMPUTED_ENERGY and COMPUTED_ENERGY[key] in flags:
                source = "由分品种能源消费量按折算系数计算"
            elif key in lineage:
                source = describe_source(lineage[key])
            else:
                source = "未提供来源明细" if self.lineage else "—"
            out.append(
                SourceLine(
                    key=key,
                    label=field.label if field else key,
                    unit=(field.unit or "") if field else "",
                    value=numbers.figure(value, field.unit if field else None),
                    source=source,
                )
            )
        return out

    def _lift(self, row: dict[str, Any]) -> list[str] | None:
        if not self.lift:
            return None
        if row["status"] != "evaluated" or row["class"] in (None, "A"):
            return []
        if self.lifts is None:
            if not isinstance(self.result, EvaluationResult):
                return None
            self.lifts = lift_all(self.result)
        explained = self.lifts.get(row["uscc"])
        # Only the options that reach the next class belong under "any of these lifts you a class".
        return [o.message for o in explained.options if o.reachable] if explained is not None else []

    def notice(self, row: dict[str, Any]) -> NoticeData:
        """The notice of one enterprises row (a dict from ``result.enterprises``)."""
        return NoticeData(
            uscc=row["uscc"],
            name=row["name"] or "",
            industry_code=row.get("industry_code"),
            industry=division_name(row.get("industry_division")),
            group=row["group"],
            status=row["status"],
            status_reason=self.status_reason(row),
            total_score=row.get("total_score"),
            rank=row.get("rank"),
            group_size=int(self.group_sizes.get(row["group"], 0)),
            cls=row.get("class"),
            bonus=row.get("bonus"),
            carbon_grade=row.get("carbon_grade"),
            indicators=frame_indicator_lines(row, self.result.scheme),
            sources=self._sources(row),
            policy_name=row.get("policy_name"),
            electricity_surcharge=row.get("electricity_surcharge"),
            land_energy_quota=row.get("land_energy_quota_label"),
            policy_other=row.get("policy_other"),
            consecutive_d_year=row.get("consecutive_d_year"),
            lift=self._lift(row),
            flags=[flag_label(f, self.result.scheme.indicator_labels) for f in row.get("flags") or []],
            confirmation=self.confirmations.get(row["uscc"]),
        )
