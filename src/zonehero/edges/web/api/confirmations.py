"""``GET /api/confirmations/{year}``: the year's 企业确认 board as JSON for staff (counts, rate, open disputes, a
keyset page of enterprises with their state)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, Field

from zonehero.edges.web.api.schemas import ErrorBody
from zonehero.edges.web.deps import SessionDep, StaffUser
from zonehero.features.confirmation import service as confirmation
from zonehero.features.confirmation.schemas import BoardRow, OpenDispute, RoundRead, StateCounts

router = APIRouter(prefix="/api/confirmations", tags=["confirmations"])

ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorBody},
    403: {"model": ErrorBody},
    422: {"model": ErrorBody},
}


class ConfirmationYear(BaseModel):
    """The board of a year: every enterprise with figures is in exactly one state."""

    year: int
    round: RoundRead | None = Field(description="确认轮次（截止日期）；未开启时为 null")
    counts: StateCounts
    rate: float = Field(description="确认率：已确认、默认确认与异议已处理之和占企业总数的比例")
    open_disputes: list[OpenDispute] = Field(description="待处理的确认异议（最早的在前，至多 50 条）")
    items: list[BoardRow]
    next_cursor: str | None = Field(description="下一页的 after 参数（没有下一页时为 null）")


@router.get("/{year}", response_model=ConfirmationYear, responses=ERRORS)
def confirmation_year(
    session: SessionDep,
    actor: StaffUser,
    year: Annotated[int, Path(ge=2000, le=2100, description="年度")],
    state: Annotated[str, Query(pattern=r"^(confirmed|deemed|disputed|resolved|pending)?$")] = "",
    after: Annotated[str | None, Query(pattern=r"^[0-9A-Z]{18}$", description="上一页的 next_cursor")] = None,
    size: Annotated[int, Query(ge=1, le=200, description="每页条数")] = 50,
) -> ConfirmationYear:
    """The year's confirmation rate and counts (confirmed, deemed after the deadline, disputed and open, resolved,
    not yet), the open disputes, and a page of enterprises by USCC, all or in one ``state`` (staff only)."""
    board = confirmation.board(session, actor, year, state=state or None, after=after, limit=size)
    return ConfirmationYear(
        year=year,
        round=board.round,
        counts=board.counts,
        rate=board.counts.rate,
        open_disputes=board.open_disputes,
        items=board.rows,
        next_cursor=board.next_cursor,
    )
