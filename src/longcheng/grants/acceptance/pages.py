"""Pages of 先建后补 acceptance: the task list (search, filters, paging, XLSX), one task with the
firm's evidence uploads and the inspection team's form."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from longcheng.core.exporting import write_xlsx
from longcheng.core.http import CurrentActor, DbSession
from longcheng.core.listing import Paging, export_limit, render_list, xlsx_response
from longcheng.core.templating import render
from longcheng.core.validation import validate
from longcheng.grants.acceptance import service, views
from longcheng.grants.acceptance.models import EVIDENCE, RESULTS, TASK_STATES
from longcheng.grants.acceptance.progress import service as progress
from longcheng.grants.acceptance.schemas import AcceptanceFilter, InspectionIn
from longcheng.grants.attachments.api import UploadDep

router = APIRouter(include_in_schema=False)
FilterDep = Annotated[AcceptanceFilter, Depends()]
HEADERS = ("申报编号", "申报单位", "统一社会信用代码", "专项", "核定金额（元）", "验收状态", "整改期限")


@router.get("/grants/acceptance")
def list_page(
    request: Request, session: DbSession, actor: CurrentActor, filters: FilterDep, paging: Paging
) -> Response:
    result = views.list_tasks(
        session, actor=actor, filters=filters, page=paging.page, page_size=paging.page_size
    )
    return render_list(
        request,
        actor,
        "grants/acceptance_list.html",
        "grants/_acceptance_table.html",
        result,
        filters,
        states=list(TASK_STATES.items()),
    )


@router.get("/grants/acceptance.xlsx")
def export_page(request: Request, session: DbSession, actor: CurrentActor, filters: FilterDep) -> Response:
    rows = (
        [
            r.number,
            r.applicant_name,
            r.applicant_uscc,
            r.programme,
            f"{r.approved_fen / 100:.2f}",
            r.state_label,
            r.rectify_due,
        ]
        for r in views.iter_tasks(session, actor=actor, filters=filters, limit=export_limit(request))
    )
    return xlsx_response(write_xlsx("验收任务", HEADERS, rows), "grants-acceptance.xlsx")


@router.get("/grants/acceptance/{number}")
def task_page(number: str, request: Request, session: DbSession, actor: CurrentActor) -> Response:
    app, task = service.task_of(session, actor=actor, number=number)
    return render(
        request,
        "grants/acceptance.html",
        actor,
        app=app,
        task=task,
        evidence=EVIDENCE,
        uploaded=service.evidence(session, task.id),
        inspections=service.inspections(session, task.id),
        results=list(RESULTS.items()),
        reports=progress.reports_of(session, task.id),
    )


@router.post("/grants/acceptance/{number}/files")
def upload_page(
    number: str, session: DbSession, actor: CurrentActor, item: Annotated[str, Form()], file: UploadDep
) -> Response:
    service.upload(
        session, actor=actor, number=number, item=item, name=file.name, data=file.data, root=file.root
    )
    return RedirectResponse(f"/grants/acceptance/{number}", status_code=303)


@router.post("/grants/acceptance/{number}/submit")
def submit_page(number: str, session: DbSession, actor: CurrentActor) -> Response:
    service.submit(session, actor=actor, number=number)
    return RedirectResponse(f"/grants/acceptance/{number}", status_code=303)


@router.post("/grants/acceptance/{number}/inspections")
async def inspect_page(number: str, request: Request, session: DbSession, actor: CurrentActor) -> Response:
    form = await request.form()
    days = str(form.get("rectify_working_days") or "").strip()
    body: dict[str, object] = {
        "inspected_on": str(form.get("inspected_on") or ""),
        "members": [
            m
            for m in str(form.get("members") or "").replace("，", ",").replace("、", ",").split(",")
            if m.strip()
        ],
        "findings": str(form.get("findings") or ""),
        "result": str(form.get("result") or ""),
        "rectify_working_days": days or None,
    }
    service.inspect(
        session, actor=actor, number=number, data=validate(InspectionIn, body, code="grants.invalid")
    )
    return RedirectResponse(f"/grants/acceptance/{number}", status_code=303)
