"""The figures of the annual evaluation report (年度亩均效益综合评价报告), computed once.

The PDF (:mod:`zonehero.reports.pdf.annual`) and the workbook
(:mod:`zonehero.reports.annual_xlsx`) both print these figures, so the two
documents cannot disagree. Everything is derived from an evaluation result
(and the previous year's, for comparisons); nothing is recomputed differently
from the run: scores, ranks, classes and benchmarks are the run's own.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Protocol

import polars as pl

from zonehero.core.domain.classes import CLASSES, FLAG_LABELS, GROUP_LABELS, STATUS_LABELS
from zonehero.core.domain.fields import FIELDS_BY_KEY
from zonehero.core.domain.industry_divisions import division_name
from zonehero.core.evaluation.scheme import indicator_label_unit
from zonehero.core.evaluation.scheme_model import GROUPS, Scheme

STATUSES: tuple[str, ...] = ("evaluated", "vetoed", "exempt", "out_of_scope")
SCORED_STATUSES: tuple[str, ...] = ("evaluated", "vetoed")
TOP_N = 20


class EvaluationLike(Protocol):
    """What the report needs of ``zonehero.core.evaluation.EvaluationResult``."""

    @property
    def enterprises(self) -> pl.DataFrame: ...
    @property
    def benchmarks(self) -> pl.DataFrame: ...
    @property
    def warnings(self) -> list[str]: ...
    @property
    def scheme(self) -> Scheme: ...
    @property
    def year(self) -> int: ...
    @property
    def inputs(self) -> pl.DataFrame: ...


@dataclass(frozen=True)
class IndicatorName:
    """An indicator's label and unit as the scheme writes them (the reports print no unit of their own)."""

    label: str
    unit: str

    @property
    def heading(self) -> str:
        """A column heading: 亩均税收(万元/亩)."""
        return f"{self.label}({self.unit})" if self.unit else self.label

    @classmethod
    def of(cls, scheme: Scheme, key: str) -> IndicatorName:
        return cls(*indicator_label_unit(scheme, key))


@dataclass(frozen=True)
class GroupClasses:
    """Enterprises per class in one group, with the mean total score of the evaluated ones."""

    group: str
    evaluated: int
    vetoed: int
    exempt: int
    classes: dict[str, int]
    mean_score: float | None

    @property
    def label(self) -> str:
        """规上 / 规下."""
        return GROUP_LABELS.get(self.group, self.group)


@dataclass(frozen=True)
class ZoneTotals:
    """Sums over the scored (evaluated and vetoed) enterprises, 万元 / 亩 / 人."""

    enterprises: int
    land_mu: float
    tax: float
    revenue: float
    value_added: float
    employees: float

    @property
    def tax_per_mu(self) -> float | None:
        """Zone-wide 亩均税收 (Σ tax / Σ land)."""
        return self.tax / self.land_mu if self.land_mu > 0 else None

    @property
    def value_added_per_mu(self) -> float | None:
        """Zone-wide 亩均增加值."""
        return self.value_added / self.land_mu if self.land_mu > 0 else None


@dataclass(frozen=True)
class BenchmarkRow:
    """A zone benchmark this year and last year."""

    group: str
    indicator: str
    label: str
    unit: str
    benchmark: float | None
    previous: float | None

    @property
    def change(self) -> float | None:
        """Relative change against last year (0.05 = +5%); None without both figures."""
        if self.benchmark is None or self.previous is None or self.previous == 0:
            return None
        return self.benchmark / self.previous - 1


@dataclass(frozen=True)
class DivisionRow:
    """One industry division (行业大类): how many were scored, their classes, mean score, 亩均税收."""

    division: str
    name: str
    scored: int
    classes: dict[str, int]
    mean_score: float | None
    tax_per_mu: float | None


@dataclass(frozen=True)
class DimensionRow:
    """One 论 in one group: its weight and the evaluated enterprises' mean score in it (得分率 = mean / weight)."""

    group: str
    dimension: str
    weight: float
    mean_score: float | None

    @property
    def share(self) -> float | None:
        """Mean score as a share of the weight."""
        return self.mean_score / self.weight if self.mean_score is not None and self.weight > 0 else None


@dataclass(frozen=True)
class RankedRow:
    """An enterprise in a ranked list (top 20, D list)."""

    group: str
    rank: int | None
    uscc: str
    name: str
    total_score: float | None
    cls: str | None
    note: str = ""


@dataclass(frozen=True)
class ClassChange:
    """An enterprise whose class differs from last year's, and why."""

    uscc: str
    name: str
    previous_class: str | None
    cls: str | None
    previous_score: float | None
    total_score: float | None
    reason: str

    @property
    def direction(self) -> str:
        """升 / 降 / 新增 / 退出, by class order A > B > C > D."""
        if self.previous_class is None:
            return "新增"
        if self.cls is None:
            return "退出"
        return "升" if CLASSES.index(self.cls) < CLASSES.index(self.previous_class) else "降"


@dataclass(frozen=True)
class FlagCount:
    """How many enterprises carry one data-quality flag."""

    label: str
    count: int


@dataclass(frozen=True)
class AnnualFigures:
    """Every figure the annual report prints."""

    year: int
    previous_year: int | None
    scheme_name: str
    scheme_version: str
    total: int
    status_counts: dict[str, int]
    groups: list[GroupClasses]
    totals: ZoneTotals
    benchmarks: list[BenchmarkRow]
    scores: list[float]
    """Total scores of the evaluated enterprises (both groups), for the histogram."""
    tax_per_mu: list[float]
    """亩均税收 of the scored enterprises that have one, for the distribution chart."""
    tax_per_mu_name: IndicatorName
    """How the run's scheme names 亩均税收 (the zone figure, the chart, the division column)."""
    value_added_per_mu_name: IndicatorName
    divisions: list[DivisionRow]
    dimensions: list[DimensionRow]
    top: dict[str, list[RankedRow]]
    d_list: list[RankedRow]
    changes: list[ClassChange]
    warnings: list[str]
    flags: list[FlagCount]

    @property
    def class_totals(self) -> dict[str, int]:
        """Enterprises per class over both groups."""
        return {c: sum(g.classes.get(c, 0) for g in self.groups) for c in CLASSES}


def _mean(series: pl.Series) -> float | None:
    clean = series.drop_nulls()
    return float(clean.mean()) if clean.len() else None  # type: ignore[arg-type]


def _class_counts(frame: pl.DataFrame) -> dict[str, int]:
    found = dict(frame.filter(pl.col("class").is_not_null()).group_by("class").len().iter_rows())
    return {c: int(found.get(c, 0)) for c in CLASSES}


def _groups(e: pl.DataFrame) -> list[GroupClasses]:
    out = []
    for group in GROUPS:
        part = e.filter(pl.col("group") == group)
        status = dict(part.group_by("status").len().iter_rows())
        out.append(
            GroupClasses(
                group=group,
                evaluated=int(status.get("evaluated", 0)),
                vetoed=int(status.get("vetoed", 0)),
                exempt=int(status.get("exempt", 0)),
                classes=_class_counts(part),
                mean_score=_mean(part.filter(pl.col("status") == "evaluated")["total_score"]),
            )
        )
    return out


def _with_inputs(result: EvaluationLike) -> pl.DataFrame:
    wanted = ["uscc", "land_area_mu", "tax", "revenue", "value_added", "employees", *result.scheme.scope.veto_flags]
    present = [c for c in wanted if c in result.inputs.columns]
    return result.enterprises.join(result.inputs.select(present), on="uscc", how="left")


def _sum(frame: pl.DataFrame, column: str) -> float:
    if column not in frame.columns:
        return 0.0
    return float(frame[column].cast(pl.Float64).fill_null(0.0).sum())


def _totals(scored: pl.DataFrame) -> ZoneTotals:
    return ZoneTotals(
        enterprises=scored.height,
        land_mu=_sum(scored, "land_area_mu"),
        tax=_sum(scored, "tax"),
        revenue=_sum(scored, "revenue"),
        value_added=_sum(scored, "value_added"),
        employees=_sum(scored, "employees"),
    )


def _zone_benchmarks(result: EvaluationLike) -> dict[tuple[str, str], float | None]:
    b = result.benchmarks
    if "industry_division" in b.columns:
        b = b.filter(pl.col("industry_division").is_null())
    return {(r["group"], r["indicator"]): r["benchmark"] for r in b.iter_rows(named=True)}


def _benchmarks(result: EvaluationLike, previous: EvaluationLike | None) -> list[BenchmarkRow]:
    now = _zone_benchmarks(result)
    before = _zone_benchmarks(previous) if previous is not None else {}
    rows = []
    for group in result.scheme.groups.values():
        for ind in group.indicators:
            rows.append(
                BenchmarkRow(
                    group=group.key,
                    indicator=ind.key,
                    label=ind.label,
                    unit=ind.unit,
                    benchmark=now.get((group.key, ind.key)),
                    previous=before.get((group.key, ind.key)),
                )
            )
    return rows


def _divisions(scored: pl.DataFrame) -> list[DivisionRow]:
    out = []
    for division in sorted(d for d in scored["industry_division"].unique().to_list() if d is not None) + (
        [None] if scored["industry_division"].null_count() else []
    ):
        part = scored.filter(
            pl.col("industry_division").is_null() if division is None else pl.col("industry_division") == division
        )
        with_land = part.filter(
            (pl.col("land_area_mu") > 0) & pl.col("tax").is_not_null()
            if "land_area_mu" in part.columns and "tax" in part.columns
            else pl.lit(False)
        )
        land = _sum(with_land, "land_area_mu")
        out.append(
            DivisionRow(
                division=division or "",
                name=division_name(division),
                scored=part.height,
                classes=_class_counts(part),
                mean_score=_mean(part.filter(pl.col("status") == "evaluated")["total_score"]),
                tax_per_mu=_sum(with_land, "tax") / land if land > 0 else None,
            )
        )
    return sorted(out, key=lambda d: (-d.scored, d.division))


def _dimensions(e: pl.DataFrame, scheme: Scheme) -> list[DimensionRow]:
    rows = []
    for group in scheme.groups.values():
        evaluated = e.filter((pl.col("group") == group.key) & (pl.col("status") == "evaluated"))
        by_dimension: dict[str, list[Any]] = {}
        for ind in group.indicators:
            by_dimension.setdefault(ind.dimension or "其他", []).append(ind)
        for dimension, indicators in by_dimension.items():
            weight = math.fsum(i.weight for i in indicators)
            if evaluated.height:
                points = evaluated.select(
                    pl.sum_horizontal([pl.col(f"{i.key}__score").fill_null(0.0) for i in indicators])
                ).to_series()
                mean = float(points.mean())  # type: ignore[arg-type]
            else:
                mean = None
            rows.append(DimensionRow(group.key, dimension, weight, mean))
    return rows


def _top(e: pl.DataFrame) -> dict[str, list[RankedRow]]:
    out = {}
    for group in GROUPS:
        part = e.filter((pl.col("group") == group) & (pl.col("status") == "evaluated")).sort(["rank", "uscc"])
        out[group] = [
            RankedRow(group, r["rank"], r["uscc"], r["name"] or "", r["total_score"], r["class"])
            for r in part.head(TOP_N).iter_rows(named=True)
        ]
    return out


def _veto_reason(row: dict[str, Any], veto_flags: tuple[str, ...]) -> str:
    labels = [FIELDS_BY_KEY[k].label if k in FIELDS_BY_KEY else k for k in veto_flags if row.get(k)]
    return "一票否决" + (f"（{'、'.join(labels)}）" if labels else "")


def _d_list(joined: pl.DataFrame, scheme: Scheme) -> list[RankedRow]:
    n_by_group = dict(joined.filter(pl.col("status") == "evaluated").group_by("group").len().iter_rows())
    part = joined.filter(pl.col("class") == "D").sort(["group", "status", "rank", "uscc"], nulls_last=True)
    out = []
    for r in part.iter_rows(named=True):
        if r["status"] == "vetoed":
            note = _veto_reason(r, scheme.scope.veto_flags)
        else:
            note = f"组内排名 {r['rank']}/{n_by_group.get(r['group'], 0)}"
        out.append(RankedRow(r["group"], r["rank"], r["uscc"], r["name"] or "", r["total_score"], r["class"], note))
    return out


def _change_reason(now: dict[str, Any], before: dict[str, Any], labels: dict[str, str]) -> str:
    if before["class"] is None:
        return f"上年{STATUS_LABELS.get(before['status'] or '', '未参加评价')}，本年首次参与分类"
    if now["class"] is None:
        return f"本年{STATUS_LABELS.get(now['status'] or '', '未参加评价')}"
    parts = []
    if now["status"] == "vetoed" and before["status"] != "vetoed":
        parts.append("本年被一票否决")
    elif before["status"] == "vetoed" and now["status"] != "vetoed":
        parts.append("上年一票否决，本年正常参评")
    if now["group"] != before["group"]:
        parts.append(f"分组由{GROUP_LABELS.get(before['group'], '—')}变为{GROUP_LABELS.get(now['group'], '—')}")
    if now["total_score"] is not None and before["total_score"] is not None:
        delta = now["total_score"] - before["total_score"]
        parts.append(f"综合得分 {before['total_score']:.2f}→{now['total_score']:.2f}（{delta:+.2f}）")
        deltas = []
        for key, label in labels.items():
            a, b = now.get(f"{key}__score"), before.get(f"{key}__score")
            if a is not None and b is not None and abs(a - b) >= 0.005:
                deltas.append((a - b, label))
        deltas.sort(key=lambda d: -abs(d[0]))
        if deltas:
            parts.append("主要变化：" + "、".join(f"{label}得分{d:+.2f}" for d, label in deltas[:2]))
        bonus_delta = (now.get("bonus") or 0.0) - (before.get("bonus") or 0.0)
        if abs(bonus_delta) >= 0.005:
            parts.append(f"加分{bonus_delta:+.2f}")
    return "；".join(parts) if parts else "组内相对位次变化"


def _changes(result: EvaluationLike, previous: EvaluationLike) -> list[ClassChange]:
    labels = result.scheme.indicator_labels
    before = {r["uscc"]: r for r in previous.enterprises.iter_rows(named=True)}
    out = []
    for now in result.enterprises.iter_rows(named=True):
        prior = before.get(now["uscc"])
        if prior is None or prior["class"] == now["class"]:
            continue
        out.append(
            ClassChange(
                uscc=now["uscc"],
                name=now["name"] or prior["name"] or "",
                previous_class=prior["class"],
                cls=now["class"],
                previous_score=prior["total_score"],
                total_score=now["total_score"],
                reason=_change_reason(now, prior, labels),
            )
        )
    order = {"降": 0, "升": 1, "新增": 2, "退出": 3}
    return sorted(out, key=lambda c: (order[c.direction], c.cls or "Z", c.uscc))


def _flags(e: pl.DataFrame, labels: dict[str, str]) -> list[FlagCount]:
    if "flags" not in e.columns or not e.height:
        return []
    counts = e.select(pl.col("flags").explode().drop_nulls()).to_series().value_counts(sort=True)
    out = []
    for flag, count in counts.iter_rows():
        kind, _, detail = flag.partition(":")
        label = FLAG_LABELS.get(kind, kind)
        if detail:
            label = f"{labels.get(detail, detail)}：{label}"
        out.append(FlagCount(label, int(count)))
    return sorted(out, key=lambda f: (-f.count, f.label))


def zone_figures(result: EvaluationLike) -> tuple[ZoneTotals, list[DivisionRow]]:
    """The zone's sums and its industry divisions: the report's rule, which the cockpit (领导驾驶舱) keeps with a run.

    Σ over the scored (evaluated and vetoed) enterprises, so 亩均税收 is Σ tax / Σ land, never a mean of ratios.
    """
    scored = _with_inputs(result).filter(pl.col("status").is_in(SCORED_STATUSES))
    return _totals(scored), _divisions(scored)


def annual_figures(result: EvaluationLike, previous: EvaluationLike | None = None) -> AnnualFigures:
    """Compute the annual report's figures from a run (and last year's run, for comparisons)."""
    e = result.enterprises
    joined = _with_inputs(result)
    scored = joined.filter(pl.col("status").is_in(SCORED_STATUSES))
    status = dict(e.group_by("status").len().iter_rows())
    tax_per_mu = scored["tax_per_mu__value"].drop_nulls().to_list() if "tax_per_mu__value" in scored.columns else []
    return AnnualFigures(
        year=result.year,
        previous_year=previous.year if previous is not None else None,
        scheme_name=result.scheme.info.name,
        scheme_version=result.scheme.info.version,
        total=e.height,
        status_counts={s: int(status.get(s, 0)) for s in STATUSES},
        groups=_groups(e),
        totals=_totals(scored),
        benchmarks=_benchmarks(result, previous),
        scores=e.filter(pl.col("status") == "evaluated")["total_score"].drop_nulls().to_list(),
        tax_per_mu=[v for v in tax_per_mu if math.isfinite(v)],
        tax_per_mu_name=IndicatorName.of(result.scheme, "tax_per_mu"),
        value_added_per_mu_name=IndicatorName.of(result.scheme, "value_added_per_mu"),
        divisions=_divisions(scored),
        dimensions=_dimensions(e, result.scheme),
        top=_top(e),
        d_list=_d_list(joined, result.scheme),
        changes=_changes(result, previous) if previous is not None else [],
        warnings=list(result.warnings),
        flags=_flags(e, result.scheme.indicator_labels),
    )
