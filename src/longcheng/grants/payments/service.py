"""Payables: direct payables for other modules, status for payees, the finance list.

``add_direct_payable`` commits budget and makes it payable at once (two ledger postings), in
the same transaction as the payable; the same ``idempotency_key`` returns the existing payable,
so a retried request never creates a second payment. ``add_direct_payables`` does the same for
many at once (a month of talent payments) with one set of statements per programme-year.
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime

from pydantic import BaseModel, ConfigDict
from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from longcheng.core import audit
from longcheng.core.actors import Actor
from longcheng.core.auth import require
from longcheng.core.clock import utcnow
from longcheng.core.db import bulk_insert
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


def _check_direct(currency: str, idempotency_key: str, payee_name: str) -> None:
    if currency != "CNY":
        raise ValidationFailed("预算台账以人民币记账，暂不支持其他币种。", code="grants.currency")
    if not idempotency_key.strip() or not payee_name.strip():
        raise ValidationFailed("收款人和幂等键不能为空。", code="grants.payable_invalid")


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
    _check_direct(currency, idempotency_key, payee_name)
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


@dataclass(frozen=True)
class DirectPayable:
    """One payable for :func:`add_direct_payables` (the arguments of :func:`add_direct_payable`)."""

    programme_code: str
    fiscal_year: int
    payee_name: str
    payee_account_token: str
    payee_bank: str
    amount_fen: int
    source_kind: str
    source_ref: str
    idempotency_key: str
    currency: str = "CNY"
    memo: str = ""
    payee_uscc: str | None = None


def add_direct_payables(session: Session, *, actor: Actor, items: Sequence[DirectPayable]) -> list[int]:
    """Many direct payables as one set of statements (talent's monthly hand-over): the checks,
    postings and audit records of :func:`add_direct_payable` for each, all or nothing. Returns the
    ids in ``items`` order; a repeated ``idempotency_key`` gives the existing payable's id."""
    require(actor, perm.PAYABLE_CREATE)
    if not items:
        return []
    for item in items:
        _check_direct(item.currency, item.idempotency_key, item.payee_name)
    programmes = {
        code: ledger.programme_by_code(session, code) for code in sorted({i.programme_code for i in items})
    }
    for programme_id, year in sorted({(programmes[i.programme_code].id, i.fiscal_year) for i in items}):
        ledger.open_accounts(session, programme_id, year)  # locks each programme-year, in one order
    ids, new = _known(session, items)
    by_year: dict[tuple[int, int], list[DirectPayable]] = defaultdict(list)
    for item in new:
        by_year[(programmes[item.programme_code].id, item.fiscal_year)].append(item)
    for (programme_id, year), group in sorted(by_year.items()):
        ledger.post_many(
            session, actor=actor, programme_id=programme_id, fiscal_year=year, postings=_postings(group)
        )
    ids.update(_insert_payables(session, actor, new, {c: p.id for c, p in programmes.items()}))
    return [ids[i.idempotency_key] for i in items]


def _known(session: Session, items: Sequence[DirectPayable]) -> tuple[dict[str, int], list[DirectPayable]]:
    """Ids of the keys already made payable, and the items still to create (each key once); a key
    reused for a different amount or source is refused, as one by one."""
    first: dict[str, DirectPayable] = {}
    for item in items:
        seen = first.setdefault(item.idempotency_key, item)
        if _what(seen) != _what(item):
            raise Conflict(
                "同一幂等键对应了两笔不同的应付款，未作任何修改。", code="grants.idempotency_mismatch"
            )
    ids: dict[str, int] = {}
    keys = sorted(first)
    for start in range(0, len(keys), 1000):
        for found in session.scalars(
            select(Payable).where(Payable.idempotency_key.in_(keys[start : start + 1000]))
        ):
            if (found.amount_fen, found.source_kind, found.source_ref) != _what(first[found.idempotency_key]):
                raise Conflict(
                    "该幂等键已用于另一笔不同的应付款，未作任何修改。", code="grants.idempotency_mismatch"
                )
            ids[found.idempotency_key] = found.id
    return ids, [item for key, item in first.items() if key not in ids]


def _what(item: DirectPayable) -> tuple[int, str, str]:
    return item.amount_fen, item.source_kind, item.source_ref


def _postings(items: list[DirectPayable]) -> list[ledger.Posting]:
    """Per payable, as one by one: available → committed, then committed → payable."""
    return [
        ledger.Posting(move, i.amount_fen, (i.source_kind, i.source_ref), i.memo or i.payee_name)
        for i in items
        for move in (("available", "committed"), ("committed", "payable"))
    ]


def _insert_payables(
    session: Session, actor: Actor, items: list[DirectPayable], programme_ids: dict[str, int]
) -> dict[str, int]:
    if not items:
        return {}
    now, rows, changes = utcnow(), [], []
    for i in items:
        masked, reference = _masked_account(i.payee_account_token), "GP" + secrets.token_hex(6).upper()
        rows.append(
            {
                "reference": reference,
                "idempotency_key": i.idempotency_key,
                "programme_id": programme_ids[i.programme_code],
                "fiscal_year": i.fiscal_year,
                "payee_name": i.payee_name.strip()[:200],
                "payee_uscc": i.payee_uscc,
                "payee_account_token": i.payee_account_token,
                "payee_account_masked": masked,
                "payee_bank": i.payee_bank.strip()[:120],
                "amount_fen": i.amount_fen,
                "currency": "CNY",
                "source_kind": i.source_kind,
                "source_ref": i.source_ref,
                "memo": i.memo[:300],
                "state": "payable",
                "return_reason": "",
                "created_at": now,
            }
        )
        changes.append(
            _created(
                reference, i.payee_name.strip()[:200], masked, i.amount_fen, (i.source_kind, i.source_ref)
            )
        )
    ids = bulk_insert(session, Payable, rows)
    audit.record_many(session, actor=actor, changes=changes)
    return {i.idempotency_key: int(pid) for i, pid in zip(items, ids, strict=True)}


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
    change = _created(payable.reference, payable.payee_name, masked, amount_fen, source)
    audit.record(
        session,
        actor=actor,
        action=change.action,
        entity_type=change.entity_type,
        entity_id=change.entity_id,
        after=change.after,
    )
    return payable


def _created(
    reference: str, payee: str, masked: str, amount_fen: int, source: tuple[str, str]
) -> audit.Change:
    return audit.Change(
        action="grants.payable.create",
        entity_type=ENTITY,
        entity_id=reference,
        after={
            "收款人": payee,
            "收款账号": masked,
            "金额": f"{amount_fen / 100:,.2f} 元",
            "来源": f"{source[0]}:{source[1]}",
        },
    )


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
