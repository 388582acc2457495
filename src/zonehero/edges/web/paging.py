"""Server-side paging shared by pages and the API: ``?page=&size=`` in, :class:`Page` out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Query

MAX_PAGE_SIZE = 200
DEFAULT_PAGE_SIZE = 50
MAX_ID = 2**31 - 1
"""The largest record id a path or query may name (the databases' INTEGER); a larger one is 422, not a 500."""
MAX_PAGE_NUMBER = 1_000_000
"""Far beyond any zone (200 million rows at the largest size); a larger number is refused with 422, never an
OFFSET the database cannot take (``?page=2**63`` answered 500)."""


@dataclass(frozen=True)
class PageParams:
    """The page asked for: 1-based ``number`` and ``size`` (bounded so one request cannot ask for everything)."""

    number: int = 1
    size: int = DEFAULT_PAGE_SIZE
    after: str | None = None
    """A keyset cursor (the previous page's ``next_cursor``) for lists that seek instead of skipping."""

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size

    def of(self, total: int, next_cursor: str | None = None) -> Page:
        """The page description once the total (and, for a keyset list, the next page's cursor) is known."""
        return Page(number=self.number, size=self.size, total=total, next_cursor=next_cursor)


@dataclass(frozen=True)
class Page:
    """Where a page sits in a result of ``total`` rows (for the pagination partial)."""

    number: int
    size: int
    total: int
    next_cursor: str | None = None
    """下一页 seeks from here instead of skipping ``number * size`` rows (keyset lists only)."""

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages

    def window(self, radius: int = 2) -> list[int | None]:
        """Page numbers to show: first, last and ``radius`` around the current one; None marks a gap."""
        wanted = {1, self.pages, *range(self.number - radius, self.number + radius + 1)}
        numbers = sorted(n for n in wanted if 1 <= n <= self.pages)
        shown: list[int | None] = []
        for n in numbers:
            if shown and isinstance(shown[-1], int) and n - shown[-1] > 1:
                shown.append(None)
            shown.append(n)
        return shown


def page_params(
    page: Annotated[int, Query(ge=1, le=MAX_PAGE_NUMBER, description="页码（从 1 开始）")] = 1,
    size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description="每页条数")] = DEFAULT_PAGE_SIZE,
    after: Annotated[
        str | None, Query(max_length=512, pattern=r"^[A-Za-z0-9_\-]+$", description="翻页游标（上一页的 next_cursor）")
    ] = None,
) -> PageParams:
    """Dependency reading ``page``, ``size`` and the keyset cursor ``after`` from the query string."""
    return PageParams(number=page, size=size, after=after)


PageDep = Annotated[PageParams, Depends(page_params)]
