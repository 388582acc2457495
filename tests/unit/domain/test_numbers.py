"""One rule per unit (zonehero.core.domain.numbers): each rule, its edge cases, and that the users share it."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest

from zonehero.core.domain import numbers
from zonehero.core.domain.numbers import DASH


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (None, 2, DASH),
        (math.nan, 2, DASH),
        (math.inf, 2, DASH),
        (-math.inf, 2, DASH),
        (True, 2, DASH),
        ("81.2147", 2, DASH),
        (81.2147, 2, "81.21"),
        (37381.95, 2, "37,381.95"),
        (0, 2, "0.00"),
        (1234567, 0, "1,234,567"),
        (-1234.567, 2, "-1,234.57"),
        # Half-up on the decimal people see, not binary half-even: 9999.995 is 9999.99499… as a float.
        (9999.995, 2, "10,000.00"),
        (0.125, 2, "0.13"),
        (2.5, 0, "3"),
        (-2.5, 0, "-3"),
        (-0.001, 2, "0.00"),
        (-0.004, 2, "0.00"),
        (Decimal("1.005"), 2, "1.01"),
        (12.34, 1, "12.3"),
    ],
)
def test_fixed_rounds_half_up_with_thousands_and_a_dash(value: object, decimals: int, expected: str) -> None:
    assert numbers.fixed(value, decimals) == expected


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (81.2147, "亩", "81.21"),
        (100.0, "亩", "100.00"),
        (37381.95, "吨", "37,381.95"),
        (1234.5678, "万元", "1,234.57"),
        (12.345, "万元/亩", "12.35"),
        (212.0, "人", "212"),
        (212.6, "人", "213"),
        (5, "家", "5"),
        (12.34, "%", "12.3"),
        (None, "亩", DASH),
        (3.14159, None, "3.14"),
    ],
)
def test_quantity_follows_the_rule_of_its_unit(value: object, unit: str | None, expected: str) -> None:
    assert numbers.quantity(value, unit) == expected


def test_with_unit_puts_the_unit_after_the_number() -> None:
    assert numbers.with_unit(81.2147, "亩") == "81.21 亩"
    assert numbers.with_unit(12, "人") == "12 人"
    assert numbers.with_unit(12.34, "%") == "12.3%"
    assert numbers.with_unit(None, "亩") == DASH
    assert numbers.with_unit(1.5, "") == "1.50"


def test_count_has_no_decimals() -> None:
    assert numbers.count(212) == "212"
    assert numbers.count(12345) == "12,345"
    assert numbers.count(None) == DASH


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, DASH),
        (0, "0.00 万元"),
        (9999.99, "9,999.99 万元"),
        (9999.994, "9,999.99 万元"),
        # Would print as 10,000.00 万元: from there on it is 亿元.
        (9999.995, "1.00 亿元"),
        (10000, "1.00 亿元"),
        (37381.95, "3.74 亿元"),
        (1234567.8, "123.46 亿元"),
        (-25000, "-2.50 亿元"),
        (-9999.99, "-9,999.99 万元"),
        (math.nan, DASH),
    ],
)
def test_money_total_switches_to_yi_yuan_from_ten_thousand_wan(value: object, expected: str) -> None:
    assert numbers.money_total(value) == expected


def test_area_and_money_have_two_decimals() -> None:
    assert numbers.area_mu(81.2147) == "81.21"
    assert numbers.money(37381.9500) == "37,381.95"


@pytest.mark.parametrize(
    ("value", "share", "expected"),
    [
        (12.345, False, "12.3%"),
        (0.12345, True, "12.3%"),
        (-0.05, True, "-5.0%"),
        (1, True, "100.0%"),
        (0.9995, True, "100.0%"),
        (None, True, DASH),
        (math.inf, False, DASH),
    ],
)
def test_percent_has_one_decimal(value: object, share: bool, expected: str) -> None:
    assert numbers.percent(value, share=share) == expected


def test_signed_shows_plus_for_a_rise_and_no_sign_for_nothing() -> None:
    assert numbers.signed(1.254) == "+1.25"
    assert numbers.signed(-0.3) == "-0.30"
    assert numbers.signed(0.001) == "0.00"
    assert numbers.signed(None) == DASH


def test_rank_reads_position_over_group_size() -> None:
    assert numbers.rank(53, 212) == "53 / 212"
    assert numbers.rank(1, 1234) == "1 / 1,234"
    assert numbers.rank(53, None) == "53"
    assert numbers.rank(53, 0) == "53"
    assert numbers.rank(None, 212) == DASH


@pytest.mark.parametrize(
    ("code", "division", "label"),
    [
        ("C3252", "32", "C3252 有色金属冶炼和压延加工业"),
        ("c2319", "23", "c2319 印刷和记录媒介复制业"),
        ("3911", "39", "3911 计算机、通信和其他电子设备制造业"),
        ("C99", "99", "C99"),
        ("X", None, "X"),
        ("", None, DASH),
        (None, None, DASH),
    ],
)
def test_industry_codes_carry_their_division_name(code: str | None, division: str | None, label: str) -> None:
    assert numbers.division_of(code) == division
    assert numbers.industry(code) == label
    assert numbers.industry_name(code) == (label.split(" ", 1)[1] if " " in label else DASH)


def test_carbon_grade_says_what_it_means() -> None:
    assert numbers.carbon_grade(1) == "1 级（低碳）"
    assert numbers.carbon_grade(5) == "5 级（高碳）"
    assert numbers.carbon_grade(3, long=True) == "3 级（中等，碳排放强度接近同行业平均）"
    assert numbers.carbon_grade(6) == "6 级"
    assert numbers.carbon_grade(None) == DASH
    assert set(numbers.CARBON_GRADE_MEANINGS) == set(numbers.CARBON_GRADE_SHORT) == {1, 2, 3, 4, 5}


def test_pages_and_pdfs_format_through_the_same_rule() -> None:
    """The web filter and the PDF helper are the module's rule, not copies of it."""
    from zonehero.edges.web.rendering import build_templates, format_number
    from zonehero.reports.pdf.styles import fmt_num, fmt_pct

    assert format_number(9999.995) == fmt_num(9999.995) == numbers.fixed(9999.995) == "10,000.00"
    assert format_number(1234) == "1,234"
    assert fmt_num(1234.5, thousands=False) == "1234.50"
    assert fmt_pct(0.12345) == numbers.percent(0.12345, share=True) == "12.3%"
    assert fmt_pct(0.12345, 2) == "12.35%"
    assert fmt_pct(None) == DASH
    env = build_templates().env
    rendered = env.from_string(
        "{{ a | quantity('亩') }}|{{ r | rank(212) }}|{{ c | industry }}|{{ g | carbon_grade }}|{{ m | money_total }}"
    ).render(a=81.2147, r=53, c="C3252", g=1, m=37381.95)
    assert rendered == "81.21|53 / 212|C3252 有色金属冶炼和压延加工业|1 级（低碳）|3.74 亿元"


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (81.2147, "亩", "81.21"),
        (2012, "年", "2012"),
        (2012.0, "年", "2012"),
        (True, None, "是"),
        (False, None, "否"),
        ("C3252", None, "C3252"),
        (None, "亩", DASH),
        (35.0, "人", "35"),
    ],
)
def test_a_reported_figure_is_shown_by_its_unit(value: object, unit: str | None, expected: str) -> None:
    assert numbers.figure(value, unit) == expected


def test_a_registry_field_is_shown_with_its_label_and_unit() -> None:
    assert numbers.field_figure("land_area_mu", 81.2147) == "81.21 亩"
    assert numbers.field_figure("land_area_mu", None) == DASH
    assert numbers.field_figure("production_start_year", 2012.0) == "2012 年"
    assert numbers.field_figure("no_such_field", 1.5) == "1.50"
    assert numbers.field_label("land_area_mu") == "用地面积"
    assert numbers.field_label("no_such_field") == "no_such_field"
