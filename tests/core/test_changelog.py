"""Change logs speak Chinese: actions, fields, amounts, places; the /audit page filters and pages."""

from __future__ import annotations

import io

from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy.orm import Session
from tests.factories import login, make_org, make_user

from longcheng.core.actors import SYSTEM, Role
from longcheng.registry import service as registry_service
from longcheng.registry.schemas import FactCreate


def _fact(session: Session, uscc: str) -> None:
    data = FactCreate.model_validate(
        {"kind": "rd_spending", "year": 2024, "value": 236944583, "currency": "CNY", "source": "审计报告"}
    )
    registry_service.add_fact(session, actor=SYSTEM, uscc=uscc, data=data)


def test_a_firms_change_log_reads_in_words_not_codes(app_client: TestClient, session: Session) -> None:
    """registry.fact.add / rd_spending / 236944583 / wujin become 添加年度数据 / 研发投入 / 万元 / 武进区."""
    org = make_org(session, district="wujin")
    _fact(session, org.uscc)
    make_user(session, username="officer-c", role=Role.officer)
    session.commit()
    login(app_client, "officer-c")
    page = app_client.get(f"/registry/{org.uscc}").text
    assert "添加年度数据" in page
    assert "新建机构" in page
    assert "236.94 万元" in page
    assert "武进区" in page
    for code in ("registry.fact.add", "rd_spending", "236944583", "registry.org.create"):
        assert code not in page.split("<h2>变更痕迹</h2>")[-1]


def test_the_audit_page_filters_pages_and_exports(app_client: TestClient, session: Session) -> None:
    """Who, what and which entity narrow the list; the export holds the same rows in Chinese."""
    orgs = [make_org(session) for _ in range(3)]
    for org in orgs:
        _fact(session, org.uscc)
    make_user(session, username="auditor-c", role=Role.auditor)
    session.commit()
    login(app_client, "auditor-c")
    page = app_client.get("/audit", params={"what": "registry.fact.add", "page_size": 2}).text
    assert "共 3 条" in page
    assert "下一页" in page
    one = app_client.get("/audit", params={"entity_id": orgs[0].uscc}).text
    assert "共 2 条" in one  # created, then the fact
    assert "添加年度数据" in one
    future = app_client.get("/audit", params={"since": "2099-01-01"}).text
    assert "没有符合条件的记录" in future
    resp = app_client.get("/audit/export.xlsx", params={"what": "registry"})
    assert resp.status_code == 200
    rows = list(load_workbook(io.BytesIO(resp.content)).active.iter_rows(values_only=True))
    assert rows[0][:4] == ("序号", "时间（北京时间）", "操作人", "操作")
    assert {r[3] for r in rows[1:]} >= {"添加年度数据", "新建机构"}


def test_the_chain_is_verified_on_request(app_client: TestClient, session: Session) -> None:
    make_user(session, username="auditor-d", role=Role.auditor)
    session.commit()
    login(app_client, "auditor-d")
    assert "校验哈希链" in app_client.get("/audit").text
    assert "哈希链完整" in app_client.get("/audit", params={"verify": 1}).text


def test_a_firm_may_not_read_the_audit_trail(app_client: TestClient, session: Session) -> None:
    org = make_org(session)
    make_user(session, username="firm-c", role=Role.enterprise, org_uscc=org.uscc)
    session.commit()
    login(app_client, "firm-c")
    assert app_client.get("/audit").status_code == 403
    assert app_client.get("/audit/export.xlsx").status_code == 403
