"""Tier definitions (梯度培育标准) loaded from TOML, validated like schemes.

Every problem is collected, never just the first, and each names the dotted
key path that is wrong in ``InputProblem.column`` (e.g.
``scale.tiers[2].min_revenue``). The packaged default is
``zonehero/data/cultivation.toml``; its comments cite the published
conditions and say which ones are approximated.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from zonehero.core.cultivation.conditions import METRICS, OPERATORS, Condition
from zonehero.errors import InputProblem, SchemeError

DEFAULT_RESOURCE = "cultivation.toml"
ZJTX_LEVELS: tuple[str, ...] = ("province", "national")
_KEY_RE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
_MISSING = object()


@dataclass(frozen=True)
class ScaleTier:
    """One revenue step: enterprises with revenue >= ``min_revenue`` (万元) up to the next step."""

    key: str
    label: str
    min_revenue: float


@dataclass(frozen=True)
class QualityTier:
    """One step of the 优质中小企业 ladder and the conditions to enter it."""

    key: str
    label: str
    aliases: tuple[str, ...]
    """Values of the optional ``quality_tier`` input column that mean this tier (key and label always do)."""
    zjtx_levels: tuple[str, ...]
    """``zjtx_level`` values that place an enterprise in this tier."""
    review: bool
    """Candidacy cannot be judged from data: a candidate needs manual review (需人工核实)."""
    source: str
    conditions: tuple[Condition, ...]


@dataclass(frozen=True)
class TierDefinitions:
    """Both ladders, lowest tier first; immutable, so one parsed copy may be shared."""

    name: str
    version: str
    description: str
    scale: tuple[ScaleTier, ...]
    candidate_revenue_share: float
    """A candidate for the next scale tier has revenue >= this share of its threshold …"""
    candidate_growth: float
    """… and revenue growth vs the previous year >= this (0.10 = 10%)."""
    quality: tuple[QualityTier, ...]
    text: str

    def quality_by_value(self) -> dict[str, int]:
        """Accepted ``quality_tier`` input values -> rank (1 = lowest tier)."""
        mapping: dict[str, int] = {}
        for rank, tier in enumerate(self.quality, start=1):
            for value in (tier.key, tier.label, *tier.aliases):
                mapping[value] = rank
        return mapping


class _Reader:
    """Typed access to the raw TOML that records problems (with key paths) instead of raising."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[InputProblem] = []

    def problem(self, path: str, message: str) -> None:
        self.problems.append(InputProblem(message, file=self.source, column=path or None))

    def table(self, parent: dict[str, Any], key: str, path: str) -> dict[str, Any]:
        value = parent.get(key, _MISSING)
        if not isinstance(value, dict):
            self.problem(path, "缺少表（section）" if value is _MISSING else "应为表（table）")
            return {}
        return value

    def array(self, parent: dict[str, Any], key: str, path: str) -> list[dict[str, Any]]:
        value = parent.get(key, _MISSING)
        if value is _MISSING:
            self.problem(path, "缺少表数组（[[...]]）")
            return []
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.problem(path, "应为表数组（[[...]]）")
            return []
        if not value:
            self.problem(path, "至少需要一档")
        return value

    def known(self, table: dict[str, Any], allowed: set[str], path: str) -> None:
        for key in table:
            if key not in allowed:
                self.problem(f"{path}.{key}" if path else key, f"未知的键；可用的键：{'、'.join(sorted(allowed))}")

    def get(self, table: dict[str, Any], key: str, path: str, kind: type, default: Any = _MISSING) -> Any:
        full = f"{path}.{key}"
        value = table.get(key, _MISSING)
        if value is _MISSING:
            if default is _MISSING:
                self.problem(full, "缺少必填键")
                return None
            return default
        if kind is float:
            if isinstance(value, int | float) and not isinstance(value, bool):
                return float(value)
        elif kind is tuple:
            if isinstance(value, list) and all(isinstance(v, str) for v in value):
                return tuple(value)
        elif isinstance(value, kind):
            return value
        names = {float: "数值", str: "字符串", bool: "布尔值 true/false", tuple: "字符串列表"}
        self.problem(full, f"类型错误：应为{names[kind]}")
        return None


def parse_tiers(text: str, source: str = "<tiers>") -> TierDefinitions:
    """Parse and validate tier definitions; SchemeError lists every problem found."""
    r = _Reader(source)
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SchemeError(InputProblem(f"TOML 语法错误：{exc}", file=source)) from None
    r.known(raw, {"tiers", "scale", "quality"}, "")
    info = r.table(raw, "tiers", "tiers")
    r.known(info, {"name", "version", "description"}, "tiers")
    name = r.get(info, "name", "tiers", str)
    version = r.get(info, "version", "tiers", str)
    description = r.get(info, "description", "tiers", str, "")

    # A missing section is one problem, not one per key inside it.
    share = growth = None
    scale: tuple[ScaleTier, ...] = ()
    scale_table = r.table(raw, "scale", "scale")
    if "scale" in raw:
        r.known(scale_table, {"candidate_revenue_share", "candidate_growth", "tiers"}, "scale")
        share = r.get(scale_table, "candidate_revenue_share", "scale", float)
        if share is not None and not 0 < share <= 1:
            r.problem("scale.candidate_revenue_share", "须大于 0 且不大于 1")
        growth = r.get(scale_table, "candidate_growth", "scale", float)
        if growth is not None and growth <= -1:
            r.problem("scale.candidate_growth", "须大于 -1")
        scale = _parse_scale(r, r.array(scale_table, "tiers", "scale.tiers"))

    quality: tuple[QualityTier, ...] = ()
    quality_table = r.table(raw, "quality", "quality")
    if "quality" in raw:
        r.known(quality_table, {"tiers"}, "quality")
        quality = _parse_quality(r, r.array(quality_table, "tiers", "quality.tiers"))

    if r.problems:
        raise SchemeError(r.problems)
    assert share is not None and growth is not None  # set whenever no problem was recorded
    return TierDefinitions(
        name=name,
        version=version,
        description=description,
        scale=scale,
        candidate_revenue_share=share,
        candidate_growth=growth,
        quality=quality,
        text=text,
    )


def _check_key(r: _Reader, key: Any, path: str, seen: set[str]) -> None:
    if not isinstance(key, str):
        return
    if not _KEY_RE.fullmatch(key):
        r.problem(path, f"「{key}」不是有效的键（小写字母、数字与下划线）")
    elif key in seen:
        r.problem(path, f"键「{key}」重复")
    seen.add(key)


def _parse_scale(r: _Reader, items: list[dict[str, Any]]) -> tuple[ScaleTier, ...]:
    tiers: list[ScaleTier] = []
    seen: set[str] = set()
    previous: float | None = None
    for i, t in enumerate(items):
        p = f"scale.tiers[{i}]"
        r.known(t, {"key", "label", "min_revenue"}, p)
        key = r.get(t, "key", p, str)
        _check_key(r, key, f"{p}.key", seen)
        label = r.get(t, "label", p, str)
        minimum = r.get(t, "min_revenue", p, float)
        if minimum is not None:
            if i == 0 and minimum != 0:
                r.problem(f"{p}.min_revenue", "第一档的营业收入下限须为 0")
            elif previous is not None and minimum <= previous:
                r.problem(f"{p}.min_revenue", f"须高于上一档的下限 {previous:g}（各档自低到高排列）")
            previous = minimum
        if key is not None and label is not None and minimum is not None:
            tiers.append(ScaleTier(key, label, minimum))
    return tuple(tiers)


def _parse_quality(r: _Reader, items: list[dict[str, Any]]) -> tuple[QualityTier, ...]:
    tiers: list[QualityTier] = []
    seen: set[str] = set()
    values: dict[str, str] = {}
    for i, t in enumerate(items):
        p = f"quality.tiers[{i}]"
        r.known(t, {"key", "label", "aliases", "zjtx_levels", "review", "source", "conditions"}, p)
        key = r.get(t, "key", p, str)
        _check_key(r, key, f"{p}.key", seen)
        label = r.get(t, "label", p, str)
        aliases = r.get(t, "aliases", p, tuple, ())
        for value in {v for v in (key, label, *(aliases or ())) if v}:
            if value in values and values[value] != key:
                r.problem(f"{p}.aliases", f"取值「{value}」已用于「{values[value]}」")
            values[value] = key
        levels = r.get(t, "zjtx_levels", p, tuple, ())
        for j, level in enumerate(levels or ()):
            if level not in ZJTX_LEVELS:
                r.problem(f"{p}.zjtx_levels[{j}]", f"取值「{level}」无效，应为 {' / '.join(ZJTX_LEVELS)} 之一")
        review = r.get(t, "review", p, bool, False)
        source = r.get(t, "source", p, str)
        raw_conditions = t.get("conditions", [])
        if not isinstance(raw_conditions, list) or not all(isinstance(c, dict) for c in raw_conditions):
            r.problem(f"{p}.conditions", "应为表数组（[[...]]）")
            raw_conditions = []
        conditions = [_parse_condition(r, c, f"{p}.conditions[{j}]") for j, c in enumerate(raw_conditions)]
        if not raw_conditions:
            r.problem(f"{p}.conditions", "至少需要一个条件（无法由数据判断时用 review = true 并给出申报标记条件）")
        if None in (key, label, source) or None in conditions:
            continue
        tiers.append(
            QualityTier(
                key=key,
                label=label,
                aliases=aliases or (),
                zjtx_levels=levels or (),
                review=bool(review),
                source=source,
                conditions=tuple(c for c in conditions if c is not None),
            )
        )
    return tuple(tiers)


def _parse_condition(r: _Reader, t: dict[str, Any], p: str) -> Condition | None:
    r.known(t, {"metric", "op", "value", "note"}, p)
    metric = r.get(t, "metric", p, str)
    op = r.get(t, "op", p, str)
    note = r.get(t, "note", p, str, "")
    value = t.get("value", _MISSING)
    ok = True
    if metric is not None and metric not in METRICS:
        r.problem(f"{p}.metric", f"未知的指标「{metric}」；可用：{'、'.join(METRICS)}")
        ok = False
    if op is not None and op not in OPERATORS:
        r.problem(f"{p}.op", f"未知的比较符「{op}」；可用：{' '.join(OPERATORS)}")
        ok = False
    if value is _MISSING:
        r.problem(f"{p}.value", "缺少必填键")
        return None
    if not ok or metric is None or op is None:
        return None
    if METRICS[metric].kind == "bool":
        if not isinstance(value, bool):
            r.problem(f"{p}.value", "类型错误：布尔指标的取值应为 true/false")
            return None
        if op != "==":
            r.problem(f"{p}.op", "布尔指标只能用 ==")
            return None
        return Condition(metric, op, value, note)
    if isinstance(value, bool) or not isinstance(value, int | float):
        r.problem(f"{p}.value", "类型错误：应为数值")
        return None
    return Condition(metric, op, float(value), note)


def default_tiers_text() -> str:
    """The packaged default tier definitions, comments included."""
    return resources.files("zonehero.data").joinpath(DEFAULT_RESOURCE).read_text("utf-8")


@lru_cache(maxsize=1)
def default_tiers() -> TierDefinitions:
    """The packaged defaults, parsed once (immutable, safe to share)."""
    return parse_tiers(default_tiers_text(), source=f"zonehero/data/{DEFAULT_RESOURCE}")


def load_tiers(path: Path | None = None) -> TierDefinitions:
    """Read and validate a tier file; the packaged default when ``path`` is None."""
    if path is None:
        return default_tiers()
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        raise SchemeError(InputProblem("梯度标准文件不存在", file=str(path))) from None
    except UnicodeDecodeError:
        raise SchemeError(InputProblem("梯度标准文件不是 UTF-8 编码的文本", file=str(path))) from None
    except OSError as exc:
        raise SchemeError(InputProblem(f"无法读取梯度标准文件：{exc.strerror}", file=str(path))) from None
    return parse_tiers(text, source=str(path))
