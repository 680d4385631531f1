"""Uploads for an application's checklist: the window's checklist item says which types and size
it takes; checking and keeping the file is ``grants.attachments``'; each upload is a new row."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy.orm import Session

from longcheng.core import audit
from longcheng.core.actors import Actor
from longcheng.core.auth import require
from longcheng.core.errors import Conflict, ValidationFailed
from longcheng.grants import permissions as perm
from longcheng.grants.applications.models import Application, ApplicationFile
from longcheng.grants.applications.service.base import ENTITY, get
from longcheng.grants.attachments import service as attachments
from longcheng.grants.programmes.models import Window


def _item(session: Session, app: Application, code: str) -> dict[str, object]:
    window = session.get(Window, app.window_id)
    items = json.loads(window.checklist) if window else []
    for item in items:
        if item["code"] == code:
            return dict(item)
    raise ValidationFailed(f"材料清单中没有“{code}”这一项。", code="grants.unknown_item")


def upload(
    session: Session, *, actor: Actor, number: str, item: str, name: str, data: bytes, root: Path
) -> ApplicationFile:
    """Check and keep one material; refused with a stable code when type, size or content is wrong."""
    require(actor, perm.APPLY)
    app = get(session, actor=actor, number=number)
    if app.stage not in ("draft", "returned"):
        raise Conflict("申报已提交，不能再上传材料。", code="grants.application_locked")
    spec = _item(session, app, item)
    owned = ApplicationFile(application_id=app.id, item=item)
    row = attachments.attach(session, owned, actor=actor, name=name, data=data, root=root, spec=spec)
    audit.record(
        session,
        actor=actor,
        action="grants.application.upload",
        entity_type=ENTITY,
        entity_id=app.number,
        after={"材料": str(spec.get("label")), "文件": attachments.described(row)},
    )
    return row


def latest(session: Session, application_id: int) -> dict[str, ApplicationFile]:
    """The newest upload of each checklist item."""
    rows = attachments.attachments_of(
        session, ApplicationFile, ApplicationFile.application_id, application_id
    )
    return {f.item: f for f in rows}
