"""Variants of a scheme for what-if analysis (方案调整试算).

A variant is made by changing parts of a parsed :class:`Scheme`, then
serialising it to TOML and parsing it again, so every variant is validated
like a file and gets its own text and digest. It lives apart from the model
because it needs both the parser and the TOML writer, which import the model.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields, replace
from typing import Any, Literal

from zonehero.core.evaluation.scheme_model import (
    BenchmarkMode,
    ClassMode,
    FrozenMap,
    MissingPolicy,
    Scheme,
)
from zonehero.core.evaluation.scheme_parse import parse_scheme
from zonehero.core.evaluation.scheme_toml import scheme_to_toml


def with_changes(
    scheme: Scheme,
    *,
    cap: float | None = None,
    benchmark_mode: BenchmarkMode | None = None,
    benchmark_factor: float | None = None,
    missing_policy: MissingPolicy | None = None,
    class_mode: ClassMode | None = None,
    quotas: tuple[int, int, int] | None = None,
    thresholds: tuple[float, float, float] | None = None,
    vetoed_class: Literal["C", "D"] | None = None,
    weights: Mapping[str, Mapping[str, float]] | None = None,
    fixed_benchmarks: Mapping[str, Mapping[str, float]] | None = None,
    bonus_max_total: float | None = None,
    bonus_flags: Mapping[str, float] | None = None,
    bonus_zjtx_level: Mapping[str, float] | None = None,
    name: str | None = None,
    version: str | None = None,
) -> Scheme:
    """A new scheme with the given parts changed (for what-if analysis).

    ``weights`` maps group -> indicator key -> new weight (only the ones
    that change). The result is serialised to TOML and parsed again, so
    it is validated (SchemeError otherwise) and gets its own text and digest.
    """
    scoring = scheme.scoring
    if cap is not None:
        scoring = replace(scoring, cap=cap)
    if benchmark_mode is not None:
        scoring = replace(scoring, benchmark_mode=benchmark_mode)
    if benchmark_factor is not None:
        scoring = replace(scoring, benchmark_factor=benchmark_factor)
    if missing_policy is not None:
        scoring = replace(scoring, missing_policy=missing_policy)
    classes = scheme.classes
    if class_mode is not None:
        classes = replace(classes, mode=class_mode)
    if quotas is not None:
        classes = replace(classes, quota_a=quotas[0], quota_b=quotas[1], quota_c=quotas[2])
    if thresholds is not None:
        classes = replace(classes, threshold_a=thresholds[0], threshold_b=thresholds[1], threshold_c=thresholds[2])
    if vetoed_class is not None:
        classes = replace(classes, vetoed_class=vetoed_class)
    groups = dict(scheme.groups)
    for group_key, changes in (weights or {}).items():
        group = groups[group_key]
        unknown = set(changes) - {i.key for i in group.indicators}
        if unknown:
            raise KeyError(f"{group_key}: unknown indicators {sorted(unknown)}")
        groups[group_key] = replace(
            group,
            indicators=tuple(
                replace(i, weight=float(changes[i.key])) if i.key in changes else i for i in group.indicators
            ),
        )
    bonus = scheme.bonus
    if bonus_max_total is not None:
        bonus = replace(bonus, max_total=bonus_max_total)
    if bonus_flags is not None:
        bonus = replace(bonus, flags=FrozenMap(bonus_flags))
    if bonus_zjtx_level is not None:
        bonus = replace(bonus, zjtx_level=FrozenMap(bonus_zjtx_level))
    fixed = scheme.fixed_benchmarks
    if fixed_benchmarks is not None:
        fixed = FrozenMap({g: FrozenMap(v) for g, v in fixed_benchmarks.items()})
    info = scheme.info
    if name is not None:
        info = replace(info, name=name)
    if version is not None:
        info = replace(info, version=version)
    return replace_sections(
        scheme,
        info=info,
        scoring=scoring,
        classes=classes,
        groups=FrozenMap(groups),
        bonus=bonus,
        fixed_benchmarks=fixed,
    )


def replace_sections(scheme: Scheme, **sections: Any) -> Scheme:
    """Generic variant of :func:`with_changes`: replace whole sections, then re-serialise and re-validate."""

    allowed = {f.name for f in fields(scheme)} - {"text", "digest"}
    unknown = set(sections) - allowed
    if unknown:
        raise TypeError(f"unknown scheme sections: {sorted(unknown)}")
    draft = replace(scheme, **sections)
    return parse_scheme(scheme_to_toml(draft), source=f"{scheme.info.name}（变体）")
