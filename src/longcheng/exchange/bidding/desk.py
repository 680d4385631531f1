"""The bid desk: where bids from HTTP and the WebSocket meet the price board and the lot's sequencer.

This is a transaction edge (like a route): :func:`submit` asks the :mod:`board` first (a stale
bid is refused, a double click answered, without a write), then queues the bid on the lot's
sequencer. The sequencer groups the bids that queued while the previous batch was being written
(group commit): one transaction takes the lot's lock (row lock on PostgreSQL, the write
transaction on SQLite), judges the batch in arrival order through ``service.place_bid`` — each
accepted bid strictly better than the one before it, sequenced and stamped by the server clock
after the lock — commits once, and only then acknowledges each bid. If the commit fails, no bid
of the batch is acknowledged: nothing acknowledged is ever lost.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from longcheng.core.actors import Actor
from longcheng.core.clock import utcnow
from longcheng.core.db import transaction
from longcheng.core.errors import LongchengError
from longcheng.core.http import AppState
from longcheng.exchange.bidding import service as bidding
from longcheng.exchange.bidding.board import Board
from longcheng.exchange.bidding.views import bid_json

MAX_BATCH = 64


@dataclass(frozen=True)
class Ack:
    """An accepted (or already accepted) bid as the bidder is told: the bid, the lot's deadline."""

    bid: dict[str, Any]
    duplicate: bool
    fast: bool = False


@dataclass(eq=False)
class Job:
    actor: Actor
    amount_fen: int
    key: str
    origin: bidding.Origin | None
    wake: threading.Event = field(default_factory=threading.Event)
    lead: bool = False
    finished: bool = False
    ack: Ack | None = None
    error: BaseException | None = None


class Sequencer:
    """One lot's queue in this process: the first waiting bid writes the batch for everyone."""

    def __init__(self, st: AppState, lot_id: int) -> None:
        self.st, self.lot_id = st, lot_id
        self.lock = threading.Lock()
        self.queue: list[Job] = []
        self.running = False

    def submit(self, job: Job) -> Ack:
        with self.lock:
            self.queue.append(job)
            if not self.running:
                self.running = job.lead = True
        while True:
            if job.lead:
                self._lead(job)
            if job.finished:
                break
            job.wake.wait()
            job.wake.clear()
        if job.error is not None:
            raise job.error
        assert job.ack is not None
        return job.ack

    def _lead(self, job: Job) -> None:
        """Write batches until this bid is answered, then hand the queue to the next waiting bid."""
        while not job.finished:
            with self.lock:
                batch, self.queue = self.queue[:MAX_BATCH], self.queue[MAX_BATCH:]
            write_batch(self.st, self.lot_id, batch)
        with self.lock:
            job.lead = False
            if self.queue:
                self.queue[0].lead = True
                self.queue[0].wake.set()
            else:
                self.running = False


def write_batch(st: AppState, lot_id: int, batch: list[Job]) -> None:
    """Judge and store a batch in one transaction; answer every bid only after the commit."""
    acks: list[tuple[Job, Ack]] = []
    try:
        with transaction(st.write_sessions) as session:
            for job in batch:
                try:
                    placed = bidding.place_bid(
                        session,
                        actor=job.actor,
                        lot_id=lot_id,
                        amount_fen=job.amount_fen,
                        idem_key=job.key,
                        origin=job.origin,
                    )
                except LongchengError as exc:  # refused before anything was written
                    job.error = exc
                    continue
                acks.append((job, Ack(bid_json(placed.bid), placed.duplicate)))
            lot, listing = bidding.get_lot(session, lot_id)
            deadline = lot.deadline.isoformat(timespec="milliseconds")
            seen = board_of(st).seen(session, lot, listing)
        board_of(st).learn(seen)
        for job, ack in acks:
            job.ack = Ack({**ack.bid, "deadline": deadline}, ack.duplicate)
    except BaseException as exc:
        for job in batch:
            job.error = job.error or exc
            job.ack = None
    finally:
        for job in batch:
            job.finished = True
            job.wake.set()


_GUARD = threading.Lock()


def board_of(st: AppState) -> Board:
    """This app's price board (one per app, so two apps in one process never share prices)."""
    with _GUARD:
        board = st.extras.get("exchange.board")
        if board is None:
            board = st.extras["exchange.board"] = Board(st.sessions)
    assert isinstance(board, Board)
    return board


def sequencer_of(st: AppState, lot_id: int) -> Sequencer:
    with _GUARD:
        all_: dict[int, Sequencer] = st.extras.setdefault("exchange.sequencers", {})
        seq = all_.get(lot_id)
        if seq is None:
            seq = all_[lot_id] = Sequencer(st, lot_id)
    return seq


def judge(st: AppState, *, actor: Actor, lot_id: int, amount_fen: int, key: str) -> Ack | None:
    """The board's final answer (a double click's bid, or a refusal raised), else None."""
    verdict = board_of(st).judge(lot_id, actor, amount_fen, key, utcnow())
    if verdict.duplicate is not None:
        return Ack(verdict.duplicate, True, True)
    if verdict.refusal is not None:
        raise bidding.BidRefused(verdict.refusal.message, code=verdict.refusal.code)
    return None


def sequence(
    st: AppState, *, actor: Actor, lot_id: int, amount_fen: int, key: str, origin: bidding.Origin | None
) -> Ack:
    """The database path: queue on the lot's sequencer and wait for the batch's commit."""
    return sequencer_of(st, lot_id).submit(Job(actor, amount_fen, key, origin))


def submit(
    st: AppState, *, actor: Actor, lot_id: int, amount_fen: int, key: str, origin: bidding.Origin | None
) -> Ack:
    """One bid: the board's answer if final, else the sequencer's after the commit.

    Raises :class:`~longcheng.exchange.bidding.service.BidRefused` (or another
    :class:`~longcheng.core.errors.LongchengError`) with the rule's code when the bid is refused.
    """
    fast = judge(st, actor=actor, lot_id=lot_id, amount_fen=amount_fen, key=key)
    if fast is not None:
        return fast
    return sequence(st, actor=actor, lot_id=lot_id, amount_fen=amount_fen, key=key, origin=origin)
