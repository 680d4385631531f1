"""PDF to plain text with ``pypdf``.

Only the text layer is read. A scanned PDF (images only) has none: it is refused with
``intel.pdf_no_text`` rather than stored empty, so the analyst knows to run OCR first.
"""

from __future__ import annotations

import io
import logging

from pypdf import PdfReader
from pypdf.errors import PdfReadError, PyPdfError

from longcheng.intel.ingest.model import PdfNoText, PdfUnreadable

_MIN_WORD_CHARS = 10
"""Fewer letters, digits or hanzi than this in the whole file means "no text layer"."""

logging.getLogger("pypdf").setLevel(logging.ERROR)


def pdf_to_text(data: bytes) -> str:
    """The text layer of a PDF, pages separated by a blank line."""
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise PdfUnreadable("PDF 已加密，无法读取文字。请提供未加密的文件。")
        pages = [(page.extract_text() or "").strip() for page in reader.pages]
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, OSError) as exc:
        raise PdfUnreadable() from exc
    text = "\n\n".join(page for page in pages if page)
    if sum(1 for ch in text if ch.isalnum()) < _MIN_WORD_CHARS:
        raise PdfNoText()
    return text.replace("\r\n", "\n").replace("\r", "\n") + "\n"
