"""Audit sampling: an auditor draws a seeded random sample of a programme-year's paid awards
(``random.Random(seed).sample`` over the payables ordered by id, so the same seed on the same
population redraws the same sample); each sampled award gets a finding, and a finding with an
amount claws it back in the ledger (paid → clawed back) through ``ledger.clawback``."""

from __future__ import annotations

import random

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from longcheng.core import audit
from longcheng.core.actors import Actor
from longcheng.core.auth import require
from longcheng.core.clock import utcnow
from longcheng.core.errors import Conflict, NotFound, ValidationFailed
from longcheng.grants import permissions as perm
from longcheng.grants.audit.models import AuditItem, AuditSample
from longcheng.grants.audit.schemas import DrawIn, FindingIn
from longcheng.grants.ledger import service as ledger
from longcheng.grants.payments.models import Payable
from longcheng.grants.programmes.models import Programme

ENTITY = "grants_audit"


def draw(session: Session, *, actor: Actor, data: DrawIn) -> AuditSample:
    """Draw and record the sample; refused when nothing of the programme-year has been paid."""
    require(actor, perm.AUDIT_SAMPLE)
    programme = ledger.programme_by_code(session, data.programme)
    stmt = (
        select(Payable)
        .where(
            Payable.programme_id == programme.id,
            Payable.fiscal_year == data.fiscal_year,
            Payable.state == "paid",
        )
        .order_by(Payable.id)
    )
    population = list(session.scalars(stmt))
    if not population:
        raise Conflict("该专项本年度尚无已支付的资金，无法抽查。", code="grants.audit_nothing_paid")
    picked = random.Random(data.seed).sample(population, min(data.size, len(population)))
    sample = AuditSample(
        programme_id=programme.id,
        fiscal_year=data.fiscal_year,
        seed=data.seed,
        population=len(population),
        size=len(picked),
        drawn_by=actor.label,
    )
    session.add(sample)
    session.flush()
    session.add_all(
        AuditItem(
            sample_id=sample.id,
            payable_id=p.id,
            source_ref=p.source_ref,
            payee_name=p.payee_name,
            paid_fen=p.amount_fen,
        )
        for p in sorted(picked, key=lambda p: p.id)
    )
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="grants.audit.draw",
        entity_type=ENTITY,
        entity_id=str(sample.id),
        after={
            "专项": programme.name,
            "年度": data.fiscal_year,
            "随机种子": data.seed,
            "总体数量": len(population),
            "抽查数量": len(picked),
            "抽中": "、".join(p.source_ref for p in sorted(picked, key=lambda p: p.id)),
        },
    )
    return sample


def get(session: Session, *, actor: Actor, sample_id: int) -> tuple[AuditSample, list[AuditItem]]:
    require(actor, perm.LEDGER_READ)
    sample = session.get(AuditSample, sample_id)
    if sample is None:
        raise NotFound("未找到该抽查批次。", code="grants.audit_not_found")
    items = session.scalars(select(AuditItem).where(AuditItem.sample_id == sample.id).order_by(AuditItem.id))
    return sample, list(items)


def record_finding(session: Session, *, actor: Actor, item_id: int, data: FindingIn) -> AuditItem:
    """The auditor's finding, once; an amount (≤ what was paid) is clawed back in the ledger."""
    require(actor, perm.AUDIT_SAMPLE)
    item = session.scalar(select(AuditItem).where(AuditItem.id == item_id).with_for_update())
    if item is None:
        raise NotFound("未找到该抽查事项。", code="grants.audit_not_found")
    if item.result != "pending":
        raise Conflict("该事项已记录核查结论。", code="grants.audit_already_recorded")
    if data.clawback_fen > item.paid_fen:
        raise ValidationFailed(
            f"追回金额 {data.clawback_fen / 100:,.2f} 元超过已支付的 {item.paid_fen / 100:,.2f} 元。",
            code="grants.clawback_over_paid",
        )
    sample = session.get(AuditSample, item.sample_id)
    assert sample is not None
    item.result, item.finding, item.clawback_fen = data.result, data.finding.strip(), data.clawback_fen
    item.recorded_by, item.recorded_at = actor.label, utcnow()
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="grants.audit.finding",
        entity_type=ENTITY,
        entity_id=str(sample.id),
        after={
            "事项": item.source_ref,
            "核查结论": item.result_label,
            "核查发现": item.finding,
            "追回金额": f"{data.clawback_fen / 100:,.2f} 元",
        },
    )
    if data.clawback_fen:
        code = session.scalar(select(Programme.code).where(Programme.id == sample.programme_id))
        ledger.clawback(
            session,
            actor=actor,
            programme_code=str(code),
            fiscal_year=sample.fiscal_year,
            amount_fen=data.clawback_fen,
            source_ref=item.source_ref,
            reason=item.finding,
        )
    return item


def samples(session: Session, *, actor: Actor) -> list[AuditSample]:
    require(actor, perm.LEDGER_READ)
    return list(session.scalars(select(AuditSample).order_by(AuditSample.id.desc()).limit(200)))


def clawed_back(session: Session, *, actor: Actor, sample_id: int) -> int:
    require(actor, perm.LEDGER_READ)
    total = session.scalar(select(func.sum(AuditItem.clawback_fen)).where(AuditItem.sample_id == sample_id))
    return int(total or 0)
