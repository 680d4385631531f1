"""Totals of list queries kept per process until the data changes (共 N 条 without a scan each time).

A list page shows "共 N 条" and page numbers, so every request counts the matching rows; over
100,000 organisations that ``COUNT`` is most of what a list request costs. The totals are kept
here, keyed by what decides them (the list, the user's scope, the filters) and by the head of
the audit chain: every state change writes an audit record in its own transaction (a house
rule), and the chain head's hash changes with each one, so a write anywhere makes every kept
total stale and the next request counts again. Reading the head is a one-row lookup. The head
is read before counting, so a total counted after a concurrent commit is only ever kept under
the older head, which no later request asks for.

The hash, not the sequence number, is the key: a write that rolls back after counting in its
own transaction leaves a head no committed write will ever reproduce. A list can add ``stamps``
of its own tables (``max(id)``, ``max(updated_at)``: index look-ups), read in the same
statement, so rows added or edited without an audit record count too.

Bounds: at most :data:`MAX_ENTRIES` totals per process (the oldest go first), and none older
than :data:`MAX_AGE_SECONDS`, so a change made outside the application without an audit record
and without moving a stamp (a row deleted by hand in the database) shows within that time; a
restore brings its own audit head, so it counts again at once. Each worker process keeps its
own totals. The bound was 30 s: list traffic asks the same questions again over minutes, and
with 30 s every worker counted most of them again each half minute (100,000 firms, the mixed
list traffic of ``bench/load.py`` on SQLite: 373 requests/s with 30 s, 434 with 300 s).

The same keys and marks keep a list's pages of ids (:func:`kept_keys`, five pages a window) and
a list page's drawn rows (``core.listing.kept_rows``); values measured with ``size`` (the drawn
rows) are bounded together by :data:`MAX_TEXT_BYTES`.

The marks are read once per transaction and kept on the session until its transaction ends (a
flush ends one too): a list page asks for its total and its filters' choices, three reads of
the same head. The statement is compiled once per database and list and sent as plain SQL
(327 µs of CPU per read through the ORM on PostgreSQL, 136 µs this way).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import Any, TypeVar, cast

from sqlalchemy import (
    ARRAY,
    ColumnElement,
    Integer,
    ScalarSelect,
    Select,
    any_,
    bindparam,
    event,
    inspect,
    select,
)
from sqlalchemy.engine import Connection
from sqlalchemy.orm import QueryableAttribute, Session

from longcheng.core.audit import AuditHead
from longcheng.core.paging import Page, clamp

MAX_ENTRIES = 4096
MAX_AGE_SECONDS = 300.0
MAX_TEXT_BYTES = 32 * 1024 * 1024  # kept texts (drawn rows) together, per process
MAX_TEXT_SHARE = 16  # one text larger than 1/16 of that is not kept

_lock = threading.Lock()
_totals: OrderedDict[Hashable, tuple[float, Any, int]] = OrderedDict()
_text_bytes = 0  # the sizes of the kept texts (``kept(..., size=...)``) together
_sql: dict[tuple[str, tuple[ScalarSelect[Any], ...]], str] = {}
MEMO = "longcheng.totals.marks"  # this transaction's marks in ``Session.info``
T = TypeVar("T")


def marks(session: Session, stamps: Sequence[ScalarSelect[Any]] = ()) -> tuple[Any, ...]:
    """The audit chain head's hash (None before the first record) and each stamp's value, read
    once per transaction. Pass ``stamps`` as a module constant: its SQL is kept by identity."""
    key = tuple(stamps)
    memo: dict[tuple[ScalarSelect[Any], ...], tuple[Any, ...]] = session.info.setdefault(MEMO, {})
    found = memo.get(key)
    if found is None:
        conn = session.connection()
        found = memo[key] = tuple(conn.exec_driver_sql(_marks_sql(conn, key)).one())
    return found


def _marks_sql(conn: Connection, stamps: tuple[ScalarSelect[Any], ...]) -> str:
    sql = _sql.get((conn.dialect.name, stamps))
    if sql is None:
        head = select(AuditHead.hash).where(AuditHead.id == 1).scalar_subquery()
        stmt = select(head, *stamps).compile(conn, compile_kwargs={"literal_binds": True})
        if len(_sql) > MAX_ENTRIES:  # stamps built per call, against the advice above
            _sql.clear()
        sql = _sql[(conn.dialect.name, stamps)] = str(stmt)
    return sql


@event.listens_for(Session, "after_transaction_end")
def _forget_marks(session: Session, _transaction: Any) -> None:
    """A flush (a subtransaction) may move the head; a new transaction may see others' commits."""
    session.info.pop(MEMO, None)


def total(
    session: Session,
    key: Hashable,
    count: Callable[[], Select[int]],
    *,
    stamps: Sequence[ScalarSelect[Any]] = (),
) -> int:
    """The result of the statement ``count()`` builds, counted again only when the audit head
    or a stamp moved, or the kept total is too old."""
    return kept(session, key, lambda: session.scalar(count()) or 0, stamps=stamps)


def kept(
    session: Session,
    key: Hashable,
    compute: Callable[[], T],
    *,
    stamps: Sequence[ScalarSelect[Any]] = (),
    size: Callable[[T], int] | None = None,
) -> T:
    """Any small value read from the database (a filter's choices), kept like a total. The value
    is shared by every request of the process: give it immutable (a tuple, not a list).

    ``size`` measures a value that may be large (the drawn rows of a page: 200 rows are some
    100 kB): such values together are kept to :data:`MAX_TEXT_BYTES`, the oldest going first,
    and one over its share is computed each time instead."""
    full_key = (key, marks(session, stamps))
    now = time.monotonic()
    with _lock:
        found = _totals.get(full_key)
    if found is not None and now - found[0] < MAX_AGE_SECONDS:
        return cast(T, found[1])
    value = compute()
    weight = size(value) if size is not None else 0
    if weight > MAX_TEXT_BYTES // MAX_TEXT_SHARE:
        return value
    with _lock:
        _keep(full_key, (now, value, weight))
    return value


def _keep(key: Hashable, entry: tuple[float, Any, int]) -> None:
    """Store under the lock; the oldest entries go while there are too many or too large."""
    global _text_bytes
    old = _totals.pop(key, None)
    _text_bytes += entry[2] - (old[2] if old is not None else 0)
    _totals[key] = entry
    while len(_totals) > MAX_ENTRIES or _text_bytes > MAX_TEXT_BYTES:
        _text_bytes -= _totals.popitem(last=False)[1][2]


def kept_text_bytes() -> int:
    """How many bytes of measured values (``kept(..., size=...)``) this process keeps."""
    return _text_bytes


WINDOW_PAGES = 5  # pages whose ids one kept window holds
MAX_WINDOW = 200  # ids at most in one window (a 200-row page keeps just its own)


def kept_keys(
    session: Session,
    ordered: Callable[[int], Select[Any]],
    *,
    key: Hashable,
    page: int,
    page_size: int,
    total: int,
    stamps: Sequence[ScalarSelect[Any]] = (),
) -> Page[Any]:
    """The ids of one page of a sorted list (as the page's items), kept like a total (:func:`kept`).

    ``ordered(needed)`` builds the sorted statement of the whole list (``needed``: the rows up to
    the window's end, for a plan that depends on it). A window of :data:`WINDOW_PAGES` pages'
    ids is read in its order, once per audit head and stamps (``key`` must hold everything that
    decides the rows: scope, filters and sort). Paging through a search that matches thousands
    of rows no longer fetches and sorts them all for each page: the database answers the window
    once and then looks up twenty rows by their keys (the same idea as a search engine's
    query-result cache). A row gone since the window was read (deleted outside the application)
    is left out of its page by :func:`in_order`.
    """
    page, page_size = clamp(page, page_size)
    offset = (page - 1) * page_size
    if offset >= total:
        return Page([], total, page, page_size)
    start, window = _window_of(page, page_size)

    def read_ids() -> tuple[Any, ...]:
        stmt = ordered(start + window)
        ids = stmt.with_only_columns(_primary_key(stmt)).limit(window).offset(start)
        return tuple(session.scalars(ids))

    ids = kept(session, (key, window, start), read_ids, stamps=stamps)
    return Page(list(ids[offset - start : offset - start + page_size]), total, page, page_size)


def in_order(ids: Sequence[Any], rows: Iterable[T]) -> list[T]:
    """``rows`` (ORM objects) in the order of their ids in ``ids``; an id without a row is skipped."""
    found = {_ident(row): row for row in rows}
    return [found[i] for i in ids if i in found]


def among_ids(dialect: str, column: QueryableAttribute[int]) -> ColumnElement[bool]:
    """``column`` is one of the values of the parameter ``ids`` (a list), for a statement built
    once and executed for each page of ids :func:`kept_keys` gives: SQLAlchemy computes a
    statement's cache key once per statement object, and for a new one walks it whole.
    PostgreSQL gets one array parameter (``= ANY``), so the text is the same for any number of
    ids and the driver prepares it once: twenty keys were looked up in 450 µs against 700 µs
    for ``IN (…)`` with a parameter each (100,000 firms, 2026-12-07). SQLite gets ``IN``."""
    if dialect == "postgresql":
        return column == any_(bindparam("ids", type_=ARRAY(Integer)))
    return column.in_(bindparam("ids", expanding=True))


def _window_of(page: int, page_size: int) -> tuple[int, int]:
    """The offset and length of the kept window that holds ``page`` (after :func:`clamp`)."""
    window = max(page_size, min(page_size * WINDOW_PAGES, MAX_WINDOW) // page_size * page_size)
    return (page - 1) * page_size // window * window, window


def _primary_key(stmt: Select[Any]) -> Any:
    entity = stmt.column_descriptions[0]["entity"]
    columns = inspect(entity).primary_key
    if len(columns) != 1:
        raise TypeError("kept_keys needs an entity with a one-column primary key")
    return columns[0]


def _ident(row: Any) -> Any:
    return inspect(row).identity[0]


def clear() -> None:
    """Forget every kept total (tests; after a restore in the same process)."""
    global _text_bytes
    with _lock:
        _totals.clear()
        _text_bytes = 0
