"""The public change feed: every public change in commit order, read by a stable cursor.

Writers create (once) and update the one ``exchange_feed_head`` row before inserting, so feed events commit in
the order their ids were taken and a reader past cursor *n* never misses an id below it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from longcheng.exchange.listings.models import FeedEvent, FeedHead, Listing

PAGE_MAX = 500


def emit(session: Session, listing: Listing, kind: str, data: dict[str, Any] | None = None) -> FeedEvent:
    """Append one public change of ``listing`` (``listed``, ``status``, ``result`` …)."""
    maker = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(maker(FeedHead).values(id=1, last_id=0).on_conflict_do_nothing())
    session.execute(update(FeedHead).where(FeedHead.id == 1).values(last_id=FeedHead.last_id))
    event = FeedEvent(
        listing_code=listing.code,
        kind=kind,
        data={
            "status": listing.status,
            "title": listing.title,
            "asset_class": listing.asset_class,
            **(data or {}),
        },
    )
    session.add(event)
    session.flush()
    session.execute(update(FeedHead).where(FeedHead.id == 1).values(last_id=event.id))
    return event


def emit_many(session: Session, changes: list[tuple[Listing, str, dict[str, Any]]]) -> int:
    """Append several public changes under one lock of the feed head (the closer's batch)."""
    if not changes:
        return 0
    maker = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(maker(FeedHead).values(id=1, last_id=0).on_conflict_do_nothing())
    session.execute(update(FeedHead).where(FeedHead.id == 1).values(last_id=FeedHead.last_id))
    events = [
        FeedEvent(
            listing_code=listing.code,
            kind=kind,
            data={
                "status": listing.status,
                "title": listing.title,
                "asset_class": listing.asset_class,
                **data,
            },
        )
        for listing, kind, data in changes
    ]
    session.add_all(events)
    session.flush()
    last = max(e.id for e in events)
    session.execute(update(FeedHead).where(FeedHead.id == 1).values(last_id=last))
    return len(events)


def read(session: Session, *, cursor: int, limit: int = 100) -> tuple[list[FeedEvent], int]:
    """Events after ``cursor`` in order, and the cursor to ask with next time."""
    limit = max(1, min(limit, PAGE_MAX))
    rows = list(
        session.scalars(select(FeedEvent).where(FeedEvent.id > cursor).order_by(FeedEvent.id).limit(limit))
    )
    return rows, rows[-1].id if rows else cursor
