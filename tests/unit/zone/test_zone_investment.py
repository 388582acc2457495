"""The 招商 thresholds in the zone profile: defaults, a zone's own values, refusals, a save that keeps them."""

from __future__ import annotations

import pytest

from zonehero.core.zone import InvestmentThresholds, default_zone, parse_zone
from zonehero.core.zone.profile import default_zone_text, zone_toml
from zonehero.errors import InputError


def test_the_defaults_are_1_10_and_50_yi_and_one_project() -> None:
    tiers = default_zone().investment
    assert (tiers.over_1e8, tiers.over_1e9, tiers.over_5e9) == (10000, 100000, 500000)
    assert tiers.rule_5020_min_projects == 1
    assert tiers == InvestmentThresholds()
    assert "investment_over_5e9" in default_zone_text() and "rule_5020_min_projects" in default_zone_text()


def test_a_zone_file_changes_them_and_they_survive_a_round_trip() -> None:
    zone = parse_zone("investment_over_1e8 = 5000\nrule_5020_min_projects = 2\n", source="zone.toml")
    assert zone.investment.over_1e8 == 5000 and zone.investment.over_1e9 == 100000
    assert zone.investment.rule_5020_min_projects == 2
    assert parse_zone(zone_toml(zone), source="again.toml") == zone


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("investment_over_1e8 = 0", "investment_over_1e8"),
        ('investment_over_1e9 = "十亿"', "investment_over_1e9"),
        ("investment_over_1e8 = 200000", "investment_over_1e9"),  # above the next size
        ("rule_5020_min_projects = 0", "rule_5020_min_projects"),
        ("rule_5020_min_projects = 1.5", "rule_5020_min_projects"),
    ],
)
def test_bad_thresholds_are_refused_naming_the_key(text: str, key: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_zone(text, source="zone.toml")
    assert [p.column for p in caught.value.problems] == [key]
