"""JSON API of applications under ``/api/v1/grants``: start, draft, submit, queue, steps, amount."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form
from pydantic import BaseModel, Field

from longcheng.core.http import CurrentActor, DbSession
from longcheng.core.openapi import Page
from longcheng.core.validation import validate
from longcheng.grants.applications.models import Application
from longcheng.grants.applications.schemas import DraftIn, MoveIn, QueueFilter
from longcheng.grants.applications.service import apply, decide, files, queue, review
from longcheng.grants.applications.service.base import get
from longcheng.grants.attachments.api import AttachmentRead, UploadDep
from longcheng.grants.engine.stages import machine

router = APIRouter(prefix="/api/v1/grants", tags=["grants 兑现一网办"])
FilterDep = Annotated[QueueFilter, Depends()]


class ApplicationRead(BaseModel):
    number: str
    window_id: int
    fiscal_year: int
    applicant_uscc: str
    applicant_name: str
    stage: str
    stage_label: str
    requested_fen: int
    policy_fen: int | None
    approved_fen: int | None
    account_masked: str
    versions: int


class QueueRowRead(ApplicationRead):
    programme: str
    age_working_days: int
    sla_working_days: int | None
    light: str


class SubmitIn(BaseModel):
    pledge: bool = False


class AmountIn(BaseModel):
    approved_fen: int = Field(gt=0)


class ReceiptRead(BaseModel):
    receipt: str


def app_json(a: Application) -> dict[str, Any]:
    data = {k: getattr(a, k) for k in ApplicationRead.model_fields if k != "stage_label"}
    return data | {"stage_label": machine().label(a.stage)}


@router.post("/windows/{window_id}/applications", status_code=201, response_model=ApplicationRead)
def start(window_id: int, session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    return app_json(apply.start(session, actor=actor, window_id=window_id))


@router.get("/applications", response_model=Page[QueueRowRead])
def list_applications(
    session: DbSession, actor: CurrentActor, filters: FilterDep, page: int = 1, page_size: int = 20
) -> dict[str, Any]:
    result = queue.queue(session, actor=actor, filters=filters, page=page, page_size=page_size)
    items = [
        app_json(r.app)
        | {"programme": r.programme, "age_working_days": r.age, "sla_working_days": r.limit, "light": r.light}
        for r in result.items
    ]
    return {"items": items, "total": result.total, "page": result.page, "page_size": result.page_size}


@router.get("/applications/{number}", response_model=ApplicationRead)
def get_application(number: str, session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    return app_json(get(session, actor=actor, number=number))


@router.put("/applications/{number}/draft", response_model=ApplicationRead)
def save_draft(number: str, body: dict[str, Any], session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    data = validate(DraftIn, body, code="grants.invalid")
    return app_json(apply.save(session, actor=actor, number=number, data=data))


@router.post("/applications/{number}/submit", response_model=ReceiptRead)
def submit(number: str, body: dict[str, Any], session: DbSession, actor: CurrentActor) -> dict[str, str]:
    data = validate(SubmitIn, body, code="grants.invalid")
    return {"receipt": apply.submit(session, actor=actor, number=number, pledge=data.pledge)}


@router.post("/applications/{number}/move", response_model=ApplicationRead)
def move(number: str, body: dict[str, Any], session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    data = validate(MoveIn, body, code="grants.invalid")
    return app_json(decide.move(session, actor=actor, number=number, data=data))


@router.put("/applications/{number}/amount", response_model=ApplicationRead)
def set_amount(number: str, body: dict[str, Any], session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    data = validate(AmountIn, body, code="grants.invalid")
    return app_json(decide.set_amount(session, actor=actor, number=number, approved_fen=data.approved_fen))


class AssignExpertsIn(BaseModel):
    field: str
    per_item: int = Field(default=5, ge=1, le=15)
    seed: int = Field(ge=0, le=2**31 - 1)


class DrawSummaryRead(BaseModel):
    draw_id: int
    seed: int
    assigned: int
    short: dict[str, int]
    excluded: dict[str, int]


class ReviewRead(BaseModel):
    scores: list[dict[str, Any]]
    count: int
    kept: list[int]
    dropped: list[int]
    mean: str | None


@router.post("/windows/{window_id}/experts", status_code=201, response_model=DrawSummaryRead)
def assign_experts(
    window_id: int, body: dict[str, Any], session: DbSession, actor: CurrentActor
) -> dict[str, Any]:
    data = validate(AssignExpertsIn, body, code="grants.invalid")
    result = review.assign_experts(
        session, actor=actor, window_id=window_id, field=data.field, per_item=data.per_item, seed=data.seed
    )
    return {
        "draw_id": result.draw_id,
        "seed": result.seed,
        "assigned": len(result.assigned),
        "short": result.short,
        "excluded": result.excluded,
    }


@router.get("/applications/{number}/review", response_model=ReviewRead)
def expert_review(number: str, session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    scores, agg = review.review_of(session, actor=actor, number=number)
    return {
        "scores": [{"reviewer": s.reviewer, "scores": s.scores, "total": s.total} for s in scores],
        "count": agg.count,
        "kept": agg.kept,
        "dropped": agg.dropped,
        "mean": str(agg.mean) if agg.mean is not None else None,
    }


class FileRead(AttachmentRead):
    item: str
    media_type: str


@router.post("/applications/{number}/files", status_code=201, response_model=FileRead)
def upload(
    number: str, session: DbSession, actor: CurrentActor, item: Annotated[str, Form()], file: UploadDep
) -> dict[str, Any]:
    row = files.upload(
        session, actor=actor, number=number, item=item, name=file.name, data=file.data, root=file.root
    )
    return {k: getattr(row, k) for k in FileRead.model_fields}
