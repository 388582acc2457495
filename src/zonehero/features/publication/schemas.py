"""What the publication workflow tells the edges."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel


class FinalizeGate(BaseModel):
    """Whether a run in 公示 may be made final (定稿) on a day, and if not, from when and what still blocks it."""

    run_id: int
    opens_on: date
    """The first day the run may be finalised: the day after its notice period ends."""
    period_over: bool
    open_objections: int

    @property
    def ready(self) -> bool:
        return self.period_over and self.open_objections == 0

    @property
    def reason(self) -> str | None:
        """Why 定稿 is refused today, in the words the page and the refusal both use (None when ready)."""
        parts = []
        if not self.period_over:
            parts.append(f"公示期满后（{self.opens_on.isoformat()} 起）才能定稿")
        if self.open_objections:
            parts.append(f"还有 {self.open_objections} 件异议未处理，答复后才能定稿")
        return "；".join(parts) or None
