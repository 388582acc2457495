"""The password policy (密码策略): each weak password is refused with its reason, in Chinese."""

from __future__ import annotations

import pytest

from zonehero.core.domain.password_policy import common_passwords, password_problems


@pytest.mark.parametrize(
    ("password", "reasons"),
    [
        ("12345678", ["缺少：大写字母、小写字母、符号", "常用密码"]),
        ("password", ["缺少：大写字母、数字、符号", "常用密码"]),
        ("aaaaaaaa", ["缺少：大写字母、数字、符号", "常用密码"]),
        ("Sh0rt!", ["至少需要 8 个字符（当前 6 个）"]),
        ("abcdEFGHijkl", ["缺少：数字、符号"]),
        ("P@ssw0rd", ["常用密码"]),
        (" Leading-space-1", ["首尾不能是空白字符"]),
    ],
)
def test_a_weak_password_is_refused_with_each_reason(password: str, reasons: list[str]) -> None:
    problems = password_problems(password, "zhangsan")
    assert len(problems) == len(reasons), problems
    for reason, problem in zip(reasons, problems, strict=True):
        assert reason in problem


def test_the_message_names_the_rule_and_what_is_missing() -> None:
    expected = "密码须包含大写字母、小写字母、数字、符号中的至少三类（缺少：数字、符号）"
    assert password_problems("Kaifaquzhongxin") == [expected]


def test_the_user_name_may_not_be_part_of_it_in_any_case() -> None:
    assert password_problems("My-ZhangSan-2024", "zhangsan") == ["密码不能包含用户名"]
    assert password_problems("My-ZhangSan-2024", "lisi") == []


@pytest.mark.parametrize("password", ["Richtig-Pferd-42", "Correct-Horse-Battery-9", "开发区Zone2024", "abc DEF 123"])
def test_a_strong_password_passes(password: str) -> None:
    assert password_problems(password, "analyst") == []


def test_the_shipped_list_is_lower_cased_and_a_few_thousand_long() -> None:
    listed = common_passwords()
    assert 5_000 < len(listed) < 20_000
    assert all(entry == entry.lower() and len(entry) >= 8 for entry in listed)
    assert {"password", "12345678", "qwertyuiop", "iloveyou"} <= listed


def test_the_common_check_ignores_case() -> None:
    assert any("常用密码" in p for p in password_problems("QwertyuioP"))
