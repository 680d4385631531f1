"""督办: supervision orders with a reply deadline in working days, and the replies to them.

The bureau (admins, city-wide officers, the district's officers) issues an order; its deadline
is ``reply_working_days`` working days after the day of issue on the official calendar. Those who
answer for the project reply with text and files. The first reply answers the order; a reply
after the deadline is marked late and keeps the project red for a while (see ``lights``).

Files attached to replies are kept in the platform's file store (``core.files``,
``files/ab/cd/<sha256>``): the same bytes are kept once and never overwritten. Size and type are
limited here: PDF, images, Office documents and plain text, judged by their bytes, not by their
names.
"""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from longcheng.core import audit
from longcheng.core.actors import Actor
from longcheng.core.clock import local_today
from longcheng.core.errors import NotFound, PayloadTooLarge, PermissionDenied, ValidationFailed
from longcheng.core.files import FileStore, FileTooLarge
from longcheng.projects import permissions as perm
from longcheng.projects.models import Project
from longcheng.projects.schemas import OrderIn
from longcheng.projects.service.base import ENTITY, get, is_visible
from longcheng.projects.service.lights import calendar, refresh_light
from longcheng.projects.supervision.models import (
    ReplyAttachment,
    StoredFile,
    SupervisionOrder,
    SupervisionReply,
)

MAX_FILES = 10
MAX_FILE_BYTES = 10 * 1024 * 1024
_OFFICE = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
_OLE = {".doc": "application/msword", ".xls": "application/vnd.ms-excel"}
ALLOWED_SUFFIXES = (".pdf", ".png", ".jpg", ".jpeg", ".txt", *_OFFICE, *_OLE)


def _next_number(session: Session, year: int) -> str:
    n = (session.scalar(select(func.max(SupervisionOrder.id))) or 0) + 1
    while session.scalar(select(SupervisionOrder.id).where(SupervisionOrder.number == f"DB{year}-{n:04d}")):
        n += 1
    return f"DB{year}-{n:04d}"


def issue_order(session: Session, *, actor: Actor, code: str, data: OrderIn) -> SupervisionOrder:
    """Issue a 督办单; the reply is due ``reply_working_days`` working days from today."""
    project = get(session, actor=actor, code=code)
    if not perm.can_supervise(actor, project):
        raise PermissionDenied(
            "只有管理员、市级工作人员和项目所在区的工作人员可以下发督办单。", code="projects.order_forbidden"
        )
    today = local_today()
    order = SupervisionOrder(
        number=_next_number(session, today.year),
        project_id=project.id,
        subject=data.subject,
        demand=data.demand,
        issued_on=today,
        reply_working_days=data.reply_working_days,
        reply_due=calendar().add_working_days(today, data.reply_working_days),
        issued_by=actor.label,
        issued_by_id=actor.id,
    )
    session.add(order)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="projects.order.issue",
        entity_type=ENTITY,
        entity_id=project.code,
        after={
            "number": order.number,
            "subject": order.subject,
            "demand": order.demand,
            "reply_due": order.reply_due,
        },
    )
    refresh_light(session, project)
    return order


def orders_of(session: Session, project: Project) -> list[SupervisionOrder]:
    stmt = (
        select(SupervisionOrder)
        .where(SupervisionOrder.project_id == project.id)
        .options(selectinload(SupervisionOrder.replies).selectinload(SupervisionReply.attachments))
        .order_by(SupervisionOrder.issued_on.desc(), SupervisionOrder.id.desc())
    )
    return list(session.scalars(stmt))


def _order(session: Session, actor: Actor, order_id: int) -> tuple[SupervisionOrder, Project]:
    order = session.get(SupervisionOrder, order_id)
    if order is None:
        raise NotFound("未找到该督办单。", code="projects.order_not_found")
    project = session.get(Project, order.project_id)
    assert project is not None
    return order, get(session, actor=actor, code=project.code)


def _check_reply(text: str, files: list[tuple[str, BinaryIO]]) -> None:
    if len(text) < 2:
        raise ValidationFailed("请填写答复内容。", code="projects.reply_empty", details={"body": "不能为空"})
    if len(files) > MAX_FILES:
        raise ValidationFailed(
            f"每次答复最多上传 {MAX_FILES} 个附件。",
            code="projects.too_many_files",
            details={"files": f"最多 {MAX_FILES} 个"},
        )


def reply_to_order(
    session: Session,
    *,
    actor: Actor,
    order_id: int,
    body: str,
    files: list[tuple[str, BinaryIO]],
    root: Path,
    max_bytes: int = MAX_FILE_BYTES,
) -> SupervisionReply:
    """Reply with text and files (stored by SHA-256); a reply after the deadline is late."""
    order, project = _order(session, actor, order_id)
    perm.require_responsible(actor, perm.ORDER_REPLY, project)
    text = body.strip()
    _check_reply(text, files)
    stored = [
        (name, store(session, root=root, name=name, data=data, max_bytes=max_bytes)) for name, data in files
    ]
    today = local_today()
    reply = SupervisionReply(
        order_id=order.id,
        body=text,
        replied_on=today,
        actor=actor.label,
        actor_id=actor.id,
        late=today > order.reply_due,
        attachments=[ReplyAttachment(file_id=f.id, name=name[:200]) for name, f in stored],
    )
    session.add(reply)
    if order.replied_on is None:
        order.replied_on = today
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="projects.order.reply",
        entity_type=ENTITY,
        entity_id=project.code,
        after={
            "number": order.number,
            "body": text[:500],
            "late": reply.late,
            "files": [f"{name}（sha256:{f.sha256}）" for name, f in stored],
        },
    )
    refresh_light(session, project)
    return reply


def attachment(session: Session, *, actor: Actor, attachment_id: int) -> tuple[ReplyAttachment, StoredFile]:
    """An attachment the actor may download (they must see its project)."""
    att = session.get(ReplyAttachment, attachment_id)
    if att is None:
        raise NotFound("未找到该附件。", code="projects.file_not_found")
    reply = session.get(SupervisionReply, att.reply_id)
    assert reply is not None
    order = session.get(SupervisionOrder, reply.order_id)
    project = session.get(Project, order.project_id) if order else None
    if project is None or not is_visible(session, actor, project):
        raise PermissionDenied("您无权查看该附件。", code="projects.out_of_scope")
    return att, att.file


# Files: stored once under their SHA-256, never overwritten.


def clean_name(name: str) -> str:
    base = Path(name.replace("\\", "/")).name.strip() or "附件"
    return base[:200]


def sniff(head: bytes, name: str) -> str:
    """The media type of an allowed file from its first bytes (and, for Office, its suffix)."""
    suffix = Path(name).suffix.lower()
    if head.startswith(b"%PDF"):
        return "application/pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"PK\x03\x04") and suffix in _OFFICE:
        return _OFFICE[suffix]
    if head.startswith(b"\xd0\xcf\x11\xe0") and suffix in _OLE:
        return _OLE[suffix]
    if suffix == ".txt" and b"\x00" not in head:
        try:
            head.decode("utf-8")
            return "text/plain; charset=utf-8"
        except UnicodeDecodeError:
            pass
    raise ValidationFailed(
        f"附件“{name}”的类型不受支持：请上传 PDF、图片（PNG/JPG）、Word、Excel 或文本文件。",
        code="projects.file_type",
        details={"file": name},
    )


def path_of(root: Path, sha256: str) -> Path:
    """Where a stored file's bytes are (``files/ab/cd/<sha256>`` under the data dir)."""
    return FileStore(root).path(sha256)


def store(
    session: Session, *, root: Path, name: str, data: BinaryIO, max_bytes: int = MAX_FILE_BYTES
) -> StoredFile:
    """Keep the bytes under their SHA-256 (once) and return the file's row; an empty file or one
    of a type not allowed is refused before anything is kept."""
    name = clean_name(name)
    files = FileStore(root)
    try:
        with files.spool(data, max_bytes=max_bytes) as upload:
            if upload.size == 0:
                raise ValidationFailed(
                    f"附件“{name}”是空文件。", code="projects.file_empty", details={"file": name}
                )
            media_type = sniff(upload.head, name)
            sha, size = files.keep(upload), upload.size
    except FileTooLarge:
        raise PayloadTooLarge(
            f"附件“{name}”超过 {max_bytes // 1048576} MB 上限，未保存。", code="projects.file_too_large"
        ) from None
    row = session.scalar(select(StoredFile).where(StoredFile.sha256 == sha))
    if row is None:
        row = StoredFile(sha256=sha, size=size, media_type=media_type)
        session.add(row)
        session.flush()
    return row
