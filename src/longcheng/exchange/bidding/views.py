"""What anyone may see of a lot at an instant: phase, server time, price and leader (sealed: hidden)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from longcheng.core.clock import utcnow
from longcheng.exchange.auction import engine
from longcheng.exchange.bidding import service as bidding
from longcheng.exchange.bidding.models import Lot, LotBid
from longcheng.exchange.listings.models import Listing, Registration


def lot_json(
    session: Session,
    lot: Lot,
    listing: Listing,
    *,
    mine: Registration | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    now = now or utcnow()
    phase = bidding.phase_now(session, lot, listing, now)
    rules = bidding.rules_of(listing)
    hidden = rules.mode is engine.Mode.sealed and phase is not engine.Phase.closed
    price = None if hidden else lot.price_fen
    if rules.mode is engine.Mode.dutch and phase is engine.Phase.clock:
        price = engine.dutch_price(rules, bidding.state_of(session, lot, rules.mode), now)
    return {
        "id": lot.id,
        "listing_code": listing.code,
        "title": listing.title,
        "mode": listing.mode,
        "phase": phase.value,
        "phase_label": engine.PHASE_LABELS[phase],
        "server_time": now.isoformat(timespec="milliseconds"),
        "starts_at": lot.starts_at.isoformat(),
        "free_ends_at": lot.free_ends_at.isoformat(),
        "deadline": lot.deadline.isoformat(timespec="milliseconds"),
        "start_fen": listing.start_fen,
        "step_fen": listing.step_fen,
        "max_steps": rules.max_steps,
        "price_fen": price,
        "leader_no": None if hidden else lot.leader_no,
        "seq": lot.seq,
        "next_min_fen": engine.minimum_next(rules, bidding.state_of(session, lot, rules.mode))
        if not hidden
        else listing.start_fen,
        "result": lot.result,
        "my_no": mine.bidder_no if mine else None,
        "leading": bool(mine and not hidden and lot.leader_no == mine.bidder_no),
    }


def bid_json(b: LotBid) -> dict[str, Any]:
    return {
        "seq": b.seq,
        "bidder_no": b.bidder_no,
        "amount_fen": b.amount_fen,
        "at": b.at.isoformat(timespec="microseconds"),
        "hash": b.hash,
    }
