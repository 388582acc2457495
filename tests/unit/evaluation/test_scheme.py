"""Scheme files: the default parses, round-trips and varies; every kind of mistake is reported with its key path."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from zonehero.core.evaluation.scheme import (
    default_scheme,
    default_scheme_text,
    load_scheme,
    parse_scheme,
    scheme_to_toml,
)
from zonehero.core.evaluation.scheme_variants import with_changes
from zonehero.errors import SchemeError


def _problems(text: str) -> dict[str | None, str]:
    with pytest.raises(SchemeError) as info:
        parse_scheme(text, source="my.toml")
    assert all(p.file == "my.toml" for p in info.value.problems)
    return {p.column: p.message for p in info.value.problems}


def _edit(old: str, new: str, count: int = 1) -> str:
    text = default_scheme_text()
    assert old in text, old
    return text.replace(old, new, count)


def test_default_scheme_has_the_spec_defaults() -> None:
    s = default_scheme()
    assert [i.weight for i in s.groups["above"].indicators] == [30, 15, 10, 10, 15, 10, 10]
    assert [(i.key, i.weight) for i in s.groups["below"].indicators] == [("tax_per_mu", 70), ("revenue_per_mu", 30)]
    assert s.groups["above"].indicator("rd_intensity").multiplier == 100
    assert (s.scoring.cap, s.scoring.benchmark_mode, s.scoring.benchmark_factor) == (2.0, "zone", 1.0)
    assert (s.scoring.industry_min_count, s.scoring.missing_policy) == (5, "zero")
    assert (s.classes.quota_a, s.classes.quota_b, s.classes.quota_c, s.classes.vetoed_class) == (20, 70, 95, "D")
    assert (s.classes.threshold_a, s.classes.threshold_b, s.classes.threshold_c) == (90, 70, 50)
    assert s.scope.exempt_industry_prefixes == ("D44", "D45", "D46")
    assert (s.scope.min_land_mu_below_scale, s.scope.above_scale_revenue, s.scope.exempt_years) == (5, 2000, 3)
    assert dict(s.bonus.flags) == {"high_tech": 3, "listed": 2}
    assert dict(s.bonus.zjtx_level) == {"province": 3, "national": 5}
    assert s.bonus.max_total == 10
    assert s.carbon_grade.bounds == (0.6, 0.8, 1.2, 2.0)
    assert [s.policies["D"].surcharge_for_year(y) for y in (1, 2, 3, 7)] == [0.05, 0.10, 0.15, 0.15]
    assert s.policies["A"].name == "优先发展类"
    assert len(s.digest) == 64 and s.text == default_scheme_text()


def test_serialised_scheme_parses_back_to_the_same_scheme() -> None:
    s = default_scheme()
    again = parse_scheme(scheme_to_toml(s))
    assert dataclasses.replace(again, text=s.text, digest=s.digest) == s


def test_with_changes_validates_and_gets_its_own_digest() -> None:
    s = default_scheme()
    v = with_changes(s, cap=3.0, quotas=(10, 60, 90), weights={"above": {"tax_per_mu": 40}}, bonus_max_total=8)
    assert v.scoring.cap == 3.0 and v.classes.quota_b == 60 and v.bonus.max_total == 8
    assert v.groups["above"].indicator("tax_per_mu").weight == 40
    assert v.groups["below"].indicator("tax_per_mu").weight == 70
    assert v.digest != s.digest and parse_scheme(v.text) == v
    with pytest.raises(SchemeError):
        with_changes(s, quotas=(80, 70, 95))


def test_load_scheme(tmp_path: Path) -> None:
    assert load_scheme(None) is default_scheme()
    path = tmp_path / "zone.toml"
    path.write_text(_edit("cap = 2.0", "cap = 1.5"), encoding="utf-8")
    assert load_scheme(path).scoring.cap == 1.5
    with pytest.raises(SchemeError, match="不存在"):
        load_scheme(tmp_path / "missing.toml")


def test_toml_syntax_error_has_the_line() -> None:
    with pytest.raises(SchemeError) as info:
        parse_scheme("[scheme]\nname = \n", source="my.toml")
    problem = info.value.problems[0]
    assert problem.row == 2 and "TOML" in problem.message


@pytest.mark.parametrize(
    ("old", "new", "path", "words"),
    [
        ("cap = 2.0", "cap = 2.0\ncaps = 3", "scoring.caps", "未知"),
        ("cap = 2.0", 'cap = "two"', "scoring.cap", "类型"),
        ("cap = 2.0", "cap = 0", "scoring.cap", "大于 0"),
        ('benchmark_mode = "zone"', 'benchmark_mode = "city"', "scoring.benchmark_mode", "city"),
        ('missing_policy = "zero"', 'missing_policy = "mean"', "scoring.missing_policy", "mean"),
        ('numerator = "tax"', 'numerator = "taxes"', "groups.above.indicators[0].numerator", "taxes"),
        ('denominator = "land_area_mu"', 'denominator = "name"', "groups.above.indicators[0].denominator", "数值"),
        ('direction = "higher"', 'direction = "up"', "groups.above.indicators[0].direction", "up"),
        ("weight = 15", "weight = 0", "groups.above.indicators[1].weight", "大于 0"),
        ("weight = 15", "weight = -5", "groups.above.indicators[1].weight", "大于 0"),
        ('key = "value_added_per_mu"', 'key = "tax_per_mu"', "groups.above.indicators[1].key", "重复"),
        ('key = "value_added_per_mu"', 'key = "Value-Added"', "groups.above.indicators[1].key", "小写"),
        ("quota_a = 20", "quota_a = 80", "classes.quota_b", "quota_a <= quota_b"),
        ("quota_c = 95", "quota_c = 101", "classes.quota_c", "100"),
        ("quota_a = 20", "quota_a = 20.5", "classes.quota_a", "整数"),
        ("threshold_b = 70.0", "threshold_b = 95.0", "classes.threshold_b", "递减"),
        ('mode = "quota"', 'mode = "rank"', "classes.mode", "rank"),
        ('vetoed_class = "D"', 'vetoed_class = "B"', "classes.vetoed_class", "B"),
        ("high_tech = 3.0", "revenue = 3.0", "bonus.flags.revenue", "布尔"),
        ("national = 5.0", "city = 5.0", "bonus.zjtx_level.city", "专精特新"),
        ('veto_flags = ["major_safety_accident"', 'veto_flags = ["tax"', "scope.veto_flags[0]", "布尔"),
        ('["D44", "D45", "D46"]', '["D44", "power"]', "scope.exempt_industry_prefixes[1]", "power"),
        ("bounds = [0.6, 0.8, 1.2, 2.0]", "bounds = [0.6, 0.5]", "carbon_grade.bounds", "递增"),
        ('[policies.D]\nname = "整治提升类"', '[policies.E]\nname = "x"', "policies.D", "缺少"),
        (
            "electricity_surcharge_by_consecutive_year = [0.05, 0.10, 0.15]",
            "electricity_surcharge_by_consecutive_year = [0.05, 0.10, 0.15]\nelectricity_surcharge = 0.05",
            "policies.D.electricity_surcharge",
            "只能取其一",
        ),
    ],
)
def test_each_kind_of_mistake_names_its_key(old: str, new: str, path: str, words: str) -> None:
    problems = _problems(_edit(old, new))
    assert path in problems, problems
    assert words in problems[path]


def test_fixed_mode_needs_every_benchmark() -> None:
    text = _edit('benchmark_mode = "zone"', 'benchmark_mode = "fixed"')
    text = text.replace("[benchmarks.fixed.above]", "[benchmarks.fixed.above]\ntax_per_mu = 3.0\nnope = 1.0")
    problems = _problems(text)
    assert "benchmarks.fixed.above.value_added_per_mu" in problems
    assert "benchmarks.fixed.below.revenue_per_mu" in problems
    assert "benchmarks.fixed.above.tax_per_mu" not in problems
    assert "benchmarks.fixed.above.nope" in problems


def test_several_problems_are_reported_at_once() -> None:
    text = _edit("cap = 2.0", "cap = -1").replace("quota_c = 95", "quota_c = 0").replace("max_total = 10.0", "")
    problems = _problems(text)
    assert {"scoring.cap", "classes.quota_c", "bonus.max_total"} <= set(problems)


def test_a_missing_section_is_one_problem() -> None:
    text = default_scheme_text()
    start = text.index("[carbon_grade]")
    end = text.index("# §7 differentiated")
    problems = _problems(text[:start] + text[end:])
    assert problems == {"carbon_grade": "缺少表（section）"}


def test_weights_need_not_sum_to_100() -> None:
    s = parse_scheme(_edit("weight = 70", "weight = 20"))
    assert s.groups["below"].total_weight == 50
