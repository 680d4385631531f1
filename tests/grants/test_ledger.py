"""The budget ledger and direct payables: overspend refused, idempotency, verification."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session
from tests.grants.conftest import MakeProgramme, token

from longcheng.core.actors import SYSTEM
from longcheng.core.errors import Conflict
from longcheng.grants.ledger import service as ledger
from longcheng.grants.ledger.models import LedgerAccount
from longcheng.grants.payments import service as payments


def _pay(code: str, amount_fen: int, key: str, **extra: Any) -> dict[str, Any]:
    return {
        "programme_code": code,
        "fiscal_year": 2026,
        "payee_name": "张三",
        "payee_account_token": token(),
        "payee_bank": "中国银行常州分行",
        "amount_fen": amount_fen,
        "source_kind": "talent.award",
        "source_ref": key,
        "idempotency_key": key,
        **extra,
    }


def test_direct_payable_moves_budget_and_is_idempotent(
    session: Session, make_programme: MakeProgramme
) -> None:
    """Budget → committed → payable at once; the same key returns the same payable, never a second."""
    p = make_programme(budget_fen=1_000_00)
    first = payments.add_direct_payable(session, actor=SYSTEM, **_pay(p.code, 600_00, "T-1"))
    again = payments.add_direct_payable(session, actor=SYSTEM, **_pay(p.code, 600_00, "T-1"))
    assert first == again
    b = ledger.balances(session, actor=SYSTEM, programme_id=p.id, fiscal_year=2026)
    assert (b.budget_fen, b.available_fen, b.committed_fen, b.payable_fen) == (1_000_00, 400_00, 0, 600_00)
    status = payments.payable_status(session, actor=SYSTEM, source_kind="talent.award", source_ref="T-1")
    assert [(s.state, s.amount_fen) for s in status] == [("payable", 600_00)]
    with pytest.raises(Conflict) as mismatch:
        payments.add_direct_payable(session, actor=SYSTEM, **_pay(p.code, 1_00, "T-1"))
    assert mismatch.value.code_text == "grants.idempotency_mismatch"
    assert ledger.verify(session) == []


def test_overspend_is_refused_and_nothing_written(session: Session, make_programme: MakeProgramme) -> None:
    p = make_programme(budget_fen=1_000_00)
    payments.add_direct_payable(session, actor=SYSTEM, **_pay(p.code, 900_00, "T-2"))
    with pytest.raises(ledger.BudgetExceeded) as exc:
        payments.add_direct_payable(session, actor=SYSTEM, **_pay(p.code, 200_00, "T-3"))
    assert exc.value.code_text == "grants.budget_exceeded"
    assert "可用预算仅 100.00 元" in exc.value.message_text
    assert payments.payable_status(session, actor=SYSTEM, source_kind="talent.award", source_ref="T-3") == []
    assert ledger.balances(session, actor=SYSTEM, programme_id=p.id, fiscal_year=2026).available_fen == 100_00


def test_budget_cut_below_commitments_is_refused(session: Session, make_programme: MakeProgramme) -> None:
    p = make_programme(budget_fen=1_000_00)
    payments.add_direct_payable(session, actor=SYSTEM, **_pay(p.code, 700_00, "T-4"))
    with pytest.raises(ledger.BudgetExceeded):
        ledger.set_budget(session, actor=SYSTEM, programme_code=p.code, fiscal_year=2026, amount_fen=500_00)
    ledger.set_budget(session, actor=SYSTEM, programme_code=p.code, fiscal_year=2026, amount_fen=800_00)
    assert ledger.balances(session, actor=SYSTEM, programme_id=p.id, fiscal_year=2026).available_fen == 100_00


def test_verify_names_a_tampered_account(session: Session, make_programme: MakeProgramme) -> None:
    p = make_programme(budget_fen=1_000_00)
    session.execute(
        update(LedgerAccount)
        .where(LedgerAccount.programme_id == p.id, LedgerAccount.kind == "available")
        .values(balance_fen=LedgerAccount.balance_fen + 1)
    )
    problems = ledger.verify(session)
    assert problems[0].startswith(f"账户 {p.code}/2026/可用预算（available）")


def test_clawback_moves_paid_money_and_keeps_the_ledger_balanced(
    session: Session, make_programme: MakeProgramme
) -> None:
    p = make_programme(budget_fen=1_000_00)
    payments.add_direct_payable(session, actor=SYSTEM, **_pay(p.code, 500_00, "T-9"))
    ledger.post(
        session,
        actor=SYSTEM,
        programme_id=p.id,
        fiscal_year=2026,
        move=("payable", "paid"),
        amount_fen=500_00,
    )
    ledger.clawback(
        session,
        actor=SYSTEM,
        programme_code=p.code,
        fiscal_year=2026,
        amount_fen=200_00,
        source_ref="AUDIT-1",
        reason="审计发现重复申报",
    )
    b = ledger.balances(session, actor=SYSTEM, programme_id=p.id, fiscal_year=2026)
    assert (b.paid_fen, b.clawed_back_fen) == (300_00, 200_00)
    with pytest.raises(Conflict):
        ledger.clawback(
            session,
            actor=SYSTEM,
            programme_code=p.code,
            fiscal_year=2026,
            amount_fen=400_00,
            source_ref="AUDIT-2",
            reason="超过已支付金额",
        )
    assert ledger.verify(session) == []
