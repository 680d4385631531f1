"""Pages of applications: the firm's own (apply, draft, submit, status) and the staff queues."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session
from starlette.responses import Response

from longcheng.core.actors import Actor
from longcheng.core.auth import can, require
from longcheng.core.errors import NotFound, ValidationFailed
from longcheng.core.exporting import write_xlsx
from longcheng.core.http import CurrentActor, DbSession, state_of, uploaded_file
from longcheng.core.listing import Paging, export_limit, render_list, xlsx_response
from longcheng.core.templating import render
from longcheng.core.validation import validate
from longcheng.grants import permissions as perm
from longcheng.grants.applications import tasks
from longcheng.grants.applications.schemas import DraftIn, MoveIn, QueueFilter
from longcheng.grants.applications.service import apply, bulk, decide, files, queue, review
from longcheng.grants.applications.service.base import get
from longcheng.grants.attachments.api import UploadDep
from longcheng.grants.engine.bank import yuan_to_fen
from longcheng.grants.engine.stages import machine
from longcheng.grants.payments import service as payments
from longcheng.grants.programmes import service as programmes
from longcheng.grants.programmes.models import Programme, Window
from longcheng.grants.publicity import service as publicity
from longcheng.platform.jobs import imports
from longcheng.platform.jobs import service as job_service
from longcheng.platform.jobs.models import Job, JobState
from longcheng.platform.jobs.pages import started

router = APIRouter(include_in_schema=False)
FilterDep = Annotated[QueueFilter, Depends()]
HEADERS = (
    "申报编号",
    "专项",
    "申报单位",
    "统一社会信用代码",
    "所属区",
    "阶段",
    "在本阶段（工作日）",
    "时限（工作日）",
    "提醒灯",
    "申请金额（元）",
    "政策测算金额（元）",
    "核定金额（元）",
    "决定",
    "决定理由",
)
LIGHTS = {"red": "红灯", "yellow": "黄灯", "green": "绿灯", "grey": "无时限"}


def _fen(text: str, field: str) -> int:
    try:
        return yuan_to_fen(text)
    except ValueError as exc:
        raise ValidationFailed(str(exc), code="grants.bad_amount", details={field: str(exc)}) from None


@router.get("/grants/queue")
def queue_page(
    request: Request, session: DbSession, actor: CurrentActor, filters: FilterDep, paging: Paging
) -> Response:
    result = queue.queue(session, actor=actor, filters=filters, page=paging.page, page_size=paging.page_size)
    stages = [(k, v) for k, v in machine().labels.items() if k != "draft"]
    return render_list(
        request,
        actor,
        "grants/queue.html",
        "grants/_queue_table.html",
        result,
        filters,
        stages=stages,
        lights=LIGHTS,
    )


@router.get("/grants/queue.xlsx")
def queue_export(request: Request, session: DbSession, actor: CurrentActor, filters: FilterDep) -> Response:
    def money(fen: int | None) -> str:
        return "" if fen is None else f"{fen / 100:.2f}"

    rows = (
        [
            r.app.number,
            r.programme,
            r.app.applicant_name,
            r.app.applicant_uscc,
            r.app.district or "",
            r.stage_label,
            r.age,
            r.limit or "",
            LIGHTS[r.light],
            money(r.app.requested_fen),
            money(r.app.policy_fen),
            money(r.app.approved_fen),
            "",
            "",
        ]
        for r in queue.iter_queue(session, actor=actor, filters=filters, limit=export_limit(request))
    )
    return xlsx_response(write_xlsx("申报", HEADERS, rows), "grants-applications.xlsx")


@router.get("/grants/my")
def my_page(request: Request, session: DbSession, actor: CurrentActor) -> Response:
    rows = queue.mine(session, actor=actor)
    windows = [(w, p) for w, p, state in programmes.calendar_windows(session, actor=actor) if state == "open"]
    return render(request, "grants/my.html", actor, rows=rows, windows=windows)


@router.post("/grants/windows/{window_id}/apply")
def start_page(window_id: int, session: DbSession, actor: CurrentActor) -> Response:
    app = apply.start(session, actor=actor, window_id=window_id)
    return RedirectResponse(f"/grants/applications/{app.number}", status_code=303)


@router.get("/grants/applications/{number}")
def detail_page(number: str, request: Request, session: DbSession, actor: CurrentActor) -> Response:
    app = get(session, actor=actor, number=number)
    window = session.get(Window, app.window_id)
    programme = session.get(Programme, app.programme_id)
    assert window is not None
    assert programme is not None
    flow = machine().workflow(programme.workflow)
    money = []
    if can(actor, perm.PAYABLE_READ) or can(actor, perm.APPLY, app):
        money = payments.payable_status_unchecked(
            session, source_kind="grants.application", source_ref=app.number
        )
    return render(
        request,
        "grants/application.html",
        actor,
        app=app,
        window=window,
        programme=programme,
        fields=json.loads(window.form_fields),
        checklist=json.loads(window.checklist),
        answers=json.loads(app.form_data),
        why=json.loads(app.policy_explanation),
        stage_label=machine().label(app.stage),
        uploaded=files.latest(session, app.id),
        objections=publicity.objections_of(session, app.id) if can(actor, perm.APP_REVIEW) else [],
        staff_steps=[(s, machine().label(s)) for s in flow.next_for(app.stage, "staff")],
        money=money,
    )


@router.post("/grants/applications/{number}/draft")
async def draft_page(number: str, request: Request, session: DbSession, actor: CurrentActor) -> Response:
    form = await request.form()
    answers = {k[2:]: str(v) for k, v in form.items() if k.startswith("f_")}
    body: dict[str, object] = {"form": answers, "bank_name": str(form.get("bank_name") or "")}
    if str(form.get("requested") or "").strip():
        body["requested_fen"] = _fen(str(form.get("requested")), "requested_fen")
    if str(form.get("bank_account") or "").strip():
        body["bank_account"] = str(form.get("bank_account")).strip()
    apply.save(session, actor=actor, number=number, data=validate(DraftIn, body, code="grants.invalid"))
    if form.get("submit"):
        apply.submit(session, actor=actor, number=number, pledge=form.get("pledge") == "yes")
    return RedirectResponse(f"/grants/applications/{number}", status_code=303)


@router.post("/grants/applications/{number}/move")
async def move_page(number: str, request: Request, session: DbSession, actor: CurrentActor) -> Response:
    form = await request.form()
    data = validate(
        MoveIn,
        {"to_stage": str(form.get("to_stage") or ""), "reason": str(form.get("reason") or "")},
        code="grants.invalid",
    )
    decide.move(session, actor=actor, number=number, data=data)
    return RedirectResponse(f"/grants/applications/{number}", status_code=303)


@router.post("/grants/applications/{number}/amount")
async def amount_page(number: str, request: Request, session: DbSession, actor: CurrentActor) -> Response:
    form = await request.form()
    decide.set_amount(
        session, actor=actor, number=number, approved_fen=_fen(str(form.get("approved") or ""), "approved")
    )
    return RedirectResponse(f"/grants/applications/{number}", status_code=303)


@router.post("/grants/applications/{number}/files")
def upload_page(
    number: str,
    session: DbSession,
    actor: CurrentActor,
    item: Annotated[str, Form()],
    file: UploadDep,
) -> Response:
    files.upload(
        session, actor=actor, number=number, item=item, name=file.name, data=file.data, root=file.root
    )
    return RedirectResponse(f"/grants/applications/{number}", status_code=303)


@router.get("/grants/review/{number}")
def reviewer_page(number: str, request: Request, session: DbSession, actor: CurrentActor) -> Response:
    """What an assigned expert reads after the declaration: the answers and the materials' list,
    without the firm's account details."""
    app = review.file_for_reviewer(session, actor=actor, number=number)
    window = session.get(Window, app.window_id)
    assert window is not None
    return render(
        request,
        "grants/review_file.html",
        actor,
        app=app,
        fields=json.loads(window.form_fields),
        answers=json.loads(app.form_data),
        uploaded=files.latest(session, app.id),
    )


@router.get("/grants/queue/decisions")
def bulk_page(request: Request, session: DbSession, actor: CurrentActor, job: int | None = None) -> Response:
    """The upload form; with ``job`` the bulk decision job's progress, then its outcome."""
    require(actor, perm.APP_REVIEW)
    shown = job_service.get(session, job, actor=actor) if job is not None else None
    if shown is not None and shown.kind != tasks.DECISIONS:
        shown = None
    return render(
        request,
        "grants/bulk.html",
        actor,
        result=None,
        job=shown,
        outcome=_job_outcome(request, session, actor, shown),
        job_rows=state_of(request).settings.import_job_rows,
        headers=HEADERS,
    )


def _job_outcome(request: Request, session: Session, actor: Actor, job: Job | None) -> str:
    """A finished job's summary: its result file, a line of text (shown above the progress bar)."""
    if job is None or job.job_state is not JobState.done:
        return ""
    try:
        path, _ = job_service.result_file(
            session, job.id, actor=actor, data_dir=state_of(request).settings.data_dir
        )
    except NotFound:
        return ""
    return path.read_text("utf-8", errors="replace")[:2000]


@router.post("/grants/queue/decisions")
def bulk_submit(
    request: Request, session: DbSession, actor: CurrentActor, file: Annotated[UploadFile, File()]
) -> Response:
    """批量决定: the exported queue with its 决定 column filled, applied all or nothing; a file of
    more than ``IMPORT_JOB_ROWS`` decisions goes to the job ``grants.decisions`` (progress page)."""
    require(actor, perm.APP_REVIEW)
    settings = state_of(request).settings
    max_bytes, threshold = settings.max_upload_bytes, settings.import_job_rows
    with uploaded_file(request, file) as path:
        if bulk.count_decisions(path, max_bytes=max_bytes, up_to=threshold + 1) > threshold:
            with path.open("rb") as data:
                params = imports.keep_upload(
                    data, filename=file.filename or "", data_dir=settings.data_dir, max_bytes=max_bytes
                )
            job = job_service.submit(session, actor=actor, kind=tasks.DECISIONS, params=params)
            return started(request, job, to=f"/grants/queue/decisions?job={job.id}")
        result = bulk.import_decisions(
            session, actor=actor, path=path, max_bytes=max_bytes, name=file.filename or ""
        )
    status = 200 if result.report.ok else 422
    return render(
        request,
        "grants/bulk.html",
        actor,
        status=status,
        result=result,
        job=None,
        outcome="",
        job_rows=threshold,
        headers=HEADERS,
    )
