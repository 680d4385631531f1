"""Public 公示 pages (no login): what is on notice, the archive, and the objection form; staff
reply to objections from the application page."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from longcheng.core.errors import LongchengError
from longcheng.core.http import ActorOrNone, CurrentActor, DbSession
from longcheng.core.templating import render
from longcheng.core.validation import validate
from longcheng.grants.programmes import service as programmes
from longcheng.grants.publicity import service as publicity

router = APIRouter(include_in_schema=False)


@router.get("/public/grants/notices")
def notices_page(request: Request, session: DbSession, actor: ActorOrNone, archive: bool = False) -> Response:
    rows = publicity.notices(session, archive=archive)
    return render(request, "grants/notices.html", actor, rows=rows, archive=archive, message="", error="")


@router.post("/public/grants/notices/{number}/objections")
def lodge_page(
    number: str,
    request: Request,
    session: DbSession,
    actor: ActorOrNone,
    name: Annotated[str, Form()] = "",
    contact: Annotated[str, Form()] = "",
    body: Annotated[str, Form()] = "",
) -> Response:
    try:
        data = validate(
            publicity.ObjectionIn, {"name": name, "contact": contact, "body": body}, code="grants.invalid"
        )
        publicity.lodge(session, number=number, data=data)
    except LongchengError as exc:
        session.rollback()
        rows = publicity.notices(session)
        return render(
            request,
            "grants/notices.html",
            actor,
            status=exc.status_code,
            rows=rows,
            archive=False,
            message="",
            error=exc.message_text,
        )
    rows = publicity.notices(session)
    return render(
        request,
        "grants/notices.html",
        actor,
        rows=rows,
        archive=False,
        message=f"已收到对 {number} 的异议，我们将在公示期内答复。",
        error="",
    )


@router.post("/grants/objections/{objection_id}/reply")
def reply_page(
    objection_id: int,
    session: DbSession,
    actor: CurrentActor,
    number: Annotated[str, Form()],
    reply: Annotated[str, Form()],
    resolved: Annotated[str, Form()] = "",
) -> Response:
    publicity.reply(session, actor=actor, objection_id=objection_id, text=reply, resolved=resolved == "yes")
    return RedirectResponse(f"/grants/applications/{number}", status_code=303)


@router.get("/public/grants/calendar")
def calendar_page(request: Request, session: DbSession, actor: ActorOrNone) -> Response:
    """Windows open now, opening soon and closed, across departments."""
    rows = programmes.public_calendar(session)
    groups = {state: [(w, p) for w, p, s in rows if s == state] for state in ("open", "upcoming", "closed")}
    return render(request, "grants/calendar.html", actor, groups=groups, labels=programmes.WINDOW_STATES)
