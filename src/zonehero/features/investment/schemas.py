"""招商 leads as the edges see them: the entry form, a lead, its moves and contacts, the board."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field


class LeadForm(BaseModel):
    """What a reporter writes (全员招商): the investor and what they want; money in 万元."""

    investor: str = Field(min_length=1, max_length=200, description="投资方")
    investor_uscc: str | None = Field(default=None, max_length=32, description="投资方统一社会信用代码")
    project_name: str = Field(min_length=1, max_length=200, description="拟建项目")
    investment: float | None = Field(default=None, ge=0, description="拟投资额（万元）")
    expected_output: float | None = Field(default=None, ge=0, description="预计年产值（万元）")
    expected_tax: float | None = Field(default=None, ge=0, description="预计年税收（万元）")
    land_mu: float | None = Field(default=None, ge=0, description="用地需求（亩）")
    building_sqm: float | None = Field(default=None, ge=0, description="厂房需求（平方米）")
    help_asked: str = Field(default="", max_length=2000, description="需政府协调事项")
    source: str = Field(default="", max_length=200, description="线索来源")
    chain: str | None = Field(default=None, max_length=64, description="产业链")
    unit: str = Field(default="", max_length=64, description="报送单位")


class SigningForm(BaseModel):
    """签约: the contract and its planned dates; ``project_code`` names the project of an earlier signing (增资)."""

    signed_on: date
    contract_investment: float = Field(ge=0, description="合同投资额（万元）")
    planned_start_date: date | None = None
    planned_production_date: date | None = None
    project_code: str | None = Field(default=None, max_length=64)


class LeadMoveRead(BaseModel):
    from_stage: str
    from_label: str
    to_stage: str
    to_label: str
    moved_on: date
    moved_by: str
    reason: str | None


class ActivityFileRead(BaseModel):
    """An attachment as the lead page lists it (downloaded by id, with the lead's access check)."""

    id: int
    name: str
    size: int
    sha256: str


class LeadActivityRead(BaseModel):
    kind: str
    kind_label: str
    happened_on: date
    staff: str
    counterpart: str
    outcome: str
    created_by: str
    files: list[ActivityFileRead] = []


class ClockRead(BaseModel):
    kind: str
    label: str
    due: date
    met_on: date | None
    days_overdue: int
    escalated_to: str | None


class LeadRead(BaseModel):
    """One lead as listed: what, who, where it stands and whether a clock is late."""

    id: int
    investor: str
    investor_uscc: str | None
    project_name: str
    investment: float | None
    chain: str | None
    reporter_name: str
    unit: str
    reported_on: date
    stage: str
    stage_label: str
    stage_on: date
    owner_name: str | None
    duplicate_of_id: int | None
    project_code: str | None
    signed_on: date | None
    contract_investment: float | None
    overdue: ClockRead | None = None


class LeadPaymentRead(BaseModel):
    """One 到位资金 payment (万元)."""

    paid_on: date
    amount: float
    note: str
    recorded_by: str


class LeadDetail(BaseModel):
    """A lead's page: every field, credit, moves, contacts, clocks and what the viewer may do next."""

    lead: LeadRead
    expected_output: float | None
    expected_tax: float | None
    land_mu: float | None
    building_sqm: float | None
    help_asked: str
    source: str
    end_reason: str | None
    planned_start_date: date | None
    planned_production_date: date | None
    landed_on: date | None
    credited: bool
    """首报: this lead holds the credit of its group of duplicates."""
    credited_lead: LeadRead | None
    """The credited lead when this one is a duplicate (shown to owners and to its reporter)."""
    counted_investment: float | None
    """What this signing adds to its project (the core's rule: a 增资 counts only the increase)."""
    moves: list[LeadMoveRead]
    activities: list[LeadActivityRead]
    clocks: list[ClockRead]
    may_move: bool
    next_stages: list[tuple[str, str]]
    back_stages: list[tuple[str, str]]
    may_sign: bool
    may_land: bool
    may_end: bool
    earlier_projects: list[str]
    """Project codes of earlier signings of the same investor (a 增资 signs into one of them)."""
    payments: list[LeadPaymentRead] = []
    """到位资金 payments dated on or before the page's as-of date, oldest first."""
    paid_in: float = 0.0
    """累计到位资金 (万元) as of the page's date: the sum of ``payments``."""
    may_record_payment: bool = False


class LeadList(BaseModel):
    items: list[LeadRead]
    next_before: int | None
    """The ``before`` of the next page (keyset), None on the last page."""


class BoardColumn(BaseModel):
    stage: str
    label: str
    count: int
    overdue: int
    items: list[LeadRead]


class Board(BaseModel):
    as_of: date
    columns: list[BoardColumn]
