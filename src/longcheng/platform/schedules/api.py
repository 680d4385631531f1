"""JSON under /api/v1/schedules: every schedule with its last and next run."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter
from pydantic import BaseModel

from longcheng.core.auth import require
from longcheng.core.http import CurrentActor, DbSession
from longcheng.platform.schedules import service as schedule_service
from longcheng.platform.schedules.permissions import SCHEDULES_MANAGE

router = APIRouter(prefix="/api/v1/schedules", tags=["schedules"])


class ScheduleRead(BaseModel):
    id: int
    name: str
    label: str
    cron: str
    working_days_only: bool
    kind: str
    enabled: bool
    last_due_at: datetime | None
    next_due_at: datetime | None


@router.get("")
def list_schedules(session: DbSession, actor: CurrentActor) -> list[ScheduleRead]:
    require(actor, SCHEDULES_MANAGE)
    return [
        ScheduleRead(
            id=s.id,
            name=s.name,
            label=s.label,
            cron=s.cron,
            working_days_only=s.working_days_only,
            kind=s.kind,
            enabled=s.enabled,
            last_due_at=s.last_due_at,
            next_due_at=schedule_service.next_run(s),
        )
        for s in schedule_service.list(session)
    ]
