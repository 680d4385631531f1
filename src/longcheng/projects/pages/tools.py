"""Module-wide pages: thresholds and exchange rates, ceremonies, import.

The news leads page is in :mod:`longcheng.projects.evidence.pages`.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session
from starlette.responses import Response

from longcheng.core.actors import Actor
from longcheng.core.auth import can, require
from longcheng.core.errors import LongchengError, PermissionDenied, ValidationFailed
from longcheng.core.forms import refusal, render_refused
from longcheng.core.http import CurrentActor, DbSession
from longcheng.core.listing import query_model, xlsx_response
from longcheng.core.templating import render
from longcheng.core.validation import validate
from longcheng.platform.jobs import service as job_service
from longcheng.platform.jobs.pages import start_import
from longcheng.projects import importer, service
from longcheng.projects import permissions as perm
from longcheng.projects import tasks as projects_tasks
from longcheng.projects.pages.detail import parse_date
from longcheng.projects.schemas import CeremonyIn, ProjectFilter, ThresholdsIn
from longcheng.projects.service import fields as service_fields
from longcheng.projects.service import lights as service_lights
from longcheng.projects.service.query import codes_matching
from longcheng.projects.service.stages import list_ceremonies
from longcheng.projects.vocab import ceremony_kinds

router = APIRouter(include_in_schema=False)
FilterDep = Annotated[ProjectFilter, Depends(query_model(ProjectFilter))]


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
    require(actor, perm.THRESHOLDS_READ)
    return _thresholds_page(request, session, actor, notice=request.query_params.get("notice") or "")


@router.post("/projects/thresholds")
async def thresholds_submit(request: Request, session: DbSession, actor: CurrentActor) -> Response:
    require(actor, perm.THRESHOLDS_EDIT)
    form = await request.form()
    values = {k: str(v) for k, v in form.items() if k not in ("csrf_token", "reason")}
    try:
        data = validate(ThresholdsIn, {k: v for k, v in values.items() if v != ""}, code="projects.invalid")
        result = service.update_thresholds(
            session, actor=actor, data=data, reason=str(form.get("reason") or "")
        )
    except LongchengError as exc:
        return _thresholds_page(request, session, actor, values=values, **refusal(session, exc))
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
            session, actor=actor, currency=currency, on=parse_date(on, "on"), cny_per_unit=rate, source=source
        )
    except LongchengError as exc:
        session.rollback()
        return _thresholds_page(request, session, actor, status=exc.status_code, message=exc.message_text)
    return RedirectResponse(f"/projects/thresholds?notice={quote('汇率已保存。')}#fx", status_code=303)


@router.get("/projects/ceremony")
def ceremony_page(request: Request, session: DbSession, actor: CurrentActor, filters: FilterDep) -> Response:
    """With list filters in the address (from the list page), the form starts with those projects."""
    require(actor, perm.PROJECT_CEREMONY)
    filtered = any(v for k, v in filters.model_dump().items() if k != "sort")
    codes = codes_matching(session, actor=actor, filters=filters) if filtered else []
    return render(
        request,
        "projects/ceremony.html",
        actor,
        kinds=ceremony_kinds(),
        values={"codes": "\n".join(codes)},
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
        session.rollback()  # before listing the ceremonies, so the refused one is not among them
        ceremonies = list_ceremonies(session, actor=actor)
        return render_refused(
            request,
            session,
            actor,
            "projects/ceremony.html",
            exc,
            values=values,
            kinds=ceremony_kinds(),
            ceremonies=ceremonies,
        )
    notice = f"“{c.name}”完成：{c.project_count}个项目已变更阶段。"
    return RedirectResponse(f"/projects/ceremony?notice={quote(notice)}", status_code=303)


@router.get("/projects/import")
def import_page(
    request: Request, session: DbSession, actor: CurrentActor, job: int | None = None
) -> Response:
    """The upload form; with ``job`` the import job's inline progress, then its outcome."""
    if not can(actor, perm.PROJECT_IMPORT):
        raise PermissionDenied("您没有导入项目的权限。")
    shown = job_service.get(session, job, actor=actor) if job is not None else None
    return render(request, "projects/import.html", actor, report=None, job=shown, headers=importer.HEADERS)


@router.post("/projects/import")
def import_submit(
    request: Request, session: DbSession, actor: CurrentActor, file: Annotated[UploadFile, File()]
) -> Response:
    """Keep the upload and hand it to the worker (``projects.import``): nothing is written here."""
    if not can(actor, perm.PROJECT_IMPORT):
        raise PermissionDenied("您没有导入项目的权限。")
    try:
        return start_import(
            request, session, actor, kind=projects_tasks.IMPORT, upload=file, page="/projects/import"
        )
    except LongchengError as exc:
        return render(
            request,
            "projects/import.html",
            actor,
            status=exc.status_code,
            report=None,
            job=None,
            headers=importer.HEADERS,
            message=exc.message_text,
            code=exc.code_text,
        )


@router.get("/projects/template.xlsx")
def template_download(actor: CurrentActor) -> Response:
    require(actor, perm.PROJECT_IMPORT)
    return xlsx_response(importer.template_xlsx(), "projects-template.xlsx")
