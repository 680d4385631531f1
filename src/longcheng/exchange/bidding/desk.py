"""The bid desk: where bids from HTTP and the WebSocket meet the price board and the lot's sequencer.

This is a transaction edge (like a route): :func:`submit` asks the :mod:`board` first (a stale
bid is refused, a double click answered, without a write), then queues the bid on the lot's
sequencer. The sequencer groups the bids that queued while the previous batch was being written
(group commit): one transaction takes the lot's lock (row lock on PostgreSQL, the write
transaction on SQLite), judges the batch in arrival order through ``placing.place_bids`` — each
accepted bid strictly better than the one before it, sequenced and stamped by the server clock
after the lock — commits once, and only then acknowledges each bid. If the commit fails, no bid
of the batch is acknowledged: nothing acknowledged is ever lost.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from longcheng.core.actors import Actor
from longcheng.core.clock import utcnow
from longcheng.core.db import transaction
from longcheng.core.errors import LongchengError
from longcheng.core.http import AppState
from longcheng.exchange.bidding import placing, stream
from longcheng.exchange.bidding import service as bidding
from longcheng.exchange.bidding.board import Board
from longcheng.exchange.bidding.models import LotBid
from longcheng.exchange.bidding.views import bid_json

# Bids judged in one transaction at most. Every bid that queued during a batch goes into the next
# one (200 bidders bidding as fast as they can queue ~100): a smaller bound made a bid wait for
# two or three batches, each with the same fixed cost (the lock, the reads, the commit).
MAX_BATCH = 256


@dataclass(frozen=True)
class Ack:
    """An accepted (or already accepted) bid as the bidder is told: the bid, the lot's deadline."""

    bid: dict[str, Any]
    duplicate: bool
    fast: bool = False


@dataclass(eq=False)
class Job:
    """One queued bid; ``notify`` wakes an awaiting coroutine (the WebSocket) from the writer thread."""

    actor: Actor
    amount_fen: int
    key: str
    origin: bidding.Origin | None
    wake: threading.Event = field(default_factory=threading.Event)
    notify: Callable[[], None] | None = None
    ack: Ack | None = None
    error: BaseException | None = None

    def outcome(self) -> Ack:
        """The ack, or the refusal raised; the job lets go of it first, and this frame after
        raising, so that its traceback (which holds this frame and the waiter's) forms no cycle."""
        error, self.error = self.error, None
        if error is not None:
            try:
                raise error
            finally:
                del error
        assert self.ack is not None
        return self.ack


class Sequencer:
    """One lot's queue in this process, drained by one writer thread while bids are waiting.

    Waiting costs no thread: an HTTP request waits on its event, a WebSocket on a future."""

    def __init__(self, st: AppState, lot_id: int) -> None:
        self.st, self.lot_id = st, lot_id
        self.lock = threading.Lock()
        self.queue: list[Job] = []
        self.running = False

    def put(self, job: Job) -> None:
        with self.lock:
            self.queue.append(job)
            if self.running:
                return
            self.running = True
        threading.Thread(target=self._drain, name=f"lot-{self.lot_id}-bids", daemon=True).start()

    def _drain(self) -> None:
        while True:
            with self.lock:
                batch, self.queue = self.queue[:MAX_BATCH], self.queue[MAX_BATCH:]
                if not batch:
                    self.running = False
                    return
            write_batch(self.st, self.lot_id, batch)

    def submit(self, job: Job) -> Ack:
        self.put(job)
        job.wake.wait()
        return job.outcome()

    async def asubmit(self, job: Job) -> Ack:
        loop = asyncio.get_running_loop()
        done: asyncio.Future[None] = loop.create_future()

        def resolve() -> None:
            if not done.done():
                done.set_result(None)

        def notify() -> None:
            with contextlib.suppress(RuntimeError):  # the loop closed: nobody waits any more
                loop.call_soon_threadsafe(resolve)

        job.notify = notify
        self.put(job)
        await done
        return job.outcome()


def write_batch(st: AppState, lot_id: int, batch: list[Job]) -> None:
    """Judge and store a batch in one transaction; answer every bid only after the commit."""
    acks: list[tuple[Job, Ack]] = []
    try:
        with transaction(st.write_sessions) as session:
            requests = [placing.BidRequest(j.actor, j.amount_fen, j.key, j.origin) for j in batch]
            lot, listing, last_at = bidding.lock_lot(session, lot_id)
            outcomes = placing.judge_batch(session, lot, listing, last_at, requests)
            written: list[LotBid] = []
            for job, outcome in zip(batch, outcomes, strict=True):
                if isinstance(outcome, LongchengError):  # refused before anything was written
                    job.error = outcome
                else:
                    acks.append((job, Ack(bid_json(outcome.bid), outcome.duplicate)))
                    if not outcome.duplicate:
                        written.append(outcome.bid)
            deadline = lot.deadline.isoformat(timespec="milliseconds")  # as the batch left it
            seen = board_of(st).seen(session, lot, listing, written)
        board_of(st).learn(seen)
        if acks:
            stream.kick(st, lot_id)
        for job, ack in acks:
            job.ack = Ack({**ack.bid, "deadline": deadline}, ack.duplicate)
    except BaseException as exc:
        for job in batch:
            job.error = job.error or exc
            job.ack = None
    finally:
        for job in batch:
            job.wake.set()
            if job.notify is not None:
                job.notify()


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


async def asequence(
    st: AppState, *, actor: Actor, lot_id: int, amount_fen: int, key: str, origin: bidding.Origin | None
) -> Ack:
    """:func:`sequence` for the event loop: waits on a future, not a thread."""
    return await sequencer_of(st, lot_id).asubmit(Job(actor, amount_fen, key, origin))


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
