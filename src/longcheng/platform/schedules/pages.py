"""/admin/schedules: the periodic tasks with their last and next run (Beijing time), on/off."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from longcheng.core.auth import require
from longcheng.core.http import CurrentActor, DbSession
from longcheng.core.templating import render
from longcheng.platform.schedules import service as schedule_service
from longcheng.platform.schedules.permissions import SCHEDULES_MANAGE

router = APIRouter()


@router.get("/admin/schedules")
def schedules_page(request: Request, session: DbSession, actor: CurrentActor) -> Response:
    require(actor, SCHEDULES_MANAGE)
    rows = [
        (s, schedule_service.last_run(session, s), schedule_service.next_run(s))
        for s in schedule_service.list(session)
    ]
    return render(request, "platform/schedules.html", actor, rows=rows)


@router.post("/admin/schedules/{schedule_id}/enabled")
def set_enabled(
    schedule_id: int, session: DbSession, actor: CurrentActor, enabled: Annotated[bool, Form()]
) -> Response:
    require(actor, SCHEDULES_MANAGE)
    schedule_service.set_enabled(session, schedule_id, enabled=enabled, actor=actor)
    return RedirectResponse("/admin/schedules", status_code=303)
