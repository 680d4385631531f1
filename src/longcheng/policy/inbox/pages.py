"""The old enterprise inbox URLs: the inbox is now 我的消息 of the notification centre (``/messages``).

``/policy/inbox`` redirects there, the badge is the centre's, and marking a 精准推送 row read
marks both the run's row and its centre message.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.responses import Response

from longcheng.core.http import CurrentActor, DbSession
from longcheng.platform.notifications import service as centre
from longcheng.policy.inbox import service as inbox_service

router = APIRouter(include_in_schema=False)


@router.get("/policy/inbox")
def inbox_page(unread: bool = False) -> Response:
    return RedirectResponse("/messages?unread=true" if unread else "/messages", status_code=303)


@router.post("/policy/inbox/{notification_id}/read")
def read_one(notification_id: int, request: Request, session: DbSession, actor: CurrentActor) -> Response:
    inbox_service.mark_read(session, actor=actor, notification_id=notification_id)
    if request.headers.get("hx-request"):
        return HTMLResponse('<span class="muted">已读</span>')
    return RedirectResponse("/messages", status_code=303)


@router.post("/policy/inbox/read-all")
def read_all(session: DbSession, actor: CurrentActor) -> Response:
    inbox_service.mark_all_read(session, actor=actor)
    return RedirectResponse("/messages", status_code=303)


@router.get("/policy/inbox/unread")
def unread_badge(session: DbSession, actor: CurrentActor) -> Response:
    """The navigation's unread count of the notification centre (kept for old pages)."""
    count = centre.unread_count(session, actor=actor)
    body = f'<span class="badge" id="inbox-unread" title="未读消息">{count}</span>' if count else ""
    return HTMLResponse(body)
