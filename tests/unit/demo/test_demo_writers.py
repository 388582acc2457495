"""The department files: each in its department's habits, deterministic, and reading back to the zone."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
import python_calamine
from demo_readback import grid, read_back

from zonehero.core.domain.names import name_key
from zonehero.demo import generate_zone, rd_conflict, write_demo_sources, write_demo_years, write_year_files
from zonehero.demo.writers import STATISTICS_RD_SHARE, heading

YEAR = 2025
N = 150


@pytest.fixture(scope="module")
def frame() -> pl.DataFrame:
    return generate_zone(N, seed=3, years=(YEAR,))[YEAR]


@pytest.fixture(scope="module")
def files(frame: pl.DataFrame, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("demo")
    written = write_year_files(frame, out, YEAR)
    return {w.department: w.path for w in written if w.department != "统计局"} | {
        w.path.stem.split("_", 1)[1]: w.path for w in written if w.department == "统计局"
    }


def _compare(expected: pl.DataFrame, got: pl.DataFrame, keys: list[str]) -> None:
    joined = expected.select("uscc", *keys).join(got, on="uscc", how="full", suffix="_got", coalesce=True)
    assert joined.height == expected.height
    for key in keys:
        a, b = joined[key], joined[f"{key}_got"]
        assert (a.is_null() == b.is_null()).all(), key
        both = pl.DataFrame({"a": a, "b": b}).drop_nulls()
        if both.schema["a"] == pl.Float64:
            scale = pl.max_horizontal(pl.col("a").abs(), pl.col("b").abs(), pl.lit(1.0))
            off = both.filter((pl.col("a") - pl.col("b")).abs() > 1e-9 * scale)
            assert off.height == 0, (key, off.head())
        else:
            assert (both["a"] == both["b"]).all(), key


def test_writes_the_seven_department_files(frame: pl.DataFrame, files: dict[str, Path]) -> None:
    names = sorted(p.name for p in files.values())
    assert names == sorted(
        [
            f"税务局_{YEAR}年度纳税情况.csv",
            f"统计局_{YEAR}年工业企业主要指标.xlsx",
            f"统计局_{YEAR}年规上工业企业能源消费.xlsx",
            f"供电公司_{YEAR}年用电量.xlsx",
            "自然资源局_企业用地.csv",
            f"科技局_{YEAR}年企业资质.xlsx",
            f"应急生态_{YEAR}年一票否决名单.csv",
        ]
    )


def test_same_seed_gives_byte_identical_files(tmp_path: Path) -> None:
    a = write_demo_sources(tmp_path / "a", 40, seed=5)
    b = write_demo_sources(tmp_path / "b", 40, seed=5)
    assert [p.name for p in a] == [p.name for p in b]
    for pa, pb in zip(a, b, strict=True):
        assert pa.read_bytes() == pb.read_bytes(), pa.name


def test_tax_file_is_gbk_with_title_yuan_separators_and_total(frame: pl.DataFrame, files: dict[str, Path]) -> None:
    path = files["税务局"]
    data = path.read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    rows = grid(path)
    assert rows[0][0] == f"{YEAR}年度开发区企业纳税情况表"
    assert rows[2] == ["纳税人识别号", "纳税人名称", "实缴税金（元）"]
    assert any(r[1] == "合计" for r in rows[-3:])
    assert any("," in r[2] for r in rows[3:-2])
    assert any(r[2] in {"-", "—", "/", "无"} for r in rows[3:-2]) == bool(frame["tax"].null_count())
    assert any(" " in r[0] for r in rows[3:-2])  # a clerk's typing
    total = sum(float(r[2].replace(",", "")) for r in rows[3:-2] if r[2] not in {"", "-", "—", "/", "无"})
    assert rows[-2][2] == f"{total:,.2f}"
    _compare(frame, read_back(path), ["tax"])


def test_statistics_file_has_merged_title_and_blank_row(frame: pl.DataFrame, files: dict[str, Path]) -> None:
    path = files[f"{YEAR}年工业企业主要指标"]
    sheet = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    assert ((0, 0), (0, 8)) in [tuple(map(tuple, r)) for r in sheet.merged_cell_ranges or []]
    rows = grid(path)
    assert rows[2][:3] == [heading("uscc"), "单位名称", "行业代码"]
    assert any(all(c == "" for c in r) for r in rows[3:])
    assert rows[-1][1] == "合计"
    got = read_back(path).with_columns(pl.col("above_scale") == "是", pl.col("production_start_year").cast(pl.Int64))
    conflict = rd_conflict(frame)
    assert conflict is not None
    expected = frame.with_columns(
        rd_expense=pl.when(~pl.col("above_scale"))
        .then(None)
        .when(pl.col("uscc") == conflict.uscc)
        .then(pl.lit(conflict.statistics_value))
        .otherwise(pl.col("rd_expense"))
    )
    _compare(
        expected,
        got,
        ["industry_code", "above_scale", "revenue", "value_added", "employees", "rd_expense", "production_start_year"],
    )


def test_energy_file_has_units_row_and_only_above_scale(frame: pl.DataFrame, files: dict[str, Path]) -> None:
    path = files[f"{YEAR}年规上工业企业能源消费"]
    rows = grid(path)
    assert rows[2][0] == "计量单位"
    assert "立方米" in rows[2]
    keys = ["energy_tce", "raw_coal_t", "natural_gas_10k_m3", "diesel_t", "heat_gj", "co2_t"]
    expected = frame.filter(pl.col("above_scale") & pl.any_horizontal(pl.col(keys).is_not_null()))
    _compare(expected, read_back(path), keys)


def test_power_file_in_kwh_with_halfwidth_brackets(frame: pl.DataFrame, files: dict[str, Path]) -> None:
    path = files["供电公司"]
    rows = grid(path)
    assert rows[1] == ["用户名称", "统一社会信用代码", "用电量(kWh)"]
    assert all("（" not in str(r[0]) for r in rows[2:])
    got = read_back(path)
    _compare(frame, got, ["electricity_10k_kwh"])
    assert all(isinstance(r[2], float) and r[2] == int(r[2]) for r in rows[2:] if r[2] != "")


def test_land_file_is_utf8_bom_in_square_metres_with_traditional_names(
    frame: pl.DataFrame, files: dict[str, Path]
) -> None:
    path = files["自然资源局"]
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    got = read_back(path)
    _compare(frame, got, ["land_area_mu"])
    pairs = frame.select("uscc", "name").join(got.select("uscc", name_got="name"), on="uscc")
    differ = pairs.filter(pl.col("name") != pl.col("name_got"))
    assert 1 <= differ.height <= 3
    for row in differ.iter_rows(named=True):
        assert name_key(row["name"]) == name_key(row["name_got"])


def test_science_file_flags(frame: pl.DataFrame, files: dict[str, Path]) -> None:
    path = files["科技局"]
    got = read_back(path)
    assert set(got["high_tech"]) <= {"√", "×"}
    assert set(got["listed"]) <= {"是", "否"}
    zjtx = got.select("uscc", "zjtx_level").drop_nulls()
    assert zjtx.height == frame["zjtx_level"].is_not_null().sum()
    assert set(zjtx["zjtx_level"]) <= {"省级", "国家级", "专精特新“小巨人”"}
    decoded = got.with_columns(pl.col("high_tech") == "√", pl.col("listed") == "是")
    _compare(frame, decoded, ["high_tech", "listed", "rd_expense"])


def test_veto_file_lists_only_vetoed_firms(frame: pl.DataFrame, files: dict[str, Path]) -> None:
    path = files["应急管理局、生态环境局"]
    path.read_bytes().decode("gb18030")
    got = read_back(path)
    vetoed = frame.filter(pl.col("major_safety_accident") | pl.col("major_env_violation"))
    assert sorted(got["uscc"]) == sorted(vetoed["uscc"])
    decoded = got.with_columns(pl.col("major_safety_accident") == "是", pl.col("major_env_violation") == "是")
    _compare(vetoed, decoded, ["major_safety_accident", "major_env_violation"])


def test_rd_conflict_is_one_firm_at_the_stated_share(frame: pl.DataFrame) -> None:
    conflict = rd_conflict(frame)
    assert conflict is not None
    row = frame.filter(pl.col("uscc") == conflict.uscc).row(0, named=True)
    assert row["above_scale"]
    assert row["rd_expense"] == conflict.science_value
    assert conflict.statistics_value == round(conflict.science_value * STATISTICS_RD_SHARE, 2)
    assert conflict.statistics_value != conflict.science_value


def test_veto_file_is_left_out_when_nobody_is_vetoed(frame: pl.DataFrame, tmp_path: Path) -> None:
    clean = frame.head(10).with_columns(major_safety_accident=pl.lit(False), major_env_violation=pl.lit(False))
    written = write_year_files(clean, tmp_path, YEAR)
    assert not any("一票否决" in w.path.name for w in written)
    assert len(written) == 6


def test_several_years_go_into_year_folders(tmp_path: Path) -> None:
    out = write_demo_years(tmp_path, 30, seed=2, years=(2024, 2025))
    assert sorted(out) == [2024, 2025]
    for year, paths in out.items():
        assert all(p.parent == tmp_path / str(year) for p in paths)
        assert any(p.name == f"税务局_{year}年度纳税情况.csv" for p in paths)


@pytest.mark.parametrize(("key", "label", "unit"), [("tax", "税金", None), ("tax", None, "美元"), ("name", None, "元")])
def test_heading_refuses_what_the_registry_does_not_know(key: str, label: str | None, unit: str | None) -> None:
    with pytest.raises(ValueError):
        heading(key, label, unit)


def test_heading_uses_registry_labels() -> None:
    assert heading("tax", unit="元") == "实缴税金(元)"
    assert heading("uscc", "纳税人识别号") == "纳税人识别号"
    assert heading("land_area_mu", "实际用地面积", "平方米", fullwidth=True) == "实际用地面积（平方米）"
