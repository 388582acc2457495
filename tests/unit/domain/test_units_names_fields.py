import polars as pl
import pytest

from zonehero.core.domain.energy import breakdown_expr, load_coefficients
from zonehero.core.domain.fields import ENERGY_BREAKDOWN_KEYS, FIELDS, FIELDS_BY_KEY
from zonehero.core.domain.names import header_key, name_key
from zonehero.core.domain.units import UNITS, unit_factor


@pytest.mark.parametrize(
    ("dimension", "unit", "factor"),
    [
        ("area_mu", "平方米", 15 / 10000),
        ("area_mu", "㎡", 15 / 10000),
        ("area_mu", "m2", 15 / 10000),
        ("area_mu", "亩", 1.0),
        ("money_10k_yuan", "元", 1e-4),
        ("money_10k_yuan", "亿元", 1e4),
        ("tce", "万吨标准煤", 1e4),
        ("electricity_10k_kwh", "kWh", 1e-4),
        ("electricity_10k_kwh", "千瓦时", 1e-4),
        ("gas_10k_m3", "立方米", 1e-4),
        ("heat_gj", "百万千焦", 1.0),
        ("heat_gj", "ＧＪ", 1.0),
    ],
)
def test_unit_factors(dimension: str, unit: str, factor: float) -> None:
    assert unit_factor(dimension, unit) == pytest.approx(factor, rel=1e-15)


def test_unknown_unit_is_none_not_a_guess() -> None:
    assert unit_factor("money_10k_yuan", "美元") is None
    assert unit_factor("area_mu", "英亩") is None


def test_one_mu_is_ten_thousand_fifteenths_square_metres() -> None:
    assert 10000 / 15 * unit_factor("area_mu", "平方米") == pytest.approx(1.0)  # type: ignore[operator]


def test_traditional_and_fullwidth_names_share_a_key() -> None:
    assert name_key("江西鑫通機械有限公司") == name_key("江西鑫通机械有限公司")
    assert name_key("江西鑫通机械 有限公司（南昌）") == name_key("江西鑫通机械有限公司(南昌)")


def test_header_key_normalises_brackets_and_spaces() -> None:
    assert header_key("营业收入（万元）") == header_key("营业收入 (万元)") == "营业收入(万元)"
    assert header_key("ＵＳＣＣ") == "uscc"


def test_registry_is_consistent() -> None:
    keys = [f.key for f in FIELDS]
    assert len(keys) == len(set(keys))
    for f in FIELDS:
        if f.dimension:
            assert f.dimension in UNITS, f.key
    # No alias points at two fields.
    seen: dict[str, str] = {}
    for f in FIELDS:
        for alias in (f.label, *f.aliases):
            k = header_key(alias)
            assert seen.setdefault(k, f.key) == f.key, f"alias {alias} used by {seen[k]} and {f.key}"
    assert set(ENERGY_BREAKDOWN_KEYS) <= set(FIELDS_BY_KEY)


def test_every_breakdown_field_has_a_sourced_coefficient() -> None:
    table = load_coefficients()
    assert set(table.fuels) == set(ENERGY_BREAKDOWN_KEYS)
    for fuel in table.fuels.values():
        assert fuel.tce > 0 and fuel.co2_t > 0
        assert fuel.tce_source and fuel.co2_source


def test_breakdown_sums_present_fields_and_is_null_when_none() -> None:
    table = load_coefficients()
    frame = pl.DataFrame(
        {
            "electricity_10k_kwh": [100.0, None, None],
            "natural_gas_10k_m3": [10.0, 2.0, None],
        }
    )
    out = frame.select(
        tce=breakdown_expr(frame.columns, table, "tce"), co2=breakdown_expr(frame.columns, table, "co2_t")
    )
    assert out["tce"].to_list() == pytest.approx([100 * 1.229 + 10 * 12.143, 2 * 12.143, None])  # type: ignore[list-item]
    assert out["co2"][0] == pytest.approx(100 * 5.703 + 10 * 21.622)
    assert out["tce"][2] is None
