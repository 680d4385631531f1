"""Plain data types and errors of document ingest (文档导入).

Ingest is pure: bytes or paths go in, these frozen dataclasses come out. Offsets are
character positions in :attr:`DecodedText.text` (the decoded file text with line ends
normalised to ``\\n``); :class:`Article` maps every character of its own text back to that
file text through :class:`Piece` records, so a fact found in an article can always be
pointed at in its file.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import ClassVar, Literal

from longcheng.core.errors import LongchengError, PayloadTooLarge

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
"""Files above this size are refused before they are read (50 MB)."""

DatePrecision = Literal["day", "month", "year"]
SourceKind = Literal["text", "html", "pdf"]


# --------------------------------------------------------------------------- errors


class IngestError(LongchengError):
    """A file that cannot be ingested; nothing from it is stored."""

    code: ClassVar[str] = "intel.ingest_failed"
    status: ClassVar[int] = 422
    message: ClassVar[str] = "文件无法导入。"


class EmptyFile(IngestError):
    code = "intel.empty_file"
    message = "文件为空，没有可导入的文字。"


class BinaryFile(IngestError):
    code = "intel.binary_file"
    message = "文件不是文本文件（含有大量二进制内容），无法导入。请提供 TXT、HTML 或 PDF 文件。"


class FileTooLarge(IngestError, PayloadTooLarge):
    code = "intel.file_too_large"
    status = 413
    message = "文件过大，已拒绝导入。请拆分后再导入。"


class PdfNoText(IngestError):
    code = "intel.pdf_no_text"
    message = "PDF 没有文字层（可能是扫描件或图片），无法提取文字，未保存任何内容。请先做文字识别（OCR）。"


class PdfUnreadable(IngestError):
    code = "intel.pdf_unreadable"
    message = "PDF 文件已损坏或已加密，无法读取。"


class FileMissing(IngestError):
    code = "intel.file_not_found"
    message = "找不到该文件，请检查路径。"


class UnsupportedFile(IngestError):
    code = "intel.unsupported_file"
    message = "不支持的文件类型，仅支持 .txt、.htm、.html、.pdf。"


# --------------------------------------------------------------------------- values


@dataclass(frozen=True, slots=True)
class IngestWarning:
    """Something worth telling the analyst that did not stop the import."""

    code: str
    message: str


@dataclass(frozen=True, slots=True)
class DecodedText:
    """A file's text after decoding (and HTML/PDF text extraction)."""

    text: str
    encoding: str
    kind: SourceKind
    warnings: tuple[IngestWarning, ...] = ()


@dataclass(frozen=True, slots=True)
class Piece:
    """``length`` characters at ``text_start`` of an article's text equal the same number at
    ``file_start`` of the decoded file text."""

    text_start: int
    file_start: int
    length: int


@dataclass(frozen=True, slots=True)
class Article:
    """One article found in a file.

    ``text`` is ``title + "\\n" + body``. ``start``/``end`` bound the article's main run in the
    file text (title to last line); ``pieces`` map each character of ``text`` to the file,
    including continuations printed elsewhere (a magazine's "上接第23页"). ``date`` is the
    publication date; with ``date_precision`` "month" or "year" it is the first day of that
    period. ``date_text`` keeps the date as written, also when no year is given.
    """

    title: str
    body: str
    start: int
    end: int
    pieces: tuple[Piece, ...] = ()
    date: date | None = None
    date_precision: DatePrecision | None = None
    date_text: str | None = None
    source: str | None = None
    _starts: tuple[int, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_starts", tuple(p.text_start for p in self.pieces))

    @property
    def text(self) -> str:
        return f"{self.title}\n{self.body}"

    @property
    def body_offset(self) -> int:
        """Where ``body`` starts inside ``text``."""
        return len(self.title) + 1

    def file_offset(self, index: int) -> int:
        """The file-text position of character ``index`` of :attr:`text`.

        Separators inserted between lines map to the end of the preceding piece.
        """
        if not self.pieces:
            return self.start
        at = max(bisect.bisect_right(self._starts, index) - 1, 0)
        piece = self.pieces[at]
        inside = min(max(index - piece.text_start, 0), piece.length)
        return piece.file_start + inside

    def file_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a ``[start, end)`` span of :attr:`text` to the file text."""
        if end <= start:
            point = self.file_offset(start)
            return point, point
        return self.file_offset(start), self.file_offset(end - 1) + 1


@dataclass(frozen=True, slots=True)
class IngestResult:
    """What one file yields: its decoded text, the articles in it and what went wrong."""

    path: Path
    file_sha256: str
    encoding: str
    kind: SourceKind
    text: str
    articles: tuple[Article, ...]
    warnings: tuple[IngestWarning, ...] = ()


@dataclass(frozen=True, slots=True)
class SkippedPath:
    """A path that :func:`longcheng.intel.ingest.iter_paths` did not yield, and why."""

    path: Path
    code: str
    message: str
