"""Post balanced entries to the deposit ledger under row locks, and read balances back.

Accounts are created on first use and locked in code order (no deadlocks between two entries
touching the same accounts); :func:`longcheng.exchange.book.postings.check` refuses an entry
that does not balance or would overdraw an account, so nothing half-posts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, insert, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from longcheng.core import audit
from longcheng.core.actors import Actor
from longcheng.core.clock import utcnow
from longcheng.core.errors import Conflict
from longcheng.exchange.book import postings as pb
from longcheng.exchange.ledger.models import LedgerAccount, LedgerEntry, LedgerPosting

ENTITY = "exchange_ledger_entry"
KIND_LABELS = {
    "receive": "到账",
    "hold": "挂账待核",
    "unhold": "核准入账",
    "return": "退回付款人",
    "freeze": "冻结",
    "release": "解冻",
    "convert": "转为价款",
    "pay": "支付价款",
    "forfeit": "没收",
    "refund": "申请退款",
    "refund_paid": "退款付出",
}


class InsufficientFunds(Conflict):
    code = "exchange.insufficient_funds"
    message = "可用保证金余额不足，未作任何变动。"


def _ensure(session: Session, codes: Sequence[str]) -> None:
    dialect = session.get_bind().dialect.name
    maker = pg_insert if dialect == "postgresql" else sqlite_insert
    for code in codes:
        session.execute(maker(LedgerAccount).values(code=code, balance_fen=0).on_conflict_do_nothing())


def _locked(session: Session, codes: Sequence[str]) -> dict[str, LedgerAccount]:
    wanted = sorted(set(codes))
    _ensure(session, wanted)
    stmt = select(LedgerAccount).where(LedgerAccount.code.in_(wanted)).order_by(LedgerAccount.code)
    rows = session.scalars(stmt.with_for_update().execution_options(populate_existing=True))
    return {a.code: a for a in rows}


def post(session: Session, *, actor: Actor, kind: str, ref: str, entries: list[pb.Posting]) -> LedgerEntry:
    """Post one balanced entry; :class:`InsufficientFunds` if any account would go below zero."""
    accounts = _locked(session, [p.account for p in entries])
    try:
        new = pb.check(entries, {c: a.balance_fen for c, a in accounts.items()})
    except pb.Unbalanced as exc:
        raise InsufficientFunds(details={"reason": str(exc)}) from None
    entry = LedgerEntry(kind=kind, ref=ref, actor=actor.label)
    session.add(entry)
    session.flush()
    session.add_all(
        LedgerPosting(entry_id=entry.id, account_id=accounts[p.account].id, amount_fen=p.amount_fen)
        for p in entries
    )
    for code, balance in new.items():
        accounts[code].balance_fen = balance
    session.flush()
    audit.record(
        session,
        actor=actor,
        action=f"exchange.ledger.{kind}",
        entity_type=ENTITY,
        entity_id=str(entry.id),
        after={
            "业务": KIND_LABELS.get(kind, kind),
            "关联": ref,
            "金额（元）": abs(entries[0].amount_fen) / 100,
        },
    )
    return entry


@dataclass(frozen=True)
class Move:
    """One balanced entry of a batch (see :func:`post_many`)."""

    kind: str
    ref: str
    entries: list[pb.Posting]


def _ensure_many(session: Session, codes: Sequence[str]) -> None:
    maker = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    for start in range(0, len(codes), 500):
        rows = [{"code": c, "balance_fen": 0} for c in codes[start : start + 500]]
        session.execute(maker(LedgerAccount).values(rows).on_conflict_do_nothing())


def post_many(session: Session, *, actor: Actor, moves: Sequence[Move]) -> int:
    """Post many balanced entries with one lock of all their accounts (in code order), a few
    statements in all; :class:`InsufficientFunds` and nothing written if any entry fails."""
    if not moves:
        return 0
    wanted = sorted({p.account for m in moves for p in m.entries})
    _ensure_many(session, wanted)
    stmt = select(LedgerAccount).where(LedgerAccount.code.in_(wanted)).order_by(LedgerAccount.code)
    accounts = {
        a.code: a for a in session.scalars(stmt.with_for_update().execution_options(populate_existing=True))
    }
    balances = {c: a.balance_fen for c, a in accounts.items()}
    try:
        for m in moves:
            balances = pb.check(m.entries, balances)
    except pb.Unbalanced as exc:
        raise InsufficientFunds(details={"reason": str(exc)}) from None
    at = utcnow()
    rows = [{"kind": m.kind, "ref": m.ref, "actor": actor.label, "at": at} for m in moves]
    returning = insert(LedgerEntry).returning(LedgerEntry.id, sort_by_parameter_order=True)
    ids = list(session.scalars(returning, rows))
    postings = [
        {"entry_id": eid, "account_id": accounts[p.account].id, "amount_fen": p.amount_fen}
        for eid, m in zip(ids, moves, strict=True)
        for p in m.entries
    ]
    session.execute(insert(LedgerPosting), postings)
    for code, value in balances.items():
        accounts[code].balance_fen = value
    session.flush()
    audit.record_many(
        session, actor=actor, changes=[_change(eid, m) for eid, m in zip(ids, moves, strict=True)]
    )
    return len(ids)


def _change(entry_id: int, m: Move) -> audit.Change:
    return audit.Change(
        action=f"exchange.ledger.{m.kind}",
        entity_type=ENTITY,
        entity_id=str(entry_id),
        after={
            "业务": KIND_LABELS.get(m.kind, m.kind),
            "关联": m.ref,
            "金额（元）": abs(m.entries[0].amount_fen) / 100,
        },
    )


def balance(session: Session, code: str) -> int:
    return session.scalar(select(LedgerAccount.balance_fen).where(LedgerAccount.code == code)) or 0


@dataclass(frozen=True)
class Balances:
    available_fen: int
    frozen_fen: int
    refunding_fen: int


def balances_of(session: Session, bidder_id: int, registration_ids: Sequence[int]) -> Balances:
    frozen = 0
    if registration_ids:
        codes = [pb.frozen(r) for r in registration_ids]
        frozen = (
            session.scalar(
                select(func.coalesce(func.sum(LedgerAccount.balance_fen), 0)).where(
                    LedgerAccount.code.in_(codes)
                )
            )
            or 0
        )
    return Balances(
        balance(session, pb.available(bidder_id)), int(frozen), balance(session, pb.refunding(bidder_id))
    )


def verify(session: Session) -> pb.Report:
    """Add the ledger up in the database (per entry, per account) and check it
    (:func:`longcheng.exchange.book.postings.check_sums`)."""
    codes = dict(session.execute(select(LedgerAccount.id, LedgerAccount.code)).all())
    stored = dict(session.execute(select(LedgerAccount.code, LedgerAccount.balance_fen)).all())
    total = func.sum(LedgerPosting.amount_fen)
    per_account = session.execute(
        select(LedgerPosting.account_id, total).group_by(LedgerPosting.account_id)
    ).all()
    unbalanced = session.execute(
        select(LedgerPosting.entry_id, total).group_by(LedgerPosting.entry_id).having(total != 0).limit(1000)
    ).all()
    postings = session.scalar(select(func.count(LedgerPosting.id))) or 0
    entries = session.scalar(select(func.count(LedgerEntry.id))) or 0
    sums = pb.Sums(
        entries, postings, [(e, int(s)) for e, s in unbalanced], {codes[a]: int(s) for a, s in per_account}
    )
    return pb.check_sums(sums, stored)
