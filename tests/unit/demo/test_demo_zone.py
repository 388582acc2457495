"""The generated zone: deterministic, valid codes, and figures a zone official would find plausible."""

from __future__ import annotations

import re

import polars as pl
import pytest

from zonehero.core.domain.fields import FIELDS
from zonehero.core.domain.uscc import is_valid_uscc
from zonehero.demo import canonical_schema, generate_zone
from zonehero.demo.zone import ABOVE_SCALE_REVENUE, REPORTED_UNITS, reported_factor

YEARS = (2023, 2024, 2025)


@pytest.fixture(scope="module")
def zone() -> dict[int, pl.DataFrame]:
    return generate_zone(300, seed=1, years=YEARS)


@pytest.fixture(scope="module")
def year2025(zone: dict[int, pl.DataFrame]) -> pl.DataFrame:
    return zone[2025]


def test_same_seed_same_frames() -> None:
    a = generate_zone(120, seed=7, years=(2024, 2025))
    b = generate_zone(120, seed=7, years=(2024, 2025))
    assert a.keys() == b.keys()
    for year in a:
        assert a[year].equals(b[year])


def test_other_seed_other_zone() -> None:
    a = generate_zone(50, seed=1)[2025]
    b = generate_zone(50, seed=2)[2025]
    assert set(a["uscc"]).isdisjoint(set(b["uscc"]))


def test_columns_are_the_field_registry_in_order(year2025: pl.DataFrame) -> None:
    assert year2025.columns == [f.key for f in FIELDS]
    assert dict(year2025.schema) == canonical_schema()


def test_first_year_has_the_requested_number_of_enterprises(zone: dict[int, pl.DataFrame]) -> None:
    assert zone[2023].height == 300


def test_usccs_are_valid_unique_and_local(zone: dict[int, pl.DataFrame]) -> None:
    for frame in zone.values():
        codes = frame["uscc"].to_list()
        assert len(set(codes)) == len(codes)
        assert all(is_valid_uscc(c) for c in codes)
        assert all(c.startswith("91360") for c in codes)
        assert frame["name"].n_unique() == frame.height
    assert any(c[8:10] == "MA" for c in zone[2025]["uscc"])  # codes issued since 2016


def test_names_look_like_company_names(year2025: pl.DataFrame) -> None:
    names = year2025["name"].to_list()
    assert all(n.endswith("有限公司") for n in names)
    assert any(n.endswith("股份有限公司") for n in names)
    assert any("（" in n for n in names)


def test_industries_are_gbt4754_manufacturing_classes_plus_a_couple_of_utilities(year2025: pl.DataFrame) -> None:
    codes = year2025["industry_code"].to_list()
    assert all(re.fullmatch(r"[CD]\d{4}", c) for c in codes)
    divisions = {int(c[1:3]) for c in codes if c.startswith("C")}
    assert divisions <= set(range(13, 44))
    assert len(divisions) >= 15
    assert 1 <= sum(c.startswith("D44") for c in codes) <= 10


def test_about_a_fifth_is_below_scale(year2025: pl.DataFrame) -> None:
    below = year2025.filter(~pl.col("above_scale"))
    assert 0.12 <= below.height / year2025.height <= 0.35
    revenue_known = year2025.filter(pl.col("revenue").is_not_null())
    assert (revenue_known["above_scale"] == (revenue_known["revenue"] >= ABOVE_SCALE_REVENUE)).all()
    assert below["value_added"].is_null().all()  # statistics has no value added for 规下 firms


def test_land_is_skewed_with_some_plots_below_five_mu(year2025: pl.DataFrame) -> None:
    land = year2025["land_area_mu"].drop_nulls()
    assert land.min() >= 1.0
    assert land.max() <= 400.0
    assert 5 <= (land < 5).sum() <= 45
    assert land.mean() > land.median()  # right-skewed (a few big plants)


def test_figures_hang_together(year2025: pl.DataFrame) -> None:
    f = year2025.filter(pl.col("above_scale"))
    tax_rate = (f["tax"] / f["revenue"]).drop_nulls().median()
    va_share = (f["value_added"] / f["revenue"]).drop_nulls().median()
    assert 0.01 <= tax_rate <= 0.08
    assert 0.15 <= va_share <= 0.4
    corr = f.select(pl.corr(pl.col("revenue").log(), pl.col("electricity_10k_kwh").log())).item()
    assert corr > 0.6


def test_there_are_refunds_losses_vetoes_and_new_plants(year2025: pl.DataFrame) -> None:
    f = year2025
    assert (f["tax"] < 0).sum() >= 1
    assert (f["value_added"] < 0).sum() >= 1
    vetoed = f.filter(pl.col("major_safety_accident") | pl.col("major_env_violation")).height
    assert 1 <= vetoed <= 0.06 * f.height
    new = f.filter(pl.col("production_start_year") >= 2023).height
    assert 5 <= new <= 0.2 * f.height


def test_flags_are_rare(year2025: pl.DataFrame) -> None:
    f = year2025
    assert 0.03 <= f["high_tech"].mean() <= 0.15  # type: ignore[operator]
    assert 1 <= f["zjtx_level"].is_not_null().sum() <= 0.08 * f.height
    assert set(f["zjtx_level"].drop_nulls()) <= {"province", "national"}
    assert 1 <= f["listed"].sum() <= 0.05 * f.height


def test_rd_is_often_zero_or_missing(year2025: pl.DataFrame) -> None:
    rd = year2025["rd_expense"]
    assert (rd == 0).sum() >= 0.1 * year2025.height
    assert rd.null_count() >= 0.05 * year2025.height


def test_energy_given_directly_for_some_and_only_as_breakdown_for_others(year2025: pl.DataFrame) -> None:
    f = year2025.filter(pl.col("above_scale"))
    direct = f["energy_tce"].is_not_null().sum()
    assert 0.2 * f.height <= direct <= 0.8 * f.height
    assert f["electricity_10k_kwh"].drop_nulls().min() > 0  # type: ignore[operator]
    assert year2025["raw_coal_t"].is_not_null().sum() >= 1
    assert year2025["natural_gas_10k_m3"].is_not_null().sum() >= 10


def test_a_few_figures_are_missing(year2025: pl.DataFrame) -> None:
    keys = ["revenue", "tax", "employees", "land_area_mu", "electricity_10k_kwh"]
    share = year2025.select(pl.any_horizontal(pl.col(keys).is_null())).to_series().mean()
    assert 0.005 <= share <= 0.08  # type: ignore[operator]


def test_values_are_exact_in_the_units_departments_write(year2025: pl.DataFrame) -> None:
    for key, (_unit, decimals) in REPORTED_UNITS.items():
        factor = reported_factor(key)
        for value in year2025[key].drop_nulls().to_list():
            written = value / factor
            assert written == pytest.approx(round(written, decimals), rel=1e-12, abs=1e-9), (key, value)


def test_enterprises_persist_grow_arrive_and_leave(zone: dict[int, pl.DataFrame]) -> None:
    a, b = zone[2024], zone[2025]
    stay = a.join(b, on="uscc", suffix="_next")
    assert stay.height >= 0.9 * a.height
    assert (stay["name"] == stay["name_next"]).all()
    assert (stay["industry_code"] == stay["industry_code_next"]).all()
    growth = (stay["revenue_next"] / stay["revenue"]).drop_nulls()
    assert 1.0 < growth.median() < 1.15  # type: ignore[operator]
    assert (growth < 1).sum() > 0.1 * growth.len()  # some decline
    left = set(a["uscc"]) - set(b["uscc"])
    arrived = b.filter(~pl.col("uscc").is_in(list(a["uscc"])))
    assert left
    assert arrived.height >= 1
    assert (arrived["production_start_year"] == 2025).all()


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(ValueError):
        generate_zone(0)
    with pytest.raises(ValueError):
        generate_zone(10, years=())
