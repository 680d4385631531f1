"""JSON API for the work on projects: plans, investment, 督办 and files, evidence and leads,
ceremonies, thresholds. Mounted before :mod:`.api` so its fixed paths win over ``/{code}``."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import FileResponse, Response
from pydantic import BaseModel, ConfigDict

from longcheng.core.errors import PermissionDenied, ValidationFailed
from longcheng.core.http import CurrentActor, DbSession, state_of
from longcheng.core.validation import validate
from longcheng.projects import permissions as perm
from longcheng.projects import service, service_lights, service_supervision
from longcheng.projects.api import evidence_json, order_json, project_json
from longcheng.projects.schedule.progress import Month
from longcheng.projects.schemas import CeremonyIn, OrderIn, ThresholdsIn, parse_money
from longcheng.projects.service_files import path_of

router = APIRouter(prefix="/api/v1/projects", tags=["projects 重大项目"])


@router.get("/thresholds")
def get_thresholds(session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    t = service_lights.get_thresholds(session)
    return {**service_lights.threshold_view(t), "version": service_lights.thresholds_version(session)}


@router.put("/thresholds")
def put_thresholds(body: dict[str, Any], session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    reason = str(body.pop("reason", ""))
    data = validate(ThresholdsIn, body, code="projects.invalid")
    t = service.update_thresholds(session, actor=actor, data=data, reason=reason)
    return {**service_lights.threshold_view(t), "version": service_lights.thresholds_version(session)}


@router.post("/lights/recompute")
def recompute(session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    if not perm.can_edit_thresholds(actor):
        raise PermissionDenied(
            "只有管理员和市级工作人员可以重算全部状态灯。", code="projects.thresholds_forbidden"
        )
    r = service.recompute_all(session, actor=actor)
    return {"projects": r.projects, "changed": r.changed, "counts": {k.value: v for k, v in r.counts.items()}}


@router.post("/ceremonies", status_code=201)
def ceremony(body: dict[str, Any], session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    c = service.run_ceremony(session, actor=actor, data=validate(CeremonyIn, body, code="projects.invalid"))
    return {
        "name": c.name,
        "kind": c.kind,
        "stage": c.stage,
        "held_on": c.held_on.isoformat(),
        "projects": c.project_count,
    }


@router.get("/leads")
def leads(session: DbSession, actor: CurrentActor, page: int = 1) -> dict[str, Any]:
    result = service.list_leads(session, actor=actor, page=page)
    return {"items": [evidence_json(e) for e in result.items], "total": result.total, "page": result.page}


class LeadConversion(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    district: str


@router.post("/leads/{evidence_id}/convert", status_code=201)
def convert(
    evidence_id: int, body: dict[str, Any], session: DbSession, actor: CurrentActor
) -> dict[str, Any]:
    data = validate(LeadConversion, body, code="projects.invalid")
    project = service.convert_lead(
        session, actor=actor, evidence_id=evidence_id, name=data.name, district=data.district
    )
    return project_json(project)


@router.post("/leads/{evidence_id}/dismiss")
def dismiss(
    evidence_id: int, body: dict[str, Any], session: DbSession, actor: CurrentActor
) -> dict[str, Any]:
    return evidence_json(
        service.dismiss_lead(
            session, actor=actor, evidence_id=evidence_id, reason=str(body.get("reason", ""))
        )
    )


@router.post("/evidence/{evidence_id}/{decision}")
def decide(
    evidence_id: int, decision: str, body: dict[str, Any], session: DbSession, actor: CurrentActor
) -> dict[str, Any]:
    if decision not in ("accept", "reject"):
        raise ValidationFailed("操作应为 accept 或 reject。", code="projects.invalid")
    ev = service.decide_evidence(
        session,
        actor=actor,
        evidence_id=evidence_id,
        accept=decision == "accept",
        note=str(body.get("note", "")),
    )
    return evidence_json(ev)


@router.post("/orders/{order_id}/replies", status_code=201)
def reply(
    request: Request,
    order_id: int,
    session: DbSession,
    actor: CurrentActor,
    body: Annotated[str, Form()],
    files: Annotated[list[UploadFile] | None, File()] = None,
) -> dict[str, Any]:
    settings = state_of(request).settings
    uploads = [(f.filename or "附件", f.file) for f in files or [] if f.filename]
    r = service.reply_to_order(
        session,
        actor=actor,
        order_id=order_id,
        body=body,
        files=uploads,
        root=settings.data_dir,
        max_bytes=min(settings.max_upload_bytes, 10 << 20),
    )
    return {
        "id": r.id,
        "late": r.late,
        "replied_on": r.replied_on.isoformat(),
        "files": [{"id": a.id, "name": a.name} for a in r.attachments],
    }


@router.get("/files/{attachment_id}")
def download(request: Request, attachment_id: int, session: DbSession, actor: CurrentActor) -> Response:
    return file_response(request, session, actor, attachment_id)


def file_response(request: Request, session: DbSession, actor: CurrentActor, attachment_id: int) -> Response:
    att, stored = service_supervision.attachment(session, actor=actor, attachment_id=attachment_id)
    path = path_of(state_of(request).settings.data_dir, stored.sha256)
    return FileResponse(
        path,
        media_type=stored.media_type,
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(att.name)}"},
    )


class PlanIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    start: date
    replace: bool = False


class PlanRevision(BaseModel):
    model_config = ConfigDict(extra="forbid")
    dates: dict[str, date]
    reason: str = ""


class NodeDone(BaseModel):
    model_config = ConfigDict(extra="forbid")
    done_on: date | None


class InvestmentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    planned: str | None = None
    completed: str | None = None


@router.post("/{code}/plan", status_code=201)
def create_plan(code: str, body: dict[str, Any], session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    data = validate(PlanIn, body, code="projects.invalid")
    rows = service.create_plan(session, actor=actor, code=code, start=data.start, replace=data.replace)
    return {"nodes": len(rows), "notes": [f"{r.name}：{r.note}" for r in rows if r.note]}


@router.put("/{code}/plan")
def revise_plan(code: str, body: dict[str, Any], session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    data = validate(PlanRevision, body, code="projects.invalid")
    return {"notes": service.revise(session, actor=actor, code=code, entered=data.dates, reason=data.reason)}


@router.post("/{code}/plan/{node}/done")
def node_done(
    code: str, node: str, body: dict[str, Any], session: DbSession, actor: CurrentActor
) -> dict[str, Any]:
    data = validate(NodeDone, body, code="projects.invalid")
    row = service.set_node_done(session, actor=actor, code=code, node_code=node, done_on=data.done_on)
    return {"code": row.code, "done_on": row.done_on.isoformat() if row.done_on else None}


@router.put("/{code}/investment/{month}")
def investment(
    code: str, month: str, body: dict[str, Any], session: DbSession, actor: CurrentActor
) -> dict[str, Any]:
    m = Month.parse(month)
    data = validate(InvestmentIn, body, code="projects.invalid")
    amounts = {
        k: parse_amount_field(v, k) for k, v in (("planned", data.planned), ("completed", data.completed))
    }
    row = service.set_investment(
        session,
        actor=actor,
        code=code,
        year=m.year,
        month=m.month,
        planned_fen=amounts["planned"],
        completed_fen=amounts["completed"],
    )
    return {"month": str(m), "planned_fen": row.planned_fen, "completed_fen": row.completed_fen}


def parse_amount_field(text: str | None, field: str) -> int | None:
    if text is None or not text.strip():
        return None
    try:
        fen, currency = parse_money(text)
    except ValueError as exc:
        raise ValidationFailed(str(exc), code="projects.invalid", details={field: str(exc)}) from None
    if currency != "CNY":
        raise ValidationFailed(
            "投资完成额请以人民币填写。", code="projects.invalid", details={field: "应为人民币"}
        )
    return fen


@router.post("/{code}/orders", status_code=201)
def issue_order(code: str, body: dict[str, Any], session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    data = validate(OrderIn, body, code="projects.invalid")
    return order_json(service.issue_order(session, actor=actor, code=code, data=data))
