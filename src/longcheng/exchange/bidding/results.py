"""After the hammer: the result, the audit file, the 成交确认书, balance payment, default and 交割.

The winner's deposit stays frozen; so does the runner-up's when the rule lets the lot pass to
the runner-up on default. Everyone else's is released at the close.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, time

from sqlalchemy import select
from sqlalchemy.orm import Session

from longcheng.core import audit
from longcheng.core.actors import Actor
from longcheng.core.auth import require
from longcheng.core.clock import SHANGHAI, format_local, local_today, to_utc, utcnow
from longcheng.core.errors import Conflict, PermissionDenied
from longcheng.core.workdays import default_calendar
from longcheng.exchange import permissions as perm
from longcheng.exchange.auditfile import chain
from longcheng.exchange.bidding.models import Lot, LotBid
from longcheng.exchange.book import postings as pb
from longcheng.exchange.ledger import service as ledger
from longcheng.exchange.listings import feed, registrations
from longcheng.exchange.listings.models import Listing, Registration
from longcheng.exchange.models import Bidder, Institution
from longcheng.exchange.papers.confirmation import Deal

ENTITY = "exchange_lot"
SETTLEMENT_LABELS = {
    "none": "—",
    "awaiting_payment": "待付余款",
    "paid": "价款已付清",
    "delivered": "已交割",
    "defaulted": "买受人违约",
}


def runner_up(session: Session, lot: Lot) -> LotBid | None:
    """The best bid of anyone but the winner (earlier bid first on a tie)."""
    stmt = (
        select(LotBid)
        .where(LotBid.lot_id == lot.id, LotBid.registration_id != lot.leader_reg_id)
        .order_by(LotBid.amount_fen.desc(), LotBid.seq)
        .limit(1)
    )
    return session.scalar(stmt)


def _due(listing: Listing) -> datetime:
    day = default_calendar(allow_uncovered=True).add_working_days(
        local_today(), int(listing.rules["balance_working_days"])
    )
    return to_utc(datetime.combine(day, time(17, 0), tzinfo=SHANGHAI))


def record_result(session: Session, *, actor: Actor, lot: Lot, listing: Listing, sold: bool) -> None:
    """Close the lot: 成交 or 流拍, deposits released except the winner's (and runner-up's)."""
    lot.closed_at, lot.result = utcnow(), ("sold" if sold else "unsold")
    listing.status = "sold" if sold else "unsold"
    keep: set[int] = set()
    if sold and lot.leader_reg_id is not None:
        keep.add(lot.leader_reg_id)
        second = runner_up(session, lot)
        if second is not None and listing.rules.get("on_default") == "runner_up":
            keep.add(second.registration_id)
        lot.settlement, lot.balance_due_on = "awaiting_payment", _due(listing)
    registrations.release_all(session, actor=actor, listing=listing, keep=keep)
    session.flush()
    data = {
        "result": lot.result,
        "price_fen": lot.price_fen if sold else None,
        "bidder_no": lot.leader_no if sold else None,
    }
    audit.record(
        session,
        actor=actor,
        action="exchange.lot.close",
        entity_type=ENTITY,
        entity_id=str(lot.id),
        after={
            "结果": "成交" if sold else "流拍",
            "成交价（元）": (lot.price_fen or 0) / 100 if sold else None,
            "竞买号": data["bidder_no"],
        },
    )
    feed.emit(session, listing, "result", data)


def audit_file(session: Session, lot: Lot, listing: Listing) -> bytes:
    """The public audit file of a closed lot: every bid with its chain link."""
    if lot.closed_at is None:
        raise Conflict("竞价结束后才能下载竞价记录。", code="exchange.lot_open")
    bids = session.scalars(select(LotBid).where(LotBid.lot_id == lot.id).order_by(LotBid.seq))
    lines = [
        chain.BidLine(
            b.seq, b.bidder_no, b.amount_fen, b.at.isoformat(timespec="microseconds"), b.prev_hash, b.hash
        )
        for b in bids
    ]
    header = {
        "lot": str(lot.id),
        "listing": listing.code,
        "title": listing.title,
        "mode": listing.mode,
        "rules_version": listing.rules_version,
        "start_fen": listing.start_fen,
        "step_fen": listing.step_fen,
        "result": lot.result,
        "closed_at": lot.closed_at.isoformat(timespec="microseconds"),
    }
    return chain.render(header, lines)


def _winner(session: Session, lot: Lot) -> tuple[Registration, Bidder]:
    if lot.result != "sold" or lot.leader_reg_id is None:
        raise Conflict("该场次未成交。", code="exchange.not_sold")
    reg = session.get(Registration, lot.leader_reg_id)
    assert reg is not None
    bidder = session.get(Bidder, reg.bidder_id)
    assert bidder is not None
    return reg, bidder


def _own(session: Session, actor: Actor, listing: Listing, action: str) -> Institution:
    require(actor, action)
    inst = session.get(Institution, listing.institution_id)
    assert inst is not None
    perm.require_own_institution(actor, inst.uscc)
    return inst


def deal(session: Session, *, actor: Actor, lot: Lot, listing: Listing) -> Deal:
    """What the 成交确认书 says (the institution's staff only)."""
    inst = _own(session, actor, listing, perm.IDENTITIES)
    reg, bidder = _winner(session, lot)
    assert lot.price_fen is not None
    assert lot.closed_at is not None
    return Deal(
        institution=inst.name,
        listing_code=listing.code,
        title=listing.title,
        seller=listing.seller_name,
        buyer=bidder.name,
        bidder_no=reg.bidder_no,
        price_fen=lot.price_fen,
        deposit_fen=listing.deposit_fen,
        closed_at=format_local(lot.closed_at, "%Y-%m-%d %H:%M:%S"),
        balance_due=format_local(lot.balance_due_on) if lot.balance_due_on else "",
        audit_head=lot.head_hash,
    )


def identities(session: Session, *, actor: Actor, lot: Lot, listing: Listing) -> list[tuple[str, str]]:
    """竞买号 → bidder name, for the institution's staff after the close only."""
    _own(session, actor, listing, perm.IDENTITIES)
    if lot.closed_at is None:
        raise PermissionDenied("竞价结束前任何人不得查看竞买人身份。", code="exchange.identities_sealed")
    return [(r.bidder_no, b.name) for r, b in registrations.of_listing(session, listing)]


def pay_balance(session: Session, *, actor: Actor, lot: Lot, listing: Listing) -> None:
    """The winner pays: the deposit converts first, the rest comes from available money."""
    _own(session, actor, listing, perm.SETTLE)
    reg, bidder = _winner(session, lot)
    if lot.settlement != "awaiting_payment":
        raise Conflict("该场次不在待付余款状态。", code="exchange.settlement_state")
    assert lot.price_fen is not None
    frozen = ledger.balance(session, pb.frozen(reg.id))
    converted = min(frozen, lot.price_fen)
    if converted:
        ledger.post(
            session,
            actor=actor,
            kind="convert",
            ref=listing.code,
            entries=pb.move(pb.frozen(reg.id), pb.price(listing.id), converted),
        )
    rest = lot.price_fen - converted
    if rest:
        ledger.post(
            session,
            actor=actor,
            kind="pay",
            ref=listing.code,
            entries=pb.move(pb.available(bidder.id), pb.price(listing.id), rest),
        )
    if frozen > converted:
        ledger.post(
            session,
            actor=actor,
            kind="release",
            ref=listing.code,
            entries=pb.move(pb.frozen(reg.id), pb.available(bidder.id), frozen - converted),
        )
    reg.deposit, lot.settlement = "converted", "paid"
    registrations.release_all(session, actor=actor, listing=listing, keep=())
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="exchange.lot.paid",
        entity_type=ENTITY,
        entity_id=str(lot.id),
        after={"结算": "价款已付清"},
    )


def _after_default(session: Session, actor: Actor, lot: Lot, listing: Listing) -> str:
    """The runner-up takes the lot at its own best bid (rule ``runner_up``, deposit still frozen,
    reserve met) — ``runner_up``; otherwise the lot is 流拍 and everyone is released — ``relist``."""
    second = runner_up(session, lot) if listing.rules.get("on_default") == "runner_up" else None
    second_reg = session.get(Registration, second.registration_id) if second else None
    if (
        second
        and second_reg
        and second_reg.deposit == "frozen"
        and (listing.reserve_fen or 0) <= second.amount_fen
    ):
        lot.leader_reg_id, lot.leader_no, lot.price_fen = (
            second_reg.id,
            second_reg.bidder_no,
            second.amount_fen,
        )
        lot.balance_due_on = _due(listing)
        return "runner_up"
    lot.result, lot.settlement, listing.status = "unsold", "defaulted", "unsold"
    registrations.release_all(session, actor=actor, listing=listing, keep=())
    return "relist"


def declare_default(session: Session, *, actor: Actor, lot: Lot, listing: Listing, reason: str) -> str:
    """The winner defaults: the deposit is forfeited; the runner-up takes the lot or it is 流拍."""
    _own(session, actor, listing, perm.SETTLE)
    reg, _bidder = _winner(session, lot)
    if lot.settlement != "awaiting_payment":
        raise Conflict("该场次不在待付余款状态。", code="exchange.settlement_state")
    amount = ledger.balance(session, pb.frozen(reg.id))
    if amount:
        ledger.post(
            session,
            actor=actor,
            kind="forfeit",
            ref=listing.code,
            entries=pb.move(pb.frozen(reg.id), pb.FORFEITED, amount),
        )
    reg.deposit = "forfeited"
    outcome = _after_default(session, actor, lot, listing)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="exchange.lot.default",
        entity_type=ENTITY,
        entity_id=str(lot.id),
        after={"处理": "递补次高报价人" if outcome == "runner_up" else "流拍，可重新挂牌"},
        reason=reason,
    )
    feed.emit(
        session,
        listing,
        "result",
        {
            "result": lot.result,
            "price_fen": lot.price_fen if outcome == "runner_up" else None,
            "default": True,
        },
    )
    return outcome


def deliver(
    session: Session,
    *,
    actor: Actor,
    lot: Lot,
    listing: Listing,
    note: str,
    documents: list[tuple[str, bytes]],
) -> None:
    """交割: the transfer is recorded with its documents (names and SHA-256 kept)."""
    _own(session, actor, listing, perm.SETTLE)
    if lot.settlement != "paid":
        raise Conflict("价款付清后才能登记交割。", code="exchange.settlement_state")
    docs = [
        {"name": name[:200], "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
        for name, data in documents
    ]
    lot.delivery_note, lot.settlement = (
        json.dumps({"note": note, "documents": docs}, ensure_ascii=False),
        "delivered",
    )
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="exchange.lot.deliver",
        entity_type=ENTITY,
        entity_id=str(lot.id),
        after={"交割说明": note, "文件": [d["name"] for d in docs]},
    )
    feed.emit(session, listing, "delivered")
