"""我的消息 (``/messages``): list, unread filter, paging, read marks, the e-mail preference, the badge;
and the admins' list of e-mail that could not be delivered (``/admin/notifications/failed``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.responses import Response

from longcheng.core.http import CurrentActor, DbSession
from longcheng.core.templating import render
from longcheng.platform.notifications import service
from longcheng.platform.notifications.models import EmailMode

router = APIRouter(include_in_schema=False)


@router.get("/messages")
def messages(
    request: Request, session: DbSession, actor: CurrentActor, unread: bool = False, page: int = 1
) -> Response:
    result = service.inbox(session, actor=actor, unread_only=unread, page=page)
    email, mode = service.preference(session, actor=actor)
    return render(
        request,
        "platform/messages.html",
        actor,
        page=result,
        unread=unread,
        unread_count=service.unread_count(session, actor=actor),
        email=email,
        mode=mode,
        modes=list(EmailMode),
    )


@router.get("/messages/{notification_id}")
def open_message(notification_id: int, session: DbSession, actor: CurrentActor) -> Response:
    """Mark the message read and go to the object it is about (or back to the list)."""
    note = service.mark_read(session, actor=actor, notification_id=notification_id)
    target = note.link if note.link.startswith("/") and not note.link.startswith("//") else "/messages"
    return RedirectResponse(target, status_code=303)


@router.post("/messages/{notification_id}/read")
def read_one(notification_id: int, request: Request, session: DbSession, actor: CurrentActor) -> Response:
    service.mark_read(session, actor=actor, notification_id=notification_id)
    if request.headers.get("hx-request"):
        return HTMLResponse('<span class="muted">已读</span>')
    return RedirectResponse("/messages", status_code=303)


@router.post("/messages/read-all")
def read_all(session: DbSession, actor: CurrentActor) -> Response:
    service.mark_all_read(session, actor=actor)
    return RedirectResponse("/messages", status_code=303)


@router.post("/messages/preference")
def preference(
    session: DbSession,
    actor: CurrentActor,
    email: Annotated[str, Form()] = "",
    mode: Annotated[EmailMode, Form()] = EmailMode.immediate,
) -> Response:
    service.set_preference(session, actor=actor, email=email, mode=mode)
    return RedirectResponse("/messages", status_code=303)


@router.get("/messages-unread")
def unread_badge(session: DbSession, actor: CurrentActor) -> Response:
    """The navigation's unread count (loaded by HTMX on every page); empty when nothing is unread."""
    count = service.unread_count(session, actor=actor)
    body = f'<span class="badge" id="inbox-unread" title="未读消息">{count}</span>' if count else ""
    return HTMLResponse(body)


@router.get("/admin/notifications/failed")
def failed(request: Request, session: DbSession, actor: CurrentActor, page: int = 1) -> Response:
    result = service.failed(session, actor=actor, page=page)
    return render(request, "platform/failed_emails.html", actor, page=result)
