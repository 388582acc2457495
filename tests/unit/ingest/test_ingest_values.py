"""Cell parsing per field type: pure functions on lists of cells."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zonehero.core.domain.fields import FIELDS, field
from zonehero.core.domain.uscc import USCC_ALPHABET, is_valid_uscc, make_uscc
from zonehero.core.ingest.values import (
    normalise_uscc_series,
    parse_bool,
    parse_column,
    parse_industry_code,
    parse_number,
    parse_text,
    parse_year,
    parse_zjtx,
    uscc_problems,
    uscc_valid_mask,
)


class TestNumbers:
    def test_it_reads_separators_fullwidth_spaces_and_accounting_negatives(self) -> None:
        values, problems = parse_number(["1,234.5", "１２３", " 5 ", "(123)", "1，000", 7.0, 8], field("tax"))
        assert problems == []
        assert values.to_list() == [1234.5, 123.0, 5.0, -123.0, 1000.0, 7.0, 8.0]
        assert values.dtype == pl.Float64

    @pytest.mark.parametrize("token", ["", "-", "—", "/", "无", "  ", None])
    def test_missing_tokens_become_null(self, token: object) -> None:
        values, problems = parse_number([token, "1"], field("revenue"))
        assert problems == []
        assert values.to_list() == [None, 1.0]

    def test_text_in_a_number_column_is_an_error_at_its_position(self) -> None:
        values, problems = parse_number(["12", "约100", "inf"], field("revenue"))
        assert [p[0] for p in problems] == [1, 2]
        assert "「约100」不是数字" in problems[0][1]
        assert "营业收入" in problems[0][1]
        assert values[1] is None

    def test_the_unit_factor_is_applied(self) -> None:
        values, _ = parse_number([10000 / 15, "6,666.6666666667"], field("land_area_mu"), 15 / 10000)
        assert values.to_list() == pytest.approx([1.0, 10.0])

    def test_negative_land_area_is_an_error_but_negative_tax_is_not(self) -> None:
        _, land = parse_number([-3.0], field("land_area_mu"))
        assert land == [(0, "「-3」为负数；「用地面积」不能为负")]
        tax, problems = parse_number(["-3", "(2.5)"], field("tax"))
        assert problems == []
        assert tax.to_list() == [-3.0, -2.5]


class TestBooleans:
    def test_every_accepted_spelling(self) -> None:
        cells = ["是", "否", "Y", "n", 1.0, 0.0, "1", "0", "√", "×", "true", "FALSE", True, "", "-", None]
        values, problems = parse_bool(cells, field("high_tech"))
        assert problems == []
        expected = [True, False, True, False, True, False, True, False, True, False, True, False, True]
        assert values.to_list() == [*expected, False, False, False]

    def test_anything_else_is_an_error(self) -> None:
        _, problems = parse_bool(["是", "也许"], field("listed"))
        assert problems == [(1, "「也许」无法识别为是/否；「上市企业」请填 是/否（或 Y/N、1/0、√/×）")]


class TestZjtx:
    def test_levels(self) -> None:
        cells = ["省级", "国家级", "小巨人", '专精特新"小巨人"', "专精特新“小巨人”", "", "无", None]
        values, problems = parse_zjtx(cells, field("zjtx_level"))
        assert problems == []
        assert values.to_list() == ["province", "national", "national", "national", "national", None, None, None]

    def test_unknown_level_is_an_error(self) -> None:
        _, problems = parse_zjtx(["市级"], field("zjtx_level"))
        assert problems and problems[0][0] == 0 and "市级" in problems[0][1]


class TestIndustryCode:
    def test_upper_cased_and_checked(self) -> None:
        values, problems = parse_industry_code(["c3985", " C 39 ", ""], field("industry_code"))
        assert values.to_list() == ["C3985", "C39", None]
        assert problems == []

    def test_a_bare_number_says_what_is_expected(self) -> None:
        _, problems = parse_industry_code([3985.0, "3985", "CC12"], field("industry_code"))
        assert [p[0] for p in problems] == [0, 1, 2]
        assert "缺少门类字母" in problems[0][1] and "C3985" in problems[0][1]


class TestYear:
    def test_forms_of_a_year(self) -> None:
        cells = [2019, "2019年", 2019.0, "2019-05-01", "2019/5/1", "2019年5月"]
        cells += [dt.date(2018, 1, 2), dt.datetime(2017, 3, 3)]
        values, problems = parse_year([*cells, 43586.0, "", None], field("production_start_year"))
        assert problems == []
        assert values.dtype == pl.Int32
        assert values.to_list() == [2019, 2019, 2019, 2019, 2019, 2019, 2018, 2017, 2019, None, None]

    def test_nonsense_is_an_error(self) -> None:
        _, problems = parse_year(["去年", 19.0, "3019"], field("production_start_year"))
        assert [p[0] for p in problems] == [0, 1, 2]


def test_text_is_kept_as_given() -> None:
    values, _ = parse_text([" 江西鑫通機械有限公司 ", "", 12.0], field("name"))
    assert values.to_list() == ["江西鑫通機械有限公司", None, "12"]


class TestUscc:
    def test_normalised_upper_case_no_spaces_half_width(self) -> None:
        codes = normalise_uscc_series([" 91350100m000100y43 ", "９１３１０１１０６６６００７２１７Ｔ", ""])
        assert codes.to_list() == ["91350100M000100Y43", "91310110666007217T", None]

    def test_problems_name_old_licences_and_check_digits(self) -> None:
        cells = ["91350100M000100Y43", "330100000012345", "91350100M000100Y44", 330100000012345.0]
        codes = normalise_uscc_series(cells)
        problems = uscc_problems(codes)
        assert [p[0] for p in problems] == [1, 2, 3]
        assert "15位旧营业执照注册号" in problems[0][1]
        assert "校验位错误" in problems[1][1]

    def test_known_valid_codes(self) -> None:
        known = ["91350100M000100Y43", "91310110666007217T", "91310115591693856A", "91440300708461136T"]
        assert uscc_valid_mask(pl.Series(known)).all()
        # passes the USCC check by coincidence, fails the organisation-code check
        assert not uscc_valid_mask(pl.Series(["123456789012345678"])).any()

    @settings(max_examples=200, deadline=None)
    @given(st.text(alphabet=USCC_ALPHABET + "IOSZ", min_size=16, max_size=18), st.booleans())
    def test_the_vectorised_check_agrees_with_the_domain_rule(self, text: str, complete: bool) -> None:
        code = make_uscc(text[:16]) if complete and all(c in USCC_ALPHABET for c in text[:16]) else text
        assert uscc_valid_mask(pl.Series([code])).to_list() == [is_valid_uscc(code)]


@pytest.mark.parametrize("key", [f.key for f in FIELDS if f.key != "uscc"])
def test_an_empty_column_keeps_the_canonical_dtype(key: str) -> None:
    values, problems = parse_column([], field(key))
    assert problems == [] and len(values) == 0
    f = field(key)
    expected = {"number": pl.Float64, "bool": pl.Boolean, "year": pl.Int32}.get(f.type, pl.String)
    assert values.dtype == expected
