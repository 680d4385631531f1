"""Live bidding: open a lot, accept bids strictly in sequence, close it at its deadline.

A bid locks the lot's row (``SELECT … FOR UPDATE`` on PostgreSQL; SQLite's write transaction
already serialises writers), takes the server time *after* the lock, asks the auction engine,
and appends the bid with its hash-chain link. The same idempotency key from the same bidder
returns the bid already accepted. Reads never trust a stored "open": the phase is computed from
the deadline at the instant of reading (``engine.status_at``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session, load_only

from longcheng.core import audit
from longcheng.core.actors import Actor
from longcheng.core.clock import utcnow
from longcheng.core.errors import LongchengError, NotFound
from longcheng.exchange import service as parties
from longcheng.exchange.auction import engine
from longcheng.exchange.auditfile import chain
from longcheng.exchange.bidding import results
from longcheng.exchange.bidding.models import Fingerprint, Lot, LotBid
from longcheng.exchange.listings import feed, registrations
from longcheng.exchange.listings.models import Listing, Registration
from longcheng.platform.schedules import service as schedules


class _Standing(Protocol):
    @property
    def status(self) -> str: ...
    @property
    def deposit(self) -> str: ...


R = TypeVar("R", bound=_Standing)


class Bidding(Protocol):
    """What storing an accepted bid needs of its registration: a row or its plain facts."""

    @property
    def id(self) -> int: ...
    @property
    def bidder_no(self) -> str: ...


CLOSE_KIND = "exchange.close_lot"
ENTITY = "exchange_lot"


class BidRefused(LongchengError):
    """A bid the rules do not accept; ``code`` says which rule."""

    code = "exchange.bid_refused"
    status = 409
    message = "报价未被接受。"


def rules_of(listing: Listing) -> engine.Rules:
    r = listing.rules
    return engine.Rules(
        mode=engine.Mode(listing.mode),
        start_fen=listing.start_fen,
        step_fen=listing.step_fen,
        reserve_fen=listing.reserve_fen,
        max_steps=int(r["max_steps"]),
        countdown_seconds=int(r["countdown_seconds"]),
        preemption=str(r["preemption"]),
        dutch_floor_fen=listing.start_fen * int(r["dutch_floor_pct"]) // 100,
        dutch_interval_seconds=int(r["dutch_interval_seconds"]),
    )


def state_of(session: Session, lot: Lot, mode: engine.Mode) -> engine.State:
    sealed: frozenset[str] = frozenset()
    if mode is engine.Mode.sealed:
        sealed = frozenset(session.scalars(select(LotBid.bidder_no).where(LotBid.lot_id == lot.id)))
    return engine.State(
        starts_at=lot.starts_at,
        free_ends_at=lot.free_ends_at,
        deadline=lot.deadline,
        price_fen=lot.price_fen,
        leader=lot.leader_no,
        seq=lot.seq,
        preempt_uses=lot.preempt_uses,
        sealed_bidders=sealed,
    )


def _schedule_close(session: Session, actor: Actor, lot: Lot) -> None:
    schedules.schedule_at(
        session,
        actor=actor,
        kind=CLOSE_KIND,
        params={"lot_id": lot.id},
        run_at=lot.deadline,
        key=f"lot:{lot.id}:{lot.deadline.isoformat()}",
    )


def _times(listing: Listing) -> engine.State:
    assert listing.auction_start is not None
    return engine.initial_state(
        rules_of(listing), starts_at=listing.auction_start, free_seconds=int(listing.rules["free_seconds"])
    )


def open_lot(session: Session, *, actor: Actor, listing: Listing) -> Lot:
    """The lot of a published listing, closing at its first deadline (a platform deadline job)."""
    st = _times(listing)
    lot = Lot(
        listing_id=listing.id,
        starts_at=st.starts_at,
        free_ends_at=st.free_ends_at,
        deadline=st.deadline,
        head_hash=chain.GENESIS,
    )
    session.add(lot)
    session.flush()
    _schedule_close(session, actor, lot)
    return lot


def lot_of(session: Session, listing: Listing) -> Lot | None:
    return session.scalar(select(Lot).where(Lot.listing_id == listing.id))


def hold_lot(session: Session, *, actor: Actor, listing: Listing) -> None:
    """A suspended listing's lot takes no bids: the close job finds the listing suspended."""


def reopen_lot(session: Session, *, actor: Actor, listing: Listing) -> None:
    lot = lot_of(session, listing)
    if lot is None:
        return
    st = _times(listing)
    lot.starts_at, lot.free_ends_at, lot.deadline = st.starts_at, st.free_ends_at, st.deadline
    session.flush()
    _schedule_close(session, actor, lot)


def cancel_lot(session: Session, *, actor: Actor, listing: Listing) -> None:
    """A terminated listing: its lot ends without a result and every frozen deposit is released."""
    lot = lot_of(session, listing)
    if lot is not None and lot.closed_at is None:
        lot.closed_at, lot.result = utcnow(), "cancelled"
    registrations.release_all(session, actor=actor, listing=listing, keep=())


def get_lot(session: Session, lot_id: int, *, lock: bool = False) -> tuple[Lot, Listing]:
    """The lot and its listing in one read (``lock``: the lot's row locked till the commit)."""
    stmt = select(Lot, Listing).join(Listing, Listing.id == Lot.listing_id).where(Lot.id == lot_id)
    if lock:
        stmt = stmt.with_for_update(of=Lot).execution_options(populate_existing=True)
    row = session.execute(stmt).first()
    if row is None:
        raise NotFound("未找到该竞价场次。", code="exchange.lot_not_found")
    return row[0], row[1]


# What judging and storing a bid read of its listing; the rest (texts, asset fields) loads only
# when used (the first bid's feed entry, a Dutch lot's settling), so a batch does not decode it.
JUDGING = ("id", "code", "status", "mode", "start_fen", "step_fen", "reserve_fen", "rules")


def lock_lot(session: Session, lot_id: int) -> tuple[Lot, Listing, datetime | None]:
    """:func:`get_lot` with the lot's row locked, and the time of its last bid (None before the
    first) read in the same statement: the bid writer's one round trip to start a batch."""
    last = select(LotBid.at).where(LotBid.lot_id == Lot.id, LotBid.seq == Lot.seq).scalar_subquery()
    stmt = (
        select(Lot, Listing, last)
        .join(Listing, Listing.id == Lot.listing_id)
        .where(Lot.id == lot_id)
        .options(load_only(*(getattr(Listing, name) for name in JUDGING)))
    )
    row = session.execute(stmt.with_for_update(of=Lot).execution_options(populate_existing=True)).first()
    if row is None:
        raise NotFound("未找到该竞价场次。", code="exchange.lot_not_found")
    lot, listing, at = row
    if at is None and lot.seq > 0:  # the last bid was committed after the statement's snapshot
        at = session.scalar(select(LotBid.at).where(LotBid.lot_id == lot.id, LotBid.seq == lot.seq))
    return lot, listing, at


def registration_of(session: Session, actor: Actor, listing: Listing) -> Registration:
    """The actor's registration for the listing, if it may bid (see :func:`qualified`)."""
    bidder = parties.bidder_of(session, actor)
    reg = session.scalar(
        select(Registration).where(Registration.listing_id == listing.id, Registration.bidder_id == bidder.id)
    )
    return qualified(reg)


def qualified(reg: R | None) -> R:
    """The registration (or its facts: status and deposit) if it may bid: qualified, with its
    deposit frozen; else the refusal."""
    if reg is None or reg.status != "qualified":
        raise BidRefused("您未取得该项目的竞买资格，不能报价。", code="exchange.not_qualified", status=403)
    if reg.deposit != "frozen":
        raise BidRefused("保证金尚未到账冻结，不能报价。", code="exchange.deposit_missing", status=403)
    return reg


@dataclass(frozen=True)
class Placed:
    bid: LotBid
    duplicate: bool


def _append(session: Session, lot: Lot, reg: Bidding, amount: int, at: datetime, key: str) -> LotBid:
    seq = lot.seq + 1
    at_text = at.isoformat(timespec="microseconds")
    digest = chain.link(
        lot.head_hash, lot=str(lot.id), seq=seq, bidder_no=reg.bidder_no, amount_fen=amount, at=at_text
    )
    bid = LotBid(
        lot_id=lot.id,
        seq=seq,
        registration_id=reg.id,
        bidder_no=reg.bidder_no,
        amount_fen=amount,
        at=at,
        idem_key=key,
        prev_hash=lot.head_hash,
        hash=digest,
    )
    session.add(bid)
    return bid


@dataclass(frozen=True)
class Origin:
    """Where a request came from, as the web layer saw it."""

    ip: str = ""
    user_agent: str = ""
    device_id: str = ""


def record_origin(session: Session, *, listing_id: int, bidder_id: int, kind: str, origin: Origin) -> None:
    """Keep the fingerprint of a registration or a bid (the user agent only as its SHA-256)."""
    ua = hashlib.sha256(origin.user_agent.encode()).hexdigest() if origin.user_agent else ""
    session.add(
        Fingerprint(
            listing_id=listing_id,
            bidder_id=bidder_id,
            kind=kind,
            ip=origin.ip[:45],
            ua_hash=ua,
            device_id=origin.device_id[:64],
            at=utcnow(),
        )
    )


def apply_bid(
    session: Session,
    actor: Actor,
    lot: Lot,
    listing: Listing,
    reg: Bidding,
    new: engine.State,
    amount_fen: int,
    at: datetime,
    idem_key: str,
) -> LotBid:
    """Append the accepted bid and move the lot to the engine's new state, audited (the engine
    accepted it: see :mod:`longcheng.exchange.bidding.placing`)."""
    bid = _append(session, lot, reg, amount_fen, at, idem_key)
    lot.seq, lot.head_hash, lot.price_fen, lot.leader_no = new.seq, bid.hash, new.price_fen, new.leader
    lot.leader_reg_id = reg.id if new.leader == reg.bidder_no else lot.leader_reg_id
    lot.preempt_uses, lot.deadline = new.preempt_uses, new.deadline
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="exchange.bid",
        entity_type=ENTITY,
        entity_id=str(lot.id),
        after={"序号": bid.seq, "竞买号": bid.bidder_no, "报价（元）": amount_fen / 100},
    )
    if listing.status == "disclosure":  # after the audit record: the audit head, then the feed's
        _mark_bidding(session, actor, listing)
    return bid


def _mark_bidding(session: Session, actor: Actor, listing: Listing) -> None:
    listing.status = "bidding"
    feed.emit(session, listing, "status")


def settle(
    session: Session, *, actor: Actor, lot: Lot, listing: Listing, now: datetime | None = None
) -> bool:
    """Close the lot if its deadline has passed: result, listing status, deposits; True if closed now."""
    now = now or utcnow()
    rules = rules_of(listing)
    if lot.closed_at is not None or listing.status not in ("disclosure", "bidding"):
        return False
    if engine.status_at(rules, state_of(session, lot, rules.mode), now) is not engine.Phase.closed:
        return False
    results.record_result(
        session,
        actor=actor,
        lot=lot,
        listing=listing,
        sold=engine.sold(rules, state_of(session, lot, rules.mode)),
    )
    return True


def close_due(session: Session, *, actor: Actor, lot_id: int, now: datetime | None = None) -> bool:
    """The deadline job: settle the lot, or set a new deadline job if bids moved the deadline."""
    lot, listing = get_lot(session, lot_id, lock=True)
    now = now or utcnow()
    if lot.closed_at is None and listing.status in ("disclosure", "bidding") and now < lot.deadline:
        _schedule_close(session, actor, lot)
        return False
    return settle(session, actor=actor, lot=lot, listing=listing, now=now)


def due_lots(session: Session, *, now: datetime | None = None, limit: int = 100) -> list[int]:
    """Lots past their deadline and not yet settled, earliest deadline first (for the closer)."""
    stmt = (
        select(Lot.id)
        .join(Listing, Listing.id == Lot.listing_id)
        .where(
            Lot.closed_at.is_(None),
            Lot.deadline <= (now or utcnow()),
            Listing.status.in_(("disclosure", "bidding")),
        )
        .order_by(Lot.deadline)
        .limit(limit)
    )
    return list(session.scalars(stmt))


def live_lots(session: Session, *, actor: Actor) -> list[tuple[Lot, Listing]]:
    """Lots started and not yet closed (at the operator's institution), soonest deadline first."""
    stmt = (
        select(Lot, Listing)
        .join(Listing, Listing.id == Lot.listing_id)
        .where(
            Lot.closed_at.is_(None), Lot.starts_at <= utcnow(), Listing.status.in_(("disclosure", "bidding"))
        )
        .order_by(Lot.deadline)
        .limit(200)
    )
    own = parties.institution_of(session, actor)
    if own is not None:
        stmt = stmt.where(Listing.institution_id == own.id)
    return [(lot, listing) for lot, listing in session.execute(stmt).all()]


def bids_after(session: Session, lot_id: int, after_seq: int, limit: int = 500) -> list[LotBid]:
    stmt = (
        select(LotBid)
        .where(LotBid.lot_id == lot_id, LotBid.seq > after_seq)
        .order_by(LotBid.seq)
        .limit(limit)
    )
    return list(session.scalars(stmt))


def phase_now(session: Session, lot: Lot, listing: Listing, now: datetime | None = None) -> engine.Phase:
    """The phase at this instant, computed from the deadline (a late worker keeps nothing open)."""
    if lot.closed_at is not None or listing.status not in ("disclosure", "bidding"):
        return engine.Phase.closed
    rules = rules_of(listing)
    return engine.status_at(rules, state_of(session, lot, rules.mode), now or utcnow())
