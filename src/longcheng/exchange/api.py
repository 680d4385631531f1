"""JSON API of the exchange's parties: institutions and bidders (organisations and natural persons)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel
from starlette.responses import Response

from longcheng.core.http import CurrentActor, DbSession, client_key, state_of
from longcheng.core.listing import content_disposition
from longcheng.core.openapi import ANY_FILE, file_download
from longcheng.core.validation import validate
from longcheng.exchange import delivery, files
from longcheng.exchange import service as parties
from longcheng.exchange import signup as signups
from longcheng.exchange.bidding import service as bidding
from longcheng.exchange.models import Bidder
from longcheng.exchange.rulebook import book
from longcheng.exchange.schemas import InstitutionIn, SignupIn

router = APIRouter(prefix="/api/v1/exchange", tags=["exchange e交易"])


class InstitutionRead(BaseModel):
    id: int
    code: str
    name: str
    uscc: str


class BidderRead(BaseModel):
    id: int
    kind: str
    name: str
    uscc: str | None
    id_masked: str | None
    virtual_account: str


class RulebookRead(BaseModel):
    """The trading rulebook in force: version, defaults, and per class its label, fields and rules."""

    version: str
    defaults: dict[str, Any]
    modes: dict[str, str]
    classes: dict[str, dict[str, Any]]


def bidder_json(b: Bidder) -> dict[str, Any]:
    return {
        "id": b.id,
        "kind": b.kind,
        "name": b.name,
        "uscc": b.uscc,
        "id_masked": b.id_masked,
        "virtual_account": b.virtual_account,
    }


@router.post("/institutions", status_code=201, response_model=InstitutionRead)
def create_institution(body: dict[str, Any], session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    inst = parties.create_institution(
        session, actor=actor, data=validate(InstitutionIn, body, code="exchange.invalid")
    )
    return {"id": inst.id, "code": inst.code, "name": inst.name, "uscc": inst.uscc}


@router.post("/bidders", status_code=201, response_model=BidderRead)
def enrol(body: dict[str, Any], session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    """An organisation by ``uscc``, or a natural person by ``name`` and ``id_number``.

    ``user_id`` binds the login that acts for the bidder.
    """
    user_id = int(body["user_id"]) if str(body.get("user_id", "")).isdigit() else None
    if body.get("uscc"):
        bidder = parties.enrol_org_bidder(session, actor=actor, uscc=str(body["uscc"]), user_id=user_id)
    else:
        bidder = parties.enrol_person_bidder(
            session,
            actor=actor,
            name=str(body.get("name", "")),
            id_number=str(body.get("id_number", "")),
            user_id=user_id,
        )
    return bidder_json(bidder)


class SignupRead(BaseModel):
    username: str
    role: str
    bidder: BidderRead


@router.post("/signup", status_code=201, response_model=SignupRead)
def signup(body: dict[str, Any], request: Request, session: DbSession) -> dict[str, Any]:
    """竞买人自助注册 (no login): ``kind`` ``org`` (``uscc`` and the registry ``name``) or
    ``person`` (``name`` and ``id_number``), with the new login's ``username`` and ``password``.
    Rate-limited per client address and per identity (429 ``exchange.signup_rate_limited``)."""
    limits = signups.limits_of(state_of(request).extras)
    signups.throttle(limits, address=client_key(request), values=body)
    done = signups.signup(session, data=validate(SignupIn, body, code="exchange.invalid"))
    return {"username": done.user.username, "role": done.user.role, "bidder": bidder_json(done.bidder)}


@router.get("/rulebook", response_model=RulebookRead)
def rulebook() -> dict[str, Any]:
    rb = book.load()
    return {
        "version": rb.version,
        "defaults": rb.defaults,
        "modes": rb.modes,
        "classes": {
            c.code: {
                "label": c.label,
                "rules": rb.rules_for(c.code),
                "fields": [f.__dict__ for f in c.fields],
            }
            for c in rb.classes.values()
        },
    }


@router.get("/lots/{lot_id}/delivery/{sha256}", response_class=Response, responses=file_download(ANY_FILE))
def delivery_document(
    lot_id: int, sha256: str, request: Request, session: DbSession, actor: CurrentActor
) -> Response:
    """A 交割 document by its SHA-256: for the institution's staff and the buyer (or its member)."""
    lot, listing = bidding.get_lot(session, lot_id)
    root = state_of(request).settings.data_dir
    doc, data = delivery.document(session, actor=actor, lot=lot, listing=listing, sha256=sha256, root=root)
    _name, media = files.check(str(doc.get("name", "交割文件")), data)
    return Response(data, media_type=media, headers={"Content-Disposition": content_disposition(_name)})
