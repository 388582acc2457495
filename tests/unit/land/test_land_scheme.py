"""The land rules as the optional ``[land]`` table of an evaluation scheme."""

from __future__ import annotations

import hashlib

import pytest

from zonehero.core.evaluation.scheme import default_scheme_text, parse_scheme, scheme_to_toml
from zonehero.core.evaluation.scheme_variants import with_changes
from zonehero.core.land import LandRules
from zonehero.errors import SchemeError

LAND = """
# 用地认定规则 / land rules
[land]
lessor_keeps = true
shared_parcels = "merge"
exclude_under_construction = true
minimum_mu = 3
pro_rata = false
"""


def test_a_scheme_without_land_is_as_before() -> None:
    text = default_scheme_text()
    scheme = parse_scheme(text)
    assert scheme.land is None and scheme.land_rules == LandRules()
    assert scheme.digest == hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert "[land]" not in scheme_to_toml(scheme)  # a saved version of it keeps its shape


def test_the_default_rule() -> None:
    rules = LandRules()
    assert (rules.lessor_keeps, rules.shared_parcels, rules.exclude_under_construction) == (False, "separate", False)
    assert (rules.minimum_mu, rules.pro_rata) == (0.0, True)


def test_land_parsed() -> None:
    scheme = parse_scheme(default_scheme_text() + LAND)
    assert scheme.land == LandRules(
        lessor_keeps=True, shared_parcels="merge", exclude_under_construction=True, minimum_mu=3.0, pro_rata=False
    )
    assert scheme.land_rules is scheme.land


def test_missing_keys_take_the_default() -> None:
    scheme = parse_scheme(default_scheme_text() + '\n[land]\nshared_parcels = "share"\n')
    assert scheme.land == LandRules(shared_parcels="share")
    assert parse_scheme(default_scheme_text() + "\n[land]\n").land == LandRules()


def test_written_back_and_read_again() -> None:
    scheme = parse_scheme(default_scheme_text() + LAND)
    again = parse_scheme(scheme_to_toml(scheme))
    assert again.land == scheme.land
    varied = with_changes(scheme, cap=1.5)
    assert varied.land == scheme.land and varied.scoring.cap == 1.5


@pytest.mark.parametrize(
    ("table", "path", "words"),
    [
        ("[land]\nlessor_gets = true\n", "land.lessor_gets", "未知的键"),
        ('[land]\nshared_parcels = "split"\n', "land.shared_parcels", "separate / merge / share"),
        ("[land]\nminimum_mu = -1\n", "land.minimum_mu", "不能为负数"),
        ('[land]\npro_rata = "yes"\n', "land.pro_rata", "布尔值"),
        ('land = "merge"\n', "land", "应为表"),
    ],
)
def test_bad_land_refused(table: str, path: str, words: str) -> None:
    text = default_scheme_text()
    # A top-level key must come before the first table; a table can go at the end.
    text = table + text if not table.startswith("[") else text + "\n" + table
    with pytest.raises(SchemeError) as err:
        parse_scheme(text)
    [problem] = err.value.problems
    assert problem.column == path and words in problem.message


def test_the_version_diff_names_land_rule_changes() -> None:
    from zonehero.core.evaluation.scheme_diff import diff_schemes, scheme_entries

    plain = parse_scheme(default_scheme_text())
    assert not any(e.key.startswith("land.") for e in scheme_entries(plain))
    with_land = parse_scheme(default_scheme_text() + LAND)
    changes = {c.key: c for c in diff_schemes(plain, with_land) if c.key.startswith("land.")}
    assert (changes["land.shared_parcels"].old, changes["land.shared_parcels"].new) == (None, "合并评价")
    assert changes["land.lessor_keeps"].new == "是" and changes["land.minimum_mu"].new == "3"
    assert changes["land.shared_parcels"].section == "用地认定规则"
