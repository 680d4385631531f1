"""Staff steps of the stage machine, the financial review's amount, and the decision (下达).

The approved amount is set in 财务审核 (financial review, separate from content review):
approved ≤ requested ≤ policy amount. 下达 commits the budget in the ledger, refused when it
would overspend; a programme paid at once also makes the amount payable to the firm's account.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from longcheng.core import audit
from longcheng.core.actors import Actor
from longcheng.core.auth import require
from longcheng.core.clock import local_today
from longcheng.core.errors import Conflict, ValidationFailed
from longcheng.core.workdays import default_calendar
from longcheng.grants import permissions as perm
from longcheng.grants.acceptance import service as acceptance
from longcheng.grants.applications.models import Application
from longcheng.grants.applications.schemas import MoveIn
from longcheng.grants.applications.service.base import ENTITY, get, set_stage
from longcheng.grants.engine.stages import machine
from longcheng.grants.ledger import service as ledger
from longcheng.grants.payments import service as payments
from longcheng.grants.programmes.models import Programme
from longcheng.grants.publicity import service as publicity


def _programme(session: Session, app: Application) -> Programme:
    programme = session.get(Programme, app.programme_id)
    assert programme is not None
    return programme


def move(session: Session, *, actor: Actor, number: str, data: MoveIn) -> Application:
    """A staff step allowed by the programme's workflow; 退回补正 needs a reason and sets a deadline."""
    require(actor, perm.APP_REVIEW)
    app = get(session, actor=actor, number=number, lock=True)
    flow = machine().workflow(_programme(session, app).workflow)
    if not flow.allowed(app.stage, data.to_stage, "staff"):
        m = machine()
        raise Conflict(
            f"当前阶段“{m.label(app.stage)}”不能转到“{m.label(data.to_stage)}”。",
            code="grants.bad_transition",
        )
    if data.to_stage in ("returned", "rejected") and len(data.reason.strip()) < 2:
        raise ValidationFailed(
            "退回或不予支持须写明理由。", code="grants.reason_required", details={"reason": "请填写理由"}
        )
    if data.to_stage == "proposed" and app.approved_fen is None:
        raise Conflict("请先完成财务审核，核定支持金额。", code="grants.amount_not_set")
    if data.to_stage == "decided":
        return decide(session, actor=actor, app=app)
    if data.to_stage == "returned":
        app.return_reason = data.reason
        app.return_due = default_calendar(allow_uncovered=True).add_working_days(
            local_today(), data.return_working_days
        )
    set_stage(session, actor, app, data.to_stage, data.reason)
    return app


def set_amount(session: Session, *, actor: Actor, number: str, approved_fen: int) -> Application:
    """财务审核: the approved amount, never above the requested or the policy amount."""
    require(actor, perm.APP_FINANCE)
    app = get(session, actor=actor, number=number, lock=True)
    if app.stage != "financial_review":
        raise Conflict("只有处于财务审核阶段的申报可以核定金额。", code="grants.not_in_financial_review")
    if approved_fen <= 0:
        raise ValidationFailed("核定金额须大于零。", code="grants.amount_not_positive")
    if approved_fen > app.requested_fen:
        raise ValidationFailed(
            f"核定金额 {approved_fen / 100:,.2f} 元超过申请金额 {app.requested_fen / 100:,.2f} 元。",
            code="grants.approved_over_requested",
        )
    if app.policy_fen is not None and approved_fen > app.policy_fen:
        raise ValidationFailed(
            f"核定金额 {approved_fen / 100:,.2f} 元超过政策测算金额 {app.policy_fen / 100:,.2f} 元。",
            code="grants.approved_over_policy",
        )
    before = app.approved_fen
    app.approved_fen = approved_fen
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="grants.application.amount",
        entity_type=ENTITY,
        entity_id=app.number,
        before={"核定金额": before},
        after={"核定金额": f"{approved_fen / 100:,.2f} 元"},
    )
    return app


def decide(session: Session, *, actor: Actor, app: Application, today: date | None = None) -> Application:
    """下达: commit the approved amount (refused on overspend, or before the 公示 period has ended);
    pay-at-once programmes make it payable."""
    programme = _programme(session, app)
    if publicity.unresolved(session, app.id):
        raise Conflict(
            "该申报有尚未办结的公示异议，不能下达，也不能支付。", code="grants.objection_unresolved"
        )
    publicity.require_ended(session, app, today)
    amount = app.approved_fen or 0
    source = ("grants.application", app.number)
    ledger.post(
        session,
        actor=actor,
        programme_id=programme.id,
        fiscal_year=app.fiscal_year,
        move=("available", "committed"),
        amount_fen=amount,
        source=source,
        memo=app.applicant_name,
    )
    if programme.payment_mode == "immediate" and app.account_token:
        payments.create_payable(
            session,
            actor=actor,
            programme_id=programme.id,
            fiscal_year=app.fiscal_year,
            payee_name=app.applicant_name,
            payee_uscc=app.applicant_uscc,
            payee_account_token=app.account_token,
            payee_bank=app.bank_name or "未填写",
            amount_fen=amount,
            source=source,
            idempotency_key=f"grants.application:{app.number}",
            memo=f"{programme.name} {app.number}",
            commit_first=False,
        )
    if programme.payment_mode == "after_acceptance":
        acceptance.open_task(session, actor=actor, app=app)
    set_stage(session, actor, app, "decided", f"下达 {amount / 100:,.2f} 元")
    return app
