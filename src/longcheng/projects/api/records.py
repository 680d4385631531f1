"""JSON API of the project record under ``/api/v1/projects``: list, register, edit, stage, history.

Money goes out as integer fen plus a decimal string in yuan; it comes in as text the way officers
write it (``101亿元``, ``5000`` meaning 万元, ``10亿美元``). Errors are ``{"code", "message",
"details"}`` with the HTTP status of the error (403 ``projects.not_responsible``, 409
``projects.stale_version`` …).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Request, UploadFile
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel

from longcheng.core.clock import local_today
from longcheng.core.http import CurrentActor, DbSession, state_of, uploaded_file
from longcheng.core.listing import export_limit, query_model, xlsx_response
from longcheng.core.openapi import XLSX, AuditEntryRead, ImportReportRead, Page, file_download, rows_refused
from longcheng.core.validation import validate
from longcheng.projects import importer, service
from longcheng.projects.api.shapes import BoardColumn, DashboardRead, ProjectRead, project_json
from longcheng.projects.evidence import service as evidence_service
from longcheng.projects.evidence.api import EvidenceRead, evidence_json
from longcheng.projects.models import Project
from longcheng.projects.schemas import (
    ProjectCreate,
    ProjectFilter,
    ProjectUpdate,
    StageChange,
)
from longcheng.projects.service import lights as service_lights
from longcheng.projects.service import plan as service_plan
from longcheng.projects.service.fields import current_fields
from longcheng.projects.service.query import leaders
from longcheng.projects.supervision import service as supervision_service
from longcheng.projects.supervision.api import OrderRead, order_json

router = APIRouter(prefix="/api/v1/projects", tags=["projects 重大项目"])
FilterDep = Annotated[ProjectFilter, Depends(query_model(ProjectFilter))]


class ProjectImportRead(ImportReportRead):
    created: int
    codes: list[str]


class InvestorRead(BaseModel):
    uscc: str | None
    name: str


class PersonRead(BaseModel):
    kind: str
    name: str
    title: str
    phone: str


class NodeRead(BaseModel):
    """One node of the plan (时序计划表) with its light."""

    code: str
    name: str
    planned: str
    original: str
    note: str
    done_on: str | None
    light: str
    reason: str | None


class ProjectDetail(ProjectRead):
    """A project with its investors, people, plan, supervision orders and news evidence."""

    investors: list[InvestorRead]
    people: list[PersonRead]
    plan: list[NodeRead]
    orders: list[OrderRead]
    evidence: list[EvidenceRead]


def detail_json(session: DbSession, p: Project) -> dict[str, Any]:
    lit = service_lights.evaluate(session, p)
    signals = dict(lit.nodes)
    return {
        **project_json(p),
        "investors": [{"uscc": i.uscc, "name": i.name} for i in p.investors],
        "people": [{"kind": x.kind, "name": x.name, "title": x.title, "phone": x.phone} for x in p.people],
        "plan": [
            {
                "code": n.code,
                "name": n.name,
                "planned": n.planned.isoformat(),
                "original": n.original.isoformat(),
                "note": n.note,
                "done_on": n.done_on.isoformat() if n.done_on else None,
                "light": signals[n.code].light.value if n.code in signals else "green",
                "reason": signals[n.code].reason if n.code in signals else None,
            }
            for n in service_plan.nodes_of(session, p)
        ],
        "orders": [order_json(o) for o in supervision_service.orders_of(session, p)],
        "evidence": [evidence_json(e) for e in evidence_service.evidence_of(session, p)],
    }


@router.get("", response_model=Page[ProjectRead])
def list_projects(
    session: DbSession, actor: CurrentActor, filters: FilterDep, page: int = 1, page_size: int = 20
) -> dict[str, Any]:
    result = service.list_projects(session, actor=actor, filters=filters, page=page, page_size=page_size)
    return {
        "items": [project_json(p) for p in result.items],
        "total": result.total,
        "page": result.page,
        "page_size": result.page_size,
    }


@router.post("", status_code=201, response_model=ProjectDetail)
def create_project(body: dict[str, Any], session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    data = validate(ProjectCreate, body, code="projects.invalid")
    return detail_json(session, service.create(session, actor=actor, data=data))


@router.get("/export.xlsx", response_class=Response, responses=file_download(XLSX))
def export_xlsx(request: Request, session: DbSession, actor: CurrentActor, filters: FilterDep) -> Response:
    rows = service.iter_export(session, actor=actor, filters=filters, limit=export_limit(request))
    return xlsx_response(importer.export_xlsx(rows), "projects.xlsx")


@router.get("/template.xlsx", response_class=Response, responses=file_download(XLSX))
def template_xlsx(actor: CurrentActor) -> Response:
    return xlsx_response(importer.template_xlsx(), "projects-template.xlsx")


@router.post("/import", response_model=ProjectImportRead)
def import_projects(
    request: Request, session: DbSession, actor: CurrentActor, file: Annotated[UploadFile, File()]
) -> Response:
    with uploaded_file(request, file) as path:
        report = importer.run_import(
            session, actor=actor, path=path, max_bytes=state_of(request).settings.max_upload_bytes
        )
    body = {
        "ok": report.ok,
        "rows": report.rows,
        "created": report.created,
        "codes": report.codes,
        "error_count": report.error_count,
        "errors": [{"line": e.line, "column": e.column, "message": e.message} for e in report.errors],
    }
    if report.ok:
        return JSONResponse(body)
    return JSONResponse(rows_refused(body, code="projects.import_rows"), status_code=422)


@router.get("/board", response_model=list[BoardColumn])
def board(session: DbSession, actor: CurrentActor, filters: FilterDep) -> list[dict[str, Any]]:
    return [
        {
            "stage": c.stage.value,
            "label": c.stage.label,
            "count": c.count,
            "total_investment_fen": c.total_fen,
            "top": [project_json(p) for p in c.cards],
        }
        for c in service.board(session, actor=actor, filters=filters)
    ]


@router.get("/dashboard", response_model=DashboardRead)
def dashboard(session: DbSession, actor: CurrentActor, year: int | None = None) -> dict[str, Any]:
    d = service.dashboard(session, actor=actor, year=year or local_today().year)
    return {
        "total": d.total,
        "total_investment_fen": d.total_fen,
        "lights": d.lights,
        "year": d.year,
        "by_stage": [{"stage": s.value, "count": n, "total_investment_fen": t} for s, n, t in d.by_stage],
        "by_district": [{"district": k, "count": n, "total_investment_fen": t} for k, n, t in d.by_district],
        "by_industry": [{"industry": k, "count": n, "total_investment_fen": t} for k, n, t in d.by_industry],
        "red": [project_json(p) for p in d.red],
        "leaders": leaders(session, actor=actor),
    }


@router.get("/{code}", response_model=ProjectDetail)
def get_project(code: str, session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    return detail_json(session, service.get(session, actor=actor, code=code))


@router.put("/{code}", response_model=ProjectDetail)
def update_project(
    code: str, body: dict[str, Any], session: DbSession, actor: CurrentActor
) -> dict[str, Any]:
    """Fields left out keep their current values; ``version`` is required."""
    reason = str(body.pop("reason", ""))
    current = current_fields(session, service.get(session, actor=actor, code=code))
    data = validate(ProjectUpdate, {**current, **body}, code="projects.invalid")
    return detail_json(session, service.update(session, actor=actor, code=code, data=data, reason=reason))


@router.post("/{code}/stage", response_model=ProjectRead)
def change_stage(code: str, body: dict[str, Any], session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    data = validate(StageChange, body, code="projects.invalid")
    return project_json(service.change_stage(session, actor=actor, code=code, data=data))


@router.get("/{code}/history", response_model=list[AuditEntryRead])
def project_history(code: str, session: DbSession, actor: CurrentActor) -> list[dict[str, Any]]:
    project = service.get(session, actor=actor, code=code)
    return [
        {
            "seq": r.seq,
            "at": r.at.isoformat(),
            "actor": r.actor,
            "action": r.action,
            "diff": r.diff_data,
            "reason": r.reason,
        }
        for r in service.history(session, actor=actor, project=project)
    ]
