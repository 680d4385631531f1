"""Ledger fixes after the decision: a failed inspection gives the committed award back to the
budget (the ledger still verifies), and finance corrects the account of a payable the bank
returned so that the next batch pays it there, audited and masked."""

from __future__ import annotations

import io

from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.factories import bearer, login, make_user
from tests.grants.conftest import MakeProgramme
from tests.grants.test_acceptance import PDF, PNG, _decided, _upload
from tests.grants.test_batches import _headers, _payable, _return_file

from longcheng.core.actors import SYSTEM, Actor, Role
from longcheng.core.audit import AuditRecord
from longcheng.grants.ledger import service as ledger


def test_failed_inspection_releases_the_commitment(
    app_client: TestClient, session: Session, make_programme: MakeProgramme
) -> None:
    number, programme_id, firm = _decided(session, make_programme)
    officer = bearer(session, make_user(session, username="gfail_off", role=Role.officer))
    session.commit()
    before = ledger.balances(session, actor=SYSTEM, programme_id=programme_id, fiscal_year=2026)
    assert before.committed_fen == 30_000_00
    for item, name, data in (
        ("invoices", "发票.pdf", PDF),
        ("audit_report", "审计.pdf", PDF),
        ("photos", "现场.png", PNG),
    ):
        assert _upload(app_client, number, firm, item, name, data) == 201
    base = f"/api/v1/grants/applications/{number}/acceptance"
    assert app_client.post(f"{base}/submit", headers=firm).json()["state"] == "submitted"
    failed = app_client.post(
        f"{base}/inspections",
        json={
            "inspected_on": "2026-12-03",
            "members": ["张工", "李工"],
            "findings": "主体设备未安装",
            "result": "fail",
        },
        headers=officer,
    ).json()
    assert failed["state"] == "failed"
    session.expire_all()
    after = ledger.balances(session, actor=SYSTEM, programme_id=programme_id, fiscal_year=2026)
    assert (after.committed_fen, after.payable_fen) == (0, 0)
    assert after.available_fen == before.available_fen + 30_000_00
    assert ledger.verify(session) == []
    refused = app_client.post(f"{base}/release", headers=officer)
    assert refused.json()["code"] == "grants.acceptance_not_passed"
    stmt = select(AuditRecord.action).where(AuditRecord.entity_id == number)
    assert "grants.acceptance.release_commitment" in set(session.scalars(stmt))


def _returned(app_client: TestClient, session: Session, code: str) -> str:
    ref = _payable(session, code, "K-RET", 500_00)
    fin1, fin2 = _headers(session, "gfin1"), _headers(session, "gfin2")
    bid = app_client.post("/api/v1/grants/batches", json={}, headers=fin1).json()["id"]
    app_client.post(f"/api/v1/grants/batches/{bid}/approve", headers=fin1)
    app_client.post(f"/api/v1/grants/batches/{bid}/approve", headers=fin2)
    app_client.get(f"/api/v1/grants/batches/{bid}/bank.xlsx", headers=fin1)
    back = _return_file([[ref, "500.00", "失败", "账户已销户"]])
    report = app_client.post(
        f"/api/v1/grants/batches/{bid}/return", files={"file": ("r.xlsx", back)}, headers=fin1
    )
    assert report.json()["returned"] == 1
    return ref


def test_finance_corrects_a_returned_account(
    app_client: TestClient, session: Session, finance: dict[str, Actor], make_programme: MakeProgramme
) -> None:
    p = make_programme(budget_fen=10_000_00)
    paid_ref = _payable(session, p.code, "K-OK", 100_00)
    session.commit()
    ref = _returned(app_client, session, p.code)
    fin1 = _headers(session, "gfin1")
    url = f"/api/v1/grants/payables/{ref}/account"
    body = {"account": "6217 0000 1111 2222 333", "bank": "中国银行常州分行", "reason": "企业提供新开户证明"}
    firm = _headers(session, "gfirm")
    assert app_client.post(url, json=body, headers=firm).status_code == 403
    bad = app_client.post(url, json=body | {"account": "62AB"}, headers=fin1)
    assert bad.json()["code"] == "grants.invalid"
    done = app_client.post(url, json=body, headers=fin1).json()
    assert done["payee_account_masked"] == "6217 **** **** 2333"
    assert done["payee_bank"] == "中国银行常州分行"
    assert done["state"] == "returned"
    not_returned = app_client.post(f"/api/v1/grants/payables/{paid_ref}/account", json=body, headers=fin1)
    assert not_returned.json()["code"] == "grants.payable_not_returned"
    rec = session.scalar(select(AuditRecord).where(AuditRecord.action == "grants.payee.correct"))
    assert rec is not None
    assert "6217000011112222333" not in rec.diff
    assert "6217 **** **** 2333" in rec.diff
    assert rec.reason == "企业提供新开户证明"

    fin2 = _headers(session, "gfin2")
    bid = app_client.post("/api/v1/grants/batches", json={}, headers=fin1).json()["id"]
    app_client.post(f"/api/v1/grants/batches/{bid}/approve", headers=fin1)
    app_client.post(f"/api/v1/grants/batches/{bid}/approve", headers=fin2)
    bank = app_client.get(f"/api/v1/grants/batches/{bid}/bank.xlsx", headers=fin1)
    ws = load_workbook(io.BytesIO(bank.content)).active
    assert ws is not None
    rows = [r for r in ws.iter_rows(values_only=True) if ref in r]
    assert rows
    assert "6217000011112222333" in rows[0]


def test_the_correction_page(
    app_client: TestClient, session: Session, finance: dict[str, Actor], make_programme: MakeProgramme
) -> None:
    p = make_programme(budget_fen=10_000_00)
    session.commit()
    ref = _returned(app_client, session, p.code)
    token = login(app_client, "gfin1")
    listed = app_client.get("/grants/finance", params={"q": ref})
    assert f"/grants/finance/payables/{ref}/account" in listed.text
    form = app_client.get(f"/grants/finance/payables/{ref}/account")
    assert "账户已销户" in form.text
    refused = app_client.post(
        f"/grants/finance/payables/{ref}/account",
        data={"csrf_token": token, "account": "12", "bank": "中国银行", "reason": "新账户"},
    )
    assert refused.status_code == 422
    assert "收款账号" in refused.text
    saved = app_client.post(
        f"/grants/finance/payables/{ref}/account",
        data={"csrf_token": token, "account": "6217000011112222333", "bank": "中国银行", "reason": "新账户"},
    )
    assert "6217 **** **** 2333" in saved.text
