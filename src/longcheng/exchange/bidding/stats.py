"""Dashboard figures: deal volume and premium rate (溢价率 = price ÷ start price − 1) by class, month."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from longcheng.core.actors import Actor
from longcheng.core.clock import to_local
from longcheng.exchange import service as parties
from longcheng.exchange.bidding.models import Lot
from longcheng.exchange.listings.models import Listing


@dataclass
class Bucket:
    key: str
    deals: int = 0
    volume_fen: int = 0
    start_fen: int = 0

    @property
    def premium_pct(self) -> float:
        return round((self.volume_fen / self.start_fen - 1) * 100, 2) if self.start_fen else 0.0


@dataclass
class Summary:
    by_class: list[Bucket]
    by_month: list[Bucket]
    deals: int
    volume_fen: int
    unsold: int


def summary(session: Session, *, actor: Actor) -> Summary:
    stmt = (
        select(Lot, Listing)
        .join(Listing, Listing.id == Lot.listing_id)
        .where(Lot.result.in_(("sold", "unsold")))
    )
    own = parties.institution_of(session, actor)
    if own is not None:
        stmt = stmt.where(Listing.institution_id == own.id)
    classes: dict[str, Bucket] = defaultdict(lambda: Bucket(""))
    months: dict[str, Bucket] = defaultdict(lambda: Bucket(""))
    unsold = 0
    for lot, listing in session.execute(stmt).all():
        if lot.result != "sold" or lot.price_fen is None or lot.closed_at is None:
            unsold += 1
            continue
        for key, table in (
            (listing.asset_class, classes),
            (to_local(lot.closed_at).strftime("%Y-%m"), months),
        ):
            b = table[key]
            b.key, b.deals, b.volume_fen, b.start_fen = (
                key,
                b.deals + 1,
                b.volume_fen + lot.price_fen,
                b.start_fen + listing.start_fen,
            )
    by_class = sorted(classes.values(), key=lambda b: -b.volume_fen)
    by_month = sorted(months.values(), key=lambda b: b.key)
    return Summary(
        by_class, by_month, sum(b.deals for b in by_class), sum(b.volume_fen for b in by_class), unsold
    )
