"""Public pages of e-tendering: the list of tenders and one tender's notice, documents and results."""

from __future__ import annotations

from fastapi import APIRouter, Request
from sqlalchemy import select
from starlette.responses import Response

from longcheng.core.http import ActorOrNone, DbSession
from longcheng.core.templating import render
from longcheng.exchange.tendering import opening, procedures, service
from longcheng.exchange.tendering.models import Tender

router = APIRouter(include_in_schema=False)
STATUS = {
    "bidding": "投标中",
    "opened": "已开标",
    "failed": "招标失败",
    "publicity": "中标候选人公示中",
    "awarded": "已确定中标人",
}


@router.get("/exchange/tenders")
def tenders(request: Request, session: DbSession, actor: ActorOrNone) -> Response:
    """Every tender, newest first (no login)."""
    rows = list(session.scalars(select(Tender).order_by(Tender.id.desc()).limit(200)))
    return render(
        request, "exchange/tenders.html", actor, rows=rows, status_label=STATUS, procedure=procedures.LABELS
    )


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
        docs=service.documents(session, t),
        status_label=STATUS,
        procedure=procedures.LABELS,
        candidates=opening.candidates(session, t) if shown else [],
    )
