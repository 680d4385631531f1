"""The budget ledger's postings and checks; every posting is audited in the caller's transaction.

Concurrency: a posting locks its two accounts (``SELECT … FOR UPDATE`` on PostgreSQL, in id
order; SQLite write transactions are already serialised by ``BEGIN IMMEDIATE``), then checks
the balance, so two decisions can never both spend the last of a budget.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from longcheng.core import audit
from longcheng.core.actors import Actor
from longcheng.core.auth import require
from longcheng.core.clock import utcnow
from longcheng.core.db import append_rows
from longcheng.core.errors import Conflict, NotFound, ValidationFailed
from longcheng.core.money import to_capital
from longcheng.core.pii import masking, vault
from longcheng.grants import permissions as perm
from longcheng.grants.ledger.models import ACCOUNT_KINDS, ACCOUNT_LABELS, LedgerAccount, LedgerPosting
from longcheng.grants.ledger.schemas import AccountIn
from longcheng.grants.payments.models import Payable
from longcheng.grants.programmes.models import Programme

ENTITY = "grants_ledger"
PAYEE_ACCOUNT_PURPOSE = "payee.bank_account"  # as payments.service (which imports this module)
NEVER_NEGATIVE = frozenset(ACCOUNT_KINDS) - {"appropriation"}


class BudgetExceeded(Conflict):
    code = "grants.budget_exceeded"
    message = "预算不足：本次金额超过该专项本年度的可用预算，未作任何修改。"


def _yuan(fen: int) -> str:
    return f"{fen / 100:,.2f} 元"


def programme_by_code(session: Session, code: str) -> Programme:
    programme = session.scalar(select(Programme).where(Programme.code == code))
    if programme is None:
        raise NotFound(f"未找到编号为“{code}”的专项。", code="grants.programme_not_found")
    return programme


def _accounts(
    session: Session, programme_id: int, fiscal_year: int, *, lock: bool
) -> dict[str, LedgerAccount]:
    stmt = (
        select(LedgerAccount)
        .where(LedgerAccount.programme_id == programme_id, LedgerAccount.fiscal_year == fiscal_year)
        .order_by(LedgerAccount.id)
    )
    if lock:
        stmt = stmt.with_for_update()
    return {a.kind: a for a in session.scalars(stmt)}


def open_accounts(session: Session, programme_id: int, fiscal_year: int) -> dict[str, LedgerAccount]:
    """The programme-year's accounts, created at zero where missing, locked for this transaction."""
    found = _accounts(session, programme_id, fiscal_year, lock=True)
    for kind in ACCOUNT_KINDS:
        if kind not in found:
            found[kind] = LedgerAccount(
                programme_id=programme_id, fiscal_year=fiscal_year, kind=kind, balance_fen=0
            )
            session.add(found[kind])
    session.flush()
    return found


def post(
    session: Session,
    *,
    actor: Actor,
    programme_id: int,
    fiscal_year: int,
    move: tuple[str, str],
    amount_fen: int,
    source: tuple[str, str] = ("", ""),
    memo: str = "",
) -> LedgerPosting:
    """Move ``amount_fen`` between two accounts of a programme-year (refused if one would go negative)."""
    if amount_fen <= 0:
        raise ValidationFailed("金额必须大于零。", code="grants.amount_not_positive")
    accounts = _accounts(session, programme_id, fiscal_year, lock=True)
    if not accounts:
        raise Conflict(f"该专项 {fiscal_year} 年度尚未安排预算。", code="grants.no_budget")
    src, dst = accounts[move[0]], accounts[move[1]]
    if src.kind in NEVER_NEGATIVE and src.balance_fen < amount_fen:
        if src.kind == "available":
            raise BudgetExceeded(
                f"预算不足：需 {_yuan(amount_fen)}，该专项 {fiscal_year} 年度"
                f"可用预算仅 {_yuan(src.balance_fen)}，未作任何修改。"
            )
        raise Conflict(f"“{src.label}”余额不足，无法记账。", code="grants.ledger_insufficient")
    src.balance_fen -= amount_fen
    dst.balance_fen += amount_fen
    posting = LedgerPosting(
        from_account_id=src.id,
        to_account_id=dst.id,
        amount_fen=amount_fen,
        kind=f"{move[0]}>{move[1]}",
        source_kind=source[0],
        source_ref=source[1],
        memo=memo[:300],
        actor=actor.label,
    )
    session.add(posting)
    session.flush()
    change = _posted(programme_id, fiscal_year, Posting(move, amount_fen, source, memo))
    audit.record(
        session,
        actor=actor,
        action=change.action,
        entity_type=change.entity_type,
        entity_id=change.entity_id,
        after=change.after,
    )
    return posting


@dataclass(frozen=True)
class Posting:
    """One move for :func:`post_many` (the arguments of :func:`post`)."""

    move: tuple[str, str]
    amount_fen: int
    source: tuple[str, str] = ("", "")
    memo: str = ""


def _posted(programme_id: int, fiscal_year: int, p: Posting) -> audit.Change:
    return audit.Change(
        action="grants.ledger.post",
        entity_type=ENTITY,
        entity_id=f"{programme_id}/{fiscal_year}",
        after={
            "记账": f"{ACCOUNT_LABELS[p.move[0]]} → {ACCOUNT_LABELS[p.move[1]]}",
            "金额": _yuan(p.amount_fen),
            "大写": to_capital(p.amount_fen),
            "来源": f"{p.source[0]}:{p.source[1]}",
            "摘要": p.memo,
        },
    )


def post_many(
    session: Session, *, actor: Actor, programme_id: int, fiscal_year: int, postings: Sequence[Posting]
) -> int:
    """Many postings of one programme-year as one set of statements: each checked in turn as
    :func:`post` checks it (all refused, nothing written, when an account would go negative),
    the balances updated once, the postings inserted together and each one audited."""
    if not postings:
        return 0
    accounts = _accounts(session, programme_id, fiscal_year, lock=True)
    if not accounts:
        raise Conflict(f"该专项 {fiscal_year} 年度尚未安排预算。", code="grants.no_budget")
    balance = {kind: a.balance_fen for kind, a in accounts.items()}
    for p in postings:
        src, dst = p.move
        if p.amount_fen <= 0:
            raise ValidationFailed("金额必须大于零。", code="grants.amount_not_positive")
        if src in NEVER_NEGATIVE and balance[src] < p.amount_fen:
            raise _short(accounts[src], fiscal_year, postings)
        balance[src] -= p.amount_fen
        balance[dst] += p.amount_fen
    for kind, fen in balance.items():
        accounts[kind].balance_fen = fen
    now, ids = utcnow(), {kind: a.id for kind, a in accounts.items()}
    rows = [
        {
            "from_account_id": ids[p.move[0]],
            "to_account_id": ids[p.move[1]],
            "amount_fen": p.amount_fen,
            "kind": f"{p.move[0]}>{p.move[1]}",
            "source_kind": p.source[0],
            "source_ref": p.source[1],
            "memo": p.memo[:300],
            "actor": actor.label,
            "created_at": now,
        }
        for p in postings
    ]
    append_rows(session, LedgerPosting, rows)
    session.flush()
    audit.record_many(session, actor=actor, changes=[_posted(programme_id, fiscal_year, p) for p in postings])
    return len(rows)


def _short(account: LedgerAccount, fiscal_year: int, postings: Sequence[Posting]) -> Conflict:
    if account.kind != "available":
        return Conflict(f"“{account.label}”余额不足，无法记账。", code="grants.ledger_insufficient")
    need = sum(p.amount_fen for p in postings if p.move[0] == "available")
    return BudgetExceeded(
        f"预算不足：本次共需 {_yuan(need)}，该专项 {fiscal_year} 年度"
        f"可用预算仅 {_yuan(account.balance_fen)}，未作任何修改。"
    )


def set_budget(
    session: Session, *, actor: Actor, programme_code: str, fiscal_year: int, amount_fen: int
) -> int:
    """Set the programme-year's total budget; a cut is refused beyond what is still available."""
    require(actor, perm.BUDGET_SET)
    if amount_fen < 0:
        raise ValidationFailed("预算金额不能为负。", code="grants.amount_negative")
    programme = programme_by_code(session, programme_code)
    accounts = open_accounts(session, programme.id, fiscal_year)
    current = -accounts["appropriation"].balance_fen
    diff = amount_fen - current
    move = ("appropriation", "available") if diff > 0 else ("available", "appropriation")
    if diff:
        post(
            session,
            actor=actor,
            programme_id=programme.id,
            fiscal_year=fiscal_year,
            move=move,
            amount_fen=abs(diff),
            source=("budget", f"{programme.code}/{fiscal_year}"),
            memo="预算安排",
        )
    return amount_fen


@dataclass(frozen=True)
class Balances:
    programme_id: int
    fiscal_year: int
    budget_fen: int
    available_fen: int
    committed_fen: int
    payable_fen: int
    paid_fen: int
    clawed_back_fen: int


def balances(session: Session, *, actor: Actor, programme_id: int, fiscal_year: int) -> Balances:
    require(actor, perm.LEDGER_READ)
    acc = {k: a.balance_fen for k, a in _accounts(session, programme_id, fiscal_year, lock=False).items()}
    return Balances(
        programme_id,
        fiscal_year,
        -acc.get("appropriation", 0),
        acc.get("available", 0),
        acc.get("committed", 0),
        acc.get("payable", 0),
        acc.get("paid", 0),
        acc.get("clawed_back", 0),
    )


def years_of(session: Session, *, actor: Actor, programme_id: int) -> list[int]:
    require(actor, perm.LEDGER_READ)
    stmt = select(LedgerAccount.fiscal_year).where(LedgerAccount.programme_id == programme_id).distinct()
    return sorted(session.scalars(stmt), reverse=True)


def _sums(session: Session, column: Any) -> dict[int, int]:
    stmt = select(column, func.sum(LedgerPosting.amount_fen)).group_by(column)
    return {int(k): int(v or 0) for k, v in session.execute(stmt)}


def verify(session: Session) -> list[str]:
    """Problems found (Chinese, the first naming the account): balances against postings, sums, signs."""
    inflow = _sums(session, LedgerPosting.to_account_id)
    outflow = _sums(session, LedgerPosting.from_account_id)
    problems: list[str] = []
    sums: dict[tuple[int, int], int] = {}
    codes = dict(session.execute(select(Programme.id, Programme.code)).all())
    for acc in session.scalars(
        select(LedgerAccount).order_by(
            LedgerAccount.programme_id, LedgerAccount.fiscal_year, LedgerAccount.id
        )
    ):
        name = f"{codes.get(acc.programme_id, acc.programme_id)}/{acc.fiscal_year}/{acc.label}（{acc.kind}）"
        expected = int(inflow.get(acc.id) or 0) - int(outflow.get(acc.id) or 0)
        if expected != acc.balance_fen:
            problems.append(f"账户 {name} 余额 {acc.balance_fen} 分与记账合计 {expected} 分不符")
        if acc.kind in NEVER_NEGATIVE and acc.balance_fen < 0:
            problems.append(f"账户 {name} 余额为负：{acc.balance_fen} 分")
        key = (acc.programme_id, acc.fiscal_year)
        sums[key] = sums.get(key, 0) + acc.balance_fen
    for (pid, year), total in sums.items():
        if total != 0:
            problems.append(
                f"专项 {codes.get(pid, pid)} {year} 年度各账户合计 {total} 分，不为零（借贷不平）"
            )
    return problems


def clawback(
    session: Session,
    *,
    actor: Actor,
    programme_code: str,
    fiscal_year: int,
    amount_fen: int,
    source_ref: str,
    reason: str,
) -> LedgerPosting:
    """追回: money paid and found not due moves from 已支付 to 已追回 (an audit finding's follow-up)."""
    require(actor, perm.CLAWBACK)
    if len(reason.strip()) < 2:
        raise ValidationFailed("追回须写明理由。", code="grants.reason_required")
    programme = programme_by_code(session, programme_code)
    return post(
        session,
        actor=actor,
        programme_id=programme.id,
        fiscal_year=fiscal_year,
        move=("paid", "clawed_back"),
        amount_fen=amount_fen,
        source=("grants.clawback", source_ref),
        memo=reason,
    )


def release_commitment(
    session: Session,
    *,
    actor: Actor,
    programme_id: int,
    fiscal_year: int,
    amount_fen: int,
    source: tuple[str, str],
    memo: str,
) -> LedgerPosting | None:
    """Give a commitment back to the budget (已承诺 → 可用预算), e.g. after a failed inspection.
    Nothing to release (zero, or released before for this source) returns None."""
    done = select(func.count(LedgerPosting.id)).where(
        LedgerPosting.source_kind == source[0],
        LedgerPosting.source_ref == source[1],
        LedgerPosting.kind == "committed>available",
    )
    if amount_fen <= 0 or session.scalar(done):
        return None
    return post(
        session,
        actor=actor,
        programme_id=programme_id,
        fiscal_year=fiscal_year,
        move=("committed", "available"),
        amount_fen=amount_fen,
        source=source,
        memo=memo,
    )


def correct_account(session: Session, *, actor: Actor, reference: str, data: AccountIn) -> Payable:
    """Finance corrects the bank account of a payable the bank returned; the next batch pays it there."""
    require(actor, perm.PAYEE_CORRECT)
    stmt = select(Payable).where(Payable.reference == reference.strip().upper()).with_for_update()
    payable = session.scalar(stmt)
    if payable is None:
        raise NotFound("未找到该应付款。", code="grants.payable_not_found")
    if payable.state != "returned":
        raise Conflict(
            f"只有银行退回的应付款可以更正收款账户（当前：{payable.state_label}），未作任何修改。",
            code="grants.payable_not_returned",
        )
    before = {"收款账号": payable.payee_account_masked, "开户行": payable.payee_bank}
    payable.payee_account_token = vault.encrypt(data.account, purpose=PAYEE_ACCOUNT_PURPOSE)
    payable.payee_account_masked = masking.mask_bank_account(data.account)
    payable.payee_bank = data.bank.strip()
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="grants.payee.correct",
        entity_type="grants_payable",
        entity_id=payable.reference,
        before=before,
        after={"收款账号": payable.payee_account_masked, "开户行": payable.payee_bank},
        reason=data.reason.strip(),
    )
    return payable
