"""What the 低效用地 services hand to the edges (pages, the JSON API, the to-do list)."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field


class Escalated(BaseModel):
    """Where a measure or a plan stands as of a date (the projects' 督办 rule)."""

    days_overdue: int = 0
    level: str | None = None
    """owner_unit / leader / director (None when not overdue)."""
    level_label: str | None = None
    escalated_to: str | None = None


class MeasureRead(Escalated):
    """One measure of a case (处置措施)."""

    id: int
    case_id: int
    kind: str
    kind_label: str
    description: str
    owner_unit: str
    raised_on: date
    deadline: date
    status: str
    status_label: str
    resolution: str | None = None
    done_on: date | None = None
    can_update: bool = False


class CaseRead(Escalated):
    """One case of the register with its figures (亩, 万元, 万元/亩) and, on its page, its measures."""

    id: int
    year: int
    run_id: int
    uscc: str
    name: str | None
    group: str | None
    class_: str | None = Field(default=None, serialization_alias="class")
    reasons: list[str]
    reason_labels: list[str]
    parcels: list[str]
    land_mu: float
    tax: float
    tax_per_mu: float | None
    benchmark: float | None
    share_of_benchmark: float | None
    potential: float
    status: str
    status_label: str
    measure_count: int
    measures: list[MeasureRead] = Field(default_factory=list)


class RegisterRead(BaseModel):
    """A year's register as one account may see it: counts, the total potential, one page of cases."""

    year: int
    as_of: date
    run_id: int | None
    cases: int = Field(description="案例数（筛选前）")
    total_potential: float = Field(description="挖潜空间合计（万元，筛选前）")
    land_mu: float = Field(description="低效用地面积合计（亩）")
    overdue: int
    by_reason: dict[str, int]
    by_status: dict[str, int]
    items: list[CaseRead]
    total: int = Field(description="筛选后的案例数")
    page: int
    pages: int
    can_edit: bool


class PlanRead(Escalated):
    """一企一方案 with its outcome (the next year's class and 亩均税收)."""

    id: int
    year: int
    run_id: int
    uscc: str
    name: str | None
    class_: str | None = Field(default=None, serialization_alias="class")
    tax_per_mu: float | None
    problem: str
    measures: str
    owner_unit: str
    raised_on: date
    deadline: date
    status: str
    status_label: str
    resolution: str | None = None
    done_on: date | None = None
    next_class: str | None = None
    next_tax_per_mu: float | None = None
    outcome: str
    outcome_label: str
    can_update: bool = False


class PlanList(BaseModel):
    """A year's plans as one account may see them."""

    year: int
    as_of: date
    items: list[PlanRead]
    total: int
    overdue: int
    by_outcome: dict[str, int]
    can_edit: bool


class RegisterBuilt(BaseModel):
    """What building a register did."""

    year: int
    run_id: int
    cases: int
    added: int
    plans_added: int
    total_potential: float
