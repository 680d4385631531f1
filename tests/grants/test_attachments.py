"""Grants' attachments: application materials, acceptance evidence and progress-report files go
through one upload path, so they are checked, named and kept the same way."""

from __future__ import annotations

import hashlib
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from tests.grants.conftest import MakeProgramme
from tests.grants.test_acceptance import PDF, _decided


def test_evidence_and_progress_files_with_the_same_bytes_are_kept_once(
    app_client: TestClient, session: Session, make_programme: MakeProgramme, tmp_path: Path
) -> None:
    """Two rows, one stored file under files/ab/cd/<sha256>; a folder in the name is dropped."""
    number, _, firm = _decided(session, make_programme)
    base = f"/api/v1/grants/applications/{number}"
    evidence = app_client.post(
        f"{base}/acceptance/files",
        data={"item": "audit_report"},
        files={"file": ("..\\..\\审计报告.pdf", PDF)},
        headers=firm,
    )
    progress = app_client.post(f"{base}/progress/1/files", files={"file": ("进度.pdf", PDF)}, headers=firm)
    assert (evidence.status_code, progress.status_code) == (201, 201)
    sha = hashlib.sha256(PDF).hexdigest()
    assert evidence.json() == {
        "item": "audit_report",
        "label": "专项审计报告",
        "name": "审计报告.pdf",
        "sha256": sha,
        "size": len(PDF),
    }
    assert progress.json() == {"name": "进度.pdf", "sha256": sha, "size": len(PDF)}
    assert list((tmp_path / "files").rglob(sha)) == [tmp_path / "files" / sha[:2] / sha[2:4] / sha]
    listed = app_client.get(f"{base}/progress", headers=firm).json()[0]["files"]
    assert listed == [{"name": "进度.pdf", "sha256": sha, "size": len(PDF)}]


def test_every_kind_of_attachment_refuses_a_disguised_program(
    app_client: TestClient, session: Session, make_programme: MakeProgramme, tmp_path: Path
) -> None:
    """An EXE named .pdf is refused with the same code as evidence and as a progress file."""
    number, _, firm = _decided(session, make_programme)
    base = f"/api/v1/grants/applications/{number}"
    exe = ("发票.pdf", b"MZ\x90\x00" + b"\x00" * 64)
    answers = [
        app_client.post(
            f"{base}/acceptance/files", data={"item": "invoices"}, files={"file": exe}, headers=firm
        ),
        app_client.post(f"{base}/progress/1/files", files={"file": exe}, headers=firm),
    ]
    assert [(a.status_code, a.json()["code"]) for a in answers] == [(422, "grants.file_executable")] * 2
    assert not list((tmp_path / "files").rglob(hashlib.sha256(exe[1]).hexdigest()))
