"""Numbers as people read them (数字的呈现): one rule per unit, for pages, exports and PDFs alike.

Pages, workbooks and PDFs used to format figures each in their own way (four
decimals in one place, two in another, ``81.2147 亩`` next to ``37,381.9500 吨``).
Every printed number now goes through this module, so a unit is shown the same
everywhere and a rule changes in one place:

- 亩, 万元 and every other measured quantity: two decimals (``81.21``);
- counts (家, 人, 个, 项, 次, 名): no decimals;
- percentages: one decimal (``12.3%``);
- a total of money over 10,000 万元: in 亿元 (``3.74 亿元``);
- a rank with its group size (``53 / 212``);
- an industry code with its GB/T 4754 division name;
- a carbon grade (碳效等级, spec §7a) with what it means.

Rounding is half-up on the decimal value people see (9,999.995 → 10,000.00),
not Python's binary round-half-even, and a missing or non-finite value is ``—``.
Pure Python: usable from core, reports and the web.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

from zonehero.core.domain.fields import FIELDS_BY_KEY
from zonehero.core.domain.industry_divisions import DIVISION_NAMES

DASH = "—"
"""What a missing figure prints as."""

MONEY_DECIMALS = 2
AREA_DECIMALS = 2
QUANTITY_DECIMALS = 2
PERCENT_DECIMALS = 1

COUNT_UNITS = frozenset({"家", "人", "个", "项", "次", "名", "件", "户", "条"})
"""Units of things counted one by one: shown without decimals."""

PERCENT_UNITS = frozenset({"%", "％"})

YEAR_UNIT = "年"
"""A year (投产年份) is a plain year: 2012, not 2,012.00."""

YI_IN_WAN = 10_000
"""1 亿元 = 10,000 万元: a total at or above this reads better in 亿元."""

CARBON_GRADE_MEANINGS: dict[int, str] = {
    1: "低碳，碳排放强度明显低于同行业平均",
    2: "较低碳，碳排放强度低于同行业平均",
    3: "中等，碳排放强度接近同行业平均",
    4: "较高碳，碳排放强度高于同行业平均",
    5: "高碳，碳排放强度明显高于同行业平均",
}
"""What each 碳效等级 means (spec §7a: K = 单位增加值碳排放 ÷ 同行业平均; 1 级最优, 5 级最差)."""

CARBON_GRADE_SHORT: dict[int, str] = {1: "低碳", 2: "较低碳", 3: "中等", 4: "较高碳", 5: "高碳"}

CARBON_GRADE_NOTE = "碳效等级按单位工业增加值碳排放与同行业平均水平之比评定，分 1–5 级，1 级最优"
"""The one-sentence explanation printed beside a grade where there is room."""


XLSX_QUANTITY = "#,##0.00"
"""Workbooks keep full precision in the cell and show it by the same rule: two decimals, thousands separators."""

XLSX_SHARE = "0.0%"
"""A share shown as a percentage with one decimal."""


def _decimal(value: object) -> Decimal | None:
    """The value as a Decimal from its shortest repr (what people typed), None when missing or not a number."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value)) if math.isfinite(value) else None
    return None


def fixed(value: object, decimals: int = 2) -> str:
    """Thousands separators and ``decimals`` places, rounded half-up; ``—`` when missing; never ``-0.00``."""
    number = _decimal(value)
    if number is None:
        return DASH
    quantum = Decimal(1).scaleb(-decimals)
    rounded = number.quantize(quantum, rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)
    return f"{rounded:,.{decimals}f}"


def count(value: object) -> str:
    """A count (家, 人, 项): no decimals."""
    return fixed(value, 0)


def decimals_for(unit: str | None) -> int:
    """How many decimals a figure in ``unit`` is shown with: the one rule per unit."""
    if unit in COUNT_UNITS:
        return 0
    if unit in PERCENT_UNITS:
        return PERCENT_DECIMALS
    return QUANTITY_DECIMALS


def quantity(value: object, unit: str | None = None) -> str:
    """The number of a figure in ``unit`` (without the unit, which pages set apart in smaller type)."""
    return fixed(value, decimals_for(unit))


def with_unit(value: object, unit: str | None) -> str:
    """``81.21 亩``, ``12 人``, ``12.3%``: the number and its unit as one string (exports, PDFs, sentences)."""
    text = quantity(value, unit)
    if text == DASH or not unit:
        return text
    return f"{text}{unit}" if unit in PERCENT_UNITS else f"{text} {unit}"


def figure(value: object, unit: str | None = None) -> str:
    """A reported figure (报送数据) by its unit: ``81.21`` 亩, ``12`` 人, a year as ``2012``, 是/否, text as is."""
    if value is None:
        return DASH
    if isinstance(value, bool):
        return "是" if value else "否"
    if unit == YEAR_UNIT and isinstance(value, int | float) and math.isfinite(value) and float(value).is_integer():
        return str(int(value))
    if isinstance(value, int | float | Decimal):
        return quantity(value, unit)
    return str(value)


def field_figure(field_key: str, value: object) -> str:
    """A figure of the field registry with its unit: ``81.21 亩``, ``2012 年``, ``是``."""
    field = FIELDS_BY_KEY.get(field_key)
    unit = field.unit if field else None
    text = figure(value, unit)
    if text == DASH or not unit or isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return text
    return f"{text}{unit}" if unit in PERCENT_UNITS else f"{text} {unit}"


def field_label(field_key: str) -> str:
    """The Chinese label of a registry field (its key only when unknown, never shown for a known one)."""
    field = FIELDS_BY_KEY.get(field_key)
    return field.label if field else field_key


def area_mu(value: object) -> str:
    """An area in 亩: two decimals."""
    return fixed(value, AREA_DECIMALS)


def money(value: object) -> str:
    """An amount in 万元: two decimals."""
    return fixed(value, MONEY_DECIMALS)


def money_total(value_10k_yuan: object) -> str:
    """A total amount with its unit: ``9,999.99 万元`` below 1 亿元, ``3.74 亿元`` from there on.

    The switch is made on the amount as it would be printed in 万元, so 9,999.995 万元
    (which would read ``10,000.00 万元``) reads ``1.00 亿元``.
    """
    number = _decimal(value_10k_yuan)
    if number is None:
        return DASH
    in_wan = number.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if abs(in_wan) >= YI_IN_WAN:
        return f"{fixed(number / YI_IN_WAN, MONEY_DECIMALS)} 亿元"
    return f"{fixed(number, MONEY_DECIMALS)} 万元"


def percent(value: object, *, share: bool = False) -> str:
    """A percentage with one decimal and the sign: ``12.3%``; ``share=True`` when the value is a share (0.123)."""
    number = _decimal(value)
    if number is None:
        return DASH
    return f"{fixed(number * 100 if share else number, PERCENT_DECIMALS)}%"


def signed(value: object, decimals: int = 2) -> str:
    """A change with its sign: ``+1.25``, ``-0.30``, ``0.00``."""
    text = fixed(value, decimals)
    number = _decimal(value)
    if text == DASH or number is None or text.strip("0.,") == "":
        return text
    return f"+{text}" if number > 0 else text


def rank(position: int | None, size: int | None = None) -> str:
    """A rank in its group: ``53 / 212``; only ``53`` when the group's size is unknown; ``—`` unranked."""
    if position is None or isinstance(position, bool):
        return DASH
    if not size:
        return count(position)
    return f"{count(position)} / {count(size)}"


def division_of(industry_code: str | None) -> str | None:
    """The two-digit division (大类) of a GB/T 4754 code: ``C3252`` → ``32``, ``3252`` → ``32``."""
    if not industry_code:
        return None
    code = industry_code.strip().upper()
    digits = code[1:] if code[:1].isalpha() else code
    return digits[:2] if len(digits) >= 2 and digits[:2].isdigit() else None


def industry_name(industry_code: str | None) -> str:
    """The GB/T 4754 division name of an industry code alone (a column beside the code); ``—`` when unknown."""
    return DIVISION_NAMES.get(division_of(industry_code) or "", DASH)


def industry(industry_code: str | None) -> str:
    """An industry code with its division's name: ``C3252 有色金属冶炼和压延加工业``; the code alone when unknown."""
    if not industry_code:
        return DASH
    name = DIVISION_NAMES.get(division_of(industry_code) or "")
    return f"{industry_code} {name}" if name else industry_code


def carbon_grade(grade: int | None, *, long: bool = False) -> str:
    """A 碳效等级 with its meaning: ``1 级（低碳）``; ``long=True`` says it in a sentence; ``—`` when none."""
    if grade is None or isinstance(grade, bool):
        return DASH
    meanings = CARBON_GRADE_MEANINGS if long else CARBON_GRADE_SHORT
    meaning = meanings.get(grade)
    return f"{grade} 级（{meaning}）" if meaning else f"{grade} 级"
