"""JSON API of the enterprise inbox under ``/api/v1/policy/notifications``."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from longcheng.core.http import CurrentActor, DbSession
from longcheng.policy.api import API_PREFIX, API_TAGS
from longcheng.policy.inbox import service as inbox_service
from longcheng.policy.schemas import InboxPage, MarkedRead, ReadRead

router = APIRouter(prefix=API_PREFIX, tags=API_TAGS)


@router.get("/notifications", response_model=InboxPage)
def inbox(
    session: DbSession, actor: CurrentActor, unread: bool = False, page: int = 1, page_size: int = 20
) -> dict[str, Any]:
    """The enterprise's own inbox, newest first, with the unread count."""
    result = inbox_service.inbox(session, actor=actor, unread_only=unread, page=page, page_size=page_size)
    items = [
        inbox_service.describe(session, n) | {"created_at": n.created_at.isoformat()} for n in result.items
    ]
    return {
        "items": items,
        "total": result.total,
        "page": result.page,
        "unread": inbox_service.unread_count(session, actor=actor),
    }


@router.post("/notifications/{notification_id}/read", response_model=ReadRead)
def read_notification(notification_id: int, session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    inbox_service.mark_read(session, actor=actor, notification_id=notification_id)
    return {"status": "read", "unread": inbox_service.unread_count(session, actor=actor)}


@router.post("/notifications/read-all", response_model=MarkedRead)
def read_all(session: DbSession, actor: CurrentActor) -> dict[str, int]:
    return {"marked": inbox_service.mark_all_read(session, actor=actor)}
