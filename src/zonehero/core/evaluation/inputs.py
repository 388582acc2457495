"""The engine's input contract: canonical columns, dtypes, unique USCC, and a row-order-free hash.

The importer has already validated values; here we only make the frame's
shape certain (every registry column present with one dtype) so the rest of
the engine never checks for absent columns, and refuse what would make the
result ambiguous (no uscc column, empty or duplicate uscc).
"""

from __future__ import annotations

import hashlib

import polars as pl

from zonehero.core.domain.fields import FIELDS, Field
from zonehero.errors import InputError, InputProblem

MAX_LISTED_PROBLEMS = 50
"""Duplicate USCCs listed one by one up to this many; the rest are counted."""


def field_dtype(f: Field) -> pl.DataType:
    """The dtype the engine works with for a registry field."""
    if f.type == "bool":
        return pl.Boolean()
    if f.type in {"number", "integer"}:
        return pl.Float64()
    if f.type == "year":
        return pl.Int64()
    return pl.String()


def canonical_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """Every registry column, in registry order, with the engine's dtype, absent ones all null; sorted by uscc.

    Sorted so that every floating-point sum downstream runs in the same order
    whatever the input row order (the result must not depend on it). Columns
    outside the registry are dropped. InputError when uscc is absent, empty,
    duplicated, or a column cannot be read as its type.
    """
    if "uscc" not in frame.columns:
        raise InputError(InputProblem("缺少必填列「统一社会信用代码」(uscc)", column="uscc"))
    problems: list[InputProblem] = []
    columns: list[pl.Series] = []
    for f in FIELDS:
        dtype = field_dtype(f)
        if f.key not in frame.columns:
            columns.append(pl.Series(f.key, dtype=dtype).extend_constant(None, frame.height))
            continue
        column = frame[f.key]
        if column.dtype == dtype:
            columns.append(column)
            continue
        try:
            columns.append(column.cast(dtype, strict=True))
        except (pl.exceptions.InvalidOperationError, pl.exceptions.ComputeError):
            problems.append(InputProblem(f"列「{f.label}」含有无法按{_type_label(f)}读取的值", column=f.key))
    if problems:
        raise InputError(problems)
    canonical = pl.DataFrame(columns).sort("uscc")
    problems += _uscc_problems(canonical)
    if problems:
        raise InputError(problems)
    return canonical


def _type_label(f: Field) -> str:
    return {"bool": "是/否", "number": "数值", "integer": "数值", "year": "年份"}.get(f.type, "文本")


def _uscc_problems(frame: pl.DataFrame) -> list[InputProblem]:
    """Empty and duplicate USCCs of ``frame``, which is sorted by uscc (duplicates are neighbours)."""
    problems: list[InputProblem] = []
    empty = frame.select(pl.col("uscc").is_null() | ~pl.col("uscc").str.contains(r"\S")).to_series()
    n_empty = int(empty.sum())
    if n_empty:
        problems.append(InputProblem(f"有 {n_empty} 行的统一社会信用代码为空", column="uscc"))
    column = frame["uscc"]
    if not (column == column.shift(1)).any():
        return problems
    dupes = frame.filter(pl.col("uscc").is_not_null()).group_by("uscc").len().filter(pl.col("len") > 1).sort("uscc")
    for uscc, count in dupes.head(MAX_LISTED_PROBLEMS).iter_rows():
        problems.append(
            InputProblem(f"统一社会信用代码 {uscc} 重复出现 {count} 次（每家企业只能有一行）", column="uscc")
        )
    if dupes.height > MAX_LISTED_PROBLEMS:
        problems.append(
            InputProblem(f"另有 {dupes.height - MAX_LISTED_PROBLEMS} 个重复的统一社会信用代码", column="uscc")
        )
    return problems


def input_hash(canonical: pl.DataFrame) -> str:
    """sha256 of the canonical frame sorted by uscc: the same data in any row order gives the same hash.

    Built from raw column buffers (values, null masks, string bytes), not a
    text rendering, so it is fast (≈0.15 s for 500,000 rows) and independent
    of float formatting.
    """
    ordered = canonical.sort("uscc")
    digest = hashlib.sha256()
    for name in ordered.columns:
        col = ordered[name]
        digest.update(f"{name}\0{col.dtype}\0".encode())
        digest.update(col.is_null().to_numpy().tobytes())
        if col.dtype == pl.String:
            digest.update(col.str.len_bytes().fill_null(0).to_numpy().tobytes())
            digest.update(col.fill_null("").str.join("").item().encode("utf-8"))
        elif col.dtype == pl.Boolean:
            digest.update(col.fill_null(False).to_numpy().tobytes())
        else:
            digest.update(col.fill_null(0).to_numpy().tobytes())
    return digest.hexdigest()
