"""The scheme as a form (方案表单): Chinese labels of every key, form fields ↔ the TOML dict, problems → fields.

The form is another way to write the same TOML: its fields are named by the dotted key paths the parser reports
problems at (``scoring.cap``, ``groups.above.indicators[2].weight``), :func:`read_form` turns what was posted
into the dict ``tomllib`` would make, and :func:`zonehero.core.evaluation.scheme_parse.scheme_from_data` validates
it with the parser's own rules. So a rule lives once, in the parser; this module only converts text to numbers,
and puts each problem next to its field (:func:`with_problems`).

The labels here are also what the field-level version diff prints (:mod:`scheme_diff`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from zonehero.core.domain.classes import GROUP_LABELS
from zonehero.core.domain.fields import BOOL_KEYS, FIELDS_BY_KEY, NUMBER_KEYS
from zonehero.core.evaluation.scheme_model import CLASS_KEYS, GROUPS, Scheme
from zonehero.errors import InputProblem

Kind = Literal["str", "text", "float", "int", "choice", "str_list", "float_list", "flags"]


@dataclass(frozen=True)
class FormField:
    """One input of the form: its name (the key path), Chinese label, unit, how its text is read."""

    name: str
    label: str
    unit: str = ""
    kind: Kind = "float"
    choices: tuple[tuple[str, str], ...] = ()
    """(value, 中文) of a select, in display order."""
    hint: str = ""
    optional: bool = False
    """An empty input leaves the key out (the parser's default applies), rather than being 必填."""
    used_when: tuple[str, str] | None = None
    """(select, value): the input matters only when that select has that value (the page may fold it away)."""


@dataclass(frozen=True)
class FormSection:
    key: str
    title: str
    fields: tuple[FormField, ...]


BENCHMARK_MODES = (("zone", "区域平均（全组总量之比）"), ("industry", "分行业（行业大类）"), ("fixed", "固定值"))
MISSING_POLICIES = (("zero", "记 0 分"), ("group_mean", "取组内该指标平均得分"))
CLASS_MODES = (("quota", "按比例（组内名次）"), ("threshold", "按分数线"))
VETOED_CLASSES = (("D", "一律 D 类"), ("C", "最高 C 类（不得评为 A、B 类）"))
DIRECTIONS = (("higher", "越高越好"), ("lower", "越低越好"))
ZJTX_LEVELS = (("province", "省级专精特新"), ("national", "专精特新“小巨人”"))
DIMENSIONS = ("亩均", "低碳", "科技", "人均")


def _field_label(key: str) -> str:
    return FIELDS_BY_KEY[key].label if key in FIELDS_BY_KEY else key


NUMERATOR_CHOICES: tuple[tuple[str, str], ...] = tuple((k, f"{_field_label(k)}（{k}）") for k in NUMBER_KEYS)
VETO_CHOICES: tuple[tuple[str, str], ...] = tuple((k, _field_label(k)) for k in BOOL_KEYS)

QUOTA = ("classes.mode", "quota")
THRESHOLD = ("classes.mode", "threshold")

SECTIONS: tuple[FormSection, ...] = (
    FormSection(
        "scheme",
        "方案信息",
        (
            FormField("scheme.name", "方案名称", kind="str"),
            FormField("scheme.version", "方案版本号", kind="str", hint="写在方案内的版本说明，如 2025-1"),
            FormField("scheme.description", "方案说明", kind="text", optional=True),
        ),
    ),
    FormSection(
        "scope",
        "评价范围",
        (
            FormField("scope.min_land_mu_below_scale", "规下企业纳入评价的最小用地", "亩"),
            FormField("scope.above_scale_revenue", "未标明规上时按营业收入认定规上", "万元"),
            FormField("scope.exempt_years", "新投产企业免评年数", "年", kind="int"),
            FormField(
                "scope.exempt_industry_prefixes",
                "不参评行业代码前缀",
                kind="str_list",
                hint="用逗号分隔，如 D44, D45, D46",
            ),
            FormField("scope.veto_flags", "一票否决事项", kind="flags", choices=VETO_CHOICES),
        ),
    ),
    FormSection(
        "scoring",
        "基准与得分",
        (
            FormField("scoring.benchmark_mode", "基准模式", kind="choice", choices=BENCHMARK_MODES),
            FormField("scoring.benchmark_factor", "基准系数", "倍", hint="区域或行业基准乘以此系数，部分城市取 2"),
            FormField(
                "scoring.industry_min_count",
                "分行业基准的最少企业数",
                "家",
                kind="int",
                used_when=("scoring.benchmark_mode", "industry"),
            ),
            FormField("scoring.cap", "得分封顶倍数", "倍", hint="单项得分 = 权重 × min(比值, 封顶倍数)"),
            FormField("scoring.missing_policy", "数据缺失的指标", kind="choice", choices=MISSING_POLICIES),
        ),
    ),
    FormSection(
        "bonus",
        "加分项（仅参评企业）",
        (
            FormField("bonus.max_total", "加分合计上限", "分", hint="下列各项留空即不加分；专精特新只取较高的一级"),
            *(FormField(f"bonus.flags.{key}", f"{label}加分", "分", optional=True) for key, label in VETO_CHOICES),
            *(FormField(f"bonus.zjtx_level.{key}", f"{label}加分", "分", optional=True) for key, label in ZJTX_LEVELS),
        ),
    ),
    FormSection(
        "classes",
        "分类",
        (
            FormField("classes.mode", "分类方式", kind="choice", choices=CLASS_MODES),
            FormField(
                "classes.quota_a",
                "A 类累计比例",
                "%",
                kind="int",
                hint="名次 × 100 ≤ 比例 × 企业数",
                used_when=QUOTA,
            ),
            FormField("classes.quota_b", "A、B 类累计比例", "%", kind="int", used_when=QUOTA),
            FormField("classes.quota_c", "A、B、C 类累计比例", "%", kind="int", used_when=QUOTA),
            FormField("classes.threshold_a", "A 类分数线", "分", hint="总分不低于此线", used_when=THRESHOLD),
            FormField("classes.threshold_b", "B 类分数线", "分", used_when=THRESHOLD),
            FormField("classes.threshold_c", "C 类分数线", "分", used_when=THRESHOLD),
            FormField("classes.vetoed_class", "一票否决企业的类别", kind="choice", choices=VETOED_CLASSES),
        ),
    ),
    FormSection(
        "carbon_grade",
        "碳效等级",
        (
            FormField("carbon_grade.industry_min_count", "行业碳效基准的最少企业数", "家", kind="int"),
            FormField(
                "carbon_grade.bounds",
                "1–4 级的碳效比上限",
                kind="float_list",
                hint="用逗号分隔、严格递增，如 0.6, 0.8, 1.2, 2.0；高于最后一个为 5 级",
            ),
        ),
    ),
)

INDICATOR_FIELDS: tuple[FormField, ...] = (
    FormField("dimension", "维度", kind="str", optional=True),
    FormField("label", "指标名称", kind="str"),
    FormField("key", "指标键", kind="str", hint="小写英文，如 tax_per_mu"),
    FormField("numerator", "分子", kind="choice", choices=NUMERATOR_CHOICES),
    FormField("denominator", "分母", kind="choice", choices=NUMERATOR_CHOICES),
    FormField("multiplier", "乘数", "倍", optional=True),
    FormField("unit", "单位", kind="str", optional=True),
    FormField("direction", "方向", kind="choice", choices=DIRECTIONS, optional=True),
    FormField("weight", "权重", "分"),
    FormField("fixed", "固定基准值", optional=True, used_when=("scoring.benchmark_mode", "fixed")),
)
"""The columns of an indicator row; ``fixed`` goes to [benchmarks.fixed.<group>], keyed by the row's key."""

POLICY_FIELDS: tuple[FormField, ...] = (
    FormField("name", "类别名称", kind="str"),
    FormField("electricity_surcharge", "差别电价加价", "元/千瓦时", optional=True),
    FormField(
        "electricity_surcharge_by_consecutive_year",
        "按连续 D 类年数加价",
        "元/千瓦时",
        kind="float_list",
        optional=True,
        hint="仅 D 类：第 1、2、3…年，用逗号分隔，最后一个数用于以后各年；与上一项只填其一",
    ),
    FormField("land_energy_quota", "用地用能指标（代码）", kind="str", optional=True),
    FormField("land_energy_quota_label", "用地用能指标", kind="str", optional=True),
    FormField("other", "其他措施", kind="text", optional=True),
)

_SCALARS: dict[str, FormField] = {f.name: f for s in SECTIONS for f in s.fields}


@dataclass
class SchemeForm:
    """What the form shows: each input's text, the indicator rows per group, and problems next to fields."""

    values: dict[str, str] = field(default_factory=dict)
    checked: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Multi-choice inputs (``scope.veto_flags``): the values ticked."""
    rows: dict[str, int] = field(default_factory=dict)
    """Number of indicator rows per group."""
    errors: dict[str, list[str]] = field(default_factory=dict)
    """Field name (or ``groups.<group>`` for a whole group) -> Chinese messages."""
    other_errors: list[str] = field(default_factory=list)
    """Problems that belong to no single field."""

    def value(self, name: str) -> str:
        return self.values.get(name, "")

    def error(self, name: str) -> list[str]:
        return self.errors.get(name, [])

    @property
    def problem_count(self) -> int:
        return sum(len(v) for v in self.errors.values()) + len(self.other_errors)

    def weight_sum(self, group: str) -> float | None:
        """Σ of the group's weights as typed (None when one is not a number): what the live sum starts at."""
        total = 0.0
        for i in range(self.rows.get(group, 0)):
            try:
                total += float(self.value(f"{indicator_name(group, i, 'weight')}") or 0)
            except ValueError:
                return None
        return total


def indicator_name(group: str, index: int, column: str) -> str:
    """The form field of one indicator column: the parser's key path (``groups.above.indicators[0].weight``)."""
    return f"groups.{group}.indicators[{index}].{column}"


def policy_name(cls: str, column: str) -> str:
    return f"policies.{cls}.{column}"


def plain(value: float | int) -> str:
    """A number as a person writes it: 30.0 -> 30, 0.05 -> 0.05 (no float noise, no exponent)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    text = f"{float(value):.10f}".rstrip("0").rstrip(".")
    return text if text not in {"-0", ""} else "0"


def _list_text(values: Iterable[Any]) -> str:
    return ", ".join(plain(v) if isinstance(v, int | float) else str(v) for v in values)


def form_from_scheme(scheme: Scheme) -> SchemeForm:
    """The form filled in with ``scheme`` (what the editor opens with)."""
    s = scheme
    values: dict[str, str] = {
        "scheme.name": s.info.name,
        "scheme.version": s.info.version,
        "scheme.description": s.info.description,
        "scope.min_land_mu_below_scale": plain(s.scope.min_land_mu_below_scale),
        "scope.above_scale_revenue": plain(s.scope.above_scale_revenue),
        "scope.exempt_years": plain(s.scope.exempt_years),
        "scope.exempt_industry_prefixes": _list_text(s.scope.exempt_industry_prefixes),
        "scoring.cap": plain(s.scoring.cap),
        "scoring.benchmark_mode": s.scoring.benchmark_mode,
        "scoring.benchmark_factor": plain(s.scoring.benchmark_factor),
        "scoring.industry_min_count": plain(s.scoring.industry_min_count),
        "scoring.missing_policy": s.scoring.missing_policy,
        "bonus.max_total": plain(s.bonus.max_total),
        "classes.mode": s.classes.mode,
        "classes.quota_a": plain(s.classes.quota_a),
        "classes.quota_b": plain(s.classes.quota_b),
        "classes.quota_c": plain(s.classes.quota_c),
        "classes.threshold_a": plain(s.classes.threshold_a),
        "classes.threshold_b": plain(s.classes.threshold_b),
        "classes.threshold_c": plain(s.classes.threshold_c),
        "classes.vetoed_class": s.classes.vetoed_class,
        "carbon_grade.industry_min_count": plain(s.carbon_grade.industry_min_count),
        "carbon_grade.bounds": _list_text(s.carbon_grade.bounds),
    }
    for key, points in s.bonus.flags.items():
        values[f"bonus.flags.{key}"] = plain(points)
    for key, points in s.bonus.zjtx_level.items():
        values[f"bonus.zjtx_level.{key}"] = plain(points)
    rows: dict[str, int] = {}
    for gkey in GROUPS:
        group = s.groups.get(gkey)
        indicators = group.indicators if group else ()
        rows[gkey] = len(indicators)
        fixed: Mapping[str, float] = s.fixed_benchmarks.get(gkey, {})
        for i, ind in enumerate(indicators):
            row = {
                "key": ind.key,
                "label": ind.label,
                "dimension": ind.dimension,
                "numerator": ind.numerator,
                "denominator": ind.denominator,
                "multiplier": plain(ind.multiplier),
                "unit": ind.unit,
                "direction": ind.direction,
                "weight": plain(ind.weight),
                "fixed": plain(fixed[ind.key]) if ind.key in fixed else "",
            }
            values.update({indicator_name(gkey, i, k): v for k, v in row.items()})
    for cls in CLASS_KEYS:
        policy = s.policies.get(cls)
        if policy is None:
            continue
        by_year = policy.electricity_surcharge_by_consecutive_year
        values.update(
            {
                policy_name(cls, "name"): policy.name,
                policy_name(cls, "electricity_surcharge"): "" if by_year else plain(policy.electricity_surcharge),
                policy_name(cls, "electricity_surcharge_by_consecutive_year"): _list_text(by_year),
                policy_name(cls, "land_energy_quota"): policy.land_energy_quota,
                policy_name(cls, "land_energy_quota_label"): policy.land_energy_quota_label,
                policy_name(cls, "other"): policy.other,
            }
        )
    return SchemeForm(values=values, checked={"scope.veto_flags": s.scope.veto_flags}, rows=rows)


# --- reading what was posted ----------------------------------------------------------------------------

_SPLIT = re.compile(r"[,，、;；\s]+")
_ROW = re.compile(r"^groups\.(above|below)\.indicators\[(\d{1,4})\]\.([a-z_]+)$")


def _number(text: str, kind: Kind) -> Any:
    """The number in ``text``, or the text itself when it is none (the parser then names the type error)."""
    cleaned = text.strip().replace("，", ",")
    try:
        if kind == "int":
            try:
                return int(cleaned)
            except ValueError:
                return float(cleaned)
        return float(cleaned)
    except ValueError:
        return text.strip()


def _typed(text: str, kind: Kind) -> Any:
    if kind in {"float", "int"}:
        return _number(text, kind)
    if kind == "str_list":
        return [t for t in _SPLIT.split(text.strip()) if t]
    if kind == "float_list":
        return [_number(t, "float") for t in _SPLIT.split(text.strip()) if t]
    if kind == "text":
        return text.replace("\r\n", "\n").strip()
    return text.strip()


def _put(raw: dict[str, Any], path: str, value: Any) -> None:
    *parents, last = path.split(".")
    table = raw
    for part in parents:
        table = table.setdefault(part, {})
    table[last] = value


def read_form(data: Mapping[str, Sequence[str]]) -> tuple[SchemeForm, dict[str, Any]]:
    """What was posted, as the form to show again and as the dict ``tomllib`` would make of the same TOML.

    ``data`` maps each field name to its posted values, in the order the page posted them. Indicator rows keep
    that order (a row moved up in the browser keeps its field names) and are renumbered from 0 (a removed row
    leaves a gap), so the problems' key paths match the form shown again.
    """
    first = {k: (v[0] if v else "") for k, v in data.items()}
    form = SchemeForm()
    raw: dict[str, Any] = {}
    for fdef in _SCALARS.values():
        if fdef.kind == "flags":
            ticked = tuple(v for v in data.get(fdef.name, ()) if v)
            form.checked[fdef.name] = ticked
            _put(raw, fdef.name, list(ticked))
            continue
        text = first.get(fdef.name, "")
        form.values[fdef.name] = text
        if text.strip() or (fdef.kind in {"str", "text", "str_list", "float_list"} and not fdef.optional):
            _put(raw, fdef.name, _typed(text, fdef.kind))
    for sub in ("flags", "zjtx_level"):
        raw.setdefault("bonus", {}).setdefault(sub, {})

    rows: dict[str, dict[int, dict[str, str]]] = {g: {} for g in GROUPS}
    for name, text in first.items():
        match = _ROW.match(name)
        if match:
            rows[match.group(1)].setdefault(int(match.group(2)), {})[match.group(3)] = text
    columns = {f.name: f for f in INDICATOR_FIELDS}
    raw["groups"] = {}
    raw["benchmarks"] = {"fixed": {}}
    for gkey in GROUPS:
        indicators: list[dict[str, Any]] = []
        fixed: dict[str, Any] = {}
        for new_index, old_index in enumerate(rows[gkey]):
            posted = rows[gkey][old_index]
            item: dict[str, Any] = {}
            for column, fdef in columns.items():
                text = posted.get(column, "")
                form.values[indicator_name(gkey, new_index, column)] = text
                if column == "fixed":
                    continue
                if text.strip() or (fdef.kind == "str" and not fdef.optional):
                    item[column] = _typed(text, fdef.kind)
            fixed_text = posted.get("fixed", "").strip()
            if fixed_text:
                fixed[str(item.get("key", ""))] = _number(fixed_text, "float")
            indicators.append(item)
        form.rows[gkey] = len(indicators)
        raw["groups"][gkey] = {"indicators": indicators}
        raw["benchmarks"]["fixed"][gkey] = fixed

    raw["policies"] = {}
    for cls in CLASS_KEYS:
        policy: dict[str, Any] = {}
        for fdef in POLICY_FIELDS:
            name = policy_name(cls, fdef.name)
            text = first.get(name, "")
            form.values[name] = text
            if text.strip() or not fdef.optional:
                policy[fdef.name] = _typed(text, fdef.kind)
        raw["policies"][cls] = policy
    return form, raw


# --- problems next to their fields ------------------------------------------------------------------------

_MESSAGES = (
    ("缺少必填键", "必填"),
    ("类型错误：应为整数", "请输入整数"),
    ("类型错误：应为数值列表", "请输入用逗号分隔的数字"),
    ("类型错误：应为数值", "请输入数字"),
)
_LIST_ITEM = re.compile(r"^(.*)\[\d+\]$")
_FIXED = re.compile(r"^benchmarks\.fixed\.(above|below)\.(.+)$")


_BAD_CHOICE = re.compile(r"^取值「(.*)」无效")


def _form_message(message: str) -> str:
    match = _BAD_CHOICE.match(message)
    if match:
        return f"「{match.group(1)}」不是可选的取值，请从列表中选择"
    for prefix, replacement in _MESSAGES:
        if message.startswith(prefix):
            return replacement
    return message


def field_of(path: str, form: SchemeForm) -> str | None:
    """The form field a problem at key ``path`` belongs to (None: no single field)."""
    if path in _SCALARS or _ROW.match(path) or path in {f"groups.{g}" for g in GROUPS}:
        return path
    if path.startswith("policies.") and path.count(".") == 2:
        return path
    match = _LIST_ITEM.match(path)
    if match and match.group(1) in _SCALARS:
        return match.group(1)
    match = _FIXED.match(path)
    if match:
        gkey, key = match.groups()
        for i in range(form.rows.get(gkey, 0)):
            if form.value(indicator_name(gkey, i, "key")).strip() == key:
                return indicator_name(gkey, i, "fixed")
        return f"groups.{gkey}"
    match = re.match(r"^groups\.(above|below)\.indicators$", path)
    if match:
        return f"groups.{match.group(1)}"
    return None


def with_problems(form: SchemeForm, problems: Iterable[InputProblem]) -> SchemeForm:
    """``form`` with each problem in Chinese next to its field (or among the others when it has none)."""
    for problem in problems:
        path = problem.column or ""
        name = field_of(path, form)
        if name is None:
            form.other_errors.append(f"{path_label(path)}：{problem.message}" if path else problem.message)
        else:
            form.errors.setdefault(name, []).append(_form_message(problem.message))
    return form


def path_label(path: str) -> str:
    """A key path in Chinese, for a problem that has no field of its own (and for the version diff)."""
    if path in _SCALARS:
        fdef = _SCALARS[path]
        return f"{section_title(path)} · {fdef.label}"
    match = _ROW.match(path)
    if match:
        gkey, index, column = match.groups()
        label = next((f.label for f in INDICATOR_FIELDS if f.name == column), column)
        return f"{GROUP_LABELS.get(gkey, gkey)}指标第 {int(index) + 1} 项 · {label}"
    if path.startswith("groups."):
        gkey = path.split(".")[1]
        return f"{GROUP_LABELS.get(gkey, gkey)}指标"
    if path.startswith("policies."):
        parts = path.split(".")
        label = next((f.label for f in POLICY_FIELDS if len(parts) > 2 and f.name == parts[2]), "")
        return f"{parts[1] if len(parts) > 1 else ''} 类差别化政策" + (f" · {label}" if label else "")
    return path


def section_title(path: str) -> str:
    head = path.split(".")[0]
    return next((s.title for s in SECTIONS if s.key == head), head)


def choice_label(name: str, value: str) -> str:
    """The Chinese of a select's value (the value itself when unknown)."""
    fdef = _SCALARS.get(name) or next((f for f in INDICATOR_FIELDS if f.name == name), None)
    if fdef is None:
        return value
    return dict(fdef.choices).get(value, value)
