"""The ingest pipeline: a file's bytes or a path in, decoded text and its articles out.

:func:`read_text` picks the reader by the file's kind (``decode`` for text, ``html`` for web pages,
``pdf`` for PDF), :func:`ingest_bytes` and :func:`ingest_file` add the split (``split``) and the
warnings, :func:`content_hash` gives an article its content address and :func:`iter_paths` walks
folders. Bad input raises an :class:`~longcheng.intel.ingest.model.IngestError` subclass.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Protocol

from longcheng.intel.ingest.decode import decode_bytes
from longcheng.intel.ingest.html import html_to_text
from longcheng.intel.ingest.model import (
    DEFAULT_MAX_BYTES,
    Article,
    DecodedText,
    EmptyFile,
    FileMissing,
    FileTooLarge,
    IngestResult,
    IngestWarning,
    SkippedPath,
    UnsupportedFile,
)
from longcheng.intel.ingest.pdf import pdf_to_text
from longcheng.intel.ingest.split import split_articles

SUPPORTED_SUFFIXES = frozenset({".txt", ".htm", ".html", ".pdf"})
_HTML_SUFFIXES = frozenset({".htm", ".html"})
_HTML_SNIFF = re.compile(rb"^\s*(?:<!doctype\s+html|<html|<head|<body|<meta)", re.IGNORECASE)
_ASCII_WORD_SPACE = re.compile(r"(?<![A-Za-z0-9]) | (?![A-Za-z0-9])")
_SPACES = re.compile(r"\s+")
_NO_DATE = "intel.no_date"
_NO_ARTICLES = "intel.no_articles"


class Titled(Protocol):
    """Anything with an article's title and body (an :class:`Article`, a stored document)."""

    @property
    def title(self) -> str: ...

    @property
    def body(self) -> str: ...


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def _too_large(name: str, size: int, max_bytes: int) -> FileTooLarge:
    return FileTooLarge(
        f"文件 {name} 大小为 {_megabytes(size)}，超过导入上限 {_megabytes(max_bytes)}，"
        "已拒绝导入，未读取内容。请拆分文件后再导入。",
        details={"size": size, "max_bytes": max_bytes},
    )


def read_text(data: bytes, filename: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> DecodedText:
    """Decode a file's bytes to text; HTML and PDF are reduced to their visible text.

    The kind is taken from the file name's extension (or sniffed: ``%PDF-``, ``<html``).
    Line ends are normalised to ``\\n`` and a byte-order mark is dropped.
    """
    if len(data) > max_bytes:
        raise _too_large(filename, len(data), max_bytes)
    suffix = Path(filename).suffix.lower()
    if suffix == ".pdf" or data.startswith(b"%PDF-"):
        if not data.strip():
            raise EmptyFile()
        return DecodedText(pdf_to_text(data), "pdf", "pdf")
    is_html = suffix in _HTML_SUFFIXES or bool(_HTML_SNIFF.match(data[:512]))
    text, encoding, warnings = decode_bytes(data, html=is_html)
    if is_html:
        text = html_to_text(text)
        if not text.strip():
            raise EmptyFile("网页中没有可导入的正文文字。")
    return DecodedText(text, encoding, "html" if is_html else "text", tuple(warnings))


def normalise_for_hash(text: str) -> str:
    """NFKC, whitespace collapsed, and spaces dropped unless they separate two Latin words."""
    folded = _SPACES.sub(" ", unicodedata.normalize("NFKC", text)).strip()
    return _ASCII_WORD_SPACE.sub("", folded)


def content_hash(article: Titled) -> str:
    """Hex sha256 of the article's normalised title and body: its content address."""
    normal = normalise_for_hash(article.title) + "\n" + normalise_for_hash(article.body)
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()


def ingest_file(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> IngestResult:
    """Read, decode and split one file. The size is checked before anything is read."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise FileMissing(f"找不到文件 {path}，请检查路径。") from exc
    if not path.is_file():
        raise FileMissing(f"{path} 不是文件。")
    if size > max_bytes:
        raise _too_large(path.name, size, max_bytes)
    return ingest_bytes(path.read_bytes(), path.name, path=path, max_bytes=max_bytes)


def ingest_bytes(
    data: bytes, filename: str, *, path: Path | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> IngestResult:
    """Decode and split a file already in memory (an upload); ``filename`` gives its kind."""
    decoded = read_text(data, filename, max_bytes=max_bytes)
    articles = tuple(split_articles(decoded.text))
    return IngestResult(
        path=path or Path(filename),
        file_sha256=hashlib.sha256(data).hexdigest(),
        encoding=decoded.encoding,
        kind=decoded.kind,
        text=decoded.text,
        articles=articles,
        warnings=decoded.warnings + _article_warnings(articles),
    )


def _article_warnings(articles: tuple[Article, ...]) -> tuple[IngestWarning, ...]:
    if not articles:
        return (IngestWarning(_NO_ARTICLES, "去除导航、版权等页面杂项后，文件中没有找到正文。"),)
    undated = sum(1 for article in articles if article.date is None)
    if undated:
        message = f"{len(articles)} 篇文章中有 {undated} 篇没有找到发布日期，请补充。"
        return (IngestWarning(_NO_DATE, message),)
    return ()


def iter_paths(
    paths: Iterable[Path], *, on_skip: Callable[[SkippedPath], None] | None = None
) -> Iterator[Path]:
    """Every ingestible file under ``paths`` (files as given, folders walked in name order).

    Other files, hidden files and missing paths are not yielded; each is passed to
    ``on_skip`` with the reason. A file reached twice is yielded once.
    """
    seen: set[Path] = set()
    skip = on_skip or (lambda _skipped: None)
    for path in paths:
        if not path.exists():
            skip(SkippedPath(path, FileMissing.code, "找不到该路径，已跳过。"))
            continue
        for candidate in _walk(path, skip) if path.is_dir() else iter([path]):
            reason = _skip_reason(candidate)
            if reason is not None:
                skip(SkippedPath(candidate, reason[0], reason[1]))
                continue
            key = candidate.resolve()
            if key not in seen:
                seen.add(key)
                yield candidate


def _walk(folder: Path, skip: Callable[[SkippedPath], None]) -> Iterator[Path]:
    """Files under ``folder`` in name order; hidden files and folders are skipped."""
    for root, dirs, files in os.walk(folder):
        for name in sorted(d for d in dirs if d.startswith(".")):
            skip(SkippedPath(Path(root) / name, "intel.hidden_file", "隐藏目录，已跳过。"))
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith("."):
                skip(SkippedPath(Path(root) / name, "intel.hidden_file", "隐藏文件，已跳过。"))
            else:
                yield Path(root) / name


def _skip_reason(path: Path) -> tuple[str, str] | None:
    if not path.is_file():
        return FileMissing.code, "不是普通文件，已跳过。"
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        suffix = path.suffix or "（无扩展名）"
        return UnsupportedFile.code, f"不支持的文件类型 {suffix}，仅支持 .txt、.htm、.html、.pdf，已跳过。"
    return None
