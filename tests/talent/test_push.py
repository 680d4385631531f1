"""The hand-over of a run's payment lines to the grants ledger, in one bulk call: every line
becomes one payable, once; a budget too small for the month hands over nothing."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tests.factories import make_org, make_user
from tests.talent.support import MONTH, csv_file, person, resident_id

from longcheng.core.actors import SYSTEM, Role
from longcheng.core.audit import AuditRecord
from longcheng.grants.ledger import service as ledger
from longcheng.grants.payments.models import Payable
from longcheng.grants.programmes import service as programmes
from longcheng.grants.programmes.schemas import ProgrammeIn
from longcheng.talent.models import Payment
from longcheng.talent.schemas import Confirmation
from longcheng.talent.service import payments, personal, runs, sources

DEGREES = {"doctor": "博士", "master": "硕士", "bachelor": "本科"}


def _month_with_three_lines(session: Session, tmp_path: Path) -> int:
    """A doctor, a master and a bachelor, confirmed with accounts and insured in June: one run."""
    org = make_org(session)
    si, emp, deg = [], [], []
    for n, (degree, label) in enumerate(DEGREES.items(), 1):
        number = resident_id(date(1995, 5, n), n)
        user = make_user(session, username=f"push{n}", role=Role.talent)
        person(session, id_number=number, employer_uscc=org.uscc, degree=degree).user_id = user.id
        personal.confirm(
            session,
            actor=user.to_actor(),
            data=Confirmation(id_number=number, bank_account=f"622202020011223344{n}"),
        )
        si.append([number, MONTH, org.uscc, "已缴"])
        emp.append([org.uscc, number, "2025-02-01", ""])
        deg.append([number, label, "常州大学", "2020-06-30"])
    for source, header, rows in (
        ("social_insurance", ["身份证号码", "月份", "单位统一社会信用代码", "缴费状态"], si),
        ("employer", ["单位统一社会信用代码", "身份证号码", "入职日期", "离职日期"], emp),
        ("degree", ["身份证号码", "学历", "毕业院校", "毕业日期"], deg),
    ):
        path = csv_file(tmp_path, f"{source}.csv", header, rows)
        assert sources.run_import(session, actor=SYSTEM, source=source, path=path, max_bytes=1 << 20).ok
    run = runs.run_month(session, actor=SYSTEM, month=MONTH, key="push")
    assert run.payment_lines == 3
    return run.id


def _budget(session: Session, amount_fen: int) -> None:
    data = ProgrammeIn(code=payments.PROGRAMME, name="青年人才生活补贴", department="市人社局")
    programmes.create(session, actor=SYSTEM, data=data)
    ledger.set_budget(
        session, actor=SYSTEM, programme_code=payments.PROGRAMME, fiscal_year=2025, amount_fen=amount_fen
    )


def _payables(session: Session) -> list[tuple[str, int]]:
    stmt = select(Payable.source_ref, Payable.amount_fen).where(Payable.source_kind == payments.SOURCE_KIND)
    return sorted((ref, int(fen)) for ref, fen in session.execute(stmt))


def test_every_line_becomes_one_payable_once(session: Session, tmp_path: Path) -> None:
    """3,000 + 2,000 + 1,000 yuan: three payables keyed by the lines, each audited; the ledger
    verifies, and handing over again adds nothing."""
    run_id = _month_with_three_lines(session, tmp_path)
    _budget(session, 10_000_00)
    assert payments.push_to_grants(session, actor=SYSTEM, run_id=run_id) == 3
    lines = list(session.scalars(select(Payment).where(Payment.run_id == run_id)))
    assert _payables(session) == sorted((line.key, line.amount_fen) for line in lines)
    assert sorted(line.amount_fen for line in lines) == [100_000, 200_000, 300_000]
    assert {line.status for line in lines} == {payments.PUSHED}
    assert len({line.payable_ref for line in lines}) == 3
    assert [payments.payable_status(session, line) for line in lines] == ["待支付"] * 3
    audited = select(func.count()).where(AuditRecord.action == "grants.payable.create")
    assert session.scalar(audited) == 3
    assert ledger.verify(session) == []
    assert payments.push_to_grants(session, actor=SYSTEM, run_id=run_id) == 0
    assert len(_payables(session)) == 3
    balances = ledger.balances(session, actor=SYSTEM, programme_id=_programme_id(session), fiscal_year=2025)
    assert (balances.available_fen, balances.payable_fen) == (4_000_00, 6_000_00)


def _programme_id(session: Session) -> int:
    return ledger.programme_by_code(session, payments.PROGRAMME).id


def test_a_budget_too_small_hands_over_nothing(session: Session, tmp_path: Path) -> None:
    """5,000 yuan for 6,000 yuan of lines: refused whole, every line still 待支付, no payable."""
    run_id = _month_with_three_lines(session, tmp_path)
    _budget(session, 5_000_00)
    with pytest.raises(ledger.BudgetExceeded) as exc:
        payments.push_to_grants(session, actor=SYSTEM, run_id=run_id)
    assert "本次共需 6,000.00 元" in exc.value.message_text
    assert _payables(session) == []
    lines = session.scalars(select(Payment).where(Payment.run_id == run_id))
    assert {(line.status, line.payable_ref) for line in lines} == {("待支付", "")}
