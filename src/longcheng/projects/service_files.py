"""Files attached to 督办 replies, stored content-addressed: ``files/ab/cd/<sha256>``.

The name of a stored file is its SHA-256, so the same bytes are kept once and a stored file is
never overwritten (a new file is linked into place, which fails rather than replace). Size and
type are limited: PDF, images, Office documents and plain text, judged by their bytes, not by
their names.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from longcheng.core.errors import PayloadTooLarge, ValidationFailed
from longcheng.projects.models import StoredFile

MAX_FILE_BYTES = 10 * 1024 * 1024
_OFFICE = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
_OLE = {".doc": "application/msword", ".xls": "application/vnd.ms-excel"}
ALLOWED_SUFFIXES = (".pdf", ".png", ".jpg", ".jpeg", ".txt", *_OFFICE, *_OLE)


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
    return root / "files" / sha256[:2] / sha256[2:4] / sha256


def _spool(data: BinaryIO, tmp_dir: Path, name: str, max_bytes: int) -> tuple[Path, str, int, bytes]:
    digest, size, head = hashlib.sha256(), 0, b""
    fd, tmp_name = tempfile.mkstemp(dir=tmp_dir, prefix="upload-")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            while block := data.read(1 << 20):
                size += len(block)
                if size > max_bytes:
                    raise PayloadTooLarge(
                        f"附件“{name}”超过 {max_bytes // 1048576} MB 上限，未保存。",
                        code="projects.file_too_large",
                    )
                head = head or block[:4096]
                digest.update(block)
                out.write(block)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp, digest.hexdigest(), size, head


def store(
    session: Session, *, root: Path, name: str, data: BinaryIO, max_bytes: int = MAX_FILE_BYTES
) -> StoredFile:
    """Keep the bytes under their SHA-256 (once) and return the file's row."""
    name = clean_name(name)
    (root / "files").mkdir(parents=True, exist_ok=True)
    tmp, sha, size, head = _spool(data, root / "files", name, max_bytes)
    try:
        if size == 0:
            raise ValidationFailed(
                f"附件“{name}”是空文件。", code="projects.file_empty", details={"file": name}
            )
        media_type = sniff(head, name)
        dest = path_of(root, sha)
        dest.parent.mkdir(parents=True, exist_ok=True)
        if not dest.exists():
            try:
                os.link(tmp, dest)  # fails if the file appeared meanwhile: never overwrite
            except FileExistsError:
                pass
    finally:
        tmp.unlink(missing_ok=True)
    row = session.scalar(select(StoredFile).where(StoredFile.sha256 == sha))
    if row is None:
        row = StoredFile(sha256=sha, size=size, media_type=media_type)
        session.add(row)
        session.flush()
    return row
