"""The fan-out of a lot's accepted bids to its watchers (SSE and the room's WebSocket).

One hub per lot per process holds the lot's bids, each encoded once (its SSE event and its JSON),
and the lot's state. It reads the database when this process's bid writer has committed
(:func:`kick`), at most every ``TICK_SECONDS``, and every ``POLL_SECONDS`` without a kick (bids
written by other processes). After each read that changed something it wakes every watcher once;
a watcher then sends everything after its own position in one write, so a busy lot costs one
send per watcher per tick, not one per bid. Each watcher keeps its own position (the last bid
sequence it was sent, from ``Last-Event-ID`` or ``?after=``), so a slow or resumed watcher still
gets every bid in order. Sealed lots show no bid until they close.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

from sse_starlette import ServerSentEvent
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from longcheng.core.http import AppState
from longcheng.exchange.auction import engine
from longcheng.exchange.bidding import service as bidding
from longcheng.exchange.bidding.views import bid_json, lot_json

TICK_SECONDS = 0.2  # at most this often a watcher is woken (a write per watcher per tick)
POLL_SECONDS = 1.0  # read this often without a kick (bids from other processes)
PING_SECONDS = 15.0
READ_LIMIT = 5000
SUMMARY = ("phase", "deadline", "price_fen", "leader_no", "seq", "result")

log = logging.getLogger(__name__)


def snapshot(st: AppState, lot_id: int, after: int) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Bids after ``after`` (none of a sealed lot still open) and the lot's state, in one read."""
    with st.sessions() as session:
        lot, listing = bidding.get_lot(session, lot_id)
        state = lot_json(session, lot, listing)
        sealed_open = listing.mode == engine.Mode.sealed.value and state["phase"] != engine.Phase.closed.value
        rows = [] if sealed_open else bidding.bids_after(session, lot_id, after, limit=READ_LIMIT)
        return [bid_json(b) for b in rows], state


def _summary(state: dict[str, Any]) -> str:
    return json.dumps({k: state.get(k) for k in SUMMARY})


class Hub:
    """One lot in this process: its bids and state, encoded once, and the watchers' wake-up."""

    def __init__(self, st: AppState, lot_id: int) -> None:
        self.st, self.lot_id = st, lot_id
        self.sse: list[bytes] = []  # bid n's SSE event at index n - 1
        self.json: list[str] = []  # and its JSON
        self.state: dict[str, Any] = {}
        self.summary = self.state_json = ""
        self.state_sse = b""
        self.changed = asyncio.Event()
        self.kicked = asyncio.Event()
        self.ready = asyncio.Event()
        self.loop = asyncio.get_running_loop()
        self.watchers = 0
        self.task: asyncio.Task[None] | None = None

    @property
    def seq(self) -> int:
        return len(self.json)

    @property
    def closed(self) -> bool:
        return self.state.get("phase") == engine.Phase.closed.value

    def absorb(self, bids: list[dict[str, Any]], state: dict[str, Any]) -> bool:
        """Take a read; True when it changed what watchers see."""
        for b in bids:
            if b["seq"] != self.seq + 1:
                continue  # already held (a read that overlapped the previous one)
            data = json.dumps(b, ensure_ascii=False)
            self.json.append(data)
            self.sse.append(ServerSentEvent(data=data, id=str(b["seq"]), event="bid").encode())
        summary = _summary(state)
        if not bids and summary == self.summary:
            return False
        self.state, self.summary = state, summary
        self.state_json = json.dumps(state, ensure_ascii=False)
        self.state_sse = ServerSentEvent(data=self.state_json, event="state").encode()
        return True

    async def read(self) -> bool:
        changed = False
        while True:
            bids, state = await asyncio.to_thread(snapshot, self.st, self.lot_id, self.seq)
            changed = self.absorb(bids, state) or changed
            if len(bids) < READ_LIMIT:
                return changed

    def wake(self) -> None:
        self.changed.set()
        self.changed = asyncio.Event()

    async def run(self) -> None:
        woken = time.monotonic()
        while self.watchers > 0:
            try:
                changed = await self.read()
            except Exception:  # a failed read (database restart): watchers keep what they have
                log.exception("lot %s: reading the feed failed", self.lot_id)
                changed = False
            self.ready.set()
            if changed or time.monotonic() - woken >= PING_SECONDS:
                woken = time.monotonic()
                self.wake()
            await asyncio.sleep(TICK_SECONDS if self.watchers else 0)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.kicked.wait(), POLL_SECONDS - TICK_SECONDS)
            self.kicked.clear()
        if _HUBS.get((id(self.st), self.lot_id)) is self:
            del _HUBS[(id(self.st), self.lot_id)]


_HUBS: dict[tuple[int, int], Hub] = {}


def hub_for(st: AppState, lot_id: int) -> Hub:
    """The lot's running hub, or a new one started (on this event loop)."""
    hub = _HUBS.get((id(st), lot_id))
    if hub is None or hub.task is None or hub.task.done():
        hub = _HUBS[(id(st), lot_id)] = Hub(st, lot_id)
        hub.task = asyncio.create_task(hub.run())
    return hub


def kick(st: AppState, lot_id: int) -> None:
    """Tell the lot's hub, from any thread, that bids were committed: it reads them at its next tick."""
    hub = _HUBS.get((id(st), lot_id))
    if hub is not None:
        with contextlib.suppress(RuntimeError):  # the loop closed: nobody watches any more
            hub.loop.call_soon_threadsafe(hub.kicked.set)


@dataclass
class Position:
    """What one watcher was sent: bids up to ``seq``, the state ``summary``; ``done`` after ``closed``."""

    seq: int
    summary: str = ""
    pinged: float = 0.0
    done: bool = False


async def follow(st: AppState, lot_id: int, after: int) -> AsyncIterator[tuple[Hub, Position, int]]:
    """Yield (hub, position before, bids held) at each wake; the caller encodes and sends what is
    new, then the position moves on. Ends after the lot closed and every bid was yielded."""
    hub = hub_for(st, lot_id)
    hub.watchers += 1
    pos = Position(after, pinged=time.monotonic())
    try:
        await hub.ready.wait()
        while not pos.done:
            changed = hub.changed
            held = hub.seq
            yield hub, pos, held
            pos.seq, pos.summary = max(pos.seq, held), hub.summary
            pos.done = hub.closed and pos.seq >= hub.seq
            if not pos.done:
                await changed.wait()
    finally:
        hub.watchers -= 1
        if hub.watchers == 0:
            hub.kicked.set()  # the last watcher left: the hub stops after its current read


async def chunks(st: AppState, lot_id: int, after: int) -> AsyncIterator[bytes]:
    """The SSE stream of one watcher: one write per wake, each bid encoded once per hub."""
    async for hub, pos, held in follow(st, lot_id, after):
        parts = hub.sse[pos.seq : held]
        if hub.summary != pos.summary:
            parts.append(hub.state_sse)
        if hub.closed and held >= hub.seq:
            parts.append(ServerSentEvent(data=hub.summary, event="closed").encode())
        if not parts and time.monotonic() - pos.pinged >= PING_SECONDS:
            parts.append(b": ping\r\n\r\n")
        if parts:
            pos.pinged = time.monotonic()
            yield b"".join(parts)


async def frames(st: AppState, lot_id: int, after: int) -> AsyncIterator[list[str]]:
    """The room's feed, a list of WebSocket frames per wake: ``bids`` (every bid after the
    watcher's position, ``id`` = the last one's sequence), ``state`` when it changed, ``closed``."""
    async for hub, pos, held in follow(st, lot_id, after):
        out: list[str] = []
        if held > pos.seq:
            data = ",".join(hub.json[pos.seq : held])
            out.append(f'{{"type":"bids","id":{held},"data":[{data}]}}')
        if hub.summary != pos.summary:
            out.append(f'{{"type":"state","data":{hub.state_json}}}')
        if hub.closed and held >= hub.seq:
            out.append(f'{{"type":"closed","data":{hub.summary}}}')
        if out:
            yield out


class EventStream(Response):
    """A ``text/event-stream`` response that ends when the client leaves (or the stream ends).

    Each chunk goes out as it is: no per-chunk timer or task, as a stream to thousands of
    watchers needs."""

    media_type = "text/event-stream"

    def __init__(self, content: Callable[[], AsyncIterator[bytes]]) -> None:
        self.content = content
        self.status_code = 200
        self.background = None
        self.init_headers({"Cache-Control": "no-store", "X-Accel-Buffering": "no"})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": self.raw_headers})
        pump = asyncio.create_task(self._pump(send))
        gone = asyncio.create_task(_disconnected(receive))
        try:
            await asyncio.wait((pump, gone), return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (pump, gone):
                task.cancel()
            await asyncio.gather(pump, gone, return_exceptions=True)

    async def _pump(self, send: Send) -> None:
        async for chunk in self.content():
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
        await send({"type": "http.response.body", "body": b"", "more_body": False})


async def _disconnected(receive: Receive) -> None:
    while (await receive())["type"] != "http.disconnect":
        pass
