"""The enterprise inbox page: its notifications, marking them read, and the header's unread badge."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.responses import Response

from longcheng.core.auth import can
from longcheng.core.http import CurrentActor, DbSession
from longcheng.core.templating import render
from longcheng.policy import permissions as perm
from longcheng.policy import service
from longcheng.policy.inbox import service as inbox_service
from longcheng.policy.pages import common

router = APIRouter(include_in_schema=False)


@router.get("/policy/inbox")
def inbox_page(
    request: Request, session: DbSession, actor: CurrentActor, unread: bool = False, page: int = 1
) -> Response:
    result = inbox_service.inbox(session, actor=actor, unread_only=unread, page=page)
    items = [inbox_service.describe(session, n) for n in result.items]
    pack = service.get_pack()
    unread_count = inbox_service.unread_count(session, actor=actor)
    return render(
        request,
        "policy/inbox.html",
        actor,
        page=result,
        items=items,
        unread=unread,
        unread_count=unread_count,
        **common(pack),
    )


@router.post("/policy/inbox/{notification_id}/read")
def read_one(notification_id: int, request: Request, session: DbSession, actor: CurrentActor) -> Response:
    inbox_service.mark_read(session, actor=actor, notification_id=notification_id)
    if request.headers.get("hx-request"):
        return HTMLResponse('<span class="muted">已读</span>')
    return RedirectResponse("/policy/inbox", status_code=303)


@router.post("/policy/inbox/read-all")
def read_all(session: DbSession, actor: CurrentActor) -> Response:
    inbox_service.mark_all_read(session, actor=actor)
    return RedirectResponse("/policy/inbox", status_code=303)


@router.get("/policy/inbox/unread")
def unread_badge(session: DbSession, actor: CurrentActor) -> Response:
    """The header's unread count (loaded by HTMX); empty when there is nothing unread."""
    if not can(actor, perm.INBOX):
        return HTMLResponse("")
    count = inbox_service.unread_count(session, actor=actor)
    body = f'<span class="badge" id="inbox-unread" title="未读消息">{count}</span>' if count else ""
    return HTMLResponse(body)
