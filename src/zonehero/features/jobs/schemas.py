"""Jobs as the edges see them: state, progress with an estimate of the time left, and what may be done next."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

STATUS_LABELS: dict[str, str] = {
    "queued": "排队中",
    "running": "运行中",
    "done": "已完成",
    "failed": "失败",
    "cancelled": "已取消",
}

FINISHED = frozenset({"done", "failed", "cancelled"})


class JobRead(BaseModel):
    """One job. ``eta_seconds`` is None until progress allows an estimate."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: str
    kind_label: str = ""
    parameters: dict[str, Any] | None = None
    status: str
    done: int
    total: int
    stage: str
    cancel_requested: bool
    attempts: int
    error: str | None = None
    result_name: str | None = None
    result_summary: dict[str, Any] | None = None
    submitted_by: int | None = None
    submitted_at: datetime
    started_at: datetime | None = None
    progress_at: datetime | None = None
    finished_at: datetime | None = None
    eta_seconds: float | None = None
    can_cancel: bool = False
    can_retry: bool = False
    has_result: bool = False

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def finished(self) -> bool:
        return self.status in FINISHED

    @property
    def percent(self) -> int:
        """0–100 for the progress bar; a finished job shows full, a job without a total none."""
        if self.status == "done":
            return 100
        if self.total <= 0:
            return 0
        return max(0, min(100, round(100 * self.done / self.total)))


class JobList(BaseModel):
    items: list[JobRead]
    total: int
