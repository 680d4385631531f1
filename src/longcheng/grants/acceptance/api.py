"""JSON API of 先建后补 acceptance under ``/api/v1/grants/applications/{number}/acceptance``."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form
from pydantic import BaseModel

from longcheng.core.http import CurrentActor, DbSession
from longcheng.core.validation import validate
from longcheng.grants.acceptance import service
from longcheng.grants.acceptance.models import EVIDENCE
from longcheng.grants.acceptance.schemas import InspectionIn
from longcheng.grants.attachments.api import AttachmentRead, UploadDep

router = APIRouter(prefix="/api/v1/grants/applications/{number}/acceptance", tags=["grants 兑现一网办"])


class EvidenceRead(AttachmentRead):
    item: str
    label: str


class InspectionRead(BaseModel):
    inspected_on: date
    members: str
    findings: str
    result: str
    result_label: str
    rectify_due: date | None


class TaskRead(BaseModel):
    number: str
    state: str
    state_label: str
    rectify_due: date | None
    evidence: list[EvidenceRead]
    missing: list[str]
    inspections: list[InspectionRead]


class ReleaseRead(BaseModel):
    payable_id: int


def _task_json(session: DbSession, actor: CurrentActor, number: str) -> dict[str, Any]:
    app, task = service.task_of(session, actor=actor, number=number)
    have = service.evidence(session, task.id)
    return {
        "number": app.number,
        "state": task.state,
        "state_label": task.state_label,
        "rectify_due": task.rectify_due,
        "evidence": [
            {
                "item": f.item,
                "label": EVIDENCE[f.item]["label"],
                "name": f.name,
                "sha256": f.sha256,
                "size": f.size,
            }
            for f in have.values()
        ],
        "missing": [k for k in EVIDENCE if k not in have],
        "inspections": [
            {k: getattr(i, k) for k in InspectionRead.model_fields}
            for i in service.inspections(session, task.id)
        ],
    }


@router.get("", response_model=TaskRead)
def get_task(number: str, session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    return _task_json(session, actor, number)


@router.post("/files", status_code=201, response_model=EvidenceRead)
def upload(
    number: str, session: DbSession, actor: CurrentActor, item: Annotated[str, Form()], file: UploadDep
) -> dict[str, Any]:
    row = service.upload(
        session, actor=actor, number=number, item=item, name=file.name, data=file.data, root=file.root
    )
    return {
        "item": row.item,
        "label": EVIDENCE[row.item]["label"],
        "name": row.name,
        "sha256": row.sha256,
        "size": row.size,
    }


@router.post("/submit", response_model=TaskRead)
def submit(number: str, session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    service.submit(session, actor=actor, number=number)
    return _task_json(session, actor, number)


@router.post("/inspections", status_code=201, response_model=TaskRead)
def inspect(number: str, body: dict[str, Any], session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    data = validate(InspectionIn, body, code="grants.invalid")
    service.inspect(session, actor=actor, number=number, data=data)
    return _task_json(session, actor, number)


@router.post("/release", response_model=ReleaseRead)
def release(number: str, session: DbSession, actor: CurrentActor) -> dict[str, int]:
    return {"payable_id": service.release(session, actor=actor, number=number)}
