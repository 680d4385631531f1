"""JSON API of news evidence under ``/api/v1/projects``: possible new leads, and decisions on evidence."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict

from longcheng.core.errors import ValidationFailed
from longcheng.core.http import CurrentActor, DbSession
from longcheng.core.validation import validate
from longcheng.projects.api.shapes import ProjectRead, project_json
from longcheng.projects.evidence import service as evidence_service
from longcheng.projects.evidence.models import ProjectEvidence

router = APIRouter(prefix="/api/v1/projects", tags=["projects 重大项目"])


class EvidenceRead(BaseModel):
    """A news report matched to a project (evidence) or to none yet (a lead)."""

    id: int
    status: str
    source_kind: str
    source_ref: str
    reported_on: str | None
    event: str | None
    cue: str
    sentence: str
    link: str
    amount_fen: int | None
    org_names: str
    project_name: str
    district: str | None
    score: int
    reasons: list[str]


class LeadPage(BaseModel):
    items: list[EvidenceRead]
    total: int
    page: int


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


@router.get("/leads", response_model=LeadPage)
def leads(session: DbSession, actor: CurrentActor, page: int = 1) -> dict[str, Any]:
    result = evidence_service.list_leads(session, actor=actor, page=page)
    return {"items": [evidence_json(e) for e in result.items], "total": result.total, "page": result.page}


class LeadConversion(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    district: str


@router.post("/leads/{evidence_id}/convert", status_code=201, response_model=ProjectRead)
def convert(
    evidence_id: int, body: dict[str, Any], session: DbSession, actor: CurrentActor
) -> dict[str, Any]:
    data = validate(LeadConversion, body, code="projects.invalid")
    project = evidence_service.convert_lead(
        session, actor=actor, evidence_id=evidence_id, name=data.name, district=data.district
    )
    return project_json(project)


@router.post("/leads/{evidence_id}/dismiss", response_model=EvidenceRead)
def dismiss(
    evidence_id: int, body: dict[str, Any], session: DbSession, actor: CurrentActor
) -> dict[str, Any]:
    return evidence_json(
        evidence_service.dismiss_lead(
            session, actor=actor, evidence_id=evidence_id, reason=str(body.get("reason", ""))
        )
    )


@router.post("/evidence/{evidence_id}/{decision}", response_model=EvidenceRead)
def decide(
    evidence_id: int, decision: str, body: dict[str, Any], session: DbSession, actor: CurrentActor
) -> dict[str, Any]:
    if decision not in ("accept", "reject"):
        raise ValidationFailed("操作应为 accept 或 reject。", code="projects.invalid")
    ev = evidence_service.decide_evidence(
        session,
        actor=actor,
        evidence_id=evidence_id,
        accept=decision == "accept",
        note=str(body.get("note", "")),
    )
    return evidence_json(ev)
