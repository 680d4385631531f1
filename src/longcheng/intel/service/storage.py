"""Where the library keeps its files: the platform's content-addressed store (``core.files``) with
the layout intel's documents have always had, ``data_dir/files/ab/<sha256>`` (one folder level),
and each document's decoded text beside it as UTF-8 under ``<sha256 of the text>.txt``.

The same bytes are kept once and never overwritten; a missing file is answered ``files.missing``.
"""

from __future__ import annotations

from pathlib import Path

from longcheng.core.files import FileStore

TEXT = ".txt"


def library(data_dir: Path) -> FileStore:
    """The library's file store under ``data_dir``."""
    return FileStore(data_dir, levels=1)
