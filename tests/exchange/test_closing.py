"""The set-based closer: many lots settled in one round, the same result as one by one."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from tests.exchange.conftest import World

from longcheng.core.audit import AuditRecord
from longcheng.exchange.cli import close_due_now
from longcheng.platform.jobs import kinds


def _bid(world: World, lot_id: int, who: int, amount: str, key: str) -> None:
    r = world.client.post(
        f"/api/v1/exchange/lots/{lot_id}/bids",
        json={"amount": amount, "idempotency_key": key},
        headers=world.bidders[who].headers,
    )
    assert r.status_code == 201, r.text


def _three_lots(world: World) -> list[tuple[str, int]]:
    """Lot 1: a and b bid (a wins, b runner-up); lot 2: a, b, c registered, c alone bids;
    lot 3: nobody bids (流拍)."""
    for who in world.bidders:
        world.fund(who, "200000")
    made = []
    for n in range(3):
        code = world.published(title=f"公务车辆第{n + 1}号")
        for who in world.bidders:
            world.qualified(code, who)
        made.append((code, world.go_live(code)))
    _bid(world, made[0][1], 1, "100000", "1")
    _bid(world, made[0][1], 0, "102000", "2")
    _bid(world, made[1][1], 2, "100000", "3")
    return made


def _deposits(world: World, who: int) -> dict[str, Any]:
    me = world.client.get("/api/v1/exchange/me", headers=world.bidders[who].headers).json()
    return {r["listing_code"]: r["deposit"] for r in me["registrations"]} | {"available": me["available_fen"]}


def test_one_round_settles_every_due_lot_with_results_deposits_feed_and_audit(
    world: World, session_factory: sessionmaker[Session]
) -> None:
    lots = _three_lots(world)
    (c1, l1), (c2, l2), (c3, l3) = lots
    before = world.client.get("/api/v1/exchange/feed?cursor=0&limit=500").json()["next_cursor"]
    for _, lot_id in lots:
        world.end(lot_id)
    assert close_due_now(session_factory) == 3
    assert close_due_now(session_factory) == 0  # nothing settles twice
    assert [world.listing(c).status for c in (c1, c2, c3)] == ["sold", "sold", "unsold"]
    lot1 = world.client.get(f"/api/v1/exchange/lots/{l1}").json()
    assert lot1["phase"] == "closed"
    # a (winner of 1) and b (runner-up of 1, by the rule) keep lot 1's deposit; c keeps lot 2's.
    a, b, c = (_deposits(world, i) for i in range(3))
    assert (a[c1], b[c1], c[c1]) == ("frozen", "frozen", "released")
    assert (a[c2], b[c2], c[c2]) == ("released", "released", "frozen")
    assert {a[c3], b[c3], c[c3]} == {"released"}
    r = world.client.get("/api/v1/exchange/ledger/verify", headers=world.admin)
    assert r.json()["ok"], r.json()["problems"]
    events = world.client.get(f"/api/v1/exchange/feed?cursor={before}&limit=500").json()["events"]
    results = {e["listing_code"]: e["data"] for e in events if e["kind"] == "result"}
    assert results[c1]["result"] == "sold"
    assert results[c1]["price_fen"] == 10_200_000
    assert results[c3] == results[c3] | {"result": "unsold", "price_fen": None, "bidder_no": None}
    world.session.expire_all()
    closes = world.session.scalars(select(AuditRecord).where(AuditRecord.action == "exchange.lot.close"))
    assert sorted(int(r.entity_id) for r in closes) == sorted([l1, l2, l3])
    releases = world.session.scalars(
        select(AuditRecord).where(AuditRecord.action == "exchange.ledger.release")
    )
    assert len(list(releases)) == 6


def test_a_bid_after_the_close_is_refused_and_a_lot_not_yet_due_stays_open(
    world: World, session_factory: sessionmaker[Session]
) -> None:
    (c1, l1), (c2, l2), _ = _three_lots(world)
    world.end(l1)
    assert close_due_now(session_factory) == 1
    assert world.listing(c2).status == "bidding"
    r = world.client.post(
        f"/api/v1/exchange/lots/{l1}/bids",
        json={"amount": "110000", "idempotency_key": "late"},
        headers=world.bidders[1].headers,
    )
    assert r.status_code == 409
    assert r.json()["code"] == "exchange.bid_closed"
    _bid(world, l2, 0, "101000", "4")  # the open lot still takes bids


def test_the_worker_runs_the_closer_as_a_sub_second_loop(
    world: World, session_factory: sessionmaker[Session]
) -> None:
    loops = {lp.name: lp for lp in kinds.all_loops()}
    assert loops["exchange.closer"].interval < 1
    (c1, l1), _, _ = _three_lots(world)
    world.end(l1)
    assert loops["exchange.closer"].fn(session_factory) == 1
    assert world.listing(c1).status == "sold"
