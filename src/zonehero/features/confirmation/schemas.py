"""Confirmation rounds, answers, disputes and the board as the edges see them."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict

STATE_LABELS: dict[str, str] = {
    "confirmed": "已确认",
    "deemed": "默认确认",
    "disputed": "有异议待处理",
    "resolved": "异议已处理",
    "pending": "未确认",
}
"""An enterprise's confirmation state: its answer, or (without one) awaited until the deadline, deemed after it."""
STATES = tuple(STATE_LABELS)
DISPUTE_STATUS_LABELS: dict[str, str] = {"open": "待处理", "accepted": "已采纳", "rejected": "不予采纳"}


class RoundRead(BaseModel):
    """The confirmation round of a year (企业确认): enterprises answer until ``deadline`` inclusive."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    year: int
    deadline: date
    opened_at: datetime


class ConfirmationFigure(BaseModel):
    """One stored figure of the year as the enterprise confirms it, with its source (数据来源)."""

    field: str
    label: str
    unit: str | None
    value: float | bool | int | str | None
    source: str


class DisputeRead(BaseModel):
    """One disputed figure and, once resolved, the analyst's answer."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    field: str
    current: float | bool | int | str | None
    proposed: float | bool | int | str | None
    status: str
    resolution: str | None
    resolved_value: float | bool | int | str | None
    resolved_at: datetime | None

    @property
    def status_label(self) -> str:
        return DISPUTE_STATUS_LABELS.get(self.status, self.status)


class EvidenceRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    content_type: str
    size: int


class AnswerRead(BaseModel):
    """An enterprise's answer: confirmed, or disputed with its figures, reason and evidence."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    round_id: int
    uscc: str
    state: str
    reason: str | None
    answered_at: datetime
    disputes: list[DisputeRead]
    files: list[EvidenceRead]


class EnterpriseConfirmation(BaseModel):
    """What one enterprise sees for a year: the round, its state, its figures with sources, what it may do."""

    year: int
    uscc: str
    round: RoundRead | None
    state: str | None
    """None when the year has no round."""
    figures: list[ConfirmationFigure]
    answer: AnswerRead | None
    refusal: str | None
    """Why it may not confirm or dispute now (None: it may); the page shows it instead of the buttons."""

    @property
    def state_label(self) -> str:
        return STATE_LABELS.get(self.state or "", "—")

    @property
    def can_act(self) -> bool:
        return self.refusal is None


class StateCounts(BaseModel):
    """The board's counts: every enterprise of the year in exactly one state."""

    total: int
    confirmed: int
    deemed: int
    disputed: int
    resolved: int
    pending: int

    @property
    def rate(self) -> float:
        """确认率: confirmed, deemed and resolved over all (an open dispute is not yet confirmed)."""
        return (self.confirmed + self.deemed + self.resolved) / self.total if self.total else 0.0


class OpenDispute(BaseModel):
    """An open dispute on the board or in the analyst's to-do list."""

    id: int
    year: int
    uscc: str
    name: str | None
    field: str
    label: str
    current: float | bool | int | str | None
    proposed: float | bool | int | str | None
    filed_at: datetime


class BoardRow(BaseModel):
    uscc: str
    name: str | None
    state: str
    answered_at: datetime | None

    @property
    def state_label(self) -> str:
        return STATE_LABELS.get(self.state, self.state)


class Board(BaseModel):
    """The board of a year (/confirmations?year=): counts, the open disputes first, a page of enterprises."""

    year: int
    round: RoundRead | None
    counts: StateCounts
    open_disputes: list[OpenDispute]
    rows: list[BoardRow]
    state: str | None
    next_cursor: str | None


class DisputeDetail(BaseModel):
    """One dispute with its enterprise's answer (reason, evidence) for the analyst's resolution page."""

    dispute: DisputeRead
    label: str
    unit: str | None
    year: int
    uscc: str
    name: str | None
    answer: AnswerRead
    source: str
    """Where the stored figure comes from now (after an accept: 企业确认更正 · 确认异议 #id)."""
