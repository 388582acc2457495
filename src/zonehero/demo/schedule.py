"""Seeded demo data for 四个一批 scheduling: projects, monthly progress and difficulties.

The figures are invented but shaped like a real zone's library: projects
enter the library through the years, are planned to sign 2-8 months later,
to start 2-6 months after signing and to produce 9-24 months after starting;
actual dates come with the delays a project office lives with (most within a
month, a quarter more than a month late, a few far behind, a few early).
Nothing here is real data; every name is generated. The same seed gives the
same data.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from zonehero.core.domain.uscc import make_uscc
from zonehero.core.schedule.model import (
    DEFAULT_INDUSTRY_CHAINS,
    Difficulty,
    DifficultyCategory,
    DifficultyStatus,
    Milestone,
    MilestoneKind,
    ProgressReport,
    Project,
)
from zonehero.core.schedule.warnings import due_to_report, last_closed_month, month_end

_PRODUCTS: dict[str, tuple[str, ...]] = {
    "电子信息": ("智能终端模组", "柔性线路板", "半导体封测", "光电显示器件", "新型电子元器件"),
    "新能源": ("锂电池正极材料", "光伏组件", "储能电池", "氢能装备", "动力电池回收"),
    "新材料": ("高性能铜箔", "特种合金", "碳纤维复合材料", "电子级化学品", "稀土功能材料"),
    "装备制造": ("智能数控机床", "工程机械零部件", "新能源汽车电驱", "智能农机", "精密铸件"),
    "生物医药": ("中药饮片", "高端医疗器械", "生物制剂", "原料药", "医用耗材"),
    "食品加工": ("预制菜", "粮油精深加工", "休闲食品", "乳制品", "茶饮料"),
    "纺织服装": ("功能性面料", "智能制衣", "针织服装", "产业用纺织品"),
    "现代服务": ("智慧物流园", "数字经济产业园", "检验检测中心", "冷链物流中心"),
}
_SUFFIX = {
    "电子信息": "电子科技有限公司",
    "新能源": "新能源科技有限公司",
    "新材料": "新材料股份有限公司",
    "装备制造": "智能装备有限公司",
    "生物医药": "生物医药有限公司",
    "食品加工": "食品有限公司",
    "纺织服装": "纺织服饰有限公司",
    "现代服务": "供应链管理有限公司",
}
_BRANDS = (
    "鑫通",
    "华瑞",
    "恒达",
    "金泰",
    "宏宇",
    "嘉禾",
    "东沃",
    "赣锋",
    "博源",
    "中科",
    "瑞丰",
    "天勤",
    "远航",
    "晨光",
)
_CITIES = ("江西", "深圳", "宁波", "苏州", "合肥", "长沙", "厦门")
_LEADERS = ("王建国", "李红梅", "张伟", "刘志强", "陈静", "杨帆")
_UNITS = ("招商一局", "招商二局", "经济发展局", "建设局", "企业服务中心")
_CONTACTS = ("周明", "吴丽", "郑强", "孙磊", "黄敏", "林涛", "何静", "罗斌")
_PROGRESS_TEXT = (
    "场地平整",
    "桩基施工",
    "主体结构施工",
    "厂房主体封顶",
    "钢结构吊装",
    "内部装修及配套工程",
    "设备进场安装",
    "设备安装调试",
    "试生产准备",
)
_DIFFICULTY_TEXT: dict[DifficultyCategory, tuple[tuple[str, str], ...]] = {
    DifficultyCategory.LAND: (
        ("用地报批（农转用）手续尚未完成", "自然资源分局"),
        ("征地拆迁未完成，影响场地交付", "征地拆迁办公室"),
    ),
    DifficultyCategory.ENERGY: (
        ("能耗指标不足，节能审查未通过", "经济发展局"),
        ("双回路供电线路未接入", "供电服务中心"),
    ),
    DifficultyCategory.FUNDING: (
        ("项目贷款审批进度缓慢", "财政金融局"),
        ("企业自筹资金未到位", "财政金融局"),
    ),
    DifficultyCategory.APPROVALS: (
        ("施工许可证办理中", "行政审批局"),
        ("环评批复尚未取得", "生态环境分局"),
    ),
    DifficultyCategory.LABOUR: (
        ("技术工人招聘困难", "人力资源和社会保障局"),
        ("施工高峰期劳务用工短缺", "人力资源和社会保障局"),
    ),
    DifficultyCategory.OTHER: (
        ("周边道路及管网配套未完善", "建设局"),
        ("进口设备清关延迟", "企业服务中心"),
    ),
}


def default_as_of(years: tuple[int, ...]) -> date:
    """The demo's "today": 30 September of the last year, so both years have history and open lists."""
    return date(years[-1], 9, 30)


def _delay(rng: random.Random) -> int:
    """Days between a planned and an actual date: mostly small, a quarter over a month, a few far behind or early."""
    roll = rng.random()
    if roll < 0.07:
        return -rng.randint(60, 180)
    if roll < 0.12:
        return -rng.randint(5, 40)
    if roll < 0.60:
        return rng.randint(0, 30)
    if roll < 0.87:
        return rng.randint(31, 120)
    return rng.randint(121, 330)


def _investor(rng: random.Random, chain: str) -> tuple[str, str]:
    name = f"{rng.choice(_CITIES)}{rng.choice(_BRANDS)}{_SUFFIX[chain]}"
    org = "".join(rng.choice("0123456789") for _ in range(8))
    return name, make_uscc(f"91360100{org}")


def generate_projects(
    n: int = 60, seed: int = 1, years: tuple[int, ...] = (2025, 2026), as_of: date | None = None
) -> list[Project]:
    """``n`` projects added from the year before ``years`` up to ``as_of`` (default 30 Sept of the last year).

    Actual dates never pass ``as_of`` and always follow the milestone order.
    ``year_plan_investment`` is the plan of the last year for projects that
    sign, build or produce in it.
    """
    rng = random.Random(seed)
    as_of = as_of or default_as_of(years)
    # The library starts two years before the first scheduled year, so that
    # year already has projects to sign, start and put into production.
    first = date(years[0] - 2, 7, 1)
    span = (as_of - first).days
    projects = []
    for i in range(n):
        chain = rng.choice(DEFAULT_INDUSTRY_CHAINS)
        investor, uscc = _investor(rng, chain)
        # Earlier additions are more frequent: the library fills up before the lists are drawn.
        added = first + timedelta(days=int(span * rng.random() ** 1.3))
        total = float(
            rng.choice((5000, 8000, 12000, 20000, 30000, 50000, 80000, 120000, 200000)) * rng.uniform(0.8, 1.3)
        )
        total = round(total, -2)
        planned_sign = added + timedelta(days=rng.randint(60, 240))
        planned_start = planned_sign + timedelta(days=rng.randint(60, 180))
        planned_production = planned_start + timedelta(days=rng.randint(270, 720))
        actuals: list[date | None] = []
        previous = added
        for planned in (planned_sign, planned_start, planned_production):
            if actuals and actuals[-1] is None:
                actuals.append(None)
                continue
            actual = max(planned + timedelta(days=_delay(rng)), previous)
            actuals.append(actual if actual <= as_of else None)
            previous = actual
        year_plan = _year_plan(total, actuals[1] or planned_start, planned_production, years[-1])
        product = rng.choice(_PRODUCTS[chain])
        phase = rng.choice(("", "一期", "二期", f"年产{rng.randint(1, 20)}万套"))
        projects.append(
            Project(
                code=f"XM{added.year}{i + 1:03d}",
                name=f"{investor.removesuffix(_SUFFIX[chain])}{product}{phase}项目",
                investor=investor,
                investor_uscc=uscc,
                industry_chain=chain,
                total_investment=total,
                land_mu=float(round(total / rng.uniform(150, 450)))
                if chain != "现代服务"
                else float(rng.randint(20, 120)),
                leader=rng.choice(_LEADERS),
                unit=rng.choice(_UNITS),
                contact=rng.choice(_CONTACTS),
                added_date=added,
                signing=Milestone(MilestoneKind.SIGNING, planned_sign, actuals[0]),
                construction=Milestone(MilestoneKind.CONSTRUCTION, planned_start, actuals[1]),
                production=Milestone(MilestoneKind.PRODUCTION, planned_production, actuals[2]),
                year_plan_investment=year_plan,
                counted_in_statistics=actuals[1] is not None and total >= 5000,
            )
        )
    return projects


BUILD_SHARE = 0.7
"""Share of the total investment spent between the start of construction and production."""


def _build_months(start: date, production: date) -> int:
    return max(len(_months(start, production)), 1)


def _year_plan(total: float, start: date, production: date, year: int) -> float | None:
    """年度计划投资: the build spend spread evenly over the build months, for the months that fall in ``year``."""
    active = [ym for ym in _months(start, production) if ym[0] == year]
    if not active:
        return None
    return round(total * BUILD_SHARE / _build_months(start, production) * len(active), -1)


def year_plans(projects: list[Project], years: tuple[int, ...]) -> dict[str, dict[int, float]]:
    """年度计划投资 of every project for each of ``years`` it builds in (the store keeps one per year).

    The same rule as ``year_plan_investment`` (which is the last year's):
    the build spend spread over the build months, from the actual start (or
    the planned one) to the planned production.
    """
    out: dict[str, dict[int, float]] = {}
    for p in projects:
        start = p.construction.actual or p.construction.planned
        end = p.production.planned
        if start is None or end is None:
            continue
        plans = {y: plan for y in years if (plan := _year_plan(p.investment, start, end, y)) is not None}
        if plans:
            out[p.code] = plans
    return out


def _months(start: date, end: date) -> list[tuple[int, int]]:
    out = []
    y, m = start.year, start.month
    while (y, m) <= (end.year, end.month):
        out.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def generate_progress(
    projects: list[Project], seed: int = 1, years: tuple[int, ...] = (2025, 2026), as_of: date | None = None
) -> list[ProgressReport]:
    """A report for every month a project owes one (see ``warnings.due_to_report``) up to the last closed month.

    Before construction starts a report says the preparatory work goes on and
    spends nothing. Some projects spend slower than planned and a few miss the
    last month's report, so the lights show every colour.
    """
    rng = random.Random(seed * 7919 + 1)
    as_of = as_of or default_as_of(years)
    closed = last_closed_month(as_of)
    out = []
    for p in projects:
        start = p.construction.actual
        planned_end = p.production.planned or month_end(*closed)
        build_months = _build_months(start or p.construction.planned or as_of, planned_end)
        pace = rng.choice((0.4, 0.7, 0.9, 1.0, 1.0, 1.0, 1.1, 1.2))
        monthly_plan = p.investment * BUILD_SHARE / build_months
        skip_last = rng.random() < 0.08
        for y, m in _months(date(years[0], 1, 1), month_end(*closed)):
            if skip_last and (y, m) == closed:
                continue
            owes = due_to_report(p, y, m) if y == as_of.year else p.construction.reached_by(month_end(y, m))
            if not owes or (p.production.actual is not None and p.production.actual < date(y, m, 1)):
                continue
            # In the plan year the office paces spending on the year plan (land, design, then works).
            rate = p.year_plan_investment / 12 if y == as_of.year and p.year_plan_investment else monthly_plan
            spend = round(rate * pace * rng.uniform(0.6, 1.4), 1)
            if start is None or start > month_end(y, m):
                out.append(ProgressReport(p.code, y, m, spend, 0.0, "前期手续办理中，支付土地款及设计费"))
                continue
            elapsed = len(_months(start, date(y, m, 1)))
            percent = min(100.0, round(100 * elapsed / build_months * min(pace, 1.0), 1))
            stage_text = _PROGRESS_TEXT[min(int(percent / 100 * len(_PROGRESS_TEXT)), len(_PROGRESS_TEXT) - 1)]
            out.append(ProgressReport(p.code, y, m, spend, percent, f"{stage_text}，累计完成 {percent:g}%"))
    return out


def generate_difficulties(
    projects: list[Project], seed: int = 1, years: tuple[int, ...] = (2025, 2026), as_of: date | None = None
) -> list[Difficulty]:
    """Difficulties for about half the projects: some resolved in time, some late, some long overdue."""
    rng = random.Random(seed * 104729 + 2)
    as_of = as_of or default_as_of(years)
    out = []
    for p in projects:
        if p.added_date is None or rng.random() > 0.5:
            continue
        for k in range(rng.choice((1, 1, 1, 2, 3))):
            category = rng.choice(list(DifficultyCategory))
            text, owner = rng.choice(_DIFFICULTY_TEXT[category])
            window = max((as_of - p.added_date).days, 1)
            raised = p.added_date + timedelta(days=rng.randint(0, window))
            deadline = raised + timedelta(days=rng.choice((15, 30, 30, 45, 60)))
            resolved_on = raised + timedelta(days=rng.randint(5, 150)) if rng.random() < 0.6 else None
            if resolved_on is not None and resolved_on <= as_of:
                status = DifficultyStatus.RESOLVED
                resolution = f"已协调{owner}办结"
            else:
                resolved_on, resolution = None, None
                status = rng.choice((DifficultyStatus.OPEN, DifficultyStatus.IN_PROGRESS))
            out.append(
                Difficulty(
                    id=f"{p.code}-D{k + 1}",
                    project_code=p.code,
                    description=text,
                    category=category,
                    raised_on=raised,
                    owner_unit=owner,
                    deadline=deadline,
                    status=status,
                    resolution=resolution,
                    resolved_on=resolved_on,
                )
            )
    return out


@dataclass(frozen=True)
class DemoData:
    """Projects, progress and difficulties generated together, as of one date."""

    as_of: date
    projects: list[Project]
    progress: list[ProgressReport]
    difficulties: list[Difficulty]
    year_plans: dict[str, dict[int, float]] = field(default_factory=dict)
    """年度计划投资 by code and year (``Project.year_plan_investment`` is the last year's)."""


def generate_demo(
    n: int = 60, seed: int = 1, years: tuple[int, ...] = (2025, 2026), as_of: date | None = None
) -> DemoData:
    """The whole demo set; see the generators for how each part is shaped."""
    as_of = as_of or default_as_of(years)
    projects = generate_projects(n, seed, years, as_of)
    return DemoData(
        as_of=as_of,
        projects=projects,
        progress=generate_progress(projects, seed, years, as_of),
        difficulties=generate_difficulties(projects, seed, years, as_of),
        year_plans=year_plans(projects, years),
    )


def write_demo_files(data: DemoData, directory: Path | str) -> tuple[Path, Path]:
    """Write the projects and the progress as import spreadsheets; returns their paths."""
    from zonehero.reports.schedule_xlsx import write_progress_xlsx, write_projects_xlsx

    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    projects_path, progress_path = folder / "projects.xlsx", folder / "progress.xlsx"
    write_projects_xlsx(data.projects, projects_path)
    write_progress_xlsx(data.progress, progress_path)
    return projects_path, progress_path
