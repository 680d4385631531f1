"""Fixtures for grants: a programme with a budget, finance staff, and payee account tokens."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy.orm import Session
from tests.factories import make_user, new_uscc

from longcheng.core.actors import SYSTEM, Actor, Role
from longcheng.core.pii import vault
from longcheng.grants.ledger import service as ledger
from longcheng.grants.payments.service import PAYEE_ACCOUNT_PURPOSE
from longcheng.grants.programmes import service as programmes
from longcheng.grants.programmes.models import Programme
from longcheng.grants.programmes.schemas import ProgrammeIn

ACCOUNT = "6222020304050607089"


def token(account: str = ACCOUNT) -> str:
    return vault.encrypt(account, purpose=PAYEE_ACCOUNT_PURPOSE)


@pytest.fixture
def finance(session: Session) -> dict[str, Actor]:
    spec = {"gfin1": Role.finance, "gfin2": Role.finance, "gadmin": Role.admin}
    out = {name: make_user(session, username=name, role=role).to_actor() for name, role in spec.items()}
    out["gfirm"] = make_user(session, username="gfirm", role=Role.enterprise, org_uscc=new_uscc()).to_actor()
    return out


MakeProgramme = Callable[..., Programme]


@pytest.fixture
def make_programme(session: Session) -> MakeProgramme:
    counter = iter(range(1, 10_000))

    def make(budget_fen: int = 100_000_00, year: int = 2026, **fields: object) -> Programme:
        data = {"code": f"ZX{next(counter):03d}", "name": "科技创新专项", "department": "市科技局", **fields}
        p = programmes.create(session, actor=SYSTEM, data=ProgrammeIn.model_validate(data))
        ledger.set_budget(
            session, actor=SYSTEM, programme_code=p.code, fiscal_year=year, amount_fen=budget_fen
        )
        return p

    return make
