"""JSON API of audit samples and findings under ``/api/v1/grants/audit``."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel

from longcheng.core.http import CurrentActor, DbSession
from longcheng.core.validation import validate
from longcheng.grants.audit import service
from longcheng.grants.audit.models import AuditItem
from longcheng.grants.audit.schemas import DrawIn, FindingIn

router = APIRouter(prefix="/api/v1/grants/audit", tags=["grants 兑现一网办"])


class ItemRead(BaseModel):
    id: int
    source_ref: str
    payee_name: str
    paid_fen: int
    result: str
    result_label: str
    finding: str
    clawback_fen: int


class SampleRead(BaseModel):
    id: int
    fiscal_year: int
    seed: int
    population: int
    size: int
    drawn_by: str
    drawn_at: datetime
    items: list[ItemRead]


def _item(i: AuditItem) -> dict[str, Any]:
    return {k: getattr(i, k) for k in ItemRead.model_fields}


def _sample(session: DbSession, actor: CurrentActor, sample_id: int) -> dict[str, Any]:
    sample, items = service.get(session, actor=actor, sample_id=sample_id)
    fields = {k: getattr(sample, k) for k in SampleRead.model_fields if k != "items"}
    return fields | {"items": [_item(i) for i in items]}


@router.post("/samples", status_code=201, response_model=SampleRead)
def draw(body: dict[str, Any], session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    data = validate(DrawIn, body, code="grants.invalid")
    return _sample(session, actor, service.draw(session, actor=actor, data=data).id)


@router.get("/samples/{sample_id}", response_model=SampleRead)
def get_sample(sample_id: int, session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    return _sample(session, actor, sample_id)


@router.post("/items/{item_id}/finding", response_model=ItemRead)
def finding(item_id: int, body: dict[str, Any], session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    data = validate(FindingIn, body, code="grants.invalid")
    return _item(service.record_finding(session, actor=actor, item_id=item_id, data=data))
