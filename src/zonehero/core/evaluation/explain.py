"""An enterprise's stored result (the §8 record of a run) read back for people: indicators, 四个论, plain words.

Everything comes from the run itself: the record kept for the enterprise and
the scheme text the run used (parsed again with
:func:`zonehero.core.evaluation.scheme.parse_scheme`), so the explanation matches
the published list even after the zone's scheme has changed. Pure: no
database, no web objects.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from zonehero.core.domain.classes import GROUP_LABELS, STATUS_LABELS, flag_label
from zonehero.core.evaluation.scheme import Scheme

DIMENSION_ORDER: tuple[str, ...] = ("亩均", "低碳", "科技", "人均")
"""The four 论 in the order the bureau names them; a scheme may add others (shown after)."""


@dataclass(frozen=True)
class IndicatorLine:
    """One indicator of the enterprise: value, benchmark, ratio, score, weight, with label and unit."""

    key: str
    label: str
    unit: str
    dimension: str
    weight: float
    direction: str
    value: float | None
    benchmark: float | None
    ratio: float | None
    score: float | None


@dataclass(frozen=True)
class DimensionScore:
    """Σ of the indicator scores of one 论, against the score at the benchmark (Σ weights) and the maximum."""

    name: str
    score: float
    weight: float
    max: float


@dataclass(frozen=True)
class ResultExplanation:
    """What the enterprise page shows about one result."""

    indicators: list[IndicatorLine]
    dimensions: list[DimensionScore]
    sentences: list[str]
    flags: list[str]
    policy: dict[str, Any] | None = field(default=None)


def _num(value: Any) -> float | None:
    """A finite number or None: a stored record keeps an infinite ratio as null, so the flat frame's inf reads alike."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return None
    return float(value)


def _fmt(value: float | None, decimals: int = 2) -> str:
    return "—" if value is None else f"{value:,.{decimals}f}"


PARTS: tuple[str, ...] = ("value", "benchmark", "ratio", "score")


def indicator_lines(record: Mapping[str, Any], scheme: Scheme) -> list[IndicatorLine]:
    """The indicators of the enterprise's group in scheme order (none when it has no group), from its §8 record."""
    stored = record.get("indicators") or {}
    return _lines(record.get("group"), scheme, lambda key: stored.get(key) or {})


def frame_indicator_lines(row: Mapping[str, Any], scheme: Scheme) -> list[IndicatorLine]:
    """The same lines from a row of the engine's flat frame (``<key>__value`` …), as the notices read a run."""
    return _lines(row.get("group"), scheme, lambda key: {part: row.get(f"{key}__{part}") for part in PARTS})


def _lines(group_key: Any, scheme: Scheme, parts_of: Callable[[str], Mapping[str, Any]]) -> list[IndicatorLine]:
    group = scheme.groups.get(str(group_key)) if group_key else None
    if group is None:
        return []
    lines = []
    for ind in group.indicators:
        parts = parts_of(ind.key)
        lines.append(
            IndicatorLine(
                key=ind.key,
                label=ind.label,
                unit=ind.unit,
                dimension=ind.dimension or "其他",
                weight=ind.weight,
                direction=ind.direction,
                value=_num(parts.get("value")),
                benchmark=_num(parts.get("benchmark")),
                ratio=_num(parts.get("ratio")),
                score=_num(parts.get("score")),
            )
        )
    return lines


def dimension_scores(lines: list[IndicatorLine], cap: float) -> list[DimensionScore]:
    """The four 论 (and any other dimension the scheme names), each summed over its indicators."""
    names = [d for d in DIMENSION_ORDER if any(line.dimension == d for line in lines)]
    names += sorted({line.dimension for line in lines} - set(names))
    result = []
    for name in names:
        members = [line for line in lines if line.dimension == name]
        weight = sum(line.weight for line in members)
        result.append(
            DimensionScore(
                name=f"{name}论" if name in DIMENSION_ORDER else name,
                score=sum(line.score or 0.0 for line in members),
                weight=weight,
                max=weight * cap,
            )
        )
    return result


def _class_rule(scheme: Scheme, class_: str, rank: int | None, evaluated_in_group: int | None) -> str:
    classes = scheme.classes
    if classes.mode == "threshold":
        bounds = {"A": classes.threshold_a, "B": classes.threshold_b, "C": classes.threshold_c}
        if class_ in bounds:
            return f"方案按分数线分类：总分不低于 {_fmt(bounds[class_])} 分即为 {class_} 类"
        return f"方案按分数线分类：总分低于 {_fmt(classes.threshold_c)} 分为 D 类"
    quotas = {"A": classes.quota_a, "B": classes.quota_b, "C": classes.quota_c}
    share = ""
    if rank is not None and evaluated_in_group:
        share = f"（排名位于组内前 {rank * 100 / evaluated_in_group:.1f}%）"
    if class_ in quotas:
        return f"方案按比例分类：组内排名前 {quotas[class_]}% 的企业可评为 {class_} 类{share}"
    return f"方案按比例分类：组内排名在后 {100 - classes.quota_c}% 的企业为 D 类{share}"


def explain_result(
    record: Mapping[str, Any], scheme: Scheme, *, evaluated_in_group: int | None = None
) -> ResultExplanation:
    """Indicators, dimension scores and the reasons for the class in plain Chinese.

    ``evaluated_in_group`` is the number of evaluated enterprises in the
    enterprise's group in the same run (for "ranked r of n").
    """
    lines = indicator_lines(record, scheme)
    status = str(record.get("status") or "")
    class_ = record.get("class")
    group = record.get("group")
    group_label = GROUP_LABELS.get(str(group), "未分组") if group else "未分组"
    total, bonus, rank = _num(record.get("total_score")), _num(record.get("bonus")), record.get("rank")
    sentences: list[str] = []
    if status == "out_of_scope":
        sentences.append(
            f"该企业不是规上企业，且用地面积缺失或不足 {_fmt(scheme.scope.min_land_mu_below_scale)} 亩，"
            "不纳入本年度评价，因此没有得分和分类。"
        )
    elif status == "exempt":
        sentences.append(
            f"该企业处于投产后的前 {scheme.scope.exempt_years} 年，或属于方案不参评的行业"
            f"（{'、'.join(scheme.scope.exempt_industry_prefixes) or '无'}），本年度不参评，因此没有得分和分类。"
        )
    elif status == "vetoed":
        sentences.append(
            f"该企业存在一票否决事项（如安全生产、环保或违法用地等），按方案直接评为 {class_ or '—'} 类，"
            f"不计加分；其指标得分 {_fmt(total)} 分仅供参考。"
        )
    elif status == "evaluated":
        indicator_sum = sum(line.score or 0.0 for line in lines)
        of_n = f"，在{group_label}组 {evaluated_in_group} 家参评企业中排名第 {rank}" if evaluated_in_group else ""
        sentences.append(
            f"该企业在{group_label}组参评，综合得分 {_fmt(total)} 分（指标得分合计 {_fmt(indicator_sum)} 分，"
            f"加分 {_fmt(bonus or 0.0)} 分）{of_n}。"
        )
        if class_:
            sentences.append(
                _class_rule(scheme, str(class_), rank if isinstance(rank, int) else None, evaluated_in_group) + "。"
            )
    scored = [line for line in lines if line.ratio is not None and line.score is not None]
    above = sorted((line for line in scored if line.ratio >= 1.0), key=lambda x: -(x.ratio or 0.0))  # type: ignore[operator]
    below = sorted((line for line in scored if line.ratio < 1.0), key=lambda x: x.ratio or 0.0)  # type: ignore[operator]
    if above:
        sentences.append(
            "高于区域基准的指标："
            + "、".join(f"{x.label}（为基准的 {_fmt((x.ratio or 0) * 100, 0)}%）" for x in above[:3])
            + "。"
        )
    if below:
        sentences.append(
            "低于区域基准、拉低得分的指标："
            + "、".join(f"{x.label}（为基准的 {_fmt((x.ratio or 0) * 100, 0)}%）" for x in below[:3])
            + "。"
        )
    missing = [line.label for line in lines if line.value is None and status in ("evaluated", "vetoed")]
    if missing:
        sentences.append("以下指标因数据缺失未能计算：" + "、".join(missing) + "，请核对报送数据。")
    policy = record.get("policy")
    if isinstance(policy, Mapping) and policy.get("name"):
        sentences.append(f"对应差别化政策：{policy['name']}。")
    if status and status not in STATUS_LABELS:
        sentences.append(f"评价状态：{status}。")
    labels = scheme.indicator_labels
    return ResultExplanation(
        indicators=lines,
        dimensions=dimension_scores(lines, scheme.scoring.cap),
        sentences=sentences,
        flags=[flag_label(str(f), labels) for f in record.get("flags") or []],
        policy=dict(policy) if isinstance(policy, Mapping) else None,
    )
