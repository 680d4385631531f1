"""Signed audit checkpoints catch a rewritten history that the hash chain alone cannot."""

from __future__ import annotations

import stat
from datetime import timedelta
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import select, text
from sqlalchemy.orm import Session
from tests.core.test_audit import seed, tamper
from tests.factories import bearer, make_user
from typer.testing import CliRunner

from longcheng.cli import app
from longcheng.core import audit, checkpoints
from longcheng.core.actors import SYSTEM, Role
from longcheng.core.db import make_engine

runner = CliRunner()


def rewrite_history(url: str, seq: int) -> None:
    """The attack: lift the append-only guard, edit one record, recompute every later hash and the head."""
    tamper(url, f"UPDATE audit_record SET reason = '改写' WHERE seq = {seq}")
    engine = make_engine(url)
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            conn.execute(text("DROP TRIGGER IF EXISTS audit_record_no_update"))
        else:
            conn.execute(text("ALTER TABLE audit_record DISABLE TRIGGER audit_record_append_only"))
        with Session(bind=conn) as session:
            prev = audit.GENESIS
            for rec in session.scalars(select(audit.AuditRecord).order_by(audit.AuditRecord.seq)):
                rec.prev_hash = prev
                rec.hash = prev = audit._row_hash(prev, rec.seq, audit._content(rec))
            head = session.get(audit.AuditHead, 1)
            assert head is not None
            head.hash = prev
            session.flush()
    engine.dispose()


def test_rewritten_history_passes_plain_verify_but_not_checkpoints(cli_db: str, tmp_path: Path) -> None:
    """After the attack plain `audit verify` passes; with the kept checkpoints it fails naming one."""
    seed(cli_db)
    kept = tmp_path / "checkpoints.jsonl"
    result = runner.invoke(app, ["audit", "checkpoint", "--out", str(kept)])
    assert result.exit_code == 0, result.output
    assert runner.invoke(app, ["audit", "verify", "--checkpoints", str(kept)]).exit_code == 0
    rewrite_history(cli_db, 2)
    plain = runner.invoke(app, ["audit", "verify"])
    assert plain.exit_code == 0, plain.output
    signed = runner.invoke(app, ["audit", "verify", "--checkpoints", str(kept)])
    assert signed.exit_code == 1
    assert "检查点（第 4 条" in signed.output
    assert "被改写" in signed.output


def test_key_file_is_created_private_and_reused(cli_db: str, tmp_path: Path) -> None:
    """The first checkpoint creates the key with 0600 permissions; later ones use the same key."""
    seed(cli_db, 1)
    runner.invoke(app, ["audit", "checkpoint"])
    key = tmp_path / "var" / "audit-signing.key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    first = key.read_bytes()
    runner.invoke(app, ["audit", "checkpoint"])
    assert key.read_bytes() == first
    key.chmod(0o644)
    refused = runner.invoke(app, ["audit", "checkpoint"])
    assert refused.exit_code == 1
    assert "权限过宽" in refused.output


def test_forged_checkpoint_file_is_refused(cli_db: str, tmp_path: Path) -> None:
    """Editing the exported file (a new hash with the old signature) fails the signature check."""
    seed(cli_db, 2)
    kept = tmp_path / "cp.jsonl"
    runner.invoke(app, ["audit", "checkpoint", "--out", str(kept)])
    kept.write_text(kept.read_text("utf-8").replace('"hash": "', '"hash": "0'), encoding="utf-8")
    result = runner.invoke(app, ["audit", "verify", "--checkpoints", str(kept)])
    assert result.exit_code == 1
    assert "签名无效" in result.output


def test_scheduler_signs_only_when_due(session: Session, tmp_path: Path) -> None:
    """create_if_due signs a grown chain once the interval has passed, and not before."""
    key = checkpoints.load_or_create_key(tmp_path / "k.key")
    audit.record(session, actor=SYSTEM, action="test.event", entity_type="test", entity_id=1)
    first = checkpoints.create_if_due(session, actor=SYSTEM, key=key, every=timedelta(hours=1))
    assert first is not None
    assert checkpoints.create_if_due(session, actor=SYSTEM, key=key, every=timedelta(hours=1)) is None
    audit.record(session, actor=SYSTEM, action="test.event", entity_type="test", entity_id=2)
    assert checkpoints.create_if_due(session, actor=SYSTEM, key=key, every=timedelta(hours=1)) is None
    later = first.signed_at + timedelta(hours=2)
    assert checkpoints.create_if_due(session, actor=SYSTEM, key=key, every=timedelta(hours=1), now=later)


def test_checkpoints_api_for_auditors(app_client: TestClient, session: Session) -> None:
    """Auditors download the signed checkpoints with the public key; the key file stays on the server."""
    auditor = make_user(session, username="cpaud", role=Role.auditor)
    headers = bearer(session, auditor)
    settings = app_client.app.state.longcheng.settings
    key = checkpoints.load_or_create_key(checkpoints.key_path(settings))
    checkpoints.create(session, actor=SYSTEM, key=key)
    session.commit()
    body = app_client.get("/api/v1/audit/checkpoints", headers=headers).json()
    assert len(body) == 1
    assert (
        body[0]["public_key"]
        == checkpoints.as_dict(checkpoints.list_all(session)[0], key.public_key())["public_key"]
    )
    assert "PRIVATE" not in str(body)
