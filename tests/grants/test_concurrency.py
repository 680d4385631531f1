"""50 concurrent payables against a budget that fits 30: exactly 30 are made, the ledger balances
(real threads, real transactions, on SQLite and PostgreSQL)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select
from tests.grants.conftest import token

from longcheng.core.actors import SYSTEM
from longcheng.core.db import make_engine, make_sessionmaker, transaction, write_engine
from longcheng.grants.ledger import service as ledger
from longcheng.grants.payments import service as payments
from longcheng.grants.payments.models import Payable
from longcheng.grants.programmes import service as programmes
from longcheng.grants.programmes.schemas import ProgrammeIn


def test_fifty_concurrent_payables_on_a_budget_for_thirty(cli_db: str) -> None:
    engine = make_engine(cli_db)
    factory = make_sessionmaker(write_engine(engine))
    with transaction(factory) as s:
        data = ProgrammeIn(code="RACE", name="并发测试专项", department="市财政局")
        programmes.create(s, actor=SYSTEM, data=data)
        ledger.set_budget(s, actor=SYSTEM, programme_code="RACE", fiscal_year=2026, amount_fen=30 * 100_00)
    account = token()

    def attempt(n: int) -> str:
        try:
            with transaction(factory) as s:
                payments.add_direct_payable(
                    s,
                    actor=SYSTEM,
                    programme_code="RACE",
                    fiscal_year=2026,
                    payee_name=f"企业{n}",
                    payee_account_token=account,
                    payee_bank="某银行",
                    amount_fen=100_00,
                    source_kind="race",
                    source_ref=str(n),
                    idempotency_key=f"race-{n}",
                )
            return "ok"
        except ledger.BudgetExceeded:
            return "refused"

    with ThreadPoolExecutor(max_workers=10) as pool:
        outcomes = list(pool.map(attempt, range(50)))
    assert outcomes.count("ok") == 30
    assert outcomes.count("refused") == 20
    with transaction(factory) as s:
        assert s.scalar(select(func.count(Payable.id))) == 30
        assert ledger.verify(s) == []
        p = programmes.get(s, actor=SYSTEM, code="RACE")
        b = ledger.balances(s, actor=SYSTEM, programme_id=p.id, fiscal_year=2026)
        assert (b.available_fen, b.payable_fen) == (0, 30 * 100_00)
    engine.dispose()
