"""Innovation vouchers: issue from the budget, approved providers, redemption refused for related
parties with the evidence, claim, approval into a payable; a voucher is never spent twice, even by
ten requests at the same instant (real threads, SQLite and PostgreSQL)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tests.factories import bearer, make_org, make_user, new_uscc
from tests.grants.conftest import MakeProgramme

from longcheng.core.actors import SYSTEM, Actor, Role
from longcheng.core.db import make_engine, make_sessionmaker, transaction, write_engine
from longcheng.grants.ledger import service as ledger
from longcheng.grants.payments import service as payments
from longcheng.grants.programmes import service as programmes
from longcheng.grants.programmes.schemas import ProgrammeIn
from longcheng.grants.vouchers import service as vouchers
from longcheng.grants.vouchers.models import Voucher
from longcheng.grants.vouchers.schemas import IssueIn, ProviderIn, RedeemIn
from longcheng.registry import service as registry
from longcheng.registry.people.schemas import OrgPersonIn
from longcheng.registry.schemas import OrgCreate

ISSUE = {"fiscal_year": 2026, "amount_fen": 20_000_00, "purpose": "testing", "valid_until": "2027-06-30"}
PROVIDER = {
    "name": "常州检测认证中心",
    "category": "testing",
    "bank_account": "6222 0203 0405 0699",
    "bank_name": "常州银行",
}


def _enterprise(session: Session, username: str) -> tuple[str, dict[str, str]]:
    org = make_org(session)
    return org.uscc, bearer(
        session, make_user(session, username=username, role=Role.enterprise, org_uscc=org.uscc)
    )


def test_issue_redeem_claim_and_pay(
    app_client: TestClient, session: Session, make_programme: MakeProgramme
) -> None:
    programme = make_programme(budget_fen=30_000_00)
    officer = bearer(session, make_user(session, username="gv_off", role=Role.officer))
    firm_uscc, firm = _enterprise(session, "gv_firm")
    lab_uscc, lab = _enterprise(session, "gv_lab")
    near_uscc, near = _enterprise(session, "gv_near")
    for uscc in (firm_uscc, near_uscc):
        registry.set_people(
            session, actor=SYSTEM, uscc=uscc, people=[OrgPersonIn(role="legal_rep", name="王建国")]
        )
    session.commit()
    api = "/api/v1/grants"
    assert app_client.post(f"{api}/providers", json=PROVIDER, headers=lab).status_code == 201
    assert (
        app_client.post(
            f"{api}/providers", json=PROVIDER | {"name": "关联咨询公司"}, headers=near
        ).status_code
        == 201
    )
    body = ISSUE | {"programme": programme.code, "firm_uscc": firm_uscc}
    issued = app_client.post(f"{api}/vouchers", json=body, headers=officer)
    assert issued.status_code == 201, issued.text
    code = issued.json()["code"]
    over = app_client.post(f"{api}/vouchers", json=body | {"amount_fen": 20_000_00}, headers=officer).json()
    assert over["code"] == "grants.budget_exceeded"

    pending = app_client.post(
        f"{api}/vouchers/{code}/redeem",
        json={"provider_uscc": lab_uscc, "contract_ref": "HT-1"},
        headers=firm,
    )
    assert pending.json()["code"] == "grants.provider_not_approved"
    for uscc in (lab_uscc, near_uscc):
        app_client.post(f"{api}/providers/{uscc}/decision", json={"approve": True}, headers=officer)
    related = app_client.post(
        f"{api}/vouchers/{code}/redeem",
        json={"provider_uscc": near_uscc, "contract_ref": "HT-2"},
        headers=firm,
    )
    assert related.json()["code"] == "grants.voucher_related_party"
    assert "法定代表人相同" in related.json()["message"]
    ok = app_client.post(
        f"{api}/vouchers/{code}/redeem",
        json={"provider_uscc": lab_uscc, "contract_ref": "HT-1"},
        headers=firm,
    )
    assert ok.json()["state"] == "redeemed"
    twice = app_client.post(
        f"{api}/vouchers/{code}/redeem",
        json={"provider_uscc": lab_uscc, "contract_ref": "HT-3"},
        headers=firm,
    )
    assert twice.json()["code"] == "grants.voucher_spent"

    assert app_client.post(f"{api}/vouchers/{code}/claim", headers=lab).json()["state"] == "claimed"
    payable_id = app_client.post(f"{api}/vouchers/{code}/approve", headers=officer).json()["payable_id"]
    assert (
        app_client.post(f"{api}/vouchers/{code}/approve", headers=officer).json()["code"]
        == "grants.voucher_spent"
    )
    status = payments.payable_status(session, actor=SYSTEM, source_kind="grants_voucher", source_ref=code)
    assert [(s.id, s.amount_fen) for s in status] == [(payable_id, 20_000_00)]
    b = ledger.balances(session, actor=SYSTEM, programme_id=programme.id, fiscal_year=2026)
    assert (b.available_fen, b.committed_fen, b.payable_fen) == (10_000_00, 0, 20_000_00)
    mine = app_client.get(f"{api}/vouchers", params={"state": "approved"}, headers=lab).json()
    assert [v["code"] for v in mine["items"]] == [code]
    assert app_client.get(f"{api}/vouchers", headers=near).json()["total"] == 0
    page = app_client.get("/grants/vouchers", params={"q": code}, headers=officer)
    assert "已核准兑付" in page.text
    assert "常州检测认证中心" in page.text
    assert app_client.get("/grants/vouchers.xlsx", headers=officer).status_code == 200


def test_ten_simultaneous_redemptions_spend_the_voucher_once(cli_db: str) -> None:
    engine = make_engine(cli_db)
    factory = make_sessionmaker(write_engine(engine))
    with transaction(factory) as s:
        programmes.create(
            s, actor=SYSTEM, data=ProgrammeIn(code="VRACE", name="创新券", department="市科技局")
        )
        ledger.set_budget(s, actor=SYSTEM, programme_code="VRACE", fiscal_year=2026, amount_fen=100_000_00)
        firm = registry.create(
            s, actor=SYSTEM, data=OrgCreate(uscc=new_uscc(), name="并发企业", district="xinbei")
        )
        labs = [
            registry.create(
                s,
                actor=SYSTEM,
                data=OrgCreate(uscc=new_uscc(), name=f"检测机构{n}", district="xinbei"),
            ).uscc
            for n in range(10)
        ]
        for uscc in labs:
            lab = Actor(
                id=None, username=f"lab{uscc}", role=Role.enterprise, display_name="机构", org_uscc=uscc
            )
            vouchers.register_provider(s, actor=lab, data=ProviderIn.model_validate(PROVIDER))
            vouchers.decide_provider(s, actor=SYSTEM, uscc=uscc, approve=True)
        issue = IssueIn.model_validate(ISSUE | {"programme": "VRACE", "firm_uscc": firm.uscc})
        code = vouchers.issue(s, actor=SYSTEM, data=issue).code
        firm_uscc = firm.uscc
    actor = Actor(id=None, username="vfirm", role=Role.enterprise, display_name="企业", org_uscc=firm_uscc)

    def attempt(n: int) -> str:
        try:
            with transaction(factory) as s:
                vouchers.redeem(
                    s, actor=actor, code=code, data=RedeemIn(provider_uscc=labs[n], contract_ref=f"HT-{n}")
                )
            return "ok"
        except vouchers.VoucherSpent:
            return "refused"

    with ThreadPoolExecutor(max_workers=10) as pool:
        outcomes = list(pool.map(attempt, range(10)))
    assert outcomes.count("ok") == 1
    assert outcomes.count("refused") == 9
    with transaction(factory) as s:
        v = s.scalar(select(Voucher).where(Voucher.code == code))
        assert v is not None
        assert v.state == "redeemed"
        assert s.scalar(select(func.count(Voucher.id))) == 1
    engine.dispose()
