"""JSON API of a project's plan (时序计划表) and monthly investment (序时进度)."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict

from longcheng.core.errors import ValidationFailed
from longcheng.core.http import CurrentActor, DbSession
from longcheng.core.validation import validate
from longcheng.projects import service
from longcheng.projects.api.shapes import InvestmentRead, NodeDoneRead, PlanCreated, PlanRevised
from longcheng.projects.schedule.progress import Month
from longcheng.projects.schemas import parse_money

router = APIRouter(prefix="/api/v1/projects", tags=["projects 重大项目"])


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


@router.post("/{code}/plan", status_code=201, response_model=PlanCreated)
def create_plan(code: str, body: dict[str, Any], session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    data = validate(PlanIn, body, code="projects.invalid")
    rows = service.create_plan(session, actor=actor, code=code, start=data.start, replace=data.replace)
    return {"nodes": len(rows), "notes": [f"{r.name}：{r.note}" for r in rows if r.note]}


@router.put("/{code}/plan", response_model=PlanRevised)
def revise_plan(code: str, body: dict[str, Any], session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    data = validate(PlanRevision, body, code="projects.invalid")
    return {"notes": service.revise(session, actor=actor, code=code, entered=data.dates, reason=data.reason)}


@router.post("/{code}/plan/{node}/done", response_model=NodeDoneRead)
def node_done(
    code: str, node: str, body: dict[str, Any], session: DbSession, actor: CurrentActor
) -> dict[str, Any]:
    data = validate(NodeDone, body, code="projects.invalid")
    row = service.set_node_done(session, actor=actor, code=code, node_code=node, done_on=data.done_on)
    return {"code": row.code, "done_on": row.done_on.isoformat() if row.done_on else None}


@router.put("/{code}/investment/{month}", response_model=InvestmentRead)
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
