"""The field registry: one place for every input figure.

Key, Chinese label, accepted header aliases, value type and dimension. It
drives the importer's header matching, the import template, the UI labels
and the column headers of every export, so a field is described once.
"""

from __future__ import annotations

from dataclasses import dataclass

from zonehero.core.domain.registry import Column, Registry


@dataclass(frozen=True)
class Field(Column):
    """One canonical input column of the enterprise figures (a registry :class:`Column` with its source group)."""

    description: str = ""
    group: str = "basic"
    """Where the figure usually comes from: basic, tax, statistics, land, power, science, flags."""


FIELDS: tuple[Field, ...] = (
    Field(
        "uscc",
        "统一社会信用代码",
        "uscc",
        aliases=("社会信用代码", "信用代码", "纳税人识别号", "统一代码", "uscc", "credit_code"),
        required=True,
    ),
    Field(
        "name",
        "企业名称",
        "text",
        aliases=("单位名称", "纳税人名称", "企业(单位)名称", "公司名称", "用户名称", "户名", "name", "enterprise_name"),
    ),
    Field(
        "industry_code",
        "国民经济行业代码",
        "industry_code",
        aliases=("行业代码", "所属行业代码", "行业分类代码", "industry_code"),
    ),
    Field(
        "above_scale",
        "规上企业",
        "bool",
        aliases=("是否规上", "是否规上企业", "规模以上企业", "above_scale"),
        group="flags",
    ),
    Field(
        "land_area_mu",
        "用地面积",
        "number",
        "area_mu",
        aliases=("占地面积", "土地面积", "实际用地面积", "用地面积合计", "land_area", "land_area_mu"),
        nonnegative=True,
        group="land",
    ),
    Field(
        "revenue",
        "营业收入",
        "number",
        "money_10k_yuan",
        aliases=("主营业务收入", "营业收入合计", "revenue"),
        group="statistics",
    ),
    Field(
        "tax",
        "实缴税金",
        "number",
        "money_10k_yuan",
        aliases=("实缴税收", "税收实际贡献", "入库税收", "实缴税金合计", "税收贡献", "tax"),
        group="tax",
    ),
    Field(
        "value_added", "工业增加值", "number", "money_10k_yuan", aliases=("增加值", "value_added"), group="statistics"
    ),
    Field(
        "rd_expense",
        "研发经费支出",
        "number",
        "money_10k_yuan",
        aliases=("r&d经费支出", "研发费用", "研究与试验发展经费支出", "研发投入", "rd_expense"),
        nonnegative=True,
        group="science",
    ),
    Field(
        "employees",
        "年平均职工人数",
        "number",
        "persons",
        aliases=("从业人员平均人数", "职工人数", "从业人员期末人数", "平均职工人数", "employees"),
        nonnegative=True,
        group="statistics",
    ),
    Field(
        "energy_tce",
        "综合能耗",
        "number",
        "tce",
        aliases=("综合能源消费量", "能源消费总量", "energy_tce", "energy"),
        nonnegative=True,
        group="power",
    ),
    Field(
        "co2_t",
        "二氧化碳排放量",
        "number",
        "co2_tonne",
        aliases=("碳排放量", "co2排放量", "co2_t", "co2"),
        nonnegative=True,
        group="power",
    ),
    Field(
        "electricity_10k_kwh",
        "用电量",
        "number",
        "electricity_10k_kwh",
        aliases=("电力", "年用电量", "用电总量", "电力消费量", "electricity", "electricity_10k_kwh"),
        nonnegative=True,
        group="power",
    ),
    Field(
        "raw_coal_t",
        "原煤",
        "number",
        "tonne",
        aliases=("原煤消费量", "煤炭", "raw_coal", "raw_coal_t"),
        nonnegative=True,
        group="power",
    ),
    Field(
        "natural_gas_10k_m3",
        "天然气",
        "number",
        "gas_10k_m3",
        aliases=("天然气消费量", "natural_gas", "natural_gas_10k_m3"),
        nonnegative=True,
        group="power",
    ),
    Field(
        "diesel_t",
        "柴油",
        "number",
        "tonne",
        aliases=("柴油消费量", "diesel", "diesel_t"),
        nonnegative=True,
        group="power",
    ),
    Field(
        "gasoline_t",
        "汽油",
        "number",
        "tonne",
        aliases=("汽油消费量", "gasoline", "gasoline_t"),
        nonnegative=True,
        group="power",
    ),
    Field(
        "fuel_oil_t",
        "燃料油",
        "number",
        "tonne",
        aliases=("燃料油消费量", "fuel_oil", "fuel_oil_t"),
        nonnegative=True,
        group="power",
    ),
    Field(
        "lpg_t",
        "液化石油气",
        "number",
        "tonne",
        aliases=("液化石油气消费量", "lpg", "lpg_t"),
        nonnegative=True,
        group="power",
    ),
    Field(
        "heat_gj",
        "热力",
        "number",
        "heat_gj",
        aliases=("热力消费量", "蒸汽", "heat", "heat_gj"),
        nonnegative=True,
        group="power",
    ),
    Field("high_tech", "高新技术企业", "bool", aliases=("是否高新技术企业", "高新企业", "high_tech"), group="flags"),
    Field("zjtx_level", "专精特新等级", "zjtx", aliases=("专精特新", "专精特新级别", "zjtx_level"), group="flags"),
    Field("listed", "上市企业", "bool", aliases=("是否上市", "是否上市企业", "listed"), group="flags"),
    Field(
        "major_safety_accident",
        "较大及以上安全生产事故",
        "bool",
        aliases=("安全生产事故", "重大安全生产事故", "major_safety_accident"),
        group="flags",
    ),
    Field(
        "major_env_violation",
        "重大环境违法行为",
        "bool",
        aliases=("环境违法行为", "重大环境违法", "major_env_violation"),
        group="flags",
    ),
    Field(
        "production_start_year",
        "投产年份",
        "year",
        "year",
        aliases=("投产时间", "投产年度", "production_start_year"),
        group="basic",
    ),
)

FIELDS_BY_KEY: dict[str, Field] = {f.key: f for f in FIELDS}

ENTERPRISE_REGISTRY = Registry(
    "企业数据表", FIELDS, anchor="uscc", identity=("uscc", "name"), needs_figures=True, refuse_duplicate_headers=False
)
"""A department's file: one enterprise a row, keyed by its USCC; a header of names alone is refused."""

ENERGY_BREAKDOWN_KEYS: tuple[str, ...] = (
    "electricity_10k_kwh",
    "raw_coal_t",
    "natural_gas_10k_m3",
    "diesel_t",
    "gasoline_t",
    "fuel_oil_t",
    "lpg_t",
    "heat_gj",
)

BOOL_KEYS: tuple[str, ...] = tuple(f.key for f in FIELDS if f.type == "bool")
NUMBER_KEYS: tuple[str, ...] = tuple(f.key for f in FIELDS if f.type in {"number", "integer"})
VETO_KEYS: tuple[str, ...] = ("major_safety_accident", "major_env_violation")


def field(key: str) -> Field:
    """The registry entry for ``key``; KeyError for an unknown key is a programming error."""
    return FIELDS_BY_KEY[key]
