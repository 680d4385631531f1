"""One batch of the bid writer: each bid gets what it would have got alone, in arrival order.

The writer reads the lot with its last bid's time in one statement and looks up resent bids by
registration and key; these tests hold it to the answers a bidder sees: a double click inside
one batch or across batches is the same bid, never a second one, and time never runs backwards.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select
from tests.exchange.conftest import World
from tests.exchange.test_bad_input import live

from longcheng.core.actors import Actor, Role
from longcheng.core.clock import utcnow
from longcheng.core.errors import LongchengError
from longcheng.exchange.bidding import placing
from longcheng.exchange.bidding import service as bidding
from longcheng.exchange.bidding.models import LotBid
from longcheng.exchange.models import Bidder


def _actor(world: World, bidder_id: int) -> Actor:
    user_id = world.session.scalar(select(Bidder.user_id).where(Bidder.id == bidder_id))
    return Actor(id=user_id, username=f"bidder{bidder_id}", role=Role.bidder)


def _bids(world: World, lot_id: int) -> int:
    return world.session.scalar(select(func.count()).select_from(LotBid).where(LotBid.lot_id == lot_id)) or 0


def test_a_double_click_inside_one_batch_and_in_the_next_is_one_bid(world: World) -> None:
    _code, lot_id = live(world)
    a, b, _ = world.bidders
    first, second = _actor(world, a.id), _actor(world, b.id)
    batch = [
        placing.BidRequest(first, 10_000_000, "a1"),
        placing.BidRequest(first, 10_000_000, "a1"),  # the same click, queued twice
        placing.BidRequest(second, 10_100_000, "b1"),
        placing.BidRequest(second, 10_000_000, "b2"),  # not better than the price it saw
    ]
    out = placing.place_bids(world.session, lot_id=lot_id, bids=batch)
    assert [o.duplicate if isinstance(o, bidding.Placed) else o.code_text for o in out] == [
        False,
        True,
        False,
        "exchange.bid_too_low",
    ]
    assert isinstance(out[0], bidding.Placed)
    assert isinstance(out[1], bidding.Placed)
    assert out[1].bid.seq == out[0].bid.seq == 1
    again = placing.place_bids(
        world.session,
        lot_id=lot_id,
        bids=[placing.BidRequest(second, 10_100_000, "b1"), placing.BidRequest(first, 10_200_000, "a1")],
    )
    assert all(isinstance(o, bidding.Placed) and o.duplicate for o in again)
    assert [o.bid.seq for o in again if isinstance(o, bidding.Placed)] == [2, 1]
    assert _bids(world, lot_id) == 2


def test_the_lock_reads_the_last_bid_time_and_a_clock_behind_it_never_goes_back(world: World) -> None:
    _code, lot_id = live(world)
    a, b, _ = world.bidders
    lot, _listing, last = bidding.lock_lot(world.session, lot_id)
    assert last is None
    assert lot.seq == 0
    ahead = utcnow() + timedelta(seconds=2)
    place = placing.place_bid
    place(
        world.session,
        actor=_actor(world, a.id),
        lot_id=lot_id,
        amount_fen=10_000_000,
        idem_key="t1",
        now=ahead,
    )
    _lot, _listing, last = bidding.lock_lot(world.session, lot_id)
    assert last == ahead
    behind = ahead - timedelta(seconds=5)  # a clock that disagrees: the bid is stamped after the last
    b_actor = _actor(world, b.id)
    placed = place(
        world.session, actor=b_actor, lot_id=lot_id, amount_fen=10_100_000, idem_key="t2", now=behind
    )
    assert placed.bid.at >= ahead


def test_a_refused_batch_writes_nothing(world: World) -> None:
    _code, lot_id = live(world)
    a, _b, c = world.bidders
    outsider = _actor(world, c.id)  # funded but never qualified for this listing
    out = placing.place_bids(
        world.session,
        lot_id=lot_id,
        bids=[
            placing.BidRequest(outsider, 10_000_000, "x1"),
            placing.BidRequest(_actor(world, a.id), 100, "a9"),
        ],
    )
    assert [o.code_text for o in out if isinstance(o, LongchengError)] == [
        "exchange.not_qualified",
        "exchange.bid_off_step",
    ]
    assert _bids(world, lot_id) == 0
