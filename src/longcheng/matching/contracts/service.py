"""Contracts of solved challenges.

``create`` turns the selected proposal into a contract whose milestones must add up to no more
than the challenge's 榜额 (``matching.contract_over_budget``); one contract per challenge
(``matching.contract_exists``). ``accept`` records a milestone's 验收; its payment is then
"待拨付": tying it to a grants programme waits for the grants module's payables service.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from longcheng.core import audit
from longcheng.core.actors import SYSTEM, Actor
from longcheng.core.clock import local_today, utcnow
from longcheng.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from longcheng.core.pii import vault
from longcheng.core.validation import CleanText
from longcheng.grants.payments import service as grants_payments
from longcheng.matching.challenges import service as challenges
from longcheng.matching.challenges.models import Challenge, Proposal
from longcheng.matching.challenges.schemas import parse_budget
from longcheng.matching.contracts.models import Contract, Milestone

ENTITY = "matching.contract"


class MilestoneIn(BaseModel):
    title: CleanText = Field(min_length=2, max_length=200)
    due_on: date
    amount: Annotated[int, BeforeValidator(parse_budget)]


class ContractIn(BaseModel):
    milestones: list[MilestoneIn] = Field(min_length=1, max_length=20)
    grants_programme: CleanText | None = Field(default=None, max_length=30)
    payee_bank: CleanText = Field(default="", max_length=120)
    payee_account: CleanText = Field(default="", max_length=40, pattern=r"^[0-9 ]*$")


def _insider(session: Session, actor: Actor, code: str) -> Challenge:
    challenge = challenges.get(session, code=code)
    if not challenges.is_insider(challenge, actor):
        raise PermissionDenied("只有发榜方和管理人员可以管理揭榜合同。", code="matching.forbidden")
    return challenge


def get(session: Session, *, actor: Actor, code: str) -> Contract:
    challenge = challenges.get(session, code=code)
    contract = session.scalar(select(Contract).where(Contract.challenge_id == challenge.id))
    if contract is None:
        raise NotFound("该榜单尚未签订揭榜合同。", code="matching.contract_not_found")
    proposal = session.get(Proposal, contract.proposal_id)
    if not challenges.is_insider(challenge, actor) and (
        proposal is None or proposal.solver_user_id != actor.id
    ):
        raise PermissionDenied("只有合同双方和管理人员可以查看揭榜合同。", code="matching.forbidden")
    return contract


def create(session: Session, *, actor: Actor, code: str, data: ContractIn) -> Contract:
    """The contract of the selected proposal, with its milestones."""
    challenge = _insider(session, actor, code)
    selected = session.scalar(
        select(Proposal).where(Proposal.challenge_id == challenge.id, Proposal.status == "selected")
    )
    if selected is None:
        raise Conflict("请先确定揭榜方，再签订合同。", code="matching.not_selected_yet")
    if session.scalar(select(Contract.id).where(Contract.challenge_id == challenge.id)):
        raise Conflict("该榜单已签订揭榜合同。", code="matching.contract_exists")
    total = sum(m.amount for m in data.milestones)
    if total > challenge.budget_fen:
        raise ValidationFailed(
            f"里程碑金额合计 {total / 1_000_000:.2f} 万元，"
            f"超过榜额 {challenge.budget_fen / 1_000_000:.2f} 万元。",
            code="matching.contract_over_budget",
            details={"milestones": "合计超过榜额"},
        )
    if data.grants_programme and not (data.payee_bank and data.payee_account):
        raise ValidationFailed(
            "里程碑款项由资金专项拨付时，须填写揭榜方开户行和账号。",
            code="matching.payee_required",
            details={"payee_account": "必填"},
        )
    token = (
        vault.encrypt(data.payee_account.replace(" ", ""), purpose=grants_payments.PAYEE_ACCOUNT_PURPOSE)
        if data.grants_programme
        else ""
    )
    contract = Contract(
        challenge_id=challenge.id,
        proposal_id=selected.id,
        amount_fen=total,
        grants_programme=data.grants_programme,
        payee_bank=data.payee_bank,
        payee_account_token=token,
    )
    contract.milestones = [
        Milestone(seq=i, title=m.title, due_on=m.due_on, amount_fen=m.amount)
        for i, m in enumerate(data.milestones, 1)
    ]
    session.add(contract)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="matching.contract.create",
        entity_type=ENTITY,
        entity_id=code,
        after={"amount_fen": total, "count": len(data.milestones)},
    )
    return contract


def _payable(session: Session, *, code: str, contract: Contract, milestone: Milestone) -> int:
    """Make the milestone's amount payable in the contract's grants programme (idempotent)."""
    proposal = session.get(Proposal, contract.proposal_id)
    assert proposal is not None
    return grants_payments.add_direct_payable(
        session,
        actor=SYSTEM,
        programme_code=contract.grants_programme or "",
        fiscal_year=local_today().year,
        payee_name=proposal.solver_name,
        payee_account_token=contract.payee_account_token,
        payee_bank=contract.payee_bank,
        amount_fen=milestone.amount_fen,
        source_kind="matching.milestone",
        source_ref=f"{code}/{milestone.seq}",
        idempotency_key=f"matching:{code}:{milestone.seq}",
        memo=f"揭榜挂帅 {code} 里程碑：{milestone.title}",
        payee_uscc=proposal.solver_uscc,
    )


def payment_label(session: Session, *, code: str, milestone: Milestone) -> str:
    """The milestone payment's state in grants (待支付, 已支付 …), or why there is none."""
    if milestone.payable_id is None:
        return "待拨付（未关联资金专项）" if milestone.state == "accepted" else ""
    found = grants_payments.payable_status(
        session, actor=SYSTEM, source_kind="matching.milestone", source_ref=f"{code}/{milestone.seq}"
    )
    return found[-1].state_label if found else ""


def accept(session: Session, *, actor: Actor, code: str, seq: int) -> Milestone:
    """Record a milestone's 验收 (payment: 待拨付)."""
    _insider(session, actor, code)
    contract = get(session, actor=actor, code=code)
    milestone = next((m for m in contract.milestones if m.seq == seq), None)
    if milestone is None:
        raise NotFound("未找到该里程碑。", code="matching.milestone_not_found")
    if milestone.state == "accepted":
        raise Conflict("该里程碑已验收。", code="matching.milestone_already_accepted")
    milestone.state, milestone.accepted_at = "accepted", utcnow()
    if contract.grants_programme:
        milestone.payable_id = _payable(session, code=code, contract=contract, milestone=milestone)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="matching.milestone.accept",
        entity_type=ENTITY,
        entity_id=code,
        after={"milestone": milestone.title, "amount_fen": milestone.amount_fen},
    )
    return milestone
