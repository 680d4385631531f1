"""Document ingest (文档导入): files in, articles out, no database — a pure engine.

The public surface other modules call (all re-exported here):

* :func:`read_text` — bytes of a .txt/.htm/.html/.pdf file to text, with the encoding found
  (UTF-8, UTF-8 with BOM, GBK/GB18030, UTF-16 with BOM, mixed line by line) and warnings;
* :func:`split_articles` — text to :class:`Article` records (title, body, date, source and a
  character map back to the file text);
* :func:`content_hash` — sha256 of an article's normalised text, equal for the same article
  from another file, format or encoding;
* :func:`ingest_file`, :func:`ingest_bytes` and :func:`iter_paths` — the two above applied to
  paths, uploads and folders.

Bad input raises an :class:`IngestError` subclass with a stable ``code`` (``intel.empty_file``,
``intel.binary_file``, ``intel.file_too_large``, ``intel.pdf_no_text``…) and a Chinese message;
nothing is half-read. Files above the size limit are refused before a byte is read.

Start reading at ``pipeline`` (the surface above), then ``model`` (the plain types and errors).
Reading a file: ``decode`` (bytes to text), ``html``, ``pdf``. Splitting it: ``split`` (the file
shapes), ``toc`` (magazines by their table of contents), ``boilerplate`` (page chrome, line by
line), ``dates`` (publication dates) and ``body`` (an article's text and its map to the file).

Imports only the standard library, ``pypdf`` and ``longcheng.core.errors``.
"""

from longcheng.intel.ingest.model import (
    DEFAULT_MAX_BYTES,
    Article,
    BinaryFile,
    DecodedText,
    EmptyFile,
    FileMissing,
    FileTooLarge,
    IngestError,
    IngestResult,
    IngestWarning,
    PdfNoText,
    PdfUnreadable,
    Piece,
    SkippedPath,
    UnsupportedFile,
)
from longcheng.intel.ingest.pipeline import (
    SUPPORTED_SUFFIXES,
    Titled,
    content_hash,
    ingest_bytes,
    ingest_file,
    iter_paths,
    normalise_for_hash,
    read_text,
)
from longcheng.intel.ingest.split import split_articles

__all__ = [
    "DEFAULT_MAX_BYTES",
    "SUPPORTED_SUFFIXES",
    "Article",
    "BinaryFile",
    "DecodedText",
    "EmptyFile",
    "FileMissing",
    "FileTooLarge",
    "IngestError",
    "IngestResult",
    "IngestWarning",
    "PdfNoText",
    "PdfUnreadable",
    "Piece",
    "SkippedPath",
    "Titled",
    "UnsupportedFile",
    "content_hash",
    "ingest_bytes",
    "ingest_file",
    "iter_paths",
    "normalise_for_hash",
    "read_text",
    "split_articles",
]
