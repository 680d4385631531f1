"""JSON API of 督办 under ``/api/v1/projects``: issue an order, reply with files, download a file."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import FileResponse, Response
from pydantic import BaseModel

from longcheng.core.files import FileStore
from longcheng.core.http import CurrentActor, DbSession, state_of
from longcheng.core.openapi import ANY_FILE, file_download
from longcheng.core.validation import validate
from longcheng.projects.schemas import OrderIn
from longcheng.projects.supervision import service as supervision_service
from longcheng.projects.supervision.models import SupervisionOrder

router = APIRouter(prefix="/api/v1/projects", tags=["projects 重大项目"])


class FileRead(BaseModel):
    id: int
    name: str


class StoredFileRead(FileRead):
    sha256: str
    size: int


class ReplyRead(BaseModel):
    body: str
    replied_on: str
    late: bool
    actor: str
    files: list[StoredFileRead]


class OrderRead(BaseModel):
    """A supervision order (督办单) and its replies with their attachments."""

    id: int
    number: str
    subject: str
    demand: str
    issued_on: str
    reply_due: str
    replied_on: str | None
    late: bool
    replies: list[ReplyRead]


class ReplyCreated(BaseModel):
    id: int
    late: bool
    replied_on: str
    files: list[FileRead]


def order_json(o: SupervisionOrder) -> dict[str, Any]:
    return {
        "id": o.id,
        "number": o.number,
        "subject": o.subject,
        "demand": o.demand,
        "issued_on": o.issued_on.isoformat(),
        "reply_due": o.reply_due.isoformat(),
        "replied_on": o.replied_on.isoformat() if o.replied_on else None,
        "late": o.late,
        "replies": [
            {
                "body": r.body,
                "replied_on": r.replied_on.isoformat(),
                "late": r.late,
                "actor": r.actor,
                "files": [
                    {"id": a.id, "name": a.name, "sha256": a.file.sha256, "size": a.file.size}
                    for a in r.attachments
                ],
            }
            for r in o.replies
        ],
    }


@router.post("/orders/{order_id}/replies", status_code=201, response_model=ReplyCreated)
def reply(
    request: Request,
    order_id: int,
    session: DbSession,
    actor: CurrentActor,
    body: Annotated[str, Form()],
    files: Annotated[list[UploadFile] | None, File()] = None,
) -> dict[str, Any]:
    settings = state_of(request).settings
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
    return {
        "id": r.id,
        "late": r.late,
        "replied_on": r.replied_on.isoformat(),
        "files": [{"id": a.id, "name": a.name} for a in r.attachments],
    }


@router.get("/files/{attachment_id}", response_class=Response, responses=file_download(ANY_FILE))
def download(request: Request, attachment_id: int, session: DbSession, actor: CurrentActor) -> Response:
    return file_response(request, session, actor, attachment_id)


def file_response(request: Request, session: DbSession, actor: CurrentActor, attachment_id: int) -> Response:
    att, stored = supervision_service.attachment(session, actor=actor, attachment_id=attachment_id)
    path = FileStore(state_of(request).settings.data_dir).located(stored.sha256)
    return FileResponse(
        path,
        media_type=stored.media_type,
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(att.name)}"},
    )


@router.post("/{code}/orders", status_code=201, response_model=OrderRead)
def issue_order(code: str, body: dict[str, Any], session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    data = validate(OrderIn, body, code="projects.invalid")
    return order_json(supervision_service.issue_order(session, actor=actor, code=code, data=data))
