"""The zone profile and its working-day calendar: defaults, every key optional, 调休 and holidays counted."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from zonehero.core.zone import default_calendar, default_zone, load_zone, parse_zone
from zonehero.core.zone.profile import default_zone_text, zone_toml
from zonehero.errors import InputError


class TestCalendar:
    def test_weekends_are_off_and_weekdays_work(self) -> None:
        cal = default_calendar()
        assert cal.is_working_day(date(2025, 3, 3)) and not cal.is_working_day(date(2025, 3, 8))

    def test_holidays_are_off_and_tiaoxiu_weekends_work(self) -> None:
        cal = default_calendar()
        assert not cal.is_working_day(date(2025, 10, 1))
        assert cal.is_working_day(date(2025, 9, 28))  # 调休 Sunday
        assert cal.is_working_day(date(2026, 2, 14))  # 调休 Saturday before 春节

    def test_five_working_days_over_national_day(self) -> None:
        # 9-29, 9-30, then 国庆中秋 10-1..10-8, then 10-9, 10-10 and the 调休 Saturday 10-11.
        assert default_calendar().add_working_days(date(2025, 9, 29), 5) == date(2025, 10, 11)

    def test_a_period_starting_on_a_day_off_counts_from_the_next_working_day(self) -> None:
        assert default_calendar().add_working_days(date(2025, 3, 8), 1) == date(2025, 3, 10)

    def test_every_shipped_year_is_covered(self) -> None:
        cal = default_calendar()
        assert all(cal.covers(y) for y in (2023, 2024, 2025, 2026))
        assert not cal.covers(2031)


class TestProfile:
    def test_the_default_file_is_the_default_profile(self) -> None:
        zone = default_zone()
        assert zone.name == "示范经济技术开发区" and zone.timezone == "Asia/Shanghai"
        assert "新能源" in zone.industry_chains
        assert "industry_chains" in default_zone_text()

    def test_every_key_is_optional(self) -> None:
        zone = parse_zone('industry_chains = ["光伏", "储能"]', source="zone.toml")
        assert zone.industry_chains == ("光伏", "储能") and zone.name == default_zone().name

    def test_the_notice_period_is_one_rule_with_its_words(self) -> None:
        days = parse_zone("notice_period = 5\nnotice_working_days = false", source="z.toml").notice(date(2025, 12, 1))
        assert (days.end, days.phrase) == (date(2025, 12, 5), "5 天")
        work = parse_zone("notice_period = 5\nnotice_working_days = true", source="z.toml").notice(date(2025, 9, 29))
        assert (work.end, work.phrase) == (date(2025, 10, 11), "5 个工作日")

    def test_bad_keys_are_named(self) -> None:
        with pytest.raises(InputError) as caught:
            parse_zone('timezone = "Mars/Olympus"\nnotice_period = 0\ncolour = "red"', source="zone.toml")
        columns = {p.column for p in caught.value.problems}
        assert columns == {"timezone", "notice_period", "colour"}
        assert all(p.file == "zone.toml" for p in caught.value.problems)

    def test_a_zone_file_may_add_its_own_days_off(self, tmp_path: Path) -> None:
        (tmp_path / "local.toml").write_text('[years.2025]\nholidays = ["2025-03-03"]\n', encoding="utf-8")
        (tmp_path / "zone.toml").write_text('calendar_file = "local.toml"\n', encoding="utf-8")
        zone = load_zone(tmp_path / "zone.toml")
        assert not zone.calendar.is_working_day(date(2025, 3, 3))
        assert not zone.calendar.is_working_day(date(2025, 10, 1))  # the national days stay

    def test_an_unknown_chain_says_how_to_add_one(self) -> None:
        message = default_zone().unknown_chain_message("低空经济")
        assert "低空经济" in message and "新能源" in message and "industry_chains" in message
        assert "「园区概况」" in message and "--zone" in message  # the page's name in the menu, the CLI option

    @pytest.mark.parametrize("timezone", ["x" * 300, "Asia", "../etc/passwd"])
    def test_a_time_zone_that_is_no_zone_is_refused_in_chinese(self, timezone: str) -> None:
        with pytest.raises(InputError, match="未知的时区"):
            parse_zone(f'timezone = "{timezone}"', source="zone.toml")

    def test_a_chain_longer_than_a_project_can_store_is_refused(self) -> None:
        with pytest.raises(InputError, match="产业链名称不能超过 64 个字符"):
            parse_zone(f'industry_chains = ["{"链" * 65}"]', source="zone.toml")

    def test_a_saved_profile_reads_back_equal(self) -> None:
        zone = parse_zone(
            'name = "某\\"区\\\\"\nindustry_chains = ["新能源", "低空\\"经济"]\nnotice_period = 7\n'
            "notice_working_days = true",
            source="zone.toml",
        )
        assert zone.name == '某"区\\' and zone.industry_chains == ("新能源", '低空"经济')
        assert parse_zone(zone_toml(zone), source="again.toml") == zone


class TestCalendarWarning:
    def test_working_days_in_a_year_the_calendar_lacks_are_named(self) -> None:
        zone = parse_zone("notice_working_days = true", source="zone.toml")
        warning = zone.calendar_warning(date(2031, 3, 1))
        assert warning is not None and "2031" in warning and "calendar_file" in warning
        assert zone.calendar_warning(date(2025, 3, 1)) is None

    def test_in_december_the_next_year_counts_too(self) -> None:
        zone = parse_zone("notice_working_days = true", source="zone.toml")
        warning = zone.calendar_warning(date(2026, 12, 5))
        assert warning is not None and "2027" in warning and "2026" not in warning

    def test_calendar_days_need_no_calendar(self) -> None:
        assert default_zone().calendar_warning(date(2031, 3, 1)) is None
