"""Many bidders at once against a real server on 127.0.0.1: HTTP and WebSocket bidders race on one
lot from real threads; every acknowledged bid is stored once, in sequence, each strictly better
than the last, and every WebSocket client saw every accepted bid in order."""

from __future__ import annotations

import json
import random
import threading
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx2 as httpx
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from tests.servers import serving
from websockets.sync.client import connect

from longcheng.core import users
from longcheng.core.actors import SYSTEM, Role
from longcheng.core.clock import utcnow
from longcheng.core.config import Settings
from longcheng.core.db import make_engine, make_sessionmaker, transaction
from longcheng.core.ids import make_uscc
from longcheng.exchange import service as parties
from longcheng.exchange.bidding.models import Lot, LotBid
from longcheng.exchange.book import postings as pb
from longcheng.exchange.ledger import service as ledger
from longcheng.exchange.listings import registrations
from longcheng.exchange.listings import service as listings
from longcheng.exchange.schemas import InstitutionIn, ListingIn
from longcheng.registry import service as registry_service
from longcheng.registry.schemas import OrgCreate
from longcheng.web import create_app

START, STEP = 100_000_00, 100_00  # fen


def seed(url: str, bidders: int) -> tuple[int, list[str]]:
    """A live timed lot in its free period and one API token per qualified bidder."""
    rng = random.Random(7)
    engine = make_engine(url)
    try:
        return _seed(make_sessionmaker(engine), rng, bidders)
    finally:
        engine.dispose()


def _seed(sessions: sessionmaker[Session], rng: random.Random, bidders: int) -> tuple[int, list[str]]:
    with transaction(sessions) as s:
        inst = make_uscc(rng, division="320400")
        parties.create_institution(
            s, actor=SYSTEM, data=InstitutionIn(code="CZ", name="常州产权交易所", uscc=inst)
        )
        op = users.create(
            s, actor=SYSTEM, username="race_op", password="race-password-1", role=Role.operator, org_uscc=inst
        )
        body = ListingIn(
            asset_class="vehicle",
            mode="timed",
            title="并发竞价测试车辆",
            seller_name="常州市机关事务管理局",
            appraisal="100000",
            start_price="100000",
            step="100",
            deposit="1000",
            fields={"plate": "苏D54321", "vin": "LSVAU033512345679", "mileage_km": 1000},
        )
        listing = listings.create(s, actor=op.to_actor(), data=body)
        listings.submit(s, actor=op.to_actor(), code=listing.code)
        listings.approve(s, actor=op.to_actor(), code=listing.code)
        tokens = []
        for i in range(bidders):
            org = registry_service.create(
                s,
                actor=SYSTEM,
                data=OrgCreate(uscc=make_uscc(rng), name=f"并发竞买{i}号有限公司", district="xinbei"),
            )
            user = users.create(
                s, actor=SYSTEM, username=f"race_{i}", password="race-password-1", role=Role.bidder
            )
            bidder = parties.enrol_org_bidder(s, actor=SYSTEM, uscc=org.uscc, user_id=user.id)
            ledger.post(
                s,
                actor=SYSTEM,
                kind="receive",
                ref="t",
                entries=pb.move(pb.BANK, pb.available(bidder.id), 10**6),
            )
            reg = registrations.register(s, actor=user.to_actor(), listing=listing, accept_conditions=True)
            registrations.review(s, actor=op.to_actor(), reg_id=reg.id, approve=True)
            registrations.pay_deposit(s, actor=user.to_actor(), reg_id=reg.id)
            tokens.append(users.create_token(s, actor=SYSTEM, user_id=user.id, name="race"))
        lot = s.scalar(select(Lot).where(Lot.listing_id == listing.id))
        assert lot is not None
        lot.starts_at = listing.auction_start = utcnow() - timedelta(seconds=1)
        lot.free_ends_at = lot.starts_at + timedelta(hours=1)
        lot.deadline = lot.free_ends_at + timedelta(seconds=180)
        return lot.id, tokens


@dataclass
class Seen:
    acks: list[dict[str, Any]] = field(default_factory=list)
    feeds: list[list[int]] = field(default_factory=list)
    best: list[int] = field(default_factory=lambda: [START - STEP])
    lock: threading.Lock = field(default_factory=threading.Lock)

    def next_amount(self, rng: random.Random) -> int:
        return self.best[0] + STEP * rng.randint(1, 2)

    def saw(self, amount: int) -> None:
        with self.lock:
            self.best[0] = max(self.best[0], amount)


def http_bidder(base: str, token: str, lot_id: int, rounds: int, seen: Seen) -> None:
    rng = random.Random(token)
    with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=60) as client:
        for n in range(rounds):
            amount = seen.next_amount(rng)
            body = {"amount": f"{amount / 100:.2f}", "idempotency_key": f"h{n}"}
            r = client.post(f"/api/v1/exchange/lots/{lot_id}/bids", json=body)
            assert r.status_code in (200, 201, 409), r.text
            if r.status_code == 201:
                with seen.lock:
                    seen.acks.append(r.json())
            if r.status_code == 409:
                assert r.json()["code"] in ("exchange.bid_too_low", "exchange.already_leading")
            seen.saw(amount)
            if r.status_code == 201 and n % 5 == 0:  # a double click is the same bid
                again = client.post(f"/api/v1/exchange/lots/{lot_id}/bids", json=body)
                assert again.status_code == 200
                assert again.json()["seq"] == r.json()["seq"]


def ws_bidder(base: str, token: str, lot_id: int, rounds: int, seen: Seen) -> None:
    rng = random.Random(token)
    feed: list[int] = []
    url = base.replace("http://", "ws://") + f"/api/v1/exchange/lots/{lot_id}/live"
    with connect(url, additional_headers={"Authorization": f"Bearer {token}"}) as ws:
        for n in range(rounds):
            amount = seen.next_amount(rng)
            key = f"w{n}"
            ws.send(json.dumps({"type": "bid", "amount": f"{amount / 100:.2f}", "idempotency_key": key}))
            while True:
                msg = json.loads(ws.recv(timeout=60))
                if msg["type"] == "bids":
                    feed.extend(int(b["seq"]) for b in msg["data"])
                    assert feed[-1] == msg["id"]
                elif msg["type"] in ("ack", "refused"):
                    break
            assert msg["idempotency_key"] == key
            if msg["type"] == "ack":
                with seen.lock:
                    seen.acks.append(msg["bid"])
            else:
                assert msg["code"] in ("exchange.bid_too_low", "exchange.already_leading"), msg
            seen.saw(amount)
        with seen.lock:
            seen.feeds.append(feed)


def test_http_and_websocket_bidders_racing_lose_nothing_and_stay_in_order(
    cli_db: str, tmp_path: Path
) -> None:
    lot_id, tokens = seed(cli_db, 6)
    app = create_app(Settings(database_url=cli_db, secret_key="race-secret-key", data_dir=tmp_path))
    seen = Seen()
    with serving(app) as base:
        threads = [
            threading.Thread(target=http_bidder if i % 2 else ws_bidder, args=(base, t, lot_id, 25, seen))
            for i, t in enumerate(tokens)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    engine = make_engine(cli_db)
    with make_sessionmaker(engine)() as s:
        stored = list(s.scalars(select(LotBid).where(LotBid.lot_id == lot_id).order_by(LotBid.seq)))
    engine.dispose()
    assert [b.seq for b in stored] == list(range(1, len(stored) + 1))
    assert all(x.amount_fen < y.amount_fen and x.at <= y.at for x, y in zip(stored, stored[1:], strict=False))
    by_seq = {b.seq: b for b in stored}
    assert len({a["seq"] for a in seen.acks}) == len(seen.acks) == len(stored)
    assert all(by_seq[a["seq"]].amount_fen == a["amount_fen"] for a in seen.acks)
    assert len(seen.feeds) == 3
    for feed in seen.feeds:  # each WebSocket saw accepted bids in order, none twice
        assert feed == sorted(set(feed))
