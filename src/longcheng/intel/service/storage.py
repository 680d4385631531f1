"""Content-addressed file store (按 sha256 存放): ``data_dir/files/ab/abcdef…``.

A file's name is the SHA-256 of its content, so the same bytes are stored once and a stored file
is never overwritten; writes go to a temporary file first and are renamed into place, so a crash
never leaves half a file under a valid name. The decoded text of a document is stored the same
way (as UTF-8, with the suffix ``.txt``).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from longcheng.core.errors import NotFound


class StoredFileMissing(NotFound):
    code = "intel.file_missing"
    message = "原文件不在文件库中（可能已被移走），请联系管理员。"


class FileStore:
    """Files under ``root`` (normally ``settings.data_dir / "files"``)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, sha256: str, suffix: str = "") -> Path:
        return self.root / sha256[:2] / f"{sha256}{suffix}"

    def put(self, data: bytes, suffix: str = "") -> str:
        """Store ``data`` (if not already there) and return its hex SHA-256."""
        digest = hashlib.sha256(data).hexdigest()
        target = self.path(digest, suffix)
        if target.exists():
            return digest
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return digest

    def put_text(self, text: str) -> str:
        return self.put(text.encode("utf-8"), ".txt")

    def read(self, sha256: str, suffix: str = "") -> bytes:
        try:
            return self.path(sha256, suffix).read_bytes()
        except FileNotFoundError:
            raise StoredFileMissing() from None

    def read_text(self, sha256: str) -> str:
        return self.read(sha256, ".txt").decode("utf-8")
