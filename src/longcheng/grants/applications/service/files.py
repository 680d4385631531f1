"""Uploads for an application's checklist: checked by ``engine.files``, stored once under their
SHA-256 (``files/ab/cd/<sha256>``), never overwritten; each upload is a new row."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from longcheng.core import audit
from longcheng.core.actors import Actor
from longcheng.core.auth import require
from longcheng.core.errors import Conflict, PayloadTooLarge, ValidationFailed
from longcheng.grants import permissions as perm
from longcheng.grants.applications.models import Application, ApplicationFile
from longcheng.grants.applications.service.base import ENTITY, get
from longcheng.grants.engine import files
from longcheng.grants.programmes.models import Window


def _item(session: Session, app: Application, code: str) -> dict[str, object]:
    window = session.get(Window, app.window_id)
    items = json.loads(window.checklist) if window else []
    for item in items:
        if item["code"] == code:
            return dict(item)
    raise ValidationFailed(f"材料清单中没有“{code}”这一项。", code="grants.unknown_item")


def _store(root: Path, data: bytes) -> str:
    sha = hashlib.sha256(data).hexdigest()
    dest = root / "files" / sha[:2] / sha[2:4] / sha
    if not dest.exists():
        dest.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=dest.parent)
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        try:
            os.link(tmp, dest)  # never replaces a file already there
        except FileExistsError:
            pass
        finally:
            os.unlink(tmp)
    return sha


def upload(
    session: Session, *, actor: Actor, number: str, item: str, name: str, data: bytes, root: Path
) -> ApplicationFile:
    """Check and keep one material; refused with a stable code when type, size or content is wrong."""
    require(actor, perm.APPLY)
    app = get(session, actor=actor, number=number)
    if app.stage not in ("draft", "returned"):
        raise Conflict("申报已提交，不能再上传材料。", code="grants.application_locked")
    spec = _item(session, app, item)
    max_bytes = int(str(spec.get("max_mb", 10))) * 1024 * 1024
    kind, problem = files.check(name, data, allowed=list(spec.get("types", ["pdf"])), max_bytes=max_bytes)  # type: ignore[call-overload]
    if problem is not None:
        error = PayloadTooLarge if problem.code == "grants.file_too_large" else ValidationFailed
        raise error(problem.message, code=problem.code, details={"file": problem.message})
    row = ApplicationFile(
        application_id=app.id,
        item=item,
        name=Path(name.replace("\\", "/")).name[:200] or "附件",
        sha256=_store(root, data),
        size=len(data),
        media_type=files.MEDIA[kind],
        uploaded_by=actor.label,
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="grants.application.upload",
        entity_type=ENTITY,
        entity_id=app.number,
        after={"材料": str(spec.get("label")), "文件": f"{row.name}（sha256:{row.sha256}）"},
    )
    return row


def latest(session: Session, application_id: int) -> dict[str, ApplicationFile]:
    """The newest upload of each checklist item."""
    stmt = (
        select(ApplicationFile)
        .where(ApplicationFile.application_id == application_id)
        .order_by(ApplicationFile.id)
    )
    return {f.item: f for f in session.scalars(stmt)}
