"""Placing bids: one (:func:`place_bid`) or a batch under one lock of the lot (:func:`place_bids`).

A batch is what the bid desk's sequencer writes in one transaction. Each bid gets exactly what
it would have got alone, in arrival order: the bidder's right (``require``), a registration that
is qualified with its deposit frozen, the bid already accepted under the same idempotency key,
a refusal once the lot is closed, then the auction engine against the lot as the batch's earlier
bids left it, with the server time taken after the lock. An accepted bid is appended to the
lot's hash chain with its audit record and fingerprint, as before. What a batch saves is the
reading: the lot is locked and read once with its last bid's time, the registrations (as plain
rows: a batch is mostly bids it then refuses as no longer the best, and loading up to 200
registrations as objects was the writer's largest cost) and the bids already stored under the
batch's registrations and keys in one query each, so a refused bid costs no query at all, and an
accepted bid is stored from the same plain facts. On PostgreSQL each statement is a round trip
the writer thread waits for, and wakes from only when the event loop lets go of the interpreter.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from longcheng.core.actors import Actor
from longcheng.core.auth import require
from longcheng.core.clock import utcnow
from longcheng.core.errors import LongchengError
from longcheng.exchange import permissions as perm
from longcheng.exchange import service as parties
from longcheng.exchange.auction import engine
from longcheng.exchange.bidding import service as bidding
from longcheng.exchange.bidding.models import Lot, LotBid
from longcheng.exchange.bidding.service import BidRefused, Origin, Placed
from longcheng.exchange.listings.models import Listing, Registration
from longcheng.exchange.models import Bidder

OPEN_STATUSES = ("disclosure", "bidding")


@dataclass(frozen=True)
class RegFacts:
    """What judging a bid reads of a registration (see :func:`bidding.qualified`)."""

    id: int
    bidder_id: int
    bidder_no: str
    status: str
    deposit: str
    preemptor: bool


@dataclass(frozen=True)
class BidRequest:
    """One bid as it arrived: who, how much, the bidder's idempotency key, where from."""

    actor: Actor
    amount_fen: int
    idem_key: str
    origin: Origin | None = None


def place_bid(
    session: Session,
    *,
    actor: Actor,
    lot_id: int,
    amount_fen: int,
    idem_key: str,
    now: datetime | None = None,
    origin: Origin | None = None,
) -> Placed:
    """Accept one bid in sequence, or :class:`BidRefused` with the rule's code and nothing written."""
    require(actor, perm.BID)
    (outcome,) = place_bids(
        session, lot_id=lot_id, bids=[BidRequest(actor, amount_fen, idem_key, origin)], now=now
    )
    if isinstance(outcome, LongchengError):
        raise outcome
    return outcome


def place_bids(
    session: Session, *, lot_id: int, bids: Sequence[BidRequest], now: datetime | None = None
) -> list[Placed | LongchengError]:
    """Judge ``bids`` in order under one lock of the lot: each one's :class:`Placed` or the error
    it was refused with (nothing written for it). ``now`` fixes the clock (imports and tests)."""
    lot, listing, last_at = bidding.lock_lot(session, lot_id)
    return judge_batch(session, lot, listing, last_at, bids, now)


def judge_batch(
    session: Session,
    lot: Lot,
    listing: Listing,
    last_at: datetime | None,
    bids: Sequence[BidRequest],
    now: datetime | None = None,
) -> list[Placed | LongchengError]:
    """:func:`place_bids` on a lot the caller has locked with ``bidding.lock_lot`` (``last_at``:
    its last bid's time) and keeps: the caller reads the lot as the batch left it, unread again."""
    batch = _Batch(session, lot, listing, last_at, now)
    batch.prefetch(bids)
    out: list[Placed | LongchengError] = []
    for req in bids:
        try:
            out.append(batch.place(req))
        except LongchengError as exc:
            out.append(bare(exc))
    return out


def bare(exc: LongchengError) -> LongchengError:
    """The refusal without its traceback and context, to keep: a kept traceback holds the frames
    that hold the list it is kept in, a cycle only the garbage collector frees. With most bids of
    a busy lot refused, those cycles were most of the collector's work and its pauses of 40–130 ms
    (one of 0.9 s) were the tail of the acknowledgements (bench/RESULTS.md)."""
    exc.__traceback__ = exc.__context__ = exc.__cause__ = None
    return exc


class _Batch:
    """The lot as the batch's earlier bids left it, and what the batch read once."""

    def __init__(
        self, session: Session, lot: Lot, listing: Listing, last_at: datetime | None, now: datetime | None
    ) -> None:
        self.session, self.lot, self.listing, self.now = session, lot, listing, now
        self.rules = bidding.rules_of(listing)
        self.state = bidding.state_of(session, lot, self.rules.mode)
        self.last_at = last_at
        self.regs: dict[int, RegFacts] = {}
        self.stored: dict[tuple[int, str], LotBid] = {}
        self.covered: set[int] = set()  # the registrations whose stored bids were prefetched

    def prefetch(self, bids: Sequence[BidRequest]) -> None:
        """The registrations of the batch's bidders and the bids stored under its keys: two reads."""
        users = {
            b.actor.id for b in bids if b.actor.id is not None and parties.acting_member(b.actor) is None
        }
        if users:
            r = Registration
            rows = self.session.execute(
                select(Bidder.user_id, r.id, r.bidder_id, r.bidder_no, r.status, r.deposit, r.preemptor)
                .join(r, r.bidder_id == Bidder.id)
                .where(r.listing_id == self.listing.id, Bidder.user_id.in_(users))
            )
            self.regs = {row[0]: RegFacts(*row[1:]) for row in rows if row[0] is not None}
        self.covered = {r.id for r in self.regs.values()}
        if self.covered:  # by registration and key: the unique index's own order, not every bid of the lot
            found = self.session.scalars(
                select(LotBid).where(
                    LotBid.lot_id == self.lot.id,
                    LotBid.registration_id.in_(self.covered),
                    LotBid.idem_key.in_({b.idem_key for b in bids}),
                )
            )
            self.stored = {(b.registration_id, b.idem_key): b for b in found}

    def stored_bid(self, reg_id: int, key: str) -> LotBid | None:
        """The bid already stored under the registration's key (a double click, a resent bid)."""
        found = self.stored.get((reg_id, key))
        if found is not None or reg_id in self.covered:
            return found
        return self.session.scalar(  # a registration the prefetch did not cover (a member's client)
            select(LotBid).where(
                LotBid.lot_id == self.lot.id, LotBid.registration_id == reg_id, LotBid.idem_key == key
            )
        )

    def registration(self, actor: Actor) -> Registration | RegFacts:
        reg = self.regs.get(actor.id) if actor.id is not None else None
        if reg is None or parties.acting_member(actor) is not None:
            return bidding.registration_of(self.session, actor, self.listing)  # says why not
        return bidding.qualified(reg)

    def place(self, req: BidRequest) -> Placed:
        """:func:`place_bid`'s checks in its order, against the batch's running state."""
        require(req.actor, perm.BID)
        reg = self.registration(req.actor)
        same = self.stored_bid(reg.id, req.idem_key)
        if same is not None:
            return Placed(same, True)
        lot, listing = self.lot, self.listing
        if listing.status not in OPEN_STATUSES or lot.closed_at is not None:
            raise BidRefused("该项目当前不接受报价。", code="exchange.bid_closed")
        now = self.now or utcnow()
        at = max(now, self.last_at) if self.last_at is not None else now
        try:
            new = engine.place(
                self.rules, self.state, engine.Bid(reg.bidder_no, req.amount_fen, at, reg.preemptor)
            )
        except engine.Refusal as refusal:
            raise BidRefused(refusal.message, code=refusal.code) from None
        bid = bidding.apply_bid(
            self.session, req.actor, lot, listing, reg, new, req.amount_fen, at, req.idem_key
        )
        if req.origin is not None:
            bidding.record_origin(
                self.session, listing_id=listing.id, bidder_id=reg.bidder_id, kind="bid", origin=req.origin
            )
        if self.rules.mode is engine.Mode.dutch:
            bidding.settle(self.session, actor=req.actor, lot=lot, listing=listing, now=at)
        self.stored[(reg.id, req.idem_key)] = bid
        self.state, self.last_at = bidding.state_of(self.session, lot, self.rules.mode), at
        return Placed(bid, False)
