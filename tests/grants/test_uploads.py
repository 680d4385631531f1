"""Uploads against the window's checklist: an EXE named .pdf, a wrong type, a file over the limit
and a zip bomb are refused with stable codes; a real PDF is kept; required items gate submission."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from sqlalchemy.orm import Session
from tests.grants.conftest import MakeProgramme
from tests.grants.test_applications import _firm

from longcheng.core import users
from longcheng.core.actors import SYSTEM
from longcheng.core.errors import LongchengError, ValidationFailed
from longcheng.grants.applications.schemas import DraftIn
from longcheng.grants.applications.service import apply, files
from longcheng.grants.programmes import service as programmes
from longcheng.grants.programmes.schemas import WindowIn

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _bomb() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", b"0" * (20 * 1024 * 1024))
    return buf.getvalue()


@pytest.fixture
def number(session: Session, make_programme: MakeProgramme) -> str:
    p = make_programme()
    window = programmes.add_window(
        session,
        actor=SYSTEM,
        programme_code=p.code,
        data=WindowIn.model_validate(
            {
                "code": "U1",
                "name": "上传测试批次",
                "fiscal_year": 2026,
                "opens_at": "2026-01-01 00:00:00",
                "closes_at": "2026-12-31 23:59:59",
                "checklist": [{"code": "report", "label": "审计报告", "types": ["pdf", "docx"], "max_mb": 1}],
            }
        ),
    )
    firm, _ = _firm(session, "gupload")
    app = apply.start(session, actor=firm, window_id=window.id)
    apply.save(
        session,
        actor=firm,
        number=app.number,
        data=DraftIn(requested_fen=100_00, bank_account="62220203040506", bank_name="某银行"),
    )
    return app.number


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("报告.pdf", b"MZ\x90\x00" + b"\x00" * 100, "grants.file_executable"),
        ("报告.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "grants.file_type"),
        ("报告.pdf", b"%PDF" + b"0" * (1024 * 1024 + 1), "grants.file_too_large"),
        ("报告.docx", _bomb(), "grants.file_zip_bomb"),
    ],
)
def test_bad_uploads_are_refused(
    session: Session, number: str, tmp_path: Path, name: str, data: bytes, code: str
) -> None:
    firm = users.get_by_username(session, "gupload")
    assert firm is not None
    with pytest.raises(LongchengError) as exc:
        files.upload(
            session, actor=firm.to_actor(), number=number, item="report", name=name, data=data, root=tmp_path
        )
    assert exc.value.code_text == code
    assert not (tmp_path / "files").exists() or not any((tmp_path / "files").rglob("*"))


def test_required_material_gates_submission(session: Session, number: str, tmp_path: Path) -> None:
    user = users.get_by_username(session, "gupload")
    assert user is not None
    firm = user.to_actor()
    with pytest.raises(ValidationFailed) as exc:
        apply.submit(session, actor=firm, number=number, pledge=True)
    assert "file_report" in exc.value.details
    row = files.upload(
        session, actor=firm, number=number, item="report", name="审计报告.pdf", data=PDF, root=tmp_path
    )
    assert row.media_type == "application/pdf"
    assert (tmp_path / "files" / row.sha256[:2] / row.sha256[2:4] / row.sha256).read_bytes() == PDF
    assert apply.submit(session, actor=firm, number=number, pledge=True) == f"{number}-1"
