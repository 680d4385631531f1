"""The dashboard's rollup: closed lots summed per institution, asset class and month (Beijing time).

The dashboard reads this small table (institutions × classes × months rows), not the trades. The
``exchange.rollup_refresh`` job rebuilds it from the trades in one grouped query every
``STALE_AFTER`` (``platform/data/schedules.yaml``), so a lot closed a moment ago reaches the
dashboard within that time; a request never rebuilds it (at a million trades the rebuild takes
seconds), except the very first time, when there is nothing to show.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import case, delete, func, insert, literal, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from longcheng.core.clock import utcnow
from longcheng.exchange.bidding.models import Lot
from longcheng.exchange.listings.models import Listing
from longcheng.exchange.monitoring.models import TradeRollup

STALE_AFTER = timedelta(minutes=5)


def _month(dialect: str) -> ColumnElement[Any]:
    if dialect == "sqlite":
        return func.strftime("%Y-%m", Lot.closed_at, "+8 hours")
    return func.to_char(func.timezone("Asia/Shanghai", Lot.closed_at), "YYYY-MM")


def _days(dialect: str) -> ColumnElement[Any]:
    if dialect == "sqlite":
        return func.julianday(Lot.closed_at) - func.julianday(Listing.published_at)
    return func.extract("epoch", Lot.closed_at - Listing.published_at) / 86400.0


def refresh(session: Session) -> int:
    """Rebuild the rollup from every closed lot; returns its row count."""
    dialect = session.get_bind().dialect.name
    sold = Lot.result == "sold"
    month = _month(dialect)
    grouped = (
        select(
            Listing.institution_id,
            Listing.asset_class,
            month,
            func.count(Lot.id),
            func.sum(case((sold, 1), else_=0)),
            func.coalesce(func.sum(case((sold, Lot.price_fen), else_=0)), 0),
            func.coalesce(func.sum(case((sold, Listing.start_fen), else_=0)), 0),
            func.coalesce(func.sum(_days(dialect)), 0.0),
            literal(utcnow(), TradeRollup.refreshed_at.type),
        )
        .select_from(Lot)
        .join(Listing, Listing.id == Lot.listing_id)
        .where(Lot.result.in_(("sold", "unsold")))
        .group_by(Listing.institution_id, Listing.asset_class, month)
    )
    cols = [
        "institution_id",
        "asset_class",
        "month",
        "closed",
        "sold",
        "volume_fen",
        "start_fen",
        "days_sum",
        "refreshed_at",
    ]
    try:
        with session.begin_nested():
            session.execute(delete(TradeRollup))
            session.execute(insert(TradeRollup).from_select(cols, grouped))
    except IntegrityError:
        pass  # a concurrent request rebuilt it at the same moment: its rows stand
    return int(session.scalar(select(func.count(TradeRollup.id))) or 0)


def as_of(session: Session) -> datetime | None:
    """When the rollup was last rebuilt (None: never)."""
    return session.scalar(select(func.min(TradeRollup.refreshed_at)))


def ensure_built(session: Session) -> datetime | None:
    """Build the rollup in place when it was never built; returns its time. A stale rollup is left
    to the scheduled job."""
    last = as_of(session)
    if last is None:
        refresh(session)
        last = as_of(session)
    return last
