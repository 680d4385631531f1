"""Payables: direct payables for other modules, status for payees, the finance list.

``add_direct_payable`` commits budget and makes it payable at once (two ledger postings), in
the same transaction as the payable; the same ``idempotency_key`` returns the existing payable,
so a retried request never creates a second payment.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from pydantic import BaseModel, ConfigDict
from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from longcheng.core import audit
from longcheng.core.actors import Actor
from longcheng.core.auth import require
from longcheng.core.errors import Conflict, ValidationFailed
from longcheng.core.paging import Page, paginate
from longcheng.core.pii import masking, vault
from longcheng.grants import permissions as perm
from longcheng.grants.ledger import service as ledger
from longcheng.grants.payments.models import Payable, PaymentBatch
from longcheng.grants.programmes.models import Programme

PAYEE_ACCOUNT_PURPOSE = "payee.bank_account"
ENTITY = "grants_payable"


@dataclass(frozen=True)
class PayableStatus:
    id: int
    reference: str
    amount_fen: int
    currency: str
    state: str
    state_label: str
    batch_number: str | None
    paid_at: datetime | None
    return_reason: str


class PayableFilter(BaseModel):
    model_config = ConfigDict(extra="ignore")

    q: str | None = None
    state: str | None = None
    programme: str | None = None
    source_kind: str | None = None


def _existing(session: Session, key: str, amount_fen: int, source: tuple[str, str]) -> Payable | None:
    found = session.scalar(select(Payable).where(Payable.idempotency_key == key))
    if found is not None and (found.amount_fen, found.source_kind, found.source_ref) != (amount_fen, *source):
        raise Conflict("该幂等键已用于另一笔不同的应付款，未作任何修改。", code="grants.idempotency_mismatch")
    return found


def _masked_account(token: str) -> str:
    try:
        account = vault.decrypt(token, purpose=PAYEE_ACCOUNT_PURPOSE)
    except Exception:  # noqa: BLE001 - any failure means the token is not ours
        raise ValidationFailed(
            "收款账号令牌无效：请用 core.pii.vault 以用途 payee.bank_account 加密后传入。",
            code="grants.bad_account_token",
        ) from None
    return masking.mask_bank_account(account)


def add_direct_payable(
    session: Session,
    *,
    actor: Actor,
    programme_code: str,
    fiscal_year: int,
    payee_name: str,
    payee_account_token: str,
    payee_bank: str,
    amount_fen: int,
    currency: str = "CNY",
    source_kind: str,
    source_ref: str,
    idempotency_key: str,
    memo: str = "",
    payee_uscc: str | None = None,
) -> int:
    """Commit budget and make it payable at once; returns the payable's id (the existing one for
    a repeated ``idempotency_key``). Refused, with nothing written, when the budget would be overspent."""
    require(actor, perm.PAYABLE_CREATE)
    if currency != "CNY":
        raise ValidationFailed("预算台账以人民币记账，暂不支持其他币种。", code="grants.currency")
    if not idempotency_key.strip() or not payee_name.strip():
        raise ValidationFailed("收款人和幂等键不能为空。", code="grants.payable_invalid")
    programme = ledger.programme_by_code(session, programme_code)
    ledger.open_accounts(session, programme.id, fiscal_year)  # locks the programme-year first
    found = _existing(session, idempotency_key, amount_fen, (source_kind, source_ref))
    if found is not None:
        return found.id
    return create_payable(
        session,
        actor=actor,
        programme_id=programme.id,
        fiscal_year=fiscal_year,
        payee_name=payee_name,
        payee_uscc=payee_uscc,
        payee_account_token=payee_account_token,
        payee_bank=payee_bank,
        amount_fen=amount_fen,
        source=(source_kind, source_ref),
        idempotency_key=idempotency_key,
        memo=memo,
        commit_first=True,
    ).id


def create_payable(
    session: Session,
    *,
    actor: Actor,
    programme_id: int,
    fiscal_year: int,
    payee_name: str,
    payee_uscc: str | None,
    payee_account_token: str,
    payee_bank: str,
    amount_fen: int,
    source: tuple[str, str],
    idempotency_key: str,
    memo: str,
    commit_first: bool,
) -> Payable:
    """The payable and its postings (``commit_first``: available → committed before → payable)."""
    masked = _masked_account(payee_account_token)
    moves = [("available", "committed")] if commit_first else []
    for move in [*moves, ("committed", "payable")]:
        ledger.post(
            session,
            actor=actor,
            programme_id=programme_id,
            fiscal_year=fiscal_year,
            move=move,
            amount_fen=amount_fen,
            source=source,
            memo=memo or payee_name,
        )
    payable = Payable(
        reference="GP" + secrets.token_hex(6).upper(),
        idempotency_key=idempotency_key,
        programme_id=programme_id,
        fiscal_year=fiscal_year,
        payee_name=payee_name.strip()[:200],
        payee_uscc=payee_uscc,
        payee_account_token=payee_account_token,
        payee_account_masked=masked,
        payee_bank=payee_bank.strip()[:120],
        amount_fen=amount_fen,
        currency="CNY",
        source_kind=source[0],
        source_ref=source[1],
        memo=memo[:300],
    )
    session.add(payable)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="grants.payable.create",
        entity_type=ENTITY,
        entity_id=payable.reference,
        after={
            "收款人": payable.payee_name,
            "收款账号": masked,
            "金额": f"{amount_fen / 100:,.2f} 元",
            "来源": f"{source[0]}:{source[1]}",
        },
    )
    return payable


def payable_status(
    session: Session, *, actor: Actor, source_kind: str, source_ref: str
) -> list[PayableStatus]:
    """The payables of one source (batched, paid, returned…), oldest first."""
    require(actor, perm.PAYABLE_READ)
    return payable_status_unchecked(session, source_kind=source_kind, source_ref=source_ref)


def _conditions(f: PayableFilter) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = []
    if f.q:
        like = f"%{f.q.strip()}%"
        conds.append(
            or_(Payable.payee_name.ilike(like), Payable.reference.ilike(like), Payable.source_ref.ilike(like))
        )
    if f.state:
        conds.append(Payable.state == f.state)
    if f.source_kind:
        conds.append(Payable.source_kind == f.source_kind)
    if f.programme:
        conds.append(
            Payable.programme_id
            == select(Programme.id).where(Programme.code == f.programme).scalar_subquery()
        )  # noqa: E501
    return conds


def list_payables(
    session: Session, *, actor: Actor, filters: PayableFilter, page: int = 1, page_size: int = 20
) -> Page[Payable]:  # noqa: E501
    require(actor, perm.PAYABLE_READ)
    conds = _conditions(filters)
    stmt = select(Payable).where(*conds).order_by(Payable.id.desc())
    return paginate(
        session, stmt, page=page, page_size=page_size, count=select(func.count(Payable.id)).where(*conds)
    )


def iter_payables(session: Session, *, actor: Actor, filters: PayableFilter, limit: int) -> Iterator[Payable]:
    require(actor, perm.PAYABLE_READ)
    stmt = select(Payable).where(*_conditions(filters)).order_by(Payable.id.desc()).limit(limit)
    return iter(session.scalars(stmt))


def payable_status_unchecked(session: Session, *, source_kind: str, source_ref: str) -> list[PayableStatus]:
    """As :func:`payable_status`, for a caller that already checked the actor may see the source
    (the firm sees the money of its own application)."""
    stmt = (
        select(Payable, PaymentBatch.number)
        .outerjoin(PaymentBatch, PaymentBatch.id == Payable.batch_id)
        .where(Payable.source_kind == source_kind, Payable.source_ref == source_ref)
        .order_by(Payable.id)
    )
    return [
        PayableStatus(
            p.id,
            p.reference,
            p.amount_fen,
            p.currency,
            p.state,
            p.state_label,
            number,
            p.paid_at,
            p.return_reason,
        )
        for p, number in session.execute(stmt)
    ]
