"""The audit trail (痕迹化管理): append-only, hash-chained, written in the same transaction.

Every state change calls :func:`record`. Each row stores the SHA-256 of its own canonical
content plus the previous row's hash, so altering, removing or reordering any row breaks the
chain, which :func:`verify` detects and names. ``audit_head`` holds the chain's tip; updating
it first serialises writers on both SQLite and PostgreSQL.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy import BigInteger, Index, Integer, String, Text, func, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from longcheng.core.actors import Actor
from longcheng.core.clock import local_midnight_utc, utcnow
from longcheng.core.db import Base, UTCDateTime, append_rows
from longcheng.core.paging import Page, paginate

GENESIS = "0" * 64


class AuditRecord(Base):
    __tablename__ = "audit_record"
    __table_args__ = (Index("ix_audit_record_entity", "entity_type", "entity_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, unique=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    actor_id: Mapped[int | None] = mapped_column(Integer)
    actor: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(80), index=True)
    entity_type: Mapped[str] = mapped_column(String(60))
    entity_id: Mapped[str] = mapped_column(String(80))
    diff: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text, default="")
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))

    @property
    def diff_data(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.diff)
        return data


class AuditHead(Base):
    """One row: the sequence number and hash of the chain's last record."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger)
    hash: Mapped[str] = mapped_column(String(64))


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, set | frozenset | tuple):
        return (
            [_plain(v) for v in sorted(value, key=str)] if isinstance(value, set | frozenset) else list(value)
        )
    return value


def canonical(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=_plain)


def make_diff(before: Mapping[str, Any] | None, after: Mapping[str, Any] | None) -> dict[str, Any]:
    """Changed fields only, as ``{field: [old, new]}``; creation and deletion keep every field."""
    old = {k: _plain(v) for k, v in (before or {}).items()}
    new = {k: _plain(v) for k, v in (after or {}).items()}
    return {k: [old.get(k), new.get(k)] for k in sorted(old.keys() | new.keys()) if old.get(k) != new.get(k)}


def _row_hash(prev_hash: str, seq: int, content: Mapping[str, Any]) -> str:
    payload = f"{prev_hash}|{seq}|{canonical(content)}"
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


_HASHED = ("actor_id", "actor", "action", "entity_type", "entity_id", "diff", "reason")


def _content_of(row: Mapping[str, Any]) -> dict[str, Any]:
    """What the hash covers: every field but the chain links themselves."""
    at: datetime = row["at"]
    return {"at": at.astimezone(UTC).isoformat(timespec="microseconds"), **{k: row[k] for k in _HASHED}}


def _content(rec: AuditRecord) -> dict[str, Any]:
    return _content_of({"at": rec.at, **{k: getattr(rec, k) for k in _HASHED}})


@dataclass(frozen=True)
class Change:
    """One state change to record; ``record_many`` takes a batch of them (imports)."""

    action: str
    entity_type: str
    entity_id: str
    before: Mapping[str, Any] | None = None
    after: Mapping[str, Any] | None = None
    reason: str = ""


def _lock_head(session: Session) -> AuditHead:
    """The chain head, locked till the transaction ends and read in the same statement: an
    ``UPDATE … RETURNING`` (a row lock on PostgreSQL, the write lock on SQLite), one round trip."""
    lock = update(AuditHead).where(AuditHead.id == 1).values(seq=AuditHead.seq).returning(AuditHead)
    head = session.scalars(lock, execution_options={"populate_existing": True}).first()
    if head is None:
        head = AuditHead(id=1, seq=0, hash=GENESIS)
        session.add(head)
        session.flush()
    return head


_recorded = itertools.count()
_last_seen = 0


def changes_seen() -> int:
    """How many times this process has recorded state changes: caches of who may do what
    (:mod:`longcheng.core.actor_cache`) compare it to notice a change made here at once."""
    return _last_seen


def _note_change() -> None:
    global _last_seen  # noqa: PLW0603  (one counter per process, bumped atomically)
    _last_seen = next(_recorded) + 1


def record(
    session: Session,
    *,
    actor: Actor,
    action: str,
    entity_type: str,
    entity_id: str | int,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    reason: str = "",
) -> AuditRecord:
    """Append one audit record in the caller's transaction and return it."""
    _note_change()
    head = _lock_head(session)
    seq = head.seq + 1
    rec = AuditRecord(
        seq=seq,
        at=utcnow(),
        actor_id=actor.id,
        actor=actor.label,
        action=action,
        entity_type=entity_type,
        entity_id=str(entity_id),
        diff=canonical(make_diff(before, after)),
        reason=reason,
        prev_hash=head.hash,
    )
    rec.hash = _row_hash(head.hash, seq, _content(rec))
    session.add(rec)
    head.seq, head.hash = seq, rec.hash
    session.flush()
    return rec


def record_many(session: Session, *, actor: Actor, changes: Iterable[Change]) -> int:
    """Append a batch of records (same actor and time) with one lock on the chain head.

    Rows go in through a Core insert (no ORM objects), so an import of 100,000 organisations
    writes its 100,000 records quickly; returns how many were written.
    """
    _note_change()
    head = _lock_head(session)
    at = utcnow()
    rows: list[dict[str, Any]] = []
    seq, prev = head.seq, head.hash
    for ch in changes:
        seq += 1
        row = {
            "seq": seq,
            "at": at,
            "actor_id": actor.id,
            "actor": actor.label,
            "action": ch.action,
            "entity_type": ch.entity_type,
            "entity_id": ch.entity_id,
            "diff": canonical(make_diff(ch.before, ch.after)),
            "reason": ch.reason,
            "prev_hash": prev,
        }
        row["hash"] = prev = _row_hash(prev, seq, _content_of(row))
        rows.append(row)
    if rows:
        append_rows(session, AuditRecord, rows)
        head.seq, head.hash = seq, prev
        session.flush()
    return len(rows)


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    first_bad_seq: int | None = None
    problem: str = ""


def _iter_chain(session: Session, batch: int = 5000) -> Iterator[AuditRecord]:
    last = 0
    while True:
        rows = session.scalars(
            select(AuditRecord).where(AuditRecord.seq > last).order_by(AuditRecord.seq).limit(batch)
        ).all()
        if not rows:
            return
        yield from rows
        last = rows[-1].seq


def verify(session: Session) -> VerifyResult:
    """Walk the chain from the start; name the first record altered, removed or reordered."""
    prev, expected_seq, checked = GENESIS, 1, 0
    for rec in _iter_chain(session):
        if rec.seq != expected_seq:
            return VerifyResult(False, checked, expected_seq, f"第 {expected_seq} 条记录缺失（已被删除）")
        if rec.prev_hash != prev:
            return VerifyResult(False, checked, rec.seq, f"第 {rec.seq} 条记录的前序哈希不符（顺序被改动）")
        if _row_hash(prev, rec.seq, _content(rec)) != rec.hash:
            return VerifyResult(False, checked, rec.seq, f"第 {rec.seq} 条记录内容被篡改")
        prev, expected_seq, checked = rec.hash, expected_seq + 1, checked + 1
    head = session.get(AuditHead, 1)
    if head is not None and (head.seq != checked or head.hash != prev):
        return VerifyResult(
            False, checked, checked + 1, f"链尾应为第 {head.seq} 条，实际只有 {checked} 条（末尾记录被删除）"
        )
    return VerifyResult(True, checked)


def history(session: Session, *, entity_type: str, entity_id: str, limit: int = 200) -> list[AuditRecord]:
    """The audit records of one entity, newest first (the 痕迹 shown on detail pages)."""
    stmt = (
        select(AuditRecord)
        .where(AuditRecord.entity_type == entity_type, AuditRecord.entity_id == entity_id)
        .order_by(AuditRecord.seq.desc())
        .limit(limit)
    )
    return list(session.scalars(stmt))


def recent(session: Session, *, limit: int = 200) -> list[AuditRecord]:
    return list(session.scalars(select(AuditRecord).order_by(AuditRecord.seq.desc()).limit(limit)))


@dataclass(frozen=True)
class AuditFilter:
    """The /audit page's filters: who, what (an action or its module prefix), which entity, when."""

    who: str = ""
    what: str = ""
    entity_type: str = ""
    entity_id: str = ""
    since: date | None = None
    until: date | None = None


def _conditions(f: AuditFilter) -> list[Any]:
    conds: list[Any] = []
    if f.who.strip():
        conds.append(AuditRecord.actor == f.who.strip())
    if f.what.strip():
        what = f.what.strip()
        conds.append(
            (AuditRecord.action == what) | AuditRecord.action.startswith(what + ".", autoescape=True)
        )
    if f.entity_type.strip():
        conds.append(AuditRecord.entity_type == f.entity_type.strip())
    if f.entity_id.strip():
        conds.append(AuditRecord.entity_id == f.entity_id.strip())
    if f.since is not None:
        conds.append(AuditRecord.at >= local_midnight_utc(f.since))
    if f.until is not None:
        conds.append(AuditRecord.at < local_midnight_utc(f.until, days_after=1))
    return conds


def search(session: Session, *, filters: AuditFilter, page: int, page_size: int) -> Page[AuditRecord]:
    """Audit records matching ``filters``, newest first, one page at a time."""
    conds = _conditions(filters)
    stmt = select(AuditRecord).where(*conds).order_by(AuditRecord.seq.desc())
    count = select(func.count()).select_from(AuditRecord).where(*conds)
    return paginate(session, stmt, page=page, page_size=page_size, count=count)


def actors(session: Session) -> list[str]:
    """Every name that appears as the actor of a record (for the filter's list)."""
    return list(session.scalars(select(AuditRecord.actor).distinct().order_by(AuditRecord.actor).limit(500)))
