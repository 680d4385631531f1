"""Forms that act on one project from its page: stage, plan (generate, revise, node done), investment.

Each goes back to the project page through :func:`.detail.act_on_project`.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.responses import Response

from longcheng.core.errors import ValidationFailed
from longcheng.core.http import CurrentActor, DbSession
from longcheng.core.validation import validate
from longcheng.projects import service
from longcheng.projects.api.plan import parse_amount_field
from longcheng.projects.pages.detail import act_on_project, parse_date
from longcheng.projects.schemas import StageChange
from longcheng.projects.service.plan import nodes_of

router = APIRouter(include_in_schema=False)


@router.post("/projects/{code}/stage")
def stage_submit(
    code: str,
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    stage: Annotated[str, Form()],
    on: Annotated[str, Form()],
    version: Annotated[int, Form()],
    reason: Annotated[str, Form()] = "",
) -> Response:
    def act() -> str:
        data = validate(
            StageChange,
            {"stage": stage, "on": on, "reason": reason, "version": version},
            code="projects.invalid",
        )
        p = service.change_stage(session, actor=actor, code=code, data=data)
        return f"阶段已变更为“{p.stage_enum.label}”。"

    return act_on_project(request, session, actor, code, act, "stages")


@router.post("/projects/{code}/plan")
def plan_submit(
    code: str,
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    start: Annotated[str, Form()],
    replace: Annotated[str, Form()] = "",
) -> Response:
    def act() -> str:
        rows = service.create_plan(
            session, actor=actor, code=code, start=parse_date(start, "start"), replace=bool(replace)
        )
        moved = [f"{r.name}：{r.note}" for r in rows if r.note]
        return f"已生成时序计划表（{len(rows)}个节点）。" + ("；".join(moved[:5]) if moved else "")

    return act_on_project(request, session, actor, code, act, "plan")


@router.post("/projects/{code}/plan/revise")
async def plan_revise(code: str, request: Request, session: DbSession, actor: CurrentActor) -> Response:
    form = await request.form()

    def act() -> str:
        entered = {
            k.removeprefix("planned_"): parse_date(str(v), k)
            for k, v in form.items()
            if k.startswith("planned_") and str(v).strip()
        }
        current = {n.code: n.planned for n in nodes_of(session, service.get(session, actor=actor, code=code))}
        changed = {k: v for k, v in entered.items() if current.get(k) != v}
        notes = service.revise(
            session, actor=actor, code=code, entered=changed, reason=str(form.get("reason") or "")
        )
        return "计划日期已保存。" + ("；".join(notes) if notes else "")

    return act_on_project(request, session, actor, code, act, "plan")


@router.post("/projects/{code}/plan/{node}/done")
def node_done(
    code: str,
    node: str,
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    done_on: Annotated[str, Form()] = "",
) -> Response:
    def act() -> str:
        when = parse_date(done_on, "done_on") if done_on.strip() else None
        row = service.set_node_done(session, actor=actor, code=code, node_code=node, done_on=when)
        return f"“{row.name}”已{'标记完成' if when else '重新打开'}。"

    return act_on_project(request, session, actor, code, act, "plan")


@router.post("/projects/{code}/investment")
def investment_submit(
    code: str,
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    month: Annotated[str, Form()],
    planned: Annotated[str, Form()] = "",
    completed: Annotated[str, Form()] = "",
) -> Response:
    def act() -> str:
        year, _, mon = month.partition("-")
        if not (year.isdigit() and mon.isdigit()):
            raise ValidationFailed(
                "月份格式应为 2026-10。", code="projects.month_format", details={"month": "如 2026-10"}
            )
        service.set_investment(
            session,
            actor=actor,
            code=code,
            year=int(year),
            month=int(mon),
            planned_fen=parse_amount_field(planned, "planned"),
            completed_fen=parse_amount_field(completed, "completed"),
        )
        return f"{year}年{int(mon)}月投资数据已保存。"

    return act_on_project(request, session, actor, code, act, "progress")
