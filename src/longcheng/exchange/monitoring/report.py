"""The supervisor's report of one trade (schema ``exchange-trade/1``, docs/exchange-supervisor-report.md)
and its 统一交易标识码."""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from longcheng.core.actors import Actor
from longcheng.core.auth import require
from longcheng.core.errors import NotFound
from longcheng.exchange.bidding.models import Lot, LotBid
from longcheng.exchange.charter import terms
from longcheng.exchange.listings.models import Listing, Registration
from longcheng.exchange.models import Bidder, Institution, Member
from longcheng.exchange.monitoring import permissions as perm
from longcheng.exchange.monitoring.models import RiskSignal

SCHEMA = "exchange-trade/1"
_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def trade_code(institution_uscc: str, listing_code: str) -> str:
    """``LC`` + the institution's 9-character organisation code + the listing code + a check character.

    Unique across the alliance (listing codes are unique per institution) and checkable by hand.
    """
    body = f"LC{institution_uscc[8:17]}{listing_code}".upper()
    check = int(hashlib.sha256(body.encode()).hexdigest(), 16) % len(_ALPHABET)
    return body + _ALPHABET[check]


def _fees(session: Session, listing: Listing, price_fen: int, reg: Registration | None) -> dict[str, Any]:
    """The 佣金 on the deal and its split with the institution whose member brought the buyer."""
    charter = terms.load()
    fee = terms.commission(charter, price_fen)
    member = session.get(Member, reg.member_id) if reg and reg.member_id else None
    buyer_inst = member.institution_id if member else listing.institution_id
    own, other = terms.split_fee(charter, fee, same_institution=buyer_inst == listing.institution_id)
    return {
        "commission_fen": fee,
        "listing_institution_fen": own,
        "buyer_institution_fen": other,
        "buyer_institution_id": buyer_inst,
    }


def _result(session: Session, listing: Listing) -> dict[str, Any]:
    lot = session.scalar(select(Lot).where(Lot.listing_id == listing.id))
    if lot is None:
        return {"状态": listing.status}
    bids = session.scalar(select(func.count(LotBid.id)).where(LotBid.lot_id == lot.id)) or 0
    winner, fees = None, None
    if lot.result == "sold" and lot.leader_reg_id:
        reg = session.get(Registration, lot.leader_reg_id)
        bidder = session.get(Bidder, reg.bidder_id) if reg else None
        winner = {"name": bidder.name, "uscc": bidder.uscc} if bidder else None
        fees = _fees(session, listing, lot.price_fen or 0, reg)
    premium = (
        round((lot.price_fen / listing.start_fen - 1) * 100, 2)
        if lot.price_fen and lot.result == "sold"
        else None
    )
    return {
        "result": lot.result,
        "closed_at": lot.closed_at.isoformat() if lot.closed_at else None,
        "price_fen": lot.price_fen if lot.result == "sold" else None,
        "premium_pct": premium,
        "bid_count": int(bids),
        "winner": winner,
        "fees": fees,
    }


def trade_report(session: Session, *, actor: Actor, listing_code: str) -> dict[str, Any]:
    """One trade as the supervisor receives it (amounts in fen, times in UTC ISO 8601)."""
    require(actor, perm.REPORT)
    listing = session.scalar(select(Listing).where(Listing.code == listing_code))
    if listing is None:
        raise NotFound("未找到该项目。", code="exchange.listing_not_found")
    inst = session.get(Institution, listing.institution_id)
    assert inst is not None
    regs = (
        session.scalar(
            select(func.count(Registration.id)).where(
                Registration.listing_id == listing.id, Registration.status == "qualified"
            )
        )
        or 0
    )
    signals = session.execute(
        select(RiskSignal.kind, RiskSignal.status).where(RiskSignal.listing_code == listing.code)
    )
    return {
        "schema": SCHEMA,
        "trade_code": trade_code(inst.uscc, listing.code),
        "institution": {"code": inst.code, "name": inst.name, "uscc": inst.uscc},
        "listing": {
            "code": listing.code,
            "title": listing.title,
            "asset_class": listing.asset_class,
            "mode": listing.mode,
            "seller_name": listing.seller_name,
            "appraisal_fen": listing.appraisal_fen,
            "start_fen": listing.start_fen,
            "reserve_fen": listing.reserve_fen,
            "currency": listing.currency,
            "rules_version": listing.rules_version,
            "published_at": listing.published_at.isoformat() if listing.published_at else None,
            "status": listing.status,
        },
        "qualified_bidders": int(regs),
        "outcome": _result(session, listing),
        "risk_signals": [{"kind": k, "status": s} for k, s in signals.all()],
    }
