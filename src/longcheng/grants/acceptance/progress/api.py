"""JSON API of progress reports under ``/api/v1/grants/...``."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel

from longcheng.core.http import CurrentActor, DbSession
from longcheng.core.validation import validate
from longcheng.grants.acceptance import service as acceptance
from longcheng.grants.acceptance.progress import service
from longcheng.grants.acceptance.progress.models import ProgressReport
from longcheng.grants.acceptance.progress.schemas import PlanIn, ReportIn, ReviewIn
from longcheng.grants.attachments.api import AttachmentRead, UploadDep

router = APIRouter(prefix="/api/v1/grants", tags=["grants 兑现一网办"])


class ReportRead(BaseModel):
    seq: int
    due_on: date
    state: str
    state_label: str
    body: str
    submitted_at: datetime | None
    review_note: str
    files: list[AttachmentRead]


class PlanRead(BaseModel):
    programme: str
    every_months: int
    reports: int
    remind_days: int


def _report_json(session: DbSession, report: ProgressReport) -> dict[str, Any]:
    out = {k: getattr(report, k) for k in ReportRead.model_fields if k != "files"}
    out["files"] = [
        {"name": f.name, "sha256": f.sha256, "size": f.size} for f in service.files_of(session, report.id)
    ]
    return out


@router.get("/applications/{number}/progress", response_model=list[ReportRead])
def list_reports(number: str, session: DbSession, actor: CurrentActor) -> list[dict[str, Any]]:
    _, task = acceptance.task_of(session, actor=actor, number=number)
    return [_report_json(session, r) for r in service.reports_of(session, task.id)]


@router.post("/applications/{number}/progress/{seq}/files", status_code=201, response_model=AttachmentRead)
def upload(number: str, seq: int, session: DbSession, actor: CurrentActor, file: UploadDep) -> dict[str, Any]:
    row = service.upload(
        session, actor=actor, number=number, seq=seq, name=file.name, data=file.data, root=file.root
    )
    return {"name": row.name, "sha256": row.sha256, "size": row.size}


@router.post("/applications/{number}/progress/{seq}/submit", response_model=ReportRead)
def submit(
    number: str, seq: int, body: dict[str, Any], session: DbSession, actor: CurrentActor
) -> dict[str, Any]:
    data = validate(ReportIn, body, code="grants.invalid")
    return _report_json(session, service.submit(session, actor=actor, number=number, seq=seq, data=data))


@router.post("/applications/{number}/progress/{seq}/review", response_model=ReportRead)
def review(
    number: str, seq: int, body: dict[str, Any], session: DbSession, actor: CurrentActor
) -> dict[str, Any]:
    data = validate(ReviewIn, body, code="grants.invalid")
    return _report_json(session, service.review(session, actor=actor, number=number, seq=seq, data=data))


@router.put("/programmes/{code}/progress-plan", response_model=PlanRead)
def set_plan(code: str, body: dict[str, Any], session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    data = validate(PlanIn, body, code="grants.invalid")
    plan = service.set_plan(session, actor=actor, programme_code=code, data=data)
    return {"programme": code, **{k: getattr(plan, k) for k in ("every_months", "reports", "remind_days")}}
