"""Plain-Chinese explanation of one enterprise's result (为什么是这个分类).

Reads only the result (its enterprises, benchmarks, canonical inputs and
scheme), so an explanation of a stored run says exactly what that run did.
Numbers are rounded for reading only; the run itself is never rounded.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from zonehero.core.domain.classes import GROUP_LABELS
from zonehero.core.domain.fields import FIELDS_BY_KEY
from zonehero.core.evaluation.result import EvaluationResult
from zonehero.core.evaluation.scheme_model import Indicator, Scheme
from zonehero.errors import NotFound


def _n(value: float | None, digits: int = 2) -> str:
    if value is None:
        return "—"
    text = f"{value:,.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _label(key: str) -> str:
    f = FIELDS_BY_KEY.get(key)
    return f.label if f else key


def explain_enterprise(result: EvaluationResult, uscc: str) -> list[str]:
    """Sentences, in reading order, on why ``uscc`` got its status, scores and class. NotFound if absent."""
    row = result.enterprise(uscc)
    if row is None:
        raise NotFound(f"本次评价中没有统一社会信用代码为 {uscc} 的企业")
    inputs = result.inputs.filter(pl.col("uscc") == uscc).row(0, named=True)
    scheme = result.scheme
    name = row["name"] or uscc
    lines = [f"{name}（{uscc}），{result.year} 年度评价。"]
    lines += _status_lines(row, inputs, scheme, result.year)
    if row["status"] not in ("evaluated", "vetoed"):
        lines += _flag_lines(row)
        return lines
    group = scheme.groups[row["group"]]
    for ind in group.indicators:
        lines.append(_indicator_line(result, row, ind))
    lines += _bonus_lines(row, inputs, scheme)
    lines += _class_lines(row, scheme, _evaluated_in_group(result, row["group"]))
    lines += _carbon_lines(row)
    lines += _policy_lines(row)
    lines += _flag_lines(row)
    return lines


def _status_lines(row: dict[str, Any], inputs: dict[str, Any], scheme: Scheme, year: int) -> list[str]:
    scope = scheme.scope
    status = row["status"]
    land = inputs.get("land_area_mu")
    if status == "out_of_scope":
        land_text = "缺失" if land is None else f"为 {_n(land)} 亩，小于 {_n(scope.min_land_mu_below_scale)} 亩"
        return [f"不纳入评价：不是规上企业，且用地面积{land_text}。"]
    if inputs.get("above_scale") is None:
        why = (
            f"未填写规上标志，营业收入 {_n(inputs.get('revenue'))} 万元"
            f"{'≥' if row['group'] == 'above' else '<'} {_n(scope.above_scale_revenue)} 万元"
        )
    else:
        why = "按规上企业标志"
    lines = [f"分组：{GROUP_LABELS[row['group']]}企业（{why}），基准与分类只在本组内比较。"]
    if status == "vetoed":
        reasons = "、".join(_label(f) for f in scope.veto_flags if inputs.get(f))
        cap = (
            "不得评为 A、B 类（按得分可得的类别，最高为 C 类）"
            if scheme.classes.vetoed_class == "C"
            else "无论得分均为 D 类"
        )
        lines.append(f"一票否决：存在「{reasons}」，{cap}；仍计算得分供参考，不加分。")
    elif status == "exempt":
        start = inputs.get("production_start_year")
        first = year - (scope.exempt_years - 1)
        if start is not None and start >= first:
            lines.append(
                f"不参评：{start} 年投产，处于投产后前 {scope.exempt_years} 年内（{first} 年及以后投产的企业不参评）。"
            )
        code = (inputs.get("industry_code") or "").strip().upper()
        prefixes = [p for p in scope.exempt_industry_prefixes if code.startswith(p)]
        if prefixes:
            lines.append(f"不参评：行业代码 {code} 属于方案不评价的行业（{'、'.join(prefixes)}）。")
    else:
        lines.append("参与评价。")
    return lines


def _benchmark_source(result: EvaluationResult, row: dict[str, Any], ind: Indicator) -> str:
    mode = result.scheme.scoring.benchmark_mode
    if mode == "fixed":
        return "方案固定基准"
    factor = result.scheme.scoring.benchmark_factor
    times = "" if factor == 1 else f"的 {_n(factor)} 倍"
    division = row.get("industry_division")
    if mode == "industry" and division is not None:
        b = result.benchmarks.filter(
            (pl.col("group") == row["group"])
            & (pl.col("indicator") == ind.key)
            & (pl.col("industry_division") == division)
        )
        if b.height:
            return f"本组行业大类 {division} 平均{times}"
        return f"本组区域平均{times}（行业大类 {division} 企业不足 {result.scheme.scoring.industry_min_count} 家）"
    return f"本组区域平均{times}"


def _indicator_line(result: EvaluationResult, row: dict[str, Any], ind: Indicator) -> str:
    value = row[f"{ind.key}__value"]
    bench = row[f"{ind.key}__benchmark"]
    ratio = row[f"{ind.key}__ratio"]
    score = row[f"{ind.key}__score"]
    unit = ind.unit
    head = f"「{ind.label}」（权重 {_n(ind.weight)}）"
    if bench is None or bench <= 0:
        return f"{head}：本组基准值{'缺失' if bench is None else '不大于 0'}，全组该指标均得 0 分。"
    if value is None:
        how = "得 0 分" if result.scheme.scoring.missing_policy == "zero" else f"按组内平均得分计 {_n(score)} 分"
        return f"{head}：数据缺失（{_label(ind.numerator)}或{_label(ind.denominator)}缺失，或分母不大于 0），{how}。"
    source = _benchmark_source(result, row, ind)
    compare = "越低越好，比值 = 基准值 ÷ 企业值" if ind.direction == "lower" else "比值 = 企业值 ÷ 基准值"
    text = (
        f"{head}：{_n(value, 4)} {unit}，基准值 {_n(bench, 4)} {unit}（{source}），{compare} = {_n(ratio, 4)}"
    ).replace("  ", " ")
    cap = result.scheme.scoring.cap
    if ratio is not None and ratio >= cap:
        text += f"，已达封顶 {_n(cap)} 倍，得满分 {_n(score)} 分。"
    elif ratio is not None and ratio < 0:
        text += "，比值为负，得 0 分。"
    else:
        text += f"，得 {_n(score)} 分。"
    return text


def _bonus_lines(row: dict[str, Any], inputs: dict[str, Any], scheme: Scheme) -> list[str]:
    if row["status"] != "evaluated":
        return ["一票否决企业不加分。"]
    parts = [f"{_label(f)} +{_n(p)}" for f, p in scheme.bonus.flags.items() if inputs.get(f)]
    level = inputs.get("zjtx_level") or ""
    if level in scheme.bonus.zjtx_level:
        label = {"province": "省级专精特新", "national": "国家级专精特新“小巨人”"}.get(level, level)
        parts.append(f"{label} +{_n(scheme.bonus.zjtx_level[level])}（专精特新只计最高一项）")
    if not parts:
        return ["无加分项。"]
    raw = sum(p for f, p in scheme.bonus.flags.items() if inputs.get(f)) + scheme.bonus.zjtx_level.get(level, 0.0)
    capped = (
        f"，合计 {_n(raw)} 分超过上限，按 {_n(scheme.bonus.max_total)} 分计" if raw > scheme.bonus.max_total else ""
    )
    return [f"加分 {_n(row['bonus'])} 分：{'；'.join(parts)}{capped}。"]


def _evaluated_in_group(result: EvaluationResult, group: str) -> int:
    e = result.enterprises
    return e.filter((pl.col("group") == group) & (pl.col("status") == "evaluated")).height


def _class_lines(row: dict[str, Any], scheme: Scheme, n: int) -> list[str]:
    c = scheme.classes
    group = GROUP_LABELS[row["group"]]
    lines = [f"综合得分 {_n(row['total_score'])} 分（各指标得分 + 加分，排名按未取整的分数）。"]
    if row["status"] == "vetoed":
        lines.append(f"分类：{row['class']} 类（一票否决）。")
        return lines
    if c.mode == "quota":
        rank = row["rank"]
        lines.append(f"在{group}组 {n} 家参评企业中排名第 {rank}（并列者名次相同）。")
        a, b, c_ = (c.quota_a * n // 100, c.quota_b * n // 100, c.quota_c * n // 100)
        lines.append(
            f"按比例分类（名次 × 100 ≤ 比例 × {n}）：前 {c.quota_a}% 即第 {a} 名及以前为 A 类，"
            f"前 {c.quota_b}% 即第 {b} 名及以前为 B 类，前 {c.quota_c}% 即第 {c_} 名及以前为 C 类，其余为 D 类；"
            f"该企业为 {row['class']} 类。"
        )
    else:
        lines.append(
            f"按分数线分类：≥ {_n(c.threshold_a)} 分为 A 类，≥ {_n(c.threshold_b)} 分为 B 类，"
            f"≥ {_n(c.threshold_c)} 分为 C 类，其余为 D 类；该企业为 {row['class']} 类。"
        )
    return lines


def _carbon_lines(row: dict[str, Any]) -> list[str]:
    if row["carbon_grade"] is None:
        return ["碳效等级：无（二氧化碳排放量或工业增加值缺失，或增加值不大于 0，或无可用的行业基准）。"]
    return [
        f"碳效等级 {row['carbon_grade']} 级：单位增加值碳排放 {_n(row['carbon_intensity'], 4)} 吨/万元，"
        f"为基准的 {_n(row['carbon_k'], 3)} 倍。"
    ]


def _policy_lines(row: dict[str, Any]) -> list[str]:
    if row["class"] is None:
        return []
    text = f"对应政策：{row['policy_name']}；用地用能指标：{row['land_energy_quota_label'] or row['land_energy_quota']}"
    surcharge = row["electricity_surcharge"]
    if surcharge:
        year = row.get("consecutive_d_year")
        nth = f"（连续第 {year} 年 D 类）" if year else ""
        text += f"；差别化电价加价 {_n(surcharge)} 元/千瓦时{nth}"
    if row["policy_other"]:
        text += f"；{row['policy_other']}"
    return [text + "。"]


def _flag_lines(row: dict[str, Any]) -> list[str]:
    lines = []
    for flag in row["flags"] or []:
        if flag == "energy_computed":
            lines.append("综合能耗由分品种能源消费量折算。")
        elif flag == "co2_computed":
            lines.append("二氧化碳排放量由分品种能源消费量折算。")
    return lines
