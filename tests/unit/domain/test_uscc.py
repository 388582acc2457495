import pytest
from hypothesis import given
from hypothesis import strategies as st

from zonehero.core.domain.uscc import (
    USCC_ALPHABET,
    is_valid_uscc,
    make_uscc,
    normalise_uscc,
    org_code_check_char,
    uscc_check_char,
    uscc_problem,
)

VALID = ["91350100M000100Y43", "91310110666007217T", "91310115591693856A", "91440300708461136T", "91110108551385082Q"]


@pytest.mark.parametrize("code", VALID)
def test_published_codes_are_valid(code: str) -> None:
    assert uscc_problem(code) is None


def test_dummy_code_passes_uscc_check_but_fails_org_code_check() -> None:
    code = "123456789012345678"
    assert uscc_check_char(code[:17]) == code[17]
    assert "组织机构代码" in (uscc_problem(code) or "")


def test_wrong_check_digit_names_the_expected_one() -> None:
    problem = uscc_problem("91350100M000100Y44")
    assert problem is not None and "校验位错误" in problem and "应为 3" in problem


def test_old_15_digit_licence_is_reported_as_such() -> None:
    assert "15位旧营业执照注册号" in (uscc_problem("330100000012345") or "")


@pytest.mark.parametrize(
    "code", ["91350100M000100Y4", "91350100M000100Y433", "91350100M000100I43", "9135O100M000100Y43"]
)
def test_malformed_codes_are_refused(code: str) -> None:
    assert not is_valid_uscc(code)


def test_normalise_strips_spaces_and_fullwidth() -> None:
    assert normalise_uscc(" ９１３５０１００ｍ000100y43 ") == "91350100M000100Y43"


def test_org_code_check_known_value() -> None:
    # 91310110666007217T embeds organisation code 66600721-7.
    assert org_code_check_char("66600721") == "7"


@given(
    st.text(alphabet="0123456789ABCDEFGHJKLMNPQRTUWXY", min_size=2, max_size=2),
    st.text(alphabet="0123456789", min_size=6, max_size=6),
    st.text(alphabet="0123456789ABCDEFGHJKLMNPQRTUWXY", min_size=8, max_size=8),
)
def test_made_codes_are_valid_and_one_changed_char_is_caught(head: str, region: str, org: str) -> None:
    code = make_uscc(head + region + org)
    assert is_valid_uscc(code)
    # Changing the last (check) character always breaks the USCC check.
    other = next(c for c in USCC_ALPHABET if c != code[17])
    assert not is_valid_uscc(code[:17] + other)
