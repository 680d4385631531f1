"""Photos of carriers: images only (PNG or JPEG, told by their bytes, not their names), under a
size limit, kept once under their SHA-256 in the project's file store (``files/ab/cd/<sha256>``)
through ``projects``' public storage function; shown on the public carrier page.
"""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from longcheng.carriers import permissions as perm
from longcheng.carriers.models import Carrier, Photo
from longcheng.carriers.service import sites
from longcheng.core import audit
from longcheng.core.actors import Actor
from longcheng.core.auth import require
from longcheng.core.errors import NotFound, PayloadTooLarge, ValidationFailed
from longcheng.projects.supervision import service as file_store

MAX_PHOTO_BYTES = 5 * 1024 * 1024
MAX_PHOTOS = 20
IMAGE_MAGIC = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}


class PhotoNotFound(NotFound):
    code = "carriers.photo_not_found"
    message = "未找到该照片。"


def _media_type(head: bytes, name: str) -> str:
    for magic, media in IMAGE_MAGIC.items():
        if head.startswith(magic):
            return media
    raise ValidationFailed(
        f"文件“{name}”不是图片：载体照片只接受 PNG 或 JPG 格式。",
        code="carriers.photo_type",
        details={"photo": "请上传 PNG 或 JPG 图片"},
    )


def _keep(session: Session, *, name: str, data: BinaryIO, root: Path, max_bytes: int) -> tuple[str, int]:
    """The bytes into the file store (once per SHA-256); returns their digest and size."""
    try:
        stored = file_store.store(session, root=root, name=name, data=data, max_bytes=max_bytes)
    except PayloadTooLarge:
        raise PayloadTooLarge(
            f"照片“{name}”超过 {max_bytes // 1048576} MB 上限，未保存。", code="carriers.photo_too_large"
        ) from None
    return stored.sha256, stored.size


def add_photo(
    session: Session,
    *,
    actor: Actor,
    code: str,
    name: str,
    data: BinaryIO,
    root: Path,
    caption: str = "",
    max_bytes: int = MAX_PHOTO_BYTES,
) -> Photo:
    """Check and keep one photo of the carrier; refused (nothing kept) when not an image or too big."""
    require(actor, perm.CARRIER_EDIT)
    carrier = sites.get(session, code=code)
    if len(photos_of(session, carrier_id=carrier.id)) >= MAX_PHOTOS:
        raise ValidationFailed(f"每个载体最多 {MAX_PHOTOS} 张照片。", code="carriers.photo_too_many")
    name = file_store.clean_name(name)
    media_type = _media_type(data.read(16), name)
    data.seek(0)
    sha256, size = _keep(session, name=name, data=data, root=root, max_bytes=max_bytes)
    photo = Photo(
        carrier_id=carrier.id,
        sha256=sha256,
        name=name,
        media_type=media_type,
        size=size,
        caption=caption.strip()[:200],
        uploaded_by=actor.label,
    )
    session.add(photo)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="carriers.carrier.photo",
        entity_type=sites.ENTITY,
        entity_id=carrier.code,
        after={"photo": f"{name}（sha256:{sha256[:12]}）"},
    )
    return photo


def remove_photo(session: Session, *, actor: Actor, photo_id: int) -> str:
    """Take a photo off the carrier's page (the stored bytes stay); returns the carrier's code."""
    require(actor, perm.CARRIER_EDIT)
    photo = session.get(Photo, photo_id)
    if photo is None:
        raise PhotoNotFound()
    carrier = session.get(Carrier, photo.carrier_id)
    code = carrier.code if carrier else ""
    session.delete(photo)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="carriers.carrier.photo_remove",
        entity_type=sites.ENTITY,
        entity_id=code,
        before={"photo": photo.name},
    )
    return code


def photos_of(session: Session, *, carrier_id: int) -> list[Photo]:
    """The carrier's photos, oldest first (public)."""
    return list(session.scalars(select(Photo).where(Photo.carrier_id == carrier_id).order_by(Photo.id)))


def photo_file(session: Session, *, photo_id: int, root: Path) -> tuple[Photo, Path]:
    """A photo and where its bytes are (public, as the carrier page is)."""
    photo = session.get(Photo, photo_id)
    if photo is None:
        raise PhotoNotFound()
    path = file_store.path_of(root, photo.sha256)
    if not path.exists():
        raise PhotoNotFound()
    return photo, path
