"""The 开标 page: officers collect and present key shares, staff open the bids and, in 竞争性谈判,
start the next sealed round; everyone allowed sees the slots, the bids received and the record."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.responses import Response

from longcheng.core.clock import SHANGHAI, to_utc
from longcheng.core.errors import PermissionDenied, ValidationFailed
from longcheng.core.http import CurrentActor, DbSession
from longcheng.core.templating import render
from longcheng.exchange.tendering import opening, procedures, query, rounds, service
from longcheng.exchange.tendering.pages.public import back

router = APIRouter(include_in_schema=False)


@router.get("/exchange/tenders/{code}/opening")
def opening_page(code: str, request: Request, session: DbSession, actor: CurrentActor) -> Response:
    """Staff of the tender and its opening officers only."""
    t = service.get(session, code)
    staff = query.manages(session, actor, t)
    slots = query.slots(session, t)
    mine = next((s for s in slots if s.officer_id == actor.id), None)
    if not staff and mine is None:
        raise PermissionDenied(
            "只有本项目的开标人和所属交易机构工作人员可以查看开标页面。", code="tendering.not_staff"
        )
    return render(
        request,
        "exchange/tender_opening.html",
        actor,
        t=t,
        tabs=query.tabs(session, actor, t),
        staff=staff,
        slots=slots,
        mine=mine,
        bids=query.received(session, actor=actor, tender=t) if staff else [],
        status_label=query.STATUS,
        rule=procedures.rule(t.procedure),
    )


@router.post("/exchange/tenders/{code}/my-share")
def collect_submit(code: str, request: Request, session: DbSession, actor: CurrentActor) -> Response:
    """The officer's key share, shown once on this answer and never again."""
    share = opening.collect_share(session, actor=actor, code=code)
    response = render(request, "exchange/tender_share.html", actor, t=service.get(session, code), share=share)
    response.headers["Cache-Control"] = "no-store"
    return response


@router.post("/exchange/tenders/{code}/shares")
def present_submit(
    code: str, session: DbSession, actor: CurrentActor, share: Annotated[str, Form()] = ""
) -> Response:
    opening.present_share(session, actor=actor, code=code, share=share)
    return back(code, "opening")


@router.post("/exchange/tenders/{code}/open")
def open_submit(code: str, session: DbSession, actor: CurrentActor) -> Response:
    opening.open_tender(session, actor=actor, code=code)
    return back(code, "opening")


def _local(value: str, label: str) -> datetime:
    try:
        return to_utc(datetime.fromisoformat(value).replace(tzinfo=SHANGHAI))
    except ValueError:
        raise ValidationFailed(f"{label}格式不正确。", code="tendering.bad_times") from None


@router.post("/exchange/tenders/{code}/rounds")
def round_submit(
    code: str,
    session: DbSession,
    actor: CurrentActor,
    deadline: Annotated[str, Form()] = "",
    opening_at: Annotated[str, Form()] = "",
) -> Response:
    rounds.next_round(
        session,
        actor=actor,
        code=code,
        deadline=_local(deadline, "报价截止时间"),
        opening_at=_local(opening_at, "开启时间"),
    )
    return back(code, "opening")
