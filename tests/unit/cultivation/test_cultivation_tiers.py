"""Tier definitions: the packaged default, and validation errors that name the key path."""

from __future__ import annotations

from pathlib import Path

import pytest

from zonehero.core.cultivation import default_tiers, default_tiers_text, load_tiers, parse_tiers
from zonehero.errors import SchemeError


def _columns(text: str) -> set[str | None]:
    with pytest.raises(SchemeError) as info:
        parse_tiers(text, source="t.toml")
    return {p.column for p in info.value.problems}


def test_default_has_the_published_ladders() -> None:
    d = default_tiers()
    assert [(t.label, t.min_revenue) for t in d.scale] == [
        ("规下企业", 0),
        ("规上企业", 2000),
        ("亿元企业", 10000),
        ("十亿元企业", 100000),
        ("五十亿元企业", 500000),
        ("百亿元企业", 1000000),
    ]
    assert (d.candidate_revenue_share, d.candidate_growth) == (0.8, 0.10)
    assert [t.key for t in d.quality] == ["innovative_sme", "zjtx_sme", "little_giant", "single_champion"]
    assert all(t.source for t in d.quality)
    assert d.quality[-1].review


def test_default_conditions_cite_rd_intensity_and_patents() -> None:
    giant = default_tiers().quality[2]
    metrics = {c.metric: c.value for c in giant.conditions}
    assert metrics["rd_intensity"] == 0.03
    assert metrics["invention_patents"] == 2
    assert metrics["revenue"] == 10000
    assert all(c.note for c in giant.conditions)


def test_default_text_round_trips_through_a_file(tmp_path: Path) -> None:
    path = tmp_path / "tiers.toml"
    path.write_text(default_tiers_text().replace("candidate_growth = 0.10", "candidate_growth = 0.15"), "utf-8")
    assert load_tiers(path).candidate_growth == 0.15


def test_missing_file_is_a_scheme_error(tmp_path: Path) -> None:
    with pytest.raises(SchemeError, match="不存在"):
        load_tiers(tmp_path / "nope.toml")


def test_syntax_error() -> None:
    with pytest.raises(SchemeError, match="TOML 语法错误"):
        parse_tiers("[tiers\n")


def test_thresholds_must_rise_and_start_at_zero() -> None:
    text = (
        default_tiers_text()
        .replace("min_revenue = 0\n", "min_revenue = 5\n")
        .replace("min_revenue = 100000\n", "min_revenue = 10000\n")
    )
    assert _columns(text) == {"scale.tiers[0].min_revenue", "scale.tiers[3].min_revenue"}


def test_every_problem_is_reported_with_its_key_path() -> None:
    text = (
        default_tiers_text()
        .replace("candidate_revenue_share = 0.8", "candidate_revenue_share = 1.5")
        .replace('metric = "high_tech"', 'metric = "market_share"')
        .replace('key = "revenue_1b"', 'key = "Revenue 1b"')
        .replace('zjtx_levels = ["national"]', 'zjtx_levels = ["city"]')
        .replace('op = ">="\nvalue = 0.03', 'op = "≥"\nvalue = 0.03', 1)
    )
    assert _columns(text) == {
        "scale.candidate_revenue_share",
        "quality.tiers[0].conditions[1].metric",
        "scale.tiers[3].key",
        "quality.tiers[2].zjtx_levels[0]",
        "quality.tiers[1].conditions[2].op",
    }


def test_value_type_must_match_the_metric() -> None:
    text = default_tiers_text().replace(
        'metric = "high_tech"\nop = "=="\nvalue = true', 'metric = "high_tech"\nop = "=="\nvalue = 1'
    )
    assert _columns(text) == {"quality.tiers[0].conditions[1].value"}
    text = default_tiers_text().replace(
        'metric = "rd_expense"\nop = ">="\nvalue = 100', 'metric = "rd_expense"\nop = ">="\nvalue = "100"'
    )
    assert _columns(text) == {"quality.tiers[1].conditions[1].value"}


def test_unknown_keys_duplicates_and_missing_sections() -> None:
    text = (
        default_tiers_text()
        .replace("[tiers]\n", "[tiers]\ncolour = 1\n")
        .replace('key = "zjtx_sme"', 'key = "innovative_sme"')
    )
    problems = _columns(text)
    assert "tiers.colour" in problems
    assert "quality.tiers[1].key" in problems
    assert _columns('[tiers]\nname = "x"\nversion = "1"\n') == {"scale", "quality"}
    assert _columns(
        '[tiers]\nname = "x"\nversion = "1"\n'
        "[scale]\ncandidate_revenue_share = 0.8\ncandidate_growth = 0.1\ntiers = []\n[quality]\n"
    ) == {"scale.tiers", "quality.tiers"}


def test_alias_used_by_two_tiers() -> None:
    text = default_tiers_text().replace('aliases = ["创新型中小企业", "创新型", "innovative"]', 'aliases = ["小巨人"]')
    assert "quality.tiers[2].aliases" in _columns(text)
