"""JSON API of the projects module under ``/api/v1/projects``; each route calls one service function.

Money goes out as integer fen plus a decimal string in yuan; it comes in as text the way officers
write it (``101亿元``, ``5000`` meaning 万元, ``10亿美元``). Errors are ``{"code", "message",
"details"}`` with the HTTP status of the error (403 ``projects.not_responsible``, 409
``projects.stale_version`` …).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Request, UploadFile
from fastapi.responses import JSONResponse, Response

from longcheng.core.clock import local_today
from longcheng.core.exporting import XLSX_MEDIA_TYPE
from longcheng.core.http import CurrentActor, DbSession, state_of, uploaded_file
from longcheng.core.validation import validate
from longcheng.projects import importer, service, service_lights, service_plan, service_supervision
from longcheng.projects.models import Project, ProjectEvidence, SupervisionOrder
from longcheng.projects.schemas import (
    ProjectCreate,
    ProjectFilter,
    ProjectUpdate,
    StageChange,
)
from longcheng.projects.service_fields import current_fields
from longcheng.projects.service_query import leaders

router = APIRouter(prefix="/api/v1/projects", tags=["projects 重大项目"])
FilterDep = Annotated[ProjectFilter, Depends()]


def yuan(fen: int | None) -> str | None:
    return None if fen is None else f"{Decimal(fen) / 100:.2f}"


def project_json(p: Project) -> dict[str, Any]:
    return {
        "code": p.code,
        "name": p.name,
        "project_type": p.project_type,
        "district": p.district,
        "park": p.park,
        "industry": p.industry,
        "cooperation": p.cooperation,
        "partner_region": p.partner_region,
        "stage": p.stage,
        "stage_label": p.stage_enum.label,
        "stage_dates": {s.value: d.isoformat() for s, d in p.stage_dates.items()},
        "currency": p.currency,
        "stated_agreed": p.stated_agreed,
        "stated_total": p.stated_total,
        "fx_rate": str(Decimal(p.fx_rate_micro) / 1_000_000) if p.fx_rate_micro else None,
        "fx_rate_on": p.fx_rate_on.isoformat() if p.fx_rate_on else None,
        "agreed_investment_fen": p.agreed_investment_fen,
        "agreed_investment_yuan": yuan(p.agreed_investment_fen),
        "total_investment_fen": p.total_investment_fen,
        "total_investment_yuan": yuan(p.total_investment_fen),
        "land_mu": str(Decimal(p.land_centi_mu) / 100) if p.land_centi_mu is not None else None,
        "floor_area_m2": p.floor_area_m2,
        "expected_output_fen": p.expected_output_fen,
        "expected_tax_fen": p.expected_tax_fen,
        "expected_jobs": p.expected_jobs,
        "leader_name": p.leader_name,
        "responsible_unit": p.responsible_unit,
        "lists": p.list_names,
        "light": p.light,
        "light_reasons": p.reason_list,
        "warnings": p.warning_list,
        "version": p.version,
        "updated_at": p.updated_at.isoformat(),
    }


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
        "orders": [order_json(o) for o in service_supervision.orders_of(session, p)],
        "evidence": [evidence_json(e) for e in service.evidence_of(session, p)],
    }


def order_json(o: SupervisionOrder) -> dict[str, Any]:
    return {
        "id": o.id,
        "number": o.number,
        "subject": o.subject,
        "demand": o.demand,
        "issued_on": o.issued_on.isoformat(),
        "reply_due": o.reply_due.isoformat(),
        "replied_on": o.replied_on.isoformat() if o.replied_on else None,
        "late": o.late,
        "replies": [
            {
                "body": r.body,
                "replied_on": r.replied_on.isoformat(),
                "late": r.late,
                "actor": r.actor,
                "files": [
                    {"id": a.id, "name": a.name, "sha256": a.file.sha256, "size": a.file.size}
                    for a in r.attachments
                ],
            }
            for r in o.replies
        ],
    }


def evidence_json(e: ProjectEvidence) -> dict[str, Any]:
    return {
        "id": e.id,
        "status": e.status,
        "source_kind": e.source_kind,
        "source_ref": e.source_ref,
        "reported_on": e.reported_on.isoformat() if e.reported_on else None,
        "event": e.event,
        "cue": e.cue,
        "sentence": e.sentence,
        "link": e.link,
        "amount_fen": e.amount_fen,
        "org_names": e.org_names,
        "project_name": e.project_name,
        "district": e.district,
        "score": e.score,
        "reasons": e.reason_list,
    }


@router.get("")
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


@router.post("", status_code=201)
def create_project(body: dict[str, Any], session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    data = validate(ProjectCreate, body, code="projects.invalid")
    return detail_json(session, service.create(session, actor=actor, data=data))


@router.get("/export.xlsx")
def export_xlsx(request: Request, session: DbSession, actor: CurrentActor, filters: FilterDep) -> Response:
    rows = service.iter_export(
        session, actor=actor, filters=filters, limit=state_of(request).settings.export_max_rows
    )
    return Response(
        importer.export_xlsx(rows),
        media_type=XLSX_MEDIA_TYPE,
        headers={"Content-Disposition": "attachment; filename=projects.xlsx"},
    )


@router.get("/template.xlsx")
def template_xlsx(actor: CurrentActor) -> Response:
    return Response(
        importer.template_xlsx(),
        media_type=XLSX_MEDIA_TYPE,
        headers={"Content-Disposition": "attachment; filename=projects-template.xlsx"},
    )


@router.post("/import")
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
    return JSONResponse(
        body | ({} if report.ok else {"code": "projects.import_rows"}), status_code=200 if report.ok else 422
    )


@router.get("/board")
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


@router.get("/dashboard")
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


@router.get("/{code}")
def get_project(code: str, session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    return detail_json(session, service.get(session, actor=actor, code=code))


@router.put("/{code}")
def update_project(
    code: str, body: dict[str, Any], session: DbSession, actor: CurrentActor
) -> dict[str, Any]:
    """Fields left out keep their current values; ``version`` is required."""
    reason = str(body.pop("reason", ""))
    current = current_fields(session, service.get(session, actor=actor, code=code))
    data = validate(ProjectUpdate, {**current, **body}, code="projects.invalid")
    return detail_json(session, service.update(session, actor=actor, code=code, data=data, reason=reason))


@router.post("/{code}/stage")
def change_stage(code: str, body: dict[str, Any], session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    data = validate(StageChange, body, code="projects.invalid")
    return project_json(service.change_stage(session, actor=actor, code=code, data=data))


@router.get("/{code}/history")
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
