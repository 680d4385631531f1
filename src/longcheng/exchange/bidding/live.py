"""The bidding room over one WebSocket: watch every accepted bid and bid on the same connection.

The connection is authenticated once, when it opens: an API token (``Authorization: Bearer``)
or the login cookie of a page on the same site (a cross-site origin is treated as a visitor).
Anyone may watch; only a bidder may bid. Frames are JSON objects with a ``type``:

* server → client: ``bids`` (``data`` = the bids accepted since the previous frame, in sequence
  order; ``id`` = the last one's sequence), ``state`` (the lot), ``closed``; answers to bids:
  ``ack`` (``bid`` with its sequence, ``duplicate``) or ``refused`` (``code``, Chinese
  ``message``), each naming the bid's ``idempotency_key``; ``error``.
* client → server: ``{"type": "bid", "amount": "101000.00", "idempotency_key": "…"}``.

``?after=N`` resumes after the bid with sequence N (as ``Last-Event-ID`` does for SSE).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from typing import Any
from urllib.parse import urlsplit

from starlette.websockets import WebSocket, WebSocketDisconnect

from longcheng.core import logins
from longcheng.core.actors import Actor
from longcheng.core.clock import utcnow
from longcheng.core.errors import LongchengError, NotAuthenticated
from longcheng.core.http import AppState
from longcheng.core.users import User, user_for_token
from longcheng.core.validation import validate
from longcheng.exchange import service as parties
from longcheng.exchange.bidding import desk
from longcheng.exchange.bidding import service as bidding
from longcheng.exchange.bidding import stream as sse
from longcheng.exchange.schemas import BidIn

BAD_TOKEN = "API 令牌无效、已撤销，或账户已停用或锁定。"


def actor_of(st: AppState, ws: WebSocket) -> Actor | None:
    """The bidder or visitor behind the connection; raises on a bad token."""
    scheme, _, token = ws.headers.get("authorization", "").partition(" ")
    with st.sessions() as session:
        if scheme.lower() == "bearer" and token.strip():
            user = user_for_token(session, token.strip())
            if user is None:
                raise NotAuthenticated(BAD_TOKEN, code="auth.bad_token")
            return user.to_actor()
        key = ws.session.get("sid") if "session" in ws.scope else None
        if not isinstance(key, str) or not _same_site(ws):
            return None
        login = logins.resolve(session, key=key)
        found = session.get(User, login.user_id) if login is not None else None
        return found.to_actor() if found is not None and found.usable(utcnow()) else None


def _same_site(ws: WebSocket) -> bool:
    """A cookie counts only from a page of this site (no cross-site WebSocket hijacking)."""
    origin = ws.headers.get("origin")
    return origin is None or urlsplit(origin).netloc == ws.headers.get("host", "")


def origin_of(ws: WebSocket) -> bidding.Origin:
    return bidding.Origin(
        ip=ws.client.host if ws.client else "",
        user_agent=ws.headers.get("user-agent", ""),
        device_id=ws.headers.get("x-device-id", ""),
    )


def frame(kind: str, **fields: Any) -> str:
    return json.dumps({"type": kind, **fields}, ensure_ascii=False)


class Room:
    """One open connection: a sender shared by the feed and the answers, and the bidder."""

    def __init__(self, st: AppState, ws: WebSocket, lot_id: int, actor: Actor | None) -> None:
        self.st, self.ws, self.lot_id, self.actor = st, ws, lot_id, actor
        self.lock = asyncio.Lock()
        self.origin = origin_of(ws)

    async def send(self, text: str) -> None:
        async with self.lock:
            await self.ws.send_text(text)

    async def feed(self, after: int) -> None:
        """Every accepted bid after ``after`` in order (a ``bids`` frame per wake), state changes,
        then ``closed``."""
        async for batch in sse.frames(self.st, self.lot_id, after):
            async with self.lock:
                for text in batch:
                    await self.ws.send_text(text)

    async def answer(self, raw: str) -> str:
        """The answer to one client frame: ``ack``, ``refused`` or ``error``."""
        try:
            msg = json.loads(raw)
        except ValueError:
            return frame("error", code="exchange.invalid", message="消息须为 JSON 对象。")
        if not isinstance(msg, dict) or msg.get("type") != "bid":
            return frame("error", code="exchange.invalid", message="不支持的消息类型。")
        key = str(msg.get("idempotency_key", ""))[:64]
        try:
            ack = await self.bid(msg)
        except LongchengError as exc:
            return frame("refused", idempotency_key=key, code=exc.code_text, message=exc.message_text)
        return frame("ack", idempotency_key=key, duplicate=ack.duplicate, bid=ack.bid)

    async def bid(self, msg: dict[str, Any]) -> desk.Ack:
        if self.actor is None:
            raise NotAuthenticated("请先登录后再报价。", code="exchange.login_required")
        data = validate(BidIn, {k: v for k, v in msg.items() if k != "type"}, code="exchange.invalid")
        amount = parties.to_fen(data.amount, "报价")
        assert amount is not None
        actor, lot_id, key = self.actor, self.lot_id, data.idempotency_key

        def judge() -> desk.Ack | None:
            return desk.judge(self.st, actor=actor, lot_id=lot_id, amount_fen=amount, key=key)

        if desk.board_of(self.st).fresh(lot_id, actor.id):  # in memory: no thread, no database
            fast = judge()
        else:
            fast = await asyncio.to_thread(judge)
        if fast is not None:
            return fast
        return await desk.asequence(
            self.st, actor=actor, lot_id=lot_id, amount_fen=amount, key=key, origin=self.origin
        )


async def serve(st: AppState, ws: WebSocket, lot_id: int, after: int) -> None:
    """Open the room: authenticate, check the lot, then feed and answer until either side leaves."""
    try:
        actor = await asyncio.to_thread(actor_of, st, ws)
        await asyncio.to_thread(sse.snapshot, st, lot_id, after)  # an unknown lot fails here
    except LongchengError as exc:
        await ws.accept()
        await ws.send_text(frame("error", code=exc.code_text, message=exc.message_text))
        await ws.close(code=4000 + exc.status_code)
        return
    await ws.accept()
    room = Room(st, ws, lot_id, actor)
    feeding = asyncio.create_task(room.feed(after))
    try:
        while True:
            raw = await ws.receive_text()
            await room.send(await room.answer(raw))
    except WebSocketDisconnect:
        pass
    finally:
        feeding.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await feeding
