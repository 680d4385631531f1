"""JSON API of listings under /api/v1/exchange: the public search, the lifecycle, registrations, the feed."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel

from longcheng.core.clock import SHANGHAI, to_utc
from longcheng.core.errors import ValidationFailed
from longcheng.core.http import CurrentActor, DbSession
from longcheng.core.listing import Paging
from longcheng.core.openapi import Page
from longcheng.core.validation import validate
from longcheng.exchange.bidding import service as bidding
from longcheng.exchange.listings import feed, query, registrations
from longcheng.exchange.listings import service as listings
from longcheng.exchange.listings.models import Registration
from longcheng.exchange.listings.views import listing_json
from longcheng.exchange.schemas import ApproveIn, ListingFilter, ListingIn, ReasonIn

router = APIRouter(prefix="/api/v1/exchange", tags=["exchange e交易"])
FilterDep = Annotated[ListingFilter, Depends()]


class ListingRead(BaseModel):
    """A listing as the public sees it (amounts in fen)."""

    code: str
    title: str
    asset_class: str
    asset_class_label: str
    mode: str
    mode_label: str
    status: str
    status_label: str
    region: str
    seller_name: str
    start_fen: int
    appraisal_fen: int
    step_fen: int
    deposit_fen: int
    rules_version: str
    disclosure_start: str | None
    disclosure_end: str | None
    disclosure_note: str
    auction_start: str | None
    attempt: int
    status_reason: str


class ListingDetail(ListingRead):
    fields: dict[str, Any]
    lot_id: int | None


class RegistrationRead(BaseModel):
    id: int
    bidder_no: str
    status: str
    deposit: str
    preemptor: bool


class FeedEventRead(BaseModel):
    id: int
    at: str
    listing_code: str
    kind: str
    data: dict[str, Any]


class FeedRead(BaseModel):
    """Events after the cursor in order; ask again with ``next_cursor``."""

    events: list[FeedEventRead]
    next_cursor: int


def parse_time(text: str) -> datetime | None:
    if not text.strip():
        return None
    try:
        dt = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValidationFailed("时间格式应为 2026-12-01T10:00。", code="exchange.time_invalid") from None
    return to_utc(dt if dt.tzinfo else dt.replace(tzinfo=SHANGHAI))


def detail(session: DbSession, code: str) -> dict[str, Any]:
    listing = listings.get(session, code)
    lot = bidding.lot_of(session, listing)
    return {**listing_json(listing), "fields": listing.fields, "lot_id": lot.id if lot else None}


def reg_json(reg: Registration) -> dict[str, Any]:
    return {
        "id": reg.id,
        "bidder_no": reg.bidder_no,
        "status": reg.status,
        "deposit": reg.deposit,
        "preemptor": reg.preemptor,
    }


@router.get("/listings", response_model=Page[ListingRead])
def search(session: DbSession, filters: FilterDep, paging: Paging) -> dict[str, Any]:
    page = query.public(session, filters=filters, page=paging.page, page_size=paging.page_size)
    return {
        "items": [listing_json(x) for x in page.items],
        "total": page.total,
        "page": page.page,
        "page_size": page.page_size,
    }


@router.get("/feed", response_model=FeedRead)
def read_feed(
    session: DbSession, cursor: int = 0, limit: Annotated[int, Query(ge=1, le=500)] = 100
) -> dict[str, Any]:
    events, nxt = feed.read(session, cursor=cursor, limit=limit)
    return {
        "events": [
            {
                "id": e.id,
                "at": e.at.isoformat(),
                "listing_code": e.listing_code,
                "kind": e.kind,
                "data": e.data,
            }
            for e in events
        ],
        "next_cursor": nxt,
    }


@router.get("/listings/{code}", response_model=ListingDetail)
def read_listing(code: str, session: DbSession) -> dict[str, Any]:
    listings.get_public(session, code)
    return detail(session, code)


@router.post("/listings", status_code=201, response_model=ListingDetail)
def create(body: dict[str, Any], session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    data = validate(ListingIn, body, code="exchange.invalid")
    return detail(session, listings.create(session, actor=actor, data=data).code)


@router.post("/listings/{code}/submit", response_model=ListingDetail)
def submit(code: str, session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    listings.submit(session, actor=actor, code=code)
    return detail(session, code)


@router.post("/listings/{code}/approve", response_model=ListingDetail)
def approve(code: str, body: dict[str, Any], session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    data = validate(ApproveIn, body, code="exchange.invalid")
    listings.approve(session, actor=actor, code=code, auction_start=parse_time(data.auction_start))
    return detail(session, code)


@router.post("/listings/{code}/registrations", status_code=201, response_model=RegistrationRead)
def register(
    code: str, body: dict[str, Any], request: Request, session: DbSession, actor: CurrentActor
) -> dict[str, Any]:
    listing = listings.get_public(session, code)
    reg = registrations.register(
        session,
        actor=actor,
        listing=listing,
        accept_conditions=bool(body.get("accept_conditions")),
        preemptor=bool(body.get("preemptor")),
    )
    origin = bidding.Origin(
        ip=request.client.host if request.client else "",
        user_agent=request.headers.get("user-agent", ""),
        device_id=request.headers.get("x-device-id", ""),
    )
    bidding.record_origin(
        session, listing_id=listing.id, bidder_id=reg.bidder_id, kind="registration", origin=origin
    )
    return reg_json(reg)


@router.post("/listings/{code}/{action}", response_model=ListingDetail)
def with_reason(
    code: str, action: str, body: dict[str, Any], session: DbSession, actor: CurrentActor
) -> dict[str, Any]:
    """reject (退回), suspend (中止), terminate (终结) with a reason;
    resume (恢复) with a new time; relist (重新挂牌) with a new price."""
    if action == "resume":
        when = parse_time(str(body.get("auction_start", "")))
        if when is None:
            raise ValidationFailed("请填写恢复后的竞价开始时间。", code="exchange.time_invalid")
        listings.resume(session, actor=actor, code=code, auction_start=when)
        return detail(session, code)
    if action == "relist":
        new = listings.relist(
            session,
            actor=actor,
            code=code,
            start_price=str(body.get("start_price", "")),
            step=str(body.get("step", "")),
        )
        return detail(session, new.code)
    moves = {"reject": listings.reject, "suspend": listings.suspend, "terminate": listings.terminate}
    if action not in moves:
        raise ValidationFailed("未知的操作。", code="exchange.action_unknown")
    reason = validate(ReasonIn, body, code="exchange.invalid").reason
    moves[action](session, actor=actor, code=code, reason=reason)
    return detail(session, code)


@router.post("/registrations/{reg_id}/review", response_model=RegistrationRead)
def review(reg_id: int, body: dict[str, Any], session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    pre = body.get("preemptor")
    reg = registrations.review(
        session,
        actor=actor,
        reg_id=reg_id,
        approve=bool(body.get("approve")),
        note=str(body.get("note", "")),
        preemptor=None if pre is None else bool(pre),
    )
    return reg_json(reg)


@router.post("/registrations/{reg_id}/deposit", response_model=RegistrationRead)
def deposit(reg_id: int, session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    return reg_json(registrations.pay_deposit(session, actor=actor, reg_id=reg_id))
