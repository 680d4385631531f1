"""The whole 直兑 flow through the services: register, import the sources, run a month, pay."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.factories import make_org, make_user, new_uscc
from tests.talent.support import MONTH, csv_file, person, resident_id

from longcheng.core.actors import SYSTEM, Role
from longcheng.talent.models import Payment, Recovery, Result
from longcheng.talent.schemas import Confirmation
from longcheng.talent.service import personal, runs, sources
from longcheng.talent.service.errors import StaleSources

SI = ["身份证号码", "月份", "单位统一社会信用代码", "缴费状态"]
EMP = ["单位统一社会信用代码", "身份证号码", "入职日期", "离职日期"]
DEG = ["身份证号码", "学历", "毕业院校", "毕业日期"]


def _import(session: Session, source: str, path: Path) -> sources.ImportReport:
    return sources.run_import(session, actor=SYSTEM, source=source, path=path, max_bytes=1 << 20)


def test_month_run_pays_the_confirmed_and_recovers_after_a_correction(
    session: Session, tmp_path: Path
) -> None:
    """A master's graduate with social insurance in June is paid 2,000 yuan once confirmed; a
    corrected 人社 file (June unpaid) turns the paid month into a recovery record."""
    org = make_org(session)
    number = resident_id(date(1995, 5, 20))
    user = make_user(session, username="xiaoming", role=Role.talent)
    p = person(session, id_number=number, employer_uscc=org.uscc)
    p.user_id = user.id
    actor = user.to_actor()
    with pytest.raises(StaleSources) as stale:
        runs.run_month(session, actor=SYSTEM, month=MONTH, key="k0")
    assert "人社社保缴费从未导入" in stale.value.message_text
    assert _import(
        session, "social_insurance", csv_file(tmp_path, "si.csv", SI, [[number, MONTH, org.uscc, "已缴"]])
    ).ok
    assert _import(
        session, "employer", csv_file(tmp_path, "e.csv", EMP, [[org.uscc, number, "2025-02-01", ""]])
    ).ok
    assert _import(
        session, "degree", csv_file(tmp_path, "d.csv", DEG, [[number, "硕士", "常州大学", "2020-06-30"]])
    ).ok
    personal.confirm(
        session, actor=actor, data=Confirmation(id_number=number, bank_account="6222020200112233445")
    )
    run = runs.run_month(session, actor=SYSTEM, month=MONTH, key="k1")
    assert (run.qualifying, run.total_fen, run.new_count, run.payment_lines) == (1, 200_000, 1, 1)
    line = session.scalar(select(Payment).where(Payment.person_id == p.id))
    assert line is not None
    assert (line.amount_fen, line.kind, line.status) == (200_000, "monthly", "待支付")
    bad = _import(
        session, "social_insurance", csv_file(tmp_path, "si2.csv", SI, [[number, MONTH, org.uscc, "未缴"]])
    )
    assert bad.ok
    again = runs.run_month(session, actor=SYSTEM, month=MONTH, key="k2")
    assert again.qualifying == 0
    result = session.scalar(select(Result).where(Result.run_id == again.id))
    assert result is not None
    assert result.reason == "si_gap"
    recovery = session.scalar(select(Recovery).where(Recovery.person_id == p.id))
    assert recovery is not None
    assert recovery.amount_fen == 200_000


def test_a_late_correction_is_paid_as_arrears(session: Session, tmp_path: Path) -> None:
    """June first shows an insurance gap (nothing paid); the corrected 人社 file and a re-run of
    June pay the 1,000 yuan as arrears (补发), once."""
    org = make_org(session)
    number = resident_id(date(1998, 8, 8))
    user = make_user(session, username="arrears", role=Role.talent)
    p = person(session, id_number=number, employer_uscc=org.uscc, degree="bachelor")
    p.user_id = user.id
    assert _import(
        session, "social_insurance", csv_file(tmp_path, "a.csv", SI, [[number, MONTH, org.uscc, "未缴"]])
    ).ok
    assert _import(
        session, "employer", csv_file(tmp_path, "e.csv", EMP, [[org.uscc, number, "2025-02-01", ""]])
    ).ok
    assert _import(
        session, "degree", csv_file(tmp_path, "d.csv", DEG, [[number, "本科", "常州大学", "2020-06-30"]])
    ).ok
    personal.confirm(
        session,
        actor=user.to_actor(),
        data=Confirmation(id_number=number, bank_account="6222020200112233445"),
    )
    assert runs.run_month(session, actor=SYSTEM, month=MONTH, key="a1").payment_lines == 0
    assert _import(
        session, "social_insurance", csv_file(tmp_path, "b.csv", SI, [[number, MONTH, org.uscc, "已缴"]])
    ).ok
    assert runs.run_month(session, actor=SYSTEM, month=MONTH, key="a2").payment_lines == 1
    assert runs.run_month(session, actor=SYSTEM, month=MONTH, key="a3").payment_lines == 0
    lines = [
        (x.kind, x.amount_fen) for x in session.scalars(select(Payment).where(Payment.person_id == p.id))
    ]
    assert lines == [("arrears", 100_000)]


def test_an_unregistered_employer_is_a_row_error(session: Session, tmp_path: Path) -> None:
    """A declaration naming a firm missing from the registry is reported on its line; nothing is written."""
    number = resident_id(date(1999, 9, 9))
    p = person(session, id_number=number)
    report = _import(
        session, "employer", csv_file(tmp_path, "e.csv", EMP, [[new_uscc(), number, "2025-02-01", ""]])
    )
    assert [(e.line, e.column) for e in report.errors] == [(2, "单位统一社会信用代码")]
    assert "不在企业库中" in report.errors[0].message
    assert p.employer_uscc is None
