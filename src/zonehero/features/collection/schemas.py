"""数据归集 as the edges see it: the departments, a round's board, a department's own desk, tokens."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, Field


class ExpectationState(StrEnum):
    """Where a department stands in a round; the Chinese label is :attr:`label`, the colour :attr:`tone`."""

    CONFIRMED = "confirmed"
    PROBLEMS = "problems"
    RECEIVED = "received"
    LATE = "late"
    DUE = "due"

    @property
    def label(self) -> str:
        return STATE_LABELS[self]

    @property
    def tone(self) -> str:
        return STATE_TONES[self]


STATE_LABELS: dict[ExpectationState, str] = {
    ExpectationState.CONFIRMED: "已确认入库",
    ExpectationState.PROBLEMS: "有错误",
    ExpectationState.RECEIVED: "已报送待确认",
    ExpectationState.LATE: "逾期未报",
    ExpectationState.DUE: "待报送",
}
STATE_TONES: dict[ExpectationState, str] = {
    ExpectationState.CONFIRMED: "success",
    ExpectationState.PROBLEMS: "danger",
    ExpectationState.RECEIVED: "primary",
    ExpectationState.LATE: "warning",
    ExpectationState.DUE: "secondary",
}


class DepartmentRead(BaseModel):
    """A department (报送部门) and the fields it sends, with their Chinese labels."""

    id: int
    name: str
    fields: list[str]
    field_labels: list[str]
    active: bool


class SubmissionRead(BaseModel):
    """One submission: its import batch and what became of it."""

    batch_id: int
    channel: str = Field(description="upload 网页上传 · api 接口推送")
    channel_label: str
    submitted_by: str = Field(description="报送账户或接口令牌")
    created_at: datetime
    status: str = Field(description="preview 待确认 · invalid 有错误 · confirmed 已入库 · discarded 已放弃")
    status_label: str
    files: list[str]
    problem_count: int
    enterprise_count: int


class BoardRow(BaseModel):
    """One department in a round, as the board shows it (the service decided the state and the buttons)."""

    expectation_id: int
    department: str
    field_labels: list[str]
    deadline: date
    state: ExpectationState
    state_label: str
    tone: str
    received_at: datetime | None
    received_by: str | None
    reminded_at: datetime | None
    submissions: list[SubmissionRead]
    confirmable_batch: int | None = Field(description="最新一次待确认的报送（分析员可确认入库）")
    may_remind: bool


class BoardCounts(BaseModel):
    expected: int
    received: int
    late: int
    problems: int
    confirmed: int


class Board(BaseModel):
    """A year's collection board (归集看板)."""

    year: int
    opened: bool
    rows: list[BoardRow]
    counts: BoardCounts
    may_edit: bool
    years: list[int]
    as_of: date


class TokenRead(BaseModel):
    """A department's API token as listed (never the token itself)."""

    id: int
    department: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None
    active: bool


class NewToken(BaseModel):
    """A token just made: ``token`` is shown this once and never stored."""

    token: str
    read: TokenRead


class RoundView(BaseModel):
    """The round page (归集轮次): deadlines per department, the departments' tokens."""

    year: int
    rows: list[BoardRow]
    tokens: list[TokenRead]
    departments: list[str]


class DeskRound(BaseModel):
    """A round as a department sees it: what it owes, by when, and its own submissions."""

    year: int
    deadline: date
    field_labels: list[str]
    state: ExpectationState
    state_label: str
    tone: str
    reminded_at: datetime | None
    submissions: list[SubmissionRead]


class Desk(BaseModel):
    """A department account's page (部门报送): its rounds, newest first."""

    department: str
    rounds: list[DeskRound]


class SubmissionReceipt(BaseModel):
    """The answer to a submission (web or API): the batch and whether the files were read without problems."""

    batch_id: int = Field(description="导入批次编号（分析员确认后入库）")
    year: int
    department: str
    status: str = Field(description="preview 已接收待确认 · invalid 有错误，需修正后重新报送")
    files: list[str]
    enterprise_count: int
    problems: list[str] = Field(description="每处错误一句（文件、行、列、原因）")


class DueRead(BaseModel):
    """What a department still owes (its to-do list)."""

    year: int
    deadline: date
    state: ExpectationState
    days_late: int
    reminded_at: datetime | None
    field_labels: list[str]
    problem_batch: int | None
