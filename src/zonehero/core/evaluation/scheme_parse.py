"""Reading and validating a scheme file (评价方案校验).

Every problem is collected, never just the first: a bureau editing a scheme
fixes them all in one go. Each problem names the dotted key path that is
wrong in ``InputProblem.column`` (e.g. ``groups.above.indicators[2].weight``).

Choices where the spec is silent:
- weights must be > 0; reading a scheme does not require them to sum to 100 (a zone may use another scale, and
  versions stored before the rule must stay readable), but saving a new version through the scheme pages does:
  ``weight_total`` asks for that check (spec §4: "weights sum to 100"), reported at ``groups.<group>``;
- every section and key of the default scheme is required except the ones
  marked optional below, so a stored scheme text says everything explicitly;
- both groups (above, below) must have at least one indicator;
- fixed benchmarks must be > 0 (a non-positive one would zero the indicator);
- ``[land]`` (the land rules, :class:`zonehero.core.land.model.LandRules`) is optional as a whole, and so is each
  of its keys (a missing key takes the default rule's value); a text without it parses to ``land = None``;
- ``[inefficient_land]`` (the 低效用地 rules, :class:`zonehero.core.land.inefficient.InefficientLandRules`) likewise:
  optional as a whole and key by key; ``tax_per_mu_share`` is a share from 0 to 1 (0 turns the rule off).
"""

from __future__ import annotations

import hashlib
import itertools
import re
import tomllib
from collections.abc import Callable
from typing import Any, TypeVar

from zonehero.core.domain.fields import BOOL_KEYS, FIELDS_BY_KEY
from zonehero.core.evaluation.scheme_model import (
    CLASS_KEYS,
    GROUPS,
    Bonus,
    CarbonGrade,
    Classes,
    FrozenMap,
    Group,
    Indicator,
    Policy,
    Scheme,
    SchemeInfo,
    Scope,
    Scoring,
)
from zonehero.core.evaluation.scheme_toml import scheme_to_toml
from zonehero.core.land.inefficient import DEFAULT_INEFFICIENT_RULES, InefficientLandRules
from zonehero.core.land.model import DEFAULT_LAND_RULES, SHARED_PARCEL_MODES, LandRules
from zonehero.errors import InputProblem, SchemeError

T = TypeVar("T")

NUMERIC_FIELDS: frozenset[str] = frozenset(k for k, f in FIELDS_BY_KEY.items() if f.type in {"number", "integer"})
ZJTX_LEVELS: tuple[str, ...] = ("province", "national")
INDICATOR_KEY_RE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
INDUSTRY_PREFIX_RE = re.compile(r"^[A-T][0-9]{0,4}$")

WEIGHT_TOLERANCE = 1e-6
"""Weights such as 33.3 + 33.3 + 33.4 add up to 100 only within floating-point error."""

_MISSING = object()


class _AbsentTable(dict[str, Any]):
    """Stands for a table that is missing or malformed: already reported, so its keys are not."""


class _Reader:
    """Typed access to the raw TOML dict that records problems instead of raising."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[InputProblem] = []

    def problem(self, path: str, message: str, row: int | None = None) -> None:
        self.problems.append(InputProblem(message, file=self.source, row=row, column=path or None))

    def table(self, parent: dict[str, Any], key: str, path: str, *, optional: bool = False) -> dict[str, Any]:
        value = parent.get(key, _MISSING)
        if value is _MISSING:
            if not optional:
                self.problem(path, "缺少表（section）")
                return _AbsentTable()
            return {}
        if not isinstance(value, dict):
            self.problem(path, f"应为表（table），实际为 {_type_name(value)}")
            return _AbsentTable()
        return value

    def known_keys(self, table: dict[str, Any], allowed: set[str] | tuple[str, ...], path: str) -> None:
        for key in table:
            if key not in allowed:
                self.problem(_join(path, key), f"未知的键；可用的键：{'、'.join(sorted(allowed))}")

    def get(
        self,
        table: dict[str, Any],
        key: str,
        path: str,
        kind: str,
        default: Any = _MISSING,
        check: Callable[[Any], str | None] | None = None,
    ) -> Any:
        """Value of ``kind`` (str, int, float, bool, str_list, float_list); records a problem when bad."""
        if isinstance(table, _AbsentTable):
            return None
        full = _join(path, key)
        value = table.get(key, _MISSING)
        if value is _MISSING:
            if default is _MISSING:
                self.problem(full, "缺少必填键")
                return None
            return default
        converted = _convert(value, kind)
        if converted is _MISSING:
            self.problem(full, f"类型错误：应为{_KIND_LABELS[kind]}，实际为 {_type_name(value)}")
            return None
        if check is not None:
            message = check(converted)
            if message:
                self.problem(full, message)
                return None
        return converted


_KIND_LABELS = {
    "str": "字符串",
    "int": "整数",
    "float": "数值",
    "bool": "布尔值 true/false",
    "str_list": "字符串列表",
    "float_list": "数值列表",
}


def _convert(value: Any, kind: str) -> Any:
    if kind == "str":
        return value if isinstance(value, str) else _MISSING
    if kind == "bool":
        return value if isinstance(value, bool) else _MISSING
    if kind == "int":
        return value if isinstance(value, int) and not isinstance(value, bool) else _MISSING
    if kind == "float":
        return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else _MISSING
    if kind == "str_list":
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return tuple(value)
        return _MISSING
    if kind == "float_list":
        if isinstance(value, list) and all(isinstance(v, int | float) and not isinstance(v, bool) for v in value):
            return tuple(float(v) for v in value)
        return _MISSING
    raise ValueError(kind)


def _type_name(value: Any) -> str:
    names = {bool: "布尔值", int: "整数", float: "数值", str: "字符串", list: "列表", dict: "表"}
    return names.get(type(value), type(value).__name__)


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _positive(v: float) -> str | None:
    return None if v > 0 else "须大于 0"


def _nonnegative(v: float) -> str | None:
    return None if v >= 0 else "不能为负数"


def _at_least_one(v: int) -> str | None:
    return None if v >= 1 else "须为不小于 1 的整数"


def _one_of(*options: str) -> Callable[[str], str | None]:
    def check(v: str) -> str | None:
        return None if v in options else f"取值「{v}」无效，应为 {' / '.join(options)} 之一"

    return check


def _nonempty(v: str) -> str | None:
    return None if v.strip() else "不能为空"


def parse_scheme(text: str, source: str = "<scheme>", *, weight_total: float | None = None) -> Scheme:
    """Parse and validate a scheme's TOML text; SchemeError lists every problem found.

    ``weight_total``: when given, each group's weights must add up to it (a new version; see the module doc).
    """
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = re.search(r"line (\d+)", message)
        raise SchemeError(
            [
                InputProblem(
                    f"TOML 语法错误：{message}", file=source, row=int(match.group(1)) if match else None, column=None
                )
            ]
        ) from None
    return _validated(raw, source, text, weight_total)


def scheme_from_data(raw: dict[str, Any], source: str = "<表单>", *, weight_total: float | None = None) -> Scheme:
    """Validate a scheme given as the dict ``tomllib`` would make (the scheme form's output).

    The same rules as :func:`parse_scheme`, reported with the same key paths, so a form maps each problem to its
    field. The result carries the canonical TOML text (:func:`scheme_to_toml`) and equals what parsing that text
    gives, so a form edit and the same edit in TOML store the same scheme.
    """
    draft = _validated(raw, source, "", weight_total)
    return parse_scheme(scheme_to_toml(draft), source=source, weight_total=weight_total)


def _validated(raw: dict[str, Any], source: str, text: str, weight_total: float | None) -> Scheme:
    r = _Reader(source)
    r.known_keys(
        raw,
        {
            "scheme",
            "scope",
            "scoring",
            "benchmarks",
            "groups",
            "bonus",
            "classes",
            "carbon_grade",
            "policies",
            "land",
            "inefficient_land",
        },
        "",
    )
    info = _parse_info(r, r.table(raw, "scheme", "scheme"))
    scope = _parse_scope(r, r.table(raw, "scope", "scope"))
    scoring = _parse_scoring(r, r.table(raw, "scoring", "scoring"))
    groups = _parse_groups(r, r.table(raw, "groups", "groups"))
    if weight_total is not None:
        _check_weight_totals(r, raw, groups, weight_total)
    fixed = _parse_fixed(r, r.table(raw, "benchmarks", "benchmarks", optional=True), groups, scoring)
    bonus = _parse_bonus(r, r.table(raw, "bonus", "bonus"))
    classes = _parse_classes(r, r.table(raw, "classes", "classes"))
    carbon = _parse_carbon(r, r.table(raw, "carbon_grade", "carbon_grade"))
    policies = _parse_policies(r, r.table(raw, "policies", "policies"))
    land = _parse_land(r, raw)
    inefficient = _parse_inefficient(r, raw)

    if r.problems:
        raise SchemeError(r.problems)
    assert info and scope and scoring and bonus and classes and carbon  # all set when no problem was recorded
    return Scheme(
        info=info,
        scope=scope,
        scoring=scoring,
        groups=FrozenMap(groups),
        fixed_benchmarks=fixed,
        bonus=bonus,
        classes=classes,
        carbon_grade=carbon,
        policies=FrozenMap(policies),
        text=text,
        digest=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        land=land,
        inefficient_land=inefficient,
    )


def _parse_info(r: _Reader, t: dict[str, Any]) -> SchemeInfo | None:
    r.known_keys(t, {"name", "version", "description"}, "scheme")
    name = r.get(t, "name", "scheme", "str", check=_nonempty)
    version = r.get(t, "version", "scheme", "str", check=_nonempty)
    description = r.get(t, "description", "scheme", "str", default="")
    if name is None or version is None or description is None:
        return None
    return SchemeInfo(name=name, version=version, description=description)


def _parse_scope(r: _Reader, t: dict[str, Any]) -> Scope | None:
    p = "scope"
    r.known_keys(
        t,
        {"min_land_mu_below_scale", "above_scale_revenue", "exempt_years", "exempt_industry_prefixes", "veto_flags"},
        p,
    )
    min_land = r.get(t, "min_land_mu_below_scale", p, "float", check=_nonnegative)
    revenue = r.get(t, "above_scale_revenue", p, "float", check=_nonnegative)
    exempt_years = r.get(t, "exempt_years", p, "int", check=lambda v: None if v >= 0 else "不能为负数")
    prefixes = r.get(t, "exempt_industry_prefixes", p, "str_list")
    if prefixes is not None:
        for i, prefix in enumerate(prefixes):
            if not INDUSTRY_PREFIX_RE.match(prefix):
                r.problem(f"{p}.exempt_industry_prefixes[{i}]", f"「{prefix}」不是行业代码前缀（如 D44）")
    veto = r.get(t, "veto_flags", p, "str_list")
    if veto is not None:
        for i, flag in enumerate(veto):
            if flag not in BOOL_KEYS:
                r.problem(f"{p}.veto_flags[{i}]", f"「{flag}」不是布尔字段；可用：{'、'.join(BOOL_KEYS)}")
    if None in (min_land, revenue, exempt_years, prefixes, veto):
        return None
    return Scope(min_land, revenue, exempt_years, prefixes, veto)


def _parse_scoring(r: _Reader, t: dict[str, Any]) -> Scoring | None:
    p = "scoring"
    r.known_keys(t, {"cap", "benchmark_mode", "benchmark_factor", "industry_min_count", "missing_policy"}, p)
    cap = r.get(t, "cap", p, "float", check=_positive)
    mode = r.get(t, "benchmark_mode", p, "str", check=_one_of("zone", "industry", "fixed"))
    factor = r.get(t, "benchmark_factor", p, "float", check=_positive)
    min_count = r.get(t, "industry_min_count", p, "int", check=_at_least_one)
    policy = r.get(t, "missing_policy", p, "str", check=_one_of("zero", "group_mean"))
    if None in (cap, mode, factor, min_count, policy):
        return None
    return Scoring(cap, mode, factor, min_count, policy)


def _parse_groups(r: _Reader, t: dict[str, Any]) -> dict[str, Group]:
    r.known_keys(t, GROUPS, "groups")
    groups: dict[str, Group] = {}
    for gkey in GROUPS:
        gpath = f"groups.{gkey}"
        if isinstance(t, _AbsentTable):
            continue
        gt = r.table(t, gkey, gpath)
        r.known_keys(gt, {"indicators"}, gpath)
        items = gt.get("indicators", _MISSING) if gt else _MISSING
        if items is _MISSING:
            if gt:
                r.problem(f"{gpath}.indicators", "缺少指标列表 [[groups.X.indicators]]")
            continue
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            r.problem(f"{gpath}.indicators", "应为表数组 [[...]]")
            continue
        if not items:
            r.problem(f"{gpath}.indicators", "至少需要一个指标")
            continue
        indicators: list[Indicator] = []
        seen: dict[str, int] = {}
        for i, it in enumerate(items):
            ind = _parse_indicator(r, it, f"{gpath}.indicators[{i}]")
            if ind is None:
                continue
            if ind.key in seen:
                r.problem(f"{gpath}.indicators[{i}].key", f"指标键「{ind.key}」在本组重复（另见第 {seen[ind.key]} 项）")
                continue
            seen[ind.key] = i
            indicators.append(ind)
        groups[gkey] = Group(gkey, tuple(indicators))
    return groups


_INDICATOR_KEYS = {
    "key",
    "label",
    "dimension",
    "numerator",
    "denominator",
    "multiplier",
    "unit",
    "direction",
    "weight",
}


def _check_weight_totals(r: _Reader, raw: dict[str, Any], groups: dict[str, Group], total: float) -> None:
    """Each group's weights add up to ``total``; skipped for a group with an indicator already reported."""
    tables = raw.get("groups")
    for gkey, group in groups.items():
        items = tables.get(gkey, {}).get("indicators") if isinstance(tables, dict) else None
        if not isinstance(items, list) or len(items) != len(group.indicators):
            continue
        found = group.total_weight
        if abs(found - total) > WEIGHT_TOLERANCE:
            r.problem(f"groups.{gkey}", f"本组权重合计须为 {_plain(total)}，现为 {_plain(found)}")


def _plain(value: float) -> str:
    """30.0 -> 30, 33.35 -> 33.35: a weight as a person wrote it."""
    return f"{value:.6f}".rstrip("0").rstrip(".")


def _parse_indicator(r: _Reader, t: dict[str, Any], p: str) -> Indicator | None:
    r.known_keys(t, _INDICATOR_KEYS, p)

    def key_check(v: str) -> str | None:
        return None if INDICATOR_KEY_RE.match(v) else "指标键须为小写英文、数字与单个下划线（如 tax_per_mu）"

    def field_check(v: str) -> str | None:
        if v not in FIELDS_BY_KEY:
            return f"「{v}」不是字段登记表中的字段"
        if v not in NUMERIC_FIELDS:
            return f"「{v}」不是数值字段"
        return None

    key = r.get(t, "key", p, "str", check=key_check)
    label = r.get(t, "label", p, "str", check=_nonempty)
    numerator = r.get(t, "numerator", p, "str", check=field_check)
    denominator = r.get(t, "denominator", p, "str", check=field_check)
    weight = r.get(t, "weight", p, "float", check=_positive)
    multiplier = r.get(t, "multiplier", p, "float", default=1.0, check=_positive)
    direction = r.get(t, "direction", p, "str", default="higher", check=_one_of("higher", "lower"))
    dimension = r.get(t, "dimension", p, "str", default="")
    unit = r.get(t, "unit", p, "str", default="")
    if None in (key, label, numerator, denominator, weight, multiplier, direction, dimension, unit):
        return None
    return Indicator(
        key=key,
        label=label,
        numerator=numerator,
        denominator=denominator,
        weight=weight,
        multiplier=multiplier,
        direction=direction,
        dimension=dimension,
        unit=unit,
    )


def _parse_fixed(
    r: _Reader, t: dict[str, Any], groups: dict[str, Group], scoring: Scoring | None
) -> FrozenMap[str, FrozenMap[str, float]]:
    r.known_keys(t, {"fixed"}, "benchmarks")
    fixed_t = r.table(t, "fixed", "benchmarks.fixed", optional=True)
    r.known_keys(fixed_t, GROUPS, "benchmarks.fixed")
    result: dict[str, FrozenMap[str, float]] = {}
    for gkey in GROUPS:
        gpath = f"benchmarks.fixed.{gkey}"
        gt = r.table(fixed_t, gkey, gpath, optional=True)
        known = {i.key for i in groups[gkey].indicators} if gkey in groups else set()
        values: dict[str, float] = {}
        for key in gt:
            if gkey in groups and key not in known:
                r.problem(f"{gpath}.{key}", f"本组没有指标「{key}」")
                continue
            value = r.get(gt, key, gpath, "float", check=_positive)
            if value is not None:
                values[key] = value
        if scoring is not None and scoring.benchmark_mode == "fixed" and gkey in groups:
            for ind in groups[gkey].indicators:
                if ind.key not in gt:
                    r.problem(f"{gpath}.{ind.key}", "基准模式为 fixed 时须给出每个指标的固定基准值")
        result[gkey] = FrozenMap(values)
    return FrozenMap(result)


def _parse_bonus(r: _Reader, t: dict[str, Any]) -> Bonus | None:
    p = "bonus"
    r.known_keys(t, {"max_total", "flags", "zjtx_level"}, p)
    max_total = r.get(t, "max_total", p, "float", check=_nonnegative)
    flags: dict[str, float] = {}
    ft = r.table(t, "flags", f"{p}.flags", optional=True)
    for key in ft:
        if key not in BOOL_KEYS:
            r.problem(f"{p}.flags.{key}", f"「{key}」不是布尔字段；可用：{'、'.join(BOOL_KEYS)}")
            continue
        value = r.get(ft, key, f"{p}.flags", "float", check=_nonnegative)
        if value is not None:
            flags[key] = value
    levels: dict[str, float] = {}
    zt = r.table(t, "zjtx_level", f"{p}.zjtx_level", optional=True)
    for key in zt:
        if key not in ZJTX_LEVELS:
            r.problem(f"{p}.zjtx_level.{key}", f"专精特新等级应为 {' / '.join(ZJTX_LEVELS)}")
            continue
        value = r.get(zt, key, f"{p}.zjtx_level", "float", check=_nonnegative)
        if value is not None:
            levels[key] = value
    if max_total is None:
        return None
    return Bonus(max_total=max_total, flags=FrozenMap(flags), zjtx_level=FrozenMap(levels))


def _parse_classes(r: _Reader, t: dict[str, Any]) -> Classes | None:
    p = "classes"
    before = len(r.problems)
    r.known_keys(
        t,
        {"mode", "quota_a", "quota_b", "quota_c", "threshold_a", "threshold_b", "threshold_c", "vetoed_class"},
        p,
    )

    def pct(v: int) -> str | None:
        return None if 0 < v <= 100 else "须为 1 到 100 之间的整数"

    mode = r.get(t, "mode", p, "str", check=_one_of("quota", "threshold"))
    qa = r.get(t, "quota_a", p, "int", check=pct)
    qb = r.get(t, "quota_b", p, "int", check=pct)
    qc = r.get(t, "quota_c", p, "int", check=pct)
    if qa is not None and qb is not None and qa > qb:
        r.problem(f"{p}.quota_b", f"累计比例须满足 quota_a <= quota_b（{qa} > {qb}）")
    if qb is not None and qc is not None and qb > qc:
        r.problem(f"{p}.quota_c", f"累计比例须满足 quota_b <= quota_c（{qb} > {qc}）")
    ta = r.get(t, "threshold_a", p, "float")
    tb = r.get(t, "threshold_b", p, "float")
    tc = r.get(t, "threshold_c", p, "float")
    if ta is not None and tb is not None and ta < tb:
        r.problem(f"{p}.threshold_b", f"分数线须递减：threshold_a >= threshold_b（{ta} < {tb}）")
    if tb is not None and tc is not None and tb < tc:
        r.problem(f"{p}.threshold_c", f"分数线须递减：threshold_b >= threshold_c（{tb} < {tc}）")
    vetoed = r.get(t, "vetoed_class", p, "str", check=_one_of("D", "C"))
    if len(r.problems) > before:
        return None
    return Classes(mode, qa, qb, qc, ta, tb, tc, vetoed)


def _parse_carbon(r: _Reader, t: dict[str, Any]) -> CarbonGrade | None:
    p = "carbon_grade"
    r.known_keys(t, {"industry_min_count", "bounds"}, p)
    min_count = r.get(t, "industry_min_count", p, "int", check=_at_least_one)

    def ascending(v: tuple[float, ...]) -> str | None:
        if not v:
            return "至少需要一个分界值"
        if any(b <= 0 for b in v):
            return "分界值须大于 0"
        if any(a >= b for a, b in itertools.pairwise(v)):
            return "分界值须严格递增"
        return None

    bounds = r.get(t, "bounds", p, "float_list", check=ascending)
    if min_count is None or bounds is None:
        return None
    return CarbonGrade(min_count, bounds)


_POLICY_KEYS = {
    "name",
    "electricity_surcharge",
    "electricity_surcharge_by_consecutive_year",
    "land_energy_quota",
    "land_energy_quota_label",
    "other",
}


def _parse_policies(r: _Reader, t: dict[str, Any]) -> dict[str, Policy]:
    r.known_keys(t, CLASS_KEYS, "policies")
    policies: dict[str, Policy] = {}
    for cls in CLASS_KEYS:
        if isinstance(t, _AbsentTable):
            break
        p = f"policies.{cls}"
        pt = r.table(t, cls, p)
        if not pt:
            continue
        r.known_keys(pt, _POLICY_KEYS, p)
        name = r.get(pt, "name", p, "str", check=_nonempty)
        surcharge = r.get(pt, "electricity_surcharge", p, "float", default=0.0, check=_nonnegative)

        def by_year_check(v: tuple[float, ...]) -> str | None:
            if not v:
                return "不能为空列表"
            return "不能为负数" if any(x < 0 for x in v) else None

        by_year = r.get(
            pt, "electricity_surcharge_by_consecutive_year", p, "float_list", default=(), check=by_year_check
        )
        if by_year and cls != "D":
            r.problem(f"{p}.electricity_surcharge_by_consecutive_year", "按连续年度加价只适用于 D 类")
        if by_year and "electricity_surcharge" in pt:
            r.problem(
                f"{p}.electricity_surcharge",
                "已给出 electricity_surcharge_by_consecutive_year，不要再给 electricity_surcharge（二者只能取其一）",
            )
        quota = r.get(pt, "land_energy_quota", p, "str", default="")
        quota_label = r.get(pt, "land_energy_quota_label", p, "str", default="")
        other = r.get(pt, "other", p, "str", default="")
        if None in (name, surcharge, by_year, quota, quota_label, other):
            continue
        policies[cls] = Policy(
            name=name,
            electricity_surcharge=surcharge,
            electricity_surcharge_by_consecutive_year=by_year,
            land_energy_quota=quota,
            land_energy_quota_label=quota_label,
            other=other,
        )
    return policies


_LAND_KEYS = ("lessor_keeps", "shared_parcels", "exclude_under_construction", "minimum_mu", "pro_rata")


def _parse_land(r: _Reader, raw: dict[str, Any]) -> LandRules | None:
    """[land], or None when the scheme has no such table (the default rule then applies)."""
    if "land" not in raw:
        return None
    p = "land"
    t = r.table(raw, "land", p)
    if isinstance(t, _AbsentTable):
        return None
    before = len(r.problems)
    r.known_keys(t, _LAND_KEYS, p)
    d = DEFAULT_LAND_RULES
    lessor_keeps = r.get(t, "lessor_keeps", p, "bool", default=d.lessor_keeps)
    shared = r.get(t, "shared_parcels", p, "str", default=d.shared_parcels, check=_one_of(*SHARED_PARCEL_MODES))
    exclude = r.get(t, "exclude_under_construction", p, "bool", default=d.exclude_under_construction)
    minimum = r.get(t, "minimum_mu", p, "float", default=d.minimum_mu, check=_nonnegative)
    pro_rata = r.get(t, "pro_rata", p, "bool", default=d.pro_rata)
    if len(r.problems) > before:
        return None
    return LandRules(
        lessor_keeps=lessor_keeps,
        shared_parcels=shared,
        exclude_under_construction=exclude,
        minimum_mu=minimum,
        pro_rata=pro_rata,
    )


_INEFFICIENT_KEYS = ("d_class", "tax_per_mu_share", "idle_parcels", "unused_supplied_land", "unused_years")


def _share(v: float) -> str | None:
    return None if 0 <= v <= 1 else "应在 0 到 1 之间（0 表示不按此项认定）"


def _parse_inefficient(r: _Reader, raw: dict[str, Any]) -> InefficientLandRules | None:
    """[inefficient_land], or None when the scheme has no such table (the default rule then applies)."""
    if "inefficient_land" not in raw:
        return None
    p = "inefficient_land"
    t = r.table(raw, p, p)
    if isinstance(t, _AbsentTable):
        return None
    before = len(r.problems)
    r.known_keys(t, _INEFFICIENT_KEYS, p)
    d = DEFAULT_INEFFICIENT_RULES
    d_class = r.get(t, "d_class", p, "bool", default=d.d_class)
    share = r.get(t, "tax_per_mu_share", p, "float", default=d.tax_per_mu_share, check=_share)
    idle = r.get(t, "idle_parcels", p, "bool", default=d.idle_parcels)
    unused = r.get(t, "unused_supplied_land", p, "bool", default=d.unused_supplied_land)
    years = r.get(t, "unused_years", p, "float", default=d.unused_years, check=_nonnegative)
    if len(r.problems) > before:
        return None
    return InefficientLandRules(
        d_class=d_class, tax_per_mu_share=share, idle_parcels=idle, unused_supplied_land=unused, unused_years=years
    )
