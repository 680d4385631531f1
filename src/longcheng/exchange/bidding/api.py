"""JSON API of live bidding: the lot's state, bids, the SSE stream, and what follows the hammer."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, File, Form, Header, Request, UploadFile, WebSocket
from fastapi.responses import Response
from pydantic import BaseModel
from sqlalchemy import select
from sse_starlette.sse import EventSourceResponse
from starlette.routing import WebSocketRoute

from longcheng.core import audit
from longcheng.core.actors import Actor, Role
from longcheng.core.errors import PermissionDenied
from longcheng.core.http import ActorOrNone, CurrentActor, DbSession, state_of
from longcheng.core.openapi import ANY_FILE, StatusRead, file_download
from longcheng.core.validation import validate
from longcheng.exchange import delivery
from longcheng.exchange import service as parties
from longcheng.exchange.bidding import desk, live, results
from longcheng.exchange.bidding import service as bidding
from longcheng.exchange.bidding import stream as sse
from longcheng.exchange.bidding.views import lot_json
from longcheng.exchange.listings.models import Registration
from longcheng.exchange.papers import confirmation
from longcheng.exchange.schemas import BidIn, ReasonIn

router = APIRouter(prefix="/api/v1/exchange", tags=["exchange e交易"])


class LotRead(BaseModel):
    """A lot at this instant on the server's clock (sealed lots hide price and leader until the end)."""

    id: int
    listing_code: str
    title: str
    mode: str
    phase: str
    phase_label: str
    server_time: str
    starts_at: str
    free_ends_at: str
    deadline: str
    start_fen: int
    step_fen: int
    max_steps: int
    price_fen: int | None
    leader_no: str | None
    seq: int
    next_min_fen: int
    result: str | None
    my_no: str | None
    leading: bool


class BidRead(BaseModel):
    seq: int
    bidder_no: str
    amount_fen: int
    at: str
    hash: str
    duplicate: bool = False
    deadline: str


class IdentityRead(BaseModel):
    bidder_no: str
    name: str


def mine(session: DbSession, actor: Actor | None, listing_id: int) -> Registration | None:
    if actor is None or actor.role is not Role.bidder:
        return None
    bidder = parties.bidder_of(session, actor)
    return session.scalar(
        select(Registration).where(Registration.listing_id == listing_id, Registration.bidder_id == bidder.id)
    )


@router.get("/lots/{lot_id}", response_model=LotRead)
def read_lot(lot_id: int, session: DbSession, actor: ActorOrNone) -> dict[str, Any]:
    lot, listing = bidding.get_lot(session, lot_id)
    return lot_json(session, lot, listing, mine=mine(session, actor, listing.id))


def origin_of(request: Request) -> bidding.Origin:
    """Client IP, user agent and the bidding room's optional ``X-Device-Id`` header."""
    return bidding.Origin(
        ip=request.client.host if request.client else "",
        user_agent=request.headers.get("user-agent", ""),
        device_id=request.headers.get("x-device-id", ""),
    )


@router.post("/lots/{lot_id}/bids", status_code=201, response_model=BidRead)
def bid(
    lot_id: int, body: dict[str, Any], request: Request, actor: CurrentActor, response: Response
) -> dict[str, Any]:
    """A stale bid is refused from this process's price board without a write; every other bid
    queues on the lot's sequencer, which writes the queued bids in one transaction under the
    lot's row lock (PostgreSQL) or write transaction (SQLite) and answers after the commit."""
    data = validate(BidIn, body, code="exchange.invalid")
    amount = parties.to_fen(data.amount, "报价")
    assert amount is not None
    ack = desk.submit(
        state_of(request),
        actor=actor,
        lot_id=lot_id,
        amount_fen=amount,
        key=data.idempotency_key,
        origin=origin_of(request),
    )
    if ack.duplicate:
        response.status_code = 200
    return {**ack.bid, "duplicate": ack.duplicate}


async def live_room(websocket: WebSocket) -> None:
    """The bidding room on one WebSocket: every accepted bid as it happens, and bids with their
    acknowledgements on the same connection (see :mod:`longcheng.exchange.bidding.live`).

    A plain Starlette route: the app's CSRF dependency is for HTTP requests (a WebSocket's cookie
    is checked against its ``Origin`` instead)."""
    lot_id = int(websocket.path_params["lot_id"])
    after = websocket.query_params.get("after", "0")
    await live.serve(websocket.app.state.longcheng, websocket, lot_id, int(after) if after.isdigit() else 0)


router.routes.append(WebSocketRoute("/api/v1/exchange/lots/{lot_id:int}/live", live_room))


@router.get("/lots/{lot_id}/events", response_class=EventSourceResponse)
async def stream(
    lot_id: int, request: Request, last_event_id: Annotated[str | None, Header()] = None, after: int = 0
) -> Response:
    """Server-sent events: every accepted bid (``id`` = its sequence) and state changes; a
    reconnect with ``Last-Event-ID`` resumes after that bid."""
    start = int(last_event_id) if last_event_id and last_event_id.isdigit() else after
    st = state_of(request)
    await asyncio.to_thread(sse.snapshot, st, lot_id, start)  # an unknown lot is a 404 before the stream
    return sse.EventStream(lambda: sse.chunks(st, lot_id, start))


@router.get("/lots/{lot_id}/audit-file", response_class=Response, responses=file_download(ANY_FILE))
def audit_file(lot_id: int, session: DbSession) -> Response:
    lot, listing = bidding.get_lot(session, lot_id)
    data = results.audit_file(session, lot, listing)
    name = f"audit-{listing.code}.json"
    return Response(
        data, media_type="application/json", headers={"Content-Disposition": f"attachment; filename={name}"}
    )


@router.get("/lots/{lot_id}/identities", response_model=list[IdentityRead])
def identities(lot_id: int, request: Request, actor: CurrentActor) -> list[dict[str, str]]:
    """The bidders behind the 竞买号 — after the close only; an earlier look is refused and recorded
    (in its own transaction, so the record stays although the request fails)."""
    st = state_of(request)
    try:
        with st.sessions() as session:
            lot, listing = bidding.get_lot(session, lot_id)
            rows = results.identities(session, actor=actor, lot=lot, listing=listing)
    except PermissionDenied as exc:
        with st.write_sessions() as writer, writer.begin():
            audit.record(
                writer,
                actor=actor,
                action="exchange.identities.denied",
                entity_type="exchange_lot",
                entity_id=str(lot_id),
                after={"结果": "拒绝", "原因": exc.message_text},
            )
        raise
    return [{"bidder_no": no, "name": name} for no, name in rows]


@router.get(
    "/lots/{lot_id}/confirmation.pdf", response_class=Response, responses=file_download("application/pdf")
)
def confirmation_pdf(lot_id: int, session: DbSession, actor: CurrentActor) -> Response:
    lot, listing = bidding.get_lot(session, lot_id)
    pdf = confirmation.render(results.deal(session, actor=actor, lot=lot, listing=listing))
    name = quote(f"成交确认书-{listing.code}.pdf")
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{name}"},
    )


@router.post("/lots/{lot_id}/pay", response_model=StatusRead)
def pay(lot_id: int, session: DbSession, actor: CurrentActor) -> dict[str, str]:
    lot, listing = bidding.get_lot(session, lot_id, lock=True)
    results.pay_balance(session, actor=actor, lot=lot, listing=listing)
    return {"status": "paid"}


@router.post("/lots/{lot_id}/default", response_model=StatusRead)
def default(lot_id: int, body: dict[str, Any], session: DbSession, actor: CurrentActor) -> dict[str, str]:
    reason = validate(ReasonIn, body, code="exchange.invalid").reason
    lot, listing = bidding.get_lot(session, lot_id, lock=True)
    return {"status": results.declare_default(session, actor=actor, lot=lot, listing=listing, reason=reason)}


@router.post("/lots/{lot_id}/delivery", response_model=StatusRead)
def deliver(
    lot_id: int,
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    note: Annotated[str, Form()],
    files: Annotated[list[UploadFile] | None, File()] = None,
) -> dict[str, str]:
    lot, listing = bidding.get_lot(session, lot_id, lock=True)
    docs = [(f.filename or "文件", f.file.read(20 << 20)) for f in files or [] if f.filename]
    settings = state_of(request).settings
    delivery.store_documents(settings.data_dir, docs, max_bytes=settings.max_upload_bytes)  # kept by hash
    results.deliver(session, actor=actor, lot=lot, listing=listing, note=note, documents=docs)
    return {"status": "delivered"}
