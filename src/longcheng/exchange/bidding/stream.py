"""The SSE fan-out: one database poller per lot per process, however many watch it.

Each watcher keeps its own position (the last bid sequence it was sent, from ``Last-Event-ID``)
and reads from the hub's in-memory copy of the lot's bids; the hub polls the database every
``POLL_SECONDS`` while anyone watches and wakes every watcher when something changed. Sealed lots
show no bid until they close.
"""

from __future__ import annotations

import asyncio
import bisect
import contextlib
import json
from collections.abc import AsyncIterator
from typing import Any

from sse_starlette import ServerSentEvent

from longcheng.core.http import AppState
from longcheng.exchange.auction import engine
from longcheng.exchange.bidding import service as bidding
from longcheng.exchange.bidding.views import bid_json, lot_json

POLL_SECONDS = 0.2
PING_SECONDS = 15.0


def snapshot(st: AppState, lot_id: int, after: int) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Bids after ``after`` (none of a sealed lot still open) and the lot's state, in one read."""
    with st.sessions() as session:
        lot, listing = bidding.get_lot(session, lot_id)
        state = lot_json(session, lot, listing)
        sealed_open = listing.mode == engine.Mode.sealed.value and state["phase"] != engine.Phase.closed.value
        rows = [] if sealed_open else bidding.bids_after(session, lot_id, after, limit=5000)
        return [bid_json(b) for b in rows], state


class Hub:
    def __init__(self, st: AppState, lot_id: int) -> None:
        self.st, self.lot_id = st, lot_id
        self.bids: list[dict[str, Any]] = []
        self.encoded: dict[int, str] = {}  # each bid's JSON, encoded once for every watcher
        self.frames: dict[int, bytes] = {}  # and its SSE event
        self.state: dict[str, Any] = {}
        self.changed = asyncio.Event()
        self.watchers = 0
        self.task: asyncio.Task[None] | None = None

    async def poll(self) -> None:
        while self.watchers > 0:
            after = self.bids[-1]["seq"] if self.bids else 0
            bids, state = await asyncio.to_thread(snapshot, self.st, self.lot_id, after)
            if bids or _summary(state) != _summary(self.state):
                for b in bids:
                    data = self.encoded[b["seq"]] = json.dumps(b, ensure_ascii=False)
                    self.frames[b["seq"]] = ServerSentEvent(data=data, id=str(b["seq"]), event="bid").encode()
                self.bids.extend(bids)
                self.state = state
                self.changed.set()
                self.changed = asyncio.Event()
            await asyncio.sleep(POLL_SECONDS)
        _HUBS.pop((id(self.st), self.lot_id), None)


_HUBS: dict[tuple[int, int], Hub] = {}


def _summary(state: dict[str, Any]) -> str:
    return json.dumps(
        {k: state.get(k) for k in ("phase", "deadline", "price_fen", "leader_no", "seq", "result")}
    )


def hub_for(st: AppState, lot_id: int) -> Hub:
    hub = _HUBS.get((id(st), lot_id))
    if hub is None:
        hub = _HUBS[(id(st), lot_id)] = Hub(st, lot_id)
    return hub


def _bid_event(hub: Hub, b: dict[str, Any]) -> dict[str, Any]:
    seq = b["seq"]
    data, raw = hub.encoded.get(seq), hub.frames.get(seq)
    if data is None or raw is None:
        data = json.dumps(b, ensure_ascii=False)
        raw = ServerSentEvent(data=data, id=str(seq), event="bid").encode()
    return {"id": str(seq), "event": "bid", "data": data, "raw": raw}


async def ticks(
    st: AppState, lot_id: int, after: int, disconnected: Any
) -> AsyncIterator[list[dict[str, Any]]]:
    """One watcher's events, a list per wake of the hub: bids after ``after`` in order, the state
    when it changed, then ``closed``. Each event carries ``raw``, its SSE encoding (shared by all
    watchers of the hub when it can be)."""
    bids, state = await asyncio.to_thread(snapshot, st, lot_id, after)
    hub = hub_for(st, lot_id)
    hub.watchers += 1
    if hub.task is None or hub.task.done():
        hub.bids, hub.encoded, hub.frames, hub.state = [], {}, {}, state
        hub.task = asyncio.create_task(hub.poll())
    sent_state = ""
    try:
        while True:
            source = bids or hub.bids  # in sequence order: skip what was sent without a scan
            tick = [
                _bid_event(hub, b)
                for b in source[bisect.bisect_right(source, after, key=lambda b: b["seq"]) :]
            ]
            bids = []
            after = int(tick[-1]["id"]) if tick else after
            current = hub.state or state
            if _summary(current) != sent_state:
                sent_state = _summary(current)
                data = json.dumps(current, ensure_ascii=False)
                tick.append(
                    {
                        "event": "state",
                        "data": data,
                        "raw": ServerSentEvent(data=data, event="state").encode(),
                    }
                )
            done = current.get("phase") == engine.Phase.closed.value and (
                not hub.bids or hub.bids[-1]["seq"] <= after
            )
            if done and hub.state:
                tick.append(
                    {
                        "event": "closed",
                        "data": sent_state,
                        "raw": ServerSentEvent(data=sent_state, event="closed").encode(),
                    }
                )
            if tick:
                yield tick
            if (done and hub.state) or await disconnected():
                return
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(hub.changed.wait(), timeout=PING_SECONDS)
    finally:
        hub.watchers -= 1


async def events(st: AppState, lot_id: int, after: int, disconnected: Any) -> AsyncIterator[dict[str, Any]]:
    """The event stream of one watcher, one event at a time (the room's WebSocket)."""
    async for tick in ticks(st, lot_id, after, disconnected):
        for event in tick:
            yield event


async def chunks(st: AppState, lot_id: int, after: int, disconnected: Any) -> AsyncIterator[bytes]:
    """The SSE stream of one watcher: each wake's events in one write, each bid encoded once per hub."""
    async for tick in ticks(st, lot_id, after, disconnected):
        yield b"".join(e["raw"] for e in tick)
