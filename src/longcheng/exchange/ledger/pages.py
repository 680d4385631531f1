"""Pages of the deposit ledger: the bidder's money and registrations; the console's bank lines."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from longcheng.core.auth import require
from longcheng.core.http import CurrentActor, DbSession, state_of, uploaded_file
from longcheng.core.templating import render
from longcheng.exchange import permissions as perm
from longcheng.exchange import service as parties
from longcheng.exchange.ledger import refunds, statements
from longcheng.exchange.ledger import service as ledger
from longcheng.exchange.listings import registrations
from longcheng.exchange.members import service as members

router = APIRouter(include_in_schema=False)


@router.get("/exchange/mine")
def mine(request: Request, session: DbSession, actor: CurrentActor) -> Response:
    """The bidder's page: virtual account, balances, registrations with deposit status, refunds.
    A member's login (it has no bidder identity of its own) goes to its desk instead."""
    require(actor, perm.MY_BIDDING)
    if members.is_member_login(session, actor):
        return RedirectResponse("/exchange/member", status_code=303)
    bidder = parties.bidder_of(session, actor)
    regs = registrations.of_bidder(session, bidder)
    return render(
        request,
        "exchange/mine.html",
        actor,
        bidder=bidder,
        regs=regs,
        by_member=registrations.member_names(session, [r for r, _ in regs]),
        balances=ledger.balances_of(session, bidder.id, [r.id for r, _ in regs]),
        lines=statements.lines_of(session, bidder.id),
        refunds=refunds.of_bidder(session, bidder.id),
        reg_labels=registrations.STATUS_LABELS,
        deposit_labels=registrations.DEPOSIT_LABELS,
        line_labels=statements.STATUS_LABELS,
    )


@router.post("/exchange/registrations/{reg_id}/deposit")
def deposit_submit(reg_id: int, session: DbSession, actor: CurrentActor) -> Response:
    registrations.pay_deposit(session, actor=actor, reg_id=reg_id)
    return RedirectResponse("/exchange/mine", status_code=303)


@router.post("/exchange/refunds")
def refund_submit(session: DbSession, actor: CurrentActor) -> Response:
    refunds.request(session, actor=actor)
    return RedirectResponse("/exchange/mine", status_code=303)


@router.post("/exchange/bank-lines/{line_id}/resolve")
def resolve_submit(
    line_id: int,
    session: DbSession,
    actor: CurrentActor,
    accept: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
) -> Response:
    statements.resolve(session, actor=actor, line_id=line_id, accept=bool(accept), reason=reason)
    return RedirectResponse("/exchange/console", status_code=303)


@router.post("/exchange/bank-statements")
def statement_submit(
    request: Request, session: DbSession, actor: CurrentActor, file: Annotated[UploadFile, File()]
) -> Response:
    require(actor, perm.LEDGER_MANAGE)
    with uploaded_file(request, file) as path:
        statements.import_file(
            session, actor=actor, path=path, max_bytes=state_of(request).settings.max_upload_bytes
        )
    return RedirectResponse("/exchange/console", status_code=303)
