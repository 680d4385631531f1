"""Documents of the exchange (a client's 委托书, 交割 papers): checked by their real type and size,
kept in the platform's file store (``core.files``: once under their SHA-256 at
``<data_dir>/files/ab/cd/<sha256>``, never overwritten), read back by hash."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from longcheng.core.errors import NotFound, PayloadTooLarge, ValidationFailed
from longcheng.core.files import FileCorrupt, FileMissing, FileStore

KINDS = {
    b"%PDF-": ("pdf", "application/pdf"),
    b"\x89PNG\r\n\x1a\n": ("png", "image/png"),
    b"\xff\xd8\xff": ("jpg", "image/jpeg"),
}
MAX_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class Stored:
    name: str
    sha256: str
    size: int
    media_type: str


def check(name: str, data: bytes, *, max_bytes: int = MAX_BYTES) -> tuple[str, str]:
    """The file's safe name and media type, or a refusal with a stable code (PDF, PNG, JPG only)."""
    clean = Path(name.replace("\\", "/")).name[:200] or "文件"
    if not data:
        raise ValidationFailed(
            f"文件“{clean}”是空文件。", code="exchange.file_empty", details={"file": "空文件"}
        )
    limit = min(max_bytes, MAX_BYTES)
    if len(data) > limit:
        raise PayloadTooLarge(
            f"文件“{clean}”超过 {limit // 1048576} MB 上限。", code="exchange.file_too_large"
        )
    for magic, (_kind, media) in KINDS.items():
        if data.startswith(magic):
            return clean, media
    raise ValidationFailed(
        f"文件“{clean}”的类型不符合要求：只接受 PDF、PNG、JPG。",
        code="exchange.file_type",
        details={"file": "类型不符合要求"},
    )


def store(root: Path, name: str, data: bytes, *, max_bytes: int = MAX_BYTES) -> Stored:
    """Check and keep one document; the same content is kept once."""
    clean, media = check(name, data, max_bytes=max_bytes)
    return Stored(clean, FileStore(root).put(data), len(data), media)


def read(root: Path, sha: str) -> bytes:
    """The document's bytes, checked against their hash; a refusal names what went wrong."""
    try:
        return FileStore(root).read(sha)
    except FileCorrupt:
        raise NotFound("文件内容与登记的哈希值不符，已拒绝提供。", code="exchange.file_corrupt") from None
    except FileMissing:
        raise NotFound("文件不存在或已被移除。", code="exchange.file_not_found") from None
