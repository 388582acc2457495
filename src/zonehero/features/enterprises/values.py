"""How a registry field's value is stored in a figure row and read back.

Numbers, years and booleans live in ``value_num`` (float64, so the engine
sees exactly the importer's value); text fields in ``value_text``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import polars as pl

from zonehero.core.domain.fields import FIELDS_BY_KEY, Field
from zonehero.core.domain.vocabulary import is_missing
from zonehero.core.ingest.values import parse_column
from zonehero.errors import InputError, InputProblem

Value = float | bool | int | str | None

TEXT_TYPES = frozenset({"text", "industry_code", "zjtx", "uscc"})


def is_text(f: Field) -> bool:
    return f.type in TEXT_TYPES


def registry_field(key: str) -> Field:
    """The registry entry of a stored figure; InputError for a key that is not a figure."""
    f = FIELDS_BY_KEY.get(key)
    if f is None or key == "uscc":
        raise InputError(InputProblem(f"未知的数据项「{key}」", column=key))
    return f


def engine_dtype(f: Field) -> pl.DataType:
    """The frame dtype the evaluation engine expects for ``f``."""
    if f.type == "bool":
        return pl.Boolean()
    if f.type in {"number", "integer"}:
        return pl.Float64()
    if f.type == "year":
        return pl.Int64()
    return pl.String()


def to_columns(f: Field, value: Value) -> tuple[float | None, str | None]:
    """(value_num, value_text) of a Python value, validated against the field's type.

    A typed-in correction is read by the importers' own cell parsers and vocabulary, so a word means the same as
    in a department's file: 「无」, 「-」 … are no value, 是/有/√ yes, 否/× no, 「1,234.5」 a number, 「2019年」 a year.
    """
    if value is None or is_missing(value):
        return None, None
    if is_text(f):
        return None, str(value).strip()
    values, problems = parse_column([value], f)
    if problems:
        raise InputError([InputProblem(message, column=f.key) for _, message in problems])
    if values[0] is None:
        return None, None
    number = float(values[0])
    if not math.isfinite(number):
        raise InputError(InputProblem(f"「{f.label}」不是有限数值", column=f.key))
    return number, None


def from_columns(f: Field, value_num: float | None, value_text: str | None) -> Value:
    """The typed value of a stored figure."""
    if is_text(f):
        return value_text
    if value_num is None:
        return None
    if f.type == "bool":
        return value_num != 0.0
    if f.type == "year":
        return int(value_num)
    return value_num


def parse_value(key: str, value: Value) -> Value:
    """A typed-in value of figure ``key`` as it would be stored (InputError naming the field when it is not one)."""
    f = registry_field(key)
    return from_columns(f, *to_columns(f, value))


def read_proposed(
    current: Mapping[str, tuple[str, Value]], proposed: Mapping[str, Value], *, unknown: str, same: str
) -> tuple[list[tuple[str, Value, Value]], list[InputProblem]]:
    """Disputed figures as ``(key, current value, proposed value)`` and every problem with them.

    ``current`` maps each figure the dispute may name to its (label, value). The one reading of a proposed value
    for an 异议 and a 企业确认 dispute alike: read as the importers read a cell, refused when empty or unchanged;
    ``unknown`` ends 「不是…」 for a key not in ``current``, ``same`` names what an unchanged value equals.
    """
    problems: list[InputProblem] = []
    disputed: list[tuple[str, Value, Value]] = []
    for key, raw in proposed.items():
        if key not in current:
            problems.append(InputProblem(f"「{key}」{unknown}", column="field"))
            continue
        label, before = current[key]
        try:
            value = parse_value(key, raw)
        except InputError as exc:
            problems += exc.problems
            continue
        if value is None:
            problems.append(InputProblem(f"请填写「{label}」应为的数值", column=key))
        elif value == before:
            problems.append(InputProblem(f"「{label}」所填数值与{same}相同", column=key))
        else:
            disputed.append((key, before, value))
    return disputed, problems
