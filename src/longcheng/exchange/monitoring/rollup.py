"""The dashboard's rollup: closed lots summed per institution, asset class and month (Beijing time).

The dashboard reads this small table (institutions × classes × months rows), not the trades; it
is rebuilt from the trades in one grouped query when older than ``STALE_AFTER`` or on demand, so
a lot closed a moment ago reaches the dashboard within that time.
"""

from __future__ import annotations

from datetime import timedelta
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


def ensure_fresh(session: Session) -> None:
    """Rebuild when the rollup is older than ``STALE_AFTER`` (or empty)."""
    last = session.scalar(select(func.min(TradeRollup.refreshed_at)))
    if last is None or utcnow() - last > STALE_AFTER:
        refresh(session)
