"""Direct payables in bulk: the same postings, balances and audit records as one by one, each
payable once, the ledger still verifying; an overspend or a reused key refuses the whole call."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tests.grants.conftest import MakeProgramme
from tests.grants.test_ledger import _pay

from longcheng.core.actors import SYSTEM
from longcheng.core.audit import AuditRecord
from longcheng.core.errors import Conflict
from longcheng.grants.ledger import service as ledger
from longcheng.grants.ledger.models import LedgerPosting
from longcheng.grants.payments import service as payments
from longcheng.grants.payments.models import Payable


def _item(code: str, amount_fen: int, key: str, **extra: Any) -> payments.DirectPayable:
    return payments.DirectPayable(**_pay(code, amount_fen, key, **extra))


def _count(session: Session, stmt: Any) -> int:
    return int(session.scalar(stmt) or 0)


def test_bulk_posts_every_payable_once_and_the_ledger_verifies(
    session: Session, make_programme: MakeProgramme
) -> None:
    """Two programmes, four payables (one made before, one by one): the existing one keeps its id,
    the three new ones get two postings and an audit record each, and a repeated call adds nothing."""
    a, b = make_programme(budget_fen=1_000_00), make_programme(budget_fen=500_00)
    before = payments.add_direct_payable(session, actor=SYSTEM, **_pay(a.code, 100_00, "B-0"))
    items = [
        _item(a.code, 100_00, "B-0"),
        _item(a.code, 200_00, "B-1"),
        _item(b.code, 300_00, "B-2", memo="人才补贴"),
        _item(a.code, 400_00, "B-3"),
    ]
    ids = payments.add_direct_payables(session, actor=SYSTEM, items=items)
    assert ids[0] == before
    assert len(set(ids)) == 4
    rows = {p.idempotency_key: p for p in session.scalars(select(Payable).where(Payable.id.in_(ids)))}
    assert [rows[i.idempotency_key].id for i in items] == ids
    assert rows["B-2"].memo == "人才补贴"
    assert rows["B-1"].payee_account_masked.endswith("7089")
    for key in ("B-1", "B-2", "B-3"):
        postings = select(func.count()).where(LedgerPosting.source_ref == key)
        assert _count(session, postings) == 2
        audited = select(func.count()).where(
            AuditRecord.action == "grants.payable.create", AuditRecord.entity_id == rows[key].reference
        )
        assert _count(session, audited) == 1
    bal_a = ledger.balances(session, actor=SYSTEM, programme_id=a.id, fiscal_year=2026)
    assert (bal_a.available_fen, bal_a.committed_fen, bal_a.payable_fen) == (300_00, 0, 700_00)
    bal_b = ledger.balances(session, actor=SYSTEM, programme_id=b.id, fiscal_year=2026)
    assert (bal_b.available_fen, bal_b.payable_fen) == (200_00, 300_00)
    assert ledger.verify(session) == []
    assert payments.add_direct_payables(session, actor=SYSTEM, items=items) == ids
    assert _count(session, select(func.count()).select_from(Payable)) == 4
    assert ledger.verify(session) == []


def test_an_overspend_refuses_every_payable(session: Session, make_programme: MakeProgramme) -> None:
    """Three payables that together exceed the budget: none is written, and the message gives the
    total asked and what is available."""
    p = make_programme(budget_fen=500_00)
    items = [_item(p.code, 200_00, f"O-{n}") for n in range(3)]
    with pytest.raises(ledger.BudgetExceeded) as exc:
        payments.add_direct_payables(session, actor=SYSTEM, items=items)
    assert "本次共需 600.00 元" in exc.value.message_text
    assert "可用预算仅 500.00 元" in exc.value.message_text
    assert _count(session, select(func.count()).select_from(Payable)) == 0
    assert ledger.balances(session, actor=SYSTEM, programme_id=p.id, fiscal_year=2026).available_fen == 500_00
    assert ledger.verify(session) == []


def test_a_key_reused_for_another_amount_is_refused(session: Session, make_programme: MakeProgramme) -> None:
    p = make_programme(budget_fen=1_000_00)
    payments.add_direct_payable(session, actor=SYSTEM, **_pay(p.code, 100_00, "K-1"))
    for items in (
        [_item(p.code, 100_00, "K-2"), _item(p.code, 150_00, "K-1")],
        [_item(p.code, 100_00, "K-3"), _item(p.code, 200_00, "K-3")],
    ):
        with pytest.raises(Conflict) as exc:
            payments.add_direct_payables(session, actor=SYSTEM, items=items)
        assert exc.value.code_text == "grants.idempotency_mismatch"
    assert _count(session, select(func.count()).select_from(Payable)) == 1
