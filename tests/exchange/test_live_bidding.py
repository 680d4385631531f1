"""Bidding at speed: the room's WebSocket, stale bids refused from the price board, double clicks
answered after the price moved, and many clients bidding at once with nothing lost or out of order."""

from __future__ import annotations

import json
import shutil
import subprocess
import threading
import time
from contextvars import ContextVar
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from starlette.testclient import WebSocketTestSession
from tests.exchange.conftest import World
from tests.factories import login

from longcheng.exchange.bidding import stream
from longcheng.exchange.bidding.models import LotBid

_HELD: ContextVar[list[bool] | None] = ContextVar("serial_held", default=None)


class Serial:
    """The test's sessions share one connection: let one request or thread at a time use it (the
    room's feed polls while the lot's writer writes; a real server gives each its own connection).
    A request that already holds it (its context carries the flag into the worker threads it
    starts, e.g. the look-up of who is asking) opens further sessions without waiting for itself."""

    def __init__(self, factory: Any) -> None:
        self.factory, self.lock = factory, threading.Lock()

    def __call__(self) -> Any:
        held = _HELD.get()
        if held is not None and held[0]:
            return self.factory()
        self.lock.acquire()
        flag = [True]
        _HELD.set(flag)
        session = self.factory()
        close = session.close

        def release() -> None:
            try:
                close()
            finally:
                if flag[0]:
                    flag[0] = False
                    self.lock.release()

        session.close = release
        return session


def live(world: World) -> tuple[str, int]:
    st = world.client.app.state.longcheng  # type: ignore[attr-defined]
    st.sessions = st.write_sessions = Serial(st.sessions)
    code = world.published()
    a, b, _c = world.bidders
    for who in (a, b):
        world.fund(who, "50000")
        world.qualified(code, who)
    return code, world.go_live(code)


def settled(world: World) -> None:
    """Wait until no feed hub of the app reads any more: the test's own session shares the hubs'
    single connection (a real server gives each read its own)."""
    st = world.client.app.state.longcheng  # type: ignore[attr-defined]
    for _ in range(200):
        if not any(key[0] == id(st) for key in stream._HUBS):
            return
        time.sleep(0.05)
    raise AssertionError("the lot's feed hub did not stop after its last watcher left")


def until(ws: WebSocketTestSession, kind: str) -> dict[str, Any]:
    """The next frame of ``kind`` (the feed's frames may come first)."""
    for _ in range(50):
        msg: dict[str, Any] = json.loads(ws.receive_text())
        if msg["type"] == kind:
            return msg
    raise AssertionError(f"no {kind} frame")


def send_bid(ws: WebSocketTestSession, amount: str, key: str) -> dict[str, Any]:
    ws.send_text(json.dumps({"type": "bid", "amount": amount, "idempotency_key": key}))
    for _ in range(50):
        msg: dict[str, Any] = json.loads(ws.receive_text())
        if msg["type"] in ("ack", "refused", "error"):
            assert msg.get("idempotency_key") in (key, None)
            return msg
    raise AssertionError("no answer")


def test_a_bidder_bids_on_the_room_websocket_and_sees_the_bid_in_the_feed(world: World) -> None:
    """Ack with the sequence; the same connection then carries the bid; a double click is one bid;
    a stale bid is refused with its code; the HTTP API sees the same lot."""
    _code, lot_id = live(world)
    a, b, _c = world.bidders
    url = f"/api/v1/exchange/lots/{lot_id}/live"
    with world.client.websocket_connect(url, headers=a.headers) as ws:
        assert until(ws, "state")["data"]["phase"] == "free"
        ack = send_bid(ws, "100000", "ws-a1")
        assert ack["type"] == "ack"
        assert ack["bid"]["seq"] == 1
        assert not ack["duplicate"]
        assert ack["bid"]["deadline"]
        feed = until(ws, "bids")
        assert feed["id"] == 1
        assert [b["seq"] for b in feed["data"]] == [1]
        again = send_bid(ws, "100000", "ws-a1")
        assert again["type"] == "ack"
        assert again["duplicate"]
        assert again["bid"]["seq"] == 1
        r = world.client.post(
            f"/api/v1/exchange/lots/{lot_id}/bids",
            json={"amount": "101000", "idempotency_key": "http-b1"},
            headers=b.headers,
        )
        assert r.status_code == 201
        assert r.json()["seq"] == 2
        stale = send_bid(ws, "101000", "ws-a2")
        assert stale["type"] == "refused"
        assert stale["code"] == "exchange.bid_too_low"
        assert "加价幅度" in stale["message"]
        off = send_bid(ws, "102500", "ws-a3")
        assert off["code"] == "exchange.bid_off_step"
        bad = send_bid(ws, "一百万", "ws-a4")
        assert bad["type"] == "refused"
        assert bad["message"]
    settled(world)
    seqs = list(world.session.scalars(select(LotBid.seq).where(LotBid.lot_id == lot_id).order_by(LotBid.seq)))
    assert seqs == [1, 2]


def test_a_watcher_without_login_sees_bids_but_cannot_bid_and_resumes_after_a_sequence(world: World) -> None:
    _code, lot_id = live(world)
    a, b, _c = world.bidders
    for who, amount, key in ((a, "100000", "a1"), (b, "101000", "b1"), (a, "103000", "a2")):
        r = world.client.post(
            f"/api/v1/exchange/lots/{lot_id}/bids",
            json={"amount": amount, "idempotency_key": key},
            headers=who.headers,
        )
        assert r.status_code == 201, r.text
    with world.client.websocket_connect(f"/api/v1/exchange/lots/{lot_id}/live?after=1") as ws:
        feed = until(ws, "bids")
        assert [b["seq"] for b in feed["data"]] == [2, 3]
        assert feed["id"] == 3
        refused = send_bid(ws, "104000", "anon")
        assert refused["code"] == "exchange.login_required"
        assert refused["message"] == "请先登录后再报价。"
    settled(world)


def test_a_bad_token_or_an_unknown_lot_is_told_and_closed(world: World) -> None:
    _code, lot_id = live(world)
    with world.client.websocket_connect(
        f"/api/v1/exchange/lots/{lot_id}/live", headers={"Authorization": "Bearer nonsense"}
    ) as ws:
        msg = json.loads(ws.receive_text())
        assert msg["type"] == "error"
        assert msg["code"] == "auth.bad_token"
    with world.client.websocket_connect("/api/v1/exchange/lots/999999/live") as ws:
        msg = json.loads(ws.receive_text())
        assert msg["code"] == "exchange.lot_not_found"
        assert "竞价场次" in msg["message"]


def test_a_double_click_after_the_price_moved_returns_the_first_bid_not_a_refusal(world: World) -> None:
    """The board answers stale bids; a repeated key of an accepted bid must still get that bid."""
    _code, lot_id = live(world)
    a, b, _c = world.bidders
    path = f"/api/v1/exchange/lots/{lot_id}/bids"
    first = world.client.post(path, json={"amount": "100000", "idempotency_key": "k1"}, headers=a.headers)
    assert first.status_code == 201
    for i in range(3):
        amount = str(101000 + 2000 * i)
        r = world.client.post(path, json={"amount": amount, "idempotency_key": f"b{i}"}, headers=b.headers)
        assert r.status_code in (201, 409)
    r = world.client.post(path, json={"amount": "100000", "idempotency_key": "k1"}, headers=a.headers)
    assert r.status_code == 200
    assert r.json()["duplicate"]
    assert r.json()["seq"] == 1
    r = world.client.post(path, json={"amount": "100000", "idempotency_key": "k2"}, headers=a.headers)
    assert r.status_code == 409
    assert r.json()["code"] == "exchange.bid_too_low"
    r = world.client.post(path, json={"amount": "100000", "idempotency_key": "k3"}, headers=world.operator)
    assert r.status_code == 403


def test_the_room_page_login_bids_on_the_websocket_and_a_cross_site_page_cannot(world: World) -> None:
    """The room page opens the WebSocket with its login cookie: from the site's own origin the
    bidder bids on it; the same cookie sent by another site's page only watches."""
    _code, lot_id = live(world)
    login(world.client, "bidder0")
    url = f"/api/v1/exchange/lots/{lot_id}/live"
    with world.client.websocket_connect(url, headers={"Origin": "http://testserver"}) as ws:
        ack = send_bid(ws, "100000", "page-1")
        assert ack["type"] == "ack"
        assert ack["bid"]["seq"] == 1
        assert [b["seq"] for b in until(ws, "bids")["data"]] == [1]
    with world.client.websocket_connect(url, headers={"Origin": "http://evil.example"}) as ws:
        refused = send_bid(ws, "101000", "page-2")
        assert refused["code"] == "exchange.login_required"
    settled(world)


ROOM_JS = Path(__file__).parents[2] / "src/longcheng/static/exchange/room.js"
# A minimal page for room.js: the elements it writes, a WebSocket that records what is sent, and a
# fetch that records that it was called. Prints what the page showed and sent, as JSON.
HARNESS = """
const fs = require("fs");
const els = {}, sent = [], posted = [];
function el(id) { return els[id] || (els[id] = {id, textContent: "", children: [], dataset: {},
  appendChild(c) { this.children.push(c); }, insertBefore(c) { this.children.unshift(c); },
  addEventListener(k, f) { this["on" + k] = f; }}); }
const root = el("room");
root.dataset = {lot: "7", step: "100000", state: JSON.stringify({phase: "free", phase_label: "自由报价",
  server_time: "2026-12-06T10:00:00.000+00:00", deadline: "2026-12-06T11:00:00.000+00:00",
  price_fen: null, start_fen: 10000000, leader_no: null, my_no: "A001"})};
const button = el("plus1"); button.dataset = {steps: "1"};
global.document = {getElementById: el, querySelector: () => ({content: "csrf"}),
  querySelectorAll: (q) => (q === ".bid-step" ? [button] : []), createElement: () => el("x" + Math.random())};
global.location = {protocol: "http:", host: "example.test"};
global.window = {crypto: {randomUUID: () => "key-1"}};
Object.defineProperty(globalThis, "crypto", {value: window.crypto});
global.setInterval = () => 0; global.setTimeout = () => 0;
global.fetch = (url) => { posted.push(url); return new Promise(() => {}); };
let socket = null;
global.WebSocket = function (url) {
  socket = this; this.url = url; this.send = (t) => sent.push(JSON.parse(t));
};
eval(fs.readFileSync(process.argv[2], "utf8"));
socket.onopen();
socket.onmessage({data: JSON.stringify({type: "bids", id: 2, data: [
  {seq: 1, bidder_no: "A002", amount_fen: 10000000, at: "2026-12-06T10:00:01+00:00"},
  {seq: 2, bidder_no: "A003", amount_fen: 10100000, at: "2026-12-06T10:00:02+00:00"}]})});
socket.onmessage({data: JSON.stringify({type: "state", data: {phase: "free", phase_label: "自由报价",
  server_time: "2026-12-06T10:00:02.000+00:00", deadline: "2026-12-06T11:00:00.000+00:00",
  price_fen: 10100000, start_fen: 10000000, leader_no: "A003"}})});
button.onclick();
socket.onmessage({data: JSON.stringify({type: "ack", idempotency_key: "key-1", duplicate: false,
  bid: {seq: 3}})});
console.log(JSON.stringify({url: socket.url, sent, posted, rows: el("history").children.length,
  message: el("bid-message").textContent, price: el("price").textContent}));
"""


@pytest.mark.skipif(shutil.which("node") is None, reason="needs Node.js to run the page's script")
def test_the_room_page_bids_over_its_websocket_and_shows_the_feed(tmp_path: Path) -> None:
    """Clicking "+1 个幅度" in the room sends the bid on the room's WebSocket (one step above the
    price the feed showed), not over HTTP, and the acknowledgement and the bids appear."""
    harness = tmp_path / "harness.js"
    harness.write_text(HARNESS, encoding="utf-8")
    run = subprocess.run(
        ["node", str(harness), str(ROOM_JS)], capture_output=True, text=True, timeout=60, check=True
    )
    shown = json.loads(run.stdout)
    assert shown["url"] == "ws://example.test/api/v1/exchange/lots/7/live?after=0"
    assert shown["sent"] == [{"type": "bid", "amount": "102000.00", "idempotency_key": "key-1"}]
    assert shown["posted"] == []
    assert shown["rows"] == 2
    assert shown["message"] == "报价已接受，序号 3"
