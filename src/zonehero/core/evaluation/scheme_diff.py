"""Two scheme versions side by side, field by field (版本差异), in the form's Chinese labels.

A text diff of two TOML files shows moved comments and re-ordered lines; what a bureau asks is "which rule
changed, from what to what". So each version is flattened into labelled entries keyed by what they mean
(an indicator by its key, not its position) and the two lists are compared entry by entry.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from zonehero.core.domain.classes import GROUP_LABELS
from zonehero.core.evaluation.scheme_form import (
    INDICATOR_FIELDS,
    POLICY_FIELDS,
    SECTIONS,
    VETO_CHOICES,
    choice_label,
    plain,
)
from zonehero.core.evaluation.scheme_model import CLASS_KEYS, Scheme
from zonehero.core.land.inefficient import INEFFICIENT_RULE_LABELS
from zonehero.core.land.model import LAND_RULE_LABELS, SHARED_PARCEL_LABELS


@dataclass(frozen=True)
class SchemeEntry:
    """One rule of a scheme as a person reads it: where, what, and its value in words."""

    key: str
    section: str
    label: str
    value: str


@dataclass(frozen=True)
class SchemeChange:
    """One entry in two versions; ``old`` / ``new`` is None where that version has no such entry."""

    key: str
    section: str
    label: str
    old: str | None
    new: str | None

    @property
    def changed(self) -> bool:
        return self.old != self.new


_EMPTY = "（空）"


def _text(value: object, unit: str = "") -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int | float):
        return f"{plain(value)} {unit}".strip()
    text = str(value)
    return text if text.strip() else _EMPTY


def _list(values: Iterable[object], unit: str = "") -> str:
    items = [plain(v) if isinstance(v, int | float) else str(v) for v in values]
    return (("、".join(items)) + (f" {unit}" if unit and items else "")) if items else _EMPTY


def scheme_entries(scheme: Scheme) -> list[SchemeEntry]:
    """Every rule of ``scheme`` in the form's order, labelled in Chinese."""
    s = scheme
    out: list[SchemeEntry] = []
    scalar_values: dict[str, object] = {
        "scheme.name": s.info.name,
        "scheme.version": s.info.version,
        "scheme.description": s.info.description,
        "scope.min_land_mu_below_scale": s.scope.min_land_mu_below_scale,
        "scope.above_scale_revenue": s.scope.above_scale_revenue,
        "scope.exempt_years": s.scope.exempt_years,
        "scope.exempt_industry_prefixes": s.scope.exempt_industry_prefixes,
        "scope.veto_flags": tuple(dict(VETO_CHOICES).get(k, k) for k in s.scope.veto_flags),
        "scoring.benchmark_mode": s.scoring.benchmark_mode,
        "scoring.benchmark_factor": s.scoring.benchmark_factor,
        "scoring.industry_min_count": s.scoring.industry_min_count,
        "scoring.cap": s.scoring.cap,
        "scoring.missing_policy": s.scoring.missing_policy,
        "bonus.max_total": s.bonus.max_total,
        "classes.mode": s.classes.mode,
        "classes.quota_a": s.classes.quota_a,
        "classes.quota_b": s.classes.quota_b,
        "classes.quota_c": s.classes.quota_c,
        "classes.threshold_a": s.classes.threshold_a,
        "classes.threshold_b": s.classes.threshold_b,
        "classes.threshold_c": s.classes.threshold_c,
        "classes.vetoed_class": s.classes.vetoed_class,
        "carbon_grade.industry_min_count": s.carbon_grade.industry_min_count,
        "carbon_grade.bounds": s.carbon_grade.bounds,
    }
    for key, points in s.bonus.flags.items():
        scalar_values[f"bonus.flags.{key}"] = points
    for key, points in s.bonus.zjtx_level.items():
        scalar_values[f"bonus.zjtx_level.{key}"] = points
    for form_section in SECTIONS:
        for fdef in form_section.fields:
            if fdef.name not in scalar_values:
                continue
            value = scalar_values[fdef.name]
            if fdef.kind == "choice":
                shown = choice_label(fdef.name, str(value))
            elif isinstance(value, tuple):
                shown = _list(value, fdef.unit)
            else:
                shown = _text(value, fdef.unit)
            out.append(SchemeEntry(fdef.name, form_section.title, fdef.label, shown))
    for gkey, group in s.groups.items():
        section = f"{GROUP_LABELS.get(gkey, gkey)}企业指标"
        fixed: Mapping[str, float] = s.fixed_benchmarks.get(gkey, {})
        out.append(
            SchemeEntry(f"groups.{gkey}.order", section, "指标及顺序", "、".join(i.label for i in group.indicators))
        )
        for ind in group.indicators:
            values: dict[str, object] = {
                "label": ind.label,
                "dimension": ind.dimension,
                "numerator": ind.numerator,
                "denominator": ind.denominator,
                "multiplier": ind.multiplier,
                "unit": ind.unit,
                "direction": ind.direction,
                "weight": ind.weight,
            }
            if ind.key in fixed:
                values["fixed"] = fixed[ind.key]
            for fdef in INDICATOR_FIELDS:
                if fdef.name not in values:
                    continue
                value = values[fdef.name]
                if fdef.kind == "choice":
                    shown = choice_label(fdef.name, str(value))
                else:
                    shown = _text(value, ind.unit if fdef.name == "fixed" else fdef.unit)
                out.append(
                    SchemeEntry(f"groups.{gkey}.{ind.key}.{fdef.name}", section, f"{ind.label} · {fdef.label}", shown)
                )
    for cls in CLASS_KEYS:
        policy = s.policies.get(cls)
        if policy is None:
            continue
        section = f"{cls} 类差别化政策"
        by_year = policy.electricity_surcharge_by_consecutive_year
        policy_values: dict[str, object] = {
            "name": policy.name,
            "land_energy_quota": policy.land_energy_quota,
            "land_energy_quota_label": policy.land_energy_quota_label,
            "other": policy.other,
        }
        if by_year:
            policy_values["electricity_surcharge_by_consecutive_year"] = by_year
        else:
            policy_values["electricity_surcharge"] = policy.electricity_surcharge
        for fdef in POLICY_FIELDS:
            if fdef.name not in policy_values:
                continue
            value = policy_values[fdef.name]
            shown = _list(value, fdef.unit) if isinstance(value, tuple) else _text(value, fdef.unit)
            out.append(SchemeEntry(f"policies.{cls}.{fdef.name}", section, fdef.label, shown))
    if s.land is not None:  # a scheme without [land] lists no land entry, so its diffs stay as they were
        land_values: dict[str, object] = {
            "lessor_keeps": s.land.lessor_keeps,
            "shared_parcels": SHARED_PARCEL_LABELS.get(s.land.shared_parcels, s.land.shared_parcels),
            "exclude_under_construction": s.land.exclude_under_construction,
            "minimum_mu": s.land.minimum_mu,
            "pro_rata": s.land.pro_rata,
        }
        for key, value in land_values.items():
            out.append(SchemeEntry(f"land.{key}", "用地认定规则", LAND_RULE_LABELS[key], _text(value)))
    if s.inefficient_land is not None:  # likewise: no entry unless the scheme states the table
        rules = s.inefficient_land
        inefficient_values: dict[str, object] = {
            "d_class": rules.d_class,
            "tax_per_mu_share": rules.tax_per_mu_share,
            "idle_parcels": rules.idle_parcels,
            "unused_supplied_land": rules.unused_supplied_land,
            "unused_years": rules.unused_years,
        }
        for key, value in inefficient_values.items():
            label = INEFFICIENT_RULE_LABELS[key]
            out.append(SchemeEntry(f"inefficient_land.{key}", "低效用地认定规则", label, _text(value)))
    return out


def diff_schemes(old: Scheme, new: Scheme) -> list[SchemeChange]:
    """Every entry of either version in the new version's order; one only the old has follows its old neighbour."""
    old_entries = scheme_entries(old)
    before = {e.key: e for e in old_entries}
    after = scheme_entries(new)
    seen = {e.key for e in after}
    gone: dict[str | None, list[SchemeChange]] = {}
    previous: str | None = None
    for e in old_entries:
        if e.key in seen:
            previous = e.key
        else:
            gone.setdefault(previous, []).append(SchemeChange(e.key, e.section, e.label, e.value, None))
    changes = list(gone.get(None, []))
    for e in after:
        changes.append(
            SchemeChange(e.key, e.section, e.label, before[e.key].value if e.key in before else None, e.value)
        )
        changes.extend(gone.get(e.key, []))
    return changes
