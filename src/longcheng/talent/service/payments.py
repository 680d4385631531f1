"""Payment lines (支付明细), arrears (补发) and overpayment recovery (追回).

After a run for month M, each confirmed person is owed the run's amount for M. What was already
put on lines for M (minus what is being recovered) is compared with it: a shortfall becomes a
line — ``monthly`` in the month's first run, ``arrears`` (补发) in a later run of the same month
after a correction — and an
excess becomes a recovery record. Lines carry an idempotency key per person and month (and a
sequence for arrears), so a repeated run never pays twice.

Lines reach the money through the grants ledger (:func:`push_to_grants`, the job
``talent.push_payables`` queued after each run): each becomes a direct payable of the programme
``TALENT-LIVING`` for the month's year, keyed by the line's key, with the person's account
re-encrypted for the payee purpose. Overspending the budget refuses the whole push (nothing
written, lines stay 待支付, the job says how much is available); finance then batches and pays
them at /grants/finance, and :func:`payable_status` reads the state back.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from longcheng.core import audit
from longcheng.core.actors import SYSTEM, Actor
from longcheng.core.auth import require
from longcheng.core.clock import utcnow
from longcheng.core.db import append_rows
from longcheng.core.errors import NotFound
from longcheng.core.pii import vault
from longcheng.grants.payments import service as grants_payments
from longcheng.talent import permissions as perm
from longcheng.talent.models import Payment, Person, Recovery, Result, Run
from longcheng.talent.service import people

ENTITY = "talent_payment"
KIND_LABELS = {"monthly": "按月发放", "arrears": "补发"}
RECOVERY_LABELS = {"pending": "待追回", "recovered": "已追回"}


def _settled(session: Session, month: str) -> dict[int, tuple[int, int]]:
    """Per person for the month: (amount on lines, count of lines) minus pending recoveries."""
    lines = session.execute(
        select(Payment.person_id, func.sum(Payment.amount_fen), func.count())
        .where(Payment.month == month)
        .group_by(Payment.person_id)
    )
    out = {pid: (int(total), int(n)) for pid, total, n in lines}
    recovered = session.execute(
        select(Recovery.person_id, func.sum(Recovery.amount_fen))
        .where(Recovery.month == month)
        .group_by(Recovery.person_id)
    )
    for pid, total in recovered:
        paid, n = out.get(pid, (0, 0))
        out[pid] = (paid - int(total), n)
    return out


def settle(session: Session, *, actor: Actor, run: Run) -> int:
    """Write the run's payment lines and recovery records; returns the number of lines."""
    confirmed = set(session.scalars(select(Person.id).where(Person.confirmed_at.is_not(None))))
    owed = dict(
        session.execute(
            select(Result.person_id, Result.amount_fen).where(
                Result.run_id == run.id, Result.qualifies.is_(True)
            )
        ).all()
    )
    stmt = select(Result.person_id, Result.reason).where(Result.run_id == run.id)
    reasons = {int(pid): str(code) for pid, code in session.execute(stmt).all()}
    settled = _settled(session, run.month)
    rerun = (
        session.scalar(select(Run.id).where(Run.month == run.month, Run.id != run.id).limit(1)) is not None
    )
    now = utcnow()
    lines: list[dict[str, Any]] = []
    recoveries: list[dict[str, Any]] = []
    for pid in sorted(set(owed) | set(settled)):
        due = owed.get(pid, 0) if pid in confirmed else 0
        paid, n = settled.get(pid, (0, 0))
        if due > paid:
            kind = "arrears" if rerun or n else "monthly"
            key = f"talent:{pid}:{run.month}" + ("" if n == 0 else f":{n + 1}")
            lines.append(
                {
                    "person_id": pid,
                    "month": run.month,
                    "kind": kind,
                    "amount_fen": due - paid,
                    "currency": "CNY",
                    "key": key,
                    "run_id": run.id,
                    "status": "待支付",
                    "payable_ref": "",
                    "created_at": now,
                }
            )
        elif due < paid and pid in settled:
            why = "不再符合条件" if pid not in owed else "金额调减"
            recoveries.append(
                {
                    "person_id": pid,
                    "month": run.month,
                    "amount_fen": paid - due,
                    "currency": "CNY",
                    "reason": f"{run.month} 重新核定：{why}（{reasons.get(pid, '')}）",
                    "run_id": run.id,
                    "status": "pending",
                    "created_at": now,
                }
            )
    append_rows(session, Payment, lines)
    append_rows(session, Recovery, recoveries)
    if lines or recoveries:
        audit.record(
            session,
            actor=actor,
            action="talent.payments",
            entity_type=ENTITY,
            entity_id=f"run:{run.id}",
            after={
                "lines": len(lines),
                "total_fen": sum(r["amount_fen"] for r in lines),
                "recoveries": len(recoveries),
            },
        )
    return len(lines)


def payments_of(session: Session, *, person_id: int) -> list[Payment]:
    return list(
        session.scalars(
            select(Payment)
            .where(Payment.person_id == person_id)
            .order_by(Payment.month.desc(), Payment.id.desc())
        )
    )


def recoveries_of(session: Session, *, person_id: int) -> list[Recovery]:
    return list(
        session.scalars(select(Recovery).where(Recovery.person_id == person_id).order_by(Recovery.id.desc()))
    )


PROGRAMME = "TALENT-LIVING"
SOURCE_KIND = "talent.young_talent_living"
PUSHED = "已转入资金支付"


def push_to_grants(session: Session, *, actor: Actor, run_id: int | None = None) -> int:
    """Hand every line not yet handed over (of one run, or all) to the grants ledger, as one
    bulk call (``add_direct_payables``): all lines or none."""
    require(actor, perm.RUN)
    stmt = (
        select(Payment, Person).join(Person, Person.id == Payment.person_id).where(Payment.payable_ref == "")
    )
    if run_id is not None:
        stmt = stmt.where(Payment.run_id == run_id)
    rows = [
        (pay, p)
        for pay, p in session.execute(stmt.order_by(Payment.id).with_for_update()).all()
        if p.bank_token
    ]
    ids = grants_payments.add_direct_payables(
        session, actor=actor, items=[_direct_payable(payment, person) for payment, person in rows]
    )
    for (payment, _), payable_id in zip(rows, ids, strict=True):
        payment.payable_ref, payment.status = str(payable_id), PUSHED
    session.flush()
    if rows:
        audit.record(
            session,
            actor=actor,
            action="talent.payments.push",
            entity_type=ENTITY,
            entity_id=f"run:{run_id or 'all'}",
            after={"lines": len(rows)},
        )
    return len(rows)


def _direct_payable(payment: Payment, person: Person) -> grants_payments.DirectPayable:
    """The line as a grants payable, the account re-encrypted for the payee purpose."""
    assert person.bank_token is not None
    account = vault.decrypt(person.bank_token, purpose=people.BANK_PURPOSE)
    return grants_payments.DirectPayable(
        programme_code=PROGRAMME,
        fiscal_year=int(payment.month[:4]),
        payee_name=person.name,
        payee_account_token=vault.encrypt(account, purpose=grants_payments.PAYEE_ACCOUNT_PURPOSE),
        payee_bank="",
        amount_fen=payment.amount_fen,
        currency=payment.currency,
        source_kind=SOURCE_KIND,
        source_ref=payment.key,
        idempotency_key=payment.key,
        memo=f"青年人才生活补贴 {payment.month}（{KIND_LABELS[payment.kind]}）",
    )


def payable_status(session: Session, payment: Payment) -> str:
    """Where the line stands in the grants payment flow (待支付 until handed over)."""
    if not payment.payable_ref:
        return payment.status
    found = grants_payments.payable_status(
        session, actor=SYSTEM, source_kind=SOURCE_KIND, source_ref=payment.key
    )
    return found[0].state_label if found else payment.status


def mark_recovered(session: Session, *, actor: Actor, recovery_id: int) -> Recovery:
    """Record that an overpayment was paid back (待追回 → 已追回)."""
    require(actor, perm.EDIT)
    row = session.get(Recovery, recovery_id)
    if row is None:
        raise NotFound("未找到该追回记录。", code="talent.recovery_not_found")
    if row.status != "recovered":
        row.status, row.recovered_at = "recovered", utcnow()
        audit.record(
            session,
            actor=actor,
            action="talent.recovery.done",
            entity_type="talent_recovery",
            entity_id=row.id,
            before={"status": "待追回"},
            after={"status": "已追回"},
        )
    return row


def totals_by(session: Session, *, run: Run) -> dict[str, dict[str, int]]:
    """Lines of a run by kind: count and total fen."""
    out: dict[str, dict[str, int]] = defaultdict(lambda: {"count": 0, "total_fen": 0})
    for kind, n, total in session.execute(
        select(Payment.kind, func.count(), func.sum(Payment.amount_fen))
        .where(Payment.run_id == run.id)
        .group_by(Payment.kind)
    ):
        out[kind] = {"count": int(n), "total_fen": int(total)}
    return dict(out)
