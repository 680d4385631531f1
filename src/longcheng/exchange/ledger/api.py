"""JSON API of the deposit ledger: bank statements, held lines, refunds, a bidder's money, verify."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Request, UploadFile
from pydantic import BaseModel

from longcheng.core.auth import require
from longcheng.core.http import CurrentActor, DbSession, state_of, uploaded_file
from longcheng.exchange import permissions as perm
from longcheng.exchange import service as parties
from longcheng.exchange.ledger import refunds, statements
from longcheng.exchange.ledger import service as ledger
from longcheng.exchange.ledger.models import Refund
from longcheng.exchange.listings import registrations

router = APIRouter(prefix="/api/v1/exchange", tags=["exchange e交易"])


class StatementRead(BaseModel):
    matched: int
    held: int
    unknown: int
    duplicates: int


class BankLineRead(BaseModel):
    id: int
    bank_ref: str
    status: str
    amount_fen: int
    payer_name: str
    note: str


class RefundRead(BaseModel):
    id: int
    amount_fen: int
    to_name: str
    to_account: str
    due_on: str
    status: str


class MyRegistration(BaseModel):
    id: int
    listing_code: str
    title: str
    bidder_no: str
    status: str
    deposit: str
    deposit_fen: int
    member: str | None = None


class MeRead(BaseModel):
    """The acting bidder: virtual account, balances, registrations."""

    name: str
    virtual_account: str
    available_fen: int
    frozen_fen: int
    refunding_fen: int
    registrations: list[MyRegistration]


class VerifyRead(BaseModel):
    ok: bool
    entries: int
    postings: int
    problems: list[str]


def refund_json(r: Refund) -> dict[str, Any]:
    return {
        "id": r.id,
        "amount_fen": r.amount_fen,
        "to_name": r.to_name,
        "to_account": r.to_account,
        "due_on": r.due_on.isoformat(),
        "status": r.status,
    }


@router.post("/bank-statements", response_model=StatementRead)
def import_statement(
    request: Request, session: DbSession, actor: CurrentActor, file: Annotated[UploadFile, File()]
) -> dict[str, int]:
    require(actor, perm.LEDGER_MANAGE)
    with uploaded_file(request, file) as path:
        out = statements.import_file(
            session, actor=actor, path=path, max_bytes=state_of(request).settings.max_upload_bytes
        )
    return {"matched": out.matched, "held": out.held, "unknown": out.unknown, "duplicates": out.duplicates}


@router.post("/bank-lines/{line_id}/resolve", response_model=BankLineRead)
def resolve(line_id: int, body: dict[str, Any], session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    row = statements.resolve(
        session,
        actor=actor,
        line_id=line_id,
        accept=bool(body.get("accept")),
        reason=str(body.get("reason", "")),
    )
    return {
        "id": row.id,
        "bank_ref": row.bank_ref,
        "status": row.status,
        "amount_fen": row.amount_fen,
        "payer_name": row.payer_name,
        "note": row.note,
    }


@router.post("/refunds", status_code=201, response_model=RefundRead)
def request_refund(session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    return refund_json(refunds.request(session, actor=actor))


@router.post("/refunds/{refund_id}/pay", response_model=RefundRead)
def pay_refund(refund_id: int, session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    return refund_json(refunds.pay(session, actor=actor, refund_id=refund_id))


@router.get("/me", response_model=MeRead)
def me(session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    require(actor, perm.MY_BIDDING)
    bidder = parties.bidder_of(session, actor)
    regs = registrations.of_bidder(session, bidder)
    bal = ledger.balances_of(session, bidder.id, [r.id for r, _ in regs])
    by_member = registrations.member_names(session, [r for r, _ in regs])
    return {
        "name": bidder.name,
        "virtual_account": bidder.virtual_account,
        "available_fen": bal.available_fen,
        "frozen_fen": bal.frozen_fen,
        "refunding_fen": bal.refunding_fen,
        "registrations": [
            {
                "id": r.id,
                "listing_code": lst.code,
                "title": lst.title,
                "bidder_no": r.bidder_no,
                "status": r.status,
                "deposit": r.deposit,
                "deposit_fen": lst.deposit_fen,
                "member": by_member.get(r.id),
            }
            for r, lst in regs
        ],
    }


@router.get("/ledger/verify", response_model=VerifyRead)
def verify(session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    require(actor, perm.LEDGER_VERIFY)
    report = ledger.verify(session)
    return {
        "ok": report.ok,
        "entries": report.entries,
        "postings": report.postings,
        "problems": report.problems[:100],
    }
