"""The demo zone written as the messy files departments really send (spec fields.md).

One year of the zone becomes seven files, each in its department's habits:

- 税务局_{年}年度纳税情况.csv: GBK, a title and a 填报单位 row, 纳税人识别号 /
  纳税人名称 / 实缴税金（元） with thousands separators, missing figures as
  - — / 无, a few codes in lower case with stray spaces, a 合计 row and a 注 line.
- 统计局_{年}年工业企业主要指标.xlsx: merged title row, amounts in 万元, 规上企业
  是/否, 投产年份, a blank row in the middle, a 合计 row.
- 统计局_{年}年规上工业企业能源消费.xlsx: headers without units and a units row
  under them (综合能源消费量 吨标准煤, 天然气 立方米 …), above-scale firms only.
- 供电公司_{年}年用电量.xlsx: 用户名称 first, 用电量(kWh) in whole kWh, names with
  half-width brackets.
- 自然资源局_企业用地.csv: UTF-8 with BOM, a 序号 column the importer ignores,
  用地面积（平方米）, and a few names in traditional characters (機械, 電子 …).
- 科技局_{年}年企业资质.xlsx: 高新技术企业 √/×, 专精特新等级 省级/国家级/小巨人,
  上市企业 是/否, 研发费用(万元).
- 应急生态_{年}年一票否决名单.csv: GB18030, only the vetoed firms (not written
  when there are none).

Every header is a label or alias of the field registry (checked by
``heading``); every amount is the canonical value divided by the factor of
the unit written, rounded to the decimals of ``REPORTED_UNITS``, so the
importer's conversion gives the generated value back.

One deliberate conflict: 研发经费 is given by the statistics bureau (above
scale only) and by the science bureau (everyone). They agree except for one
firm (``rd_conflict``) whose statistics figure is 85% of the science one
(the statistics R&D definition is narrower than the 研发费用 of the tax
deduction). The generated frame holds the science figure: the importer's
default source priority for rd_expense puts 科技局 first.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import polars as pl
import xlsxwriter

from zonehero.core.domain.fields import FIELDS_BY_KEY
from zonehero.core.domain.units import unit_factor
from zonehero.demo.zone import REPORTED_UNITS, generate_zone

STATISTICS_RD_SHARE = 0.85
"""The conflicting firm's statistics R&D figure as a share of its science-bureau figure."""

MISSING_MARKS: tuple[str, ...] = ("", "-", "—", "/", "无")
"""How departments write a figure they do not have; cycled through row by row."""

TRADITIONAL_NAMES = 3
"""How many names the land file spells in traditional characters."""


@dataclass(frozen=True)
class SourceFile:
    """One written department file."""

    path: Path
    department: str
    rows: int
    """Enterprise rows in the file (title, header, blank and 合计 rows not counted)."""
    fields: tuple[str, ...]
    """Field keys the file provides."""


@dataclass(frozen=True)
class RdConflict:
    """The deliberate disagreement between two departments."""

    uscc: str
    science_value: float
    """研发费用 from 科技局: the value in the generated frame (万元)."""
    statistics_value: float
    """研发经费支出 from 统计局 (万元)."""


def heading(key: str, label: str | None = None, unit: str | None = None, *, fullwidth: bool = False) -> str:
    """A column header for field ``key``: its label or one of its aliases, with ``unit`` in brackets.

    Raises ValueError when ``label`` is not known to the registry for that
    field or ``unit`` is not a unit of its dimension, so a demo file can
    never carry a header the importer would not read.
    """
    f = FIELDS_BY_KEY[key]
    text = label or f.label
    if text not in (f.label, *f.aliases):
        raise ValueError(f"{text!r} is not a label of field {key!r}")
    if unit is None:
        return text
    if f.dimension is None or unit_factor(f.dimension, unit) is None:
        raise ValueError(f"{unit!r} is not a unit of field {key!r}")
    return f"{text}（{unit}）" if fullwidth else f"{text}({unit})"


def in_unit(key: str, value: float | None, unit: str) -> float | None:
    """A canonical ``value`` expressed in ``unit``, rounded to the decimals the department writes."""
    if value is None:
        return None
    f = FIELDS_BY_KEY[key]
    factor = unit_factor(f.dimension, unit) if f.dimension else None
    if factor is None:
        raise ValueError(f"{unit!r} is not a unit of field {key!r}")
    decimals = REPORTED_UNITS[key][1]
    number = round(value / factor, decimals)
    return float(int(number)) if decimals == 0 else number


def _amount_text(number: float | None, decimals: int, index: int, *, separators: bool = True) -> str:
    if number is None:
        return MISSING_MARKS[index % len(MISSING_MARKS)]
    return f"{number:,.{decimals}f}" if separators else f"{number:.{decimals}f}"


def rd_conflict(frame: pl.DataFrame) -> RdConflict | None:
    """The firm whose 研发经费 the statistics bureau reports differently: the first above-scale one with R&D."""
    candidates = frame.filter(pl.col("above_scale") & (pl.col("rd_expense") > 0)).sort("uscc")
    if candidates.height == 0:
        return None
    row = candidates.row(0, named=True)
    science = float(row["rd_expense"])
    return RdConflict(row["uscc"], science, round(science * STATISTICS_RD_SHARE, 2))


def _traditional(text: str) -> str:
    import opencc

    return str(opencc.OpenCC("s2t").convert(text))


def _halfwidth_brackets(name: str) -> str:
    return name.replace("（", "(").replace("）", ")")


def _messy_uscc(code: str, index: int) -> str:
    """Every 40th code as a clerk types it: lower case with a space in the middle."""
    if index % 40 == 17:
        return f"{code[:8].lower()} {code[8:].lower()}"
    return code


def _yes_no(value: bool | None) -> str:
    return "是" if value else "否"


def _write_csv(path: Path, rows: list[list[str]], encoding: str) -> None:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    data = buffer.getvalue().encode(encoding)
    if encoding == "utf-8":
        data = b"\xef\xbb\xbf" + data  # Excel's 「CSV UTF-8」 starts with a byte-order mark
    path.write_bytes(data)


class _Workbook:
    """An XlsxWriter workbook with fixed metadata, so the same zone gives the same bytes."""

    def __init__(self, path: Path, year: int) -> None:
        self.book = xlsxwriter.Workbook(str(path))
        self.book.set_properties({"created": datetime(year + 1, 1, 15, 9, 0, 0), "author": "zonehero demo"})
        self.title = self.book.add_format({"bold": True, "font_size": 14, "align": "center", "valign": "vcenter"})
        self.head = self.book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
        self.money = self.book.add_format({"num_format": "#,##0.00"})
        self.integer = self.book.add_format({"num_format": "#,##0"})

    def sheet(self, name: str, widths: Sequence[float]) -> Any:
        ws = self.book.add_worksheet(name)
        for c, width in enumerate(widths):
            ws.set_column(c, c, width)
        return ws

    def close(self) -> None:
        self.book.close()


def _cell(ws: Any, r: int, c: int, value: object, fmt: Any = None) -> None:
    """Write a value; None leaves the cell empty as departments do."""
    if value is None:
        return
    if isinstance(value, str):
        ws.write_string(r, c, value)
    elif fmt is not None:
        ws.write_number(r, c, value, fmt)
    else:
        ws.write_number(r, c, value)


# -- the department files ----------------------------------------------------------------------------


def _tax_csv(frame: pl.DataFrame, out_dir: Path, year: int) -> SourceFile:
    unit = "元"
    rows: list[list[str]] = [
        [f"{year}年度开发区企业纳税情况表", "", ""],
        ["填报单位：国家税务总局南昌县税务局", "", f"单位：{unit}"],
        [heading("uscc", "纳税人识别号"), heading("name", "纳税人名称"), heading("tax", unit=unit, fullwidth=True)],
    ]
    total = 0.0
    for i, r in enumerate(frame.iter_rows(named=True)):
        amount = in_unit("tax", r["tax"], unit)
        total += amount or 0.0
        rows.append([_messy_uscc(r["uscc"], i), r["name"], _amount_text(amount, 2, i)])
    rows.append(["", "合计", f"{total:,.2f}"])
    rows.append(["", "注：实缴税金为当年入库税收，含增值税、企业所得税等，已扣除留抵退税。", ""])
    path = out_dir / f"税务局_{year}年度纳税情况.csv"
    _write_csv(path, rows, "gbk")
    return SourceFile(path, "税务局", frame.height, ("uscc", "name", "tax"))


def _statistics_xlsx(frame: pl.DataFrame, out_dir: Path, year: int, conflict: RdConflict | None) -> SourceFile:
    money = "万元"
    columns: list[tuple[str, str, Callable[[dict[str, Any]], object], float]] = [
        (heading("uscc"), "uscc", lambda r: r["uscc"], 22),
        (heading("name", "单位名称"), "name", lambda r: r["name"], 34),
        (heading("industry_code", "行业代码"), "industry_code", lambda r: r["industry_code"], 10),
        (heading("above_scale"), "above_scale", lambda r: _yes_no(r["above_scale"]), 9),
        (heading("revenue", unit=money), "revenue", lambda r: in_unit("revenue", r["revenue"], money), 14),
        (
            heading("value_added", unit=money),
            "value_added",
            lambda r: in_unit("value_added", r["value_added"], money),
            14,
        ),
        (heading("employees", "从业人员平均人数"), "employees", lambda r: r["employees"], 12),
        (heading("rd_expense", unit=money), "rd_expense", lambda r: _statistics_rd(r, conflict), 14),
        (heading("production_start_year"), "production_start_year", lambda r: r["production_start_year"], 9),
    ]
    path = out_dir / f"统计局_{year}年工业企业主要指标.xlsx"
    wb = _Workbook(path, year)
    ws = wb.sheet(f"{year}年", [c[3] for c in columns])
    ws.merge_range(0, 0, 0, len(columns) - 1, f"{year}年开发区工业企业主要经济指标", wb.title)
    ws.write_string(1, 0, "填报单位：南昌县统计局")
    for c, (header, *_rest) in enumerate(columns):
        ws.write_string(2, c, header, wb.head)
    ws.freeze_panes(3, 2)
    blank_after = frame.height // 2
    r_out = 3
    sums = dict.fromkeys(("revenue", "value_added", "employees", "rd_expense"), 0.0)
    for i, row in enumerate(frame.iter_rows(named=True)):
        if i == blank_after:
            r_out += 1  # a blank row, as when someone deleted a firm by clearing its cells
        for c, (_header, key, get, _width) in enumerate(columns):
            value = get(row)
            if key in sums and isinstance(value, float | int):
                sums[key] += float(value)
            _cell(ws, r_out, c, value, wb.integer if key == "employees" else wb.money if key in sums else None)
        r_out += 1
    ws.write_string(r_out, 1, "合计")
    for c, (_header, key, _get, _width) in enumerate(columns):
        if key in sums:
            ws.write_number(r_out, c, round(sums[key], 2), wb.integer if key == "employees" else wb.money)
    wb.close()
    keys = tuple(c[1] for c in columns)
    return SourceFile(path, "统计局", frame.height, keys)


def _statistics_rd(row: dict[str, Any], conflict: RdConflict | None) -> float | None:
    """Statistics reports R&D for above-scale firms only; the conflicting firm gets its own figure."""
    if not row["above_scale"]:
        return None
    if conflict is not None and row["uscc"] == conflict.uscc:
        return conflict.statistics_value
    return in_unit("rd_expense", row["rd_expense"], "万元")


ENERGY_COLUMNS: tuple[tuple[str, str | None, str], ...] = (
    ("energy_tce", "综合能源消费量", "吨标准煤"),
    ("raw_coal_t", None, "吨"),
    ("natural_gas_10k_m3", None, "立方米"),
    ("diesel_t", None, "吨"),
    ("heat_gj", "蒸汽", "吉焦"),
    ("co2_t", None, "吨"),
)
"""The energy survey's figure columns: field, header label (None: the registry label), unit in the units row."""


def _energy_xlsx(frame: pl.DataFrame, out_dir: Path, year: int) -> SourceFile | None:
    keys = [k for k, _, _ in ENERGY_COLUMNS]
    part = frame.filter(pl.col("above_scale") & pl.any_horizontal(pl.col(keys).is_not_null()))
    if part.height == 0:
        return None
    path = out_dir / f"统计局_{year}年规上工业企业能源消费.xlsx"
    wb = _Workbook(path, year)
    width = 2 + len(ENERGY_COLUMNS)
    ws = wb.sheet("能源消费", [22, 34] + [14] * len(ENERGY_COLUMNS))
    ws.merge_range(0, 0, 0, width - 1, f"{year}年规模以上工业企业能源消费情况（205-1表汇总）", wb.title)
    ws.write_string(1, 0, heading("uscc"), wb.head)
    ws.write_string(1, 1, heading("name"), wb.head)
    ws.write_string(2, 0, "计量单位")
    for c, (key, label, unit) in enumerate(ENERGY_COLUMNS, start=2):
        ws.write_string(1, c, heading(key, label), wb.head)
        heading(key, label, unit)  # checks the unit belongs to the field
        ws.write_string(2, c, unit)
    for i, row in enumerate(part.iter_rows(named=True), start=3):
        ws.write_string(i, 0, row["uscc"])
        ws.write_string(i, 1, row["name"])
        for c, (key, _label, unit) in enumerate(ENERGY_COLUMNS, start=2):
            _cell(ws, i, c, in_unit(key, row[key], unit), wb.money)
    wb.close()
    return SourceFile(path, "统计局", part.height, ("uscc", "name", *keys))


def _power_xlsx(frame: pl.DataFrame, out_dir: Path, year: int) -> SourceFile:
    unit = "kWh"
    path = out_dir / f"供电公司_{year}年用电量.xlsx"
    wb = _Workbook(path, year)
    ws = wb.sheet("用电量", [34, 22, 16])
    ws.merge_range(0, 0, 0, 2, f"国网南昌供电公司 {year}年1-12月 工业用户用电量", wb.title)
    headers = [heading("name", "用户名称"), heading("uscc"), heading("electricity_10k_kwh", unit=unit)]
    for c, header in enumerate(headers):
        ws.write_string(1, c, header, wb.head)
    for i, row in enumerate(frame.iter_rows(named=True), start=2):
        ws.write_string(i, 0, _halfwidth_brackets(row["name"]))
        ws.write_string(i, 1, row["uscc"])
        _cell(ws, i, 2, in_unit("electricity_10k_kwh", row["electricity_10k_kwh"], unit), wb.integer)
    wb.close()
    return SourceFile(path, "供电公司", frame.height, ("uscc", "name", "electricity_10k_kwh"))


def _land_csv(frame: pl.DataFrame, out_dir: Path, year: int) -> SourceFile:
    unit = "平方米"
    rows: list[list[str]] = [
        ["序号", heading("uscc"), heading("name"), heading("land_area_mu", "实际用地面积", unit, fullwidth=True)]
    ]
    traditional_left = TRADITIONAL_NAMES
    for i, r in enumerate(frame.iter_rows(named=True)):
        name = r["name"]
        if traditional_left and i % 7 == 3 and _traditional(name) != name:
            name = _traditional(name)  # a parent company's papers from Hong Kong
            traditional_left -= 1
        area = in_unit("land_area_mu", r["land_area_mu"], unit)
        rows.append([str(i + 1), r["uscc"], name, _amount_text(area, 2, i)])
    path = out_dir / "自然资源局_企业用地.csv"
    _write_csv(path, rows, "utf-8")
    return SourceFile(path, "自然资源局", frame.height, ("uscc", "name", "land_area_mu"))


_ZJTX_TEXT = {"province": "省级", "national": "国家级"}


def _science_xlsx(frame: pl.DataFrame, out_dir: Path, year: int) -> SourceFile:
    money = "万元"
    path = out_dir / f"科技局_{year}年企业资质.xlsx"
    wb = _Workbook(path, year)
    headers = [
        heading("uscc"),
        heading("name"),
        heading("high_tech"),
        heading("zjtx_level"),
        heading("listed"),
        heading("rd_expense", "研发费用", money),
    ]
    ws = wb.sheet("企业资质", [22, 34, 14, 14, 10, 14])
    for c, header in enumerate(headers):
        ws.write_string(0, c, header, wb.head)
    national_seen = False
    for i, row in enumerate(frame.iter_rows(named=True), start=1):
        zjtx = _ZJTX_TEXT.get(row["zjtx_level"] or "", "")
        if zjtx == "国家级":
            zjtx = "专精特新“小巨人”" if national_seen else "国家级"  # both spellings occur
            national_seen = True
        values: list[object] = [
            row["uscc"],
            row["name"],
            "√" if row["high_tech"] else "×",
            zjtx or None,
            _yes_no(row["listed"]),
            in_unit("rd_expense", row["rd_expense"], money),
        ]
        for c, value in enumerate(values):
            _cell(ws, i, c, value, wb.money if c == 5 else None)
    wb.close()
    return SourceFile(path, "科技局", frame.height, ("uscc", "name", "high_tech", "zjtx_level", "listed", "rd_expense"))


def _veto_csv(frame: pl.DataFrame, out_dir: Path, year: int) -> SourceFile | None:
    vetoed = frame.filter(pl.col("major_safety_accident") | pl.col("major_env_violation"))
    if vetoed.height == 0:
        return None
    rows: list[list[str]] = [
        [f"{year}年度发生较大及以上安全生产事故或重大环境违法行为企业名单", "", "", ""],
        [
            heading("uscc"),
            heading("name", "企业(单位)名称"),
            heading("major_safety_accident"),
            heading("major_env_violation"),
        ],
    ]
    for r in vetoed.iter_rows(named=True):
        rows.append([r["uscc"], r["name"], _yes_no(r["major_safety_accident"]), _yes_no(r["major_env_violation"])])
    path = out_dir / f"应急生态_{year}年一票否决名单.csv"
    _write_csv(path, rows, "gb18030")
    return SourceFile(
        path,
        "应急管理局、生态环境局",
        vetoed.height,
        ("uscc", "name", *("major_safety_accident", "major_env_violation")),
    )


def write_year_files(frame: pl.DataFrame, out_dir: Path, year: int) -> list[SourceFile]:
    """Write one year's canonical frame as the department files; the folder is created if needed."""
    out_dir.mkdir(parents=True, exist_ok=True)
    conflict = rd_conflict(frame)
    written = [
        _tax_csv(frame, out_dir, year),
        _statistics_xlsx(frame, out_dir, year, conflict),
        _energy_xlsx(frame, out_dir, year),
        _power_xlsx(frame, out_dir, year),
        _land_csv(frame, out_dir, year),
        _science_xlsx(frame, out_dir, year),
        _veto_csv(frame, out_dir, year),
    ]
    return [w for w in written if w is not None]


def write_demo_sources(out_dir: Path, enterprises: int = 300, *, seed: int = 1, year: int = 2025) -> list[Path]:
    """Generate the zone for ``year`` and write its department files into ``out_dir``; the paths written."""
    frame = generate_zone(enterprises, seed=seed, years=(year,))[year]
    return [w.path for w in write_year_files(frame, Path(out_dir), year)]


def write_demo_years(
    out_dir: Path, enterprises: int = 300, *, seed: int = 1, years: Sequence[int] = (2023, 2024, 2025)
) -> dict[int, list[Path]]:
    """Several years of one zone, each year's files in a subfolder named by the year (``out_dir/2025/``)."""
    frames = generate_zone(enterprises, seed=seed, years=years)
    return {
        year: [w.path for w in write_year_files(frame, Path(out_dir) / str(year), year)]
        for year, frame in frames.items()
    }
