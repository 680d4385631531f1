"""JSON API of members acting for clients: members and their logins, client mandates, and the
member's registration, deposit and bids for a client (under /api/v1/exchange)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from pydantic import BaseModel
from starlette.responses import Response

from longcheng.core.errors import ValidationFailed
from longcheng.core.http import CurrentActor, DbSession, state_of
from longcheng.core.listing import content_disposition
from longcheng.core.openapi import ANY_FILE, file_download
from longcheng.core.validation import validate
from longcheng.exchange import service as parties
from longcheng.exchange.bidding import placing
from longcheng.exchange.listings import registrations
from longcheng.exchange.listings import service as listings
from longcheng.exchange.listings.api import RegistrationRead, reg_json
from longcheng.exchange.members import service as members
from longcheng.exchange.members.schemas import MemberIn, RevokeIn
from longcheng.exchange.models import Bidder, Mandate
from longcheng.exchange.schemas import BidIn

router = APIRouter(prefix="/api/v1/exchange", tags=["exchange e交易"])


class MemberRead(BaseModel):
    id: int
    name: str
    uscc: str
    institution_id: int


class MandateRead(BaseModel):
    id: int
    bidder_id: int
    client_name: str
    client_kind: str
    valid_from: str
    valid_to: str
    doc_name: str
    doc_sha256: str
    state: str
    revoked_at: str | None
    revoke_reason: str | None


class MemberBidRead(BaseModel):
    seq: int
    bidder_no: str
    amount_fen: int
    duplicate: bool


def mandate_json(m: Mandate, b: Bidder) -> dict[str, Any]:
    return {
        "id": m.id,
        "bidder_id": b.id,
        "client_name": b.name,
        "client_kind": b.kind,
        "valid_from": m.valid_from.isoformat(),
        "valid_to": m.valid_to.isoformat(),
        "doc_name": m.doc_name,
        "doc_sha256": m.doc_sha256,
        "state": members.mandate_state(m),
        "revoked_at": m.revoked_at.isoformat() if m.revoked_at else None,
        "revoke_reason": m.revoke_reason,
    }


@router.post("/members", status_code=201, response_model=MemberRead)
def create_member(body: dict[str, Any], session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    """A new member: ``name``, ``uscc`` (check digit verified), ``status`` and, for an admin, the
    ``institution`` code (an operator's own institution otherwise)."""
    data = validate(MemberIn, body, code="exchange.invalid")
    m = members.create_member(session, actor=actor, data=data)
    return {"id": m.id, "name": m.name, "uscc": m.uscc, "institution_id": m.institution_id}


@router.post("/members/{member_id}/operators", status_code=201, response_model=MemberRead)
def add_operator(
    member_id: int, body: dict[str, Any], session: DbSession, actor: CurrentActor
) -> dict[str, Any]:
    raw = str(body.get("user_id", ""))
    if not raw.isdigit():
        raise ValidationFailed("请指定经办人账号。", code="exchange.invalid")
    members.add_operator(session, actor=actor, member_id=member_id, user_id=int(raw))
    m = members.get_member(session, member_id)
    return {"id": m.id, "name": m.name, "uscc": m.uscc, "institution_id": m.institution_id}


def _day(text: str, label: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValidationFailed(
            f"{label}须为 YYYY-MM-DD 格式的日期。",
            code="exchange.date_invalid",
            details={label: "日期格式不正确"},
        ) from None


@router.post("/member/mandates", status_code=201, response_model=MandateRead)
async def record_mandate(
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    file: Annotated[UploadFile, File(description="委托书（PDF、PNG 或 JPG）")],
    valid_from: Annotated[str, Form()],
    valid_to: Annotated[str, Form()],
    uscc: Annotated[str, Form()] = "",
    name: Annotated[str, Form()] = "",
    id_number: Annotated[str, Form()] = "",
) -> dict[str, Any]:
    """A client's authorisation of the member: an organisation by ``uscc``, or a person by
    ``name`` and ``id_number``; the 委托书 and its validity dates."""
    settings = state_of(request).settings
    data = await file.read(settings.max_upload_bytes + 1)
    mandate = members.record_mandate(
        session,
        actor=actor,
        client=members.ClientIn(uscc=uscc, name=name, id_number=id_number),
        valid_from=_day(valid_from, "授权起始日期"),
        valid_to=_day(valid_to, "授权截止日期"),
        doc_name=file.filename or "委托书",
        doc=data,
        root=settings.data_dir,
        max_bytes=settings.max_upload_bytes,
    )
    client = session.get(Bidder, mandate.bidder_id)
    assert client is not None
    return mandate_json(mandate, client)


@router.get("/member/mandates", response_model=list[MandateRead])
def my_mandates(session: DbSession, actor: CurrentActor) -> list[dict[str, Any]]:
    return [mandate_json(m, b) for m, b in members.clients(session, actor=actor)]


@router.post("/mandates/{mandate_id}/revoke", response_model=MandateRead)
def revoke_mandate(
    mandate_id: int, body: dict[str, Any], session: DbSession, actor: CurrentActor
) -> dict[str, Any]:
    """撤销授权 with a ``reason``: by the member holding it or an operator of its institution;
    a second revocation is refused (409 ``exchange.mandate_already_revoked``)."""
    data = validate(RevokeIn, body, code="exchange.invalid")
    mandate = members.revoke_mandate(session, actor=actor, mandate_id=mandate_id, reason=data.reason)
    client = session.get(Bidder, mandate.bidder_id)
    assert client is not None
    return mandate_json(mandate, client)


@router.patch("/members/{member_id}", response_model=MemberRead)
def update_member(
    member_id: int, body: dict[str, Any], session: DbSession, actor: CurrentActor
) -> dict[str, Any]:
    """Change a member's name, USCC or status (``active`` | ``suspended``)."""
    data = validate(MemberIn, body, code="exchange.invalid")
    m = members.update_member(session, actor=actor, member_id=member_id, data=data)
    return {"id": m.id, "name": m.name, "uscc": m.uscc, "institution_id": m.institution_id}


@router.get("/mandates/{mandate_id}/document", response_class=Response, responses=file_download(ANY_FILE))
def mandate_document(mandate_id: int, request: Request, session: DbSession, actor: CurrentActor) -> Response:
    root = state_of(request).settings.data_dir
    mandate, data = members.mandate_document(session, actor=actor, mandate_id=mandate_id, root=root)
    return Response(
        data,
        media_type=mandate.doc_type,
        headers={"Content-Disposition": content_disposition(mandate.doc_name)},
    )


@router.post(
    "/member/clients/{bidder_id}/listings/{code}/registrations",
    status_code=201,
    response_model=RegistrationRead,
)
def register_for_client(
    bidder_id: int, code: str, body: dict[str, Any], session: DbSession, actor: CurrentActor
) -> dict[str, Any]:
    listing = listings.get_public(session, code)
    with members.acting_for(session, actor=actor, bidder_id=bidder_id):
        reg = registrations.register(
            session, actor=actor, listing=listing, accept_conditions=bool(body.get("accept_conditions"))
        )
    return reg_json(reg)


@router.post("/member/clients/{bidder_id}/registrations/{reg_id}/deposit", response_model=RegistrationRead)
def deposit_for_client(
    bidder_id: int, reg_id: int, session: DbSession, actor: CurrentActor
) -> dict[str, Any]:
    with members.acting_for(session, actor=actor, bidder_id=bidder_id):
        return reg_json(registrations.pay_deposit(session, actor=actor, reg_id=reg_id))


@router.post("/member/clients/{bidder_id}/lots/{lot_id}/bids", status_code=201, response_model=MemberBidRead)
def bid_for_client(
    bidder_id: int,
    lot_id: int,
    body: dict[str, Any],
    session: DbSession,
    actor: CurrentActor,
    response: Response,
) -> dict[str, Any]:
    """A member's bid for a client: the same rules, sequence and lock as the client's own bids."""
    data = validate(BidIn, body, code="exchange.invalid")
    amount = parties.to_fen(data.amount, "报价")
    assert amount is not None
    with members.acting_for(session, actor=actor, bidder_id=bidder_id):
        placed = placing.place_bid(
            session, actor=actor, lot_id=lot_id, amount_fen=amount, idem_key=data.idempotency_key
        )
    if placed.duplicate:
        response.status_code = 200
    b = placed.bid
    return {"seq": b.seq, "bidder_no": b.bidder_no, "amount_fen": b.amount_fen, "duplicate": placed.duplicate}
