"""Paging of list queries, shared by every list page and API."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

T = TypeVar("T")
MAX_PAGE_SIZE = 200


class PageNumbers:
    """Page arithmetic for anything with ``total``, ``page`` and ``page_size`` (the pager uses it)."""

    total: int
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    def numbers(self, around: int = 2) -> list[int | None]:
        """Page numbers to offer: the first, the last and ``around`` either side of the current
        one; ``None`` marks a gap (shown as "…"). 150 pages at page 40 → 1 … 38–42 … 150."""
        wanted = {1, self.pages, *range(self.page - around, self.page + around + 1)}
        shown = sorted(n for n in wanted if 1 <= n <= self.pages)
        out: list[int | None] = []
        for n in shown:
            if out and n - (out[-1] or 0) > 1:
                out.append(None)
            out.append(n)
        return out


@dataclass(frozen=True)
class Page(PageNumbers, Generic[T]):
    items: list[T]
    total: int
    page: int
    page_size: int


def clamp(page: int, page_size: int) -> tuple[int, int]:
    return max(1, page), min(max(1, page_size), MAX_PAGE_SIZE)


def paginate(
    session: Session,
    stmt: Select[T],
    *,
    page: int,
    page_size: int,
    count: Select[int] | None = None,
    total: int | None = None,
) -> Page[T]:
    """Run ``stmt`` for one page and count the whole result.

    Pass ``count`` (a plain ``SELECT count(...) WHERE …`` over the same conditions) where the
    generic subquery count would make the database materialise and sort every row first, or
    ``total`` when the caller knows it already (:mod:`longcheng.core.totals`). A page past the
    last is empty without asking: finding that out costs the database the most (it reads the
    sort index to the end, 25 ms for a rare tag in one district on SQLite).
    """
    page, page_size = clamp(page, page_size)
    if total is None:
        generic = select(func.count()).select_from(stmt.order_by(None).subquery())
        total = session.scalar(count if count is not None else generic) or 0
    offset = (page - 1) * page_size
    items = list(session.scalars(stmt.limit(page_size).offset(offset))) if offset < total else []
    return Page(items, total, page, page_size)
