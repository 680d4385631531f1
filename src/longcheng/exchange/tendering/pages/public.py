"""The tenders list and one tender's page, with the 答疑 form for its staff and the bidder's forms."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from longcheng.core.exporting import write_xlsx
from longcheng.core.http import ActorOrNone, CurrentActor, DbSession
from longcheng.core.listing import Paging, export_limit, render_list, xlsx_response
from longcheng.core.templating import render
from longcheng.core.validation import validate
from longcheng.exchange import service as parties
from longcheng.exchange.tendering import opening, procedures, query, service
from longcheng.exchange.tendering.schemas import DocumentIn, TenderFilter

router = APIRouter(include_in_schema=False)
FilterDep = Annotated[TenderFilter, Depends()]
INVALID = "exchange.tender.invalid"


def back(code: str, page: str = "") -> Response:
    return RedirectResponse(f"/exchange/tenders/{code}{'/' + page if page else ''}", status_code=303)


@router.get("/exchange/tenders")
def tenders(
    request: Request, session: DbSession, actor: ActorOrNone, filters: FilterDep, paging: Paging
) -> Response:
    """Every tender, newest first, with search and filters (no login)."""
    page = query.list_tenders(
        session, actor=actor, filters=filters, page=paging.page, page_size=paging.page_size
    )
    return render_list(
        request,
        actor,
        "exchange/tenders.html",
        "exchange/_tenders_table.html",
        page,
        filters,
        status_label=query.STATUS,
        procedure=procedures.LABELS,
        institutions=[(i.code, i.name) for i in parties.institutions(session)],
    )


@router.get("/exchange/tenders.xlsx")
def export(request: Request, session: DbSession, actor: CurrentActor, filters: FilterDep) -> Response:
    rows = query.iter_export(session, actor=actor, filters=filters, limit=export_limit(request))
    return xlsx_response(write_xlsx("招标项目", query.EXPORT_HEADERS, rows), "exchange-tenders.xlsx")


@router.get("/exchange/tenders/{code}")
def tender(code: str, request: Request, session: DbSession, actor: ActorOrNone) -> Response:
    """A tender: notice, documents and 答疑 by version, and after 开标 the record and candidates."""
    t = service.get(session, code)
    shown = t.status in ("publicity", "awarded")
    return render(
        request,
        "exchange/tender.html",
        actor,
        t=t,
        tabs=query.tabs(session, actor, t),
        docs=service.documents(session, t),
        status_label=query.STATUS,
        procedure=procedures.LABELS,
        candidates=opening.candidates(session, t) if shown else [],
        staff=query.manages(session, actor, t),
        entrant=query.entrant_of(session, actor, t),
        rule=procedures.rule(t.procedure),
    )


@router.post("/exchange/tenders/{code}/documents")
def document_submit(
    code: str,
    session: DbSession,
    actor: CurrentActor,
    title: Annotated[str, Form()] = "",
    body: Annotated[str, Form()] = "",
) -> Response:
    data = validate(DocumentIn, {"kind": "clarification", "title": title, "body": body}, code=INVALID)
    service.publish_document(session, actor=actor, code=code, data=data)
    return back(code)


@router.post("/exchange/tenders/{code}/entrants")
def register_submit(code: str, session: DbSession, actor: CurrentActor) -> Response:
    service.register(session, actor=actor, code=code)
    return back(code)


@router.post("/exchange/tenders/{code}/bids")
def bid_submit(
    code: str, session: DbSession, actor: CurrentActor, price: Annotated[str, Form()] = ""
) -> Response:
    service.submit_bid(session, actor=actor, code=code, price=price, sealed=None)
    return back(code)
