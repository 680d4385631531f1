"""The price board: each process's copy of its live lots, to refuse stale bids without a write.

Most bids in a busy room are stale: someone bid the same price a moment earlier. The board keeps,
per lot, the last committed state (price, leader, sequence, deadline), the rules, and the
idempotency keys of every accepted bid up to that sequence, and refuses a bid the rules would
refuse against *any* later state: off the step, or not at least one step above a price that has
already been reached. Prices only rise in the timed mode, so such a refusal is final; every other
bid (and every bid of a sealed or Dutch lot, of a pre-emptive holder, or past the board's copy of
the deadline) takes the database path, which stays the only place a bid is accepted.

The board learns from every bid this process commits, from every lot read under the lot's lock,
and, at most ``MAX_AGE`` seconds old, from a plain read of the lot and its bids since the board's
sequence (bids accepted by other processes). A double click of an accepted bid finds its key here
and gets the bid back, as on the database path.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from longcheng.core.actors import Actor
from longcheng.exchange import service as parties
from longcheng.exchange.auction import engine
from longcheng.exchange.bidding import service as bidding
from longcheng.exchange.bidding.models import Lot, LotBid
from longcheng.exchange.bidding.views import bid_json
from longcheng.exchange.listings.models import Listing, Registration

MAX_AGE = 0.5  # seconds: how stale the board may be before it reads the lot again
FINAL = frozenset({"exchange.bid_too_low", "exchange.bid_off_step"})
OPEN_STATUSES = ("disclosure", "bidding")


@dataclass(frozen=True)
class Seat:
    """A registration allowed to bid (qualified, deposit frozen) as the board remembers it."""

    reg_id: int
    bidder_no: str
    preemptor: bool


@dataclass
class Entry:
    """One lot as last committed: rules, state, and accepted bids by (registration, key)."""

    rules: engine.Rules
    state: engine.State
    open: bool
    read_at: float
    keys: dict[tuple[int, str], dict[str, Any]] = field(default_factory=dict)
    seats: dict[int, Seat] = field(default_factory=dict)


@dataclass(frozen=True)
class Verdict:
    """What the board decided: a duplicate's stored bid, a final refusal, or nothing (go to the database)."""

    duplicate: dict[str, Any] | None = None
    refusal: engine.Refusal | None = None


PASS = Verdict()


class Board:
    """The live lots of one app (one process); safe to use from threads and the event loop."""

    def __init__(self, sessions: Callable[[], Session]) -> None:
        self.sessions = sessions
        self.lock = threading.Lock()
        self.entries: dict[int, Entry] = {}
        self.reading: set[int] = set()

    def fresh(self, lot_id: int, user_id: int | None) -> bool:
        """True when :meth:`judge` will not read the database for this lot and bidder: the board
        knows both and is young enough, or another caller is already reading it (meanwhile the
        copy still judges: it is a committed prefix of the lot)."""
        entry = self.entries.get(lot_id)
        if entry is None or user_id is None or user_id not in entry.seats:
            return False
        return time.monotonic() - entry.read_at < MAX_AGE or lot_id in self.reading

    def judge(self, lot_id: int, actor: Actor, amount_fen: int, key: str, now: datetime) -> Verdict:
        """A duplicate, a final refusal, or :data:`PASS`; one caller at a time reads a stale lot."""
        entry = self.entries.get(lot_id)
        if entry is None or actor.id is None or actor.id not in entry.seats:
            self.refresh(lot_id, actor)
        elif time.monotonic() - entry.read_at >= MAX_AGE and self._claim(lot_id):
            try:
                self.refresh(lot_id)
            finally:
                with self.lock:
                    self.reading.discard(lot_id)
        with self.lock:
            entry = self.entries.get(lot_id)
            seat = entry.seats.get(actor.id) if entry is not None and actor.id is not None else None
            if entry is None or seat is None:
                return PASS
            stored = entry.keys.get((seat.reg_id, key))
            if stored is not None:
                return Verdict(duplicate={**stored, "deadline": _iso(entry.state.deadline)})
            return _refusal(entry, seat, amount_fen, now)

    def _claim(self, lot_id: int) -> bool:
        with self.lock:
            if lot_id in self.reading:
                return False
            self.reading.add(lot_id)
            return True

    def refresh(self, lot_id: int, actor: Actor | None = None) -> None:
        """Read the lot, its bids since the board's sequence and the bidder's seat (no lock taken)."""
        with self.sessions() as session:
            lot = session.get(Lot, lot_id)
            listing = session.get(Listing, lot.listing_id) if lot is not None else None
            if lot is None or listing is None:
                return
            seen = self.seen(session, lot, listing)
            seat = _seat(session, actor, listing) if actor is not None else None
        self.learn(seen)
        with self.lock:
            entry = self.entries.get(lot_id)
            if entry is not None and seat is not None and actor is not None and actor.id is not None:
                entry.seats[actor.id] = seat

    def seen(self, session: Session, lot: Lot, listing: Listing, written: Sequence[LotBid] = ()) -> Seen:
        """The lot as this session sees it and the bids the board lacks, as plain data.

        ``written``: the bids this session has just stored, in order; when they are exactly
        what the board lacks, they are used as they are instead of read again."""
        with self.lock:
            after = self.entries[lot.id].state.seq if lot.id in self.entries else 0
        rows: Sequence[LotBid] = []
        if written and written[0].seq == after + 1 and written[-1].seq == lot.seq:
            rows = written
        elif lot.seq > after:
            rows = bidding.bids_after(session, lot.id, after, limit=100_000)
        return Seen(
            lot_id=lot.id,
            after=after,
            rules=bidding.rules_of(listing),
            state=_state(lot),
            open=lot.closed_at is None and listing.status in OPEN_STATUSES,
            keys={(b.registration_id, b.idem_key): bid_json(b) for b in rows},
        )

    def learn(self, seen: Seen) -> None:
        """Take a committed view of a lot (call it after the commit, never before)."""
        with self.lock:
            entry = self.entries.get(seen.lot_id)
            if entry is not None and seen.state.seq < entry.state.seq:
                return  # an older view than the board's: keep the newer copy
            if entry is None:
                if seen.after:
                    return  # the keys up to ``after`` are missing: the next refresh reads them all
                entry = self.entries[seen.lot_id] = Entry(seen.rules, seen.state, seen.open, 0.0)
            entry.keys.update(seen.keys)
            entry.rules, entry.state, entry.open = seen.rules, seen.state, seen.open
            entry.read_at = time.monotonic()


@dataclass(frozen=True)
class Seen:
    """A lot read in a transaction: what :meth:`Board.learn` takes once that transaction committed."""

    lot_id: int
    after: int
    rules: engine.Rules
    state: engine.State
    open: bool
    keys: dict[tuple[int, str], dict[str, Any]]


def _state(lot: Lot) -> engine.State:
    return engine.State(
        starts_at=lot.starts_at,
        free_ends_at=lot.free_ends_at,
        deadline=lot.deadline,
        price_fen=lot.price_fen,
        leader=lot.leader_no,
        seq=lot.seq,
        preempt_uses=lot.preempt_uses,
    )


def _seat(session: Session, actor: Actor, listing: Listing) -> Seat | None:
    if actor.id is None:
        return None
    try:
        bidder = parties.bidder_of(session, actor)
    except Exception:  # noqa: BLE001 - not a bidder: the database path says so
        return None
    reg = session.scalar(
        select(Registration).where(Registration.listing_id == listing.id, Registration.bidder_id == bidder.id)
    )
    if reg is None or reg.status != "qualified" or reg.deposit != "frozen":
        return None
    return Seat(reg.id, reg.bidder_no, bool(reg.preemptor))


def _refusal(entry: Entry, seat: Seat, amount_fen: int, now: datetime) -> Verdict:
    """Refuse only what no later state can accept: off the step, or below a price already reached."""
    rules, state = entry.rules, entry.state
    if not entry.open or rules.mode is not engine.Mode.timed or seat.preemptor:
        return PASS
    if engine.status_at(rules, state, now) not in (engine.Phase.free, engine.Phase.timed):
        return PASS
    try:
        engine.place(rules, state, engine.Bid(seat.bidder_no, amount_fen, now))
    except engine.Refusal as refusal:
        return Verdict(refusal=refusal.with_traceback(None)) if refusal.code in FINAL else PASS
    return PASS


def _iso(at: datetime) -> str:
    return at.isoformat(timespec="milliseconds")
