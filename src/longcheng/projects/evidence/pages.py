"""Pages of news evidence: accept or reject it on the project page; the possible new leads."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from longcheng.core.http import CurrentActor, DbSession
from longcheng.core.listing import ListQuery
from longcheng.core.templating import render
from longcheng.projects.evidence import service as evidence_service
from longcheng.projects.pages.choices import choices
from longcheng.projects.pages.detail import act_on_project

router = APIRouter(include_in_schema=False)


@router.post("/projects/evidence/{evidence_id}/decide")
def evidence_submit(
    evidence_id: int,
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    code: Annotated[str, Form()],
    decision: Annotated[str, Form()],
    note: Annotated[str, Form()] = "",
) -> Response:
    def act() -> str:
        ev = evidence_service.decide_evidence(
            session, actor=actor, evidence_id=evidence_id, accept=decision == "accept", note=note
        )
        return "已采纳该条报道为项目证据。" if ev.status == "accepted" else "已驳回该条报道。"

    return act_on_project(request, session, actor, code, act, "evidence")


@router.get("/projects/leads")
def leads_page(request: Request, session: DbSession, actor: CurrentActor, page: int = 1) -> Response:
    result = evidence_service.list_leads(session, actor=actor, page=page)
    return render(
        request,
        "projects/leads.html",
        actor,
        page=result,
        listing=ListQuery.of(request),
        notice=request.query_params.get("notice"),
        **choices(session, actor),
    )


@router.post("/projects/leads/{evidence_id}")
def lead_submit(
    evidence_id: int,
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    decision: Annotated[str, Form()],
    name: Annotated[str, Form()] = "",
    district: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
) -> Response:
    if decision == "convert":
        project = evidence_service.convert_lead(
            session, actor=actor, evidence_id=evidence_id, name=name, district=district
        )
        return RedirectResponse(
            f"/projects/{project.code}?notice={quote('已由新闻线索登记为项目（线索阶段）。')}",
            status_code=303,
        )
    evidence_service.dismiss_lead(session, actor=actor, evidence_id=evidence_id, reason=reason)
    return RedirectResponse(f"/projects/leads?notice={quote('已忽略该线索。')}", status_code=303)
