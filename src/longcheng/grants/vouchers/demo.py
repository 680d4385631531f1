"""Demo innovation vouchers: a voucher programme, approved providers, vouchers at every step."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from longcheng.core.actors import Actor, Role
from longcheng.core.clock import local_today
from longcheng.grants.ledger import service as ledger
from longcheng.grants.programmes import service as programmes
from longcheng.grants.programmes.schemas import ProgrammeIn
from longcheng.grants.vouchers import service
from longcheng.grants.vouchers.schemas import IssueIn, ProviderIn, RedeemIn

CATEGORY_CYCLE = ("testing", "design", "ip", "consulting")


def _firm(uscc: str) -> Actor:
    return Actor(
        id=None, username=f"demo-{uscc}", role=Role.enterprise, display_name="演示企业", org_uscc=uscc
    )


def _providers(session: Session, actor: Actor, firms: list[tuple[str, str]]) -> list[str]:
    usccs = []
    for n, (uscc, name) in enumerate(firms):
        data = ProviderIn(
            name=name,
            category=CATEGORY_CYCLE[n % 4],
            bank_account=f"62220300{n:08d}",
            bank_name="江苏银行常州分行",
        )
        service.register_provider(session, actor=_firm(uscc), data=data)
        service.decide_provider(session, actor=actor, uscc=uscc, approve=n != len(firms) - 1)
        usccs.append(uscc)
    return usccs


def seed(session: Session, *, actor: Actor, year: int, firms: list[tuple[str, str]]) -> int:
    """Vouchers for up to 12 firms (4 providers drawn from the same list); returns how many."""
    if len(firms) < 8:
        return 0
    programmes.create(
        session,
        actor=actor,
        data=ProgrammeIn(
            code="INNOVOUCHER", name="科技创新券", department="市科技局", contact="市科技局 0519-8568xxxx"
        ),
    )
    ledger.set_budget(
        session, actor=actor, programme_code="INNOVOUCHER", fiscal_year=year, amount_fen=500_000_00
    )
    providers = _providers(session, actor, firms[:4])
    count = 0
    for n, (uscc, _name) in enumerate(firms[4:16]):
        data = IssueIn(
            programme="INNOVOUCHER",
            fiscal_year=year,
            firm_uscc=uscc,
            amount_fen=(n % 3 + 1) * 10_000_00,
            purpose=CATEGORY_CYCLE[n % 4],
            valid_until=local_today() + timedelta(days=180),
        )
        code = service.issue(session, actor=actor, data=data).code
        count += 1
        if n % 2:
            continue
        provider = providers[n % 3]
        try:
            service.redeem(
                session,
                actor=_firm(uscc),
                code=code,
                data=RedeemIn(provider_uscc=provider, contract_ref=f"FW{year}-{n:03d}"),
            )
        except service.RelatedParty:
            continue
        if n % 4 == 0:
            service.claim(session, actor=_firm(provider), code=code)
        if n % 8 == 0:
            service.approve_claim(session, actor=actor, code=code)
    return count
