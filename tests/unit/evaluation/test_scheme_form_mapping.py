"""The scheme as a form and the field-level diff: same scheme as the TOML, problems on their fields, rules by key."""

from __future__ import annotations

import dataclasses

import pytest

from zonehero.core.evaluation.scheme import (
    Scheme,
    default_scheme,
    default_scheme_text,
    parse_scheme,
    scheme_from_data,
    scheme_to_toml,
)
from zonehero.core.evaluation.scheme_diff import diff_schemes
from zonehero.core.evaluation.scheme_form import form_from_scheme, read_form, with_problems
from zonehero.errors import SchemeError


def _posted(scheme: Scheme) -> dict[str, list[str]]:
    form = form_from_scheme(scheme)
    data = {k: [v] for k, v in form.values.items()}
    data["scope.veto_flags"] = list(form.checked["scope.veto_flags"])
    return data


def _rules(scheme: Scheme) -> Scheme:
    return dataclasses.replace(scheme, text="", digest="")


def _problems(data: dict[str, list[str]]) -> tuple[dict[str, list[str]], list[str]]:
    form, raw = read_form(data)
    with pytest.raises(SchemeError) as caught:
        scheme_from_data(raw, weight_total=100)
    with_problems(form, caught.value.problems)
    return form.errors, form.other_errors


def test_the_unchanged_form_gives_the_default_scheme_as_canonical_toml() -> None:
    _, raw = read_form(_posted(default_scheme()))
    scheme = scheme_from_data(raw, weight_total=100)
    assert _rules(scheme) == _rules(default_scheme())
    assert scheme.text == scheme_to_toml(default_scheme())


def test_the_weight_rule_is_asked_for_on_save_only() -> None:
    text = default_scheme_text().replace("weight = 30\n", "weight = 40\n", 1)
    assert parse_scheme(text).groups["above"].total_weight == 110  # a stored version stays readable
    with pytest.raises(SchemeError) as caught:
        parse_scheme(text, weight_total=100)
    assert [(p.column, p.message) for p in caught.value.problems] == [
        ("groups.above", "本组权重合计须为 100，现为 110")
    ]


def test_weights_adding_up_within_float_error_pass() -> None:
    data = _posted(default_scheme())
    data["groups.below.indicators[0].weight"] = ["33.3"]
    data["groups.below.indicators[1].weight"] = ["33.3"]
    data["groups.below.indicators[2].key"] = ["value_added_per_mu"]
    data["groups.below.indicators[2].label"] = ["亩均增加值"]
    data["groups.below.indicators[2].numerator"] = ["value_added"]
    data["groups.below.indicators[2].denominator"] = ["land_area_mu"]
    data["groups.below.indicators[2].weight"] = ["33.4"]
    _, raw = read_form(data)
    assert len(scheme_from_data(raw, weight_total=100).groups["below"].indicators) == 3


def test_problems_land_on_their_fields() -> None:
    data = _posted(default_scheme())
    data["scoring.benchmark_mode"] = ["fixed"]  # every indicator then needs a fixed benchmark
    data["groups.above.indicators[0].fixed"] = ["12.5"]
    data["scope.exempt_industry_prefixes"] = ["D44, 4400"]
    data["carbon_grade.bounds"] = ["0.8, 0.6"]
    data["scope.exempt_years"] = [""]
    data["policies.D.electricity_surcharge"] = ["0.05"]  # besides the by-year list
    errors, others = _problems(data)
    assert "groups.above.indicators[0].fixed" not in errors
    assert errors["groups.above.indicators[1].fixed"] == ["基准模式为 fixed 时须给出每个指标的固定基准值"]
    assert errors["groups.below.indicators[1].fixed"]
    assert errors["scope.exempt_industry_prefixes"] == ["「4400」不是行业代码前缀（如 D44）"]
    assert errors["carbon_grade.bounds"] == ["分界值须严格递增"]
    assert errors["scope.exempt_years"] == ["必填"]
    assert "二者只能取其一" in errors["policies.D.electricity_surcharge"][0]
    assert others == []


def test_the_diff_names_rules_not_lines() -> None:
    base = default_scheme()
    text = (
        default_scheme_text().replace("cap = 2.0", "cap = 1.5").replace('label = "亩均营业收入"', 'label = "亩均营收"')
    )
    changes = {c.key: c for c in diff_schemes(base, parse_scheme(text)) if c.changed}
    assert set(changes) == {"scoring.cap", "groups.below.revenue_per_mu.label", "groups.below.order"}
    assert (changes["scoring.cap"].old, changes["scoring.cap"].new) == ("2 倍", "1.5 倍")
    assert changes["scoring.cap"].section == "基准与得分" and changes["scoring.cap"].label == "得分封顶倍数"


def test_a_removed_indicator_stays_beside_its_neighbours() -> None:
    data = _posted(default_scheme())
    for name in [n for n in data if n.startswith("groups.below.indicators[1].")]:
        del data[name]
    data["groups.below.indicators[0].weight"] = ["100"]
    _, raw = read_form(data)
    changes = diff_schemes(default_scheme(), scheme_from_data(raw, weight_total=100))
    keys = [c.key for c in changes]
    gone = [c for c in changes if c.new is None]
    assert {c.key for c in gone} >= {"groups.below.revenue_per_mu.weight", "groups.below.revenue_per_mu.label"}
    first_gone = keys.index(gone[0].key)
    assert keys[first_gone - 1].startswith("groups.below.tax_per_mu.")


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ('description = "亩均、低碳', 'description = "修订：亩均、低碳'),
        ('veto_flags = ["major_safety_accident", "major_env_violation"]', 'veto_flags = ["major_safety_accident"]'),
        ("cap = 2.0", "cap = 3.0"),
        ("listed = 2.0", "listed = 1.0"),
        ("national = 5.0", "national = 6.0"),
        ('vetoed_class = "D"', 'vetoed_class = "C"'),
        ("bounds = [0.6, 0.8, 1.2, 2.0]", "bounds = [0.5, 0.8, 1.2, 2.0]"),
        ('other = "制定限期整改方案"', 'other = "限期整改"'),
        ("[0.05, 0.10, 0.15]", "[0.05, 0.10, 0.20]"),
        ('direction = "higher"\nweight = 70', 'direction = "lower"\nweight = 70'),
        ("multiplier = 100.0", "multiplier = 1000.0"),
    ],
)
def test_every_rule_that_differs_shows_in_the_diff(old: str, new: str) -> None:
    text = default_scheme_text()
    assert old in text
    changed = parse_scheme(text.replace(old, new, 1))
    assert _rules(changed) != _rules(default_scheme())
    assert len([c for c in diff_schemes(default_scheme(), changed) if c.changed]) == 1


def test_rows_keep_the_order_the_page_posts_them_in() -> None:
    posted = _posted(default_scheme())
    row0 = {k: v for k, v in posted.items() if k.startswith("groups.below.indicators[0].")}
    data = {k: v for k, v in posted.items() if k not in row0}
    data.update(row0)  # ↓ moved the first 规下 row below the second: its fields come later, names unchanged
    form, raw = read_form(data)
    scheme = scheme_from_data(raw, weight_total=100)
    assert [i.key for i in scheme.groups["below"].indicators] == ["revenue_per_mu", "tax_per_mu"]
    assert form.value("groups.below.indicators[0].key") == "revenue_per_mu"
    changes = [c for c in diff_schemes(default_scheme(), scheme) if c.changed]
    assert [c.key for c in changes] == ["groups.below.order"]
