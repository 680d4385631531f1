"""JSON API of the notification centre under ``/api/v1/notifications`` (the caller's own messages)."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from longcheng.core.http import CurrentActor, DbSession
from longcheng.platform.notifications import service
from longcheng.platform.notifications.schemas import InboxOut, NotificationOut

router = APIRouter(prefix="/api/v1/notifications", tags=["消息"])


class UnreadRead(BaseModel):
    """How many of the caller's messages are still unread."""

    unread: int


class MarkedRead(BaseModel):
    """How many messages were marked read."""

    marked: int


@router.get("")
def inbox(
    session: DbSession, actor: CurrentActor, unread: bool = False, page: int = 1, page_size: int = 20
) -> InboxOut:
    """The caller's messages, newest first, with the unread count."""
    result = service.inbox(session, actor=actor, unread_only=unread, page=page, page_size=page_size)
    return InboxOut(
        items=[NotificationOut(**service.describe(n)) for n in result.items],
        total=result.total,
        page=result.page,
        unread=service.unread_count(session, actor=actor),
    )


@router.post("/{notification_id}/read")
def read(notification_id: int, session: DbSession, actor: CurrentActor) -> UnreadRead:
    service.mark_read(session, actor=actor, notification_id=notification_id)
    return UnreadRead(unread=service.unread_count(session, actor=actor))


@router.post("/read-all")
def read_all(session: DbSession, actor: CurrentActor) -> MarkedRead:
    return MarkedRead(marked=service.mark_all_read(session, actor=actor))
