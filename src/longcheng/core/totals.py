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
(a restore, a manual fix in the database) shows within that time.

Totals are also shared between worker processes through ``core_kept_total``: one row per list
question (the SHA-256 of its key) with the marks it was counted under, read in the same
statement as the marks, so a worker that has not counted a question yet takes another worker's
count without a round trip of its own. Each worker counted every question once before (on
PostgreSQL a search count is 10–20 ms of the database's CPU). A worker writes its count on a
connection of its own and gives up at once when the database is busy (SQLite's one writer):
sharing is a saving, never a wait. Values of :func:`kept` (a filter's choices) stay per process.
"""

from __future__ import annotations

import hashlib
import itertools
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from datetime import datetime, timedelta
from typing import Any, TypeVar, cast

from sqlalchemy import BigInteger, ScalarSelect, Select, String, delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Mapped, Session, mapped_column

from longcheng.core.audit import AuditHead
from longcheng.core.clock import utcnow
from longcheng.core.db import Base, UTCDateTime

MAX_ENTRIES = 4096
MAX_AGE_SECONDS = 30.0
PRUNE_EVERY = 256  # shared writes between two removals of rows a day old
PRUNE_AFTER = timedelta(days=1)

log = logging.getLogger(__name__)
_writes = itertools.count(1)


class KeptTotal(Base):
    """A list total shared by the worker processes (see the module's doc)."""

    __tablename__ = "core_kept_total"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)  # SHA-256 of the list question
    marks: Mapped[str] = mapped_column(String(64))  # SHA-256 of the marks it was counted under
    total: Mapped[int] = mapped_column(BigInteger)
    counted_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


_lock = threading.Lock()
_totals: OrderedDict[Hashable, tuple[float, Any]] = OrderedDict()
T = TypeVar("T")


def marks(session: Session, stamps: Sequence[ScalarSelect[Any]] = ()) -> tuple[Any, ...]:
    """The audit chain head's hash (None before the first record) and each stamp's value."""
    head = select(AuditHead.hash).where(AuditHead.id == 1).scalar_subquery()
    return tuple(session.execute(select(head, *stamps)).one())


def total(
    session: Session,
    key: Hashable,
    count: Callable[[], Select[int]],
    *,
    stamps: Sequence[ScalarSelect[Any]] = (),
) -> int:
    """The result of the statement ``count()`` builds, counted again only when the audit head
    or a stamp moved, or the kept total is too old; another worker's count of the same question
    under the same marks is taken as it is."""
    digest = _digest(key)
    shared = select(KeptTotal.marks, KeptTotal.total).where(
        KeptTotal.key == digest, KeptTotal.counted_at >= utcnow() - timedelta(seconds=MAX_AGE_SECONDS)
    )
    head = select(AuditHead.hash).where(AuditHead.id == 1).scalar_subquery()
    row = session.execute(
        select(
            head,
            *stamps,
            shared.with_only_columns(KeptTotal.marks).scalar_subquery(),
            shared.with_only_columns(KeptTotal.total).scalar_subquery(),
        )
    ).one()
    current, their_marks, their_total = tuple(row[:-2]), row[-2], row[-1]
    full_key, now = (key, current), time.monotonic()
    with _lock:
        found = _totals.get(full_key)
    if found is not None and now - found[0] < MAX_AGE_SECONDS:
        return cast(int, found[1])
    ours = _digest(current)
    if their_marks == ours and their_total is not None:
        value = int(their_total)
    else:
        value = session.scalar(count()) or 0
        _share(session, digest, ours, value)
    _keep(full_key, now, value)
    return value


def _digest(value: object) -> str:
    return hashlib.sha256(repr(value).encode()).hexdigest()


def _keep(full_key: Hashable, now: float, value: Any) -> None:
    with _lock:
        _totals[full_key] = (now, value)
        _totals.move_to_end(full_key)
        while len(_totals) > MAX_ENTRIES:
            _totals.popitem(last=False)


def _share(session: Session, key: str, marks: str, value: int) -> None:
    """Write a count for the other workers on a connection of its own, or give up at once."""
    engine = session.get_bind().engine
    name = engine.dialect.name
    if name not in ("sqlite", "postgresql") or engine.url.database in (None, "", ":memory:"):
        return
    dialect_insert = sqlite.insert if name == "sqlite" else postgresql.insert
    row = {"key": key, "marks": marks, "total": value, "counted_at": utcnow()}
    stmt = dialect_insert(KeptTotal).values(row)
    stmt = stmt.on_conflict_do_update(
        index_elements=[KeptTotal.key], set_={k: v for k, v in row.items() if k != "key"}
    )
    try:
        with engine.connect() as conn:
            busy = conn.exec_driver_sql("PRAGMA busy_timeout").scalar() if name == "sqlite" else None
            if busy is not None:
                conn.exec_driver_sql("PRAGMA busy_timeout = 0")  # SQLite's one writer is busy: skip
            try:
                conn.execute(stmt)
                if next(_writes) % PRUNE_EVERY == 0:
                    conn.execute(delete(KeptTotal).where(KeptTotal.counted_at < utcnow() - PRUNE_AFTER))
                conn.commit()
            finally:
                if busy is not None:
                    conn.rollback()
                    conn.exec_driver_sql(f"PRAGMA busy_timeout = {int(busy)}")
    except SQLAlchemyError as exc:  # busy, read-only, gone: this worker keeps its own count
        log.debug("list total not shared: %s", exc)


def kept(
    session: Session,
    key: Hashable,
    compute: Callable[[], T],
    *,
    stamps: Sequence[ScalarSelect[Any]] = (),
) -> T:
    """Any small value read from the database (a filter's choices), kept like a total. The value
    is shared by every request of the process: give it immutable (a tuple, not a list)."""
    full_key = (key, marks(session, stamps))
    now = time.monotonic()
    with _lock:
        found = _totals.get(full_key)
    if found is not None and now - found[0] < MAX_AGE_SECONDS:
        return cast(T, found[1])
    value = compute()
    _keep(full_key, now, value)
    return value


def clear() -> None:
    """Forget every kept total (tests; after a restore in the same process)."""
    with _lock:
        _totals.clear()
