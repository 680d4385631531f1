"""The platform's file store: bytes come back as kept, the same bytes are kept once and never
overwritten, a missing or damaged file is answered clearly, and no name reaches outside the store."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest

from longcheng.core.files import FileCorrupt, FileMissing, FileStore, FileTooLarge

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SHA = hashlib.sha256(PDF).hexdigest()


def _stored(root: Path) -> list[Path]:
    return sorted(p for p in (root / "files").rglob("*") if p.is_file())


def test_bytes_come_back_as_kept_under_their_hash(tmp_path: Path) -> None:
    """Files sit at files/ab/cd/<sha256> under the data dir, the layout uploads have always used."""
    store = FileStore(tmp_path)
    assert store.put(PDF) == SHA
    assert store.read(SHA) == PDF
    assert _stored(tmp_path) == [tmp_path / "files" / SHA[:2] / SHA[2:4] / SHA]
    assert store.exists(SHA)


def test_one_level_layout_finds_files_where_they_are(tmp_path: Path) -> None:
    """The path scheme is a parameter: files/ab/<sha256>, with an optional fixed suffix."""
    store = FileStore(tmp_path, levels=1)
    sha = store.put("公告正文".encode(), ".txt")
    assert _stored(tmp_path) == [tmp_path / "files" / sha[:2] / f"{sha}.txt"]
    assert store.read(sha, ".txt").decode() == "公告正文"


def test_the_same_bytes_are_kept_once_and_never_rewritten(tmp_path: Path) -> None:
    store = FileStore(tmp_path)
    store.put(PDF)
    first = store.path(SHA).stat().st_ino
    assert store.put(PDF) == SHA
    with store.spool(io.BytesIO(PDF), max_bytes=1024) as upload:
        assert store.keep(upload) == SHA
    assert _stored(tmp_path) == [store.path(SHA)]
    assert store.path(SHA).stat().st_ino == first


def test_a_file_already_there_is_not_replaced(tmp_path: Path) -> None:
    """Even damaged bytes under a name stay as they are (for an administrator to see); reading
    them is refused rather than handing out the wrong content."""
    store = FileStore(tmp_path)
    store.path(SHA).parent.mkdir(parents=True)
    store.path(SHA).write_bytes(b"tampered")
    store.put(PDF)
    assert store.path(SHA).read_bytes() == b"tampered"
    with pytest.raises(FileCorrupt) as exc:
        store.read(SHA)
    assert exc.value.status_code == 404
    assert exc.value.code_text == "files.corrupt"


def test_a_streamed_upload_is_kept_only_when_asked(tmp_path: Path) -> None:
    """The caller judges the type from the first bytes before keeping; whatever is not kept goes."""
    store = FileStore(tmp_path)
    with store.spool(io.BytesIO(PDF), max_bytes=1024) as upload:
        assert (upload.sha256, upload.size) == (SHA, len(PDF))
        assert upload.head.startswith(b"%PDF")
    assert _stored(tmp_path) == []
    with store.spool(io.BytesIO(PDF), max_bytes=1024) as upload:
        store.keep(upload)
    assert store.read(SHA) == PDF
    assert _stored(tmp_path) == [store.path(SHA)]


def test_a_stream_past_the_limit_is_refused_and_nothing_stays(tmp_path: Path) -> None:
    store = FileStore(tmp_path)
    with pytest.raises(FileTooLarge) as exc, store.spool(io.BytesIO(b"x" * 2048), max_bytes=1024):
        pytest.fail("a stream past the limit must not reach the caller")
    assert exc.value.status_code == 413
    assert _stored(tmp_path) == []


def test_a_missing_file_is_answered_clearly(tmp_path: Path) -> None:
    store = FileStore(tmp_path)
    with pytest.raises(FileMissing) as exc:
        store.read(SHA)
    assert exc.value.status_code == 404
    assert exc.value.code_text == "files.missing"
    assert "文件库" in exc.value.message_text
    with pytest.raises(FileMissing):
        store.located(SHA)
    assert not store.exists(SHA)


@pytest.mark.parametrize(
    ("name", "suffix"),
    [
        ("../../secret", ""),
        ("/etc/passwd", ""),
        ("ab/../../../secret", ""),
        (SHA.upper(), ""),
        (SHA[:63], ""),
        (SHA + "/..", ""),
        (SHA, "/../../../secret"),
        (SHA, "\x00"),
    ],
)
def test_no_name_reaches_outside_the_store(tmp_path: Path, name: str, suffix: str) -> None:
    """Only 64 lowercase hex digits and a short suffix make a path; anything else is missing."""
    secret = tmp_path / "secret"
    secret.write_bytes(b"not for download")
    store = FileStore(tmp_path / "data")
    store.put(PDF)
    with pytest.raises(FileMissing):
        store.read(name, suffix)
    with pytest.raises(FileMissing):
        store.path(name, suffix)
    assert not store.exists(name, suffix)
