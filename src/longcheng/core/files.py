"""One content-addressed file store (按 SHA-256 存放) for every module's uploads.

A stored file's name is the SHA-256 of its bytes, under ``<data_dir>/files``: with ``levels=2``
(the default, used by projects, grants, exchange and carriers) at ``files/ab/cd/<sha256>``, with
``levels=1`` at ``files/ab/<sha256>``. The scheme is a parameter so that files already on disk are
found where they are; nothing is moved.

- The same bytes are kept once.
- A stored file is never overwritten: the bytes are written to a hidden temporary file
  (``.tmp-…``, which backups skip) and hard-linked into place, which fails rather than replace.
  A crash never leaves half a file under a valid name.
- Only 64 lowercase hex digits (and a short fixed suffix such as ``.txt``) make a path, so no
  name from a request can reach outside the store.
- Reading checks the bytes against their name unless told not to; a missing or damaged file is
  answered with a clear 404 (``files.missing`` / ``files.corrupt``).

What a module accepts (types judged by content, size limits) and who may read stays in the
module; this store only keeps and gives back bytes.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from longcheng.core.errors import NotFound, PayloadTooLarge

DIGEST = re.compile(r"[0-9a-f]{64}")
SUFFIX = re.compile(r"(\.[a-z0-9]{1,8})?")
HEAD_BYTES = 4096
BLOCK = 1 << 20


class FileMissing(NotFound):
    code = "files.missing"
    message = "文件不在文件库中（可能已被移走），请联系管理员从备份恢复。"


class FileCorrupt(NotFound):
    code = "files.corrupt"
    message = "文件内容与登记的哈希值不符，已拒绝提供。请联系管理员从备份恢复。"


class FileTooLarge(PayloadTooLarge):
    code = "files.too_large"


@dataclass(frozen=True)
class Spooled:
    """An upload written to a temporary file: its digest, size and first bytes (to judge its type)."""

    sha256: str
    size: int
    head: bytes
    tmp: Path


class FileStore:
    """The files under ``<data_dir>/files``, ``levels`` folders of two hex digits deep."""

    def __init__(self, data_dir: Path, *, levels: int = 2) -> None:
        self.root = data_dir / "files"
        self.levels = levels

    def path(self, sha256: str, suffix: str = "") -> Path:
        """Where the bytes named ``sha256`` live; any other name is refused as missing."""
        if not DIGEST.fullmatch(sha256) or not SUFFIX.fullmatch(suffix):
            raise FileMissing()
        folders = [sha256[2 * i : 2 * i + 2] for i in range(self.levels)]
        return self.root.joinpath(*folders, sha256 + suffix)

    def located(self, sha256: str, suffix: str = "") -> Path:
        """The path of a file that is there (to stream it), or a clear refusal."""
        path = self.path(sha256, suffix)
        if not path.is_file():
            raise FileMissing()
        return path

    def exists(self, sha256: str, suffix: str = "") -> bool:
        try:
            return self.path(sha256, suffix).is_file()
        except FileMissing:
            return False

    def put(self, data: bytes, suffix: str = "") -> str:
        """Keep ``data`` (once) and return its SHA-256."""
        sha = hashlib.sha256(data).hexdigest()
        dest = self.path(sha, suffix)
        if not dest.exists():
            tmp = self._temp()
            try:
                tmp.write_bytes(data)
                self._link(tmp, dest)
            finally:
                tmp.unlink(missing_ok=True)
        return sha

    @contextmanager
    def spool(self, stream: BinaryIO, *, max_bytes: int) -> Iterator[Spooled]:
        """Write a stream to a temporary file, refusing it past ``max_bytes``; call :meth:`keep`
        inside the block to store it. Whatever is not kept is removed when the block ends."""
        tmp = self._temp()
        try:
            yield self._write(stream, tmp, max_bytes)
        finally:
            tmp.unlink(missing_ok=True)

    def keep(self, spooled: Spooled, suffix: str = "") -> str:
        """Store a spooled upload under its SHA-256 (once)."""
        dest = self.path(spooled.sha256, suffix)
        if not dest.exists():
            self._link(spooled.tmp, dest)
        return spooled.sha256

    def read(self, sha256: str, suffix: str = "", *, verify: bool = True) -> bytes:
        """The stored bytes; refused when missing or (with ``verify``) when they no longer match."""
        try:
            data = self.path(sha256, suffix).read_bytes()
        except (FileNotFoundError, IsADirectoryError):
            raise FileMissing() from None
        if verify and hashlib.sha256(data).hexdigest() != sha256:
            raise FileCorrupt()
        return data

    def _temp(self) -> Path:
        self.root.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=self.root, prefix=".tmp-")
        os.close(fd)
        return Path(name)

    @staticmethod
    def _link(tmp: Path, dest: Path) -> None:
        dest.parent.mkdir(parents=True, exist_ok=True)
        with suppress(FileExistsError):  # the same bytes arrived meanwhile: never replace them
            os.link(tmp, dest)

    @staticmethod
    def _write(stream: BinaryIO, tmp: Path, max_bytes: int) -> Spooled:
        digest, size, head = hashlib.sha256(), 0, b""
        with tmp.open("wb") as out:
            while block := stream.read(BLOCK):
                size += len(block)
                if size > max_bytes:
                    raise FileTooLarge(f"文件超过 {max_bytes // 1048576} MB 上限，未保存。")
                head = head or block[:HEAD_BYTES]
                digest.update(block)
                out.write(block)
        return Spooled(digest.hexdigest(), size, head, tmp)
