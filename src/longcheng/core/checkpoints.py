"""Signed audit checkpoints: proof that the audit chain's history was not rewritten.

The hash chain (:mod:`longcheng.core.audit`) shows that records agree with each other, but
someone with write access to the database can edit a record and recompute every later hash.
A checkpoint signs the chain head (sequence number and hash) with an Ed25519 key kept outside
the database, in the file named by ``LONGCHENG_AUDIT_KEY_FILE`` (default
``<data_dir>/audit-signing.key``, created on first use with 0600 permissions). Checkpoints are
stored in ``audit_checkpoint`` and exported as JSON Lines that anyone may keep;
:func:`verify` then fails on a rewritten history, naming the checkpoint it contradicts.

Checkpoints are made on demand (``longcheng audit checkpoint``) and at intervals: the
scheduler calls :func:`create_if_due` (for example hourly with ``every=timedelta(hours=1)``),
which signs only when the chain has grown and the last checkpoint is old enough.
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterable
from datetime import datetime, timedelta
from hashlib import sha256
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy import BigInteger, Integer, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from longcheng.core import audit
from longcheng.core.actors import Actor
from longcheng.core.clock import utcnow
from longcheng.core.config import Settings
from longcheng.core.db import Base, UTCDateTime
from longcheng.core.errors import LongchengError, NotFound

FORMAT = "longcheng-audit-checkpoint/1"


class KeyFileError(LongchengError):
    code = "audit.key_file"
    status = 503
    message = "审计签名密钥文件不可用。"


class AuditCheckpoint(Base):
    __tablename__ = "audit_checkpoint"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, index=True)
    hash: Mapped[str] = mapped_column(String(64))
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    key_id: Mapped[str] = mapped_column(String(16))
    signature: Mapped[str] = mapped_column(String(128))


def key_path(settings: Settings) -> Path:
    return settings.audit_key_file or settings.data_dir / "audit-signing.key"


def load_or_create_key(path: Path) -> Ed25519PrivateKey:
    """The signing key from ``path``; a new one is written there (0600) when the file is absent."""
    if path.exists():
        return _load_key(path)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(pem)
    return key


def _load_key(path: Path) -> Ed25519PrivateKey:
    if stat.S_IMODE(path.stat().st_mode) & 0o077:
        raise KeyFileError(f"审计签名密钥 {path} 的权限过宽，请执行 chmod 600 {path} 后重试。")
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyFileError(f"{path} 不是 Ed25519 私钥。")
    return key


def public_key(path: Path) -> Ed25519PublicKey:
    """The public half of the key in ``path`` (never creates one: verifying needs the real key)."""
    if not path.exists():
        raise KeyFileError(f"找不到审计签名密钥 {path}，无法核对检查点签名。")
    return _load_key(path).public_key()


def _raw(pub: Ed25519PublicKey) -> bytes:
    return pub.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id(pub: Ed25519PublicKey) -> str:
    return sha256(_raw(pub)).hexdigest()[:16]


def _message(seq: int, chain_hash: str, signed_at: str) -> bytes:
    return f"{FORMAT}|{seq}|{chain_hash}|{signed_at}".encode()


def _stamp(at: datetime) -> str:
    return at.isoformat(timespec="microseconds")


def create(session: Session, *, actor: Actor, key: Ed25519PrivateKey) -> AuditCheckpoint:
    """Record the checkpoint in the chain, then sign the head that record made."""
    kid = key_id(key.public_key())
    audit.record(
        session,
        actor=actor,
        action="audit.checkpoint",
        entity_type="audit",
        entity_id="head",
        after={"key_id": kid},
    )
    head = session.get(audit.AuditHead, 1)
    assert head is not None  # record() just wrote it
    at = utcnow()
    signature = key.sign(_message(head.seq, head.hash, _stamp(at))).hex()
    row = AuditCheckpoint(seq=head.seq, hash=head.hash, signed_at=at, key_id=kid, signature=signature)
    session.add(row)
    session.flush()
    return row


def latest(session: Session) -> AuditCheckpoint | None:
    return session.scalar(select(AuditCheckpoint).order_by(AuditCheckpoint.seq.desc()).limit(1))


def create_if_due(
    session: Session, *, actor: Actor, key: Ed25519PrivateKey, every: timedelta, now: datetime | None = None
) -> AuditCheckpoint | None:
    """For the scheduler: sign when the chain grew since the last checkpoint and ``every`` has passed."""
    now = now or utcnow()
    last, head = latest(session), session.get(audit.AuditHead, 1)
    if head is None or (last is not None and (last.seq >= head.seq or now - last.signed_at < every)):
        return None
    return create(session, actor=actor, key=key)


def list_all(session: Session) -> list[AuditCheckpoint]:
    return list(session.scalars(select(AuditCheckpoint).order_by(AuditCheckpoint.seq)))


def as_dict(cp: AuditCheckpoint, pub: Ed25519PublicKey) -> dict[str, Any]:
    """One checkpoint as exported: enough to check it with nothing but the public key."""
    return {
        "format": FORMAT,
        "seq": cp.seq,
        "hash": cp.hash,
        "signed_at": _stamp(cp.signed_at),
        "key_id": cp.key_id,
        "public_key": _raw(pub).hex(),
        "signature": cp.signature,
    }


def export(rows: Iterable[AuditCheckpoint], pub: Ed25519PublicKey, path: Path) -> int:
    """Write checkpoints as JSON Lines (one per line, oldest first); returns how many."""
    lines = [json.dumps(as_dict(cp, pub), ensure_ascii=False) for cp in rows]
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return len(lines)


def read(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        raise NotFound(f"检查点文件 {path} 不存在。", code="audit.checkpoints_missing")
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def verify(
    session: Session, *, checkpoints: list[dict[str, Any]], pub: Ed25519PublicKey
) -> audit.VerifyResult:
    """The hash chain must be intact and agree with every signed checkpoint."""
    result = audit.verify(session)
    if not result.ok:
        return result
    for cp in sorted(checkpoints, key=lambda c: int(c["seq"])):
        problem = _check_one(session, cp, pub)
        if problem:
            return audit.VerifyResult(False, result.checked, int(cp["seq"]), problem)
    return result


def _check_one(session: Session, cp: dict[str, Any], pub: Ed25519PublicKey) -> str:
    seq, when = int(cp["seq"]), str(cp["signed_at"])
    label = f"检查点（第 {seq} 条，签署于 {when}）"
    if cp.get("public_key") != _raw(pub).hex():
        return f"{label}不是本站审计密钥签署的"
    try:
        pub.verify(bytes.fromhex(str(cp["signature"])), _message(seq, str(cp["hash"]), when))
    except (InvalidSignature, ValueError):
        return f"{label}的签名无效（检查点文件被改动）"
    stored = session.scalar(select(audit.AuditRecord.hash).where(audit.AuditRecord.seq == seq))
    if stored is None:
        return f"{label}所签的第 {seq} 条记录已不存在（历史被截断）"
    if stored != cp["hash"]:
        return f"与{label}不符：第 {seq} 条及之前的历史被改写"
    return ""
