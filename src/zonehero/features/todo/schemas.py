"""The to-do list as the edges see it (the page, the navigation badge, ``/api/todo``)."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import BaseModel, Field


class TodoKind(StrEnum):
    """The kinds of work a to-do points at; the Chinese label is :attr:`label`."""

    OBJECTION = "objection"
    FINALIZE = "finalize"
    IMPORT = "import"
    NOTICES = "notices"
    MONTH = "month"
    DIFFICULTY = "difficulty"
    PROGRESS = "progress"
    NOTICE_OPEN = "notice_open"
    ANSWERED = "answered"
    LOCKED = "locked"
    COLLECTION_DUE = "collection_due"
    COLLECTION_PROBLEM = "collection_problem"
    COLLECTION_LATE = "collection_late"
    CONFIRM_DATA = "confirm_data"
    DISPUTE = "dispute"
    LOWLAND = "lowland"
    LEAD = "lead"

    @property
    def label(self) -> str:
        return KIND_LABELS[self]


KIND_LABELS: dict[TodoKind, str] = {
    TodoKind.OBJECTION: "异议待答复",
    TodoKind.FINALIZE: "公示期满待定稿",
    TodoKind.IMPORT: "导入待确认",
    TodoKind.NOTICES: "告知书待制发",
    TodoKind.MONTH: "月度待关账",
    TodoKind.DIFFICULTY: "问题逾期督办",
    TodoKind.PROGRESS: "进展待填报",
    TodoKind.NOTICE_OPEN: "评价结果公示中",
    TodoKind.ANSWERED: "异议已答复",
    TodoKind.LOCKED: "账户已锁定",
    TodoKind.COLLECTION_DUE: "数据待报送",
    TodoKind.COLLECTION_PROBLEM: "报送文件有错误",
    TodoKind.COLLECTION_LATE: "部门逾期未报",
    TodoKind.CONFIRM_DATA: "数据待确认",
    TodoKind.DISPUTE: "确认异议待处理",
    TodoKind.LOWLAND: "低效用地处置逾期",
    TodoKind.LEAD: "招商线索逾期",
}


class TodoItem(BaseModel):
    """One thing to do: what, where it is done (a site path) and by when; ``count`` things when it groups several."""

    kind: TodoKind
    kind_label: str
    title: str = Field(description="要做的事（中文）")
    detail: str | None = Field(default=None, description="补充说明，如截止日期、督办层级")
    url: str = Field(description="办理此事的页面（站内路径）")
    count: int = Field(default=1, ge=1, description="本项包含的事项数")
    due: date | None = Field(default=None, description="期限（如公示截止日、办结时限）")
    urgent: bool = Field(default=False, description="已逾期或已督办")


class TodoList(BaseModel):
    """The to-do list of the logged-in account as of a day; ``total`` is the count shown in the navigation."""

    as_of: date
    items: list[TodoItem]
    total: int
