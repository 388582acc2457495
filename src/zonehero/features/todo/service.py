"""The to-do list (待办) of an account: what a real user of its role must act on now, each with the page to do it.

Per role (an account has one):

* 分析员 (analyst): objections waiting for an answer; 企业确认 disputes waiting to be resolved; runs whose 公示 has
  ended (定稿, by the publication gate); import previews waiting to be confirmed or discarded, with their conflicts;
  the newest final run whose result notices (告知书) were never made;
* 项目办 (project office): the month to close; overdue difficulties per owner unit (督办); projects that owe
  last month's progress report;
* 领导 (leader, read only): overdue difficulties escalated to a 包挂领导 or to 管委会主任;
* 责任单位 (unit): its own projects' progress due this month; the difficulties it owns that are overdue;
* 部门填报员 (department, 数据归集): its round's files due, late (urgent) or reminded (催办, urgent), and a
  submission with problems to upload again; each goes once a usable file has arrived;
* the analyst also sees the rounds with late departments (归集看板);
* 低效用地 (analyst, leader, unit): overdue measures of the register's cases and overdue D-class plans (一企一方案)
  per responsible unit, by the same escalation; the leader sees those escalated to a 包挂领导 or 管委会主任, a unit
  its own;
* 企业 (enterprise): its figures of a year to confirm before the round's deadline (企业确认); a result of its own
  under 公示 it may still object to (with the deadline); its answered objections while that 公示 lasts; its own
  D-class plan (一企一方案) until it is done;
* 招商局 (investment): its leads (and those nobody follows yet) whose clocks ran out — respond, judge, tell
  the reporter, follow up — each escalating like a difficulty; a leader also gets those escalated past the 招商局;
* 系统管理员: accounts locked by failed log-ins (it may unlock them); the security and audit administrators have
  nothing here (三员分立: no business data for any of the three).

Nothing is stored: each item is computed from the features' services on every call, so it disappears once the
work is done. The count is shown in the navigation on every page, so every source is read with count or column
queries (never every result row of a run).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date
from urllib.parse import quote

from sqlalchemy.orm import Session

from zonehero.clock import local_date, local_time, today, utcnow
from zonehero.errors import NotFound
from zonehero.features.collection import service as collection
from zonehero.features.collection.schemas import ExpectationState
from zonehero.features.confirmation import service as confirmation
from zonehero.features.documents import service as documents
from zonehero.features.enterprises import service as enterprises
from zonehero.features.imports import service as imports
from zonehero.features.investment import service as investment
from zonehero.features.lowland import service as lowland
from zonehero.features.objections import service as objections
from zonehero.features.projects import difficulties, months, progress
from zonehero.features.projects.schemas import DifficultyRead
from zonehero.features.publication import service as publication
from zonehero.features.roles import Actor, Role
from zonehero.features.runs import service as runs
from zonehero.features.todo.schemas import TodoItem, TodoKind, TodoList
from zonehero.features.users import service as users

ESCALATED_TO_LEADERS = frozenset({"leader", "director"})
"""督办 levels (the core's escalation) at which an overdue difficulty is the leaders' business."""


def _item(
    kind: TodoKind,
    title: str,
    url: str,
    *,
    detail: str | None = None,
    count: int = 1,
    due: date | None = None,
    urgent: bool = False,
) -> TodoItem:
    return TodoItem(
        kind=kind, kind_label=kind.label, title=title, detail=detail, url=url, count=count, due=due, urgent=urgent
    )


def _enterprise_name(session: Session, actor: Actor, uscc: str) -> str:
    try:
        return enterprises.get_enterprise(session, actor, uscc).name or uscc
    except NotFound:
        return uscc


def _analyst(session: Session, actor: Actor, day: date) -> list[TodoItem]:
    items: list[TodoItem] = []
    gates = publication.notice_gates(session, actor, on=day)
    period_over = {run.id for run, gate in gates if gate.period_over}
    land_gates = publication.land_notice_gates(session, actor, on=day)
    land_over = {notice.id for notice, gate in land_gates if gate.period_over}
    for o in objections.waiting_for_answer(session, actor):
        name = _enterprise_name(session, actor, o.uscc)
        if o.land_notice_id is not None:
            blocks = "，公示期已满，答复后才能结束公示" if o.land_notice_id in land_over else ""
            subject, urgent = f"用地面积公示 #{o.land_notice_id}", o.land_notice_id in land_over
        else:
            blocks = "，公示期已满，答复后才能定稿" if o.run_id in period_over else ""
            subject, urgent = f"评价批次 #{o.run_id}", o.run_id in period_over
        items.append(
            _item(
                TodoKind.OBJECTION,
                f"{name} 的异议 #{o.id} 待答复",
                o.path,  # its own page: the effect of a correction, the answer
                detail=f"{subject}，{_day(local_date(o.filed_at))} 提出{blocks}",
                urgent=urgent,
            )
        )
    for d in confirmation.open_disputes(session, actor):
        items.append(
            _item(
                TodoKind.DISPUTE,
                f"{d.name or d.uscc} 对「{d.label}」的确认异议 #{d.id} 待处理",
                f"/confirmations/disputes/{d.id}",
                detail=f"{d.year} 年度企业确认，{_day(local_date(d.filed_at))} 提出",
            )
        )
    for notice, land_gate in land_gates:
        if not land_gate.period_over:
            continue
        then = "可以结束公示" if land_gate.ready else f"答复 {land_gate.open_objections} 件异议后可结束公示"
        items.append(
            _item(
                TodoKind.FINALIZE,
                f"{notice.year} 年度用地面积公示 #{notice.id} 公示期已满，{then}",
                f"/land/notice?year={notice.year}#land-notice-actions",
                detail=f"公示期至 {_day(notice.notice_end)}",
                due=land_gate.opens_on,
                urgent=True,
            )
        )
    for run, gate in gates:
        if not gate.period_over:
            continue
        then = "可以定稿" if gate.ready else f"答复 {gate.open_objections} 件异议后可定稿"
        items.append(
            _item(
                TodoKind.FINALIZE,
                f"{run.year} 年度评价批次 #{run.id} 公示期已满，{then}",
                f"/runs/{run.id}#run-actions",
                detail=f"公示期至 {_day(run.notice_end)}",
                due=gate.opens_on,
            )
        )
    for batch in imports.waiting_previews(session, actor):
        year = f"{batch.year} 年度，" if batch.year else ""
        conflicts = f"其中 {batch.conflict_total} 项与已入库数据不同，请核对" if batch.conflict_total else "无数据冲突"
        items.append(
            _item(
                TodoKind.IMPORT,
                f"导入批次 #{batch.batch_id} 待确认或放弃",
                f"/imports/{batch.batch_id}",
                detail=f"{year}{batch.figure_count} 项数据，{conflicts}",
            )
        )
    final = runs.newest_final_run(session, actor)
    if final is not None and not documents.notices_made(session, final.id):
        items.append(
            _item(
                TodoKind.NOTICES,
                f"{final.year} 年度评价结果已定稿（批次 #{final.id}），评价结果告知书尚未制发",
                f"/runs/{final.id}#run-documents",
                detail="生成全部告知书（zip）后分送各企业",
            )
        )
    return items


def _escalation(d: DifficultyRead) -> str:
    """Who must act now (督办): the owner unit, the project's 包挂领导 or 管委会主任, as the core names them."""
    return d.escalated_to or d.level_label or d.owner_unit


def _office(session: Session, actor: Actor, day: date) -> list[TodoItem]:
    items: list[TodoItem] = []
    open_month = months.month_to_close(session, actor, day)
    if open_month is not None:
        year, month = open_month
        items.append(
            _item(
                TodoKind.MONTH,
                f"{year}年{month}月 尚未关账",
                "/projects/months",
                detail="核对当月进展后关账，生成调度报告",
            )
        )
    by_unit: dict[str, list[DifficultyRead]] = defaultdict(list)
    for d in difficulties.overdue_difficulties(session, actor, day):
        by_unit[d.owner_unit].append(d)
    for unit, found in sorted(by_unit.items(), key=lambda kv: (-max(d.days_overdue for d in kv[1]), kv[0])):
        worst = max(found, key=lambda d: d.days_overdue)
        items.append(
            _item(
                TodoKind.DIFFICULTY,
                f"{unit}：{len(found)} 项问题逾期未办结",
                f"/projects/difficulties?unit={quote(unit)}",
                detail=f"最长逾期 {worst.days_overdue} 天，督办至 {_escalation(worst)}",
                count=len(found),
                urgent=True,
            )
        )
    due = progress.reports_due(session, actor, day)
    if due:
        items.append(
            _item(
                TodoKind.PROGRESS,
                f"{len(due)} 个项目未填报 {due[0].year}年{due[0].month}月 进展",
                "/projects/warnings",
                detail="、".join(r.name for r in due[:5]) + ("等" if len(due) > 5 else ""),
                count=len(due),
            )
        )
    return items


def _leader(session: Session, actor: Actor, day: date) -> list[TodoItem]:
    groups: dict[str, list[DifficultyRead]] = defaultdict(list)
    for d in difficulties.overdue_difficulties(session, actor, day):
        if d.level in ESCALATED_TO_LEADERS:
            groups[_escalation(d)].append(d)
    return [
        _item(
            TodoKind.DIFFICULTY,
            f"{len(found)} 项逾期问题已督办至{who}",
            "/projects/difficulties",
            detail="、".join(f"{d.project_name}（逾期 {d.days_overdue} 天）" for d in found[:3])
            + ("等" if len(found) > 3 else ""),
            count=len(found),
            urgent=True,
        )
        for who, found in sorted(groups.items())
    ]


def _leads(session: Session, actor: Actor, day: date) -> list[TodoItem]:
    """Late 招商 leads (线索时限), one item each, with the clock that ran out and who must act now."""
    items = []
    for lead in investment.overdue_leads(session, actor, day):
        late = lead.overdue
        if late is None:
            continue
        items.append(
            _item(
                TodoKind.LEAD,
                f"招商线索 #{lead.id} {lead.investor}：{late.label}已逾期",
                f"/investment/leads/{lead.id}",
                detail=f"时限 {_day(late.due)}，已逾期 {late.days_overdue} 天，督办至 {late.escalated_to or '招商局'}",
                due=late.due,
                urgent=True,
            )
        )
    return items


def _unit(session: Session, actor: Actor, day: date) -> list[TodoItem]:
    items = [
        _item(
            TodoKind.PROGRESS,
            f"{r.name}（{r.code}）{r.year}年{r.month}月 进展待报送",
            f"/projects/{quote(r.code, safe='')}",
            detail="请向项目办报送当月完成投资、形象进度和现场照片",
        )
        for r in progress.reports_due(session, actor, day)
    ]
    items += [
        _item(
            TodoKind.DIFFICULTY,
            f"{d.project_name}：{_short(d.description)}",
            f"/projects/{quote(d.project_code, safe='')}",
            detail=f"办结时限 {_day(d.deadline)}，已逾期 {d.days_overdue} 天，督办至 {_escalation(d)}",
            due=d.deadline,
            urgent=True,
        )
        for d in difficulties.overdue_difficulties(session, actor, day)
    ]
    return items


def _enterprise(session: Session, actor: Actor, day: date) -> list[TodoItem]:
    uscc = actor.enterprise_uscc
    if not uscc:
        return []
    items: list[TodoItem] = []
    in_notice = runs.runs_in_notice(session, actor)
    waiting = {o.run_id for o in objections.list_objections(session, actor, status="open")}
    for run in in_notice:
        if run.id in waiting or objections.objection_refusal(actor, run, day) is not None:
            continue
        try:
            runs.get_result(session, actor, run.id, uscc)
        except NotFound:
            continue
        items.append(
            _item(
                TodoKind.NOTICE_OPEN,
                f"本企业 {run.year} 年度评价结果公示中，公示期至 {_day(run.notice_end)}",
                f"/enterprises/{uscc}?run_id={run.id}#objections",
                detail="请核对评价结果和数据，如有异议请在公示期内提出",
                due=run.notice_end,
            )
        )
    waiting_land = {o.land_notice_id for o in objections.list_objections(session, actor, status="open")}
    for notice in publication.land_notices(session, actor):
        if notice.id in waiting_land or objections.land_objection_refusal(actor, notice, day) is not None:
            continue
        items.append(
            _item(
                TodoKind.NOTICE_OPEN,
                f"本企业 {notice.year} 年度用地面积公示中，公示期至 {_day(notice.notice_end)}",
                f"/land/notice/{notice.id}",
                detail="请核对用地面积及其认定明细（宗地、租赁），如有异议请在公示期内提出",
                due=notice.notice_end,
            )
        )
    for r in confirmation.awaiting_own(session, actor, on=day):
        items.append(
            _item(
                TodoKind.CONFIRM_DATA,
                f"请在 {_day(r.deadline)} 前确认本企业 {r.year} 年度数据",
                f"/confirmations/{r.year}/{uscc}",
                detail="核对各项数据及来源，确认无误或对有误的数据提出异议；逾期未确认视为确认",
                due=r.deadline,
            )
        )
    for year, deadline, overdue in lowland.own_open_plans(session, actor):
        items.append(
            _item(
                TodoKind.LOWLAND,
                f"本企业 {year} 年度一企一方案（D 类企业整改）尚未完成",
                f"/lowland/plans?year={year}",
                detail=f"整改期限 {_day(deadline)}" + ("，已逾期" if overdue else ""),
                due=deadline,
                urgent=overdue,
            )
        )
    live = {run.id for run in in_notice}
    live_land = {n.id for n in publication.land_notices(session, actor) if n.status == "notice"}
    for o in objections.answered_of_own(session, actor):
        if o.land_notice_id is not None:
            if o.land_notice_id not in live_land:
                continue
        elif o.run_id not in live and o.new_run_id not in live:
            continue
        outcome = "已采纳，数据已更正" if o.status == "accepted" else "未采纳"
        items.append(
            _item(
                TodoKind.ANSWERED,
                f"您的异议 #{o.id} 已答复：{outcome}",
                f"/enterprises/{uscc}#objections",
                detail="请查看答复意见",
            )
        )
    return items


def _department(session: Session, actor: Actor, day: date) -> list[TodoItem]:
    items = []
    for due in collection.due_for(session, actor, on=day):
        reminded = f"；园区已于 {_day(local_date(due.reminded_at))} 催办" if due.reminded_at else ""
        if due.state == ExpectationState.PROBLEMS and due.problem_batch is not None:
            items.append(
                _item(
                    TodoKind.COLLECTION_PROBLEM,
                    f"{due.year} 年度报送的文件有错误，请修正后重新报送",
                    f"/collection/submissions/{due.problem_batch}",
                    detail=f"截止 {_day(due.deadline)}{reminded}",
                    due=due.deadline,
                    urgent=True,
                )
            )
            continue
        late = f"，已逾期 {due.days_late} 天" if due.state == ExpectationState.LATE else ""
        items.append(
            _item(
                TodoKind.COLLECTION_DUE,
                f"{due.year} 年度数据归集：请报送{'、'.join(due.field_labels)}",
                f"/collection/submit?year={due.year}",
                detail=f"截止 {_day(due.deadline)}{late}{reminded}",
                due=due.deadline,
                urgent=due.state == ExpectationState.LATE or due.reminded_at is not None,
            )
        )
    return items


def _lowland(session: Session, actor: Actor, day: date) -> list[TodoItem]:
    """Overdue 低效用地 measures and plans per responsible unit (a leader: those escalated to the leaders)."""
    found = lowland.overdue_work(session, actor, day)
    if actor.role == Role.LEADER:
        found = [w for w in found if w.escalation.level in ESCALATED_TO_LEADERS]
    by_unit: dict[str, list[lowland.OverdueWork]] = defaultdict(list)
    for w in found:
        by_unit[w.owner_unit].append(w)
    items = []
    for unit, works in sorted(by_unit.items(), key=lambda kv: (-kv[1][0].escalation.days_overdue, kv[0])):
        worst = works[0]  # most overdue first
        url = worst.url if len(works) == 1 else "/lowland"
        items.append(
            _item(
                TodoKind.LOWLAND,
                f"{unit}：{len(works)} 项低效用地处置措施或一企一方案逾期",
                url,
                detail=f"{worst.title}，最长逾期 {worst.escalation.days_overdue} 天，"
                f"督办至 {worst.escalation.escalated_to or worst.escalation.level_label or unit}",
                count=len(works),
                due=worst.deadline,
                urgent=True,
            )
        )
    return items


def _collection_late(session: Session, actor: Actor, day: date) -> list[TodoItem]:
    return [
        _item(
            TodoKind.COLLECTION_LATE,
            f"{year} 年度数据归集：{n} 个部门逾期未报",
            f"/collection?year={year}",
            detail="可在归集看板上催办",
            count=n,
        )
        for year, n in collection.late_count(session, actor, on=day)
    ]


def _system_admin(session: Session, actor: Actor, day: date) -> list[TodoItem]:
    now = utcnow()
    items = []
    for u in users.list_users(session, actor):
        if u.locked_until is None or u.locked_until <= now or not users.may_manage(actor, u):
            continue
        until = local_time(u.locked_until)
        items.append(
            _item(
                TodoKind.LOCKED,
                f"账户 {u.username} 因多次登录失败已锁定",
                "/admin/users",
                detail=f"锁定至 {until:%Y-%m-%d %H:%M}，如确认是本人，可重置密码解锁" if until else None,
            )
        )
    return items


SOURCES: dict[Role, tuple[Callable[[Session, Actor, date], list[TodoItem]], ...]] = {
    Role.ANALYST: (_analyst, _collection_late, _lowland),
    Role.PROJECT_OFFICE: (_office,),
    Role.LEADER: (_leader, _lowland, _leads),
    Role.UNIT: (_unit, _lowland),
    Role.ENTERPRISE: (_enterprise,),
    Role.INVESTMENT: (_leads,),
    Role.SYSTEM_ADMIN: (_system_admin,),
    Role.DEPARTMENT: (_department,),
    Role.OPERATOR: (_analyst, _office, _lowland),
}
"""What each role must act on; a role not listed (安全管理员, 审计管理员) has nothing to do here."""


def todo_list(session: Session, actor: Actor, *, on: date | None = None) -> TodoList:
    """The account's to-do list as of ``on`` (default today, the zone's day), most urgent first."""
    day = on or today()
    items = [item for source in SOURCES.get(actor.role, ()) for item in source(session, actor, day)]
    items.sort(key=lambda i: not i.urgent)
    return TodoList(as_of=day, items=items, total=sum(i.count for i in items))


def todo_count(session: Session, actor: Actor, *, on: date | None = None) -> int:
    """How many things the account has to do (the navigation's badge)."""
    return todo_list(session, actor, on=on).total


def _day(value: date | None) -> str:
    return value.isoformat() if value else "—"


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
