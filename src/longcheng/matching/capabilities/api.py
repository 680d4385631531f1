"""JSON API of capabilities under ``/api/v1/matching``: register, import, list, match both ways."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Query, Request, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel

from longcheng.core.http import CurrentActor, DbSession, uploaded_file
from longcheng.core.openapi import XLSX, Page, file_download
from longcheng.core.validation import validate
from longcheng.matching import importer
from longcheng.matching.capabilities import service
from longcheng.matching.capabilities.models import KINDS, Capability
from longcheng.matching.capabilities.schemas import CapabilityIn

router = APIRouter(prefix="/api/v1/matching", tags=["matching 揭榜挂帅"])


class CapabilityRead(BaseModel):
    code: str
    title: str
    kind: str
    kind_label: str
    field: str
    trl: int | None
    keywords: str
    org_name: str


class MatchRead(BaseModel):
    """A match and why: shared terms, concepts, field, TRL fit."""

    code: str
    title: str
    score: float
    why: list[str]


class ImportRead(BaseModel):
    created: int


def capability_json(row: Capability) -> dict[str, Any]:
    return {
        "code": row.code,
        "title": row.title,
        "kind": row.kind,
        "kind_label": KINDS[row.kind],
        "field": row.field,
        "trl": row.trl,
        "keywords": row.keywords,
        "org_name": row.org_name,
    }


@router.get("/capabilities", response_model=Page[CapabilityRead])
def listing(
    session: DbSession,
    q: Annotated[str, Query(max_length=100)] = "",
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> dict[str, Any]:
    found = service.search(session, filters=service.CapabilityFilter(q=q.strip()), page=page)
    return {
        "items": [capability_json(r) for r in found.items],
        "total": found.total,
        "page": page,
        "page_size": 20,
    }


@router.post("/capabilities", status_code=201, response_model=CapabilityRead)
def create(body: dict[str, Any], session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    data = validate(CapabilityIn, body, code="matching.invalid")
    return capability_json(service.create(session, actor=actor, data=data))


@router.put("/capabilities/{code}", response_model=CapabilityRead)
def edit(code: str, body: dict[str, Any], session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    """Edit a capability (a manager, or the owning firm); every change is audited."""
    data = validate(CapabilityIn, body, code="matching.invalid")
    return capability_json(service.update(session, actor=actor, code=code, data=data))


@router.get("/capabilities/template.xlsx", response_class=Response, responses=file_download(XLSX))
def template(actor: CurrentActor) -> Response:
    headers = {"Content-Disposition": "attachment; filename=capabilities-template.xlsx"}
    return Response(importer.template_xlsx(), media_type=XLSX, headers=headers)


@router.post("/capabilities/import", status_code=201, response_model=ImportRead)
def import_file(
    request: Request, session: DbSession, actor: CurrentActor, file: Annotated[UploadFile, File()]
) -> dict[str, Any]:
    with uploaded_file(request, file) as path:
        made = importer.run_import(session, actor=actor, path=path)
    return {"created": len(made)}


@router.get("/capabilities/{code}/matches", response_model=list[MatchRead])
def challenges_for(code: str, session: DbSession) -> list[dict[str, Any]]:
    return [m.__dict__ for m in service.for_capability(session, code=code)]


@router.get("/challenges/{code}/matches", response_model=list[MatchRead])
def capabilities_for(code: str, session: DbSession, actor: CurrentActor) -> list[dict[str, Any]]:
    return [m.__dict__ for m in service.for_challenge(session, actor=actor, code=code)]
