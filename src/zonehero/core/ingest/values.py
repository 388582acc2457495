"""Parsing the cells of one column into canonical values, vectorised with Polars.

Each parser takes the raw cells of a column (as the reader gave them: str,
float, int, bool, date …) and returns the parsed Series plus the problems
as (position, message) pairs. The checks run on whole columns; Python
touches single cells only to word the message for the ones that failed, so
a 100,000-row sheet parses in a fraction of a second.

Each parser first reads the cells the way a clean file writes them (a plain
number, 是/否, an 18-character code …) and sends only the cells that did not
settle that way through the full clean-up (full-width forms, white space,
thousands separators, missing tokens …). The clean-up leaves a cell that
settled unchanged, so the result is the same as cleaning every cell; it is
just not paid for on the 100,000 that need none.

Dates and months are read cell by cell (:mod:`zonehero.core.ingest.dates`):
they occur in project and progress files, which are small.

Every parser takes a registry :class:`~zonehero.core.domain.registry.Column`
(the enterprise fields, the project columns …) and :func:`parse_column`
dispatches on its type, so a new registry needs no parser of its own. The
words for yes, no and "no value" come from :mod:`zonehero.core.domain.vocabulary`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

import polars as pl

from zonehero.core.domain.registry import Column
from zonehero.core.domain.uscc import USCC_ALPHABET, uscc_problem
from zonehero.core.domain.vocabulary import BOOL_VALUES, MISSING_TOKENS
from zonehero.core.ingest.dates import date_of, month_of

CellProblem = tuple[int, str]
"""(0-based position in the column, Chinese message)."""


_FULLWIDTH = [chr(c) for c in range(0xFF01, 0xFF5F)] + ["\u3000", "\u2212", "\u2014\u2014"]
_HALFWIDTH = [chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)] + [" ", "-", "—"]


YEAR_MIN, YEAR_MAX = 1900, 2100
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def raw_series(cells: Sequence[Any]) -> pl.Series:
    """The cells as one Series: Float64 when all are numbers, else String (numbers written as text).

    Dates become ISO text, Excel booleans 'true'/'false'.
    """
    kinds = set(map(type, cells))
    if kinds <= {float, int}:
        return pl.Series(cells, dtype=pl.Float64)
    if kinds & {dt.datetime, dt.date, dt.time, dt.timedelta}:
        cells = [c if isinstance(c, str | float | int | bool) else str(c) for c in cells]
    # Straight to String: numbers and booleans are written as Polars writes them ('1.5', 'true').
    return pl.Series(cells, dtype=pl.String, strict=False)


def clean_text(s: pl.Series) -> pl.Series:
    """Full-width to half-width, all white space removed; a String Series out."""
    if s.dtype != pl.String:
        s = s.cast(pl.String)
    return s.str.replace_many(_FULLWIDTH, _HALFWIDTH).str.replace_all(r"\s+", "")


def _missing(clean: pl.Series) -> pl.Series:
    return clean.is_null() | clean.str.to_lowercase().is_in(list(MISSING_TOKENS))


def _blank(raw: pl.Series) -> pl.Series:
    """Null or empty text (calamine gives an empty cell as ''); never null itself."""
    if raw.dtype != pl.String:
        return raw.is_null()
    return (raw == "").fill_null(True)


def _no(n: int) -> pl.Series:
    return pl.repeat(False, n, dtype=pl.Boolean, eager=True)


Parsed = tuple[pl.Series, pl.Series]
"""(values, bad): the parsed column and where a cell could not be read."""


def _settle(fast: pl.Series, settled: pl.Series, raw: pl.Series, slow: Callable[[pl.Series], Parsed]) -> Parsed:
    """``fast`` where ``settled``; elsewhere ``slow`` (the full clean-up) run on just those cells.

    ``slow`` returns (values, bad) for the Series it is given, position for position.
    """
    rest = ~settled
    if not rest.any():
        return fast, _no(len(fast))
    index = rest.arg_true()
    values, bad = slow(raw.gather(index))
    return fast.scatter(index, values.cast(fast.dtype)), _no(len(fast)).scatter(index, bad)


def _as_text(cells: Sequence[Any]) -> pl.Series:
    """String view of a column; integral floats lose their '.0' (a code typed as a number)."""
    s = raw_series(cells)
    if s.dtype == pl.Float64:
        integral = s.is_not_null() & (s == s.round(0)) & (s.abs() < 1e18)
        return pl.select(
            pl.when(integral).then(s.cast(pl.Int64, strict=False).cast(pl.String)).otherwise(s.cast(pl.String))
        ).to_series()
    # Only a cell ending in 0 can be '12.0'; the regular expression runs on those alone.
    ends_in_zero = s.str.ends_with("0").fill_null(False)
    if not ends_in_zero.any():
        return s
    index = ends_in_zero.arg_true()
    return s.scatter(index, s.gather(index).str.replace(r"^(-?\d+)\.0+$", "$1"))


def _problems(mask: pl.Series, cells: Sequence[Any], message: Any) -> list[CellProblem]:
    """(position, message(cell)) for each True in ``mask``."""
    return [(int(i), message(cells[int(i)])) for i in mask.arg_true().to_list()]


def _shown(cell: Any) -> str:
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def _number_text(raw: pl.Series) -> Parsed:
    """The full clean-up of number cells given as text: separators, accounting negatives, missing tokens."""
    clean = clean_text(raw).str.replace_all(",", "").str.replace(r"^\((.+)\)$", "-$1")
    clean = pl.select(pl.when(_missing(clean)).then(None).otherwise(clean)).to_series()
    values = clean.cast(pl.Float64, strict=False)
    return values, (clean.is_not_null() & values.is_null()).fill_null(False)


def _number_values(cells: Sequence[Any]) -> Parsed:
    """(numbers, bad) of a column: '1,234.5', full-width digits, spaces, '(123)'; missing tokens are null."""
    raw = raw_series(cells)
    if raw.dtype == pl.Float64:
        return raw, _no(len(raw))
    # A plain number or an empty cell settles at once; '1,234', '(5)', '１２', '-' … are cleaned.
    direct = raw.cast(pl.Float64, strict=False)
    values, bad = _settle(direct, direct.is_not_null() | _blank(raw), raw, _number_text)
    return values, bad | (values.is_nan() | values.is_infinite()).fill_null(False)


def parse_number(cells: Sequence[Any], f: Column, factor: float = 1.0) -> tuple[pl.Series, list[CellProblem]]:
    """Numbers in the column's canonical unit (× ``factor``); missing tokens become null.

    Accepts '1,234.5', full-width digits, spaces and accounting negatives
    '(123)'. Text is an error; a negative figure is an error when the column
    is ``nonnegative`` (land area, energy, investment …); tax and value added may be negative.
    """
    values, bad = _number_values(cells)
    unit = f.unit or ""
    expected = f"「{f.label}」应填数字（单位：{unit or '无'}）"
    problems = _problems(bad, cells, lambda c: f"「{_shown(c)}」不是数字；{expected}")
    values = pl.select(pl.when(bad).then(None).otherwise(values * factor)).to_series().cast(pl.Float64)
    if f.nonnegative:
        negative = (values < 0).fill_null(False)
        problems += _problems(negative, cells, lambda c: f"「{_shown(c)}」为负数；「{f.label}」不能为负")
    return values.alias(f.key), problems


def parse_percent(cells: Sequence[Any], f: Column) -> tuple[pl.Series, list[CellProblem]]:
    """A percentage 0-100: ``35``, ``35%``, ``３５％``; a cell formatted as % (0.35) stays 0.35; missing is null."""
    bare = [c.strip().rstrip("%％").strip() if isinstance(c, str) else c for c in cells]
    values, bad = _number_values(bare)
    expected = f"「{f.label}」应填 0-100 之间的百分数，如 35 或 35%"
    problems = _problems(bad, cells, lambda c: f"「{_shown(c)}」不是数字；{expected}")
    values = pl.select(pl.when(bad).then(None).otherwise(values)).to_series().cast(pl.Float64)
    outside = ((values < 0) | (values > 100)).fill_null(False)
    problems += _problems(outside, cells, lambda c: f"「{_shown(c)}」不在 0-100 之间；{expected}")
    return values.alias(f.key), sorted(problems)


def _cell_by_cell(
    cells: Sequence[Any], f: Column, read: Callable[[Any], dt.date | None]
) -> tuple[pl.Series, list[CellProblem]]:
    values: list[dt.date | None] = []
    problems: list[CellProblem] = []
    for i, cell in enumerate(cells):
        try:
            values.append(read(cell))
        except ValueError as exc:
            values.append(None)
            problems.append((i, str(exc)))
    return pl.Series(f.key, values, dtype=pl.Date), problems


def parse_date(cells: Sequence[Any], f: Column) -> tuple[pl.Series, list[CellProblem]]:
    """Dates (see :func:`zonehero.core.ingest.dates.date_of` for the forms); missing is null."""
    return _cell_by_cell(cells, f, date_of)


def parse_month(cells: Sequence[Any], f: Column) -> tuple[pl.Series, list[CellProblem]]:
    """Months, each as its first day (see :func:`zonehero.core.ingest.dates.month_of`); missing is null."""
    return _cell_by_cell(cells, f, month_of)


def parse_bool(cells: Sequence[Any], f: Column) -> tuple[pl.Series, list[CellProblem]]:
    """是/否, Y/N, 1/0, √/×, true/false; empty or a missing token is False."""
    raw = _as_text(cells)
    direct = raw.replace_strict(BOOL_VALUES, default=None, return_dtype=pl.Boolean)
    values, bad = _settle(direct.fill_null(False), direct.is_not_null() | _blank(raw), raw, _bool_text)
    expected = f"「{f.label}」请填 是/否（或 Y/N、1/0、√/×）"
    problems = _problems(bad, cells, lambda c: f"「{_shown(c)}」无法识别为是/否；{expected}")
    return values.alias(f.key), problems


def _bool_text(raw: pl.Series) -> Parsed:
    clean = clean_text(raw).str.to_lowercase()
    missing = _missing(clean)
    mapped = clean.replace_strict(BOOL_VALUES, default=None, return_dtype=pl.Boolean)
    bad = (~missing & mapped.is_null()).fill_null(False)
    return pl.select(pl.when(missing | bad).then(False).otherwise(mapped)).to_series().cast(pl.Boolean), bad


def parse_zjtx(cells: Sequence[Any], f: Column) -> tuple[pl.Series, list[CellProblem]]:
    """省级 → 'province'; 国家级 / 小巨人 / 专精特新"小巨人" → 'national'; empty → null."""
    raw = _as_text(cells)
    nothing = pl.repeat(None, len(raw), dtype=pl.String, eager=True)
    values, bad = _settle(nothing, _blank(raw), raw, _zjtx_text)
    problems = _problems(
        bad, cells, lambda c: f"「{_shown(c)}」不是有效的专精特新等级；请填 省级、国家级（小巨人），或留空"
    )
    return values.alias(f.key), problems


def _zjtx_text(raw: pl.Series) -> Parsed:
    clean = clean_text(raw).str.replace_all(r"[\"'“”‘’「」《》]", "").str.to_lowercase()
    missing = _missing(clean) | clean.is_in(["否", "0", "非专精特新"])
    national = clean.str.contains("小巨人") | clean.str.contains("国家") | (clean == "national")
    province = clean.str.contains("省") | (clean == "province")
    values = pl.select(
        pl.when(missing)
        .then(None)
        .when(national)
        .then(pl.lit("national"))
        .when(province)
        .then(pl.lit("province"))
        .otherwise(None)
    ).to_series()
    bad = (~missing & values.is_null()).fill_null(False)
    return values.cast(pl.String), bad


def parse_industry_code(cells: Sequence[Any], f: Column) -> tuple[pl.Series, list[CellProblem]]:
    """GB/T 4754 code: a section letter and 2-4 digits, upper-cased (c3985 → C3985)."""
    raw = _as_text(cells)
    blank = _blank(raw)
    direct = pl.select(pl.when(blank).then(None).otherwise(raw)).to_series().cast(pl.String)
    settled = blank | raw.str.contains(_INDUSTRY_CODE).fill_null(False)
    values, bad = _settle(direct, settled, raw, _industry_code_text)

    def message(cell: Any) -> str:
        text = _shown(cell)
        if text.isdigit():
            return f"行业代码「{text}」缺少门类字母；应为门类字母加 2-4 位数字，如 C3985"
        return f"「{text}」不是有效的行业代码；应为门类字母加 2-4 位数字，如 C3985"

    return values.alias(f.key), _problems(bad, cells, message)


_INDUSTRY_CODE = r"^[A-T]\d{2,4}$"


def _industry_code_text(raw: pl.Series) -> Parsed:
    clean = clean_text(raw).str.to_uppercase()
    missing = _missing(clean)
    bad = (~missing & ~clean.str.contains(_INDUSTRY_CODE)).fill_null(False)
    return pl.select(pl.when(missing | bad).then(None).otherwise(clean)).to_series().cast(pl.String), bad


def parse_year(cells: Sequence[Any], f: Column) -> tuple[pl.Series, list[CellProblem]]:
    """2019, '2019年', 2019.0, '2019-05-01', a date cell or an Excel date serial → 2019 (Int32)."""
    raw = raw_series(cells)
    numbers = raw if raw.dtype == pl.Float64 else raw.cast(pl.Float64, strict=False)
    plain = ((numbers == numbers.floor()) & (numbers >= YEAR_MIN) & (numbers <= YEAR_MAX)).fill_null(False)
    values, bad = _settle(numbers.cast(pl.Int32, strict=False), plain | _blank(raw), raw, _year_cells)
    problems = _problems(bad, cells, lambda c: f"「{_shown(c)}」不是有效的年份；「{f.label}」请填如 2019 或 2019年")
    return values.alias(f.key), problems


def _year_cells(raw: pl.Series) -> Parsed:
    if raw.dtype == pl.Float64:
        numbers = raw
        text = pl.Series([None] * len(raw), dtype=pl.String)
    else:
        text = clean_text(raw)
        text = pl.select(pl.when(_missing(text)).then(None).otherwise(text)).to_series()
        numbers = text.cast(pl.Float64, strict=False)
    from_text = text.str.extract(r"^(\d{4})(?:年.*|[-/.]\d{1,2}(?:[-/.]\d{1,2}.*)?|-\d{1,2}-\d{1,2}.*)?$", 1).cast(
        pl.Int32, strict=False
    )
    serial = (numbers > 10000) & (numbers < 80000) & (numbers == numbers.floor())
    from_serial = pl.Series(
        [(_EXCEL_EPOCH + dt.timedelta(days=int(v))).year if v is not None else None for v in numbers.filter(serial)]
        if serial.any()
        else [],
        dtype=pl.Int32,
    )
    year = pl.select(
        pl.when((numbers == numbers.floor()) & (numbers >= YEAR_MIN) & (numbers <= YEAR_MAX))
        .then(numbers.cast(pl.Int32, strict=False))
        .otherwise(from_text)
    ).to_series()
    if len(from_serial):
        year = year.scatter(serial.fill_null(False).arg_true(), from_serial)
    present = numbers.is_not_null() | text.is_not_null()
    bad = (present & (year.is_null() | (year < YEAR_MIN) | (year > YEAR_MAX))).fill_null(False)
    return pl.select(pl.when(bad).then(None).otherwise(year)).to_series().cast(pl.Int32), bad


_MAY_BE_MISSING = r"^\s*\S{1,4}\s*$"
"""Only a short cell can be a missing token (the longest is four characters), so only those are cleaned."""


def parse_text(cells: Sequence[Any], f: Column) -> tuple[pl.Series, list[CellProblem]]:
    """Text kept as given (trimmed); empty or a missing token (-, /, 无 …) → null."""
    raw = _as_text(cells).str.strip_chars()
    nothing = (raw == "").fill_null(True)
    short = raw.str.contains(_MAY_BE_MISSING).fill_null(False)
    if short.any():
        index = short.arg_true()
        nothing = nothing.scatter(index, nothing.gather(index) | _missing(clean_text(raw.gather(index))))
    values = pl.select(pl.when(nothing).then(None).otherwise(raw)).to_series().cast(pl.String)
    return values.alias(f.key), []


def parse_uscc(cells: Sequence[Any], f: Column) -> tuple[pl.Series, list[CellProblem]]:
    """Credit codes normalised (upper-case, half-width, no spaces) and checked (GB 32100-2015); missing is null."""
    codes = normalise_uscc_series(cells)
    return codes.alias(f.key), uscc_problems(codes)


def normalise_uscc_series(cells: Sequence[Any]) -> pl.Series:
    """Upper-cased, half-width, white space removed; empty → null (the rows are classified by the caller)."""
    raw = _as_text(cells)
    blank = _blank(raw)
    direct = pl.select(pl.when(blank).then(None).otherwise(raw)).to_series().cast(pl.String)
    settled = blank | raw.str.contains(r"^[0-9A-Z]{18}$").fill_null(False)
    values, _ = _settle(direct, settled, raw, _uscc_text)
    return values.alias("uscc")


def _uscc_text(raw: pl.Series) -> Parsed:
    clean = clean_text(raw).str.to_uppercase()
    values = pl.select(pl.when(_missing(clean)).then(None).otherwise(clean)).to_series().cast(pl.String)
    return values, _no(len(raw))


_USCC_SHAPE = rf"^[{USCC_ALPHABET}]{{2}}\d{{6}}[{USCC_ALPHABET}]{{10}}$"
_USCC_WEIGHTS = [pow(3, i, 31) for i in range(17)]
_ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]


def _char_values(values: dict[str, int]) -> pl.Series:
    """A 256-entry table: byte -> value of that character (-1 for a byte not in ``values``)."""
    table = [-1] * 256
    for char, value in values.items():
        table[ord(char)] = value
    return pl.Series(table, dtype=pl.Int64)


_USCC_VALUE = _char_values({c: i for i, c in enumerate(USCC_ALPHABET)})
_ORG_VALUE = _char_values({c: (int(c) if c.isdigit() else ord(c) - ord("A") + 10) for c in USCC_ALPHABET})
_ORG_CHECK_VALUE = _char_values({"X": 10, "0": 11, **{str(i): i for i in range(1, 10)}})
"""The GB 11714 check number a check character stands for (11 - sum % 11: 10 is X, 11 is 0)."""


def uscc_valid_mask(codes: pl.Series) -> pl.Series:
    """True where a code passes every check of ``uscc_problem`` (vectorised twin, same rules).

    Shape (18 characters of the GB 32100 alphabet, digits in 3-8), the USCC
    check character and the embedded GB 11714 organisation-code check. Used to
    skip the valid codes quickly; the failing ones get ``uscc_problem``'s message.
    The codes that pass the shape check are ASCII, so their bytes are read as an
    18-byte array and weighted through lookup tables, with no per-character strings.
    """
    shape_ok = codes.str.contains(_USCC_SHAPE).fill_null(False)
    safe = pl.select(pl.when(shape_ok).then(codes).otherwise(pl.lit("0" * 18))).to_series()
    chars = safe.cast(pl.Binary).bin.reinterpret(dtype=pl.Array(pl.UInt8, 18))

    def weighted(table: pl.Series, start: int, weights: list[int]) -> pl.Series:
        total = pl.repeat(0, len(chars), dtype=pl.Int64, eager=True)
        for i, w in enumerate(weights):
            total = total + table.gather(chars.arr.get(start + i)) * w
        return total

    total = weighted(_USCC_VALUE, 0, _USCC_WEIGHTS)
    org_total = weighted(_ORG_VALUE, 8, _ORG_WEIGHTS)
    uscc_ok = _USCC_VALUE.gather(chars.arr.get(17)) == (31 - total % 31) % 31
    org_ok = _ORG_CHECK_VALUE.gather(chars.arr.get(16)) == 11 - org_total % 11
    return (shape_ok & uscc_ok & org_ok).alias("valid")


def uscc_problems(codes: pl.Series) -> list[CellProblem]:
    """GB 32100-2015 checks (old 15-digit licences named as such); nulls are not checked here."""
    invalid = (codes.is_not_null() & ~uscc_valid_mask(codes)).fill_null(False)
    if not invalid.any():
        return []
    verdict = {code: uscc_problem(code) for code in codes.filter(invalid).unique().to_list()}
    return [(int(i), verdict[codes[int(i)]] or "统一社会信用代码无效") for i in invalid.arg_true().to_list()]


_PARSERS: dict[str, Callable[[Sequence[Any], Column], tuple[pl.Series, list[CellProblem]]]] = {
    "text": parse_text,
    "uscc": parse_uscc,
    "percent": parse_percent,
    "bool": parse_bool,
    "date": parse_date,
    "month": parse_month,
    "year": parse_year,
    "industry_code": parse_industry_code,
    "zjtx": parse_zjtx,
}


def parse_column(cells: Sequence[Any], f: Column, factor: float = 1.0) -> tuple[pl.Series, list[CellProblem]]:
    """The cells of one column read by the column's type (``factor`` converts a number to the canonical unit)."""
    if f.type in {"number", "integer"}:
        return parse_number(cells, f, factor)
    return _PARSERS[f.type](cells, f)
