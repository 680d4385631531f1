"""Payment batches: build from open payables, two approvals by different people, the bank XLSX,
and the bank's return file matched by reference (a payable is marked paid at most once)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from longcheng.core import audit
from longcheng.core.actors import Actor
from longcheng.core.auth import require
from longcheng.core.clock import local_today, utcnow
from longcheng.core.errors import Conflict, NotFound, ValidationFailed
from longcheng.core.pii import vault
from longcheng.grants import permissions as perm
from longcheng.grants.batches import export
from longcheng.grants.engine import bank
from longcheng.grants.ledger import service as ledger
from longcheng.grants.payments.models import Payable, PaymentBatch
from longcheng.grants.payments.service import PAYEE_ACCOUNT_PURPOSE

ENTITY = "grants_batch"
MAX_BATCH = 20000


def get(session: Session, *, actor: Actor, batch_id: int) -> PaymentBatch:
    require(actor, perm.PAYABLE_READ)
    batch = session.get(PaymentBatch, batch_id)
    if batch is None:
        raise NotFound("未找到该支付批次。", code="grants.batch_not_found")
    return batch


def create_batch(session: Session, *, actor: Actor, payable_ids: list[int] | None = None) -> PaymentBatch:
    """A draft batch of the given open payables (all open ones when none are named)."""
    require(actor, perm.BATCH_MANAGE)
    stmt = select(Payable).where(Payable.state.in_(("payable", "returned"))).order_by(Payable.id)
    if payable_ids is not None:
        stmt = stmt.where(Payable.id.in_(payable_ids))
    rows = list(session.scalars(stmt.limit(MAX_BATCH).with_for_update()))
    if payable_ids is not None and len(rows) != len(set(payable_ids)):
        raise Conflict(
            "所选应付款中有已列入其他批次或已支付的记录，请刷新后重试。", code="grants.payable_not_open"
        )
    if not rows:
        raise ValidationFailed("没有可列入批次的待支付款项。", code="grants.batch_empty")
    batch = PaymentBatch(
        number=f"PB{local_today():%Y%m%d}-{secrets.token_hex(3).upper()}",
        state="draft",
        total_fen=sum(p.amount_fen for p in rows),
        count=len(rows),
        created_by=actor.label,
        created_by_id=actor.id,
    )
    session.add(batch)
    session.flush()
    for p in rows:
        p.state, p.batch_id, p.return_reason = "batched", batch.id, ""
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="grants.batch.create",
        entity_type=ENTITY,
        entity_id=batch.number,
        after={"笔数": batch.count, "合计": f"{batch.total_fen / 100:,.2f} 元"},
    )
    return batch


def approve(session: Session, *, actor: Actor, batch_id: int) -> PaymentBatch:
    """First and second approval; the second must be by someone other than the first."""
    require(actor, perm.BATCH_APPROVE)
    batch = session.scalar(select(PaymentBatch).where(PaymentBatch.id == batch_id).with_for_update())
    if batch is None:
        raise NotFound("未找到该支付批次。", code="grants.batch_not_found")
    if batch.state == "draft":
        batch.state, batch.first_approver_id, batch.first_approver = "approved_once", actor.id, actor.label
    elif batch.state == "approved_once":
        if actor.id is None or actor.id == batch.first_approver_id:
            raise Conflict("两次审批须由不同人员完成：您已做过第一次审批。", code="grants.same_approver")
        batch.state, batch.second_approver_id, batch.second_approver = "approved", actor.id, actor.label
    else:
        raise Conflict("该批次已审批完毕。", code="grants.batch_already_approved")
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="grants.batch.approve",
        entity_type=ENTITY,
        entity_id=batch.number,
        after={"状态": batch.state_label},
    )
    return batch


def payables_of(session: Session, batch: PaymentBatch) -> list[Payable]:
    return list(session.scalars(select(Payable).where(Payable.batch_id == batch.id).order_by(Payable.id)))


def export_xlsx(session: Session, *, actor: Actor, batch_id: int) -> bytes:
    """The bank file of an approved batch (accounts decrypted, the viewing audited)."""
    require(actor, perm.BATCH_MANAGE)
    batch = get(session, actor=actor, batch_id=batch_id)
    if batch.state not in ("approved", "exported", "closed"):
        raise Conflict("支付批次须经两人审批后才能导出银行文件。", code="grants.batch_not_approved")
    rows = [
        export.BankRow(
            p.reference,
            p.payee_name,
            vault.decrypt(p.payee_account_token, purpose=PAYEE_ACCOUNT_PURPOSE),
            p.payee_bank,
            p.amount_fen,
            p.memo or p.source_ref,
        )
        for p in payables_of(session, batch)
        if p.state == "batched"
    ]
    if batch.state == "approved":
        batch.state, batch.exported_at = "exported", utcnow()
    audit.record(
        session,
        actor=actor,
        action="pii.view",
        entity_type=ENTITY,
        entity_id=batch.number,
        after={"用途": "导出银行支付文件", "笔数": len(rows)},
    )
    return export.bank_xlsx(batch.number, rows)


@dataclass
class ReturnReport:
    paid: int = 0
    returned: int = 0
    ignored: int = 0
    unmatched: list[bank.LineProblem] = field(default_factory=list)


def _settle(session: Session, actor: Actor, p: Payable, line: bank.ReturnLine, report: ReturnReport) -> None:
    if line.paid:
        ledger.post(
            session,
            actor=actor,
            programme_id=p.programme_id,
            fiscal_year=p.fiscal_year,
            move=("payable", "paid"),
            amount_fen=p.amount_fen,
            source=(p.source_kind, p.source_ref),
            memo=f"银行回单 {p.reference}",
        )
        p.state, p.paid_at = "paid", utcnow()
        report.paid += 1
    else:
        p.state, p.return_reason = "returned", (line.note or "银行退回")[:200]
        report.returned += 1


def apply_return(
    session: Session, *, actor: Actor, batch_id: int, rows: list[tuple[int, dict[str, str]]]
) -> ReturnReport:
    """Mark the batch's payables paid or returned from the bank's lines; lines with an unknown
    reference or a different amount are listed and change nothing; a paid payable stays paid once."""
    require(actor, perm.BATCH_MANAGE)
    batch = get(session, actor=actor, batch_id=batch_id)
    if batch.state not in ("exported", "closed"):
        raise Conflict("该批次尚未导出至银行，不能登记回单。", code="grants.batch_not_exported")
    lines, problems = bank.parse(rows)
    report = ReturnReport(unmatched=list(problems))
    refs = {line.reference for line in lines}
    found = {
        p.reference: p
        for p in session.scalars(select(Payable).where(Payable.reference.in_(refs)).with_for_update())
    }
    for line in lines:
        p = found.get(line.reference)
        if p is None or (p.batch_id != batch.id and p.state != "paid"):
            report.unmatched.append(bank.LineProblem(line.line, line.reference, "付款参考号不属于本批次"))
        elif p.amount_fen != line.amount_fen:
            report.unmatched.append(
                bank.LineProblem(
                    line.line,
                    line.reference,
                    f"金额不符：本批次为 {p.amount_fen / 100:,.2f} 元，"
                    f"回单为 {line.amount_fen / 100:,.2f} 元",
                )
            )
        elif p.state != "batched":
            report.ignored += 1  # already settled: never paid twice
        else:
            _settle(session, actor, p, line, report)
    if not session.scalar(select(Payable.id).where(Payable.batch_id == batch.id, Payable.state == "batched")):
        batch.state = "closed"
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="grants.batch.return",
        entity_type=ENTITY,
        entity_id=batch.number,
        after={
            "已支付": report.paid,
            "退回": report.returned,
            "重复忽略": report.ignored,
            "未匹配": len(report.unmatched),
        },
    )
    return report
