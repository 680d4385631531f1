"""Forms that act on projects: stage, plan, investment, 督办, evidence; thresholds, ceremonies,
leads and import.

An action on one project redirects back to its page with a notice; when it is refused, nothing
is kept (the transaction is rolled back) and the page comes back with the reason on top and the
status of the refusal (403, 409, 422).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session
from starlette.responses import Response

from longcheng.core.actors import Actor
from longcheng.core.errors import LongchengError, ValidationFailed
from longcheng.core.http import CurrentActor, DbSession, state_of
from longcheng.core.validation import validate
from longcheng.projects import service
from longcheng.projects.api_work import file_response, parse_amount_field
from longcheng.projects.pages import render_detail
from longcheng.projects.schemas import OrderIn, StageChange
from longcheng.projects.service_plan import nodes_of

router = APIRouter(include_in_schema=False)


def _act(
    request: Request, session: Session, actor: Actor, code: str, action: Callable[[], str], anchor: str
) -> Response:
    """Run ``action``; on success go back to the project page with its notice, else show why."""
    try:
        notice = action()
    except LongchengError as exc:
        session.rollback()
        return render_detail(request, session, actor, code, status=exc.status_code, error=exc)
    return RedirectResponse(f"/projects/{code}?notice={quote(notice)}#{anchor}", status_code=303)


def parse_date(value: str, field: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ValidationFailed(
            f"日期“{value}”格式应为 YYYY-MM-DD。",
            code="projects.invalid",
            details={field: "日期格式应为 YYYY-MM-DD"},
        ) from None


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

    return _act(request, session, actor, code, act, "stages")


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

    return _act(request, session, actor, code, act, "plan")


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

    return _act(request, session, actor, code, act, "plan")


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

    return _act(request, session, actor, code, act, "plan")


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

    return _act(request, session, actor, code, act, "progress")


@router.post("/projects/{code}/orders")
def order_submit(
    code: str,
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    subject: Annotated[str, Form()],
    reply_working_days: Annotated[str, Form()],
    demand: Annotated[str, Form()] = "",
) -> Response:
    def act() -> str:
        data = validate(
            OrderIn,
            {"subject": subject, "demand": demand, "reply_working_days": reply_working_days},
            code="projects.invalid",
        )
        order = service.issue_order(session, actor=actor, code=code, data=data)
        return f"已下发督办单{order.number}，须于{order.reply_due.isoformat()}前答复。"

    return _act(request, session, actor, code, act, "orders")


@router.post("/projects/orders/{order_id}/reply")
def reply_submit(
    order_id: int,
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    code: Annotated[str, Form()],
    body: Annotated[str, Form()] = "",
    files: Annotated[list[UploadFile] | None, File()] = None,
) -> Response:
    settings = state_of(request).settings

    def act() -> str:
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
        return "答复已提交（逾期答复）。" if r.late else "答复已提交。"

    return _act(request, session, actor, code, act, "orders")


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
        ev = service.decide_evidence(
            session, actor=actor, evidence_id=evidence_id, accept=decision == "accept", note=note
        )
        return "已采纳该条报道为项目证据。" if ev.status == "accepted" else "已驳回该条报道。"

    return _act(request, session, actor, code, act, "evidence")


@router.get("/projects/files/{attachment_id}")
def download(attachment_id: int, request: Request, session: DbSession, actor: CurrentActor) -> Response:
    return file_response(request, session, actor, attachment_id)
