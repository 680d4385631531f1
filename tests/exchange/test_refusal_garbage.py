"""A refused bid is freed at once, not left to the garbage collector.

On a busy lot almost every bid is refused (another bidder got there first). A refusal kept with
its traceback held the frames that held it: a reference cycle per refused bid, ~50 objects that
only the cyclic collector frees. Its passes (40–130 ms every few seconds, once 0.9 s) stopped the
whole room and were the tail of the acknowledgement latency (bench/RESULTS.md, fourth stop).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from types import FrameType

import pytest
from sqlalchemy import select
from tests.exchange.conftest import World
from tests.exchange.test_bad_input import live

from longcheng.core.actors import Actor, Role
from longcheng.core.errors import LongchengError
from longcheng.exchange.bidding import desk, placing
from longcheng.exchange.bidding import service as bidding
from longcheng.exchange.models import Bidder


@pytest.fixture
def collector_off() -> Iterator[None]:
    """The collector paused and emptied first, so that what it finds afterwards is the test's."""
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def cyclic_garbage() -> list[str]:
    """The bidding objects (refusals, queued bids, frames of our code) that were unreachable and
    that only the cyclic collector could free; other garbage (the test runner's) is left out."""
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        gc.collect()
        found = []
        for o in gc.garbage:
            if isinstance(o, BaseException | desk.Job):
                found.append(type(o).__name__)
            elif isinstance(o, FrameType) and "longcheng" in o.f_code.co_filename:
                found.append(f"frame {o.f_code.co_name}")
        return found
    finally:
        gc.set_debug(0)
        gc.garbage.clear()


def _actor(world: World, bidder_id: int, name: str) -> Actor:
    user_id = world.session.scalar(select(Bidder.user_id).where(Bidder.id == bidder_id))
    return Actor(id=user_id, username=name, role=Role.bidder)


def test_a_batch_of_refused_bids_leaves_no_cycles(world: World, collector_off: None) -> None:
    _code, lot_id = live(world)
    a, b, _ = world.bidders
    first, second = _actor(world, a.id, "bidder0"), _actor(world, b.id, "bidder1")
    placing.place_bid(world.session, actor=first, lot_id=lot_id, amount_fen=10_000_000, idem_key="g0")
    gc.collect()
    requests = [placing.BidRequest(second, 10_000_000, f"g{i}") for i in range(1, 41)]
    outcomes = placing.place_bids(world.session, lot_id=lot_id, bids=requests)
    assert all(isinstance(o, bidding.BidRefused) for o in outcomes)
    assert {o.code_text for o in outcomes if isinstance(o, LongchengError)} == {"exchange.bid_too_low"}
    del outcomes
    assert cyclic_garbage() == []


def test_a_waiter_told_of_its_refusal_leaves_no_cycle(collector_off: None) -> None:
    """The queued bid's refusal is raised to its waiter and caught, as the room does."""
    codes = []
    for n in range(40):
        job = desk.Job(
            actor=Actor(id=n, username="b", role=Role.bidder), amount_fen=1, key=str(n), origin=None
        )
        job.error = placing.bare(bidding.BidRefused("报价须高于当前价。", code="exchange.bid_too_low"))
        try:
            job.outcome()
        except LongchengError as exc:
            codes.append(exc.code_text)
        del job
    assert codes == ["exchange.bid_too_low"] * 40
    assert cyclic_garbage() == []
