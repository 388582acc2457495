"""Goals, actuals and progress as the edges see them."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from zonehero.errors import InputError, InputProblem

KEY_PATTERN = r"^[a-z][a-z0-9_]{0,63}$"


class GoalWrite(BaseModel):
    """A goal as entered: 指标代码, 名称, 目标值, 单位, 方向 (越高越好/越低越好), 类型 (累计量/水平值)."""

    key: str = Field(pattern=KEY_PATTERN, description="指标代码，如 total_tax（与公式同名时可自动计算实际值）")
    label: str = Field(min_length=1, max_length=100, description="指标名称")
    value: float = Field(allow_inf_nan=False, description="年度目标值")
    unit: str = Field(min_length=1, max_length=20, description="单位，如 万元、%")
    direction: Literal["higher", "lower"] = "higher"
    kind: Literal["cumulative", "level"] = "cumulative"
    note: str | None = Field(default=None, max_length=500)

    @field_validator("label", "unit")
    @classmethod
    def _strip(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("不能为空")
        return value


class ActualRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    goal_id: int
    month: int
    value: float
    source: str
    note: str | None
    entered_by: int | None
    entered_at: datetime


class GoalRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    year: int
    key: str
    label: str
    value: float
    unit: str
    direction: str
    kind: str
    note: str | None
    actuals: list[ActualRead]


class ProgressRead(BaseModel):
    """One goal judged at one period (see :mod:`zonehero.core.targets.progress` for the pro-rating rule)."""

    goal: GoalRead
    month: int
    period_label: str
    expected: float
    actual: float | None
    actual_source: str | None
    shortfall: float | None
    attainment: float | None
    status: str
    status_label: str
    computable: bool
    """A formula exists for the goal's key (the actual can be computed from stored figures)."""


class TargetsRead(BaseModel):
    """A year's goals with their progress, and the ones off course (worst first)."""

    year: int
    month: int | None
    """The period every goal was judged at; None: each at its latest reported month."""
    items: list[ProgressRead]
    off_course: list[ProgressRead]


class ComputedRead(BaseModel):
    """Actuals written from the stored figures, and the formulas that could not be computed."""

    year: int
    month: int
    written: list[ActualRead]
    skipped: dict[str, str]
    """goal key → why it was not computed."""


GOAL_FIELD_LABELS = {
    "key": "指标代码（小写字母开头，可含数字和下划线）",
    "label": "指标名称",
    "value": "目标值",
    "unit": "单位",
    "direction": "方向",
    "kind": "类型",
    "note": "备注",
}


def parse_goal(data: dict[str, Any]) -> GoalWrite:
    """A GoalWrite from form or JSON fields; InputError naming each bad field in Chinese."""
    try:
        return GoalWrite.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            field = str(err["loc"][0]) if err["loc"] else "goal"
            problems.append(InputProblem(f"「{GOAL_FIELD_LABELS.get(field, field)}」填写有误", column=field))
        raise InputError(problems) from None
