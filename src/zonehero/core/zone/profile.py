"""The zone profile (园区概况): the zone's name, time zone, industry chains and 公示 rule, with its calendar.

One object answers "what is this zone called", "what day is it there" and "when does a 公示 that starts
today end", so the app, the command line and every document say the same. Every key of the TOML is
optional; defaults are ``zonehero/data/zone.toml``.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from importlib import resources
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from zonehero.core.zone.calendar import WorkCalendar, default_calendar, merge_calendars, parse_calendar
from zonehero.errors import InputError, InputProblem

ZONE_RESOURCE = "zone.toml"
INVESTMENT_KEYS = ("investment_over_1e8", "investment_over_1e9", "investment_over_5e9", "rule_5020_min_projects")
"""The 招商 thresholds (see :class:`InvestmentThresholds`), flat keys of the zone file."""
CLOCK_KEYS = ("lead_respond_days", "lead_judge_days", "lead_tell_source_days", "lead_follow_up_days")
"""The 招商 lead clocks (see :class:`LeadClocks`), flat keys of the zone file, in working days."""
KEYS = (
    "name",
    "timezone",
    "industry_chains",
    "notice_period",
    "notice_working_days",
    "calendar_file",
    *INVESTMENT_KEYS,
    *CLOCK_KEYS,
)
MAX_NOTICE_PERIOD = 60
MAX_NAME = 100
MAX_CHAIN = 64
"""A chain name is stored with each project (``projects.industry_chain``, 64 characters)."""


@dataclass(frozen=True)
class NoticePeriod:
    """A 公示 period as every page and document states it."""

    start: date
    end: date
    """The last day of the period (inclusive); objections are accepted until its end."""
    length: int
    working_days: bool

    @property
    def unit(self) -> str:
        return "个工作日" if self.working_days else "天"

    @property
    def phrase(self) -> str:
        """「5 个工作日」 or 「5 天」."""
        return f"{self.length} {self.unit}"


@dataclass(frozen=True)
class InvestmentThresholds:
    """The project sizes the 招商 figures count (万元) and the 「5020」 rule: facts a zone's policy sets, not code.

    The defaults are the national ones (1 亿, 10 亿, 50 亿; a national-level zone lands at least one project of
    50 亿 or more a year); a provincial zone or a stricter year changes them in its zone file.
    """

    over_1e8: float = 10_000.0
    """亿元以上项目: contract investment ≥ this many 万元."""
    over_1e9: float = 100_000.0
    """十亿元以上项目."""
    over_5e9: float = 500_000.0
    """五十亿元以上项目, the size the 「5020」 rule counts."""
    rule_5020_min_projects: int = 1
    """「5020」达标 when at least this many cohort projects reach ``over_5e9``."""


@dataclass(frozen=True)
class LeadClocks:
    """How fast a 招商 lead must be handled, in working days of the zone calendar: a zone's policy, not code.

    The defaults are 江门's (江府办函〔2024〕37号): answer a lead within 1 working day, judge it within 3, tell
    the reporter (the source) within 5 (a week) and then every 10 (two weeks) until it signs or ends.
    """

    respond_days: int = 1
    judge_days: int = 3
    tell_source_days: int = 5
    follow_up_days: int = 10


@dataclass(frozen=True)
class ZoneProfile:
    """A zone's settings that are facts about the zone, not about the software."""

    name: str = "示范经济技术开发区"
    timezone: str = "Asia/Shanghai"
    industry_chains: tuple[str, ...] = ()
    notice_period: int = 5
    notice_working_days: bool = False
    calendar: WorkCalendar = field(default_factory=WorkCalendar, compare=False)
    investment: InvestmentThresholds = field(default_factory=InvestmentThresholds)
    lead_clocks: LeadClocks = field(default_factory=LeadClocks)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def notice(self, start: date, length: int | None = None) -> NoticePeriod:
        """The 公示 period that begins on ``start`` (``length`` overrides the profile's for one publication)."""
        days = self.notice_period if length is None else length
        if days < 1:
            raise InputError(InputProblem("公示期至少 1 天", column="notice_period"))
        end = self.calendar.add_working_days(start, days) if self.notice_working_days else start + timedelta(days - 1)
        return NoticePeriod(start=start, end=end, length=days, working_days=self.notice_working_days)

    def period_of(self, start: date, end: date) -> NoticePeriod:
        """A stored 公示 (start and last day) described by this zone's rule: its length in working or calendar days."""
        if self.notice_working_days:
            length = max(self.calendar.working_days_between(start, end), 1)
        else:
            length = max((end - start).days + 1, 1)
        return NoticePeriod(start=start, end=end, length=length, working_days=self.notice_working_days)

    def calendar_warning(self, today: date) -> str | None:
        """Why a working-day 公示 could end on the wrong day: the calendar lacks this year's holidays (else None).

        The next year counts from December, when the State Council has published its holidays.
        """
        if not self.notice_working_days:
            return None
        years = [today.year, today.year + 1] if today.month == 12 else [today.year]
        missing = [str(y) for y in years if not self.calendar.covers(y)]
        if not missing:
            return None
        return (
            f"工作日历尚未包含 {'、'.join(missing)} 年的法定节假日与调休安排，按工作日计算公示期时只扣除周末。"
            "请按国务院办公厅当年的节假日安排通知补充：更新 zonehero（内置日历），"
            "或在园区概况文件中用 calendar_file 指定日历文件（命令行 --zone）"
        )

    def unknown_chain_message(self, chain: str) -> str:
        """What a user reads when a file names a chain the zone does not have, and how to add it."""
        return unknown_chain_message(chain, self.industry_chains)


def unknown_chain_message(chain: str, chains: Sequence[str]) -> str:
    """The refusal of an unknown industry chain: the zone's chains and how to add one to the zone profile."""
    known = "、".join(chains) or "（未设置）"
    return (
        f"未知的产业链「{chain}」（本园区产业链：{known}）。如需新增，请在园区概况的 industry_chains 中加入"
        "（网页：系统管理员打开「园区概况」页面，在“产业链”中每行加一个；"
        "命令行：zonehero zone show > zone.toml，编辑后以 --zone zone.toml 传入）"
    )


def zone_toml(profile: ZoneProfile) -> str:
    """The profile as a zone file of the keys a settings page edits (``parse_zone`` reads back an equal profile).

    JSON strings are valid TOML basic strings, so names with quotes or backslashes survive.
    """
    chains = ", ".join(json.dumps(c, ensure_ascii=False) for c in profile.industry_chains)
    return (
        f"name = {json.dumps(profile.name, ensure_ascii=False)}\n"
        f"timezone = {json.dumps(profile.timezone)}\n"
        f"industry_chains = [{chains}]\n"
        f"notice_period = {profile.notice_period}\n"
        f"notice_working_days = {'true' if profile.notice_working_days else 'false'}\n"
        f"investment_over_1e8 = {profile.investment.over_1e8!r}\n"
        f"investment_over_1e9 = {profile.investment.over_1e9!r}\n"
        f"investment_over_5e9 = {profile.investment.over_5e9!r}\n"
        f"rule_5020_min_projects = {profile.investment.rule_5020_min_projects}\n"
        f"lead_respond_days = {profile.lead_clocks.respond_days}\n"
        f"lead_judge_days = {profile.lead_clocks.judge_days}\n"
        f"lead_tell_source_days = {profile.lead_clocks.tell_source_days}\n"
        f"lead_follow_up_days = {profile.lead_clocks.follow_up_days}\n"
    )


def default_zone_text() -> str:
    return resources.files("zonehero.data").joinpath(ZONE_RESOURCE).read_text(encoding="utf-8")


def _problem(message: str, key: str, source: str) -> InputProblem:
    return InputProblem(message, file=source, column=key)


def zone_from_mapping(data: dict[str, Any], *, source: str, base_dir: Path | None = None) -> ZoneProfile:
    """A profile from parsed keys over the defaults; InputError listing every bad key."""
    defaults = tomllib.loads(default_zone_text())
    merged = {**defaults, **data}
    problems: list[InputProblem] = []
    for key in data:
        if key not in KEYS:
            problems.append(_problem(f"未知的设置项「{key}」（可用：{'、'.join(KEYS)}）", key, source))
    name = merged["name"]
    if not isinstance(name, str) or not name.strip() or len(name.strip()) > MAX_NAME:
        problems.append(_problem(f"园区名称应为 1–{MAX_NAME} 个字符", "name", source))
    timezone = merged["timezone"]
    try:
        ZoneInfo(str(timezone))
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a key too long for a file name
        problems.append(_problem(f"未知的时区「{timezone}」（如 Asia/Shanghai）", "timezone", source))
    chains = merged["industry_chains"]
    if not isinstance(chains, list) or not all(isinstance(c, str) and c.strip() for c in chains):
        problems.append(_problem("industry_chains 应为产业链名称的列表", "industry_chains", source))
        chains = []
    cleaned = tuple(dict.fromkeys(c.strip() for c in chains))
    for chain in cleaned:
        if len(chain) > MAX_CHAIN:
            problems.append(
                _problem(f"产业链名称不能超过 {MAX_CHAIN} 个字符：「{chain[:20]}…」", "industry_chains", source)
            )
    period = merged["notice_period"]
    if not isinstance(period, int) or isinstance(period, bool) or not 1 <= period <= MAX_NOTICE_PERIOD:
        problems.append(_problem(f"公示期应为 1–{MAX_NOTICE_PERIOD} 的整数", "notice_period", source))
        period = 5
    working = merged["notice_working_days"]
    if not isinstance(working, bool):
        problems.append(_problem("notice_working_days 应为 true 或 false", "notice_working_days", source))
        working = True
    calendar = default_calendar()
    extra = merged.get("calendar_file")
    if extra is not None:
        path = Path(str(extra))
        if base_dir is not None and not path.is_absolute():
            path = base_dir / path
        try:
            own = parse_calendar(path.read_text(encoding="utf-8"), source=str(path))
            calendar = merge_calendars([calendar, own])
        except OSError:
            problems.append(_problem(f"日历文件不存在：{path}", "calendar_file", source))
        except InputError as exc:
            problems.extend(exc.problems)
    investment = _investment(merged, source, problems)
    lead_clocks = _lead_clocks(merged, source, problems)
    if problems:
        raise InputError(problems)
    return ZoneProfile(
        name=str(name).strip(),
        timezone=str(timezone),
        industry_chains=cleaned,
        notice_period=period,
        notice_working_days=working,
        calendar=calendar,
        investment=investment,
        lead_clocks=lead_clocks,
    )


def _investment(merged: dict[str, Any], source: str, problems: list[InputProblem]) -> InvestmentThresholds:
    """The 招商 thresholds of ``merged``; each bad key is added to ``problems`` (the default stands in for it)."""
    default = InvestmentThresholds()
    sizes: list[float] = []
    for key, fallback in zip(INVESTMENT_KEYS[:3], (default.over_1e8, default.over_1e9, default.over_5e9), strict=True):
        value = merged.get(key, fallback)
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value < 1e12:
            problems.append(_problem(f"{key} 应为大于 0 的金额（万元）", key, source))
            value = fallback
        sizes.append(float(value))
    if sizes != sorted(sizes):
        problems.append(
            _problem(
                "投资规模档次应依次不减：investment_over_1e8 ≤ investment_over_1e9 ≤ investment_over_5e9",
                "investment_over_1e9",
                source,
            )
        )
    least = merged.get("rule_5020_min_projects", default.rule_5020_min_projects)
    if isinstance(least, bool) or not isinstance(least, int) or not 1 <= least <= 1000:
        problems.append(_problem("rule_5020_min_projects 应为 1–1000 的整数", "rule_5020_min_projects", source))
        least = default.rule_5020_min_projects
    return InvestmentThresholds(sizes[0], sizes[1], sizes[2], least)


def _lead_clocks(merged: dict[str, Any], source: str, problems: list[InputProblem]) -> LeadClocks:
    """The 招商 lead clocks of ``merged``; each bad key is added to ``problems`` (the default stands in for it)."""
    default = LeadClocks()
    days: list[int] = []
    fallbacks = (default.respond_days, default.judge_days, default.tell_source_days, default.follow_up_days)
    for key, fallback in zip(CLOCK_KEYS, fallbacks, strict=True):
        value = merged.get(key, fallback)
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 250:
            problems.append(_problem(f"{key} 应为 1–250 的整数（工作日）", key, source))
            value = fallback
        days.append(value)
    return LeadClocks(*days)


def parse_zone(text: str, *, source: str, base_dir: Path | None = None) -> ZoneProfile:
    """A profile from TOML text; InputError naming the file and key of every problem."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(InputProblem(f"园区概况文件格式错误：{exc}", file=source)) from None
    return zone_from_mapping(data, source=source, base_dir=base_dir)


def load_zone(path: Path | str) -> ZoneProfile:
    """A zone file (``--zone FILE``); InputError when it is missing or wrong."""
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except OSError:
        raise InputError(InputProblem("园区概况文件不存在或无法读取", file=str(file))) from None
    return parse_zone(text, source=str(file), base_dir=file.parent)


def default_zone() -> ZoneProfile:
    """The built-in profile (``zonehero zone show`` prints its file)."""
    return parse_zone(default_zone_text(), source=f"zonehero/data/{ZONE_RESOURCE}")
