"""Cooperation programme pages: partner region, the projects that joined in their form, roll-up."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from tests.factories import login, make_user
from tests.grants.conftest import token

from longcheng.core.actors import SYSTEM, Role
from longcheng.core.clock import local_today
from longcheng.core.validation import validate
from longcheng.grants.batches import service as batches
from longcheng.grants.ledger import service as ledger
from longcheng.grants.payments import service as payments
from longcheng.grants.programmes import service as grant_programmes
from longcheng.grants.programmes.schemas import ProgrammeIn
from longcheng.projects import service as projects_service
from longcheng.projects.schemas import ProjectCreate


def test_programme_page_rolls_up_its_projects(app_client: TestClient, session: Session) -> None:
    """Projects whose 合作机制 is 南北结对 appear with their stage; totals by stage are in 万元."""
    make_user(session, username="coofficer", role=Role.officer)
    signed = (local_today() - timedelta(days=30)).isoformat()
    for name, total in (("阜宁飞地智能装备项目", "30000"), ("阜宁飞地新材料项目", "12000")):
        data = {
            "name": name,
            "district": "wujin",
            "total_investment": total,
            "cooperation": "north_south",
            "partner_region": "阜宁县",
            "stage": "签约",
            "signed_on": signed,
        }
        projects_service.create(
            session, actor=SYSTEM, data=validate(ProjectCreate, data, code="projects.invalid")
        )
    other = {"name": "无关项目", "district": "wujin", "total_investment": "5000"}
    projects_service.create(
        session, actor=SYSTEM, data=validate(ProjectCreate, other, code="projects.invalid")
    )
    session.commit()
    login(app_client, "coofficer")
    listing = app_client.get("/cooperation")
    assert listing.status_code == 200
    assert "南北结对帮扶合作 · 阜宁" in listing.text
    page = app_client.get("/cooperation/north_south")
    assert page.status_code == 200
    assert "盐城市阜宁县" in page.text
    assert "阜宁飞地智能装备项目" in page.text
    assert "无关项目" not in page.text
    assert "42000.00 万元" in page.text
    assert app_client.get("/cooperation/atlantis").status_code == 404


def test_programme_pages_need_a_login(app_client: TestClient) -> None:
    assert app_client.get("/cooperation/north_south", follow_redirects=False).status_code == 303


def test_programme_page_shows_grants_paid_to_its_firms(app_client: TestClient, session: Session) -> None:
    """Grants paid to a firm investing in a 南北结对 project appear on the programme page with the
    total paid; a payable still waiting is listed but not counted; firms outside are left out."""
    make_user(session, username="cofficer2", role=Role.officer)
    fin = [make_user(session, username=f"cfin{i}", role=Role.finance).to_actor() for i in (1, 2)]
    data = {
        "name": "阜宁飞地智能装备项目",
        "district": "wujin",
        "total_investment": "30000",
        "cooperation": "north_south",
        "investors": [{"name": "常州阜宁智能装备有限公司"}],
    }
    projects_service.create(
        session, actor=SYSTEM, data=validate(ProjectCreate, data, code="projects.invalid")
    )
    programme = grant_programmes.create(
        session,
        actor=SYSTEM,
        data=ProgrammeIn.model_validate({"code": "ZXCOOP", "name": "智能制造专项", "department": "市工信局"}),
    )
    ledger.set_budget(
        session, actor=SYSTEM, programme_code=programme.code, fiscal_year=2026, amount_fen=10**9
    )

    def payable(name: str, amount_fen: int, key: str) -> int:
        return payments.add_direct_payable(
            session,
            actor=SYSTEM,
            programme_code=programme.code,
            fiscal_year=2026,
            payee_name=name,
            payee_account_token=token(),
            payee_bank="常州银行",
            amount_fen=amount_fen,
            source_kind="grants.application",
            source_ref=key,
            idempotency_key=key,
        )

    paid = payable("常州阜宁智能装备有限公司", 50_000_000, "coop-1")
    payable("常州阜宁智能装备有限公司", 20_000_000, "coop-2")
    payable("无关企业有限公司", 90_000_000, "coop-3")
    batch = batches.create_batch(session, actor=fin[0], payable_ids=[paid])
    batches.approve(session, actor=fin[0], batch_id=batch.id)
    batches.approve(session, actor=fin[1], batch_id=batch.id)
    batches.export_xlsx(session, actor=fin[0], batch_id=batch.id)
    ref = batches.payables_of(session, batch)[0].reference
    rows = [(2, {"付款参考号": ref, "金额（元）": "500000.00", "结果": "成功"})]
    batches.apply_return(session, actor=fin[0], batch_id=batch.id, rows=rows)
    session.commit()
    login(app_client, "cofficer2")
    page = app_client.get("/cooperation/north_south")
    assert page.status_code == 200
    assert "已拨付 50.00 万元（2 笔应付款）" in page.text
    assert ref in page.text
    assert "无关企业有限公司" not in page.text
    assert "按年度的资金拨付" in page.text
