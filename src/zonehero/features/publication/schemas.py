"""What the publication workflow tells the edges."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from pydantic import BaseModel


class PeriodGate(BaseModel):
    """The one gate after a notice period (公示), whatever was published: a run's results or a year's land areas.

    It opens the day after the period ends, and only when no objection is open; the page and the refusal both
    say why not in the same words, naming what the gate allows (:attr:`allows`).
    """

    allows: ClassVar[str] = "定稿"
    opens_on: date
    """The first day the gate may open: the day after its notice period ends."""
    period_over: bool
    open_objections: int

    @property
    def ready(self) -> bool:
        return self.period_over and self.open_objections == 0

    @property
    def reason(self) -> str | None:
        """Why the gate is shut today, in the words the page and the refusal both use (None when ready)."""
        parts = []
        if not self.period_over:
            parts.append(f"公示期满后（{self.opens_on.isoformat()} 起）才能{self.allows}")
        if self.open_objections:
            parts.append(f"还有 {self.open_objections} 件异议未处理，答复后才能{self.allows}")
        return "；".join(parts) or None


class FinalizeGate(PeriodGate):
    """Whether a run in 公示 may be made final (定稿) on a day, and if not, from when and what still blocks it."""

    run_id: int


class LandNoticeGate(PeriodGate):
    """Whether a land notice (用地面积公示) may be closed (结束公示) on a day: the same gate as 定稿."""

    allows: ClassVar[str] = "结束公示"
    notice_id: int


class PublishGate(BaseModel):
    """Whether a draft may be published for 公示 now, and if not, what blocks it and what to do first.

    A year has one run in 公示 at a time: a draft waits until that run is final, unless it is the corrected
    run of an accepted objection on it, which replaces it once every other objection on it is answered.
    """

    run_id: int
    year: int
    current_run_id: int | None = None
    """The run of the same year now in 公示, if any."""
    is_correction: bool = False
    """The draft was made from an accepted objection on ``current_run_id`` (it would replace it)."""
    open_objections: int = 0
    """Objections on ``current_run_id`` still waiting for an answer."""

    @property
    def ready(self) -> bool:
        if self.current_run_id is None:
            return True
        return self.is_correction and self.open_objections == 0

    @property
    def reason(self) -> str | None:
        """Why 发布公示 is refused now and what to do instead, as the page and the refusal both say it."""
        if self.ready or self.current_run_id is None:
            return None
        current = self.current_run_id
        if self.is_correction:
            return (
                f"原公示批次 #{current} 还有 {self.open_objections} 件异议未处理：请先在批次 #{current} 答复这些异议，"
                "再发布本更正草稿"
            )
        return (
            f"{self.year} 年度已有公示中的评价批次 #{current}，同一年度只能有一个批次公示：请等批次 #{current} "
            f"公示期满并定稿后再发布本草稿；如需更正公示结果，请在批次 #{current} 采纳异议，生成更正草稿后发布"
        )
