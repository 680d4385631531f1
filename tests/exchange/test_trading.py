"""The trading path over HTTP: list, register, pay the deposit, bid, close, and the bad inputs."""

from __future__ import annotations

from tests.exchange.conftest import World

from longcheng.core.actors import SYSTEM
from longcheng.exchange.bidding import service as bidding


def test_a_vehicle_lot_is_listed_registered_bid_on_and_sold(world: World) -> None:
    """The whole path: publish, fund, qualify, freeze, bid, close at the deadline, result in the feed."""
    code = world.published()
    a, b, c = world.bidders
    for who in (a, b, c):
        assert world.fund(who, "50000")["matched"] == 1
    ra, rb = world.qualified(code, a), world.qualified(code, b)
    lot_id = world.go_live(code)
    cl = world.client
    r = cl.post(
        f"/api/v1/exchange/lots/{lot_id}/bids",
        json={"amount": "100000", "idempotency_key": "a1"},
        headers=a.headers,
    )
    assert r.status_code == 201
    assert r.json()["seq"] == 1
    r = cl.post(
        f"/api/v1/exchange/lots/{lot_id}/bids",
        json={"amount": "102000", "idempotency_key": "b1"},
        headers=b.headers,
    )
    assert r.status_code == 201
    assert r.json()["seq"] == 2
    state = cl.get(f"/api/v1/exchange/lots/{lot_id}", headers=a.headers).json()
    assert state["price_fen"] == 10_200_000
    assert state["leader_no"] != state["my_no"]
    assert not state["leading"]
    world.end(lot_id)
    assert cl.get(f"/api/v1/exchange/lots/{lot_id}").json()["phase"] == "closed"
    assert bidding.close_due(world.session, actor=SYSTEM, lot_id=lot_id)
    world.session.commit()
    assert world.listing(code).status == "sold"
    me_a = cl.get("/api/v1/exchange/me", headers=a.headers).json()
    assert me_a["available_fen"] == 3_000_000
    assert me_a["frozen_fen"] == 2_000_000
    feed = cl.get("/api/v1/exchange/feed?cursor=0").json()
    kinds = [(e["listing_code"], e["kind"]) for e in feed["events"]]
    assert (code, "listed") in kinds
    assert (code, "result") in kinds
    assert ra != rb
