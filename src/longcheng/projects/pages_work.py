"""Forms that act on projects: stage, plan, investment, 督办, evidence; thresholds, ceremonies,
leads and import.

An action on one project redirects back to its page with a notice; when it is refused, nothing
is kept (the transaction is rolled back) and the page comes back with the reason on top and the
status of the refusal (403, 409, 422).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session
from starlette.responses import Response

from longcheng.core.actors import Actor
from longcheng.core.auth import can, require
from longcheng.core.errors import LongchengError, PermissionDenied, ValidationFailed
from longcheng.core.exporting import XLSX_MEDIA_TYPE
from longcheng.core.http import CurrentActor, DbSession, state_of, uploaded_file
from longcheng.core.templating import render
from longcheng.core.validation import validate
from longcheng.projects import importer, service, service_fields, service_lights
from longcheng.projects import permissions as perm
from longcheng.projects.api import file_response, parse_amount_field
from longcheng.projects.pages import choices, render_detail
from longcheng.projects.schemas import CeremonyIn, OrderIn, StageChange, ThresholdsIn, ceremony_kinds
from longcheng.projects.service_plan import nodes_of
from longcheng.projects.service_stages import list_ceremonies

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


def _date(value: str, field: str) -> date:
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
            session, actor=actor, code=code, start=_date(start, "start"), replace=bool(replace)
        )
        moved = [f"{r.name}：{r.note}" for r in rows if r.note]
        return f"已生成时序计划表（{len(rows)}个节点）。" + ("；".join(moved[:5]) if moved else "")

    return _act(request, session, actor, code, act, "plan")


@router.post("/projects/{code}/plan/revise")
async def plan_revise(code: str, request: Request, session: DbSession, actor: CurrentActor) -> Response:
    form = await request.form()

    def act() -> str:
        entered = {
            k.removeprefix("planned_"): _date(str(v), k)
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
        when = _date(done_on, "done_on") if done_on.strip() else None
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


def _thresholds_page(
    request: Request,
    session: Session,
    actor: Actor,
    *,
    status: int = 200,
    values: dict[str, Any] | None = None,
    message: str = "",
    errors: dict[str, str] | None = None,
    notice: str = "",
) -> Response:
    current = service_lights.threshold_view(service_lights.get_thresholds(session))
    return render(
        request,
        "projects/thresholds.html",
        actor,
        status=status,
        values=values or current,
        version=service_lights.thresholds_version(session),
        message=message,
        errors=errors or {},
        notice=notice,
        editable=perm.can_edit_thresholds(actor),
        rates=service_fields.list_fx_rates(session),
        default_rates=service_fields.default_rates(),
    )


@router.get("/projects/thresholds")
def thresholds_page(request: Request, session: DbSession, actor: CurrentActor) -> Response:
    require(actor, perm.PROJECT_READ)
    return _thresholds_page(request, session, actor, notice=request.query_params.get("notice") or "")


@router.post("/projects/thresholds")
async def thresholds_submit(request: Request, session: DbSession, actor: CurrentActor) -> Response:
    form = await request.form()
    values = {k: str(v) for k, v in form.items() if k not in ("csrf_token", "reason")}
    try:
        data = validate(ThresholdsIn, {k: v for k, v in values.items() if v != ""}, code="projects.invalid")
        result = service.update_thresholds(
            session, actor=actor, data=data, reason=str(form.get("reason") or "")
        )
    except LongchengError as exc:
        session.rollback()
        return _thresholds_page(
            request,
            session,
            actor,
            status=exc.status_code,
            values=values,
            message=exc.message_text,
            errors=exc.details,
        )
    days = result.node_yellow_within_working_days
    notice = f"预警阈值已保存，已按新阈值重算全部项目状态灯（节点黄灯提前{days}个工作日）。"
    return RedirectResponse(f"/projects/thresholds?notice={quote(notice)}", status_code=303)


@router.post("/projects/fx")
def fx_submit(
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    currency: Annotated[str, Form()],
    on: Annotated[str, Form()],
    cny: Annotated[str, Form()],
    source: Annotated[str, Form()] = "",
) -> Response:
    try:
        try:
            rate = Decimal(cny.strip())
        except InvalidOperation:
            raise ValidationFailed(
                "汇率应为数字。", code="projects.fx_invalid", details={"cny": "应为数字"}
            ) from None
        service_fields.set_fx_rate(
            session, actor=actor, currency=currency, on=_date(on, "on"), cny_per_unit=rate, source=source
        )
    except LongchengError as exc:
        session.rollback()
        return _thresholds_page(request, session, actor, status=exc.status_code, message=exc.message_text)
    return RedirectResponse(f"/projects/thresholds?notice={quote('汇率已保存。')}#fx", status_code=303)


@router.get("/projects/ceremony")
def ceremony_page(request: Request, session: DbSession, actor: CurrentActor) -> Response:
    return render(
        request,
        "projects/ceremony.html",
        actor,
        kinds=ceremony_kinds(),
        values={},
        errors={},
        ceremonies=list_ceremonies(session, actor=actor),
        notice=request.query_params.get("notice"),
    )


@router.post("/projects/ceremony")
async def ceremony_submit(request: Request, session: DbSession, actor: CurrentActor) -> Response:
    form = await request.form()
    values = {k: str(form.get(k) or "") for k in ("kind", "name", "held_on", "codes", "reason")}
    try:
        c = service.run_ceremony(
            session, actor=actor, data=validate(CeremonyIn, values, code="projects.invalid")
        )
    except LongchengError as exc:
        session.rollback()
        return render(
            request,
            "projects/ceremony.html",
            actor,
            status=exc.status_code,
            kinds=ceremony_kinds(),
            values=values,
            errors=exc.details,
            message=exc.message_text,
            ceremonies=list_ceremonies(session, actor=actor),
        )
    notice = f"“{c.name}”完成：{c.project_count}个项目已变更阶段。"
    return RedirectResponse(f"/projects/ceremony?notice={quote(notice)}", status_code=303)


@router.get("/projects/leads")
def leads_page(request: Request, session: DbSession, actor: CurrentActor, page: int = 1) -> Response:
    result = service.list_leads(session, actor=actor, page=page)
    return render(
        request,
        "projects/leads.html",
        actor,
        page=result,
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
        project = service.convert_lead(
            session, actor=actor, evidence_id=evidence_id, name=name, district=district
        )
        return RedirectResponse(
            f"/projects/{project.code}?notice={quote('已由新闻线索登记为项目（线索阶段）。')}",
            status_code=303,
        )
    service.dismiss_lead(session, actor=actor, evidence_id=evidence_id, reason=reason)
    return RedirectResponse(f"/projects/leads?notice={quote('已忽略该线索。')}", status_code=303)


@router.get("/projects/import")
def import_page(request: Request, actor: CurrentActor) -> Response:
    if not can(actor, perm.PROJECT_IMPORT):
        raise PermissionDenied("您没有导入项目的权限。")
    return render(request, "projects/import.html", actor, report=None, headers=importer.HEADERS)


@router.post("/projects/import")
def import_submit(
    request: Request, session: DbSession, actor: CurrentActor, file: Annotated[UploadFile, File()]
) -> Response:
    try:
        with uploaded_file(request, file) as path:
            report = importer.run_import(
                session, actor=actor, path=path, max_bytes=state_of(request).settings.max_upload_bytes
            )
    except LongchengError as exc:
        return render(
            request,
            "projects/import.html",
            actor,
            status=exc.status_code,
            report=None,
            headers=importer.HEADERS,
            message=exc.message_text,
            code=exc.code_text,
        )
    return render(
        request,
        "projects/import.html",
        actor,
        status=200 if report.ok else 422,
        report=report,
        headers=importer.HEADERS,
    )


@router.get("/projects/template.xlsx")
def template_download(actor: CurrentActor) -> Response:
    return Response(
        importer.template_xlsx(),
        media_type=XLSX_MEDIA_TYPE,
        headers={"Content-Disposition": "attachment; filename=projects-template.xlsx"},
    )
