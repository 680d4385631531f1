"""The archive itself, without a database: manifest, parts, checksums and value encoding.

A part is a gzip-compressed JSON Lines file, one JSON array per row in the manifest's column
order. Values are encoded so that both backends read them back exactly: aware datetimes as ISO
8601 with their UTC offset, dates as ISO, ``Decimal`` as a string, bytes as base64, JSON values
as JSON. The sha256 in the manifest covers a part's stored (compressed) bytes, so a changed byte
is found before anything is decompressed or inserted.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import io
import json
import os
import tarfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from longcheng.core.errors import LongchengError

FORMAT = 1
MANIFEST = "manifest.json"
TABLES_DIR = "tables/"
FILES_DIR = "files/"
_CHUNK = 1 << 20


class ArchiveCorrupt(LongchengError):
    code = "backup.archive_corrupt"
    message = "备份文件已损坏或不完整，未做任何恢复。"


# Kinds of column, named for how a value is written; anything else passes through as JSON.
KINDS = {datetime: "datetime", date: "date", Decimal: "decimal", bytes: "bytes", dict: "json", list: "json"}


def kind_of(python_type: type | None) -> str:
    """The encoding kind of a column whose values are ``python_type`` (``plain`` when unknown)."""
    return KINDS.get(python_type, "plain") if python_type is not None else "plain"


def encode(value: Any) -> Any:
    """A JSON-ready form of one column value."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("naive datetime in backup: store aware UTC datetimes only")
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    return value


def decode(value: Any, kind: str) -> Any:
    """The Python value of one encoded column value of ``kind``."""
    if value is None:
        return None
    if kind == "datetime":
        return datetime.fromisoformat(value)
    if kind == "date":
        return date.fromisoformat(value)
    if kind == "decimal":
        return Decimal(value)
    if kind == "bytes":
        return base64.b64decode(value)
    return value


@dataclass
class TablePart:
    """One table's part: its member name, columns (name → kind), row count and checksum."""

    table: str
    columns: dict[str, str]
    rows: int = 0
    sha256: str = ""

    @property
    def member(self) -> str:
        return f"{TABLES_DIR}{self.table}.jsonl.gz"


@dataclass
class StoredFile:
    path: str  # relative to data_dir/files, with forward slashes
    size: int
    sha256: str

    @property
    def member(self) -> str:
        return f"{FILES_DIR}{self.path}"


@dataclass
class Manifest:
    revisions: list[str]
    created_at: str
    backend: str
    tables: list[TablePart] = field(default_factory=list)
    files: list[StoredFile] = field(default_factory=list)
    format: int = FORMAT

    def to_json(self) -> bytes:
        return json.dumps(asdict(self), ensure_ascii=False, indent=1).encode("utf-8")

    @classmethod
    def from_json(cls, data: bytes) -> Manifest:
        try:
            raw = json.loads(data)
            if raw.get("format") != FORMAT:
                raise ArchiveCorrupt(
                    f"备份格式版本 {raw.get('format')} 不受支持（本程序读取版本 {FORMAT}）。"
                )
            files = [StoredFile(**f) for f in raw["files"]]
            unsafe = [f.path for f in files if f.path.startswith("/") or ".." in f.path.split("/")]
            if unsafe:
                raise ArchiveCorrupt(details={"部分": MANIFEST, "原因": f"文件路径越出文件库：{unsafe[0]}"})
            return cls(
                revisions=list(raw["revisions"]),
                created_at=str(raw["created_at"]),
                backend=str(raw["backend"]),
                tables=[TablePart(**t) for t in raw["tables"]],
                files=files,
            )
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise ArchiveCorrupt(details={"部分": MANIFEST, "原因": f"清单无法读取（{exc}）"}) from exc

    def parts(self) -> dict[str, tuple[int, str]]:
        """Every member after the manifest: name → (size or -1 for a table part, sha256)."""
        out = {t.member: (-1, t.sha256) for t in self.tables}
        out.update({f.member: (f.size, f.sha256) for f in self.files})
        return out


class PartWriter:
    """Write one table's rows as gzip JSON Lines to ``path``, counting rows and hashing the bytes."""

    def __init__(self, path: Path, part: TablePart) -> None:
        self.part = part
        self._raw = path.open("wb")
        self._gzip = gzip.GzipFile(fileobj=self._raw, mode="wb", compresslevel=1, mtime=0)
        self.path = path

    def write(self, rows: Iterable[Iterable[Any]]) -> None:
        lines = [
            json.dumps([encode(v) for v in row], ensure_ascii=False, separators=(",", ":")) for row in rows
        ]
        if lines:
            self._gzip.write(("\n".join(lines) + "\n").encode("utf-8"))
            self.part.rows += len(lines)

    def close(self) -> TablePart:
        self._gzip.close()
        self._raw.close()
        self.part.sha256 = file_sha256(self.path)
        return self.part


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(_CHUNK):
            digest.update(block)
    return digest.hexdigest()


def write_archive(out: Path, manifest: Manifest, members: Iterable[tuple[str, Path]]) -> None:
    """Write the tar (manifest first, then ``members``) to a temporary name and rename it into place."""
    tmp = out.with_name(f".{out.name}.partial")
    with tarfile.open(tmp, "w", format=tarfile.PAX_FORMAT) as tar:
        data = manifest.to_json()
        info = tarfile.TarInfo(MANIFEST)
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
        for name, path in members:
            tar.add(str(path), arcname=name, recursive=False)
    os.replace(tmp, out)


def _open(path: Path) -> tarfile.TarFile:
    try:
        return tarfile.open(path, "r:")
    except (tarfile.TarError, OSError) as exc:
        raise ArchiveCorrupt(details={"部分": MANIFEST, "原因": f"不是可读的备份文件（{exc}）"}) from exc


def read_manifest(path: Path) -> Manifest:
    with _open(path) as tar:
        try:
            first = tar.next()
            if first is None or first.name != MANIFEST:
                raise ArchiveCorrupt(details={"部分": MANIFEST, "原因": "备份文件开头没有清单"})
            handle = tar.extractfile(first)
            assert handle is not None
            return Manifest.from_json(handle.read())
        except (tarfile.TarError, OSError, EOFError) as exc:
            raise ArchiveCorrupt(details={"部分": MANIFEST, "原因": f"清单不完整（{exc}）"}) from exc


def members(path: Path, manifest: Manifest) -> Iterator[tuple[str, IO[bytes]]]:
    """Every member after the manifest, in order; a short, unknown or missing member is refused by name."""
    expected = manifest.parts()
    seen: set[str] = set()
    current = MANIFEST
    with _open(path) as tar:
        try:
            for info in tar:
                current = info.name
                if current == MANIFEST:
                    continue
                if current not in expected or current in seen or not info.isfile():
                    raise ArchiveCorrupt(details={"部分": current, "原因": "清单中没有这一部分"})
                seen.add(current)
                handle = tar.extractfile(info)
                assert handle is not None
                yield current, handle
        except (tarfile.TarError, OSError, EOFError, gzip.BadGzipFile, zlib.error) as exc:
            raise ArchiveCorrupt(details={"部分": current, "原因": f"内容不完整或已损坏（{exc}）"}) from exc
    missing = [name for name in expected if name not in seen]
    if missing:
        raise ArchiveCorrupt(
            details={"部分": missing[0], "原因": f"备份文件被截断，缺少 {len(missing)} 个部分"}
        )


def verify(path: Path, manifest: Manifest) -> None:
    """Read every member once and compare its sha256 (and size) with the manifest's."""
    expected = manifest.parts()
    for name, handle in members(path, manifest):
        digest, size = hashlib.sha256(), 0
        try:
            while block := handle.read(_CHUNK):
                digest.update(block)
                size += len(block)
        except (tarfile.TarError, OSError, EOFError) as exc:
            raise ArchiveCorrupt(
                details={"部分": name, "原因": f"内容不完整，备份文件被截断（{exc}）"}
            ) from exc
        want_size, want_sha = expected[name]
        if digest.hexdigest() != want_sha or want_size not in (-1, size):
            raise ArchiveCorrupt(details={"部分": name, "原因": "校验和不符，内容被改动或损坏"})


def rows(handle: IO[bytes], part: TablePart, batch: int) -> Iterator[list[dict[str, Any]]]:
    """The rows of one table part as column → value dicts, ``batch`` at a time."""
    names = list(part.columns)
    kinds = [part.columns[n] for n in names]
    out: list[dict[str, Any]] = []
    with gzip.GzipFile(fileobj=handle, mode="rb") as text:
        for line in text:
            values = json.loads(line)
            out.append({n: decode(v, k) for n, v, k in zip(names, values, kinds, strict=True)})
            if len(out) >= batch:
                yield out
                out = []
    if out:
        yield out
