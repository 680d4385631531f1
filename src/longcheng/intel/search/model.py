"""Plain types of the search service: what is indexed, what is asked, what comes back.

Nothing here knows the engine. :class:`SearchIndex` is the one interface every backend
implements (tantivy now; PostgreSQL or OpenSearch later), so callers never see engine types.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import ClassVar, Literal

from longcheng.core.errors import ValidationFailed

DocKind = Literal["document", "fact"]
MAX_LIMIT = 100
MAX_OFFSET = 10_000
MAX_QUERY_CHARS = 200


class InvalidSearch(ValidationFailed):
    """A query the service refuses (bad range, too long, bad page)."""

    code: ClassVar[str] = "intel.search_invalid"
    message: ClassVar[str] = "搜索条件有误，请检查后重试。"


@dataclass(frozen=True, slots=True)
class IndexDoc:
    """One searchable item: a document (``doc:<sha256>``) or a fact (``fact:<id>``)."""

    id: str
    kind: DocKind
    title: str
    text: str
    published: date | None = None
    place: str | None = None
    fact_kind: str | None = None
    amount_fen: int | None = None


@dataclass(frozen=True, slots=True)
class SearchQuery:
    """What the user asked.

    ``text``: words are ANDed (Chinese runs are segmented into words first); a part in double
    quotes ("…" or “…”) must appear exactly as written. Empty text lists by date, newest first.
    Filters are inclusive; amounts are in fen.
    """

    text: str = ""
    date_from: date | None = None
    date_to: date | None = None
    place: str | None = None
    kind: DocKind | None = None
    fact_kind: str | None = None
    amount_min_fen: int | None = None
    amount_max_fen: int | None = None
    limit: int = 10
    offset: int = 0

    def __post_init__(self) -> None:
        problems = _problems(self)
        if problems:
            raise InvalidSearch("；".join(problems) + "。", details={"problems": problems})


def _problems(query: SearchQuery) -> list[str]:
    problems: list[str] = []
    if len(query.text) > MAX_QUERY_CHARS:
        problems.append(f"搜索词不能超过 {MAX_QUERY_CHARS} 个字")
    if not 1 <= query.limit <= MAX_LIMIT:
        problems.append(f"每页条数应在 1 到 {MAX_LIMIT} 之间")
    if not 0 <= query.offset <= MAX_OFFSET:
        problems.append(f"翻页位置应在 0 到 {MAX_OFFSET} 之间")
    if query.date_from and query.date_to and query.date_from > query.date_to:
        problems.append("开始日期不能晚于结束日期")
    low, high = query.amount_min_fen, query.amount_max_fen
    if low is not None and high is not None and low > high:
        problems.append("金额下限不能大于上限")
    return problems


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One result. ``snippet_html`` and ``title_html`` are HTML-escaped with ``<mark>`` around matches."""

    id: str
    kind: DocKind
    score: float
    title: str
    snippet_html: str
    title_html: str = ""
    published: date | None = None
    place: str | None = None
    fact_kind: str | None = None
    amount_fen: int | None = None


@dataclass(frozen=True, slots=True)
class SearchPage:
    """One page of hits. ``total`` counts every match; it is an upper estimate
    (``total_is_estimate``) when a quoted phrase is so common that only its parts were counted
    (the hits shown are always checked to contain it)."""

    total: int
    hits: tuple[SearchHit, ...] = field(default_factory=tuple)
    total_is_estimate: bool = False


class SearchIndex(ABC):
    """A full-text index of documents and facts.

    ``add`` replaces any item with the same id; changes become visible to ``search`` after
    ``commit``. Implementations are not safe for concurrent writers.
    """

    @abstractmethod
    def add(self, docs: Iterable[IndexDoc]) -> int:
        """Queue ``docs`` for indexing; returns how many were queued."""

    @abstractmethod
    def delete(self, doc_ids: Iterable[str]) -> None:
        """Queue the removal of these ids (unknown ids are ignored)."""

    @abstractmethod
    def commit(self) -> None:
        """Make queued changes durable and searchable."""

    @abstractmethod
    def search(self, query: SearchQuery) -> SearchPage:
        """One page of results, best first (newest first when the text is empty)."""

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release resources (writer locks, threads)."""
