"""Checking an uploaded file against a checklist item: its real type by its bytes (a renamed
EXE is refused), its size, and, for Office files (zip containers), a zip bomb."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

MAGIC = {
    "pdf": (b"%PDF",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "xlsx": (b"PK\x03\x04",),
    "docx": (b"PK\x03\x04",),
}
MEDIA = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
OFFICE_MARK = {"xlsx": "xl/", "docx": "word/"}
MAX_UNZIPPED = 100 * 1024 * 1024
MAX_RATIO = 100
EXECUTABLE = (b"MZ", b"\x7fELF", b"\xcf\xfa\xed\xfe", b"#!")


@dataclass(frozen=True)
class FileProblem:
    code: str
    message: str


def kind_of(name: str, head: bytes) -> str | None:
    """The allowed kind the bytes really are (the name's suffix decides only among zip kinds)."""
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    suffix = "jpg" if suffix == "jpeg" else suffix
    for kind, marks in MAGIC.items():
        if any(head.startswith(m) for m in marks) and (kind not in OFFICE_MARK or suffix == kind):
            return kind
    return None


def _zip_problem(data: bytes, kind: str) -> FileProblem | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            total = sum(i.file_size for i in infos)
            packed = sum(i.compress_size for i in infos) or 1
            if total > MAX_UNZIPPED or total / packed > MAX_RATIO:
                return FileProblem("grants.file_zip_bomb", "文件解压后异常巨大（疑似压缩炸弹），已拒收。")
            if not any(i.filename.startswith(OFFICE_MARK[kind]) for i in infos):
                return FileProblem("grants.file_type", "文件不是有效的 Office 文档。")
    except zipfile.BadZipFile:
        return FileProblem("grants.file_type", "文件已损坏，无法打开。")
    return None


def check(name: str, data: bytes, *, allowed: list[str], max_bytes: int) -> tuple[str, FileProblem | None]:
    """``(kind, problem)``: the file's real kind and the first problem (None when acceptable)."""
    if not data:
        return "", FileProblem("grants.file_empty", f"文件“{name}”是空文件。")
    if len(data) > max_bytes:
        return "", FileProblem("grants.file_too_large", f"文件“{name}”超过 {max_bytes // 1048576} MB 上限。")
    if data.startswith(EXECUTABLE):
        return "", FileProblem("grants.file_executable", f"文件“{name}”实为可执行程序，已拒收。")
    kind = kind_of(name, data[:16])
    if kind is None or kind not in allowed:
        wanted = "、".join(k.upper() for k in allowed)
        return "", FileProblem("grants.file_type", f"文件“{name}”的类型不符合要求：此项只接受 {wanted}。")
    if kind in OFFICE_MARK:
        problem = _zip_problem(data, kind)
        if problem:
            return kind, problem
    return kind, None
