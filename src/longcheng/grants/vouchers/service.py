"""Innovation vouchers (创新券).

An officer issues a voucher to an eligible firm from a programme-year's budget (available →
committed). Service providers register and are approved. The firm redeems the voucher against an
approved provider's service contract; related parties (shared legal representative, holders…, from
``registry.service.related_parties``) are refused with the evidence. The provider claims and an
officer approves the claim, which makes the amount payable (committed → payable) into the usual
payment batches.

Never spent twice: every state change is a conditional ``UPDATE … WHERE state = <expected>``; of
two requests at the same instant the second updates no row and is refused. PostgreSQL re-checks
the condition after the first commits; SQLite serialises write transactions.
"""

from __future__ import annotations

import secrets
from datetime import date

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from longcheng.core import audit
from longcheng.core.actors import Actor
from longcheng.core.auth import require, require_visible
from longcheng.core.clock import local_today, utcnow
from longcheng.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from longcheng.core.pii import masking, vault
from longcheng.grants import permissions as perm
from longcheng.grants.ledger import service as ledger
from longcheng.grants.payments import service as payments
from longcheng.grants.payments.service import PAYEE_ACCOUNT_PURPOSE
from longcheng.grants.vouchers.models import CATEGORIES, Provider, Voucher
from longcheng.grants.vouchers.schemas import IssueIn, ProviderIn, RedeemIn
from longcheng.registry import service as registry

ENTITY = "grants_voucher"
PROVIDER_ENTITY = "grants_provider"


class VoucherSpent(Conflict):
    code = "grants.voucher_spent"
    message = "该创新券已使用，不能重复兑用，未作任何修改。"


class RelatedParty(Conflict):
    code = "grants.voucher_related_party"
    message = "企业与服务机构存在关联关系，不能使用创新券。"


def _yuan(fen: int) -> str:
    return f"{fen / 100:,.2f} 元"


def register_provider(session: Session, *, actor: Actor, data: ProviderIn) -> Provider:
    """The acting firm registers itself as a provider (pending approval)."""
    require(actor, perm.PROVIDER_REGISTER)
    if not actor.org_uscc:
        raise PermissionDenied("当前账号未绑定机构，不能登记为服务机构。", code="grants.no_org")
    if session.scalar(select(Provider.id).where(Provider.uscc == actor.org_uscc)) is not None:
        raise Conflict("该机构已登记为服务机构。", code="grants.provider_exists")
    account = data.bank_account.replace(" ", "")
    row = Provider(
        uscc=actor.org_uscc,
        name=data.name.strip(),
        category=data.category,
        account_token=vault.encrypt(account, purpose=PAYEE_ACCOUNT_PURPOSE),
        account_masked=masking.mask_bank_account(account),
        bank_name=data.bank_name.strip(),
        state="pending",
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="grants.provider.register",
        entity_type=PROVIDER_ENTITY,
        entity_id=row.uscc,
        after={"机构名称": row.name, "服务类别": row.category_label, "收款账号": row.account_masked},
    )
    return row


def provider_by_uscc(session: Session, uscc: str) -> Provider:
    row = session.scalar(select(Provider).where(Provider.uscc == uscc.strip().upper()))
    if row is None:
        raise NotFound("未找到该服务机构。", code="grants.provider_not_found")
    return row


def decide_provider(session: Session, *, actor: Actor, uscc: str, approve: bool) -> Provider:
    require(actor, perm.PROVIDER_APPROVE)
    row = provider_by_uscc(session, uscc)
    before = row.state_label
    row.state, row.decided_by = ("approved" if approve else "rejected"), actor.label
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="grants.provider.decide",
        entity_type=PROVIDER_ENTITY,
        entity_id=row.uscc,
        before={"状态": before},
        after={"状态": row.state_label},
    )
    return row


def issue(session: Session, *, actor: Actor, data: IssueIn) -> Voucher:
    """Issue a voucher from the programme-year's budget (refused, nothing written, on overspend)."""
    require(actor, perm.VOUCHER_ISSUE)
    if data.valid_until < local_today():
        raise ValidationFailed("有效期不能早于今天。", code="grants.voucher_bad_validity")
    org = registry.get_by_uscc(session, actor=actor, uscc=data.firm_uscc)
    programme = ledger.programme_by_code(session, data.programme)
    code = "CX" + secrets.token_hex(5).upper()
    ledger.post(
        session,
        actor=actor,
        programme_id=programme.id,
        fiscal_year=data.fiscal_year,
        move=("available", "committed"),
        amount_fen=data.amount_fen,
        source=(ENTITY, code),
        memo=f"创新券 {org.name}",
    )
    row = Voucher(
        code=code,
        programme_id=programme.id,
        fiscal_year=data.fiscal_year,
        firm_uscc=org.uscc,
        firm_name=org.name,
        amount_fen=data.amount_fen,
        purpose=data.purpose,
        valid_until=data.valid_until,
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="grants.voucher.issue",
        entity_type=ENTITY,
        entity_id=code,
        after={
            "企业": org.name,
            "券面金额": _yuan(data.amount_fen),
            "用途": CATEGORIES[data.purpose],
            "有效期至": data.valid_until.isoformat(),
        },
    )
    return row


def get(session: Session, *, actor: Actor, code: str) -> Voucher:
    row = session.scalar(select(Voucher).where(Voucher.code == code.strip().upper()))
    return require_visible(
        actor, perm.VOUCHER_READ, row, NotFound("未找到该创新券。", code="grants.voucher_not_found")
    )


def _swap(session: Session, voucher: Voucher, expected: str, **values: object) -> None:
    """The conditional update that makes a voucher's step happen at most once."""
    result = session.execute(
        update(Voucher)
        .where(Voucher.id == voucher.id, Voucher.state == expected)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise VoucherSpent()
    session.refresh(voucher)


def _check_redeem(session: Session, actor: Actor, voucher: Voucher, provider: Provider, today: date) -> None:
    if voucher.firm_uscc != actor.org_uscc:
        raise PermissionDenied("只能使用本企业的创新券。", code="grants.voucher_not_yours")
    if voucher.state != "issued":
        raise VoucherSpent()
    if voucher.valid_until < today:
        raise Conflict(f"该创新券已于 {voucher.valid_until} 过期。", code="grants.voucher_expired")
    if provider.state != "approved":
        raise Conflict("该服务机构尚未通过审核，不能兑用创新券。", code="grants.provider_not_approved")
    relations = registry.related_parties(session, actor=actor, a=voucher.firm_uscc, b=provider.uscc)
    if relations:
        evidence = "；".join(f"{r.label_zh}：{r.evidence_zh}" for r in relations)
        raise RelatedParty(
            f"企业与服务机构存在关联关系，不能使用创新券（{evidence}）。",
            details={"relations": evidence},
        )


def redeem(session: Session, *, actor: Actor, code: str, data: RedeemIn) -> Voucher:
    """The firm spends its voucher on a provider's service contract — once."""
    require(actor, perm.VOUCHER_REDEEM)
    voucher = get(session, actor=actor, code=code)
    provider = provider_by_uscc(session, data.provider_uscc)
    _check_redeem(session, actor, voucher, provider, local_today())
    _swap(
        session,
        voucher,
        "issued",
        state="redeemed",
        provider_id=provider.id,
        contract_ref=data.contract_ref.strip(),
        redeemed_at=utcnow(),
    )
    audit.record(
        session,
        actor=actor,
        action="grants.voucher.redeem",
        entity_type=ENTITY,
        entity_id=voucher.code,
        before={"状态": "已发放"},
        after={"状态": voucher.state_label, "服务机构": provider.name, "服务合同": voucher.contract_ref},
    )
    return voucher


def claim(session: Session, *, actor: Actor, code: str) -> Voucher:
    """The provider asks to be paid for a voucher redeemed with it."""
    require(actor, perm.PROVIDER_REGISTER)
    voucher = session.scalar(select(Voucher).where(Voucher.code == code.strip().upper()))
    provider = session.scalar(select(Provider).where(Provider.uscc == (actor.org_uscc or "")))
    if voucher is None or provider is None or voucher.provider_id != provider.id:
        raise NotFound("未找到以本机构兑用的该创新券。", code="grants.voucher_not_found")
    _swap(session, voucher, "redeemed", state="claimed", claimed_at=utcnow())
    audit.record(
        session,
        actor=actor,
        action="grants.voucher.claim",
        entity_type=ENTITY,
        entity_id=voucher.code,
        before={"状态": "已兑用"},
        after={"状态": voucher.state_label},
    )
    return voucher


def approve_claim(session: Session, *, actor: Actor, code: str) -> int:
    """The officer approves the claim: the amount becomes payable to the provider; returns the payable."""
    require(actor, perm.VOUCHER_ISSUE)
    voucher = get(session, actor=actor, code=code)
    _swap(session, voucher, "claimed", state="approved", approved_by=actor.label)
    provider = session.get(Provider, voucher.provider_id)
    assert provider is not None
    payable = payments.create_payable(
        session,
        actor=actor,
        programme_id=voucher.programme_id,
        fiscal_year=voucher.fiscal_year,
        payee_name=provider.name,
        payee_uscc=provider.uscc,
        payee_account_token=provider.account_token,
        payee_bank=provider.bank_name,
        amount_fen=voucher.amount_fen,
        source=(ENTITY, voucher.code),
        idempotency_key=f"{ENTITY}:{voucher.code}",
        memo=f"创新券 {voucher.code} {voucher.firm_name}",
        commit_first=False,
    )
    audit.record(
        session,
        actor=actor,
        action="grants.voucher.approve",
        entity_type=ENTITY,
        entity_id=voucher.code,
        before={"状态": "服务机构已申请兑付"},
        after={"状态": voucher.state_label, "应付款": payable.reference},
    )
    return payable.id
