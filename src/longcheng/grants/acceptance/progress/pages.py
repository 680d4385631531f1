"""Pages of progress reports: the list (search, filters, paging, XLSX) with the programme's
schedule form for staff, and one report with the firm's form and the reviewer's form."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse
from sqlalchemy import select
from starlette.responses import Response

from longcheng.core.exporting import write_xlsx
from longcheng.core.http import CurrentActor, DbSession
from longcheng.core.listing import Paging, export_limit, render_list, xlsx_response
from longcheng.core.templating import render
from longcheng.core.validation import validate
from longcheng.grants.acceptance.progress import service, views
from longcheng.grants.acceptance.progress.models import FILE_MAX_MB, FILE_TYPES, REPORT_STATES
from longcheng.grants.acceptance.progress.schemas import PlanIn, ProgressFilter, ReportIn, ReviewIn
from longcheng.grants.attachments.api import UploadDep
from longcheng.grants.programmes.models import Programme

router = APIRouter(include_in_schema=False)
FilterDep = Annotated[ProgressFilter, Depends()]
HEADERS = ("申报编号", "申报单位", "专项", "期次", "报告期限", "状态", "是否逾期", "提交人", "审核人")


@router.get("/grants/progress")
def list_page(
    request: Request, session: DbSession, actor: CurrentActor, filters: FilterDep, paging: Paging
) -> Response:
    result = views.list_reports(
        session, actor=actor, filters=filters, page=paging.page, page_size=paging.page_size
    )
    programmes = session.execute(
        select(Programme.code, Programme.name).where(Programme.payment_mode == "after_acceptance")
    ).all()
    return render_list(
        request,
        actor,
        "grants/progress_list.html",
        "grants/_progress_table.html",
        result,
        filters,
        states=list(REPORT_STATES.items()),
        programmes=[(c, n) for c, n in programmes],
    )


@router.get("/grants/progress.xlsx")
def export_page(request: Request, session: DbSession, actor: CurrentActor, filters: FilterDep) -> Response:
    rows = (
        [
            r.number,
            r.applicant_name,
            r.programme,
            r.seq,
            r.due_on.isoformat(),
            r.state_label,
            "是" if r.overdue else "否",
            r.submitted_by,
            r.reviewed_by,
        ]
        for r in views.iter_reports(session, actor=actor, filters=filters, limit=export_limit(request))
    )
    return xlsx_response(write_xlsx("进度报告", HEADERS, rows), "grants-progress.xlsx")


@router.post("/grants/progress/plan")
async def plan_page(request: Request, session: DbSession, actor: CurrentActor) -> Response:
    form = await request.form()
    body = {k: str(form.get(k) or "").strip() or None for k in ("every_months", "reports", "remind_days")}
    code = str(form.get("programme") or "")
    data = validate(PlanIn, {k: v for k, v in body.items() if v is not None}, code="grants.invalid")
    service.set_plan(session, actor=actor, programme_code=code, data=data)
    return RedirectResponse("/grants/progress", status_code=303)


def _report_url(number: str, seq: int) -> str:
    return f"/grants/acceptance/{number}/progress/{seq}"


@router.get("/grants/acceptance/{number}/progress/{seq}")
def report_page(number: str, seq: int, request: Request, session: DbSession, actor: CurrentActor) -> Response:
    app, report = service.report_of(session, actor=actor, number=number, seq=seq)
    return render(
        request,
        "grants/progress_report.html",
        actor,
        app=app,
        report=report,
        files=service.files_of(session, report.id),
        types=FILE_TYPES,
        max_mb=FILE_MAX_MB,
    )


@router.post("/grants/acceptance/{number}/progress/{seq}/files")
def upload_page(number: str, seq: int, session: DbSession, actor: CurrentActor, file: UploadDep) -> Response:
    service.upload(
        session, actor=actor, number=number, seq=seq, name=file.name, data=file.data, root=file.root
    )
    return RedirectResponse(_report_url(number, seq), status_code=303)


@router.post("/grants/acceptance/{number}/progress/{seq}/submit")
def submit_page(
    number: str, seq: int, session: DbSession, actor: CurrentActor, body: Annotated[str, Form()] = ""
) -> Response:
    data = validate(ReportIn, {"body": body}, code="grants.invalid")
    service.submit(session, actor=actor, number=number, seq=seq, data=data)
    return RedirectResponse(_report_url(number, seq), status_code=303)


@router.post("/grants/acceptance/{number}/progress/{seq}/review")
def review_page(
    number: str,
    seq: int,
    session: DbSession,
    actor: CurrentActor,
    decision: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
) -> Response:
    data = validate(ReviewIn, {"decision": decision, "note": note}, code="grants.invalid")
    service.review(session, actor=actor, number=number, seq=seq, data=data)
    return RedirectResponse(_report_url(number, seq), status_code=303)
