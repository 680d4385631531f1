"""JSON API of the expert pool and expert review under ``/api/v1/experts``."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Request, UploadFile
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel

from longcheng.core.http import CurrentActor, DbSession, state_of, uploaded_file
from longcheng.core.listing import export_limit, xlsx_response
from longcheng.core.openapi import XLSX, ImportReportRead, Page, file_download, rows_refused
from longcheng.core.validation import validate
from longcheng.experts import export, importer
from longcheng.experts import service as experts_service
from longcheng.experts.engine import taxonomy
from longcheng.experts.models import Expert
from longcheng.experts.schemas import AssignIn, AssignItem, DeclareIn, ExpertFilter, ExpertIn, ScoreIn

router = APIRouter(prefix="/api/v1/experts", tags=["experts 专家库"])
FilterDep = Annotated[ExpertFilter, Depends()]


def expert_json(e: Expert) -> dict[str, Any]:
    labels = taxonomy.default().labels()
    return {
        "id": e.id,
        "code": e.code,
        "name": e.name,
        "title": e.title,
        "employer_name": e.employer_name,
        "employer_uscc": e.employer_uscc,
        "fields": e.fields,
        "field_labels": [labels.get(c, c) for c in e.fields],
        "phone": e.phone,
        "email": e.email,
        "status": e.status,
        "status_label": e.status_label,
        "substitute_id": e.substitute_id,
        "former_employers": [
            {"uscc": f.uscc, "name": f.name, "ended_on": f.ended_on.isoformat() if f.ended_on else None}
            for f in e.former_employers
        ],
        "version": e.version,
    }


class FormerEmployerRead(BaseModel):
    uscc: str
    name: str
    ended_on: str | None


class ExpertRead(BaseModel):
    id: int
    code: str
    name: str
    title: str
    employer_name: str
    employer_uscc: str | None
    fields: list[str]
    field_labels: list[str]
    phone: str
    email: str
    status: str
    status_label: str
    substitute_id: int | None
    former_employers: list[FormerEmployerRead]
    version: int


class AssignedRead(BaseModel):
    ref: str
    expert_id: int
    expert_code: str
    expert_name: str
    in_field: bool
    state: str


class DrawRead(BaseModel):
    draw_id: int
    seed: int
    assigned: list[AssignedRead]
    short: dict[str, int]
    excluded: dict[str, int]


class ReasonRead(BaseModel):
    code: str
    label_zh: str


class ScoreRead(BaseModel):
    reviewer: str
    rubric: str
    scores: dict[str, int]
    total: int
    comment: str


class AggregateRead(BaseModel):
    count: int
    totals: list[int]
    kept: list[int]
    dropped: list[int]
    mean: str | None


class DeclarationRead(BaseModel):
    has_conflict: bool


class ScoreTotalRead(BaseModel):
    total: int


class ExpertImportRead(ImportReportRead):
    created: int


@router.get("", response_model=Page[ExpertRead])
def list_experts(
    session: DbSession, actor: CurrentActor, filters: FilterDep, page: int = 1, page_size: int = 20
) -> dict[str, Any]:
    result = experts_service.list_experts(
        session, actor=actor, filters=filters, page=page, page_size=page_size
    )
    items = [expert_json(e) for e in result.items]
    return {"items": items, "total": result.total, "page": result.page, "page_size": result.page_size}


@router.get("/export.xlsx", response_class=Response, responses=file_download(XLSX))
def export_xlsx(request: Request, session: DbSession, actor: CurrentActor, filters: FilterDep) -> Response:
    rows = experts_service.iter_export(session, actor=actor, filters=filters, limit=export_limit(request))
    return xlsx_response(export.to_xlsx(rows), "experts.xlsx")


@router.post("", status_code=201, response_model=ExpertRead)
def create_expert(body: dict[str, Any], session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    data = validate(ExpertIn, body, code="experts.invalid")
    return expert_json(experts_service.create(session, actor=actor, data=data))


@router.get("/{expert_id}", response_model=ExpertRead)
def get_expert(expert_id: int, session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    return expert_json(experts_service.get(session, actor=actor, expert_id=expert_id))


@router.put("/{expert_id}", response_model=ExpertRead)
def update_expert(
    expert_id: int, body: dict[str, Any], session: DbSession, actor: CurrentActor
) -> dict[str, Any]:
    version = body.pop("version", None)
    data = validate(ExpertIn, body, code="experts.invalid")
    expert = experts_service.update(
        session, actor=actor, expert_id=expert_id, data=data, version=int(version) if version else None
    )
    return expert_json(expert)


@router.get("/{expert_id}/conflicts", response_model=list[ReasonRead])
def conflicts(
    expert_id: int, applicant_uscc: str, session: DbSession, actor: CurrentActor
) -> list[dict[str, str]]:
    reasons = experts_service.conflicts(
        session, actor=actor, expert_id=expert_id, applicant_uscc=applicant_uscc
    )
    return [{"code": r.code, "label_zh": r.label_zh} for r in reasons]


@router.post("/import", response_model=ExpertImportRead)
def import_experts(
    request: Request, session: DbSession, actor: CurrentActor, file: Annotated[UploadFile, File()]
) -> Response:
    max_bytes = state_of(request).settings.max_upload_bytes
    with uploaded_file(request, file) as path:
        created, report = importer.import_file(session, actor=actor, path=path, max_bytes=max_bytes)
    body: dict[str, Any] = {
        "ok": report.ok,
        "rows": report.rows,
        "created": created,
        "error_count": report.error_count,
        "errors": [{"line": e.line, "column": e.column, "message": e.message} for e in report.errors],
    }
    if not report.ok:
        return JSONResponse(rows_refused(body, code="experts.import_rows"), status_code=422)
    return JSONResponse(body)


@router.post("/assignments", status_code=201, response_model=DrawRead)
def assign(body: dict[str, Any], session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    data = validate(AssignIn, body, code="experts.invalid")
    items = [AssignItem(i.ref, i.field, i.applicant_uscc) for i in data.items]
    result = experts_service.assign(
        session, actor=actor, context=data.context, items=items, per_item=data.per_item, seed=data.seed
    )
    return {
        "draw_id": result.draw_id,
        "seed": result.seed,
        "assigned": [a.__dict__ for a in result.assigned],
        "short": result.short,
        "excluded": result.excluded,
    }


@router.post("/reviews/{context}/{ref}/declaration", status_code=201, response_model=DeclarationRead)
def declare(
    context: str, ref: str, body: dict[str, Any], session: DbSession, actor: CurrentActor
) -> dict[str, bool]:
    data = validate(DeclareIn, body, code="experts.invalid")
    decl = experts_service.declare(session, actor=actor, context=context, ref=ref, data=data)
    return {"has_conflict": decl.has_conflict}


@router.post("/reviews/{context}/{ref}/score", status_code=201, response_model=ScoreTotalRead)
def score(
    context: str, ref: str, body: dict[str, Any], session: DbSession, actor: CurrentActor
) -> dict[str, int]:
    data = validate(ScoreIn, body, code="experts.invalid")
    row = experts_service.score(session, actor=actor, context=context, ref=ref, data=data)
    return {"total": row.total}


@router.get("/reviews/{context}/{ref}/scores", response_model=list[ScoreRead])
def scores(context: str, ref: str, session: DbSession, actor: CurrentActor) -> list[dict[str, Any]]:
    views = experts_service.scores_for(session, actor=actor, context=context, ref=ref)
    return [
        {
            "reviewer": v.reviewer,
            "rubric": v.rubric,
            "scores": v.scores,
            "total": v.total,
            "comment": v.comment,
        }
        for v in views
    ]


@router.get("/reviews/{context}/{ref}/aggregate", response_model=AggregateRead)
def aggregate(context: str, ref: str, session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    agg = experts_service.aggregate(session, actor=actor, context=context, ref=ref)
    return {
        "count": agg.count,
        "totals": agg.totals,
        "kept": agg.kept,
        "dropped": agg.dropped,
        "mean": str(agg.mean) if agg.mean is not None else None,
    }
