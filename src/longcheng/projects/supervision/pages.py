"""Pages of 督办: issue an order from the project page, reply with files, download a file."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from starlette.responses import Response

from longcheng.core.http import CurrentActor, DbSession, state_of
from longcheng.core.validation import validate
from longcheng.projects.pages.detail import act_on_project
from longcheng.projects.schemas import OrderIn
from longcheng.projects.supervision import service as supervision_service
from longcheng.projects.supervision.api import file_response

router = APIRouter(include_in_schema=False)


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
        order = supervision_service.issue_order(session, actor=actor, code=code, data=data)
        return f"已下发督办单{order.number}，须于{order.reply_due.isoformat()}前答复。"

    return act_on_project(request, session, actor, code, act, "orders")


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
        r = supervision_service.reply_to_order(
            session,
            actor=actor,
            order_id=order_id,
            body=body,
            files=uploads,
            root=settings.data_dir,
            max_bytes=min(settings.max_upload_bytes, 10 << 20),
        )
        return "答复已提交（逾期答复）。" if r.late else "答复已提交。"

    return act_on_project(request, session, actor, code, act, "orders")


@router.get("/projects/files/{attachment_id}")
def download(attachment_id: int, request: Request, session: DbSession, actor: CurrentActor) -> Response:
    return file_response(request, session, actor, attachment_id)
